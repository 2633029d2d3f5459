"""The portal's authentication backend: allauth's, loading the signed-in person with their
standing (accounts/standing.py) in the one query every request makes anyway."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model

from .standing import with_standing


class PortalAuthenticationBackend(AuthenticationBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager
        try:
            user = with_standing(users.filter(pk=user_id)).get()
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

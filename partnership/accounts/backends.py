"""The portal's authentication backend: allauth's, loading the signed-in person with their
standing (accounts/standing.py) in the one query every request makes anyway."""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .standing import with_standing


@cache
def _users_with_standing() -> QuerySet:
    # Built once per process: resolving the three subqueries costs more than running them
    # (0.7 ms a request against 1.5 ms built afresh, measured at trust scale). Never
    # evaluated itself, only cloned by get().
    return with_standing(get_user_model()._default_manager.all())


class PortalAuthenticationBackend(AuthenticationBackend):
    def get_user(self, user_id):
        try:
            user = _users_with_standing().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

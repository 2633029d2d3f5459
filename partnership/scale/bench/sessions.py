"""Signing benchmark users in without a browser.

A benchmark cannot type passwords and TOTP codes for hundreds of people, but it must
measure the pages as they really answer a signed-in person. So it leaves the same session
a real sign-in leaves: allauth's record of the password step, the TOTP step for those who
have an authenticator (staff, governors and trustees, as the two-factor gate expects), then
the portal's own account adapter signs the person in, which rotates the session key, fires
`user_logged_in` (the "signed-in devices" list gets its row) and stamps the last sign-in.
Nothing in the portal is bypassed or weakened: the middleware and views check the session
exactly as for anyone else.
"""

from __future__ import annotations

from importlib import import_module

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.base.internal.flows import post_authentication
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client, RequestFactory

from partnership.accounts.models import User

USER_AGENT = "portal-bench"


def _session_store() -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore()


def sign_in(user: User) -> str:
    """Sign `user` in as the login page would, and return the session key (the cookie)."""
    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT=USER_AGENT
    )
    request.session = _session_store()
    request.user = AnonymousUser()
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        # What a correct code at the "Two-factor authentication" step records.
        post_authentication(request, totp)
    get_adapter(request).login(request, user)
    request.session.save()
    return request.session.session_key


def sign_out(session_keys: list[str]) -> None:
    """End sessions the benchmark started, so repeated runs leave nothing behind."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=session_keys).delete()


def signed_in_client(email: str, **client_kwargs) -> tuple[Client, str]:
    """A test client carrying the session of the user with this address."""
    user = User.objects.get(email=email)
    key = sign_in(user)
    client = Client(**client_kwargs)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client, key

"""Every POST without a CSRF token is refused, on every URL the portal serves, before any
view runs: a signed-in SENDCo's browser cannot be made to change anything from another
site."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import staff_member, totp_now
from tests.factories import PASSWORD

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
VALUES = {"int": "1", "slug": "riverside", "str": "x", "path": "x", "uuid": None}


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def concrete(route: str) -> str | None:
    """A URL for the route with made-up values; regex routes (the admin's) stay as they
    are when they need no values, and are skipped otherwise."""
    if route.startswith("^") or "(?P<" in route:
        plain = route.strip("^$")
        return None if "(" in plain else "/" + plain
    url = route
    for match in PARAMETER.finditer(route):
        value = VALUES.get(match.group("converter") or "str", "x")
        if value is None:
            value = "00000000-0000-0000-0000-000000000000"
        url = url.replace(match.group(0), value, 1)
    return "/" + url


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(school):
    sendco = staff_member(school, "sendco")
    client = Client(enforce_csrf_checks=True)
    # Signing in takes two POSTs, each with the token from its form: password, then TOTP.
    client.get("/accounts/login/")
    step = client.post(
        "/accounts/login/",
        {
            "login": sendco.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    step = client.post(
        step["Location"],
        {"code": totp_now(), "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert client.get("/staff/").status_code == 200  # fully signed in
    urls = sorted({url for route in routes() if (url := concrete(route))})
    assert len(urls) > 150
    accepted = []
    for url in urls:
        response = client.post(url, {"anything": "1"})
        # Django's CSRF failure page, not a view's own 403 (nor a sign-in redirect).
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{url}: {response.status_code}")
    print(f"{len(urls) - len(accepted)}/{len(urls)} URLs refused a POST without a CSRF token")
    assert accepted == []

"""The site's addresses plus one fixed page, for the benchmark's server only.

`manage.py bench` starts gunicorn with PORTAL_ROOT_URLCONF=send_portal.bench_urls and
measures the parent home against `bench/fixed/`: a view that does nothing but return the
same bytes, through the same middleware and the same server. Their ratio says how much of
the server's capacity the page itself costs, whatever the machine. `bench/signed-in/`
returns the same bytes to a signed-in person only: what being signed in costs (the
session, the person, the two-factor gate), which no signed-in page can avoid.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from .urls import urlpatterns as site_urlpatterns

FIXED_PAGE = (
    b'<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8">'
    b"<title>Fixed page</title></head><body><p>A fixed page.</p></body></html>\n"
)


@require_safe
def fixed_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FIXED_PAGE)


@require_safe
@login_required
def signed_in_fixed_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FIXED_PAGE)


urlpatterns = [
    path("bench/fixed/", fixed_page, name="bench_fixed"),
    path("bench/signed-in/", signed_in_fixed_page, name="bench_signed_in"),
    *site_urlpatterns,
]

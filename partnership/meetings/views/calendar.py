"""A person's private calendar feed: the settings page where they make (or remake, or stop)
its address, and the feed itself, which their phone's calendar reads without signing in.

The address is the only key to the feed, so it is shown once, when made, and never put in
a log or a page that could be cached; a lost address is replaced, not recovered.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnership.schools.models import STAFF_ROLES, Child

from ..ics import calendar_text
from ..models import CalendarFeed
from ..selectors import FEED_NAME, calendar_feed_events
from ..services.calendar import calendar_feed_issue, calendar_feed_owner, calendar_feed_stop


def _may_have_feed(user) -> bool:
    """Parents and staff have meetings; a governor or a person with neither role has none."""
    return (
        Child.objects.of_parent(user).exists()
        or user.memberships.active().filter(role__in=STAFF_ROLES).exists()
    )


def _page(request, *, address: str = "", status: int = 200):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    response = render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed": feed,
            "address": address,
            "webcal": address.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
        status=status,
    )
    return response


@never_cache
@login_required
def calendar_settings(request):
    if not _may_have_feed(request.user):
        raise Http404("No meetings for this person")
    if request.method == "POST":
        token = calendar_feed_issue(user=request.user)
        # The portal's public address, as in emails: behind a proxy the request's own
        # scheme may say http.
        address = settings.SITE_URL + reverse("calendar_feed", args=[token])
        # Rendered in the answer to the POST, not stored for a redirect: the secret exists
        # only in this one response.
        return _page(request, address=address)
    return _page(request)


@never_cache
@login_required
def calendar_stop(request):
    if not _may_have_feed(request.user):
        raise Http404("No meetings for this person")
    if not CalendarFeed.objects.filter(user=request.user).exists():
        return redirect("calendar_settings")
    if request.method == "POST":
        calendar_feed_stop(user=request.user)
        messages.success(
            request, _("Your calendar address is switched off. Nothing more will be shared.")
        )
        return redirect("calendar_settings")
    return render(request, "meetings/calendar_stop.html")


@require_GET
def calendar_feed(request, token: str):
    user = calendar_feed_owner(token)
    if user is None:
        raise Http404("No such calendar")
    text = calendar_text(calendar_feed_events(user), name=FEED_NAME)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="school-meetings.ics"'
    # A shared cache must never hand one family's diary to another.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("meetings/calendar/", calendar_settings, name="calendar_settings"),
    path("meetings/calendar/stop/", calendar_stop, name="calendar_stop"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]

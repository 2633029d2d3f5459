from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.schools.access import school_for

from .models import OutboxMessage


@login_required
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """What the school has sent, to whom and when, and what failed."""
    school = school_for(request.user, slug)
    messages = OutboxMessage.objects.filter(school=school).order_by("-created_at", "-pk")
    # An unknown status shows everything and is not echoed back into the page links.
    status = request.GET.get("status", "")
    if status in OutboxMessage.Status.values:
        messages = messages.filter(status=status)
    else:
        status = ""
    page = Paginator(
        messages.only(
            "pk",
            "kind",
            "to_email",
            "subject",
            "status",
            "attempts",
            "created_at",
            "sent_at",
            "last_error",
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "school": school,
            "page": page,
            "status": status,
            "statuses": OutboxMessage.Status.choices,
        },
    )

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.schools.access import school_for

from .forms import AuditFilterForm
from .registry import audit_subject_note
from .selectors import audit_events_for_school

PAGE_SIZE = 50


@login_required
def audit_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Who read, changed, exported or was refused what, for the SENDCo and administrators:
    "who looked at this child's file?"."""
    school = school_for(request.user, slug)
    form = AuditFilterForm(request.GET or None, school=school)
    child = None
    events = None
    if not form.is_bound:
        events = audit_events_for_school(school=school)
    elif form.is_valid():
        child = form.cleaned_data["child"]
        start, end = form.bounds()
        events = audit_events_for_school(
            school=school,
            child=child,
            person=form.cleaned_data["person"],
            action=form.cleaned_data["action"],
            start=start,
            end=end,
        )
    # Looking at the trail is itself in the trail, with the child whose file was searched.
    audit_subject_note(request, school_id=school.pk, child_id=child.pk if child else None)
    page = None
    if events is not None:
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/search.html",
        {"school": school, "form": form, "page": page, "child": child},
    )

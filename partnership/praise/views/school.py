"""The SENDCo's view of the school's praise (who gave it, who got it, who was missed) and
the school's values, for the SENDCo and administrators."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.schools.access import school_for

from ..forms_values import PraiseValueForm
from ..models import SUGGESTED_VALUES, PraiseValue
from ..selectors_school import (
    UNPRAISED_DAYS,
    children_unpraised_list,
    parse_week,
    praise_by_adult,
    praise_by_child,
    praise_week_totals,
    school_today,
    unpraised_since,
    week_bounds,
    week_label,
)
from ..services.values import (
    PraiseValueRefused,
    praise_value_add,
    praise_value_delete,
    praise_value_restore,
    praise_value_retire,
    praise_value_update,
    praise_values_use_suggested,
)

CHILDREN_PER_PAGE = 50
WEEK = datetime.timedelta(days=7)


@login_required
def praise_school(request, slug: str):
    school = school_for(request.user, slug)
    today = school_today(school)
    this_monday = today - datetime.timedelta(days=today.weekday())
    monday = parse_week(request.GET.get("week", "")) or this_monday
    if "week" in request.GET and parse_week(request.GET["week"]) is None:
        # A mistyped or stale link still lands somewhere useful, and says so.
        messages.warning(request, _("We could not read that week, so here is this week."))
    # There is no praise from the future to show.
    monday = min(monday, this_monday)
    start, end = week_bounds(school, monday)
    children = list(praise_by_child(school=school, start=start, end=end))
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "praise/school.html",
        {
            "school": school,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "is_this_week": monday == this_monday,
            "week": week_label(monday),
            "previous_week": week_label(monday - WEEK),
            "next_week": week_label(monday + WEEK) if monday < this_monday else "",
            "this_week": week_label(this_monday),
            "adults": praise_by_adult(school=school, start=start, end=end),
            "page": page,
            "totals": praise_week_totals(children),
            "unpraised": list(
                children_unpraised_list(school=school, since=unpraised_since(school, today))
            ),
            "unpraised_days": UNPRAISED_DAYS,
        },
    )


def _values_of(school):
    return PraiseValue.objects.filter(school=school).annotate(used=Count("praise"))


@login_required
def praise_values(request, slug: str):
    school = school_for(request.user, slug)
    form = PraiseValueForm(request.POST or None, adding=True, prefix="add")
    if request.method == "POST" and form.is_valid():
        try:
            value = praise_value_add(school=school, **form.cleaned_data)
        except PraiseValueRefused as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": value.name})
            return redirect("praise_values", slug=school.slug)
    values = list(_values_of(school))
    return render(
        request,
        "praise/values.html",
        {
            "school": school,
            "form": form,
            "active": [v for v in values if v.is_active],
            "retired": [v for v in values if not v.is_active],
            "has_values": bool(values),
            "suggested": SUGGESTED_VALUES,
        },
    )


@login_required
@require_POST
def praise_values_suggested(request, slug: str):
    school = school_for(request.user, slug)
    try:
        praise_values_use_suggested(school=school)
    except PraiseValueRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your school now uses the suggested values. Change any."))
    return redirect("praise_values", slug=school.slug)


def _value(request, slug: str, value_id: int):
    school = school_for(request.user, slug)
    return school, get_object_or_404(_values_of(school), pk=value_id)


@login_required
def praise_value_edit(request, slug: str, value_id: int):
    school, value = _value(request, slug, value_id)
    form = PraiseValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        try:
            praise_value_update(value=value, **form.cleaned_data)
        except PraiseValueRefused as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": value.name})
            return redirect("praise_values", slug=school.slug)
    return render(
        request, "praise/values_edit.html", {"school": school, "form": form, "value": value}
    )


@login_required
@require_POST
def praise_value_retire_view(request, slug: str, value_id: int):
    school, value = _value(request, slug, value_id)
    praise_value_retire(value=value)
    messages.success(
        request,
        _("“%(name)s” is retired: it is no longer offered, and its praise stays as it was.")
        % {"name": value.name},
    )
    return redirect("praise_values", slug=school.slug)


@login_required
@require_POST
def praise_value_restore_view(request, slug: str, value_id: int):
    school, value = _value(request, slug, value_id)
    praise_value_restore(value=value)
    messages.success(request, _("“%(name)s” is offered again.") % {"name": value.name})
    return redirect("praise_values", slug=school.slug)


@login_required
def praise_value_delete_view(request, slug: str, value_id: int):
    school, value = _value(request, slug, value_id)
    if request.method == "POST":
        try:
            praise_value_delete(value=value)
        except PraiseValueRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("“%(name)s” deleted.") % {"name": value.name})
        return redirect("praise_values", slug=school.slug)
    return render(request, "praise/values_delete.html", {"school": school, "value": value})


urlpatterns = [
    path("schools/<slug:slug>/praise/", praise_school, name="praise_school"),
    path("schools/<slug:slug>/praise/values/", praise_values, name="praise_values"),
    path(
        "schools/<slug:slug>/praise/values/suggested/",
        praise_values_suggested,
        name="praise_values_suggested",
    ),
    path(
        "schools/<slug:slug>/praise/values/<int:value_id>/",
        praise_value_edit,
        name="praise_value_edit",
    ),
    path(
        "schools/<slug:slug>/praise/values/<int:value_id>/retire/",
        praise_value_retire_view,
        name="praise_value_retire",
    ),
    path(
        "schools/<slug:slug>/praise/values/<int:value_id>/restore/",
        praise_value_restore_view,
        name="praise_value_restore",
    ),
    path(
        "schools/<slug:slug>/praise/values/<int:value_id>/delete/",
        praise_value_delete_view,
        name="praise_value_delete",
    ),
]

"""Subject access export pages: the school's administrator or SENDCo chooses a child or a
parent, reads what the export holds, and downloads the zip.

The download is a GET: it changes nothing, and the explicit EXPORT row written here is
the audit record (the middleware cannot tell whose data a parent export holds from the
URL alone). Everyone else gets 404, the same answer as for an id that does not exist.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from partnership.schools.access import school_for
from partnership.schools.models import Child, FamilyLink, School

from .export import subject_export_child as build_child_export
from .export import subject_export_parent as build_parent_export
from .export_registry import EXCLUDED
from .models import Action
from .services import audit_event_record

PER_PAGE = 25


def _child_at(user, school: School, child_id: int) -> Child:
    return get_object_or_404(
        Child.objects.visible_to(user).filter(school=school).select_related("school"),
        pk=child_id,
    )


def _parents_at(school: School):
    return get_user_model().objects.filter(
        pk__in=FamilyLink.objects.filter(child__school=school).values("parent")
    )


def _parent_at(school: School, user_id: int):
    return get_object_or_404(_parents_at(school), pk=user_id)


@login_required
@require_safe
def subject_export(request, slug: str):
    school = school_for(request.user, slug)
    kind = "parent" if request.GET.get("kind") == "parent" else "child"
    query = request.GET.get("q", "").strip()[:100]
    if kind == "child":
        people = Child.objects.filter(school=school).order_by("last_name", "first_name", "pk")
        if query:
            people = people.filter(
                Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(mis_id__iexact=query)
            )
    else:
        people = _parents_at(school).order_by("full_name", "email", "pk")
        if query:
            people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/export_choose.html",
        {"school": school, "kind": kind, "query": query, "page": page},
    )


@login_required
@require_safe
def subject_export_child_confirm(request, slug: str, child_id: int):
    school = school_for(request.user, slug)
    child = _child_at(request.user, school, child_id)
    return render(
        request,
        "audit/export_confirm.html",
        {"school": school, "kind": "child", "child": child, "excluded": EXCLUDED},
    )


@login_required
@require_safe
def subject_export_parent_confirm(request, slug: str, user_id: int):
    school = school_for(request.user, slug)
    parent = _parent_at(school, user_id)
    children = Child.objects.of_parent(parent).filter(school=school)
    return render(
        request,
        "audit/export_confirm.html",
        {
            "school": school,
            "kind": "parent",
            "parent": parent,
            "children": children,
            "excluded": EXCLUDED,
        },
    )


def _record_export(request, *, school: School, child_id: int | None, object_id: int) -> None:
    audit_event_record(
        user_id=request.user.pk,
        action=Action.EXPORT,
        what=request.resolver_match.view_name if request.resolver_match else "subject_export",
        method=request.method or "GET",
        status_code=200,
        school_id=school.pk,
        child_id=child_id,
        object_id=object_id,
    )


@login_required
@require_safe
def subject_export_child(request, slug: str, child_id: int):
    school = school_for(request.user, slug)
    child = _child_at(request.user, school, child_id)
    archive = build_child_export(child=child)
    _record_export(request, school=school, child_id=child.pk, object_id=child.pk)
    # Ids only in the file name: it ends up in download folders and browser history.
    return FileResponse(archive, as_attachment=True, filename=f"child-{child.pk}-records.zip")


@login_required
@require_safe
def subject_export_parent(request, slug: str, user_id: int):
    school = school_for(request.user, slug)
    parent = _parent_at(school, user_id)
    archive = build_parent_export(parent=parent, school=school)
    _record_export(request, school=school, child_id=None, object_id=parent.pk)
    return FileResponse(archive, as_attachment=True, filename=f"parent-{parent.pk}-records.zip")


urlpatterns = [
    path("schools/<slug:slug>/exports/", subject_export, name="subject_export"),
    path(
        "schools/<slug:slug>/exports/child/<int:child_id>/",
        subject_export_child_confirm,
        name="subject_export_child_confirm",
    ),
    path(
        "schools/<slug:slug>/exports/child/<int:child_id>.zip",
        subject_export_child,
        name="subject_export_child",
    ),
    path(
        "schools/<slug:slug>/exports/parent/<int:user_id>/",
        subject_export_parent_confirm,
        name="subject_export_parent_confirm",
    ),
    path(
        "schools/<slug:slug>/exports/parent/<int:user_id>.zip",
        subject_export_parent,
        name="subject_export_parent",
    ),
]

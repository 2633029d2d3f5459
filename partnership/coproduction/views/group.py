"""The SEND parent group: parents join or leave at their children's schools; the SENDCo or
an administrator sees the members, names the parent representative and invites the group
to sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.schools.access import school_for
from partnership.schools.models import Child, School

from .. import selectors_group as select
from ..forms_group import InviteForm, RepresentativeForm
from ..models import ParentGroupMember
from ..services.group import (
    GroupRefused,
    group_join,
    group_leave,
    group_member_remove,
    group_representative_set,
    group_session_invite,
)

MEMBERS_PER_PAGE = 50


def _parent_school(request, slug: str) -> School:
    """A school of one of the signed-in parent's children, else 404."""
    school = School.objects.filter(
        slug=slug, pk__in=Child.objects.of_parent(request.user).values("school")
    ).first()
    if school is None:
        raise Http404("No such school")
    return school


@login_required
def parent_group(request):
    return render(
        request,
        "coproduction/group.html",
        {
            "groups": select.groups_for_parent(request.user),
            # The parent representative also reads the governors' summary (link from here).
            "summary_schools": list(select.represented_schools(request.user)),
        },
    )


@login_required
def parent_group_join(request, slug: str):
    school = _parent_school(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        group_join(school=school, parent=request.user)
    except GroupRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Welcome to the parent group. We will invite you to its sessions and consultations."),
        )
    return redirect("parent_group")


@login_required
def parent_group_leave(request, slug: str):
    """Asks first (GET), leaves on POST."""
    school = _parent_school(request, slug)
    member = ParentGroupMember.objects.filter(school=school, parent=request.user).first()
    if member is None:
        return redirect("parent_group")
    if request.method == "POST":
        group_leave(school=school, parent=request.user)
        messages.success(
            request, _("You have left the parent group. You can join again at any time.")
        )
        return redirect("parent_group")
    return render(request, "coproduction/group_leave.html", {"school": school, "member": member})


# Staff: the school's SENDCo or an administrator.


@login_required
def parent_group_manage(request, slug: str):
    school = school_for(request.user, slug)
    members = select.members_for_staff(school)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    sessions = select.upcoming_sessions(school)
    representative = select.representative(school)
    return render(
        request,
        "coproduction/group_manage.html",
        {
            "school": school,
            "page": page,
            "members": select.with_children(page.object_list, school),
            "representative": representative,
            "representative_form": RepresentativeForm(
                members=members, initial={"member": getattr(representative, "pk", None)}
            ),
            "invite_form": InviteForm(sessions=sessions),
        },
    )


@login_required
def parent_group_representative(request, slug: str):
    school = school_for(request.user, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RepresentativeForm(request.POST, members=select.members_for_staff(school))
    if not form.is_valid():
        messages.error(request, _("Choose a member of the group."))
        return redirect("parent_group_manage", slug=school.slug)
    member = form.cleaned_data["member"]
    try:
        group_representative_set(school=school, member=member, by=request.user)
    except GroupRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Parent representative saved.") if member else _("No parent representative now."),
        )
    return redirect("parent_group_manage", slug=school.slug)


@login_required
def parent_group_remove(request, slug: str, member_id: int):
    """Asks first (GET), removes on POST."""
    school = school_for(request.user, slug)
    member = get_object_or_404(
        ParentGroupMember.objects.select_related("parent", "school"), school=school, pk=member_id
    )
    if request.method == "POST":
        try:
            group_member_remove(member=member, by=request.user)
        except GroupRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Removed from the parent group."))
        return redirect("parent_group_manage", slug=school.slug)
    return render(request, "coproduction/group_remove.html", {"school": school, "member": member})


@login_required
def parent_group_invite(request, slug: str):
    school = school_for(request.user, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InviteForm(request.POST, sessions=select.upcoming_sessions(school))
    if not form.is_valid():
        messages.error(request, _("Choose a session that is still to come."))
        return redirect("parent_group_manage", slug=school.slug)
    try:
        sent = group_session_invite(
            school=school, session=form.cleaned_data["session"], by=request.user
        )
    except GroupRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "Invitation emailed to %(count)s member.",
                    "Invitation emailed to %(count)s members.",
                    sent,
                )
                % {"count": sent},
            )
        else:
            messages.info(request, _("Every member has already been invited to this session."))
    return redirect("parent_group_manage", slug=school.slug)


urlpatterns = [
    path("parent-group/", parent_group, name="parent_group"),
    path("parent-group/<slug:slug>/join/", parent_group_join, name="parent_group_join"),
    path("parent-group/<slug:slug>/leave/", parent_group_leave, name="parent_group_leave"),
    path("schools/<slug:slug>/parent-group/", parent_group_manage, name="parent_group_manage"),
    path(
        "schools/<slug:slug>/parent-group/representative/",
        parent_group_representative,
        name="parent_group_representative",
    ),
    path(
        "schools/<slug:slug>/parent-group/<int:member_id>/remove/",
        parent_group_remove,
        name="parent_group_remove",
    ),
    path(
        "schools/<slug:slug>/parent-group/invite/",
        parent_group_invite,
        name="parent_group_invite",
    ),
]

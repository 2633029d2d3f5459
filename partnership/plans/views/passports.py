"""The pupil passport: every adult who works with the child reads it; the family
suggests changes and staff take them up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from partnership.schools.models import Child

from .. import access
from ..forms.passports import DeclineForm, PassportForm, ProposalForm
from ..models import PassportProposal, PassportVersion
from ..services.passports import (
    PassportRefused,
    passport_current,
    passport_propose,
    passport_write,
    proposal_accept,
    proposal_decline,
)

# A parent sees how their latest suggestions went; older ones add nothing to act on.
PROPOSALS_SHOWN = 10


def _roles(user, child: Child) -> dict[str, bool]:
    return {
        "is_parent": Child.objects.of_parent(user).filter(pk=child.pk).exists(),
        "can_edit": Child.objects.for_staff(user).filter(pk=child.pk).exists(),
    }


def _sections_of(version: PassportVersion | None) -> dict[str, str]:
    if version is None:
        return {}
    return {"admire": version.admire, "important": version.important, "support": version.support}


@login_required
def passport_detail(request, child_id: int):
    child = access.child_visible(request.user, child_id)
    roles = _roles(request.user, child)
    versions = list(
        child.passport_versions.select_related("created_by", "from_proposal__proposed_by")
    )
    proposals = PassportProposal.objects.filter(child=child).select_related(
        "proposed_by", "decided_by"
    )
    if roles["can_edit"]:
        # Staff act on what is waiting; once decided, a suggestion lives on in the versions.
        proposals = proposals.filter(status=PassportProposal.Status.PENDING)
    elif roles["is_parent"]:
        proposals = proposals.filter(proposed_by=request.user)[:PROPOSALS_SHOWN]
    else:
        proposals = proposals.none()
    return render(
        request,
        "plans/passport_detail.html",
        {
            "child": child,
            "passport": versions[0] if versions else None,
            "earlier": versions[1:],
            "proposals": list(proposals),
            **roles,
        },
    )


@login_required
def passport_version(request, child_id: int, number: int):
    child = access.child_visible(request.user, child_id)
    version = get_object_or_404(
        child.passport_versions.select_related("created_by", "from_proposal__proposed_by"),
        number=number,
    )
    return render(request, "plans/passport_version.html", {"child": child, "version": version})


@login_required
def passport_propose_view(request, child_id: int):
    child = access.child_as_parent(request.user, child_id)
    current = passport_current(child)
    form = ProposalForm(request.POST or None, initial=_sections_of(current))
    if request.method == "POST" and form.is_valid():
        try:
            passport_propose(child=child, by=request.user, **form.cleaned_data)
        except PassportRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. School will look at your suggestion and you will see here "
                    "whether it has been taken up."
                ),
            )
            return redirect("passport", child_id=child.pk)
    return render(
        request,
        "plans/passport_form.html",
        {"form": form, "child": child, "passport": current, "proposing": True},
    )


@login_required
def passport_edit(request, child_id: int):
    child = access.child_as_staff(request.user, child_id)
    current = passport_current(child)
    form = PassportForm(request.POST or None, initial=_sections_of(current))
    if request.method == "POST" and form.is_valid():
        try:
            version = passport_write(child=child, by=request.user, **form.cleaned_data)
        except PassportRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Version %(number)s of the passport is now the current one.")
                % {"number": version.number},
            )
            return redirect("passport", child_id=child.pk)
    return render(
        request,
        "plans/passport_form.html",
        {"form": form, "child": child, "passport": current, "proposing": False},
    )


@login_required
def proposal_decide(request, proposal_id: int):
    proposal = access.row_for_children(
        PassportProposal.objects.select_related("child__school", "proposed_by", "based_on"),
        Child.objects.for_staff(request.user),
        proposal_id,
    )
    child = proposal.child
    if proposal.status != PassportProposal.Status.PENDING:
        messages.info(request, _("This suggestion has already been decided."))
        return redirect("passport", child_id=child.pk)
    decision = request.POST.get("decision") if request.method == "POST" else None
    form = DeclineForm(request.POST if decision == "decline" else None)
    if decision in ("accept", "decline"):
        try:
            if decision == "accept":
                version = proposal_accept(proposal=proposal, by=request.user)
                messages.success(
                    request,
                    _("The family's suggestion is now version %(number)s of the passport.")
                    % {"number": version.number},
                )
                return redirect("passport", child_id=child.pk)
            if form.is_valid():
                proposal_decline(proposal=proposal, by=request.user, **form.cleaned_data)
                messages.success(request, _("The family will see your note on the passport page."))
                return redirect("passport", child_id=child.pk)
        except PassportRefused as refused:
            messages.error(request, refused.message)
            return redirect("passport", child_id=child.pk)
    current = passport_current(child)
    return render(
        request,
        "plans/passport_decide.html",
        {
            "child": child,
            "proposal": proposal,
            "passport": current,
            "form": form,
            # Someone changed the passport after the family started from it.
            "moved_on": current is not None and proposal.based_on_id != current.pk,
        },
    )


urlpatterns = [
    path("children/<int:child_id>/passport/", passport_detail, name="passport"),
    path(
        "children/<int:child_id>/passport/versions/<int:number>/",
        passport_version,
        name="passport_version",
    ),
    path(
        "children/<int:child_id>/passport/propose/",
        passport_propose_view,
        name="passport_propose",
    ),
    path("children/<int:child_id>/passport/edit/", passport_edit, name="passport_edit"),
    path(
        "passport/proposals/<int:proposal_id>/decide/",
        proposal_decide,
        name="proposal_decide",
    ),
]

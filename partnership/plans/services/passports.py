"""Writing the pupil passport (one-page profile) with the family (P4).

Every change is a new numbered version; earlier versions are kept. Staff write a version
directly; a parent proposes one, and it becomes a version only when staff accept it.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import Child

from ..models import PassportProposal, PassportVersion
from . import Refused
from .observations import staff_notify


class PassportRefused(Refused):
    """A passport rule was broken; the message is for the person who tried."""


def passport_current(child: Child) -> PassportVersion | None:
    return (
        PassportVersion.objects.filter(child=child)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def _sections(admire: str, important: str, support: str) -> dict[str, str]:
    sections = {
        "admire": admire.strip(),
        "important": important.strip(),
        "support": support.strip(),
    }
    if not all(sections.values()):
        raise PassportRefused(_("Please fill in all three parts of the passport."))
    return sections


def _next_version(*, child: Child, by: User, sections: dict[str, str], **extra) -> PassportVersion:
    # Locking the child row makes writers of one child's passport take turns, so two
    # acceptances cannot both read the same last number; the unique constraint backs it.
    Child.objects.select_for_update().only("pk").get(pk=child.pk)
    last = PassportVersion.objects.filter(child=child).aggregate(last=Max("number"))["last"]
    return PassportVersion.objects.create(
        child=child, number=(last or 0) + 1, created_by=by, **sections, **extra
    )


@transaction.atomic
def passport_write(
    *, child: Child, by: User, admire: str, important: str, support: str
) -> PassportVersion:
    """Staff write the next version directly."""
    return _next_version(child=child, by=by, sections=_sections(admire, important, support))


@transaction.atomic
def passport_propose(
    *, child: Child, by: User, admire: str, important: str, support: str, note: str = ""
) -> PassportProposal:
    """A parent suggests a new text; school is told, and decides."""
    proposal = PassportProposal.objects.create(
        child=child,
        based_on=PassportVersion.objects.filter(child=child).order_by("-number").first(),
        proposed_by=by,
        note=note.strip(),
        **_sections(admire, important, support),
    )
    staff_notify(
        child=child,
        author=by,
        key_prefix=f"passport-proposed:{proposal.pk}",
        kind="passport_proposed",
        context={"passport_url": settings.SITE_URL + reverse("passport", args=[child.pk])},
    )
    return proposal


def _locked_pending(proposal: PassportProposal) -> PassportProposal:
    proposal = PassportProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != PassportProposal.Status.PENDING:
        raise PassportRefused(
            _("This suggestion has already been decided (%(status)s).")
            % {"status": proposal.get_status_display().lower()}
        )
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: PassportProposal, by: User) -> PassportVersion:
    """The family's text becomes the next version, and the proposal says so."""
    proposal = _locked_pending(proposal)
    version = _next_version(
        child=proposal.child,
        by=by,
        sections={
            "admire": proposal.admire,
            "important": proposal.important,
            "support": proposal.support,
        },
        from_proposal=proposal,
    )
    proposal.status = PassportProposal.Status.ACCEPTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return version


@transaction.atomic
def proposal_decline(*, proposal: PassportProposal, by: User, note: str) -> PassportProposal:
    """Not taken up, with a word to the family about why: they wrote it with care."""
    note = note.strip()
    if not note:
        raise PassportRefused(_("Please write a short note to the family explaining why."))
    proposal = _locked_pending(proposal)
    proposal.status = PassportProposal.Status.DECLINED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return proposal

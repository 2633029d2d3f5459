"""Giving praise: one moment, one or several children, one value, one note.

The form already offers only the children the adult works with; the rules are checked
again here because a service is the last word, whoever calls it (a view, a script, an
import), and a stale page may post a child who was moved to another adult since.
"""

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.plans.models import PlanCycle, Target
from partnership.schools.models import Child, School

from ..models import Praise, PraiseValue
from . import Refused

NOTE_MAX = Praise._meta.get_field("note").max_length


class PraiseRefused(Refused):
    """A rule of giving praise was broken; the message is for the adult who tried."""


def _check_children(*, school: School, by: User, children: Sequence[Child]) -> None:
    if not children:
        raise PraiseRefused(_("Choose at least one child to praise."))
    wanted = {child.pk for child in children}
    allowed = set(
        Child.objects.for_staff(by)
        .filter(school=school, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise PraiseRefused(
            _("You can praise only the children you work with at this school. Nothing was saved.")
        )


def _check_value(*, school: School, value: PraiseValue) -> None:
    # Read again: the value may have been retired since the page was drawn.
    if not PraiseValue.objects.filter(pk=value.pk, school=school, is_active=True).exists():
        raise PraiseRefused(_("That value is no longer offered by the school. Choose another."))


def _check_target(*, target: Target, children: Sequence[Child]) -> None:
    if target.child_id not in {child.pk for child in children}:
        raise PraiseRefused(_("The target chosen belongs to a child you have not chosen."))
    if not Target.objects.filter(pk=target.pk, cycle__status=PlanCycle.Status.OPEN).exists():
        raise PraiseRefused(_("That target is from a plan that has been reviewed. Choose another."))


@transaction.atomic
def praise_give(
    *,
    school: School,
    by: User,
    children: Sequence[Child],
    value: PraiseValue,
    note: str,
    target: Target | None = None,
) -> list[Praise]:
    """Praise every child in `children` at once; they share one batch so "again" repeats
    the whole moment. The target, if any, is recorded only on its own child's praise."""
    note = (note or "").strip()
    if not note:
        raise PraiseRefused(_("Say in a few words what they did."))
    if len(note) > NOTE_MAX:
        raise PraiseRefused(_("Keep the note to %(max)s characters or fewer.") % {"max": NOTE_MAX})
    _check_children(school=school, by=by, children=children)
    _check_value(school=school, value=value)
    if target is not None:
        _check_target(target=target, children=children)

    batch = uuid.uuid4()
    now = timezone.now()
    # A child ticked twice (a double tap, a replayed post) is praised once.
    unique = list({child.pk: child for child in children}.values())
    return Praise.objects.bulk_create(
        [
            Praise(
                school=school,
                child=child,
                value=value,
                note=note,
                target=target if target is not None and target.child_id == child.pk else None,
                given_by=by,
                given_at=now,
                batch=batch,
            )
            for child in unique
        ]
    )

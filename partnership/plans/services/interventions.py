"""Writing the school's catalogue of interventions and each child's place on one.

Access is the view's job; these functions keep a placement inside its child's school
(the school's own interventions and staff, the child's own targets) and make sure the
family always learns how to support it at home before it is shared with them.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import STAFF_ROLES, Child, Membership, School

from ..models import Intervention, Placement, Target
from . import Refused


class InterventionRefused(Refused):
    """A rule of the catalogue or of a placement was broken; the message is for the
    person who tried."""


def _name_taken(name: str) -> InterventionRefused:
    return InterventionRefused(
        _("The catalogue already has an intervention called “%(name)s”.") % {"name": name}
    )


@transaction.atomic
def intervention_create(
    *,
    school: School,
    name: str,
    description: str = "",
    home_support_ideas: str = "",
    is_active: bool = True,
    by: User,
) -> Intervention:
    """Add an intervention to the school's catalogue."""
    name = name.strip()
    try:
        # The unique constraint decides between two people adding the same name at once;
        # the savepoint keeps the caller's transaction usable.
        with transaction.atomic():
            return Intervention.objects.create(
                school=school,
                name=name,
                description=description,
                home_support_ideas=home_support_ideas,
                is_active=is_active,
            )
    except IntegrityError:
        raise _name_taken(name) from None


@transaction.atomic
def intervention_update(
    *,
    intervention: Intervention,
    name: str,
    description: str,
    home_support_ideas: str,
    is_active: bool,
    by: User,
) -> Intervention:
    """Change a catalogue entry. Taking it off the catalogue (not offered now) keeps the
    places children already have on it."""
    intervention.name = name.strip()
    intervention.description = description
    intervention.home_support_ideas = home_support_ideas
    intervention.is_active = is_active
    try:
        with transaction.atomic():
            intervention.save()
    except IntegrityError:
        raise _name_taken(intervention.name) from None
    return intervention


def _check_placement(
    *,
    child: Child,
    intervention: Intervention,
    staff: Membership | None,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    targets: list[Target],
    current_intervention_id: int | None = None,
) -> None:
    if intervention.school_id != child.school_id:
        raise InterventionRefused(_("Choose one of your school's interventions."))
    # A place already given on an intervention since taken off the catalogue may be
    # edited; a new place needs one that is offered now.
    if not intervention.is_active and intervention.pk != current_intervention_id:
        raise InterventionRefused(
            _("“%(name)s” is not offered now. Choose another intervention.")
            % {"name": intervention.name}
        )
    if staff is not None and (
        staff.school_id != child.school_id or staff.role not in STAFF_ROLES or not staff.is_active
    ):
        raise InterventionRefused(
            _("Choose a member of staff at %(name)s's school.") % {"name": child.first_name}
        )
    if ends_on is not None and ends_on < starts_on:
        raise InterventionRefused(_("The end date must be on or after the start date."))
    if any(target.child_id != child.pk for target in targets):
        raise InterventionRefused(
            _("Link only %(name)s's own targets.") % {"name": child.first_name}
        )


@transaction.atomic
def placement_create(
    *,
    child: Child,
    intervention: Intervention,
    staff: Membership | None,
    frequency: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    entry_measure: str = "",
    exit_measure: str = "",
    targets: Iterable[Target] = (),
    home_support: str = "",
    by: User,
) -> Placement:
    """Give a child a place on an intervention, not yet shared with the family."""
    targets = list(targets)
    _check_placement(
        child=child,
        intervention=intervention,
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        targets=targets,
    )
    placement = Placement.objects.create(
        child=child,
        intervention=intervention,
        staff=staff,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
        entry_measure=entry_measure,
        exit_measure=exit_measure,
        home_support=home_support,
    )
    placement.targets.set(targets)
    return placement


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    intervention: Intervention,
    staff: Membership | None,
    frequency: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    entry_measure: str,
    exit_measure: str,
    targets: Iterable[Target],
    home_support: str,
    by: User,
) -> Placement:
    """Change a child's place; returns it as saved. Once shared, the family sees the change
    straight away."""
    targets = list(targets)
    # The stored row decides, not the instance passed in: a model form has already written
    # the new values onto that one.
    stored = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=placement.pk)
    )
    _check_placement(
        child=stored.child,
        intervention=intervention,
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        targets=targets,
        current_intervention_id=stored.intervention_id,
    )
    if stored.shared_at is not None and not (home_support or intervention.home_support_ideas):
        raise InterventionRefused(
            _("The family can already see this. Say how they can support it at home.")
        )
    placement = stored
    placement.intervention = intervention
    placement.staff = staff
    placement.frequency = frequency
    placement.starts_on = starts_on
    placement.ends_on = ends_on
    placement.entry_measure = entry_measure
    placement.exit_measure = exit_measure
    placement.home_support = home_support
    placement.save()
    placement.targets.set(targets)
    return placement


@transaction.atomic
def placement_share(
    *, placement: Placement, by: User, now: datetime.datetime | None = None
) -> Placement:
    """Show the placement to the family. Sharing twice keeps the first date."""
    # Locked and read afresh, so a double click records one date.
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("intervention")
        .get(pk=placement.pk)
    )
    if placement.shared_at is not None:
        return placement
    if not placement.home_ideas.strip():
        raise InterventionRefused(
            _(
                "Say how the family can support this at home before sharing it: add ideas "
                "to the placement or to the catalogue entry."
            )
        )
    placement.shared_at = now or timezone.now()
    placement.save(update_fields=["shared_at"])
    return placement

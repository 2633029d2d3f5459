"""Writing plans: cycles of assess – plan – do – review, their targets and progress reviews.

Access is the view's job; these functions enforce the rules of the plan itself (one
current plan per child, home ideas before sharing, a parent's agreement from a parent).
"""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import Child, FamilyLink

from ..models import HomeObservation, Outcome, PlanCycle, ProgressReview, Target
from . import Refused

# The fields staff write; everything else on a target (sharing, agreement, review
# outcome) has its own service so its rule cannot be skipped by an edit.
EDITABLE_FIELDS = frozenset(
    {"outcome", "area_of_need", "baseline", "success_criteria", "how_to_help_at_home"}
)


class PlanRefused(Refused):
    """A plan rule was broken; the message is for the person who tried."""


def _refuse_if_closed(cycle: PlanCycle) -> None:
    # A reviewed plan is the written record the family was given: it stays as it was.
    if cycle.status == PlanCycle.Status.CLOSED:
        raise PlanRefused(
            _("This plan has been reviewed and closed. Work on the current plan instead.")
        )


@transaction.atomic
def cycle_open(
    *, child: Child, starts_on: datetime.date, review_on: datetime.date, by: User
) -> PlanCycle:
    """Start a new plan for a child who has no current one."""
    if review_on < starts_on:
        raise PlanRefused(_("The review date must be on or after the start date."))
    if PlanCycle.objects.filter(child=child, status=PlanCycle.Status.OPEN).exists():
        raise PlanRefused(
            _("%(name)s already has a current plan. Review and close it before starting another.")
            % {"name": child.first_name}
        )
    try:
        # Two people opening a plan at once: the unique constraint decides; the savepoint
        # keeps the caller's transaction usable.
        with transaction.atomic():
            return PlanCycle.objects.create(
                child=child, starts_on=starts_on, review_on=review_on, created_by=by
            )
    except IntegrityError:
        raise PlanRefused(
            _("%(name)s already has a current plan. Review and close it before starting another.")
            % {"name": child.first_name}
        ) from None


@transaction.atomic
def target_create(
    *,
    cycle: PlanCycle,
    outcome: str,
    area_of_need: str,
    baseline: str,
    success_criteria: str,
    how_to_help_at_home: str,
    by: User,
    baseline_observation: HomeObservation | None = None,
) -> Target:
    """Add a target to a current plan, not yet shared with the family."""
    _refuse_if_closed(cycle)
    if baseline_observation is not None and baseline_observation.child_id != cycle.child_id:
        raise ValueError("The baseline observation is about another child")
    return Target.objects.create(
        cycle=cycle,
        child_id=cycle.child_id,
        outcome=outcome,
        area_of_need=area_of_need,
        baseline=baseline,
        success_criteria=success_criteria,
        how_to_help_at_home=how_to_help_at_home,
        baseline_observation=baseline_observation,
        created_by=by,
    )


@transaction.atomic
def target_update(*, target: Target, by: User, **fields: str) -> Target:
    """Change what a target says. A shared target must keep its home ideas."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    _refuse_if_closed(target.cycle)
    if target.is_shared and not fields.get("how_to_help_at_home", "x").strip():
        raise PlanRefused(
            _(
                "The family already sees this target, so it must say how to help at home. "
                "Write an idea or two."
            )
        )
    for name, value in fields.items():
        setattr(target, name, value)
    target.save(update_fields=[*fields, "updated_at"])
    return target


@transaction.atomic
def target_share(*, target: Target, by: User) -> Target:
    """Show the target to the family. The batched email to the family picks it up later,
    because family_notified_at stays empty."""
    if target.is_shared:
        return target
    if not target.how_to_help_at_home.strip():
        raise PlanRefused(
            _(
                "Add how to help at home before sharing this target: every target tells "
                "the family what they can do."
            )
        )
    target.shared_at = timezone.now()
    target.family_notified_at = None
    target.save(update_fields=["shared_at", "family_notified_at", "updated_at"])
    return target


@transaction.atomic
def target_record_agreement(*, target: Target, parent: User, agreed_on: datetime.date) -> Target:
    """Record that a parent or carer of the child agreed the target, and when."""
    if not FamilyLink.objects.filter(parent=parent, child_id=target.child_id).exists():
        raise PlanRefused(_("Only a parent or carer linked to the child can agree a target."))
    if agreed_on > timezone.localdate():
        raise PlanRefused(_("The date of agreement cannot be in the future."))
    target.parent_agreed_by = parent
    target.parent_agreed_on = agreed_on
    target.save(update_fields=["parent_agreed_by", "parent_agreed_on", "updated_at"])
    return target


@transaction.atomic
def review_add(
    *, target: Target, rating: int, comment: str, reviewed_on: datetime.date, by: User
) -> ProgressReview:
    """A dated point on the target's trend. The family hears of it in the batched email."""
    _refuse_if_closed(target.cycle)
    if reviewed_on > timezone.localdate():
        raise PlanRefused(_("The date of a progress review cannot be in the future."))
    return ProgressReview.objects.create(
        target=target, rating=rating, comment=comment, reviewed_on=reviewed_on, author=by
    )


@transaction.atomic
def cycle_close(
    *,
    cycle: PlanCycle,
    outcomes: Mapping[int, str],
    summary: str,
    next_review_on: datetime.date,
    by: User,
) -> PlanCycle:
    """Review a plan: record each target's outcome, close it, and open the next plan with
    the targets marked "carried forward" copied into it. Returns the new plan.

    Only CARRIED_FORWARD targets are copied. "Partly" and "Not yet" are honest records of
    how a target went, and the SENDCo may want to rewrite rather than repeat it; copying
    them too would leave unwanted targets in the new plan, which has no delete. Choosing
    "Carried forward" is the one, explicit way to keep working on a target.
    """
    # Lock the plan so two people closing it at once cannot both copy its targets.
    cycle = PlanCycle.objects.select_for_update().get(pk=cycle.pk)
    _refuse_if_closed(cycle)
    today = timezone.localdate()
    if next_review_on <= today:
        raise PlanRefused(_("The next review date must be after today."))
    targets = list(cycle.targets.order_by("created_at", "pk"))
    if set(outcomes) != {target.pk for target in targets}:
        raise PlanRefused(_("Choose an outcome for every target in the plan."))
    if not set(outcomes.values()) <= set(Outcome.values):
        raise ValueError("Unknown outcome")

    for target in targets:
        target.outcome_at_review = outcomes[target.pk]
    Target.objects.bulk_update(targets, ["outcome_at_review"])

    cycle.status = PlanCycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.closed_by = by
    cycle.review_summary = summary
    # Closed before the next one opens: one current plan per child is a constraint.
    cycle.save(update_fields=["status", "closed_at", "closed_by", "review_summary"])

    following = PlanCycle.objects.create(
        child_id=cycle.child_id, starts_on=today, review_on=next_review_on, created_by=by
    )
    # Copies start unshared and unagreed: the family agrees the new plan afresh.
    Target.objects.bulk_create(
        [
            Target(
                cycle=following,
                child_id=target.child_id,
                outcome=target.outcome,
                area_of_need=target.area_of_need,
                baseline=target.baseline,
                success_criteria=target.success_criteria,
                how_to_help_at_home=target.how_to_help_at_home,
                baseline_observation_id=target.baseline_observation_id,
                carried_from=target,
                created_by=by,
            )
            for target in targets
            if target.outcome_at_review == Outcome.CARRIED_FORWARD
        ]
    )
    return following

"""Plans for the demo school: cycles, targets and a year of reviews, the catalogue of
interventions with placements, home observations and pupil passports.

Fictional, the same on every run (a seeded random generator), and safe to run again:
rows are found by stable keys and updated, never added twice. Dates follow today, so the
reviews-due list always has something overdue and something coming up.
"""

import datetime
import random

from django.db.models import Model, QuerySet
from django.utils import timezone

from partnership.schools.models import Child, FamilyLink, Membership, School

from . import demo_text as text
from .models import (
    HomeObservation,
    Intervention,
    ObservationReply,
    Outcome,
    PassportProposal,
    PassportVersion,
    Placement,
    PlanCycle,
    ProgressReview,
    Target,
)

OPEN, CLOSED = PlanCycle.Status.OPEN, PlanCycle.Status.CLOSED
DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _sync(queryset: QuerySet, rows: list[dict], **fixed) -> list[Model]:
    """The rows of `queryset`, in order, made to match `rows`: the first ones updated,
    missing ones created. Rows have no stable key of their own (their dates follow today),
    so their position is the key; rows added by hand after them are left alone."""
    existing = list(queryset.order_by("pk")[: len(rows)])
    result = []
    for index, fields in enumerate(rows):
        if index < len(existing):
            row = existing[index]
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        else:
            row = queryset.model.objects.create(**fixed, **fields)
        result.append(row)
    return result


def _ratings(rng: random.Random, start: int, end: int, count: int) -> list[int]:
    """Ratings that climb from `start` to `end` with plateaus on the way."""
    rises = min(end - start, count - 1)
    steps = [1] * rises + [0] * (count - 1 - rises)
    rng.shuffle(steps)
    ratings = [start]
    for step in steps:
        ratings.append(ratings[-1] + step)
    return ratings


def _review_days(rng: random.Random, first: datetime.date, last: datetime.date) -> list:
    days, day = [], first + rng.randint(18, 28) * DAY
    while day <= last:
        days.append(day)
        day += rng.randint(21, 42) * DAY
    return days


def seed_plans(*, school: School, children: list[Child], staff: dict[str, Membership]) -> None:
    rng = random.Random(4)  # the same demo every time
    today = timezone.localdate()
    sendco = staff["sendco@example.org"].user
    catalogue = _catalogue(school)
    parents = {}
    for link in FamilyLink.objects.filter(child__in=children).select_related("parent"):
        parents.setdefault(link.child_id, link.parent)
    for i, child in enumerate(children):
        if child.year_group >= 7:
            team = [staff["teacher.y7@example.org"], staff["sendco@example.org"]]
        else:
            team = [staff["teacher@example.org"], staff["ta@example.org"]]
        plan = _Plan(rng, today, i, child, parents.get(child.pk), sendco, team)
        open_targets = plan.build()
        _placements(rng, today, i, child, catalogue, team, open_targets, plan.history_start)
        _observations(i, child, parents.get(child.pk), open_targets, staff)
        _passport(rng, today, i, child, sendco, parents.get(child.pk))


class _Plan:
    """One child's plans: a current cycle, and for about half an earlier, reviewed one."""

    def __init__(self, rng, today, index, child, parent, sendco, team) -> None:
        self.rng, self.today, self.index, self.child = rng, today, index, child
        self.parent, self.sendco, self.team = parent, sendco, team
        self.ideas = text.TARGETS[text.NEED_BANK.get(child.primary_need, child.primary_need)]
        self.name = child.first_name
        self.history_start = None

    def build(self) -> list[Target]:
        rng, i, today = self.rng, self.index, self.today
        starts_on = today - rng.randint(35, 49) * DAY
        if i in text.OVERDUE:
            review_on = today - rng.randint(3, 12) * DAY
        elif i % 3 == 0:
            review_on = today + rng.randint(7, 27) * DAY
        else:
            review_on = today + rng.randint(29, 56) * DAY
        carried = None
        if i < 2 or i % 2 == 0:
            carried = self._earlier_cycle(until=starts_on - rng.randint(1, 7) * DAY)
        cycle = self._cycle(OPEN, starts_on, review_on)
        chosen = [self.ideas[0], self.ideas[1]]
        if carried is None and rng.random() < 0.6:
            chosen.append(self.ideas[2])
        elif carried is not None and rng.random() < 0.4:
            chosen.append(text.GENERAL[i % len(text.GENERAL)])
        targets = []
        for n, idea in enumerate(chosen):
            draft = i % 8 == 5 and n == len(chosen) - 1  # staff still writing it
            agreed = not draft and not (i % 5 == 3 and n == 1)
            first = 3 if n == 0 and carried else rng.choice([1, 1, 2])
            target = self._target(
                cycle,
                idea,
                shared=not draft,
                agreed=agreed,
                carried_from=carried if n == 0 else None,
            )
            end = min(5, first + rng.randint(0, 1))
            self._reviews(target, starts_on, today, first, end)
            targets.append(target)
        return targets

    def _cycle(self, status, starts_on, review_on, **extra) -> PlanCycle:
        cycle = (
            PlanCycle.objects.filter(child=self.child, status=status).order_by("starts_on").first()
        )
        fields = {"starts_on": starts_on, "review_on": review_on, "created_by": self.sendco}
        fields.update(extra)
        if cycle is None:
            return PlanCycle.objects.create(child=self.child, status=status, **fields)
        for name, value in fields.items():
            setattr(cycle, name, value)
        cycle.save()
        return cycle

    def _earlier_cycle(self, until: datetime.date) -> Target:
        rng, i = self.rng, self.index
        starts_on = self.today - rng.randint(355, 375) * DAY
        self.history_start = starts_on
        ended = Outcome.ACHIEVED if i % 4 != 2 else Outcome.PARTLY
        cycle = self._cycle(
            CLOSED,
            starts_on,
            until,
            closed_at=_at(until),
            closed_by=self.sendco,
            review_summary=text.REVIEW_SUMMARY.format(
                name=self.name,
                done=self.ideas[2].outcome.format(name=self.name),
                ended=ended.label.lower(),
            ),
        )
        done = self._target(cycle, self.ideas[2], shared=True, agreed=True, outcome_at_review=ended)
        self._reviews(done, starts_on, until, rng.choice([1, 2]), 5 if ended == "achieved" else 4)
        carried = self._target(
            cycle,
            self.ideas[0],
            shared=True,
            agreed=True,
            outcome_at_review=Outcome.CARRIED_FORWARD,
        )
        self._reviews(carried, starts_on, until, 1, 3)
        return carried

    def _target(self, cycle, idea, *, shared, agreed, **extra) -> Target:
        shared_at = _at(cycle.starts_on + 3 * DAY, 16) if shared else None
        fields = {
            "child": self.child,
            "area_of_need": self.child.primary_need,
            "baseline": idea.baseline,
            "success_criteria": idea.success,
            "how_to_help_at_home": idea.home.format(name=self.name),
            "shared_at": shared_at,
            # Old news: the demo families are not emailed about a year of history.
            "family_notified_at": shared_at,
            "parent_agreed_on": (cycle.starts_on + 5 * DAY) if agreed and self.parent else None,
            "parent_agreed_by": self.parent if agreed else None,
            "created_by": self.sendco,
            "created_at": _at(cycle.starts_on, 10),
            "outcome_at_review": "",
            "carried_from": None,
        }
        fields.update(extra)
        target, _ = Target.objects.update_or_create(
            cycle=cycle, outcome=idea.outcome.format(name=self.name), defaults=fields
        )
        return target

    def _reviews(self, target, first, last, start, end) -> None:
        days = _review_days(self.rng, first, last)
        if not days:
            return
        ratings = _ratings(self.rng, start, end, len(days))
        rows = []
        for n, (day, rating) in enumerate(zip(days, ratings, strict=True)):
            plateau = n > 0 and rating == ratings[n - 1]
            comments = text.PLATEAU if plateau else text.COMMENTS[rating]
            created = _at(day, 16)
            rows.append(
                {
                    "reviewed_on": day,
                    "rating": rating,
                    "comment": self.rng.choice(comments).format(name=self.name),
                    "author": self.team[n % len(self.team)].user,
                    "created_at": created,
                    "family_notified_at": created if target.shared_at else None,
                }
            )
        _sync(ProgressReview.objects.filter(target=target), rows, target=target)


def _catalogue(school: School) -> dict[str, Intervention]:
    catalogue = {}
    for key, (name, description, home) in text.INTERVENTIONS.items():
        catalogue[key], _ = Intervention.objects.update_or_create(
            school=school,
            name=name,
            defaults={"description": description, "home_support_ideas": home, "is_active": True},
        )
    return catalogue


def _placements(rng, today, i, child, catalogue, team, targets, history_start) -> None:
    if i % 7 == 6:
        return  # a few children have no intervention: the page says what to do next
    choices = text.NEED_INTERVENTIONS.get(child.primary_need, ["maths"])
    runner = team[-1]
    current_start = today - rng.randint(20, 35) * DAY
    key = choices[0]
    placement, _ = Placement.objects.update_or_create(
        child=child,
        intervention=catalogue[key],
        defaults={
            "staff": runner,
            "frequency": text.FREQUENCY[key],
            "starts_on": current_start,
            "ends_on": current_start + rng.choice([10, 12]) * 7 * DAY,
            "entry_measure": text.MEASURES[key][0],
            "exit_measure": "",
            "home_support": text.CUSTOM_HOME.format(name=child.first_name) if i % 5 == 1 else "",
            "shared_at": None if i % 9 == 4 else _at(current_start, 17),
        },
    )
    placement.targets.set(targets[:1])
    if history_start is not None and len(choices) > 1:
        past = Placement.objects.update_or_create(
            child=child,
            intervention=catalogue[choices[1]],
            defaults={
                "staff": runner,
                "frequency": text.FREQUENCY[choices[1]],
                "starts_on": history_start + 14 * DAY,
                "ends_on": history_start + 14 * DAY + 12 * 7 * DAY,
                "entry_measure": text.MEASURES[choices[1]][0],
                "exit_measure": text.MEASURES[choices[1]][1],
                "home_support": "",
                "shared_at": _at(history_start + 14 * DAY, 17),
            },
        )[0]
        past.targets.set([])


def _observations(i, child, parent, targets, staff) -> None:
    if parent is None:
        return
    stories = text.FAMILY_OBSERVATIONS.get(i)
    if stories is None:
        if i not in text.OBSERVING_FAMILIES:
            return
        count = len(text.OBSERVATIONS)
        stories = [text.OBSERVATIONS[i % count], text.OBSERVATIONS[(i + 1) % count]]
    now = timezone.now()
    for days_ago, target_index, words, reply in stories:
        if target_index is not None and target_index < len(targets):
            target = targets[target_index]
        else:
            target = None
        if target is not None and target.shared_at is None:
            target = None
        observation, _ = HomeObservation.objects.update_or_create(
            child=child,
            author=parent,
            text=words.format(name=child.first_name),
            defaults={
                "target": target,
                "created_at": now - days_ago * DAY,
                "edited_at": None,
                "withdrawn_at": None,
            },
        )
        if reply:
            email, words = reply
            ObservationReply.objects.update_or_create(
                observation=observation,
                text=words.format(name=child.first_name),
                defaults={
                    "author": staff[email].user,
                    "created_at": now - (days_ago - 1) * DAY,
                },
            )


def _passport(rng, today, i, child, sendco, parent) -> None:
    if i % 6 == 5:
        return  # not every child has one yet
    versions = 1 + (i % 3) if i > 1 else 3 - i  # Ava: 3 versions, Noah: 2
    bank = text.PASSPORT_SUPPORT[text.NEED_BANK.get(child.primary_need, child.primary_need)]
    admire = rng.sample(text.ADMIRE, 3)
    important = rng.sample(text.IMPORTANT, 3)
    name = child.first_name
    current = None
    for number in range(1, versions + 1):
        created = today - (380 - 110 * number) * DAY if number < versions else today - 20 * DAY
        current, _ = PassportVersion.objects.update_or_create(
            child=child,
            number=number,
            defaults={
                "admire": text.ADMIRE_LINE.format(name=name, a=admire[0], b=admire[1])
                + (f" {text.ADMIRE_MORE.format(c=admire[2])}" if number > 1 else ""),
                "important": "\n".join(important[: 1 + number]),
                "support": "\n".join(bank[: 1 + min(number, len(bank) - 1)]).format(name=name),
                "created_by": sendco,
                "created_at": _at(created, 12),
                "from_proposal": None,
            },
        )
    if i == 1 and parent is not None and current is not None:
        proposal = PassportProposal.objects.filter(
            child=child, proposed_by=parent, status=PassportProposal.Status.PENDING
        ).first() or PassportProposal(child=child, proposed_by=parent)
        proposal.based_on = current
        proposal.admire = f"{current.admire} {text.NOAH_PROPOSAL['admire']}"
        proposal.important = f"{current.important}\n{text.NOAH_PROPOSAL['important']}"
        proposal.support = f"{current.support}\n{text.NOAH_PROPOSAL['support']}"
        proposal.note = text.NOAH_PROPOSAL["note"]
        proposal.created_at = timezone.now() - 2 * DAY
        proposal.save()

"""Praise for the demo school: its own values and a year of praise relative to today.

Most children are praised one to four times a week in term time by the adults who work
with them, none in the usual English school holidays; a third of the praise is about one
of the child's shared targets, and families have said thank you for some of it. Four
children have had no praise for over two weeks, so the SENDCo's "no praise in the last
two weeks" list and the contact radar have someone to show, and the demo parent's two
children were praised this week and last, so their feed and digest look real.

Fictional, the same on every run (a seeded random generator), and safe to run again: the
demo school's praise is replaced, never doubled. Rows are bulk-inserted directly, never
through the services, so the demo sends no email.
"""

import datetime
import random
import uuid
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils import timezone

from partnership.plans.models import Target
from partnership.schools.models import Child, FamilyLink, Membership, School

from . import demo_text as text
from .models import Praise, PraiseThanks, PraiseValue

DAY = datetime.timedelta(days=1)
WEEKS = 52
# ISO weeks of the usual English holidays, roughly: Christmas, February half-term,
# Easter, May half-term, the summer and October half-term.
HOLIDAY_WEEKS = {52, 53, 1, 8, 14, 15, 22, 30, 31, 32, 33, 34, 35, 44}
# By position in the demo school; never the demo parent's Ava and Noah (0 and 1).
UNPRAISED = (7, 13, 20, 27)
UNPRAISED_FOR_DAYS = 17  # comfortably more than the two weeks the SENDCo is shown
QUIET = {4, 11, 23}  # children adults praise less often than most
PER_WEEK = ([0, 1, 2, 3, 4], [1, 4, 4, 3, 2])
QUIET_PER_WEEK = ([0, 1, 2], [4, 4, 1])
TARGET_SHARE = 1 / 3
# Families who have said thank you lately; the newest praise is left for the demo parent
# to thank in the browser journey.
THANKS_WITHIN_WEEKS = 10
THANKS_DEMO_FAMILY = 0.5
THANKS_OTHERS = 0.15


def seed_praise(*, school: School, children: list[Child], staff: dict[str, Membership]) -> None:
    rng = random.Random(8)  # the same demo every time
    zone = ZoneInfo(school.time_zone)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    values = _values(school)
    Praise.objects.filter(school=school).delete()  # their thanks go with them
    targets = defaultdict(list)
    for target in Target.objects.filter(child__in=children, shared_at__isnull=False).order_by("pk"):
        targets[target.child_id].append(target)
    parents = defaultdict(list)
    for link in FamilyLink.objects.filter(child__in=children).order_by("pk"):
        parents[link.child_id].append(link.parent_id)
    this_monday = today - today.weekday() * DAY
    rows = []
    for weeks_ago in range(WEEKS, -1, -1):
        monday = this_monday - weeks_ago * 7 * DAY
        # The last two weeks are always term time, so the demo looks alive on any date.
        if weeks_ago > 1 and monday.isocalendar().week in HOLIDAY_WEEKS:
            continue
        school_days = [monday + n * DAY for n in range(5) if monday + n * DAY <= today]
        for i, child in enumerate(children):
            counts, weights = QUIET_PER_WEEK if i in QUIET else PER_WEEK
            count = rng.choices(counts, weights)[0]
            if i in (0, 1) and weeks_ago <= 1:
                count = max(count, 2 - weeks_ago)
            elif weeks_ago == 1:
                # Last week lies wholly inside the last two weeks: only the children meant
                # to be missed are, however the dice fell.
                count = max(count, 1)
            for _n in range(count):
                day = rng.choice(school_days) if school_days else today
                # Early in this week, only the days so far have had their share.
                if weeks_ago == 0 and i not in (0, 1) and rng.random() > len(school_days) / 5:
                    continue
                if i in UNPRAISED and (today - day).days < UNPRAISED_FOR_DAYS:
                    continue
                given_at = _when(rng, day, zone, now)
                rows.append(_praise(rng, school, child, values, targets[child.pk], staff, given_at))
    praise = Praise.objects.bulk_create(rows, batch_size=1000)
    _thanks(rng, praise, parents, now, demo_family={child.pk for child in children[:2]})


def _values(school: School) -> list[PraiseValue]:
    values = []
    for order, (name, description) in enumerate(text.VALUES):
        value, _ = PraiseValue.objects.update_or_create(
            school=school,
            name=name,
            defaults={"description": description, "order": order, "is_active": True},
        )
        values.append(value)
    return values


def _when(rng, day: datetime.date, zone: ZoneInfo, now: datetime.datetime) -> datetime.datetime:
    minutes = rng.randint(8 * 60 + 50, 15 * 60 + 20)  # the school day
    at = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=zone)
    if at > now:
        # Earlier today, but still today, so "this week" holds even just after midnight.
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        at = max(midnight, now - datetime.timedelta(minutes=rng.randint(5, 90)))
    return at


def _team(child: Child, staff: dict[str, Membership]) -> tuple[list, list[int]]:
    sendco = staff["sendco@example.org"].user
    if child.year_group == 4:
        team = [staff["teacher@example.org"].user, staff["ta@example.org"].user, sendco]
        return team, [5, 4, 1]
    if child.year_group >= 7:
        return [staff["teacher.y7@example.org"].user, sendco], [6, 1]
    return [sendco], [1]


def _praise(rng, school, child, values, targets, staff, given_at) -> Praise:
    team, weights = _team(child, staff)
    value = rng.choice(values)
    shared = [t for t in targets if t.shared_at <= given_at]
    target = rng.choice(shared) if shared and rng.random() < TARGET_SHARE else None
    notes = text.TARGET_NOTES if target and rng.random() < 0.5 else text.NOTES[value.name]
    return Praise(
        school=school,
        child=child,
        value=value,
        note=rng.choice(notes).format(name=child.first_name),
        target=target,
        given_by=rng.choices(team, weights)[0],
        given_at=given_at,
        batch=uuid.UUID(int=rng.getrandbits(128)),
    )


def _thanks(rng, praise: list[Praise], parents, now: datetime.datetime, demo_family) -> None:
    since = now - datetime.timedelta(weeks=THANKS_WITHIN_WEEKS)
    newest = now - datetime.timedelta(days=2)
    rows = []
    for item in praise:
        if not since <= item.given_at <= newest:
            continue
        for parent_id in parents.get(item.child_id, []):
            chance = THANKS_DEMO_FAMILY if item.child_id in demo_family else THANKS_OTHERS
            if rng.random() < chance:
                created = min(now, item.given_at + datetime.timedelta(hours=rng.randint(3, 30)))
                rows.append(
                    PraiseThanks(
                        praise=item,
                        parent_id=parent_id,
                        message=rng.choice(text.THANKS),
                        created_at=created,
                    )
                )
    PraiseThanks.objects.bulk_create(rows, batch_size=1000)

"""Contact for the demo school: each family's contact plan, six months of the contact log,
SENDCo meetings this school year, eight weeks of check-ins, key documents and two past
broadcasts.

Fictional, the same on every run (a seeded random generator), and safe to run again: rows
are found by stable keys, or by their position among a family's rows, and updated. Rows
are written directly, never through the services, so the demo sends no email. Dates
follow today, so the SENDCo's radar always shows families on track, due and overdue.
"""

import datetime
import math
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils import timezone

from partnership.schools.models import Child, FamilyLink, Membership, School

from . import demo_text as text
from .models import (
    FREQUENCY_DAYS,
    AgreedAction,
    Broadcast,
    BroadcastRecipient,
    CheckIn,
    CheckInFrequency,
    CheckInPreference,
    Confirmation,
    ContactEntry,
    ContactPlan,
    Frequency,
    HeardFromSchool,
    KeyDocument,
)
from .radar import school_year_start

DAY = datetime.timedelta(days=1)
# By the child's position in the demo school (0 and 1 are the demo parent's Ava and Noah,
# 2 the separated Clarke family). Half-termly contact only at primary, so secondary-age
# families get no less contact than primary ones.
FREQUENCY = {5: "daily", 12: "daily", 0: "weekly", 3: "weekly", 11: "weekly", 19: "weekly"}
FREQUENCY.update({26: "weekly", 6: "half_termly", 9: "half_termly", 24: "half_termly"})
OVERDUE = {4, 7, 13, 20, 27}  # contact has slipped: the radar has catching up to show
DUE = {8, 15, 22}
OFTEN = {0, 2, 3, 10, 16, 19}  # families in touch more than their plan asks
RARELY = {4, 7, 13, 20, 27, 29}
# SENDCo meetings this school year; anyone else has three or four.
MEETINGS = {0: 6, 2: 5, 3: 5, 10: 7, 16: 5, 19: 6, 26: 5}
MEETINGS.update({4: 1, 6: 1, 7: 1, 9: 1, 13: 2, 14: 2, 20: 1, 24: 2, 27: 2, 29: 0})
# Check-ins: two low ratings last week, one open call-back request (never the demo
# parent's family, so the browser journey starts clean), two families who have stopped
# answering, and families who chose fewer check-ins.
LOW_RATINGS = {3: 2, 18: 1}
CALL_BACK = 16
STOPPED_ANSWERING = {11, 23}
NO_CHECKINS = {9, 25}
FORTNIGHTLY_CHECKINS = {14, 28}
CONFIRMED = {0, 3, 10, 16, 19}
DISPUTED = 2  # the Clarke family's father remembers it differently
MAX_ENTRIES = 30


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_contact(*, school: School, children: list[Child], staff: dict[str, Membership]) -> None:
    rng = random.Random(5)  # the same demo every time
    today = timezone.localdate()
    families = defaultdict(list)
    for link in FamilyLink.objects.filter(child__in=children).select_related("parent"):
        families[link.child_id].append(link.parent)
    _plans(children, staff["sendco@example.org"].user)
    _log(rng, today, school, children, families, staff)
    _checkins(rng, today, school, children, families)
    _documents(school, today)
    _broadcasts(rng, school, children, families, staff["sendco@example.org"].user)


def _frequency(index: int) -> str:
    return FREQUENCY.get(index, Frequency.FORTNIGHTLY)


def _plans(children: list[Child], sendco) -> None:
    for i, child in enumerate(children):
        frequency = _frequency(i)
        ContactPlan.objects.update_or_create(
            child=child,
            defaults={
                "frequency": frequency,
                "sendco_meetings_target": 6,
                "notes": text.PLAN_NOTES[Frequency(frequency)],
                "updated_by": sendco,
            },
        )


def _log(rng, today, school, children, families, staff) -> None:
    now = timezone.now()
    sendco = staff["sendco@example.org"].user
    days_this_year = (today - school_year_start(today)).days
    existing = defaultdict(list)
    for entry in ContactEntry.objects.filter(school=school).prefetch_related("children"):
        if entry.channel != "check_in":
            existing[frozenset(child.pk for child in entry.children.all())].append(entry)
    for i, child in enumerate(children):
        interval = FREQUENCY_DAYS[Frequency(_frequency(i))]
        if i in OVERDUE:
            latest = math.ceil(interval * 1.5) + rng.randint(2, 10)
        elif i in DUE:
            latest = interval + rng.randint(0, max(0, interval // 2 - 1))
        else:
            latest = rng.randint(0, max(0, interval - 2))
        spacing = interval * (0.7 if i in OFTEN else 2.2 if i in RARELY else 1.0)
        count = min(MAX_ENTRIES, max(3, round(182 / spacing)))
        offsets, offset = [], latest
        for _n in range(count):
            offsets.append(offset)
            offset += max(1, round(spacing * rng.uniform(0.6, 1.4)))
        if child.year_group >= 7:
            team = [staff["teacher.y7@example.org"].user, sendco]
        else:
            team = [staff["teacher@example.org"].user, staff["ta@example.org"].user, sendco]
        rows = [_entry(rng, now, today, child, team, days, latest) for days in offsets]
        # The demo parent's two children share their SENDCo meetings; Noah's come with Ava's.
        if i != 1:
            meetings = MEETINGS.get(i, 3 + i % 2)
            first, last = max(latest, 1), max(latest + 1, days_this_year)
            step = (last - first) / max(1, meetings)
            days = [first + round(step * (n + 0.5)) for n in range(meetings)]
            group = children[:2] if i == 0 else [child]
            meeting_rows = [_meeting(rng, today, child, sendco, d) for d in days]
            _sync(school, group, families, meeting_rows, existing, rng, meeting=True)
        _sync(school, [child], families, rows, existing, rng, meeting=False)
    _confirmations(children, families)


def _entry(rng, now, today, child, team, days_ago: int, latest: int) -> dict:
    day = today - days_ago * DAY
    if days_ago > latest and day.weekday() >= 5:
        # School talks to families on school days; the latest contact stays put so the
        # family's place on the radar does not depend on the day of the week.
        day -= (day.weekday() - 4) * DAY
    happened = _at(day, rng.randint(8, 17), rng.choice([0, 15, 30, 45]))
    if happened > now:
        happened = now - rng.randint(20, 90) * datetime.timedelta(minutes=1)
    by_parent = rng.random() < 0.25
    summary = rng.choice(text.FROM_PARENT if by_parent else text.FROM_SCHOOL)
    return {
        "happened_at": happened,
        "channel": rng.choice(["phone", "phone", "email", "in_person", "text", "email"]),
        "started_by": "parent" if by_parent else "school",
        "summary": summary.format(name=child.first_name),
        "shared_with_family": rng.random() < 0.85,
        "author": rng.choice(team),
        "is_sendco_meeting": False,
        "created_at": happened + datetime.timedelta(minutes=10),
    }


def _meeting(rng, today, child, sendco, days_ago: int) -> dict:
    day = today - days_ago * DAY
    day -= max(0, day.weekday() - 4) * DAY  # on a school day
    happened = _at(day, rng.choice([9, 10, 14, 15]), 30)
    channel, summary = rng.choice(text.MEETINGS)
    return {
        "happened_at": happened,
        "channel": channel,
        "started_by": "school",
        "summary": summary.format(name=child.first_name),
        "shared_with_family": True,
        "author": sendco,
        "is_sendco_meeting": True,
        "created_at": happened + datetime.timedelta(hours=1),
    }


def _sync(school, group, families, rows, existing, rng, *, meeting: bool) -> None:
    """Make the family's entries match `rows`, by position among those of the same kind
    (SENDCo meeting or not) about the same children."""
    key = frozenset(child.pk for child in group)
    mine = sorted((e for e in existing[key] if e.is_sendco_meeting == meeting), key=lambda e: e.pk)
    parents = list({p.pk: p for child in group for p in families.get(child.pk, [])}.values())
    for n, fields in enumerate(rows):
        if n < len(mine):
            entry = mine[n]
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.save()
        else:
            entry = ContactEntry.objects.create(school=school, **fields)
            entry.children.set(group)
        # In a separated family, school speaks with each parent in turn.
        entry.parents.set(parents if len(parents) < 2 else [parents[n % len(parents)]])
        _actions(rng, entry, parents, with_actions=meeting or rng.random() < 0.35)


def _actions(rng, entry, parents, *, with_actions: bool) -> None:
    chosen = rng.sample(text.ACTIONS, rng.randint(1, 2)) if with_actions else []
    existing = list(entry.actions.order_by("pk"))
    for n, (description, who) in enumerate(chosen):
        due = entry.happened_at.date() + rng.randint(7, 21) * DAY
        if who == "family" and not parents:
            who = "staff"
        owner = entry.author if who == "staff" else parents[0] if who == "family" else None
        fields = {
            "description": description,
            "owner": owner,
            "owner_label": "" if who in ("staff", "family") else who,
            "due_on": due,
            "done_at": _at(due, 12) if due < timezone.localdate() and rng.random() < 0.7 else None,
        }
        if n < len(existing):
            AgreedAction.objects.filter(pk=existing[n].pk).update(**fields)
        else:
            AgreedAction.objects.create(entry=entry, **fields)
    AgreedAction.objects.filter(pk__in=[a.pk for a in existing[len(chosen) :]]).delete()


def _confirmations(children, families) -> None:
    for i in [*CONFIRMED, DISPUTED]:
        child = children[i]
        parents = families.get(child.pk, [])
        # The family's first logged entry that is shared with them (the latest contact),
        # found by position so a later run answers the same one.
        entry = (
            ContactEntry.objects.filter(
                children=child, shared_with_family=True, is_sendco_meeting=False
            )
            .exclude(channel="check_in")
            .order_by("pk")
            .first()
        )
        if entry is None or not parents:
            continue
        disputed = i == DISPUTED
        parent = parents[-1] if disputed else parents[0]
        Confirmation.objects.update_or_create(
            entry=entry,
            parent=parent,
            defaults={
                "answer": "disputed" if disputed else "confirmed",
                "note": text.DISPUTE_NOTE if disputed else text.CONFIRM_NOTES[i % 5],
                "answered_at": entry.happened_at + datetime.timedelta(hours=5),
            },
        )


def _checkins(rng, today, school, children, families) -> None:
    zone = ZoneInfo(school.time_zone)
    monday = today - today.weekday() * DAY
    seen = set()
    for i, child in enumerate(children):
        for parent in families.get(child.pk, []):
            if parent.pk in seen:
                continue
            seen.add(parent.pk)
            choice = CheckInFrequency.WEEKLY
            if i in NO_CHECKINS:
                choice = CheckInFrequency.NONE
            elif i in FORTNIGHTLY_CHECKINS:
                choice = CheckInFrequency.FORTNIGHTLY
            CheckInPreference.objects.update_or_create(
                parent=parent, school=school, defaults={"frequency": choice}
            )
            if choice == CheckInFrequency.NONE:
                continue
            # The eight weeks before this one: this week's belongs to the weekly send.
            for weeks_ago in range(1, 9):
                week_of = monday - 7 * weeks_ago * DAY
                if choice == CheckInFrequency.FORTNIGHTLY and week_of.isocalendar().week % 2:
                    continue
                day = week_of + school.checkin_weekday * DAY
                sent = datetime.datetime.combine(day, school.checkin_time, tzinfo=zone)
                fields = _answer(rng, i, child, weeks_ago, sent)
                CheckIn.objects.update_or_create(
                    parent=parent, school=school, week_of=week_of, defaults=fields
                )


def _answer(rng, i, child, weeks_ago, sent) -> dict:
    fields = dict(created_at=sent, answered_at=None, rating=None, message="", wants_call=False)
    fields.update(call_done_at=None, heard_from_school="")
    unanswered = rng.random() < 0.12 or (i in STOPPED_ANSWERING and weeks_ago <= 3)
    if unanswered and not (weeks_ago == 1 and (i == CALL_BACK or i in LOW_RATINGS)):
        return fields
    answered = min(timezone.now(), sent + rng.randint(1, 40) * datetime.timedelta(hours=1))
    fields.update(answered_at=answered, rating=rng.choice([3, 4, 4, 5, 5]))
    if rng.random() < 0.2:
        fields["message"] = rng.choice(text.CHECKIN_MESSAGES).format(name=child.first_name)
    if weeks_ago == 1 and i in LOW_RATINGS:
        rating = LOW_RATINGS[i]
        fields.update(rating=rating, message=text.LOW_RATING_MESSAGES[rating])
        fields["message"] = fields["message"].format(name=child.first_name)
    if weeks_ago == 1 and i == CALL_BACK:
        fields.update(rating=4, wants_call=True, message=text.CALL_BACK_MESSAGE)
    elif weeks_ago == 5 and i % 6 == 1:
        # Earlier call-backs, made the next day.
        fields.update(wants_call=True, call_done_at=answered + DAY)
    if rng.random() < 0.7:
        fields["heard_from_school"] = _heard(rng, i)
    return fields


def _heard(rng, i) -> str:
    """What the parent says: close to the school's log, but some hear less than school
    logged (the perception gap)."""
    bands = HeardFromSchool.values
    logged = {"daily": 4, "weekly": 3, "fortnightly": 2, "half_termly": 1}[_frequency(i)]
    if i in RARELY:
        logged = 1
    if i % 5 == 2:
        logged -= 1
    return bands[max(0, min(len(bands) - 1, logged + rng.choice([-1, 0, 0])))]


def _documents(school: School, today: datetime.date) -> None:
    for n, (title, summary, link) in enumerate(text.DOCUMENTS):
        KeyDocument.objects.update_or_create(
            school=school,
            title=title,
            is_current=True,
            defaults={
                "summary": summary,
                "link": link,
                "published_at": _at(today - (40 + 30 * n) * DAY, 9),
            },
        )


def _broadcasts(rng, school, children, families, sendco) -> None:
    today = timezone.localdate()
    for subject, body, audience, days_ago, year in text.BROADCASTS:
        sent = _at(today - days_ago * DAY, 16)
        broadcast = Broadcast.objects.filter(school=school, subject=subject).first()
        if broadcast is None:
            broadcast = Broadcast(school=school, subject=subject)
        broadcast.author, broadcast.body, broadcast.audience = sendco, body, audience
        broadcast.created_at = sent
        broadcast.save()
        parents = {
            p.pk: p
            for child in children
            if year == "all" or child.year_group == year
            for p in families.get(child.pk, [])
        }
        for parent in parents.values():
            opened = rng.random() < 0.6
            BroadcastRecipient.objects.update_or_create(
                broadcast=broadcast,
                parent=parent,
                defaults={"opened_at": sent + rng.randint(1, 72) * DAY / 24 if opened else None},
            )

"""The demo school's praise: a year of it, the same on every run, with someone missed."""

import datetime
import io
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count

from partnership.contact.radar import Reason, school_radar
from partnership.praise.demo import UNPRAISED, seed_praise
from partnership.praise.models import Praise, PraiseThanks, PraiseValue
from partnership.praise.selectors_school import (
    children_without_praise,
    school_today,
    unpraised_since,
)
from partnership.schools.models import Child, Membership, School


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return School.objects.get(slug="riverside")


def demo_children(school):
    return list(Child.objects.filter(school=school).order_by("mis_id"))


def test_the_demo_school_has_its_own_values_and_a_year_of_praise(demo):
    names = list(PraiseValue.objects.filter(school=demo).values_list("name", flat=True))
    assert names[:5] == ["Be kind", "Keep going", "Be curious", "Work together", "Speak up"]
    praise = Praise.objects.filter(school=demo)
    oldest = praise.order_by("given_at").first().given_at
    assert (school_today(demo) - oldest.date()).days > 330
    # Most children one to four times a week in term: thousands of rows, not dozens.
    assert praise.count() > 2000
    linked = praise.filter(target__isnull=False).count()
    assert 0.15 < linked / praise.count() < 0.4
    assert PraiseThanks.objects.filter(praise__school=demo).exists()
    assert not praise.filter(note__contains="{name}").exists()


def test_praise_comes_from_the_adults_who_work_with_the_child(demo):
    givers = set(
        Praise.objects.filter(school=demo).values_list("given_by__email", flat=True).distinct()
    )
    assert givers == {
        "teacher@example.org",
        "ta@example.org",
        "teacher.y7@example.org",
        "sendco@example.org",
    }


def test_no_praise_is_given_in_the_summer_holiday(demo):
    today = school_today(demo)
    summer = datetime.date(today.year if today.month > 8 else today.year - 1, 8, 10)
    week = Praise.objects.filter(
        school=demo,
        given_at__date__gte=summer - datetime.timedelta(days=summer.weekday()),
        given_at__date__lt=summer + datetime.timedelta(days=7 - summer.weekday()),
    )
    assert not week.exists()


def test_three_or_four_children_have_had_no_praise_for_two_weeks(demo):
    today = school_today(demo)
    since = unpraised_since(demo, today)
    children = demo_children(demo)
    unpraised = children_without_praise(school=demo, since=since)
    assert 3 <= len(unpraised) <= 4
    assert unpraised == {children[i].pk for i in UNPRAISED}
    flagged = {
        row.child.pk
        for row in school_radar(demo, today=today).rows
        if Reason.NO_RECENT_PRAISE in row.reasons
    }
    assert flagged == unpraised


def test_the_demo_parents_children_were_praised_this_week_and_last(demo):
    today = school_today(demo)
    zone = ZoneInfo(demo.time_zone)
    monday = today - datetime.timedelta(days=today.weekday())
    last_monday = monday - datetime.timedelta(days=7)
    for child in demo_children(demo)[:2]:
        days = {
            when.astimezone(zone).date()
            for when in Praise.objects.filter(child=child).values_list("given_at", flat=True)
        }
        assert any(monday <= day <= today for day in days)
        assert any(last_monday <= day < monday for day in days)


def test_seeding_again_replaces_the_praise_rather_than_doubling_it(demo):
    before = Praise.objects.filter(school=demo).count()
    values = PraiseValue.objects.filter(school=demo).count()
    notes = list(
        Praise.objects.filter(school=demo)
        .order_by("given_at", "child")
        .values_list("note", flat=True)[:50]
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert Praise.objects.filter(school=demo).count() == before
    assert PraiseValue.objects.filter(school=demo).count() == values
    again = list(
        Praise.objects.filter(school=demo)
        .order_by("given_at", "child")
        .values_list("note", flat=True)[:50]
    )
    assert again == notes  # the same demo every time
    per_praise = PraiseThanks.objects.values("praise", "parent").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in per_praise)


def test_seeding_praise_is_quick(demo):
    staff = {m.user.email: m for m in Membership.objects.filter(school=demo).select_related("user")}
    started = time.monotonic()
    seed_praise(school=demo, children=demo_children(demo), staff=staff)
    assert time.monotonic() - started < 3

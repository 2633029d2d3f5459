"""The governors' summary served from stored snapshots: what is stored is the summary and
nothing more, a fresh snapshot is served without re-reading the rows, a stale one is worked
out again, the scheduled job keeps every school and trust fresh, and access is decided
before any snapshot is read."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.contact.radar import school_today
from partnership.coproduction.models import SummarySnapshot
from partnership.coproduction.summary import store
from partnership.coproduction.summary.figures import school_summary, trust_summary
from partnership.coproduction.summary.shape import period_by_key, periods_for
from partnership.notifications import schedule
from partnership.schools.models import Trust
from tests.conftest import staff_member
from tests.factories import SchoolFactory, UserFactory, with_totp

from .summary_data import PERIOD, TODAY, build_small_school

pytestmark = pytest.mark.django_db

# Session and the user with their standing (2), the two-factor check (TOTP: 1), the
# school and the right to read its summary (2), the snapshot (1). None reads a child's row.
SNAPSHOT_PAGE_QUERIES = 6
# A trustee: session and the user with their standing (2), the trust's own two-factor
# check (TOTP: 1), the trust and the right to read it (2), the snapshot (1).
SNAPSHOT_TRUST_PAGE_QUERIES = 6


@pytest.fixture
def trust(school, other_school):
    trust = Trust.objects.create(name="Riverside Learning Trust", slug="rlt")
    for each in (school, other_school):
        each.trust = trust
        each.save()
    return trust


def _snapshot(**lookup) -> SummarySnapshot:
    return SummarySnapshot.objects.get(**lookup)


def _current_term(school):
    return periods_for(school_today(school))[0]


def _aggregate_queries(queries) -> list[str]:
    """Queries that read the rows a summary is worked out from."""
    tables = ("contact_contactentry", "praise_praise", "schools_child", "meetings_")
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def test_a_stored_summary_reads_back_equal(school, trust):
    build_small_school(school)
    for summary in (
        school_summary(school, PERIOD, today=TODAY),
        trust_summary(trust, PERIOD, today=TODAY),
    ):
        stored = json.loads(json.dumps(store.summary_to_json(summary)))
        assert store.summary_from_json(stored) == summary
        assert stored["generated_at"] == summary.generated_at.isoformat()
        assert stored["period"]["starts"] == "2026-09-01"


def test_a_fresh_snapshot_is_served_without_reading_the_rows(school, django_assert_num_queries):
    build_small_school(school)
    period = _current_term(school)
    today = school_today(school)
    first = store.summary_for_school(school, period, today)
    snapshot = _snapshot(school=school, period_key=period.key)
    assert snapshot.kind == "school" and snapshot.compute_ms >= 0
    assert snapshot.computed_at == first.generated_at
    with django_assert_num_queries(1):  # the snapshot, nothing else
        again = store.summary_for_school(school, period, today)
    assert again == first


def test_a_stale_snapshot_is_worked_out_again(school):
    build_small_school(school)
    period, today = _current_term(school), school_today(school)
    store.summary_for_school(school, period, today)
    # Mark what is stored, so serving it shows.
    snapshot = _snapshot(school=school, period_key=period.key)
    snapshot.summary["scope"] = "As stored"
    snapshot.save()
    now = timezone.now()
    assert store.summary_for_school(school, period, today, now=now).scope == "As stored"
    later = now + datetime.timedelta(minutes=61)
    assert store.summary_for_school(school, period, today, now=later).scope == "Riverside"
    snapshot.refresh_from_db()
    assert snapshot.summary["scope"] == "Riverside" and snapshot.computed_at > now


def test_a_past_period_is_kept_for_a_day(school):
    build_small_school(school)
    today = school_today(school)
    past = periods_for(today)[-1]  # last school year's, long ended
    store.summary_for_school(school, past, today)
    SummarySnapshot.objects.update(summary={**_snapshot(school=school).summary, "scope": "Kept"})
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    assert store.summary_for_school(school, past, today, now=now + 25 * hours).scope == "Kept"
    assert store.summary_for_school(school, past, today, now=now + 27 * hours).scope == "Riverside"


def test_an_unreadable_snapshot_is_worked_out_again(school):
    build_small_school(school)
    period, today = _current_term(school), school_today(school)
    store.summary_for_school(school, period, today)
    SummarySnapshot.objects.update(summary={"an": "older shape"})
    assert store.summary_for_school(school, period, today).scope == "Riverside"
    assert _snapshot(school=school).summary["scope"] == "Riverside"


@pytest.mark.parametrize("copies", [1, 10])
def test_a_page_from_a_snapshot_takes_a_fixed_number_of_queries(
    client, school, governor, copies, django_assert_num_queries
):
    for _n in range(copies):
        build_small_school(school)
    client.force_login(governor)
    first = client.get("/schools/riverside/summary/")  # works the figures out and stores them
    with django_assert_num_queries(SNAPSHOT_PAGE_QUERIES):
        response = client.get("/schools/riverside/summary/")
    assert f"Covers {6 * copies} families" in first.text
    assert f"Covers {6 * copies} families" in response.text


@pytest.mark.parametrize("copies", [1, 10])
def test_a_trust_page_from_a_snapshot_takes_a_fixed_number_of_queries(
    client, school, other_school, trust, copies, django_assert_num_queries
):
    trustee = with_totp(UserFactory())
    trust.trustees.add(trustee)
    for each in (school, other_school):
        for _n in range(copies):
            build_small_school(each)
    client.force_login(trustee)
    client.get("/trusts/rlt/summary/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/trusts/rlt/summary/")
    assert len(queries) == SNAPSHOT_TRUST_PAGE_QUERIES, [q["sql"] for q in queries]
    assert _aggregate_queries(queries) == []
    assert f"Covers {12 * copies} families" in response.text


def test_the_page_shows_the_newest_snapshot_not_an_earlier_rendering(client, school, governor):
    build_small_school(school)
    client.force_login(governor)
    assert "Contact with families" in client.get("/schools/riverside/summary/").text
    # As the job would: newer figures stored under a newer time.
    snapshot = _snapshot(school=school, period_key=_current_term(school).key)
    newer = snapshot.computed_at + datetime.timedelta(seconds=1)
    snapshot.summary["sections"][0]["title"] = "Contact, as refreshed"
    snapshot.summary["generated_at"] = newer.isoformat()
    snapshot.computed_at = newer
    snapshot.save()
    text = client.get("/schools/riverside/summary/").text
    assert "Contact, as refreshed" in text and "Contact with families" not in text


def test_the_page_says_when_its_figures_were_worked_out(client, school, governor):
    build_small_school(school)
    client.force_login(governor)
    text = client.get("/schools/riverside/summary/").text
    worked_out = timezone.localtime(_snapshot(school=school).computed_at).strftime("%H:%M")
    assert f"Figures worked out at {worked_out} today. They are updated every 15 minutes." in text
    past = periods_for(school_today(school))[-1]
    text = client.get(f"/schools/riverside/summary/?period={past.key}").text
    assert "They are updated every night." in text
    # The printed report and the governor's home say it too.
    assert "Figures worked out at" in client.get("/schools/riverside/summary/print/").text
    assert "Figures worked out at" in client.get("/governor/").text


def test_a_governor_never_reaches_another_schools_snapshot(client, school, other_school):
    build_small_school(other_school)
    store.summary_for_school(other_school, _current_term(other_school), school_today(other_school))
    governor = staff_member(school, "governor")
    client.force_login(governor)
    for url in (
        "/schools/hillside/summary/",
        "/schools/hillside/summary/print/",
        "/schools/hillside/summary.csv",
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 404
        # Refused before the store is asked: no snapshot read, nothing worked out.
        assert not [q for q in queries if "coproduction_summarysnapshot" in q["sql"]]
        assert "Hillside" not in response.text
    # Their own school's page is their own school's figures, not the other's snapshot.
    assert "How Riverside works with parents" in client.get("/schools/riverside/summary/").text


def test_a_governor_who_is_not_a_trustee_never_reaches_the_trust_snapshot(
    client, school, trust, governor
):
    store.summary_for_trust(trust, _current_term(school), school_today(school))
    client.force_login(governor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/trusts/rlt/summary/").status_code == 404
    assert not [q for q in queries if "coproduction_summarysnapshot" in q["sql"]]


def _current_keys(today) -> set[str]:
    return {p.key for p in periods_for(today) if store.is_current(p, today)}


def test_the_job_refreshes_every_school_and_trust_for_the_current_periods(
    school, other_school, trust
):
    lone = SchoolFactory(name="Brookside", slug="brookside")  # in no trust
    for each in (school, other_school, lone):
        build_small_school(each)
    now = timezone.now()
    current = _current_keys(school_today(school))
    assert len(current) == 2  # this term and this school year
    assert store.snapshots_refresh(now=now) == 4 * len(current)
    owners = {
        (row.kind, row.school_id or row.trust_id, row.period_key)
        for row in SummarySnapshot.objects.all()
    }
    expected = {
        ("school", each.pk, key) for each in (school, other_school, lone) for key in current
    }
    expected |= {("trust", trust.pk, key) for key in current}
    assert owners == expected
    # Run again at once: nothing is due, nothing changes.
    times = dict(SummarySnapshot.objects.values_list("pk", "computed_at"))
    assert store.snapshots_refresh(now=now) == 0
    assert dict(SummarySnapshot.objects.values_list("pk", "computed_at")) == times
    # A tick later, every current one is worked out again.
    assert store.snapshots_refresh(now=now + datetime.timedelta(minutes=15)) == 8


def test_the_job_recomputes_past_periods_once_a_night(school):
    build_small_school(school)
    today = school_today(school)
    past = periods_for(today)[-1]
    store.summary_for_school(school, past, today)
    # Viewed yesterday afternoon: the first tick after last night's 02:00 works it out
    # again, and later ticks leave it be until the next night.
    viewed = timezone.now() - datetime.timedelta(hours=30)
    SummarySnapshot.objects.update(computed_at=viewed)
    now = timezone.now()
    assert store.last_night(now) > viewed
    store.snapshots_refresh(now=now)
    refreshed = _snapshot(period_key=past.key).computed_at
    assert refreshed >= now
    store.snapshots_refresh(now=now + datetime.timedelta(minutes=15))
    assert _snapshot(period_key=past.key).computed_at == refreshed


def test_the_tick_rings_for_the_refresh(school, django_capture_on_commit_callbacks):
    build_small_school(school)
    with django_capture_on_commit_callbacks(execute=True):
        written = schedule.tick(now=timezone.now())
    assert written["summary-snapshots"] == 0  # it sends nothing itself
    keys = set(SummarySnapshot.objects.values_list("period_key", flat=True))
    assert keys == _current_keys(school_today(school))


def test_a_snapshot_of_a_period_no_longer_offered_is_removed(school):
    build_small_school(school)
    old = period_by_key("2026-27-autumn", TODAY)
    SummarySnapshot.objects.create(
        kind="school",
        school=school,
        period_key="2019-20",
        computed_at=timezone.now(),
        summary=store.summary_to_json(school_summary(school, old, today=TODAY)),
        compute_ms=1,
    )
    store.snapshots_refresh(now=timezone.now())
    assert not SummarySnapshot.objects.filter(period_key="2019-20").exists()

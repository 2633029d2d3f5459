"""The trust-scale data set, built small: in proportion, reproducible, skewed like real
families, usable (people sign in, pages answer) and quiet (nothing due this week)."""

import datetime
import hashlib
import io
import statistics
from collections import Counter

import pyotp
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import User
from partnership.contact.checkin_schedule import checkins_write, parents_due
from partnership.contact.models import CheckIn, ContactEntry
from partnership.meetings.models import GroupSession, Slot
from partnership.notifications.models import OutboxMessage
from partnership.plans.models import Target
from partnership.praise.models import Praise
from partnership.scale.seeding.removal import remove_scale_set
from partnership.schools.models import Child, FamilyLink, School
from tests.factories import FamilyLinkFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db
SMALL = ("--schools", "2", "--children-per-school", "16", "--years", "1")

BENCH_PARENT = "parent.01.0001@scale.example.org"
PASSWORD = "scale-partnership"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def small(*extra: str) -> str:
    return seed(*SMALL, *extra)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One small set for the whole module (committed, then removed): building costs
    seconds, and most tests only read it. Tests that rebuild do so inside their own
    transaction, which is rolled back."""
    # The tests' fast hasher (conftest's is per test and comes too late for this build).
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        out = small()
        yield out
        remove_scale_set()


def checksum() -> str:
    """A fingerprint of the data, by content rather than ids."""
    rows = [
        *Child.objects.order_by("mis_id").values_list("mis_id", "first_name", "year_group"),
        *Praise.objects.order_by("given_at", "child__mis_id", "note").values_list(
            "child__mis_id", "note", "given_at", "batch"
        ),
        *ContactEntry.objects.order_by("happened_at", "summary").values_list(
            "happened_at", "channel", "summary"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_a_small_build_is_in_proportion(built):
    out = built

    assert "Scale data set built" in out and "praise_praise" in out
    assert sorted(School.objects.values_list("slug", flat=True)) == ["scale-01", "scale-02"]
    children = Child.objects.count()
    parents = User.objects.filter(email__startswith="parent.").count()
    assert children == 32
    assert 1.3 <= parents / children <= 1.8  # about 1.55 in the full set
    assert User.objects.filter(email="sendco.02@scale.example.org").exists()
    assert User.objects.filter(email="teacher.01.03@scale.example.org").exists()
    # Per child and school year, as the full set: ~170 praise, ~55 contacts, ~3 targets.
    praise = Praise.objects.count() / children
    contacts = ContactEntry.objects.count() / children
    assert 110 <= praise <= 260, praise
    assert 30 <= contacts <= 100, contacts
    assert 1 <= Target.objects.count() / children <= 8
    assert praise > 2 * contacts


def test_the_same_seed_gives_the_same_data(built):
    first = checksum()
    small()  # replaces the set it finds
    assert School.objects.filter(slug__startswith="scale-").count() == 2
    assert Praise.objects.count() > 1000
    assert checksum() == first


def test_some_families_hear_from_school_far_more_often_than_most(built):
    per_parent = Counter(
        ContactEntry.parents.through.objects.values_list("user_id", flat=True)
    ).values()
    assert max(per_parent) >= 4 * statistics.median(per_parent)


def test_parents_and_staff_sign_in_and_the_bench_parent_sees_her_two_children(built, client):
    answer = client.post(reverse("account_login"), {"login": BENCH_PARENT, "password": PASSWORD})
    assert answer.status_code == 302
    page = client.get(reverse("home"), follow=True)
    assert page.status_code == 200
    names = Child.objects.filter(family_links__parent__email=BENCH_PARENT).values_list(
        "first_name", flat=True
    )
    assert len(names) == 2
    for name in names:
        assert name in page.content.decode()

    client.logout()
    answer = client.post(
        reverse("account_login"),
        {"login": "sendco.01@scale.example.org", "password": PASSWORD},
    )
    assert answer.status_code == 302 and "2fa" in answer["Location"]
    answer = client.post(answer["Location"], {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert answer.status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_the_bench_family_has_shared_targets_and_praise_this_week(built):
    children = Child.objects.filter(family_links__parent__email=BENCH_PARENT)
    shared = Target.objects.filter(child__in=children, shared_at__isnull=False)
    assert shared.exclude(how_to_help_at_home="").count() >= 6
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert Praise.objects.filter(child__in=children, given_at__gte=week_ago).count() >= 4


def test_nothing_is_due_or_sent_this_week_but_every_child_has_recent_praise(built):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    assert not CheckIn.objects.filter(week_of__gte=monday).exists()
    assert not OutboxMessage.objects.exists()
    assert CheckIn.objects.filter(week_of__lt=monday).exists()
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert not Child.objects.exclude(praise__given_at__gte=week_ago).exists()

    # The scheduled job's check-ins for this week all go out: the seed took none of them.
    school = School.objects.get(slug="scale-01")
    due = parents_due(school, monday)
    assert due
    assert checkins_write(school=school, week_of=monday) == len(due)
    assert CheckIn.objects.filter(week_of=monday).count() == len(due)


def test_if_missing_does_nothing_the_second_time(built):
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    out = small("--if-missing")
    assert "already built" in out
    assert list(User.objects.order_by("pk").values_list("pk", flat=True)) == users


def test_if_missing_builds_when_the_options_differ(built):
    require_postgres()  # the options are kept as a comment on PostgreSQL's table
    out = seed("--schools", "1", "--children-per-school", "4", "--years", "1", "--if-missing")
    assert "Scale data set built" in out
    assert School.objects.filter(slug__startswith="scale-").count() == 1


def test_the_database_rules_hold_on_postgresql(built):
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'slot_no_overlap_per_host'"
        )
        assert cursor.fetchone()[0] == 1  # the exclusion constraint was kept during COPY
    assert Slot.objects.count() > 0
    sessions = GroupSession.objects.annotate(
        confirmed=Count("places", filter=Q(places__status="confirmed"))
    )
    assert sessions.exists()
    assert all(session.confirmed_count == session.confirmed for session in sessions)
    # New rows after the seed get fresh ids: the sequences were moved past the block.
    extra = User.objects.create_user("after@example.test")
    assert extra.pk > User.objects.exclude(pk=extra.pk).order_by("-pk").first().pk
    assert FamilyLink.objects.filter(parent__email=BENCH_PARENT).count() == 2


def test_every_foreign_key_of_the_built_set_holds(built):
    """The big build skips PostgreSQL's per-row foreign-key triggers (as pg_restore can);
    this is the check that every reference it made points at a row."""
    broken = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model is None:
                    continue
                parent = field.related_model._meta
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" t WHERE t."{field.column}" IS NOT NULL '  # noqa: S608
                    f'AND NOT EXISTS (SELECT 1 FROM "{parent.db_table}" p '
                    f'WHERE p."{field.target_field.column}" = t."{field.column}")'
                )
                if cursor.fetchone()[0]:
                    broken.append(f"{table}.{field.column}")
    assert broken == []


def test_a_rebuild_removes_the_old_set_and_nothing_else(built):
    other = FamilyLinkFactory(child__school__slug="riverside", parent__email="mum@example.test")
    seed("--schools", "1", "--children-per-school", "4", "--years", "1")
    assert list(
        School.objects.filter(slug__startswith="scale-").values_list("slug", flat=True)
    ) == ["scale-01"]
    assert Child.objects.filter(school__slug__startswith="scale-").count() == 4
    assert not User.objects.filter(email="parent.02.0001@scale.example.org").exists()
    assert FamilyLink.objects.filter(pk=other.pk, parent__email="mum@example.test").exists()

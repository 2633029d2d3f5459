"""The weekly sends through a real worker on Redis into an SMTP sink, on a small trust:
every parent gets one check-in and (if praised) one digest, once; a re-run sends nothing.

The families are bulk-written in the scale data set's shape (schools scale-NN, parents
parent.NN.MMMM@scale.example.org, some with two children, some children with two
parents), then the benchmark's own measurement runs on them.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from partnership.accounts.models import User
from partnership.contact.models import CheckIn
from partnership.notifications.models import OutboxMessage
from partnership.praise.digest import digest_window
from partnership.praise.models import Praise, PraiseValue
from partnership.scale.bench import sends
from partnership.schools.models import Child, FamilyLink, School, Trust
from tests.services import own_redis_db, redis_url, require_postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),  # the worker only sees committed rows
]

NOW = timezone.now


def build_trust(*, schools: int, children_per_school: int, now: datetime) -> None:
    """Schools scale-01... with ~1.55 parents a child, and praise in the digest week due
    at the trigger moment for all but every seventh child."""
    trust = Trust.objects.create(name="Northfield Schools Trust", slug="scale-trust")
    all_day = {"sending_from": time(0, 0), "sending_until": time(23, 59, 59, 999999)}
    made = School.objects.bulk_create(
        School(trust=trust, name=f"Scale School {n:02d}", slug=f"scale-{n:02d}", **all_day)
        for n in range(1, schools + 1)
    )
    digest_at = sends.trigger_moments(made, now)["praise-digest"]
    for number, school in enumerate(made, start=1):
        _families(school, number, children_per_school, digest_window(school, digest_at)[0])


def _families(school: School, number: int, children: int, week_starts: datetime) -> None:
    kids = Child.objects.bulk_create(
        Child(
            school=school,
            first_name=f"Child{n:03d}",
            last_name="Scale",
            date_of_birth=date(2016, 5, 4),
            year_group=4,
            send_status="sen_support",
            primary_need="SLCN",
            mis_id=f"S{number:02d}{n:04d}",
        )
        for n in range(children)
    )
    parents: list[User] = []
    links: list[tuple[int, int]] = []  # (index in parents, child id)
    for n, child in enumerate(kids):
        if n % 10 == 9:  # a brother or sister of the child before: same parent
            links.append((len(parents) - 1, child.pk))
            continue
        parents.append(User(email=f"parent.{number:02d}.{len(parents) + 1:04d}@scale.example.org"))
        links.append((len(parents) - 1, child.pk))
        if n % 5 < 3:  # a second parent or carer
            parents.append(
                User(email=f"parent.{number:02d}.{len(parents) + 1:04d}@scale.example.org")
            )
            links.append((len(parents) - 1, child.pk))
    for parent in parents:
        parent.full_name = f"Parent {parent.email.split('@')[0][-4:]}"
        parent.set_unusable_password()
    parents = User.objects.bulk_create(parents)
    FamilyLink.objects.bulk_create(
        FamilyLink(parent=parents[index], child_id=child_id, relationship="carer")
        for index, child_id in links
    )
    value = PraiseValue.objects.create(school=school, name="Kindness")
    Praise.objects.bulk_create(
        Praise(
            school=school,
            child=child,
            value=value,
            note="Helped a friend",
            given_at=week_starts + timedelta(hours=n % 48 + 1),
        )
        for n, child in enumerate(kids)
        if n % 7
    )


def expected_messages() -> Counter:
    """(email, kind) of every message the week should send, worked out apart from the jobs:
    a check-in per parent per school, a digest per parent of a praised child."""
    expected: Counter = Counter()
    for school in School.objects.filter(slug__startswith="scale-"):
        parents = User.objects.filter(family_links__child__school=school).distinct()
        expected.update((email, "checkin") for email in parents.values_list("email", flat=True))
        praised = parents.filter(family_links__child__praise__isnull=False).distinct()
        expected.update(
            (email, "praise_digest") for email in praised.values_list("email", flat=True)
        )
    return expected


def test_the_week_reaches_each_parent_once_through_the_worker_and_a_rerun_sends_nothing():
    require_postgres()
    broker = _db(redis_url())
    build_trust(schools=2, children_per_school=65, now=NOW())
    expected = expected_messages()
    assert 180 <= sum(1 for _, kind in expected if kind == "checkin") <= 240

    result = sends.measure(
        {"quiet": True, "sends_broker": broker, "sends_timeout": 30, "sends_keep_rows": True}
    )

    assert result.finished
    assert result.received == result.written == sum(expected.values())
    received = Counter(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).values_list(
            "to_email", "kind"
        )
    )
    assert received == expected
    assert result.duplicates == 0
    assert (result.rerun_received, result.rerun_written) == (0, 0)
    assert CheckIn.objects.count() == sum(1 for _, kind in expected if kind == "checkin")
    assert result.wall_seconds < 30


def _db(url: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{own_redis_db('sends benchmark broker')}"

"""The demo school's support requests and parent group: demand led by managing behaviour,
one family offered the behaviour workshop, a group of eight with family05 as its
representative, the same rows on every run and no email sent."""

import io

import pytest
from django.core.management import call_command

from partnership.coproduction.demo_support import seed_support
from partnership.coproduction.models import ParentGroupMember, SupportRequest
from partnership.coproduction.selectors_support import demand_by_topic
from partnership.meetings.demo import seed_meetings
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import Child, Membership, School


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    school = School.objects.get(slug="riverside")
    children = list(Child.objects.filter(school=school).order_by("mis_id"))
    staff = {
        m.user.email: m for m in Membership.objects.filter(school=school).select_related("user")
    }
    seed_meetings(school=school, children=children, staff=staff)
    return school, children, staff


def test_seed_support(demo):
    school, children, staff = demo
    outbox_before = OutboxMessage.objects.count()
    seed_support(school=school, children=children, staff=staff)
    seed_support(school=school, children=children, staff=staff)
    requests = SupportRequest.objects.filter(school=school)
    assert 12 <= requests.count() <= 15
    rows = demand_by_topic(school)
    assert rows[0].topic == "behaviour" and rows[0].families >= 4
    offered = requests.get(status="offered")
    assert offered.session.topic == "behaviour" and offered.parent.email == "parent@example.org"
    members = ParentGroupMember.objects.filter(school=school)
    assert members.count() == 8
    assert members.filter(parent__email="parent@example.org").exists()
    assert list(members.filter(is_representative=True).values_list("parent__email", flat=True)) == [
        "family05@example.org"
    ]
    assert OutboxMessage.objects.count() == outbox_before

"""The governor's home: one school's current summary right there; several schools, a
list; trustees, a way to the trust summary."""

import pytest

from partnership.coproduction.demo_trust import seed_trust
from partnership.coproduction.summary_access import schools_with_summary, trusts_with_summary
from partnership.coproduction.views import summary as summary_views
from partnership.schools.models import Trust
from tests.conftest import staff_member
from tests.factories import MembershipFactory, UserFactory
from tests.factories_coproduction import ParentGroupMemberFactory

from .summary_samples import sample_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hand_built_figures(monkeypatch):
    monkeypatch.setattr(
        summary_views,
        "build_school_summary",
        lambda school, period, today: sample_summary(school.name, period),
    )


def test_a_governor_of_one_school_sees_its_summary_on_their_home(client, school, governor):
    client.force_login(governor)
    text = client.get("/governor/").text
    assert "How Riverside works with parents" in text
    assert "Contact with families" in text and 'role="img"' in text
    assert 'action="/schools/riverside/summary/"' in text  # switch period
    assert "/schools/riverside/summary/print/?period=" in text
    assert "/schools/riverside/summary.csv?period=" in text


def test_a_governor_of_several_schools_chooses_one(client, school, other_school, governor):
    MembershipFactory(user=governor, school=other_school, role="governor")
    client.force_login(governor)
    text = client.get("/governor/").text
    assert 'href="/schools/riverside/summary/"' in text
    assert 'href="/schools/hillside/summary/"' in text
    assert "Contact with families" not in text


def test_a_trustee_is_offered_the_trust_summary(client, school, governor):
    trust = Trust.objects.create(name="Riverside Learning Trust", slug="rlt")
    trust.trustees.add(governor)
    client.force_login(governor)
    assert 'href="/trusts/rlt/summary/"' in client.get("/governor/").text


def test_a_trustee_who_governs_no_school_still_has_a_home(client):
    trust = Trust.objects.create(name="Riverside Learning Trust", slug="rlt")
    trustee = UserFactory()
    trust.trustees.add(trustee)
    client.force_login(trustee)
    response = client.get("/governor/")
    assert response.status_code == 200
    assert 'href="/trusts/rlt/summary/"' in response.text


def test_everyone_else_gets_404(client, school, sendco, parent):
    for user in (sendco, parent):
        client.force_login(user)
        assert client.get("/governor/").status_code == 404


def test_summary_access_lists(school, other_school, parent):
    governor = staff_member(school, "governor")
    sendco = staff_member(other_school, "sendco")
    ParentGroupMemberFactory(school=other_school, parent=parent, is_representative=True)
    teacher = staff_member(school, "teacher")
    assert list(schools_with_summary(governor)) == [school]
    assert list(schools_with_summary(sendco)) == [other_school]
    assert list(schools_with_summary(parent)) == [other_school]
    assert list(schools_with_summary(teacher)) == []
    assert list(trusts_with_summary(governor)) == []


def test_seed_trust_is_idempotent(school):
    governor = UserFactory(email="governor@example.org")
    first = seed_trust(school=school)
    second = seed_trust(school=school)
    assert first.pk == second.pk
    assert Trust.objects.count() == 1
    school.refresh_from_db()
    assert school.trust == first and first.name == "Riverside Learning Trust"
    assert list(first.trustees.all()) == [governor]

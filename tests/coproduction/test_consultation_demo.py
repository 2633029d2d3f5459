"""The demo school's consultations: one published with most families' answers, one open
that the demo parent has not answered yet, one draft; the same on every run, no email."""

import io
import time

import pytest
from django.core.management import call_command

from partnership.coproduction.demo_consultations import seed_consultations
from partnership.coproduction.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationResponse,
)
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
    seed_consultations(school=school, children=children, staff=staff)
    return school, children, staff


def snapshot(school):
    return {
        "consultations": sorted(
            Consultation.objects.filter(school=school).values_list("pk", "title", "status")
        ),
        "invites": ConsultationInvite.objects.filter(consultation__school=school).count(),
        "responses": sorted(
            ConsultationResponse.objects.filter(consultation__school=school).values_list(
                "parent__email", "comment"
            )
        ),
        "answers": sorted(
            ConsultationAnswer.objects.filter(question__consultation__school=school).values_list(
                "response__parent__email", "question__text", "choice"
            )
        ),
    }


def test_one_published_one_open_and_one_draft(demo):
    school, _children, _staff = demo
    by_status = {c.status: c for c in Consultation.objects.filter(school=school)}
    assert set(by_status) == {"published", "open", "draft"}
    published, current = by_status["published"], by_status["open"]
    asked, answered = published.invites.count(), published.responses.count()
    assert answered > asked * 0.7
    assert f"{answered} of {asked} families answered" in published.you_said
    assert published.we_did and published.not_changed
    assert current.is_open
    assert current.invites.filter(parent__email="parent@example.org").exists()
    assert not current.responses.filter(parent__email="parent@example.org").exists()
    assert current.responses.exists()
    assert not by_status["draft"].invites.exists()
    assert not OutboxMessage.objects.filter(kind__startswith="consultation").exists()


def test_running_it_again_changes_nothing_and_is_fast(demo):
    school, children, staff = demo
    before = snapshot(school)
    started = time.monotonic()
    seed_consultations(school=school, children=children, staff=staff)
    assert time.monotonic() - started < 2
    assert snapshot(school) == before

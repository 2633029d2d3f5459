"""The pupil passport's versions and the family's proposals: the rules and the emails."""

import threading

import pytest
from django.core import mail
from django.db import connection

from partnership.notifications.models import OutboxMessage
from partnership.plans.models import PassportProposal, PassportVersion
from partnership.plans.services.passports import (
    PassportRefused,
    passport_current,
    passport_propose,
    passport_write,
    proposal_accept,
    proposal_decline,
)
from tests.conftest import staff_member
from tests.factories import KeyContactFactory
from tests.factories_plans import PassportVersionFactory
from tests.services import require_postgres

FAMILY_TEXT = "Loves the trains at Crewe station"


def sections(tag=""):
    return {
        "admire": f"Kind and funny {tag}",
        "important": f"{FAMILY_TEXT} {tag}",
        "support": f"Warn him before a change {tag}",
    }


@pytest.fixture
def first_version(child, sendco):
    return passport_write(child=child, by=sendco, **sections("v1"))


def test_staff_write_the_first_version_then_the_next_keeping_the_first(child, sendco):
    one = passport_write(child=child, by=sendco, **sections("v1"))
    two = passport_write(child=child, by=sendco, **sections("v2"))
    assert (one.number, two.number) == (1, 2)
    assert passport_current(child) == two
    one.refresh_from_db()
    assert one.admire == "Kind and funny v1"  # earlier versions are never overwritten
    assert two.created_by == sendco


def test_each_child_counts_its_own_versions(child, school, sendco):
    from tests.factories import ChildFactory

    passport_write(child=child, by=sendco, **sections())
    other = passport_write(child=ChildFactory(school=school), by=sendco, **sections())
    assert other.number == 1


def test_a_passport_with_an_empty_part_is_refused(child, sendco):
    with pytest.raises(PassportRefused, match="all three parts"):
        passport_write(child=child, by=sendco, admire="x", important="  ", support="y")
    assert not PassportVersion.objects.exists()


def test_parent_proposes_on_top_of_the_current_version(child, parent, first_version, sendco):
    proposal = passport_propose(child=child, by=parent, note="New hobby", **sections("p"))
    assert proposal.based_on == first_version
    assert proposal.status == PassportProposal.Status.PENDING
    assert passport_current(child) == first_version  # nothing changes until school accepts


def test_accepting_makes_version_n_plus_1_and_keeps_n(child, parent, first_version, teacher):
    proposal = passport_propose(child=child, by=parent, **sections("family"))
    version = proposal_accept(proposal=proposal, by=teacher)
    assert version.number == 2
    assert version.from_proposal == proposal
    assert version.important == f"{FAMILY_TEXT} family"
    assert version.created_by == teacher
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.ACCEPTED
    assert proposal.decided_by == teacher and proposal.decided_at is not None
    assert list(child.passport_versions.values_list("number", flat=True)) == [2, 1]


def test_accepting_when_there_is_no_passport_yet_makes_version_1(child, parent, sendco):
    proposal = passport_propose(child=child, by=parent, **sections())
    assert proposal.based_on is None
    assert proposal_accept(proposal=proposal, by=sendco).number == 1


def test_accepting_twice_is_refused_and_makes_one_version(child, parent, sendco):
    proposal = passport_propose(child=child, by=parent, **sections())
    stale_copy = PassportProposal.objects.get(pk=proposal.pk)
    proposal_accept(proposal=proposal, by=sendco)
    with pytest.raises(PassportRefused, match="already been decided"):
        proposal_accept(proposal=stale_copy, by=sendco)
    assert PassportVersion.objects.count() == 1


def test_two_proposals_accepted_one_after_the_other_get_consecutive_numbers(
    child, parent, sendco, first_version
):
    a = passport_propose(child=child, by=parent, **sections("a"))
    b = passport_propose(child=child, by=parent, **sections("b"))
    assert proposal_accept(proposal=a, by=sendco).number == 2
    assert proposal_accept(proposal=b, by=sendco).number == 3


def test_declining_records_the_note_and_changes_no_version(child, parent, sendco, first_version):
    proposal = passport_propose(child=child, by=parent, **sections("p"))
    proposal_decline(proposal=proposal, by=sendco, note="  Let's talk at parents' evening ")
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.DECLINED
    assert proposal.decision_note == "Let's talk at parents' evening"
    assert proposal.decided_by == sendco
    assert passport_current(child) == first_version
    with pytest.raises(PassportRefused):
        proposal_accept(proposal=proposal, by=sendco)


def test_declining_without_a_note_to_the_family_is_refused(child, parent, sendco):
    proposal = passport_propose(child=child, by=parent, **sections())
    with pytest.raises(PassportRefused, match="note to the family"):
        proposal_decline(proposal=proposal, by=sendco, note=" ")
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.PENDING


def test_the_database_refuses_a_second_version_with_the_same_number(child):
    from django.db import IntegrityError

    PassportVersionFactory(child=child, number=1)
    with pytest.raises(IntegrityError):
        PassportVersionFactory(child=child, number=1)


def test_a_proposal_emails_each_key_contact_once_without_what_the_family_wrote(
    child, parent, school, django_capture_on_commit_callbacks, settings
):
    teacher = staff_member(school, "teacher", "class.teacher@example.test")
    KeyContactFactory(child=child, membership=teacher.memberships.get())
    staff_member(school, "sendco", "sendco@example.test")  # key contacts come first
    with django_capture_on_commit_callbacks(execute=True):
        proposal = passport_propose(child=child, by=parent, note="Private note", **sections())
    [message] = mail.outbox
    assert message.to == ["class.teacher@example.test"]
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert FAMILY_TEXT not in text and "Private note" not in text
        assert child.last_name not in text
    assert "Ava" in message.subject
    assert f"{settings.SITE_URL}/children/{child.pk}/passport/" in message.body
    row = OutboxMessage.objects.get()
    assert (row.key, row.kind) == (
        f"passport-proposed:{proposal.pk}:{teacher.pk}",
        "passport_proposed",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_proposals_accepted_at_the_same_moment_get_different_numbers():
    require_postgres()
    from tests.factories import ChildFactory, UserFactory

    child, parent, staff = ChildFactory(), UserFactory(), UserFactory()
    PassportVersionFactory(child=child, number=1)
    proposals = [passport_propose(child=child, by=parent, **sections(str(n))) for n in range(6)]
    start = threading.Barrier(len(proposals))
    failures: list[Exception] = []

    def accept(proposal) -> None:
        try:
            start.wait()
            proposal_accept(proposal=proposal, by=staff)
        except Exception as exc:  # an IntegrityError here is the bug this test is about
            failures.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert failures == []
    assert sorted(child.passport_versions.values_list("number", flat=True)) == list(range(1, 8))

"""The weekly praise digest: who gets one, what it says, which week it covers, never twice."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from partnership.praise import digest
from tests.factories import ChildFactory, FamilyLinkFactory, SchoolFactory, UserFactory
from tests.factories_plans import TargetFactory
from tests.factories_praise import PraiseFactory, PraiseValueFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# Saturday 28 November 2026, 09:30 (ISO week 48): the default digest moment. Its week runs
# from Saturday 21 November 09:30.
MOMENT = london(2026, 11, 28, 9, 30)
IN_THE_WEEK = london(2026, 11, 25, 11, 0)


def family(school, first_name="Ava", parent=None, **parent_fields):
    child = ChildFactory(school=school, first_name=first_name)
    extra = {"parent": parent} if parent is not None else {}
    extra.update({f"parent__{name}": value for name, value in parent_fields.items()})
    link = FamilyLinkFactory(child=child, **extra)
    return link.parent, child


def praise(child, when=IN_THE_WEEK, **fields):
    return PraiseFactory(child=child, given_at=when, **fields)


def digested() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(kind="praise_digest").values_list("to_email", flat=True)
    )


def sent_digest(django_capture_on_commit_callbacks, now=MOMENT):
    with django_capture_on_commit_callbacks(execute=True):
        digest.job(now)
    return [email for email in mail.outbox if email.subject.startswith("Praise for")]


# --- who gets one ----------------------------------------------------------------------


def test_each_parent_whose_child_was_praised_gets_one_digest_under_a_weekly_key(school):
    amira, ava = family(school, parent=UserFactory(email="amira@example.test"))
    _ben, _bea = family(school, "Bea", parent=UserFactory(email="ben@example.test"))
    praise(ava)

    assert digest.job(MOMENT) == 1

    assert digested() == ["amira@example.test"]  # Bea had no praise: nothing for Ben
    message = OutboxMessage.objects.get(kind="praise_digest")
    assert message.key == f"praise-digest:{amira.pk}:{school.pk}:2026-W48"
    assert message.recipient == amira


def test_two_parents_of_one_child_get_the_same_digest_but_for_their_names(
    school, django_capture_on_commit_callbacks, caplog
):
    # Rendered once for the child and filled in with each name; the first email of the
    # batch is also rendered on its own and must match.
    mum, ava = family(school, parent=UserFactory(full_name="Amira O'Neill"))
    dad = FamilyLinkFactory(child=ava, parent__full_name="Ben & Co").parent
    _other, noah = family(school, "Noah", parent=UserFactory(full_name="Cleo Diaz"))
    praise(ava, note="Shared the <blocks> kindly")
    praise(noah)

    emails = sent_digest(django_capture_on_commit_callbacks)

    assert "one by one" not in caplog.text
    by_person = {email.to[0]: email for email in emails}
    first, second = by_person[mum.email], by_person[dad.email]
    assert first.body.startswith("Dear Amira,") and second.body.startswith("Dear Ben,")
    assert first.body.replace("Amira", "Ben") == second.body
    assert "Dear Amira,</p>" in first.alternatives[0][0]
    assert "Shared the &lt;blocks&gt; kindly" in second.alternatives[0][0]
    assert "Noah" not in first.body and "Ava" not in by_person[_other.email].body


def test_a_week_with_no_praise_sends_nothing(school):
    family(school)

    assert digest.job(MOMENT) == 0
    assert not OutboxMessage.objects.exists()


def test_separated_parents_each_get_their_own_digest(school):
    mum, ava = family(school, parent=UserFactory(email="mum@example.test"))
    FamilyLinkFactory(child=ava, parent=UserFactory(email="dad@example.test"))
    praise(ava)

    assert digest.job(MOMENT) == 2
    assert digested() == ["dad@example.test", "mum@example.test"]


def test_an_inactive_parent_gets_nothing(school):
    parent, ava = family(school)
    parent.is_active = False
    parent.save()
    praise(ava)

    assert digest.job(MOMENT) == 0


def test_a_parent_with_children_at_two_schools_gets_one_from_each(school, other_school):
    parent, ava = family(school)
    _, dee = family(other_school, "Dee", parent=parent)
    praise(ava)
    praise(dee)

    assert digest.job(MOMENT) == 2
    assert set(OutboxMessage.objects.values_list("school__slug", flat=True)) == {
        "riverside",
        "hillside",
    }


# --- what it says ----------------------------------------------------------------------


def test_two_children_make_one_email_grouped_by_child(school, django_capture_on_commit_callbacks):
    parent, noah = family(school, "Noah", parent=UserFactory(full_name="Jamie Adams"))
    _, ava = family(school, "Ava", parent=parent)
    adult = UserFactory(full_name="Sam Okafor")
    kindness = PraiseValueFactory(school=school, name="Kindness")
    teamwork = PraiseValueFactory(school=school, name="Teamwork")
    praise(noah, value=teamwork, note="Built the tower with Leo", given_by=adult)
    praise(
        ava,
        when=london(2026, 11, 24, 10, 0),
        value=kindness,
        note="Shared her pens",
        given_by=adult,
    )

    (email,) = sent_digest(django_capture_on_commit_callbacks)

    assert email.to == [parent.email]
    assert email.subject == "Praise for Ava and Noah this week"
    assert email.body.startswith("Dear Jamie,")
    body = email.body
    assert body.index("== Ava ==") < body.index("Shared her pens") < body.index("== Noah ==")
    assert body.index("== Noah ==") < body.index("Built the tower with Leo")
    # Each item names its child, the value, the day and the adult.
    assert "* Ava – Kindness, Tuesday 24 November, from Sam Okafor\n  Shared her pens" in body
    assert "* Noah – Teamwork, Wednesday 25 November, from Sam Okafor" in body
    assert reverse("praise_feed") in body
    html = email.alternatives[0][0]
    assert "<h2>Ava</h2>" in html and "<strong>Noah – Teamwork</strong>" in html


def test_shared_targets_bring_their_home_ideas_once_and_unshared_ones_stay_out(
    school, django_capture_on_commit_callbacks
):
    parent, ava = family(school)
    shared = TargetFactory(
        child=ava,
        cycle__child=ava,
        outcome="Takes turns in a game",
        how_to_help_at_home="Play a board game after tea",
    )
    draft = TargetFactory(
        child=ava,
        cycle=shared.cycle,
        outcome="Draft outcome not yet agreed",
        how_to_help_at_home="Draft idea for home",
        shared_at=None,
    )
    praise(ava, target=shared, note="Waited for his turn")
    praise(ava, target=shared, note="Waited again", when=london(2026, 11, 26, 9, 0))
    praise(ava, target=draft, note="Worked on the draft")

    (email,) = sent_digest(django_capture_on_commit_callbacks)

    body = email.body
    assert body.count("Target: Takes turns in a game") == 2
    assert "How to help Ava at home:" in body
    assert body.count("Play a board game after tea") == 1  # the ideas once per child
    assert "Worked on the draft" in body  # the praise itself is still there
    assert "Draft outcome" not in body and "Draft idea" not in body
    assert "Draft idea" not in email.alternatives[0][0]


def test_other_families_praise_is_not_in_the_digest(school, django_capture_on_commit_callbacks):
    parent, ava = family(school, parent=UserFactory(email="amira@example.test"))
    _, bea = family(school, "Bea", parent=UserFactory(email="ben@example.test"))
    praise(ava, note="Ava's own praise")
    praise(bea, note="Bea's praise for her family")

    emails = {email.to[0]: email for email in sent_digest(django_capture_on_commit_callbacks)}

    assert "Bea" not in emails["amira@example.test"].body
    assert "Ava" not in emails["ben@example.test"].body
    assert "Bea's praise for her family" in emails["ben@example.test"].body


def test_only_praised_children_appear_in_a_parents_digest(
    school, django_capture_on_commit_callbacks
):
    parent, ava = family(school, "Ava")
    family(school, "Noah", parent=parent)
    praise(ava)

    (email,) = sent_digest(django_capture_on_commit_callbacks)
    assert email.subject == "Praise for Ava this week"
    assert "Noah" not in email.body


def test_the_digest_waits_for_the_schools_sending_hours(school):
    # Sending hours are judged on the real clock: a one-hour window that is not now.
    hour = timezone.now().astimezone(LONDON).hour
    opens = datetime.time((hour + 2) % 24, 0)
    school.sending_from, school.sending_until = opens, datetime.time((hour + 3) % 24, 0)
    school.save()
    _, ava = family(school)
    praise(ava)

    digest.job(MOMENT)

    waits_until = OutboxMessage.objects.get().next_attempt_at
    assert waits_until > timezone.now()
    assert waits_until.astimezone(LONDON).time() == opens


# --- which week ------------------------------------------------------------------------


def test_praise_just_before_the_moment_is_in_and_at_the_moment_is_next_weeks(school):
    parent, ava = family(school)
    praise(ava, when=MOMENT - datetime.timedelta(seconds=1), note="Just in time")
    praise(ava, when=MOMENT, note="Next week's")

    digest.job(MOMENT)
    this_week = OutboxMessage.objects.get()
    assert "Just in time" in this_week.body_text
    assert "Next week's" not in this_week.body_text

    digest.job(MOMENT + datetime.timedelta(days=7))
    next_week = OutboxMessage.objects.get(key__endswith="2026-W49")
    assert "Next week's" in next_week.body_text
    assert "Just in time" not in next_week.body_text


def test_praise_from_before_the_week_started_was_last_weeks(school):
    _, ava = family(school)
    praise(ava, when=london(2026, 11, 21, 9, 29))

    assert digest.job(MOMENT) == 0


def test_nothing_before_the_moment_and_nothing_six_days_late(school):
    _, ava = family(school)
    praise(ava)

    assert digest.job(MOMENT - datetime.timedelta(minutes=1)) == 0
    assert digest.job(MOMENT + datetime.timedelta(days=6, minutes=1)) == 0
    assert digest.job(MOMENT + datetime.timedelta(days=6)) == 1


def test_a_missed_weekend_still_sends_on_monday(school):
    _, ava = family(school)
    praise(ava)

    assert digest.job(london(2026, 11, 30, 8, 0)) == 1
    assert OutboxMessage.objects.get().key.endswith(":2026-W48")


def test_each_school_sends_at_its_own_day_and_time(school):
    friday = SchoolFactory(praise_digest_weekday=4, praise_digest_time=datetime.time(15, 0))
    _, ava = family(school, parent=UserFactory(email="saturday@example.test"))
    _, fred = family(friday, "Fred", parent=UserFactory(email="friday@example.test"))
    praise(ava)
    praise(fred)

    digest.job(london(2026, 11, 27, 15, 0))
    assert digested() == ["friday@example.test"]
    digest.job(MOMENT)
    assert digested() == ["friday@example.test", "saturday@example.test"]


def test_the_week_the_clocks_go_back_loses_and_repeats_nothing(school):
    """Sat 24 Oct 2026 09:30 is BST (08:30 UTC); the clocks go back on Sunday 25th; Sat 31
    Oct 09:30 is GMT (09:30 UTC). That week is 169 hours long and meets both neighbours."""
    _, ava = family(school)
    october_24 = datetime.datetime(2026, 10, 24, 8, 30, tzinfo=UTC)
    october_31 = datetime.datetime(2026, 10, 31, 9, 30, tzinfo=UTC)
    praise(ava, when=october_24 - datetime.timedelta(minutes=1), note="Week 43")
    praise(ava, when=october_24, note="Start of week 44")
    praise(ava, when=datetime.datetime(2026, 10, 31, 9, 0, tzinfo=UTC), note="Late week 44")
    praise(ava, when=october_31, note="Week 45")

    assert digest.digest_window(school, october_31) == (october_24, october_31)
    assert digest.job(october_31 - datetime.timedelta(minutes=1)) == 0  # 09:29 GMT
    assert digest.job(october_31) == 1
    week_44 = OutboxMessage.objects.get(key__endswith="2026-W44").body_text
    assert "Start of week 44" in week_44 and "Late week 44" in week_44
    assert "Week 43" not in week_44 and "Week 45" not in week_44

    digest.job(datetime.datetime(2026, 11, 7, 9, 30, tzinfo=UTC))
    assert "Week 45" in OutboxMessage.objects.get(key__endswith="2026-W45").body_text


# --- never twice -----------------------------------------------------------------------


def test_repeated_ticks_and_a_catch_up_run_write_nothing_more(school):
    _, ava = family(school)
    _, bea = family(school, "Bea")
    praise(ava)
    praise(bea)

    assert schedule.tick(now=MOMENT)["praise-digest"] == 2
    assert schedule.tick(now=london(2026, 11, 29, 10, 0))["praise-digest"] == 0
    out = StringIO()
    call_command("run_scheduled", "--at", "2026-11-28T09:30", stdout=out)

    assert "praise-digest: wrote 0" in out.getvalue()
    assert OutboxMessage.objects.filter(kind="praise_digest").count() == 2


@pytest.mark.parametrize("size", [1, 10])
def test_the_tick_makes_the_same_queries_however_much_praise(
    school, size, django_assert_num_queries
):
    for n in range(size):
        parent, child = family(school, f"Child{n}")
        _, sibling = family(school, f"Sibling{n}", parent=parent)
        FamilyLinkFactory(child=child)  # a second parent
        target = TargetFactory(child=child, cycle__child=child)
        for day in range(3):
            praise(child, when=london(2026, 11, 23 + day, 10, 0), target=target)
        praise(sibling)
    assert digest.job(MOMENT) == 2 * size

    # The schools; then for the school that is due, inside its savepoint (two queries):
    # the week's praise with children, values, adults and targets; the parents of the
    # praised children; the outbox keys already written (all, so nothing is rendered).
    with django_assert_num_queries(6):
        assert digest.job(MOMENT) == 0

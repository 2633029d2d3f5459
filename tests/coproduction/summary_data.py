"""A small hand-made school for the summary tests, with every number worked out by hand
in the tests that read it. The period is the autumn term 2026 as it stands on Monday 19
October: 1 September to the end of 19 October, 49 days, exactly one seven-week half-term.
"""

import datetime
from zoneinfo import ZoneInfo

from partnership.coproduction.models import ConsultationInvite, ConsultationResponse
from partnership.coproduction.summary.shape import period_by_key
from tests.factories import ChildFactory, FamilyLinkFactory, MembershipFactory, UserFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory, ContactPlanFactory
from tests.factories_coproduction import ConsultationFactory, SupportRequestFactory
from tests.factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
    SlotFactory,
)
from tests.factories_plans import HomeObservationFactory, PlanCycleFactory, TargetFactory
from tests.factories_praise import PraiseFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 10, 19)
PERIOD = period_by_key("2026-27-autumn", TODAY)


def at(month: int, day: int, hour: int = 12, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def monday(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def contacts(school, child, count: int, *, sendco_meetings: int = 0) -> None:
    """`count` contacts between 10 September and 9 October, the first few SENDCo meetings."""
    for n in range(count):
        ContactEntryFactory(
            school=school,
            children=[child],
            happened_at=at(9, 10) + datetime.timedelta(days=n * 4),
            channel="meeting" if n < sendco_meetings else "phone",
            is_sendco_meeting=n < sendco_meetings,
        )


def praise(child, when: datetime.datetime, count: int = 1) -> None:
    for _n in range(count):
        PraiseFactory(child=child, given_at=when)


def build_small_school(school):
    """Six families, A to F, and their year's rows. Returns the children by letter."""
    kids = {
        "A": ChildFactory(school=school, year_group=3, primary_need="ASD", send_status="ehc_plan"),
        "B": ChildFactory(school=school, year_group=3, primary_need="ASD"),
        "C": ChildFactory(school=school, year_group=4, primary_need="SLCN"),
        "D": ChildFactory(school=school, year_group=4, primary_need="SLCN"),
        "E": ChildFactory(school=school, year_group=5, primary_need="SEMH", send_status="ehc_plan"),
        "F": ChildFactory(school=school, year_group=5, primary_need="SEMH"),
    }
    parents = {key: FamilyLinkFactory(child=child).parent for key, child in kids.items()}
    # Contact plans: A and E weekly (7 in 49 days), C half-termly (1); B, D, F the
    # default of every two weeks (3 in 49 days).
    ContactPlanFactory(child=kids["A"], frequency="weekly")
    ContactPlanFactory(child=kids["E"], frequency="weekly")
    ContactPlanFactory(child=kids["C"], frequency="half_termly")
    # Contacts in the period: A 7 (2 SENDCo meetings), B 3 (1), C 1, D 2, E 0, F 0.
    contacts(school, kids["A"], 7, sendco_meetings=2)
    contacts(school, kids["B"], 3, sendco_meetings=1)
    contacts(school, kids["C"], 1)
    contacts(school, kids["D"], 2)
    # Not counted: before the period, after today, and a check-in answer (not school).
    ContactEntryFactory(school=school, children=[kids["A"]], happened_at=at(8, 20))
    ContactEntryFactory(school=school, children=[kids["E"]], happened_at=at(10, 25))
    ContactEntryFactory(
        school=school, children=[kids["F"]], happened_at=at(9, 20), channel="check_in"
    )

    # Check-ins: every parent is sent two (weeks of 5 and 12 October): 12 sent.
    answers = {
        # key: (rating, heard) for the week of 5 October, then for the week of 12 October
        "A": ((4, ""), (5, "3-5")),
        "B": (None, (3, "3-5")),
        "C": (None, (2, "0")),
        "D": (None, (4, "6-9")),
        "E": ((1, "0"), (None, "1-2")),
        "F": (None, None),
    }
    for key, (first, second) in answers.items():
        for week, answer, answered_on in ((monday(10, 5), first, 9), (monday(10, 12), second, 16)):
            extra = {}
            if answer is not None:
                rating, heard = answer
                extra = {
                    "answered_at": at(10, answered_on),
                    "rating": rating,
                    "heard_from_school": heard,
                }
            CheckInFactory(parent=parents[key], school=school, week_of=week, **extra)
    # Not counted: a week before the period.
    CheckInFactory(
        parent=parents["F"], school=school, week_of=monday(8, 24), answered_at=at(8, 25), rating=5
    )

    # Home observations: A 2, B 1; C's withdrawn one is not counted.
    for key, count in (("A", 2), ("B", 1)):
        for _n in range(count):
            HomeObservationFactory(child=kids[key], author=parents[key], created_at=at(9, 30))
    HomeObservationFactory(
        child=kids["C"], author=parents["C"], created_at=at(9, 30), withdrawn_at=at(10, 1)
    )

    # Targets shared in open cycles: A 2 (1 agreed), B 1 (agreed), D 1, E 1 (agreed), F 1.
    # Not counted: C's target not yet shared, and E's in a cycle closed before the period.
    agreed = datetime.date(2026, 9, 20)
    shared = at(9, 15)
    for key, agreements in (("A", [agreed, None]), ("B", [agreed]), ("D", [None])):
        cycle = PlanCycleFactory(child=kids[key], starts_on=datetime.date(2026, 9, 1))
        for on in agreements:
            TargetFactory(cycle=cycle, shared_at=shared, parent_agreed_on=on)
    old = PlanCycleFactory(
        child=kids["E"],
        starts_on=datetime.date(2026, 3, 1),
        review_on=datetime.date(2026, 7, 1),
        status="closed",
        closed_at=at(7, 1),
    )
    TargetFactory(cycle=old, shared_at=at(3, 2), parent_agreed_on=datetime.date(2026, 3, 5))
    for key, on in (("E", agreed), ("F", None)):
        cycle = PlanCycleFactory(child=kids[key], starts_on=datetime.date(2026, 9, 1))
        TargetFactory(cycle=cycle, shared_at=shared, parent_agreed_on=on)
    TargetFactory(
        cycle=PlanCycleFactory(child=kids["C"], starts_on=datetime.date(2026, 9, 1)),
        shared_at=None,
    )

    # Praise: A 6 on 15 September and 1 on 10 October; B 7 on 15 September; D 13 on 16
    # September and 1 on 15 October. C's on 25 October is after today.
    praise(kids["A"], at(9, 15), 6)
    praise(kids["A"], at(10, 10))
    praise(kids["B"], at(9, 15), 7)
    praise(kids["D"], at(9, 16), 13)
    praise(kids["D"], at(10, 15))
    praise(kids["C"], at(10, 25))

    # One-to-one meetings: 5 held with the SENDCo; not counted: one missed, one held with
    # a teacher.
    sendco = MembershipFactory(school=school, role="sendco")
    teacher = MembershipFactory(school=school, role="teacher")
    for n in range(7):
        host = teacher if n == 6 else sendco
        slot = SlotFactory(school=school, host=host, starts_at=at(9, 14 + n, 10))
        status = "missed" if n == 5 else "held"
        BookingFactory(slot=slot, child=kids["A"], parent=parents["A"], status=status)

    # Group sessions: one held on 20 September (6 confirmed places, 5 attended), one
    # cancelled, one planned for 30 October (offered, not held by today).
    held = GroupSessionFactory(school=school, topic="autism", starts_at=at(9, 20, 10))
    for n, key in enumerate("ABCDEF"):
        SessionPlaceFactory(session=held, parent=parents[key], child=kids[key], attended=n < 5)
    cancelled = GroupSessionFactory(
        school=school, topic="autism", starts_at=at(10, 1, 10), cancelled_at=at(9, 25)
    )
    SessionPlaceFactory(session=cancelled, parent=parents["A"], child=kids["A"], attended=True)
    GroupSessionFactory(school=school, topic="behaviour", starts_at=at(10, 30, 10))

    # Support requests in the period: 5 about behaviour, 2 about wellbeing.
    for n in range(5):
        SupportRequestFactory(school=school, topic="behaviour", created_at=at(9, 10 + n))
    for n in range(2):
        SupportRequestFactory(school=school, topic="wellbeing", created_at=at(9, 10 + n))
    SupportRequestFactory(school=school, topic="wellbeing", created_at=at(8, 10))

    # Consultations: one published (6 invited, 4 answered), one closed (4 invited, 2
    # answered); not counted: one opened in August and a draft.
    def consultation(status, opened, invited, answered, **extra):
        made = ConsultationFactory(school=school, status=status, opened_at=opened, **extra)
        for n in range(invited):
            who = UserFactory()
            ConsultationInvite.objects.create(consultation=made, parent=who)
            if n < answered:
                ConsultationResponse.objects.create(consultation=made, parent=who)
        return made

    consultation("published", at(9, 10), 6, 4, published_at=at(10, 1))
    consultation("closed", at(10, 1), 4, 2)
    consultation("published", at(8, 1), 5, 5, published_at=at(8, 20))
    ConsultationFactory(school=school, status="draft", opened_at=None)
    return kids

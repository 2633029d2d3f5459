"""The rows a fuzz case acts on: one school with a child, the child's parent and staff,
and each kind of record a form changes, made on first use so a case pays only for its own.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.utils import timezone

from partnership.accounts.models import Invitation, hash_token
from partnership.coproduction.models import ConsultationInvite
from partnership.meetings.models import SlotPattern
from partnership.plans.models import PassportProposal
from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyLinkFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    with_totp,
)
from tests.factories_contact import (
    AgreedActionFactory,
    CheckInFactory,
    ContactEntryFactory,
    KeyDocumentFactory,
)
from tests.factories_coproduction import (
    ConsultationFactory,
    ConsultationQuestionFactory,
    ParentGroupMemberFactory,
)
from tests.factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
    SlotFactory,
)
from tests.factories_plans import (
    HomeObservationFactory,
    InterventionFactory,
    PlacementFactory,
    PlanCycleFactory,
    TargetFactory,
)
from tests.factories_praise import PraiseFactory, PraiseValueFactory

INVITE_TOKEN = "fuzz-invitation-token-0123456789"


class World:
    """One school with a child, the child's parent and staff, and each kind of record a
    form acts on, made on first use."""

    @cached_property
    def school(self):
        return SchoolFactory(slug="fuzz")

    @cached_property
    def child(self):
        return ChildFactory(school=self.school)

    @cached_property
    def parent(self):
        return FamilyLinkFactory(child=self.child, parental_responsibility=True).parent

    def _staff(self, role: str):
        return with_totp(MembershipFactory(school=self.school, role=role).user)

    @cached_property
    def sendco(self):
        user = self._staff("sendco")
        AssignmentFactory(membership=user.memberships.get(), child=self.child)
        return user

    @cached_property
    def administrator(self):
        return self._staff("administrator")

    @cached_property
    def anonymous(self):
        return None

    @cached_property
    def cycle(self):
        return PlanCycleFactory(child=self.child)

    @cached_property
    def target(self):
        return TargetFactory(cycle=self.cycle)

    @cached_property
    def observation(self):
        return HomeObservationFactory(child=self.child, author=self.parent)

    @cached_property
    def intervention(self):
        return InterventionFactory(school=self.school)

    @cached_property
    def placement(self):
        return PlacementFactory(intervention=self.intervention, child=self.child)

    @cached_property
    def proposal(self):
        return PassportProposal.objects.create(
            child=self.child, proposed_by=self.parent, admire="a", important="b", support="c"
        )

    @cached_property
    def entry(self):
        return ContactEntryFactory(
            school=self.school, children=[self.child], parents=[self.parent], author=self.sendco
        )

    @cached_property
    def action(self):
        return AgreedActionFactory(entry=self.entry)

    @cached_property
    def checkin(self):
        return CheckInFactory(parent=self.parent, school=self.school)

    @cached_property
    def document(self):
        return KeyDocumentFactory(school=self.school)

    @cached_property
    def praise_value(self):
        return PraiseValueFactory(school=self.school)

    @cached_property
    def praise(self):
        return PraiseFactory(child=self.child, value=self.praise_value, given_by=self.sendco)

    @cached_property
    def slot(self):
        return SlotFactory(school=self.school, host=self.sendco.memberships.get())

    @cached_property
    def booking(self):
        slot = SlotFactory(school=self.school, host=self.sendco.memberships.get())
        return BookingFactory(slot=slot, child=self.child, parent=self.parent)

    @cached_property
    def pattern(self):
        return SlotPattern.objects.create(
            school=self.school,
            host=self.sendco.memberships.get(),
            weekdays="0",
            first_starts_at=datetime.time(15, 30),
            slot_minutes=20,
            slot_count=3,
            buffer_minutes=0,
            mode="in_person",
            starts_on=timezone.localdate(),
            weeks_ahead=2,
        )

    @cached_property
    def session(self):
        session = GroupSessionFactory(school=self.school, confirmed_count=1)
        SessionPlaceFactory(session=session, parent=self.parent, child=self.child)
        return session

    @cached_property
    def past_session(self):
        # Attendance is taken once a session has started.
        start = timezone.now() - datetime.timedelta(hours=2)
        session = GroupSessionFactory(
            school=self.school,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            confirmed_count=1,
        )
        SessionPlaceFactory(session=session, parent=self.parent, child=self.child)
        return session

    @cached_property
    def consultation(self):
        consultation = ConsultationFactory(school=self.school)
        ConsultationQuestionFactory(consultation=consultation)
        ConsultationInvite.objects.create(consultation=consultation, parent=self.parent)
        return consultation

    @cached_property
    def draft_consultation(self):
        assert self.parent is not None  # someone for "all SEND families" to reach
        consultation = ConsultationFactory(school=self.school, status="draft", opened_at=None)
        ConsultationQuestionFactory(consultation=consultation)
        return consultation

    @cached_property
    def closed_consultation(self):
        return ConsultationFactory(school=self.school, status="closed")

    @cached_property
    def group_member(self):
        return ParentGroupMemberFactory(school=self.school, parent=self.parent)

    @cached_property
    def invitation_token(self) -> str:
        user = UserFactory(is_active=False)
        MembershipFactory(user=user, school=self.school, role="teacher")
        Invitation.objects.create(
            user=user,
            school=self.school,
            token_hash=hash_token(INVITE_TOKEN),
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
        return INVITE_TOKEN

"""A small but complete world for the role matrix: two schools, two families, every role.

Ava (school A, class 4A) has one of every record the portal keeps; Ben (class 5B) is the
"other child" whose parent must never reach Ava's rows. School B has only its SENDCo, the
"staff of another school". Everything is built through the factories, so the matrix sees
the same shapes of rows the product makes.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.accounts.models import Invitation, User, hash_token
from partnership.contact.models import Broadcast, BroadcastRecipient
from partnership.contact.services.checkins import checkin_token
from partnership.coproduction.models import ConsultationInvite, ConsultationResponse
from partnership.meetings.models import CalendarFeed, SlotPattern
from partnership.meetings.services.calendar import token_hash
from partnership.plans.models import ObservationReply, PassportProposal
from partnership.schools.models import Child, Membership, School, Trust

from ..factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyLinkFactory,
    KeyContactFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    with_totp,
)
from ..factories_contact import (
    AgreedActionFactory,
    CheckInFactory,
    ContactEntryFactory,
    ContactPlanFactory,
    KeyDocumentFactory,
)
from ..factories_coproduction import (
    ConsultationFactory,
    ConsultationQuestionFactory,
    ParentGroupMemberFactory,
    SupportRequestFactory,
)
from ..factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
    SlotFactory,
)
from ..factories_plans import (
    HomeObservationFactory,
    InterventionFactory,
    PassportVersionFactory,
    PlacementFactory,
    PlanCycleFactory,
    ProgressReviewFactory,
    TargetFactory,
)
from ..factories_praise import PraiseFactory, PraiseThanksFactory, PraiseValueFactory

# The ten roles of the matrix, in the order the table lists them.
ANONYMOUS = "anonymous"
PARENT = "parent"
OTHER_PARENT = "other_parent"
TEACHER = "teacher"
OTHER_TEACHER = "other_teacher"
TA = "ta"
SENDCO = "sendco"
ADMINISTRATOR = "administrator"
GOVERNOR = "governor"
OTHER_SCHOOL = "other_school"
ROLES = (
    ANONYMOUS,
    PARENT,
    OTHER_PARENT,
    TEACHER,
    OTHER_TEACHER,
    TA,
    SENDCO,
    ADMINISTRATOR,
    GOVERNOR,
    OTHER_SCHOOL,
)

# A 1x1 PNG: the smallest real image, so the photo view has a file to serve.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@dataclass
class World:
    school: School
    other_school: School
    trust: Trust
    ava: Child
    ben: Child
    users: dict[str, User | None]
    objects: dict[str, object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return self.users[role]

    def id_of(self, key: str) -> int:
        return self.objects[key].pk


def _staff(school: School, role: str, email: str) -> Membership:
    membership = MembershipFactory(school=school, role=role, user__email=email)
    with_totp(membership.user)
    return membership


def build_world() -> World:
    trust = Trust.objects.create(name="River Trust", slug="river-trust")
    school = SchoolFactory(name="Riverside", slug="riverside", trust=trust)
    other_school = SchoolFactory(name="Hillside", slug="hillside")
    ava = ChildFactory(school=school, first_name="Ava", last_name="Adams", class_name="4A")
    ben = ChildFactory(
        school=school, first_name="Ben", last_name="Brown", class_name="5B", year_group=5
    )
    parent = FamilyLinkFactory(child=ava, parent__email="parent@example.test").parent
    other_parent = FamilyLinkFactory(child=ben, parent__email="other@example.test").parent

    teacher = _staff(school, "teacher", "teacher@example.test")
    ta = _staff(school, "teaching_assistant", "ta@example.test")
    other_teacher = _staff(school, "teacher", "teacher5b@example.test")
    sendco = _staff(school, "sendco", "sendco@example.test")
    administrator = _staff(school, "administrator", "admin@example.test")
    governor = _staff(school, "governor", "governor@example.test")
    other_sendco = _staff(other_school, "sendco", "sendco@hillside.test")
    AssignmentFactory(membership=teacher, child=ava)
    AssignmentFactory(membership=ta, child=ava)
    AssignmentFactory(membership=other_teacher, child=ben)

    world = World(
        school=school,
        other_school=other_school,
        trust=trust,
        ava=ava,
        ben=ben,
        users={
            ANONYMOUS: None,
            PARENT: parent,
            OTHER_PARENT: other_parent,
            TEACHER: teacher.user,
            OTHER_TEACHER: other_teacher.user,
            TA: ta.user,
            SENDCO: sendco.user,
            ADMINISTRATOR: administrator.user,
            GOVERNOR: governor.user,
            OTHER_SCHOOL: other_sendco.user,
        },
    )
    _plans(world, sendco=sendco.user, parent=parent)
    _contact(world, sendco=sendco.user, parent=parent)
    _praise(world, teacher=teacher.user, parent=parent)
    _meetings(world, sendco=sendco, parent=parent)
    _coproduction(world, parent=parent)
    _tokens(world, parent=parent)
    return world


def _plans(world: World, *, sendco: User, parent: User) -> None:
    ava, objects = world.ava, world.objects
    objects["cycle"] = cycle = PlanCycleFactory(child=ava, created_by=sendco)
    objects["target"] = target = TargetFactory(cycle=cycle, created_by=sendco)
    objects["review"] = ProgressReviewFactory(target=target, author=sendco)
    objects["intervention"] = intervention = InterventionFactory(school=world.school)
    objects["placement"] = PlacementFactory(child=ava, intervention=intervention)
    objects["observation"] = observation = HomeObservationFactory(
        child=ava, author=parent, target=target
    )
    observation.photo.save("home.png", SimpleUploadedFile("home.png", PNG), save=True)
    objects["observation_reply"] = ObservationReply.objects.create(
        observation=observation, author=sendco, text="Lovely to hear, thank you"
    )
    objects["passport"] = passport = PassportVersionFactory(child=ava, created_by=sendco)
    objects["proposal"] = PassportProposal.objects.create(
        child=ava,
        based_on=passport,
        proposed_by=parent,
        admire="Funny and kind",
        important="Her cat",
        support="A quiet corner",
    )
    objects["key_contact"] = KeyContactFactory(child=ava)


def _contact(world: World, *, sendco: User, parent: User) -> None:
    objects = world.objects
    objects["contact_plan"] = ContactPlanFactory(child=world.ava)
    objects["contact_entry"] = entry = ContactEntryFactory(
        school=world.school, author=sendco, children=[world.ava], parents=[parent]
    )
    objects["action"] = AgreedActionFactory(entry=entry)
    objects["checkin"] = CheckInFactory(parent=parent, school=world.school)
    objects["broadcast"] = broadcast = Broadcast.objects.create(
        school=world.school,
        author=sendco,
        subject="Sports day",
        body="Sports day moves to Friday",
        audience="Year 4 families",
    )
    BroadcastRecipient.objects.create(broadcast=broadcast, parent=parent)
    objects["document"] = KeyDocumentFactory(school=world.school)


def _praise(world: World, *, teacher: User, parent: User) -> None:
    objects = world.objects
    objects["value"] = value = PraiseValueFactory(school=world.school, name="Kindness")
    objects["praise"] = praise = PraiseFactory(child=world.ava, value=value, given_by=teacher)
    objects["thanks"] = PraiseThanksFactory(praise=praise, parent=parent)


def _meetings(world: World, *, sendco: Membership, parent: User) -> None:
    objects = world.objects
    objects["pattern"] = SlotPattern.objects.create(
        school=world.school,
        host=sendco,
        weekdays="1,3",
        first_starts_at=datetime.time(9, 0),
        mode="in_person",
        starts_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    objects["slot"] = slot = SlotFactory(school=world.school, host=sendco)
    objects["free_slot"] = SlotFactory(school=world.school, host=sendco)
    objects["booking"] = BookingFactory(slot=slot, child=world.ava, parent=parent)
    objects["session"] = session = GroupSessionFactory(school=world.school, confirmed_count=1)
    objects["place"] = SessionPlaceFactory(session=session, parent=parent, child=world.ava)


def _coproduction(world: World, *, parent: User) -> None:
    objects = world.objects
    objects["consultation"] = consultation = ConsultationFactory(school=world.school)
    objects["question"] = ConsultationQuestionFactory(consultation=consultation)
    ConsultationInvite.objects.create(consultation=consultation, parent=parent)
    objects["response"] = ConsultationResponse.objects.create(
        consultation=consultation, parent=parent, comment="Mornings suit us"
    )
    objects["support_request"] = SupportRequestFactory(school=world.school, parent=parent)
    objects["group_member"] = ParentGroupMemberFactory(school=world.school, parent=parent)


def _tokens(world: World, *, parent: User) -> None:
    """Bearer links: whoever holds them gets the page, whatever their role."""
    world.tokens["checkin"] = checkin_token(checkin=world.objects["checkin"], rating=4)
    world.tokens["calendar"] = "calendar-secret-of-avas-parent"
    CalendarFeed.objects.create(user=parent, token_hash=token_hash(world.tokens["calendar"]))
    invited = UserFactory(email="invited@example.test", is_active=False)
    world.tokens["invitation"] = "invitation-secret-for-a-new-parent"
    Invitation.objects.create(
        user=invited,
        school=world.school,
        token_hash=hash_token(world.tokens["invitation"]),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )

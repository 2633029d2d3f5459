"""A separated family with a record in every app, for the subject access export tests.

Every piece of free text carries a marker (MUM-…, DAD-…, STAFF-…) so a test can say
exactly whose words reached which export.
"""

import datetime
import io
import json
import zipfile
from types import SimpleNamespace

from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.accounts.models import Invitation, hash_token
from partnership.audit.models import AuditEvent
from partnership.contact.models import Broadcast, BroadcastRecipient, Confirmation
from partnership.coproduction.models import (
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationResponse,
)
from partnership.meetings.models import CalendarFeed
from partnership.notifications.models import OutboxMessage
from partnership.plans.models import ObservationReply, PassportProposal
from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyLinkFactory,
    KeyContactFactory,
    MembershipFactory,
    with_totp,
)
from tests.factories_contact import (
    AgreedActionFactory,
    CheckInFactory,
    ContactEntryFactory,
    ContactPlanFactory,
)
from tests.factories_coproduction import (
    ConsultationFactory,
    ConsultationQuestionFactory,
    ParentGroupMemberFactory,
    SupportRequestFactory,
)
from tests.factories_meetings import BookingFactory, SessionPlaceFactory, SlotFactory
from tests.factories_plans import (
    HomeObservationFactory,
    PassportVersionFactory,
    PlacementFactory,
    PlanCycleFactory,
    ProgressReviewFactory,
    TargetFactory,
)
from tests.factories_praise import PraiseFactory, PraiseThanksFactory

INVITATION_TOKEN = "MUM-INVITATION-TOKEN-never-exported"
FEED_TOKEN = "MUM-FEED-TOKEN-never-exported"
SESSION_KEY = "mumsessionkeyneverexported0001"
# A real, if tiny, JPEG header: the export copies bytes, it does not decode them.
PHOTO_BYTES = b"\xff\xd8\xff\xe0" + b"MUM-PHOTO-BYTES" + b"\x00" * 32


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("Ava at home.jpg", PHOTO_BYTES, content_type="image/jpeg")


def build_family(school, *, sendco) -> SimpleNamespace:
    child = ChildFactory(school=school, first_name="Ava", last_name="Adams")
    mum = FamilyLinkFactory(child=child, parent__full_name="Maya Adams").parent
    dad = FamilyLinkFactory(child=child, relationship="father", parent__full_name="Dan Adams")
    dad = dad.parent
    other_child = ChildFactory(school=school, first_name="Olly", last_name="Other")
    other_parent = FamilyLinkFactory(child=other_child).parent
    teacher = MembershipFactory(school=school, role="teacher", user__full_name="Tia Teacher")
    AssignmentFactory(membership=teacher, child=child)
    KeyContactFactory(child=child)

    cycle = PlanCycleFactory(child=child, created_by=sendco)
    target = TargetFactory(cycle=cycle, outcome="SHARED-TARGET", created_by=sendco)
    TargetFactory(cycle=cycle, outcome="STAFF-DRAFT-TARGET", shared_at=None)
    ProgressReviewFactory(target=target, comment="STAFF-REVIEW", author=sendco)
    PlacementFactory(child=child)
    mum_obs = HomeObservationFactory(child=child, author=mum, text="MUM-OBS", photo=photo())
    dad_obs = HomeObservationFactory(child=child, author=dad, text="DAD-OBS")
    ObservationReply.objects.create(observation=dad_obs, author=sendco, text="STAFF-REPLY-DAD")
    ObservationReply.objects.create(observation=mum_obs, author=sendco, text="STAFF-REPLY-MUM")
    PassportVersionFactory(child=child, admire="PASSPORT-ADMIRE")
    PassportProposal.objects.create(
        child=child, proposed_by=dad, admire="DAD-PROPOSAL", important="x", support="y"
    )

    ContactPlanFactory(child=child, notes="CONTACT-PLAN")
    shared = ContactEntryFactory(
        school=school,
        author=sendco,
        summary="SHARED-CONTACT",
        children=[child, other_child],
        parents=[mum, other_parent],
    )
    ContactEntryFactory(
        school=school,
        author=sendco,
        summary="STAFF-ONLY-CONTACT",
        shared_with_family=False,
        children=[child],
    )
    AgreedActionFactory(entry=shared, description="AGREED-ACTION", owner=mum)
    Confirmation.objects.create(entry=shared, parent=dad, answer="disputed", note="DAD-CONFIRM")
    CheckInFactory(parent=mum, school=school, message="MUM-CHECKIN", rating=4)
    CheckInFactory(parent=dad, school=school, message="DAD-CHECKIN", rating=2)
    CheckInFactory(parent=other_parent, school=school, message="OTHER-CHECKIN")

    praise = PraiseFactory(child=child, note="PRAISE-NOTE", given_by=sendco)
    PraiseThanksFactory(praise=praise, parent=mum, message="MUM-THANKS")
    slot = SlotFactory(school=school)
    BookingFactory(slot=slot, child=child, parent=mum, note="MUM-BOOKING")
    SessionPlaceFactory(session__school=school, child=child, parent=mum)

    consultation = ConsultationFactory(school=school)
    question = ConsultationQuestionFactory(consultation=consultation, text="QUESTION-TEXT")
    ConsultationInvite.objects.create(consultation=consultation, parent=mum)
    response = ConsultationResponse.objects.create(
        consultation=consultation, parent=mum, comment="MUM-CONSULT"
    )
    ConsultationAnswer.objects.create(response=response, question=question, choice="agree")
    ConsultationResponse.objects.create(
        consultation=consultation, parent=dad, comment="DAD-CONSULT"
    )
    SupportRequestFactory(school=school, parent=mum, note="MUM-SUPPORT")
    ParentGroupMemberFactory(school=school, parent=mum)

    broadcast = Broadcast.objects.create(
        school=school, author=sendco, subject="BROADCAST-SUBJECT", body="b", audience="All"
    )
    BroadcastRecipient.objects.create(broadcast=broadcast, parent=mum)
    OutboxMessage.objects.create(
        key=f"invitation:{mum.pk}",
        kind="invitation",
        school=school,
        recipient=mum,
        to_email=mum.email,
        subject="MUM-EMAIL-SUBJECT",
        body_text="Your link: https://portal.example/invite/SECRET-LINK-TOKEN/",
    )
    Invitation.objects.create(
        user=mum,
        school=school,
        token_hash=hash_token(INVITATION_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    CalendarFeed.objects.create(user=mum, token_hash=hash_token(FEED_TOKEN))
    with_totp(mum)
    UserSession.objects.create(
        user=mum, ip="192.0.2.10", session_key=SESSION_KEY, user_agent="Firefox"
    )
    AuditEvent.objects.create(
        user=sendco,
        school=school,
        child=child,
        action="read",
        what="child_detail",
        method="GET",
        status_code=200,
        outcome="ok",
    )
    return SimpleNamespace(
        school=school, child=child, mum=mum, dad=dad, other_child=other_child, teacher=teacher
    )


def open_export(archive) -> tuple[dict, str, zipfile.ZipFile]:
    """data.json, index.html and the zip itself, from a file object or bytes."""
    raw = archive if isinstance(archive, bytes) else archive.read()
    zipped = zipfile.ZipFile(io.BytesIO(raw))
    data = json.loads(zipped.read("data.json"))
    html = zipped.read("index.html").decode()
    return data, html, zipped


def texts(data: dict) -> str:
    """Every value of every row, as one string to search for markers."""
    return json.dumps({k: v for k, v in data.items() if k != "_export"}, ensure_ascii=False)

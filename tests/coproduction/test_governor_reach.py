"""A governor reaches no child: every URL pattern of the site, filled with the ids of real
rows of the demo school, answers a governor with a refusal, a redirect, or a page that
holds no child's name, date of birth, or text written by or about a family."""

import datetime
import html
import io
import itertools
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from partnership.accounts.models import User
from partnership.contact import models as contact
from partnership.coproduction import models as coproduction
from partnership.coproduction.demo_trust import seed_trust
from partnership.meetings import models as meetings
from partnership.plans import models as plans
from partnership.praise import models as praise
from partnership.schools.models import Child, FamilyLink, School

pytestmark = pytest.mark.django_db

# Text typed by or about a family, field by field.
FREE_TEXT = [
    (plans.PlanCycle, ["review_summary"]),
    (plans.Target, ["outcome", "baseline", "success_criteria", "how_to_help_at_home"]),
    (plans.ProgressReview, ["comment"]),
    (plans.Placement, ["entry_measure", "exit_measure", "home_support"]),
    (plans.HomeObservation, ["text"]),
    (plans.ObservationReply, ["text"]),
    (plans.PassportVersion, ["admire", "important", "support"]),
    (plans.PassportProposal, ["admire", "important", "support", "note", "decision_note"]),
    (contact.ContactPlan, ["notes"]),
    (contact.ContactEntry, ["summary"]),
    (contact.AgreedAction, ["description"]),
    (contact.Confirmation, ["note"]),
    (contact.CheckIn, ["message"]),
    (praise.Praise, ["note"]),
    (praise.PraiseThanks, ["message"]),
    (meetings.Booking, ["note", "cancel_reason"]),
    (coproduction.ConsultationResponse, ["comment"]),
    (coproduction.SupportRequest, ["note"]),
]

# Which rows an <int:...> parameter names. A new parameter name must be added here, so no
# new child-level page escapes the walk.
IDS = {
    "child_id": Child,
    "target_id": plans.Target,
    "cycle_id": plans.PlanCycle,
    "observation_id": plans.HomeObservation,
    "proposal_id": plans.PassportProposal,
    "entry_id": contact.ContactEntry,
    "action_id": contact.AgreedAction,
    "checkin_id": contact.CheckIn,
    "broadcast_id": contact.Broadcast,
    "praise_id": praise.Praise,
    "value_id": praise.PraiseValue,
    "pattern_id": meetings.SlotPattern,
    "slot_id": meetings.Slot,
    "booking_id": meetings.Booking,
    "session_id": meetings.GroupSession,
    "consultation_id": coproduction.Consultation,
    "question_id": coproduction.ConsultationQuestion,
    "response_id": coproduction.ConsultationResponse,
    "request_id": coproduction.SupportRequest,
    "member_id": coproduction.ParentGroupMember,
    "user_id": User,  # a parent, in the subject access export
}
# `pk` means different rows under different prefixes.
PK_BY_ROUTE = [
    ("interventions/", plans.Intervention),
    ("placements/", plans.Placement),
    ("broadcasts/", contact.Broadcast),
    ("documents/", contact.KeyDocument),
    ("consultations/", coproduction.Consultation),
    ("support/", coproduction.SupportRequest),
    ("group/", coproduction.ParentGroupMember),
]
PER_PARAMETER = 3  # the first, a middle and the last row of the demo school


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    school = School.objects.get(slug="riverside")
    trust = seed_trust(school=school)
    _coproduction(school)
    return school, trust


def _coproduction(school):
    """Consultation answers and support requests with family comments in them."""
    parents = list(User.objects.filter(family_links__child__school=school).distinct()[:6])
    sendco = User.objects.get(email="sendco@example.org")
    consultation = coproduction.Consultation.objects.create(
        school=school,
        title="Moving the reading group to the morning",
        background="The reading group would move to before lunch.",
        audience_label="All SEND families",
        status=coproduction.Consultation.Status.CLOSED,
        opened_at=timezone.now() - datetime.timedelta(days=20),
        closed_at=timezone.now() - datetime.timedelta(days=2),
        closes_at=timezone.now() - datetime.timedelta(days=2),
        created_by=sendco,
    )
    question = coproduction.ConsultationQuestion.objects.create(
        consultation=consultation, text="Mornings would suit my child better.", order=1
    )
    for i, parent in enumerate(parents):
        coproduction.ConsultationInvite.objects.create(consultation=consultation, parent=parent)
        response = coproduction.ConsultationResponse.objects.create(
            consultation=consultation,
            parent=parent,
            comment=f"My son gets very tired after lunch on Tuesdays, family note {i}.",
        )
        coproduction.ConsultationAnswer.objects.create(
            response=response, question=question, choice="agree"
        )
        coproduction.SupportRequest.objects.create(
            school=school,
            parent=parent,
            topic="behaviour",
            in_person=True,
            note=f"Bedtime has been really hard since the move, request note {i}.",
        )
    coproduction.ParentGroupMember.objects.create(
        school=school, parent=parents[0], is_representative=True
    )


def _forbidden(school) -> tuple[list[str], list[re.Pattern]]:
    """What must never reach a governor: exact strings, and names as whole words."""
    strings: set[str] = set()
    words: set[str] = set()
    for child in Child.objects.filter(school=school):
        words.add(child.first_name)
        strings.add(f"{child.first_name} {child.last_name}")
        dob = child.date_of_birth
        strings.update(
            {dob.isoformat(), dob.strftime("%d/%m/%Y"), f"{dob.day} {dob.strftime('%B %Y')}"}
        )
    for link in FamilyLink.objects.filter(child__school=school).select_related("parent"):
        strings.update({link.parent.full_name, link.parent.email})
    for model, fields in FREE_TEXT:
        for row in model.objects.values_list(*fields):
            for text in row:
                text = (text or "").strip()
                if len(text) >= 20:
                    strings.add(text[:30])
    patterns = [re.compile(rf"\b{re.escape(word)}\b") for word in words]
    return sorted(strings), patterns


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


ROUTE_PARAMETER = re.compile(r"(?<!\?P)<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _ids(model, school) -> list[str]:
    manager = model._default_manager
    field_names = {field.name for field in model._meta.get_fields()}
    if "school" in field_names:
        manager = manager.filter(school=school)
    elif "child" in field_names:
        manager = manager.filter(child__school=school)
    ids = list(manager.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return ["1"]
    picked = {ids[0], ids[len(ids) // 2], ids[-1]}
    return [str(pk) for pk in sorted(picked)][:PER_PARAMETER]


def _values(route: str, converter: str, name: str, school, trust) -> list[str]:
    if converter == "int" or name in {"object_id", "content_type_id"}:
        if name == "number":
            return [
                str(n) for n in plans.PassportVersion.objects.values_list("number", flat=True)[:2]
            ] or ["1"]
        if name == "pk":
            model = next((model for part, model in PK_BY_ROUTE if part in route), None)
            assert model, f"Say which rows <pk> names in {route}"
            return _ids(model, school)
        if name in {"object_id", "content_type_id"}:
            return [str(Child.objects.filter(school=school).first().pk)]
        assert name in IDS, f"Add <{name}> of {route} to IDS in this test"
        return _ids(IDS[name], school)
    if converter == "slug" or name == "slug":
        return [school.slug, trust.slug]
    if converter == "uuid":
        return [str(uuid.uuid4())]
    if name == "app_label":
        return ["schools"]
    return ["not-a-token"]


def _urls(school, trust) -> list[str]:
    urls = []
    for route in _patterns():
        route = route.replace("^", "").replace("$", "").replace("\\", "")
        parts = []
        for match in ROUTE_PARAMETER.finditer(route):
            parts.append((match.group(0), match.group("converter") or "str", match.group("name")))
        for match in REGEX_GROUP.finditer(route):
            parts.append((match.group(0), "re", match.group("name")))
        choices = [_values(route, conv, name, school, trust) for _, conv, name in parts]
        for combination in itertools.product(*choices):
            url = route
            for (placeholder, _conv, _name), value in zip(parts, combination, strict=True):
                url = url.replace(placeholder, value, 1)
            urls.append("/" + url.lstrip("/"))
    return sorted(set(urls))


def _leaks(text: str, strings: list[str], words: list[re.Pattern]) -> list[str]:
    text = html.unescape(text)
    found = [s for s in strings if s in text]
    found += [w.pattern for w in words if w.search(text)]
    return found


def test_a_governor_reaches_no_child_on_any_page(client, demo):
    school, trust = demo
    strings, words = _forbidden(school)
    governor = User.objects.get(email="governor@example.org")
    client.force_login(governor)
    client.raise_request_exception = False
    urls = _urls(school, trust)
    assert len(urls) > 150  # the whole site, not a corner of it
    problems = []
    answered = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code == 200:
            answered.append(url)
        # Refusals are read too: a 403 or 404 page must not name the child either.
        body = response.content.decode("utf-8", errors="replace")
        if leaks := _leaks(body, strings, words):
            problems.append(f"{url}: {response.status_code} shows {leaks[:3]}")
    assert not problems, "\n".join(problems)
    # The governor's own pages were really reached, not refused.
    for url in (
        "/governor/",
        "/schools/riverside/summary/",
        "/schools/riverside/summary/print/",
        "/schools/riverside/summary.csv",
        f"/trusts/{trust.slug}/summary/",
    ):
        assert url in answered, url
    assert not any(url.startswith("/children/") for url in answered)


def test_summary_pages_and_csv_name_no_child(client, demo):
    school, trust = demo
    strings, words = _forbidden(school)
    client.force_login(User.objects.get(email="governor@example.org"))
    for url in (
        "/governor/",
        "/schools/riverside/summary/",
        "/schools/riverside/summary/print/",
        "/schools/riverside/summary.csv",
        f"/trusts/{trust.slug}/summary/",
        f"/trusts/{trust.slug}/summary/print/",
        f"/trusts/{trust.slug}/summary.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(response.content.decode(), strings, words), url
    # The check itself can see a name: the SENDCo's child page shows one.
    client.force_login(User.objects.get(email="sendco@example.org"))
    child = Child.objects.filter(school=school).first()
    page = client.get(f"/children/{child.pk}/")
    assert page.status_code == 200 and _leaks(page.content.decode(), strings, words)

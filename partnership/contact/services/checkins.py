"""Answering the weekly check-in, the alerts it raises, and each parent's choice of how
often it comes.

A one-tap link carries a signed token that names one check-in and a rating; the token
only identifies the check-in, the answer is written once (the first answer wins).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.accounts.models import User
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import (
    STAFF_ROLES,
    WHOLE_SCHOOL_ROLES,
    Child,
    KeyContact,
    Membership,
    Role,
    School,
)

from ..models import (
    Channel,
    CheckIn,
    CheckInFrequency,
    CheckInPreference,
    ContactEntry,
    HeardFromSchool,
    StartedBy,
)
from . import Refused

RATINGS = [
    (1, gettext_lazy("Really hard")),
    (2, gettext_lazy("Hard")),
    (3, gettext_lazy("Okay")),
    (4, gettext_lazy("Good")),
    (5, gettext_lazy("Really good")),
]
RATING_LABELS = dict(RATINGS)
# A week rated this or lower tells the key contact, as a call-back request does.
LOW_RATING = 2
TOKEN_SALT = "checkin"
# Long enough for a parent who reads email at the weekend after next; after that the link
# says to sign in and answer on the portal.
TOKEN_MAX_AGE = timedelta(days=14)


class CheckInRefused(Refused):
    """A check-in rule was broken; the message is for the person who tried."""


def checkin_token(*, checkin: CheckIn, rating: int) -> str:
    return signing.dumps({"c": checkin.pk, "r": rating}, salt=TOKEN_SALT)


def checkin_token_read(token: str, *, max_age: timedelta | None = TOKEN_MAX_AGE) -> tuple[int, int]:
    """(check-in id, rating) from a one-tap link.

    Raises signing.SignatureExpired for an old link and signing.BadSignature for one that
    was changed or made without the key.
    """
    payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    if not isinstance(payload, dict):
        raise signing.BadSignature("Unexpected check-in token")
    checkin_id, rating = payload.get("c"), payload.get("r")
    if not isinstance(checkin_id, int) or rating not in RATING_LABELS:
        raise signing.BadSignature("Unexpected check-in token")
    return checkin_id, rating


def checkin_children(checkin: CheckIn):
    """The parent's children at the check-in's school: what the check-in is about."""
    return (
        Child.objects.of_parent(checkin.parent_id)
        .filter(school_id=checkin.school_id)
        .order_by("first_name", "pk")
    )


def first_names(names: list[str]) -> str:
    """ "Ava", "Ava and Noah", "Ava, Mia and Noah"."""
    return str(get_text_list(names, _("and")))


def _summary(checkin: CheckIn) -> str:
    parts = [
        _("Weekly check-in: this week was “%(label)s” (%(rating)s of 5).")
        % {"label": RATING_LABELS[checkin.rating], "rating": checkin.rating}
    ]
    if checkin.wants_call:
        parts.append(_("Asked for a call."))
    if checkin.heard_from_school:
        parts.append(
            _("Heard from school this half-term: %(answer)s.")
            % {"answer": str(HeardFromSchool(checkin.heard_from_school).label).lower()}
        )
    if checkin.message:
        parts.append(_("Message: %(message)s") % {"message": checkin.message})
    return " ".join(parts)


@transaction.atomic
def checkin_answer(
    *,
    checkin: CheckIn,
    rating: int,
    message: str = "",
    wants_call: bool = False,
    heard_from_school: str = "",
) -> CheckIn:
    """Record the parent's answer once, as a parent-started contact entry, and tell the
    children's key contacts if the parent asked for a call or had a hard week."""
    if rating not in RATING_LABELS:
        raise CheckInRefused(_("Please choose how the week was, from 1 to 5."))
    if heard_from_school and heard_from_school not in HeardFromSchool.values:
        raise CheckInRefused(_("Please choose one of the answers about hearing from school."))
    now = timezone.now()
    answer = {
        "rating": rating,
        "message": message.strip(),
        "wants_call": wants_call,
        "heard_from_school": heard_from_school,
    }
    # Compare-and-swap: of two answers racing (a double tap, two devices), one wins.
    won = CheckIn.objects.filter(pk=checkin.pk, answered_at__isnull=True).update(
        answered_at=now, **answer
    )
    if not won:
        raise CheckInRefused(_("You have already answered this week's check-in – thank you."))
    checkin = CheckIn.objects.select_related("parent", "school").get(pk=checkin.pk)
    children = list(checkin_children(checkin))
    entry = ContactEntry.objects.create(
        school=checkin.school,
        happened_at=now,
        channel=Channel.CHECK_IN,
        started_by=StartedBy.PARENT,
        summary=_summary(checkin),
        shared_with_family=True,
        author=checkin.parent,
    )
    entry.children.set(children)
    entry.parents.set([checkin.parent])
    if checkin.wants_call or checkin.rating <= LOW_RATING:
        checkin_alert(checkin=checkin, children=children)
    return checkin


def alert_recipients(*, school: School, children: list[Child], parent: User) -> list[User]:
    """The children's key contacts who are staff on the portal, or, if there are none, the
    school's SENDCos. Never the parent themselves (a teacher who is also a parent)."""
    key_contacts = KeyContact.objects.filter(
        child__in=children,
        membership__school=school,
        membership__role__in=STAFF_ROLES,
        membership__is_active=True,
    ).values("membership__user")
    people = User.objects.filter(pk__in=key_contacts, is_active=True).exclude(pk=parent.pk)
    if not people.exists():
        sendcos = Membership.objects.active().filter(school=school, role=Role.SENDCO)
        people = User.objects.filter(pk__in=sendcos.values("user"), is_active=True).exclude(
            pk=parent.pk
        )
    return list(people.order_by("pk"))


def _staff_url(school: School, leads: bool) -> str:
    if leads:
        try:
            return settings.SITE_URL + reverse("contact_dashboard", args=[school.slug])
        except NoReverseMatch:
            pass
    return settings.SITE_URL + reverse("staff_home")


def checkin_alert(*, checkin: CheckIn, children: list[Child]) -> int:
    """One email to each person to tell, once per check-in.

    It names the children by first name and says why, but never quotes the parent's
    message: email is less private than the portal, so staff read it there.
    """
    people = alert_recipients(school=checkin.school, children=children, parent=checkin.parent)
    leaders = set(
        Membership.objects.active()
        .filter(school=checkin.school, role__in=WHOLE_SCHOOL_ROLES, user__in=people)
        .values_list("user_id", flat=True)
    )
    written = 0
    for person in people:
        _message, created = message_enqueue_from_templates(
            key=f"checkin-alert:{checkin.pk}:{person.pk}",
            kind="checkin_alert",
            to_email=person.email,
            template="checkin_alert",
            context={
                "name": person.get_short_name(),
                "first_names": first_names([child.first_name for child in children]),
                "wants_call": checkin.wants_call,
                "low_rating": checkin.rating <= LOW_RATING,
                "rating": checkin.rating,
                "school": checkin.school,
                "staff_url": _staff_url(checkin.school, person.pk in leaders),
            },
            school=checkin.school,
            recipient=person,
        )
        written += created
    return written


@transaction.atomic
def checkin_call_done(*, checkin: CheckIn, by: User) -> CheckIn:
    """Mark that school has called the family back (once; the first mark stands)."""
    won = CheckIn.objects.filter(pk=checkin.pk, call_done_at__isnull=True).update(
        call_done_at=timezone.now()
    )
    if not won:
        raise CheckInRefused(_("Someone has already marked this call as done."))
    checkin.refresh_from_db(fields=["call_done_at"])
    return checkin


@transaction.atomic
def checkin_preference_set(*, parent: User, school: School, frequency: str) -> CheckInPreference:
    if frequency not in CheckInFrequency.values:
        raise CheckInRefused(_("Please choose weekly, every two weeks or no check-ins."))
    preference, _created = CheckInPreference.objects.update_or_create(
        parent=parent, school=school, defaults={"frequency": frequency}
    )
    return preference

"""Which child (and school) a request concerns, worked out from its URL alone.

The middleware knows the URL's name and keyword arguments, nothing more. Each id-bearing
keyword has a resolver: a one-row query reading the row's child and school ids. There is
no access check here on purpose: the view has already decided, and the trail records what
was asked for, including what was refused. A new URL whose keyword is not listed still
gets a row (with its record number); it is only missing the child until a resolver is
added here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.http import HttpRequest

from partnership.contact.models import AgreedAction, Broadcast, CheckIn, ContactEntry
from partnership.coproduction.models import Consultation, SupportRequest
from partnership.meetings.models import Booking, GroupSession, Slot
from partnership.plans.models import HomeObservation, PassportProposal, Placement, PlanCycle, Target
from partnership.praise.models import Praise
from partnership.schools.models import Child, School


@dataclass(frozen=True)
class Resolver:
    """Gives a queryset of at most one row with `child_ref` and `school_ref`."""

    lookup: Callable[[object], QuerySet]
    # False for rows that never name a child: a staff member's GET of them is not a read
    # of a child's record, so the middleware skips the query.
    names_child: bool = True


NO_CHILD = Value(None, output_field=IntegerField())


@dataclass(frozen=True)
class Subject:
    child_id: int | None = None
    school_id: int | None = None


def _of_child_row(model) -> Resolver:
    """For rows with a `child` foreign key."""
    return Resolver(
        lambda pk: model.objects.filter(pk=pk).values(
            child_ref=F("child_id"), school_ref=F("child__school_id")
        )
    )


def _of_school_row(model, school_path: str = "school_id") -> Resolver:
    """For rows that belong to a school but to no one child."""
    return Resolver(
        lambda pk: model.objects.filter(pk=pk).values(
            child_ref=NO_CHILD, school_ref=F(school_path)
        ),
        names_child=False,
    )


def _first_child_of_entry(entry_ref) -> Subquery:
    # A contact entry may be about siblings; the trail names the lowest child id, so a
    # search for a sibling's file can miss it. One query still answers.
    through = ContactEntry.children.through
    return Subquery(
        through.objects.filter(contactentry_id=entry_ref)
        .order_by("child_id")
        .values("child_id")[:1]
    )


def contact_entry_row(pk) -> QuerySet:
    return ContactEntry.objects.filter(pk=pk).values(
        child_ref=_first_child_of_entry(OuterRef("pk")), school_ref=F("school_id")
    )


def agreed_action_row(pk) -> QuerySet:
    return AgreedAction.objects.filter(pk=pk).values(
        child_ref=_first_child_of_entry(OuterRef("entry_id")), school_ref=F("entry__school_id")
    )


def child_row(pk) -> QuerySet:
    return Child.objects.filter(pk=pk).values(child_ref=F("pk"), school_ref=F("school_id"))


def school_row(slug) -> QuerySet:
    return School.objects.filter(slug=slug).values(child_ref=NO_CHILD, school_ref=F("pk"))


def booking_row(pk) -> QuerySet:
    return Booking.objects.filter(pk=pk).values(
        child_ref=F("child_id"), school_ref=F("slot__school_id")
    )


# Checked in this order: the most specific record first (a booking inside a school's
# pages names the child; the school's slug only the school).
BY_KWARG: dict[str, Resolver] = {
    "child_id": Resolver(child_row),
    "target_id": _of_child_row(Target),
    "cycle_id": _of_child_row(PlanCycle),
    "observation_id": _of_child_row(HomeObservation),
    "proposal_id": _of_child_row(PassportProposal),
    "praise_id": _of_child_row(Praise),
    "booking_id": Resolver(booking_row),
    "entry_id": Resolver(contact_entry_row),
    "action_id": Resolver(agreed_action_row),
    "checkin_id": _of_school_row(CheckIn),
    "slot_id": _of_school_row(Slot),
    "session_id": _of_school_row(GroupSession),
    "broadcast_id": _of_school_row(Broadcast),
}

# URLs whose id is a bare `pk`: the URL's name says what kind of row it is.
BY_VIEW: dict[str, tuple[str, Resolver]] = {
    "placement_edit": ("pk", _of_child_row(Placement)),
    "placement_share": ("pk", _of_child_row(Placement)),
    "support_withdraw": ("pk", _of_school_row(SupportRequest)),
    "consultation_answer": ("pk", _of_school_row(Consultation)),
}

# Slugs that name something other than a school.
NOT_A_SCHOOL_SLUG = frozenset({"trust_summary", "trust_summary_print", "trust_summary_csv"})

# Not about any child's record: signing in and out (allauth keeps its own security
# records), choosing which hat to wear, the front door.
IGNORED_PREFIXES = ("/accounts/", "/static/", "/media/")
# The subject access downloads write their own export row: only they know whose data a
# parent's export holds.
IGNORED_VIEWS = frozenset(
    {
        "home",
        "switch_hat",
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
        "subject_export_child",
        "subject_export_parent",
    }
)

EXPORT_SUFFIXES = ("_csv", "_print", "_export")


def audit_subject_note(
    request: HttpRequest, *, school_id: int | None, child_id: int | None = None
) -> None:
    """Let a view name what it showed when the URL alone cannot say (a filter chosen in
    the query string); saves the middleware its lookup. A noted GET is recorded as a read
    whoever the reader is: the audit page itself is audited."""
    request.audit_subject = Subject(child_id=child_id, school_id=school_id)


def _admin_resolver(view_name: str, object_id: str) -> Resolver | None:
    """The admin's change and delete pages: `admin:<app>_<model>_change`."""
    if not object_id.isdigit():
        return None
    parts = view_name.removeprefix("admin:").split("_")
    if len(parts) != 3:
        return None
    try:
        model = apps.get_model(parts[0], parts[1])
    except LookupError:
        return None
    if model is Child:
        return Resolver(child_row)
    for field, resolver in (("child", _of_child_row), ("school", _of_school_row)):
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        return resolver(model)
    return None


def _resolver_for(view_name: str, kwargs: dict) -> tuple[Resolver, object] | None:
    if view_name in BY_VIEW:
        kwarg, resolver = BY_VIEW[view_name]
        if kwarg in kwargs:
            return resolver, kwargs[kwarg]
    for kwarg, resolver in BY_KWARG.items():
        if kwarg in kwargs:
            return resolver, kwargs[kwarg]
    if view_name.startswith("admin:") and "object_id" in kwargs:
        resolver = _admin_resolver(view_name, str(kwargs["object_id"]))
        return (resolver, int(kwargs["object_id"])) if resolver else None
    if "slug" in kwargs and view_name not in NOT_A_SCHOOL_SLUG:
        return Resolver(school_row, names_child=False), kwargs["slug"]
    return None


def subject_query(view_name: str, kwargs: dict, *, child_only: bool = False) -> QuerySet | None:
    """The one-row query naming the child and school this URL concerns, if any; with
    `child_only`, None unless the URL's record can belong to a child."""
    found = _resolver_for(view_name, kwargs)
    if found is None or (child_only and not found[0].names_child):
        return None
    resolver, value = found
    return resolver.lookup(value)


def record_number(kwargs: dict) -> int | None:
    """The URL's last whole-number argument: the record the page is about."""
    number = None
    for key, value in kwargs.items():
        if isinstance(value, int):
            number = value
        elif key == "object_id" and str(value).isdigit() and len(str(value)) < 19:
            # The admin passes its ids as text.
            number = int(value)
    return number


def is_export(view_name: str) -> bool:
    return view_name.endswith(EXPORT_SUFFIXES)

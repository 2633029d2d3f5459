"""Meetings with families (P2, P3, P7): slots staff publish, bookings parents make, and
group sessions (coffee mornings, workshops) with places and a waiting list.

The database guarantees the booking rules, not Python alone: one live booking per slot
(a partial unique index), a session's confirmed places never above its capacity (a check
constraint on a counter kept under a row lock) and, on PostgreSQL, no two live slots of
one host overlapping (an exclusion constraint added in migration 0002).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import Child, Membership, School

User = settings.AUTH_USER_MODEL


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class SlotPattern(models.Model):
    """A weekly pattern, e.g. five 20-minute slots on Tuesday and Thursday mornings.

    Slots are generated from it for the weeks ahead (and kept topped up by the scheduled
    tick), so the diary always shows bookable time (P7).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="slot_patterns")
    host = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="slot_patterns")
    # Python weekdays (0 = Monday), comma-separated: "1,3" is Tuesday and Thursday.
    weekdays = models.CharField(_("days"), max_length=13)
    first_starts_at = models.TimeField(_("first meeting starts at"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per meeting"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    slot_count = models.PositiveSmallIntegerField(
        _("meetings each day"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("minutes between meetings"), default=0, validators=[MaxValueValidator(60)]
    )
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    location = models.CharField(_("where"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    weeks_ahead = models.PositiveSmallIntegerField(
        _("weeks to keep open ahead"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "host", "pk"]

    def __str__(self) -> str:
        return f"Slot pattern {self.pk} of membership {self.host_id}"

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(day) for day in self.weekdays.split(",") if day != ""]


class Slot(models.Model):
    """A time a member of staff offers for a one-to-one meeting with a family."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="slots")
    host = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    location = models.CharField(_("where"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    pattern = models.ForeignKey(
        SlotPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    # Until then only families needing closer contact may book it (they are offered first).
    priority_until = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["school", "starts_at"], name="slot_school_when"),
            models.Index(fields=["host", "starts_at"], name="slot_host_when"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after"),
            # A pattern run twice must not publish the same time twice.
            models.UniqueConstraint(
                fields=["host", "starts_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_slot_per_host_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Slot {self.pk} of membership {self.host_id}"


class Booking(models.Model):
    """A parent's booking of a slot, for a named child."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="bookings")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookings")
    # The parent, or the member of staff who booked on their behalf after a call.
    booked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("what you would like to talk about"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # A move cancels this booking and points at the new one.
    moved_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The contact log entry written when the meeting is marked held.
    contact_entry = models.OneToOneField(
        "contact.ContactEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
    )

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        indexes = [
            models.Index(fields=["parent", "status"], name="booking_parent_status"),
            models.Index(fields=["child", "status"], name="booking_child_status"),
        ]
        constraints = [
            # The guarantee against double booking; the service also locks the slot row.
            models.UniqueConstraint(
                fields=["slot"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} of slot {self.slot_id}"


class Topic(models.TextChoices):
    CURRICULUM = "curriculum", _("The curriculum")
    NEED = "need", _("Understanding your child's need")
    AUTISM = "autism", _("Autism")
    WELLBEING = "wellbeing", _("Wellbeing")
    BEHAVIOUR = "behaviour", _("Managing behaviour")
    STRESS = "stress", _("Managing stress")
    MEETING_PARENTS = "meeting_parents", _("Meeting other parents")
    OTHER = "other", _("Other")


class GroupSession(models.Model):
    """A coffee morning or workshop for parents, with a capacity and a waiting list."""

    class Kind(models.TextChoices):
        COFFEE_MORNING = "coffee_morning", _("Coffee morning")
        WORKSHOP = "workshop", _("Workshop")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="group_sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("what it is about"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    location = models.CharField(_("where"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    # Kept by the services under a lock on this row; the check constraint is the backstop.
    confirmed_count = models.PositiveSmallIntegerField(default=0)
    host = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_sessions",
        verbose_name=_("led by"),
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "starts_at"], name="session_school_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")), name="session_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"Group session {self.pk} at school {self.school_id}"


class SessionPlace(models.Model):
    """A parent's place at a group session, or their turn on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="places")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_places")
    # The child whose family this counts for (six meetings a year are counted per child).
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="session_places")
    status = models.CharField(max_length=10, choices=Status.choices)
    # The waiting list moves up in the order people joined.
    joined_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    contact_entry = models.ForeignKey(
        "contact.ContactEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session_places",
    )

    class Meta:
        ordering = ["session", "joined_at", "pk"]
        indexes = [models.Index(fields=["session", "status", "joined_at"], name="place_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "parent"],
                condition=~Q(status="cancelled"),
                name="one_live_place_per_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"Place {self.pk} at session {self.session_id}"


class CalendarFeed(models.Model):
    """A person's private calendar feed of their meetings. Only a hash of the secret in its
    address is kept; a new address replaces the old one."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"

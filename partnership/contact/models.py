"""Contact between school and families: the log both sides can see, each family's contact
plan, the weekly check-in, and messages to groups of parents (broadcasts) with the key
documents parents must be able to find again.

Rows about a child go through `Child.objects.visible_to(user)` before anything else.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import Child, School

User = settings.AUTH_USER_MODEL


class Frequency(models.TextChoices):
    """How often a family and school agreed to be in touch."""

    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    HALF_TERMLY = "half_termly", _("Every half-term")


# Days allowed between contacts before a family is "due" and then "overdue". A half-term
# is about seven weeks.
FREQUENCY_DAYS = {
    Frequency.DAILY: 1,
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.HALF_TERMLY: 49,
}
# The same default for every age: contact must not drop off at secondary school.
DEFAULT_FREQUENCY = Frequency.FORTNIGHTLY
SENDCO_MEETINGS_A_YEAR = 6


class ContactPlan(models.Model):
    """The contact a child's family and school agreed. A child without one follows
    DEFAULT_FREQUENCY."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="contact_plan")
    frequency = models.CharField(
        _("how often we are in touch"),
        max_length=16,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCY,
    )
    sendco_meetings_target = models.PositiveSmallIntegerField(
        _("meetings with the SENDCo a year"), default=SENDCO_MEETINGS_A_YEAR
    )
    notes = models.TextField(_("what we agreed"), blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Contact plan for child {self.child_id}"


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    IN_PERSON = "in_person", _("In person (e.g. at the gate)")
    VIDEO = "video", _("Video call")
    TEXT = "text", _("Text message")
    HOME_VISIT = "home_visit", _("Home visit")
    CHECK_IN = "check_in", _("Weekly check-in")


# A contact with the SENDCo by one of these counts towards the six meetings a year.
MEETING_CHANNELS = (Channel.MEETING, Channel.VIDEO, Channel.HOME_VISIT)


class StartedBy(models.TextChoices):
    SCHOOL = "school", _("School")
    PARENT = "parent", _("Parent or carer")


class ContactEntry(models.Model):
    """One contact between school and a family, about one or more children."""

    # No index of its own: "contact_by_school" (school, time) serves every read by school,
    # and a second index on school alone led PostgreSQL to read a school's whole history
    # where it wanted a few weeks.
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="contact_entries", db_index=False
    )
    children = models.ManyToManyField(Child, related_name="contact_entries")
    parents = models.ManyToManyField(User, blank=True, related_name="contact_entries")
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    started_by = models.CharField(
        _("who started it"), max_length=8, choices=StartedBy.choices, default=StartedBy.SCHOOL
    )
    summary = models.TextField(_("summary"))
    shared_with_family = models.BooleanField(
        _("the family can read this note"),
        default=True,
        help_text=_("Untick for notes only staff should read."),
    )
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="contact_entries_written"
    )
    # Set when the author was the school's SENDCo and the channel a meeting: the
    # SENDCo's "six meetings a year" counts these.
    is_sendco_meeting = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name_plural = "contact entries"
        indexes = [models.Index(fields=["school", "-happened_at"], name="contact_by_school")]

    def __str__(self) -> str:
        return f"Contact {self.pk} at school {self.school_id}"


class AgreedAction(models.Model):
    entry = models.ForeignKey(ContactEntry, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what we agreed to do"), max_length=300)
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreed_actions",
        verbose_name=_("who will do it"),
    )
    owner_label = models.CharField(_("or who, if not on the portal"), max_length=100, blank=True)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk} of contact {self.entry_id}"


class Confirmation(models.Model):
    """A parent's side of the record: "yes, we spoke" or "that is not how I remember it"."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Yes, that is right")
        DISPUTED = "disputed", _("That is not how I remember it")

    entry = models.ForeignKey(ContactEntry, on_delete=models.CASCADE, related_name="confirmations")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    note = models.TextField(_("anything to add"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "parent"], name="one_answer_per_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.answer} by user {self.parent_id} on contact {self.entry_id}"


class CheckInFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    NONE = "none", _("No check-ins, thank you")


class CheckInPreference(models.Model):
    """A parent's choice of how often the check-in comes from one school."""

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        _("weekly check-in"),
        max_length=12,
        choices=CheckInFrequency.choices,
        default=CheckInFrequency.WEEKLY,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "school"], name="one_checkin_choice"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.frequency} for user {self.parent_id}"


class HeardFromSchool(models.TextChoices):
    """The parent's own count, set beside the school's log (the perception gap)."""

    NOT_AT_ALL = "0", _("Not at all")
    ONCE_OR_TWICE = "1-2", _("Once or twice")
    FEW_TIMES = "3-5", _("A few times")
    MOST_WEEKS = "6-9", _("Most weeks")
    MORE = "10+", _("More than once a week")


class CheckIn(models.Model):
    """One weekly check-in to one parent from one school: sent, then maybe answered."""

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    # No index of its own: "checkin_by_school" (school, week) serves reads by school (see
    # ContactEntry.school).
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    week_of = models.DateField(help_text="The Monday of the school's week it belongs to.")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("how was this week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    message = models.TextField(_("anything to tell us"), blank=True)
    wants_call = models.BooleanField(_("I would like a call"), default=False)
    call_done_at = models.DateTimeField(null=True, blank=True)
    heard_from_school = models.CharField(
        _("how often have you heard from school this half-term?"),
        max_length=4,
        choices=HeardFromSchool.choices,
        blank=True,
    )

    class Meta:
        ordering = ["-week_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "school", "week_of"], name="one_checkin_a_week"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-week_of"], name="checkin_by_school"),
            # Calls parents asked for and nobody has made yet, however old: the dashboard
            # reads them for every family, and they are a handful among years of weeks.
            models.Index(
                fields=["school"],
                condition=models.Q(wants_call=True, call_done_at__isnull=True),
                name="checkin_call_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk} for user {self.parent_id}, week of {self.week_of}"


class Broadcast(models.Model):
    """A message from school to a group of parents, each sent through the outbox once."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="broadcasts")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # How the audience was chosen, in words for the list ("Year 4 families").
    audience = models.CharField(_("sent to"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Broadcast {self.pk} from school {self.school_id}"


class BroadcastRecipient(models.Model):
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="broadcasts_received")
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "parent"], name="one_copy_per_parent"),
        ]

    def __str__(self) -> str:
        return f"Broadcast {self.broadcast_id} to user {self.parent_id}"


class KeyDocument(models.Model):
    """A plan or policy that matters to parents, kept where they can find it (P6)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="key_documents")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it says, in a few plain words"))
    link = models.URLField(_("where to read it in full"), blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(_("show to parents"), default=True)

    class Meta:
        ordering = ["school", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "title"],
                condition=Q(is_current=True),
                name="one_current_document_per_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title

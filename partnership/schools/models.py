import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.choices import choice_label


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Trust(models.Model):
    """A multi-academy trust (or local authority) running the portal for several schools.
    Its trustees see the governors' summary across all of them."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    trustees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trusts", verbose_name=_("trustees")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    trust = models.ForeignKey(
        Trust, on_delete=models.SET_NULL, null=True, blank=True, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    # The weekly check-in goes out at this local time; emails to parents are only sent
    # inside the sending hours (outside them they wait), both in the school's time zone.
    checkin_weekday = models.PositiveSmallIntegerField(
        _("check-in day"), choices=WEEKDAYS, default=4
    )
    checkin_time = models.TimeField(_("check-in time"), default=datetime.time(14, 0))
    sending_from = models.TimeField(_("send emails to parents from"), default=datetime.time(8, 0))
    sending_until = models.TimeField(_("until"), default=datetime.time(19, 0))
    # Staff who have not logged praise by the end of the school day get a nudge then; the
    # weekly praise digest goes to parents at its own day and time (P8).
    school_day_ends = models.TimeField(_("school day ends"), default=datetime.time(15, 30))
    praise_digest_weekday = models.PositiveSmallIntegerField(
        _("praise digest day"), choices=WEEKDAYS, default=5
    )
    praise_digest_time = models.TimeField(_("praise digest time"), default=datetime.time(9, 30))
    # Parents may book, cancel or move a meeting until this many hours before it; a new
    # slot is kept for families needing closer contact for this many days (P2, P7).
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("booking changes close (hours before)"), default=24
    )
    priority_booking_days = models.PositiveSmallIntegerField(
        _("days new slots are kept for families needing closer contact"), default=3
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("School administrator")
    SENDCO = "sendco", _("SENDCo")
    TEACHER = "teacher", _("Teacher")
    TEACHING_ASSISTANT = "teaching_assistant", _("Teaching assistant")
    GOVERNOR = "governor", _("Governor")


# Staff in these roles see every child at their school; teachers and assistants see the
# children they work with; governors see aggregates only, never a child.
WHOLE_SCHOOL_ROLES = (Role.ADMINISTRATOR, Role.SENDCO)
CLASSROOM_ROLES = (Role.TEACHER, Role.TEACHING_ASSISTANT)
STAFF_ROLES = WHOLE_SCHOOL_ROLES + CLASSROOM_ROLES


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A person's role at a school. One person may hold several (a teacher who is also
    the SEND governor) and may also be a parent through FamilyLink."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="one_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.school}"


class YearGroup(models.IntegerChoices):
    NURSERY = -1, _("Nursery")
    RECEPTION = 0, _("Reception")
    Y1 = 1, _("Year 1")
    Y2 = 2, _("Year 2")
    Y3 = 3, _("Year 3")
    Y4 = 4, _("Year 4")
    Y5 = 5, _("Year 5")
    Y6 = 6, _("Year 6")
    Y7 = 7, _("Year 7")
    Y8 = 8, _("Year 8")
    Y9 = 9, _("Year 9")
    Y10 = 10, _("Year 10")
    Y11 = 11, _("Year 11")
    Y12 = 12, _("Year 12")
    Y13 = 13, _("Year 13")


class SendStatus(models.TextChoices):
    SEN_SUPPORT = "sen_support", _("SEN support")
    EHC_PLAN = "ehc_plan", _("EHC plan")


class AreaOfNeed(models.TextChoices):
    """The DfE's primary types of need (school census codes)."""

    SPLD = "SPLD", _("Specific learning difficulty")
    MLD = "MLD", _("Moderate learning difficulty")
    SLD = "SLD", _("Severe learning difficulty")
    PMLD = "PMLD", _("Profound and multiple learning difficulty")
    SEMH = "SEMH", _("Social, emotional and mental health")
    SLCN = "SLCN", _("Speech, language and communication needs")
    HI = "HI", _("Hearing impairment")
    VI = "VI", _("Vision impairment")
    MSI = "MSI", _("Multi-sensory impairment")
    PD = "PD", _("Physical disability")
    ASD = "ASD", _("Autistic spectrum disorder")
    OTH = "OTH", _("Other difficulty or disability")
    NSA = "NSA", _("SEN support but no specialist assessment of type of need")


class Attendance(models.TextChoices):
    IN_SCHOOL = "in_school", _("In school")
    REMOTE = "remote", _("Learning remotely")


def _as_parent(user) -> Q:
    return Q(pk__in=FamilyLink.objects.filter(parent=user).values("child"))


def known_not_staff(user) -> bool:
    """True when the person came with their standing (accounts/standing.py: the signed-in
    person does) and it holds no active staff role: then they see no child as staff, and
    nothing need be asked of the database to know it."""
    # Imported here: accounts.standing reads this module's models.
    from partnership.accounts.standing import known_standing

    standing = known_standing(user)
    return standing is not None and not standing.is_staff_member


def _as_staff(user) -> Q:
    if known_not_staff(user):
        return Q(pk__in=[])
    memberships = Membership.objects.active().filter(user=user)
    return Q(school__in=memberships.filter(role__in=WHOLE_SCHOOL_ROLES).values("school")) | Q(
        pk__in=Assignment.objects.filter(
            membership__in=memberships.filter(role__in=CLASSROOM_ROLES)
        ).values("child")
    )


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChildQuerySet":
        """Every child this person may see, through any of their roles.

        The one access rule for children: parents see the children they are linked to;
        administrators and SENDCos see their school's children; teachers and assistants
        see the children they work with; governors see none. Subqueries rather than joins,
        so a child reached two ways appears once.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(_as_parent(user) | _as_staff(user))

    def of_parent(self, user) -> "ChildQuerySet":
        """The children a person sees as a parent or carer (not in a staff role)."""
        return self.filter(_as_parent(user))

    def for_staff(self, user) -> "ChildQuerySet":
        """The children a person sees in their staff roles (not as a parent)."""
        return self.filter(_as_staff(user))

    def on_roll(self) -> "ChildQuerySet":
        """Children still at the school. Leavers are archived: their record is kept (and
        open to those who may see it) until the school's retention period ends, but they
        drop out of lists, dashboards and the weekly emails."""
        return self.filter(left_on__isnull=True)


class Child(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="children")
    mis_id = models.CharField(
        _("MIS reference"),
        max_length=64,
        blank=True,
        help_text=_("The pupil's reference in the school's MIS, used to match imports."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    year_group = models.SmallIntegerField(_("year group"), choices=YearGroup.choices)
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    send_status = models.CharField(_("SEND status"), max_length=16, choices=SendStatus.choices)
    primary_need = models.CharField(
        _("primary area of need"), max_length=8, choices=AreaOfNeed.choices
    )
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.IN_SCHOOL
    )
    left_on = models.DateField(_("left the school on"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "mis_id"], condition=~Q(mis_id=""), name="one_mis_id_per_school"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_secondary_age(self) -> bool:
        return self.year_group >= YearGroup.Y7

    # Read once a row on the SENDCo's dashboard: see choice_label.
    def get_year_group_display(self) -> str:
        return choice_label(YearGroup, self.year_group)

    def get_send_status_display(self) -> str:
        return choice_label(SendStatus, self.send_status)

    def get_primary_need_display(self) -> str:
        return choice_label(AreaOfNeed, self.primary_need)


class RetentionPolicy(models.Model):
    """How long the school keeps what the portal holds (UK GDPR storage limitation).

    The defaults follow the usual schools' records guidance: SEN records until the child
    is 25 plus six years; the free text of contact notes and check-in answers for less;
    copies of sent emails for 90 days.
    """

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="retention")
    sen_records_until_age = models.PositiveSmallIntegerField(
        _("keep a leaver's SEN record until they are"), default=25
    )
    sen_records_extra_years = models.PositiveSmallIntegerField(_("plus this many years"), default=6)
    contact_notes_months = models.PositiveSmallIntegerField(
        _("keep what contact notes say for (months)"),
        default=24,
        help_text=_("After that the note's words are removed; that contact happened is kept."),
    )
    checkin_messages_months = models.PositiveSmallIntegerField(
        _("keep what parents wrote in check-ins for (months)"), default=12
    )
    sent_emails_days = models.PositiveSmallIntegerField(
        _("keep copies of sent emails for (days)"), default=90
    )

    def __str__(self) -> str:
        return f"Retention policy of school {self.school_id}"


class Assignment(models.Model):
    """A teacher or teaching assistant who works with a child."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assignments")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "child"], name="one_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"Membership {self.membership_id} works with child {self.child_id}"


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CARER = "carer", _("Carer")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    IN_PERSON = "in_person", _("In person")
    PORTAL = "portal", _("Message on this portal")


class FamilyLink(models.Model):
    """A parent or carer linked to a child: the only way a parent sees a child."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_links"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_links")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(_("parental responsibility"), default=True)
    preferred_channel = models.CharField(
        _("preferred way to be contacted"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.EMAIL,
    )
    preferred_language = models.CharField(_("preferred language"), max_length=50, default="English")

    class Meta:
        ordering = ["child", "parent"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="one_link_per_parent_child"),
        ]

    def __str__(self) -> str:
        return f"User {self.parent_id} – {self.get_relationship_display()} of child {self.child_id}"


class KeyContact(models.Model):
    """Who a family contacts about what, how and when (P1)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="key_contacts")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_contact_for",
        help_text=_("The member of staff, if they use the portal."),
    )
    name = models.CharField(_("name"), max_length=150)
    role_title = models.CharField(_("role"), max_length=100)
    about = models.CharField(_("contact them about"), max_length=200)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    contact_detail = models.CharField(_("phone number or email"), max_length=150, blank=True)
    hours = models.CharField(_("when"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["child", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role_title})"

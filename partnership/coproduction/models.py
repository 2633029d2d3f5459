"""Co-production with parents (P3, P5, P6): consultations before a change to provision,
"you said, we did", support parents ask for, and the SEND parent group.

The governors' summary reads these and the other apps' rows in aggregate only; its one
table keeps the summaries already worked out (SummarySnapshot), so a page need not re-read
two years of rows on every view.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.meetings.models import GroupSession, Topic
from partnership.schools.models import School, Trust

User = settings.AUTH_USER_MODEL


class Consultation(models.Model):
    """A question (or a short survey) put to a group of parents before a change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("You said, we did published")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("title"), max_length=150)
    background = models.TextField(
        _("what is changing and why"),
        help_text=_("Plain words: what school is thinking of changing, and why."),
    )
    # The audience in words, kept as it was when the consultation opened.
    audience_label = models.CharField(max_length=200, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # "You said, we did": what parents said, what changed, what did not and why.
    you_said = models.TextField(_("what parents said"), blank=True)
    we_did = models.TextField(_("what we changed"), blank=True)
    not_changed = models.TextField(_("what did not change, and why"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="consultation_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_consultation_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation {self.pk} at school {self.school_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() < self.closes_at


class ConsultationQuestion(models.Model):
    """A statement parents agree with, are not sure about, or disagree with."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("statement"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "order", "pk"]

    def __str__(self) -> str:
        return f"Question {self.pk} of consultation {self.consultation_id}"


class ConsultationInvite(models.Model):
    """A parent asked to answer: fixed when the consultation opens, so the response rate
    has a true denominator and only those asked may answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invites")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consultation_invites")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "parent"], name="one_invite_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"Invite of user {self.parent_id} to consultation {self.consultation_id}"


class ConsultationResponse(models.Model):
    """One parent's answer; they may change it until the consultation closes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    parent = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consultation_responses"
    )
    comment = models.TextField(_("anything else you want to tell us"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "parent"], name="one_response_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"Response of user {self.parent_id} to consultation {self.consultation_id}"


class Choice(models.TextChoices):
    AGREE = "agree", _("Agree")
    NOT_SURE = "not_sure", _("Not sure")
    DISAGREE = "disagree", _("Disagree")


class ConsultationAnswer(models.Model):
    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class SupportRequest(models.Model):
    """Support a parent would like from school, on one topic, and how they would like it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Asked")
        OFFERED = "offered", _("Session offered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="support_requests")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="support_requests")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    online = models.BooleanField(_("online"), default=False)
    in_person = models.BooleanField(_("in person"), default=False)
    resources = models.BooleanField(_("things to read or watch"), default=False)
    note = models.CharField(_("anything else"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The group session school put on in answer (the parent is told).
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "topic", "status"], name="support_by_topic")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "topic"],
                condition=Q(status="open"),
                name="one_open_request_per_topic",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | Q(in_person=True) | Q(resources=True),
                name="support_request_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"Support request {self.pk} at school {self.school_id}"


class ParentGroupMember(models.Model):
    """A parent in the school's SEND parent group; one may be its representative, who also
    sees the governors' summary."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="parent_group")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parent_groups")
    joined_at = models.DateTimeField(default=timezone.now)
    is_representative = models.BooleanField(_("parent representative"), default=False)

    class Meta:
        ordering = ["school", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "parent"], name="one_membership_of_group"),
        ]

    def __str__(self) -> str:
        return f"User {self.parent_id} in the parent group of school {self.school_id}"


class SummarySnapshot(models.Model):
    """A governors' summary as it was worked out at `computed_at`, for one school or one
    trust and one period. It holds exactly what the summary holds (counts, shares, medians,
    labels): no name, no id, no free text. summary/store.py decides when it is fresh."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        TRUST = "trust", _("Trust")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    trust = models.ForeignKey(
        Trust, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period_key = models.CharField(max_length=20)  # "2026-27-autumn", "2026-27"
    computed_at = models.DateTimeField()
    summary = models.JSONField()
    compute_ms = models.PositiveIntegerField()  # how long the figures took to work out

    class Meta:
        constraints = [
            # A school's snapshot names its school only, a trust's its trust only.
            models.CheckConstraint(
                condition=(
                    Q(kind="school", school__isnull=False, trust__isnull=True)
                    | Q(kind="trust", trust__isnull=False, school__isnull=True)
                ),
                name="snapshot_names_its_school_or_trust",
            ),
            models.UniqueConstraint(
                fields=["school", "period_key"],
                condition=Q(kind="school"),
                name="one_snapshot_per_school_period",
            ),
            models.UniqueConstraint(
                fields=["trust", "period_key"],
                condition=Q(kind="trust"),
                name="one_snapshot_per_trust_period",
            ),
        ]

    def __str__(self) -> str:
        owner = self.school_id if self.kind == self.Kind.SCHOOL else self.trust_id
        return f"Summary snapshot of {self.kind} {owner} for {self.period_key}"

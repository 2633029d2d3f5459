"""The graduated approach in rows: plan cycles, targets, reviews, interventions, the
parent's home observations and the pupil passport.

Every row hangs off a child, so access always goes through
`Child.objects.visible_to(user)` (or its parent / staff halves) first.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.choices import choice_label
from partnership.schools.models import AreaOfNeed, Child, Membership, School

User = settings.AUTH_USER_MODEL


class PlanCycle(models.Model):
    """One turn of assess – plan – do – review for a child."""

    class Status(models.TextChoices):
        OPEN = "open", _("Current")
        CLOSED = "closed", _("Reviewed")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plan_cycles")
    starts_on = models.DateField(_("starts"))
    review_on = models.DateField(_("review date"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_summary = models.TextField(_("what the review found"), blank=True)

    class Meta:
        ordering = ["child", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="open"), name="one_open_cycle_per_child"
            ),
            models.CheckConstraint(
                condition=Q(review_on__gte=models.F("starts_on")), name="review_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "review_on"], name="cycle_reviews_due")]

    def __str__(self) -> str:
        return f"Plan cycle {self.pk} for child {self.child_id}"


class Outcome(models.TextChoices):
    """How a target ended at review."""

    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_YET = "not_yet", _("Not yet achieved")
    CARRIED_FORWARD = "carried_forward", _("Carried forward")


class Target(models.Model):
    """An outcome the child is working towards, written with the family (P4, P5)."""

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="targets")
    # Denormalised from the cycle so access and listings filter on one indexed column.
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="targets")
    outcome = models.TextField(_("the target, in plain words"))
    area_of_need = models.CharField(_("area of need"), max_length=8, choices=AreaOfNeed.choices)
    baseline = models.TextField(_("where they are now (baseline)"), blank=True)
    success_criteria = models.TextField(_("how we will know it is achieved"), blank=True)
    how_to_help_at_home = models.TextField(
        _("how to help at home"),
        blank=True,
        help_text=_("Required before the target is shared with the family."),
    )
    parent_agreed_on = models.DateField(_("parent agreed on"), null=True, blank=True)
    parent_agreed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared with the family"), null=True, blank=True)
    # Set when the family has been emailed about this target (batched with others).
    family_notified_at = models.DateTimeField(null=True, blank=True)
    outcome_at_review = models.CharField(
        _("outcome at review"), max_length=16, choices=Outcome.choices, blank=True
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    baseline_observation = models.ForeignKey(
        "HomeObservation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="baseline_for",
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "created_at", "pk"]
        indexes = [models.Index(fields=["child", "shared_at"], name="target_child_shared")]
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | ~Q(how_to_help_at_home=""),
                name="shared_target_says_how_to_help_at_home",
            ),
        ]

    def __str__(self) -> str:
        return f"Target {self.pk} for child {self.child_id}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class Rating(models.IntegerChoices):
    """A small scale so a family sees a trend over time, not a single word."""

    NOT_STARTED = 1, _("Not started")
    EMERGING = 2, _("Emerging")
    DEVELOPING = 3, _("Developing")
    SECURE = 4, _("Nearly there")
    ACHIEVED = 5, _("Achieved")


class ProgressReview(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date"), default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(
        _("progress"),
        choices=Rating.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    family_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target", "reviewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="rating_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of target {self.target_id}"

    # Read for every review of every target on the child page: see choice_label.
    def get_rating_display(self) -> str:
        return choice_label(Rating, self.rating)


class Intervention(models.Model):
    """An entry in the school's catalogue: a reading programme, a speech and language
    group, emotional literacy support..."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("what it is, in plain words"), blank=True)
    home_support_ideas = models.TextField(_("ideas for supporting it at home"), blank=True)
    is_active = models.BooleanField(_("offered now"), default=True)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="one_intervention_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A child's place on an intervention."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="placements"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    staff = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("run by"),
    )
    frequency = models.CharField(_("how often"), max_length=100)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    entry_measure = models.CharField(_("measure at the start"), max_length=200, blank=True)
    exit_measure = models.CharField(_("measure at the end"), max_length=200, blank=True)
    targets = models.ManyToManyField(Target, blank=True, related_name="placements")
    home_support = models.TextField(
        _("how to support it at home"),
        blank=True,
        help_text=_("Shown to the family. Leave empty to use the catalogue's ideas."),
    )
    shared_at = models.DateTimeField(_("shared with the family"), null=True, blank=True)

    class Meta:
        ordering = ["child", "-starts_on"]

    def __str__(self) -> str:
        return f"Placement {self.pk} of child {self.child_id}"

    @property
    def home_ideas(self) -> str:
        return self.home_support or self.intervention.home_support_ideas


def observation_photo_path(instance: "HomeObservation", filename: str) -> str:
    # No names in paths: the child's id and a random name only.
    import secrets
    from pathlib import Path

    suffix = Path(filename).suffix.lower()[:5]
    return f"observations/{instance.child_id}/{secrets.token_hex(16)}{suffix}"


class HomeObservationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HomeObservationQuerySet":
        """The one rule for reading home observations.

        Staff who work with the child see every family member's observations (not the
        withdrawn ones). A parent sees only their own, withdrawn included: in a separated
        family one parent's account of home life is not the other's to read.
        """
        return self.filter(
            Q(child__in=Child.objects.for_staff(user), withdrawn_at__isnull=True) | Q(author=user)
        )


class HomeObservation(models.Model):
    """What the family sees at home: evidence that counts (P4)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="observations")
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("about the target"),
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="observations")
    text = models.TextField(_("what you saw at home"))
    photo = models.ImageField(_("photo"), upload_to=observation_photo_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = HomeObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["child", "-created_at"], name="observation_by_child")]

    def __str__(self) -> str:
        return f"Home observation {self.pk} for child {self.child_id}"


class ObservationReply(models.Model):
    observation = models.ForeignKey(
        HomeObservation, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "observation replies"

    def __str__(self) -> str:
        return f"Reply {self.pk} to observation {self.observation_id}"


class PassportVersion(models.Model):
    """One version of the pupil passport (one-page profile). The newest is current;
    earlier ones are kept."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="passport_versions")
    number = models.PositiveIntegerField()
    admire = models.TextField(_("what people like and admire about me"))
    important = models.TextField(_("what is important to me"))
    support = models.TextField(_("how best to support me"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    from_proposal = models.OneToOneField(
        "PassportProposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="version",
    )

    class Meta:
        ordering = ["child", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["child", "number"], name="one_passport_number"),
        ]

    def __str__(self) -> str:
        return f"Passport v{self.number} for child {self.child_id}"


class PassportProposal(models.Model):
    """A family's proposed change to the passport, waiting for staff to accept it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for school")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not taken up")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="passport_proposals")
    based_on = models.ForeignKey(
        PassportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    admire = models.TextField(_("what people like and admire about me"))
    important = models.TextField(_("what is important to me"))
    support = models.TextField(_("how best to support me"))
    note = models.TextField(_("anything else for the school"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the family"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Passport proposal {self.pk} for child {self.child_id}"

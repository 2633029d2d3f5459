"""Praise (P8): what an adult saw a child do well, in one of the school's values, seen by
the family, who can say thank you (P9).

Praise is positive only: there is no negative counterpart anywhere in the portal.
Every row hangs off a child, so access goes through `Child.objects.visible_to(user)`
(or its parent / staff halves) like the rest of the child's record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import Child, School

User = settings.AUTH_USER_MODEL

# Offered to a school that has not chosen its own values yet.
SUGGESTED_VALUES = [
    ("Kindness", "Helping, sharing, looking after someone"),
    ("Resilience", "Keeping going when something was hard"),
    ("Curiosity", "Asking questions, trying something new"),
    ("Teamwork", "Working well with others"),
    ("Independence", "Doing something on their own for the first time"),
    ("Communication", "Saying how they feel or what they need"),
]


class PraiseValue(models.Model):
    """One of the school's values: the categories praise is given in."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="praise_values")
    name = models.CharField(_("value"), max_length=60)
    description = models.CharField(_("what it looks like"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Retired values keep their old praise; they are no longer offered.
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="one_value_name_per_school"),
        ]

    def __str__(self) -> str:
        return self.name


class PraiseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PraiseQuerySet":
        """Praise of every child the person may see, through any of their roles."""
        return self.filter(child__in=Child.objects.visible_to(user))

    def of_parent(self, user) -> "PraiseQuerySet":
        """Praise of the person's own children (as a parent or carer)."""
        return self.filter(child__in=Child.objects.of_parent(user))


class Praise(models.Model):
    # No index of its own: "praise_school_when" (school, time) serves every read by school.
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="praise", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="praise")
    value = models.ForeignKey(PraiseValue, on_delete=models.PROTECT, related_name="praise")
    note = models.CharField(_("what they did"), max_length=280)
    target = models.ForeignKey(
        "plans.Target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="praise",
        verbose_name=_("target it relates to"),
    )
    given_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="praise_given"
    )
    given_at = models.DateTimeField(default=timezone.now)
    # One moment of praise for several children shares a batch, so "again" repeats it all.
    batch = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = PraiseQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name_plural = "praise"
        indexes = [
            models.Index(fields=["child", "-given_at"], name="praise_child_recent"),
            models.Index(fields=["school", "given_at"], name="praise_school_when"),
            models.Index(fields=["given_by", "-given_at"], name="praise_adult_recent"),
            models.Index(fields=["batch"], name="praise_batch"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="praise_says_what_they_did"),
        ]

    def __str__(self) -> str:
        return f"Praise {self.pk} for child {self.child_id}"


class PraiseThanks(models.Model):
    """A parent's thank-you for one piece of praise; the adult who gave it sees it."""

    praise = models.ForeignKey(Praise, on_delete=models.CASCADE, related_name="thanks")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "praise thanks"
        constraints = [
            models.UniqueConstraint(fields=["praise", "parent"], name="one_thanks_per_parent"),
        ]

    def __str__(self) -> str:
        return f"Thanks from user {self.parent_id} for praise {self.praise_id}"


class PraiseReminder(models.Model):
    """A member of staff's choice about the end-of-day praise nudge (on unless switched off)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="praise_reminder")
    daily_nudge = models.BooleanField(_("remind me at the end of the school day"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Praise reminder for user {self.user_id}: {self.daily_nudge}"

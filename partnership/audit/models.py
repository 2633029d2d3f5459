"""Who read or changed what about a child, and what they were refused.

One row per audited request, written by the middleware. Rows hold ids and short codes
only: never a query string, form data, a token or anything a person typed, so the trail
itself holds no special-category data beyond "this person touched this child's record".

The client's IP address is deliberately not kept. It is personal data; a plain hash of
an IPv4 address is reversed by trying all four billion of them, so hashing would only
look safe; and allauth's user sessions already keep the address of each signed-in
session, which is where an investigation of a stolen account starts.

The trail is append-only as far as the portal goes: no service updates a row, and the
admin shows rows read-only. Whoever holds the database credentials can still change or
delete rows; protecting against them is the job of database permissions and backups.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import Child, School


class Action(models.TextChoices):
    READ = "read", _("Read")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    DENIED = "denied", _("Denied")


class Outcome(models.TextChoices):
    OK = "ok", _("Allowed")
    DENIED = "denied", _("Refused")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    # SET_NULL throughout: deleting a person, a school or (under retention) a child must
    # not take the record of who looked at what with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    child = models.ForeignKey(
        Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # The URL's name ("child_detail", "target_edit"): what kind of record was touched.
    what = models.CharField(_("what"), max_length=80)
    object_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    method = models.CharField(max_length=8)
    status_code = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["child", "-at"], name="audit_by_child"),
            models.Index(fields=["school", "-at"], name="audit_by_school"),
            models.Index(fields=["user", "-at"], name="audit_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.what} by user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def what_display(self) -> str:
        from .labels import what_label

        return what_label(self.what)

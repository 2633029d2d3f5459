"""Who a broadcast goes to: a group of parents at one school, described in a few words.

An audience names children (a year group, a class, an area of need…); the parents are
those linked to them. A parent with two children in the group is still one recipient.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnership.accounts.models import User
from partnership.schools.models import (
    AreaOfNeed,
    Attendance,
    Child,
    FamilyLink,
    School,
    YearGroup,
)


class AudienceKind(models.TextChoices):
    # Every child on the portal is on the school's SEND register, so "all SEND families"
    # is every family at the school.
    ALL = "all", gettext_lazy("All SEND families")
    YEAR_GROUP = "year_group", gettext_lazy("One year group")
    CLASS = "class", gettext_lazy("One class")
    NEED = "need", gettext_lazy("One area of need")
    REMOTE = "remote", gettext_lazy("Families of children learning remotely")
    CHOSEN = "chosen", gettext_lazy("Families I choose")


@dataclass(frozen=True)
class Audience:
    """One group of families. Only the field that goes with `kind` is read."""

    kind: AudienceKind
    year_group: int | None = None
    class_name: str = ""
    need: str = ""
    child_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # A group missing its detail would silently mean "nobody" (or worse, everybody).
        missing = {
            AudienceKind.YEAR_GROUP: self.year_group is None,
            AudienceKind.CLASS: not self.class_name,
            AudienceKind.NEED: not self.need,
            AudienceKind.CHOSEN: not self.child_ids,
        }.get(AudienceKind(self.kind), False)
        if missing:
            raise ValueError(f"An audience of kind {self.kind} needs its detail")


def audience_children(school: School, audience: Audience) -> QuerySet[Child]:
    """The school's children the audience is about. Ids of other schools' children are
    ignored: a hand-picked list can only pick from this school."""
    children = Child.objects.filter(school=school).on_roll()
    kind = AudienceKind(audience.kind)
    if kind == AudienceKind.YEAR_GROUP:
        return children.filter(year_group=audience.year_group)
    if kind == AudienceKind.CLASS:
        return children.filter(class_name=audience.class_name)
    if kind == AudienceKind.NEED:
        return children.filter(primary_need=audience.need)
    if kind == AudienceKind.REMOTE:
        return children.filter(attendance=Attendance.REMOTE)
    if kind == AudienceKind.CHOSEN:
        return children.filter(pk__in=audience.child_ids)
    return children


def audience_parents(school: School, audience: Audience) -> QuerySet[User]:
    """Active parents and carers linked to a child in the audience, each once.

    A subquery rather than a join, so a parent of two matching children appears once.
    Parents who have not yet accepted their invitation are left out: they cannot sign in
    to read the message.
    """
    links = FamilyLink.objects.filter(child__in=audience_children(school, audience))
    return User.objects.filter(is_active=True, pk__in=links.values("parent")).order_by(
        "full_name", "email", "pk"
    )


def audience_label(audience: Audience) -> str:
    """The audience in words, as the list of broadcasts and the preview show it."""
    kind = AudienceKind(audience.kind)
    if kind == AudienceKind.YEAR_GROUP:
        year = YearGroup(audience.year_group).label
        return _("%(year)s families") % {"year": year}
    if kind == AudienceKind.CLASS:
        return _("Families in class %(name)s") % {"name": audience.class_name}
    if kind == AudienceKind.NEED:
        need = AreaOfNeed(audience.need).label
        return _("Families of children whose main need is: %(need)s") % {"need": need}
    if kind == AudienceKind.CHOSEN:
        count = len(set(audience.child_ids))
        # Counted in children: two chosen brothers are one family, which only the
        # database knows; the preview shows the number of families.
        return ngettext(
            "Families of %(count)s chosen child",
            "Families of %(count)s chosen children",
            count,
        ) % {"count": count}
    return str(kind.label)

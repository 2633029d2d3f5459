"""The school's values: the categories its praise is given in. The SENDCo or an
administrator chooses them; retired values keep their old praise and are not offered."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from partnership.schools.models import School

from ..models import SUGGESTED_VALUES, PraiseValue
from . import Refused


class PraiseValueRefused(Refused):
    """A rule about the school's values was broken; the message is for the person."""


def _clean_name(school: School, name: str, *, keep: PraiseValue | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise PraiseValueRefused(_("Please give the value a name."))
    same = PraiseValue.objects.filter(school=school, name__iexact=name)
    if keep is not None:
        same = same.exclude(pk=keep.pk)
    if same.exists():
        raise PraiseValueRefused(
            _("Your school already has a value called “%(name)s”.") % {"name": name}
        )
    return name


@transaction.atomic
def praise_value_add(*, school: School, name: str, description: str = "") -> PraiseValue:
    """A new value, offered straight away, after the school's existing ones."""
    name = _clean_name(school, name)
    last = PraiseValue.objects.filter(school=school).aggregate(last=Max("order"))["last"]
    return PraiseValue.objects.create(
        school=school,
        name=name,
        description=description.strip(),
        order=0 if last is None else last + 1,
    )


@transaction.atomic
def praise_value_update(
    *, value: PraiseValue, name: str, description: str, order: int
) -> PraiseValue:
    """Rename or reword a value: its old praise moves with it."""
    value.name = _clean_name(value.school, name, keep=value)
    value.description = description.strip()
    value.order = order
    value.save(update_fields=["name", "description", "order"])
    return value


@transaction.atomic
def praise_value_retire(*, value: PraiseValue) -> PraiseValue:
    """Stop offering a value; the praise already given in it stays as it was."""
    if value.is_active:
        value.is_active = False
        value.save(update_fields=["is_active"])
    return value


@transaction.atomic
def praise_value_restore(*, value: PraiseValue) -> PraiseValue:
    if not value.is_active:
        value.is_active = True
        value.save(update_fields=["is_active"])
    return value


@transaction.atomic
def praise_value_delete(*, value: PraiseValue) -> None:
    """Delete a value nobody has used; a used value can only be retired, so no child
    loses praise they were given."""
    locked = PraiseValue.objects.select_for_update().get(pk=value.pk)
    if locked.praise.exists():
        raise PraiseValueRefused(
            _("“%(name)s” has been used for praise, so it can be retired but not deleted.")
            % {"name": locked.name}
        )
    locked.delete()


@transaction.atomic
def praise_values_use_suggested(*, school: School) -> list[PraiseValue]:
    """Start a school with no values of its own from the suggested ones."""
    if PraiseValue.objects.filter(school=school).exists():
        raise PraiseValueRefused(
            _("Your school already has its values; add or change them one at a time.")
        )
    return PraiseValue.objects.bulk_create(
        PraiseValue(school=school, name=name, description=description, order=order)
        for order, (name, description) in enumerate(SUGGESTED_VALUES)
    )

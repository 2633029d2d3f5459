"""A parent says thank you for praise (P9), once per piece of praise."""

from django.db import transaction
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import Child

from ..models import Praise, PraiseThanks
from . import Refused

MESSAGE_MAX = PraiseThanks._meta.get_field("message").max_length


class ThanksRefused(Refused):
    pass


@transaction.atomic
def praise_thank(*, praise: Praise, parent: User, message: str = "") -> PraiseThanks:
    """Record this parent's thanks for the praise; saying it again keeps one thank-you.

    A second thank-you with words replaces the earlier words; one without words keeps them,
    so a double tap on "Say thank you" never wipes a message.
    """
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise ThanksRefused(
            _("Please keep your message to %(limit)d characters or fewer.") % {"limit": MESSAGE_MAX}
        )
    # Only a parent or carer of the child thanks for their praise; staff are not family.
    if not Child.objects.of_parent(parent).filter(pk=praise.child_id).exists():
        raise ThanksRefused(_("Only the child's family can say thank you for this praise."))
    # get_or_create retries the read when a concurrent tap wins the unique constraint.
    thanks, created = PraiseThanks.objects.get_or_create(
        praise=praise, parent=parent, defaults={"message": message}
    )
    if not created and message and message != thanks.message:
        thanks.message = message
        thanks.save(update_fields=["message"])
    return thanks

"""Each person's private calendar feed: an address with a secret in it that their phone's
calendar polls. Only a hash of the secret is stored, so a database leak does not hand out
working addresses; making a new address replaces (and so switches off) the old one."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User

from ..models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, user: User) -> str:
    """Make a new feed address for `user`; returns its secret, which is never stored and
    cannot be shown again."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_feed_stop(*, user: User) -> bool:
    """Switch the feed off; True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0


def calendar_feed_owner(token: str) -> User | None:
    """The person whose feed this is, or None.

    Looked up by the hash through the unique index: the database compares hashes, never
    the secret, so timing says nothing about how much of a guess was right.
    """
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None

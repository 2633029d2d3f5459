"""Writing the audit trail. There is deliberately no update or delete service: the
trail is append-only as far as the portal goes."""

import logging

from django.db import DatabaseError

from .models import Action, AuditEvent, Outcome

logger = logging.getLogger(__name__)


def audit_event_record(
    *,
    user_id: int | None,
    action: str,
    what: str,
    method: str,
    status_code: int,
    school_id: int | None = None,
    child_id: int | None = None,
    object_id: int | None = None,
) -> AuditEvent | None:
    """One row, one INSERT. A failure is logged (ids and codes only) and swallowed: the
    person's request has already been answered and must not turn into an error page.

    No savepoint around the insert: outside a transaction (how requests run here) a
    failed INSERT leaves the connection usable, and a savepoint would cost two more
    queries on every audited page.
    """
    event = AuditEvent(
        user_id=user_id,
        school_id=school_id,
        child_id=child_id,
        action=action,
        what=what[:80],
        object_id=object_id,
        method=method[:8],
        status_code=status_code,
        outcome=Outcome.DENIED if action == Action.DENIED else Outcome.OK,
    )
    try:
        event.save(force_insert=True)
    except DatabaseError:
        logger.exception(
            "Audit row not written: action=%s what=%s user=%s child=%s object=%s status=%s",
            action,
            what,
            user_id,
            child_id,
            object_id,
            status_code,
        )
        return None
    return event

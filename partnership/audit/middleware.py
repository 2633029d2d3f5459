"""Writes the audit trail without any view having to remember to.

After the response, the URL's name and keyword arguments decide whether the request is
audited and as what:
- 403 or 404 on a URL naming a record, for a signed-in person: denied;
- POST, PUT, PATCH or DELETE answered 2xx or 3xx: change (by anyone, signed in or holding
  a link);
- a GET of a CSV, print or export URL: export;
- a GET answered 200 on a URL concerning a child, by staff: read. Parents reading their
  own child's pages are not recorded: the issue asks who at school looked.
It costs at most two queries: one to learn the child and school from the URL, one INSERT.
"""

import logging

from django.http import HttpRequest, HttpResponse

from partnership.accounts.standing import standing_of

from .models import Action
from .registry import (
    IGNORED_PREFIXES,
    IGNORED_VIEWS,
    Subject,
    is_export,
    record_number,
    subject_query,
)
from .services import audit_event_record

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A GET that is a read only if it concerns a child and the reader is staff.
READ_IF_STAFF = "read?"


def classify(*, method: str, status: int, view_name: str, has_kwargs: bool, signed_in: bool):
    """The action a request counts as, READ_IF_STAFF when only the reader and the child
    can tell, or None when it is not audited."""
    if status in (403, 404):
        return Action.DENIED if signed_in and has_kwargs else None
    if method not in SAFE_METHODS:
        return Action.CHANGE if 200 <= status < 400 else None
    if status != 200 or method == "OPTIONS" or not signed_in:
        return None
    return Action.EXPORT if is_export(view_name) else READ_IF_STAFF


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            self.record(request, response)
        except Exception:
            # The person has their answer; an audit fault is logged loudly, never shown.
            logger.exception("Audit of a %s request failed", request.method)
        return response

    def record(self, request: HttpRequest, response: HttpResponse) -> None:
        match = request.resolver_match
        if match is None or request.path.startswith(IGNORED_PREFIXES):
            return
        view_name = match.view_name or ""
        if view_name in IGNORED_VIEWS:
            return
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        action = classify(
            method=request.method or "",
            status=response.status_code,
            view_name=view_name,
            has_kwargs=bool(match.kwargs),
            signed_in=signed_in,
        )
        if action is None:
            return
        subject: Subject | None = getattr(request, "audit_subject", None)
        if subject is not None:
            # The view named its subject: no look-up, and its GET is always a read.
            if action == READ_IF_STAFF:
                action = Action.READ
        else:
            subject, reader_is_staff = self.look_up(view_name, match.kwargs, user, action)
            if action == READ_IF_STAFF:
                if subject.child_id is None or not reader_is_staff:
                    return
                action = Action.READ
        audit_event_record(
            user_id=user.pk if signed_in else None,
            school_id=subject.school_id,
            child_id=subject.child_id,
            action=action,
            what=view_name,
            object_id=record_number(match.kwargs),
            method=request.method or "",
            status_code=response.status_code,
        )

    @staticmethod
    def look_up(view_name: str, kwargs: dict, user, action) -> tuple[Subject, bool]:
        """The child and school (one query), and for a possible read whether the reader
        holds a staff role anywhere, which comes with the signed-in person: a parent's
        reads are not recorded, so for a parent there is nothing to look up. A Django
        admin user counts as staff."""
        reader_is_staff = user.is_staff
        if action == READ_IF_STAFF:
            reader_is_staff = reader_is_staff or standing_of(user).is_staff_member
            if not reader_is_staff:
                return Subject(), False
        query = subject_query(view_name, kwargs, child_only=action == READ_IF_STAFF)
        if query is None:
            return Subject(), False
        row = query.first()
        if row is None:
            return Subject(), False
        return Subject(child_id=row["child_ref"], school_id=row["school_ref"]), reader_is_staff

"""Fetching a child, or a row about a child, for a person – or answering 404.

Every plan view starts here, so no view fetches a child-related row by id without the
access-scoped querysets of partnership.schools.
"""

from django.db.models import Model, QuerySet
from django.http import Http404

from partnership.schools.models import WHOLE_SCHOOL_ROLES, Child, Membership


def child_visible(user, child_id: int) -> Child:
    """Any child the person may see (as parent or staff)."""
    return _one(Child.objects.visible_to(user).select_related("school"), child_id)


def child_as_parent(user, child_id: int) -> Child:
    """A child the person is linked to as a parent or carer: they may add to its record."""
    return _one(Child.objects.of_parent(user).select_related("school"), child_id)


def child_as_staff(user, child_id: int) -> Child:
    """A child the person works with as staff: they may write its plan."""
    return _one(Child.objects.for_staff(user).select_related("school"), child_id)


def leads_send_at(user, school_id: int) -> bool:
    """SENDCos and administrators run reviews and the catalogue for their school."""
    return (
        Membership.objects.active()
        .filter(user=user, school_id=school_id, role__in=WHOLE_SCHOOL_ROLES)
        .exists()
    )


def row_for_children(queryset: QuerySet, children: QuerySet, pk: int, field: str = "child"):
    """One row of `queryset` whose child is among `children`, or 404."""
    return _one(queryset.filter(**{f"{field}__in": children}), pk)


def _one(queryset: QuerySet, pk: int) -> Model:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404("Not found") from None

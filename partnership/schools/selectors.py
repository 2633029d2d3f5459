"""Reads shared by the homes and child pages. Query counts stay flat as data grows."""

from django.db.models import Prefetch, QuerySet

from .models import Child, KeyContact


def _with_contacts(children: QuerySet) -> QuerySet:
    return children.select_related("school").prefetch_related(
        Prefetch("key_contacts", queryset=KeyContact.objects.order_by("order", "pk"))
    )


def children_for_parent(user) -> QuerySet:
    """A parent's children, each with school, contact plan and key contacts (2 queries)."""
    return (
        _with_contacts(Child.objects.of_parent(user))
        .select_related("contact_plan")
        .order_by("first_name", "last_name")
    )


def children_for_staff(user) -> QuerySet:
    return (
        Child.objects.for_staff(user)
        .on_roll()
        .select_related("school")
        .order_by("school__name", "year_group", "last_name", "first_name")
    )

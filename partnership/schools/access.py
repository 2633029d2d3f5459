"""Who may use a school's own tools (inviting people, importing, the outbox).

Rows about children are scoped by `Child.objects.visible_to`; this module answers the
other question: may this person act for this school, in which roles?
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import WHOLE_SCHOOL_ROLES, Membership, School


def school_for(user, slug: str, roles=WHOLE_SCHOOL_ROLES) -> School:
    """The school named by slug if the person holds one of `roles` there, else 404."""
    school = get_object_or_404(School, slug=slug)
    if not Membership.objects.active().filter(user=user, school=school, role__in=roles).exists():
        raise Http404("No such school")
    return school


def schools_for(user, roles=WHOLE_SCHOOL_ROLES):
    return School.objects.filter(
        pk__in=Membership.objects.active().filter(user=user, role__in=roles).values("school")
    )

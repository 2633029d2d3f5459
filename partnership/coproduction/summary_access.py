"""Who may read the governors' summary, and of which school or trust.

The summary is aggregate only, but it still describes a school's families, so it is shown
to the people the school answers to: its governors, its SEND leads (to check what the board
will see), and the parent representative of its SEND parent group. A trust's summary is for
the trust's trustees. Everyone else gets a 404, as for any row they may not see.
"""

from functools import wraps

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from partnership.schools.models import Membership, Role, School, Trust

from .models import ParentGroupMember

SUMMARY_ROLES = (Role.GOVERNOR, Role.SENDCO, Role.ADMINISTRATOR)


def schools_with_summary(user) -> QuerySet[School]:
    """The schools whose summary this person may read (one query when evaluated)."""
    if not user.is_authenticated:
        return School.objects.none()
    membership = Membership.objects.active().filter(
        user=user, school=OuterRef("pk"), role__in=SUMMARY_ROLES
    )
    representative = ParentGroupMember.objects.filter(
        parent=user, school=OuterRef("pk"), is_representative=True
    )
    return School.objects.filter(Q(Exists(membership)) | Q(Exists(representative)))


def governed_schools(user) -> QuerySet[School]:
    """The schools where this person sits on the board (their home lists these)."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(
        Exists(
            Membership.objects.active().filter(user=user, school=OuterRef("pk"), role=Role.GOVERNOR)
        )
    )


def trusts_with_summary(user) -> QuerySet[Trust]:
    if not user.is_authenticated:
        return Trust.objects.none()
    return Trust.objects.filter(trustees=user)


def summary_school_for(user, slug: str) -> School:
    """The school named by slug if this person may read its summary, else 404."""
    school = get_object_or_404(School, slug=slug)
    if not schools_with_summary(user).filter(pk=school.pk).exists():
        raise Http404("No such school")
    return school


def summary_trust_for(user, slug: str) -> Trust:
    trust = get_object_or_404(Trust, slug=slug)
    if not trusts_with_summary(user).filter(pk=trust.pk).exists():
        raise Http404("No such trust")
    return trust


def trustee_two_factor(view):
    """Trust-wide figures need two-factor sign-in as school staff's do. Trustees who hold no
    school role are not caught by the staff gate, so the trust pages ask here. Only of
    trustees: anyone else gets the 404 the page gives them, not a prompt to set up TOTP."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            and trusts_with_summary(request.user).exists()
        ):
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapped

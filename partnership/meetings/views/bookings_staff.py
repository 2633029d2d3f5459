"""Staff side of bookings: book a slot for a family (after a phone call, say), and record
whether a meeting was held or missed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.schools.access import school_for
from partnership.schools.models import STAFF_ROLES, WHOLE_SCHOOL_ROLES, Child, FamilyLink, Role

from .. import access
from ..forms_bookings import FamilyBookForm, OutcomeForm
from ..models import Booking, Slot
from ..services.bookings import BookingRefused, booking_make, booking_outcome


def _families_for(user, slot: Slot):
    """The families whose child this slot's host may meet about and this person works
    with: every family for a SENDCo's slot, a key contact's own children otherwise."""
    children = Child.objects.for_staff(user).filter(school=slot.school_id)
    if not (slot.host.is_active and slot.host.role == Role.SENDCO):
        children = children.filter(key_contacts__membership=slot.host)
    return (
        FamilyLink.objects.filter(child__in=children)
        .select_related("child", "parent")
        .order_by("child__class_name", "child__last_name", "child__first_name", "pk")
    )


def _may_book_for(user, slot: Slot) -> bool:
    # The host's own diary, or the SEND team's for everyone.
    leads = slot.school.memberships.active().filter(user=user, role__in=WHOLE_SCHOOL_ROLES)
    return slot.host.user_id == user.pk or leads.exists()


@login_required
def booking_for_family(request, slug: str, slot_id: int):
    school = school_for(request.user, slug, roles=STAFF_ROLES)
    slot = get_object_or_404(
        Slot.objects.filter(school=school, withdrawn_at__isnull=True).select_related(
            "school", "host__user"
        ),
        pk=slot_id,
    )
    if not _may_book_for(request.user, slot):
        raise Http404("Not found")
    live = slot.bookings.exclude(status=Booking.Status.CANCELLED).first()
    links = list(_families_for(request.user, slot))
    form = FamilyBookForm(request.POST or None, links=links)
    if request.method == "POST" and live is None and form.is_valid():
        link = form.link()
        try:
            booking = booking_make(
                slot=slot,
                child=link.child,
                parent=link.parent,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Booked. The family has been sent an email."))
            return redirect("booking_detail", booking_id=booking.pk)
    return render(
        request,
        "meetings/booking_for_family.html",
        {
            "school": school,
            "slot": slot,
            "form": form,
            "live": live,
            "started": slot.starts_at <= timezone.now(),
            "has_families": bool(links),
        },
    )


@login_required
def booking_outcome_view(request, slug: str, booking_id: int):
    school = school_for(request.user, slug, roles=STAFF_ROLES)
    booking = get_object_or_404(
        access.bookings_as_staff(request.user)
        .filter(Q(slot__school=school))
        .select_related("slot__school", "slot__host__user", "child", "parent"),
        pk=booking_id,
    )
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_outcome(booking=booking, by=request.user, held=form.held)
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            if form.held:
                messages.success(request, _("Recorded as held, and logged as contact."))
            else:
                messages.success(request, _("Recorded as missed."))
            return redirect("booking_detail", booking_id=booking.pk)
    return render(
        request,
        "meetings/booking_outcome.html",
        {"school": school, "booking": booking, "slot": booking.slot, "form": form},
    )


urlpatterns = [
    path(
        "schools/<slug:slug>/meetings/slots/<int:slot_id>/book-for/",
        booking_for_family,
        name="booking_for_family",
    ),
    path(
        "schools/<slug:slug>/meetings/bookings/<int:booking_id>/outcome/",
        booking_outcome_view,
        name="booking_outcome",
    ),
]

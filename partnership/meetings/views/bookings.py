"""Booking a one-to-one meeting: the parent's "Book a meeting" page, booking a time, and
one booking's page (add to calendar, cancel, move) for the family and for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.schools.models import Child

from .. import access
from ..forms_bookings import BookForm, CancelForm, MoveForm
from ..ics import booking_calendar
from ..models import Booking, Slot
from ..selectors_bookings import parent_past, parent_upcoming, slots_by_day
from ..services.bookings import (
    BookingRefused,
    SlotTaken,
    booking_cancel,
    booking_make,
    booking_move,
)
from . import bookings_staff

SLOTS_PER_PAGE = 30
# After "just taken", a short list of other times is enough to choose from.
OTHER_SLOTS_SHOWN = 12


def _page_of_slots(request, slots):
    page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
    return page


@login_required
def meeting_book_start(request):
    children = list(Child.objects.of_parent(request.user).select_related("school"))
    child = None
    if children:
        wanted = request.GET.get("child", "")
        child = next((c for c in children if str(c.pk) == wanted), children[0])
    now = timezone.now()
    page, days, opens = None, [], None
    if child is not None:
        closer = access.closer_contact_children(child.school, among=[child.pk])
        slots = access.open_slots_for(
            parent=request.user, child=child, now=now, closer_contact=closer
        )
        page = _page_of_slots(request, slots)
        days = slots_by_day(list(page.object_list), child.school.time_zone)
        opens = access.kept_until(child=child, now=now, closer_contact=closer)
    return render(
        request,
        "meetings/book_start.html",
        {
            "children": children,
            "child": child,
            "page": page,
            "days": days,
            "opens": opens,
            "upcoming": parent_upcoming(request.user, now),
            "past": parent_past(request.user, now),
        },
    )


def _children_for_slot(user, slot: Slot):
    """The parent's children this slot's host may meet about (none: the slot is not theirs
    to see). A parent has few children, so one small query each is fine."""
    children = Child.objects.of_parent(user).filter(school=slot.school_id)
    allowed = [c.pk for c in children if access.hosts_for_child(c).filter(pk=slot.host_id).exists()]
    return Child.objects.filter(pk__in=allowed).select_related("school").order_by("first_name")


@login_required
def meeting_book(request, slot_id: int):
    slot = get_object_or_404(
        Slot.objects.select_related("school", "host__user")
        .filter(school__children__in=Child.objects.of_parent(request.user))
        .distinct(),
        pk=slot_id,
    )
    children = _children_for_slot(request.user, slot)
    if not children:
        raise Http404("Not found")
    refusal = None
    if request.method == "POST" and "choose" not in request.POST:
        form = BookForm(request.POST, children=children)
        if form.is_valid():
            try:
                booking = booking_make(
                    slot=slot,
                    child=form.cleaned_data["child"],
                    parent=request.user,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except BookingRefused as refused:
                refusal = refused
            else:
                messages.success(
                    request,
                    _("Your meeting is booked. We have emailed you the details."),
                )
                return redirect("booking_detail", booking_id=booking.pk)
    else:
        # "choose" comes from the list after a time was taken: carry the note across.
        # A child's id may come in the address from the list; the note never does.
        fields = ("child", "note") if request.method == "POST" else ("child",)
        source = request.POST if request.method == "POST" else request.GET
        initial = {k: source[k] for k in fields if k in source}
        form = BookForm(initial=initial, children=children)
    child = _chosen_child(form, children)
    open_slots = access.open_slots_for(parent=request.user, child=child)
    if refusal is None and not open_slots.filter(pk=slot.pk).exists():
        refusal = SlotTaken() if slot.bookings.exclude(status="cancelled").exists() else None
        if refusal is None:
            refusal = BookingRefused(_("This time cannot be booked. Please choose another."))
    others = list(open_slots.exclude(pk=slot.pk)[:OTHER_SLOTS_SHOWN]) if refusal else []
    return render(
        request,
        "meetings/book_form.html",
        {
            "slot": slot,
            "form": form,
            "child": child,
            "refusal": refusal,
            "taken": isinstance(refusal, SlotTaken),
            "others": slots_by_day(others, slot.school.time_zone),
            "note": form["note"].value() or "",
        },
    )


def _chosen_child(form: BookForm, children) -> Child:
    value = str(form["child"].value() or "")
    return next((c for c in children if str(c.pk) == value), children[0])


def _booking_for(user, booking_id: int) -> Booking:
    return get_object_or_404(
        access.bookings_visible_to(user).select_related(
            "slot__school", "slot__host__user", "child", "parent", "moved_to__slot"
        ),
        pk=booking_id,
    )


def _acts_as_staff(user, booking: Booking) -> bool:
    # Someone who is both a parent and staff at the school acts as the parent for their
    # own booking.
    if booking.parent_id == user.pk:
        return False
    return access.bookings_as_staff(user).filter(pk=booking.pk).exists()


def _may_change(booking: Booking, as_staff: bool) -> bool:
    if booking.status != Booking.Status.BOOKED or booking.slot.starts_at <= timezone.now():
        return False
    return as_staff or booking.slot.starts_at > access.cutoff_from(
        booking.slot.school, timezone.now()
    )


@login_required
def booking_detail(request, booking_id: int):
    booking = _booking_for(request.user, booking_id)
    as_staff = _acts_as_staff(request.user, booking)
    started = booking.slot.starts_at <= timezone.now()
    return render(
        request,
        "meetings/booking_detail.html",
        {
            "booking": booking,
            "slot": booking.slot,
            "as_staff": as_staff,
            "may_change": _may_change(booking, as_staff),
            "may_record": as_staff and started and booking.status != Booking.Status.CANCELLED,
            "moved_from": Booking.objects.filter(moved_to=booking).first(),
        },
    )


@login_required
def booking_ics(request, booking_id: int):
    booking = _booking_for(request.user, booking_id)
    cancelled = booking.status == Booking.Status.CANCELLED
    response = HttpResponse(
        booking_calendar(booking, cancelled=cancelled), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{booking.pk}.ics"'
    return response


@login_required
def booking_cancel_view(request, booking_id: int):
    booking = _booking_for(request.user, booking_id)
    as_staff = _acts_as_staff(request.user, booking)
    form = CancelForm(request.POST or None, as_staff=as_staff)
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(booking=booking, by=request.user, reason=form.cleaned_data["reason"])
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The meeting is cancelled. We have sent an email."))
            return redirect("booking_detail", booking_id=booking.pk)
    return render(
        request,
        "meetings/booking_cancel.html",
        {
            "booking": booking,
            "slot": booking.slot,
            "form": form,
            "as_staff": as_staff,
            "may_change": _may_change(booking, as_staff),
        },
    )


@login_required
def booking_move_view(request, booking_id: int):
    booking = _booking_for(request.user, booking_id)
    as_staff = _acts_as_staff(request.user, booking)
    slots = access.open_slots_for(
        parent=booking.parent, child=booking.child, as_staff=as_staff
    ).exclude(pk=booking.slot_id)
    form = MoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            new = booking_move(booking=booking, to_slot=form.cleaned_data["slot"], by=request.user)
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your meeting has a new time. We have sent an email."))
            return redirect("booking_detail", booking_id=new.pk)
    page = _page_of_slots(request, slots)
    return render(
        request,
        "meetings/booking_move.html",
        {
            "booking": booking,
            "slot": booking.slot,
            "form": form,
            "page": page,
            "days": slots_by_day(list(page.object_list), booking.slot.school.time_zone),
            "may_change": _may_change(booking, as_staff),
        },
    )


urlpatterns = [
    path("meetings/", meeting_book_start, name="meeting_book_start"),
    path("meetings/slots/<int:slot_id>/book/", meeting_book, name="meeting_book"),
    path("meetings/bookings/<int:booking_id>/", booking_detail, name="booking_detail"),
    path("meetings/bookings/<int:booking_id>/calendar.ics", booking_ics, name="booking_ics"),
    path("meetings/bookings/<int:booking_id>/cancel/", booking_cancel_view, name="booking_cancel"),
    path("meetings/bookings/<int:booking_id>/move/", booking_move_view, name="booking_move"),
    *bookings_staff.urlpatterns,
]

"""The staff diary of meeting slots, and publishing and withdrawing availability (P7).

SENDCos and administrators see and manage every host's slots at their school; teachers
and assistants only their own. Anyone else gets 404, as does a slot or pattern outside
what the person manages.
"""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.schools.access import school_for
from partnership.schools.models import (
    STAFF_ROLES,
    WEEKDAYS,
    WHOLE_SCHOOL_ROLES,
    Membership,
    School,
)

from ..forms_slots import PatternStopForm, SlotForm, SlotPatternForm
from ..models import Booking, Slot, SlotPattern
from ..services.slots import (
    LIVE_BOOKING,
    SlotRefused,
    slot_create,
    slot_pattern_create,
    slot_pattern_stop,
    slot_withdraw,
)

SUMMARY_AHEAD = datetime.timedelta(weeks=4)


def managed_hosts(user, school: School):
    """The staff memberships whose diaries this person manages at the school."""
    mine = Membership.objects.active().filter(user=user, school=school)
    hosts = Membership.objects.active().filter(school=school, role__in=STAFF_ROLES)
    if not mine.filter(role__in=WHOLE_SCHOOL_ROLES).exists():
        hosts = hosts.filter(pk__in=mine.values("pk"))
    return hosts.select_related("user").order_by("user__full_name", "user__email", "pk")


def _school_and_hosts(request, slug: str):
    school = school_for(request.user, slug, roles=STAFF_ROLES)
    return school, managed_hosts(request.user, school)


def _week_monday(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week such as "2026-W48"; this week when missing or garbled."""
    if value:
        try:
            year, week = value.split("-W")
            return datetime.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return today - datetime.timedelta(days=today.weekday())


def _iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _slot_state(slot: Slot, now: datetime.datetime) -> tuple[str, Booking | None]:
    booking = slot.live_bookings[0] if slot.live_bookings else None
    if booking is not None:
        return booking.status, booking
    if slot.starts_at <= now:
        return "unused", None
    if slot.priority_until and slot.priority_until > now:
        return "kept", None
    return "open", None


def diary_hosts(hosts, school: School, monday: datetime.date, now: datetime.datetime, *, me=None):
    """Each host with their week: seven days, each with its slots and their state.

    Two queries however many slots: the slots with their hosts, and their live bookings
    with the parent and child.
    """
    zone = ZoneInfo(school.time_zone)
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        monday + datetime.timedelta(days=7), datetime.time.min, tzinfo=zone
    )
    bookings = Booking.objects.filter(status__in=LIVE_BOOKING).select_related("parent", "child")
    slots = (
        Slot.objects.filter(
            school=school,
            host__in=hosts,
            withdrawn_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("host__user", "pattern")
        .prefetch_related(Prefetch("bookings", queryset=bookings, to_attr="live_bookings"))
        .order_by("starts_at", "pk")
    )
    by_host: dict[int, dict[datetime.date, list]] = defaultdict(lambda: defaultdict(list))
    host_rows = {host.pk: host for host in hosts}
    for slot in slots:
        host_rows.setdefault(slot.host_id, slot.host)
        slot.state, slot.booking = _slot_state(slot, now)
        slot.local_start = timezone.localtime(slot.starts_at, zone)
        slot.local_end = timezone.localtime(slot.ends_at, zone)
        by_host[slot.host_id][slot.local_start.date()].append(slot)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    rows = []
    for pk, host in host_rows.items():
        week = by_host.get(pk, {})
        # A whole school's staff with empty weeks would bury the diaries that have slots.
        if not week and host.user_id != getattr(me, "pk", None):
            continue
        # Weekends only when something is on them: most school diaries are Monday–Friday.
        shown = [day for day in days if day.weekday() < 5 or week.get(day)]
        rows.append(
            {
                "host": host,
                "days": [(day, week.get(day, [])) for day in shown],
                "count": sum(len(v) for v in week.values()),
            }
        )
    return rows


def open_slots_ahead(hosts, school: School, now: datetime.datetime) -> int:
    return (
        Slot.objects.filter(
            school=school,
            host__in=hosts,
            withdrawn_at__isnull=True,
            starts_at__gt=now,
            starts_at__lt=now + SUMMARY_AHEAD,
        )
        .exclude(bookings__status__in=LIVE_BOOKING)
        .count()
    )


@login_required
def meetings_diary(request, slug: str):
    school, hosts = _school_and_hosts(request, slug)
    hosts = list(hosts)
    zone = ZoneInfo(school.time_zone)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    monday = _week_monday(request.GET.get("week"), today)
    patterns = list(
        SlotPattern.objects.filter(school=school, host__in=hosts, is_active=True)
        .select_related("host__user")
        .order_by("host__user__full_name", "pk")
    )
    day_names = dict(WEEKDAYS)
    for pattern in patterns:
        pattern.day_names = ", ".join(str(day_names[day]) for day in pattern.weekday_numbers)
    return render(
        request,
        "meetings/diary.html",
        {
            "school": school,
            "hosts": diary_hosts(hosts, school, monday, now, me=request.user),
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "today": today,
            "this_week": _iso_week(today),
            "prev_week": _iso_week(monday - datetime.timedelta(days=7)),
            "next_week": _iso_week(monday + datetime.timedelta(days=7)),
            "is_this_week": monday <= today < monday + datetime.timedelta(days=7),
            "patterns": patterns,
            "open_ahead": open_slots_ahead(hosts, school, now),
            "many_hosts": len(hosts) > 1,
            "now": now,
        },
    )


@login_required
def slot_pattern_new(request, slug: str):
    school, hosts = _school_and_hosts(request, slug)
    today = timezone.localtime(timezone.now(), ZoneInfo(school.time_zone)).date()
    form = SlotPatternForm(request.POST or None, hosts=hosts, today=today, me=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            published = slot_pattern_create(school=school, by=request.user, **data)
        except SlotRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _published_message(published.made, published.skipped))
            first = published.pattern.starts_on if published.pattern.starts_on > today else today
            return redirect(_diary_url(school, first))
    return render(
        request,
        "meetings/pattern_form.html",
        {"school": school, "form": form, "slots_a_week": form.slots_a_week()},
    )


def _published_message(made: int, skipped: int) -> str:
    text = ngettext(
        "%(count)s slot is now in the diary.", "%(count)s slots are now in the diary.", made
    ) % {"count": made}
    if skipped:
        text += " " + ngettext(
            "%(count)s time was left out because it clashes with a slot already there.",
            "%(count)s times were left out because they clash with slots already there.",
            skipped,
        ) % {"count": skipped}
    return text


def _diary_url(school: School, day: datetime.date) -> str:
    return reverse("meetings_diary", args=[school.slug]) + f"?week={_iso_week(day)}"


@login_required
def slot_new(request, slug: str):
    school, hosts = _school_and_hosts(request, slug)
    zone = ZoneInfo(school.time_zone)
    form = SlotForm(request.POST or None, hosts=hosts, zone=zone, me=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = slot_create(
                school=school,
                host=data["host"],
                by=request.user,
                starts_at=form.starts_at(),
                minutes=data["minutes"],
                mode=data["mode"],
                location=data["location"],
                video_link=data["video_link"],
            )
        except SlotRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The slot is in the diary."))
            return redirect(_diary_url(school, timezone.localtime(slot.starts_at, zone).date()))
    return render(request, "meetings/slot_form.html", {"school": school, "form": form})


@login_required
def slot_withdraw_view(request, slug: str, slot_id: int):
    school, hosts = _school_and_hosts(request, slug)
    slot = get_object_or_404(
        Slot.objects.filter(school=school, host__in=hosts, withdrawn_at__isnull=True)
        .select_related("host__user")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status__in=LIVE_BOOKING).select_related(
                    "parent", "child"
                ),
                to_attr="live_bookings",
            )
        ),
        pk=slot_id,
    )
    zone = ZoneInfo(school.time_zone)
    back = _diary_url(school, timezone.localtime(slot.starts_at, zone).date())
    if request.method == "POST":
        try:
            slot_withdraw(slot=slot, by=request.user)
        except SlotRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The slot is withdrawn. Families can no longer book it."))
        return redirect(back)
    slot.state, slot.booking = _slot_state(slot, timezone.now())
    return render(
        request, "meetings/slot_withdraw.html", {"school": school, "slot": slot, "back": back}
    )


@login_required
def slot_pattern_stop_view(request, slug: str, pattern_id: int):
    school, hosts = _school_and_hosts(request, slug)
    pattern = get_object_or_404(
        SlotPattern.objects.filter(school=school, host__in=hosts, is_active=True).select_related(
            "host__user"
        ),
        pk=pattern_id,
    )
    form = PatternStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdrawn = slot_pattern_stop(
            pattern=pattern, by=request.user, withdraw_open=form.cleaned_data["withdraw_open"]
        )
        text = _("The pattern is stopped: it will make no new slots.")
        if withdrawn:
            text += " " + ngettext(
                "%(count)s open slot was withdrawn.",
                "%(count)s open slots were withdrawn.",
                withdrawn,
            ) % {"count": withdrawn}
        messages.success(request, text)
        return redirect("meetings_diary", slug=school.slug)
    return render(
        request, "meetings/pattern_stop.html", {"school": school, "pattern": pattern, "form": form}
    )


urlpatterns = [
    path("schools/<slug:slug>/meetings/", meetings_diary, name="meetings_diary"),
    path("schools/<slug:slug>/meetings/patterns/new/", slot_pattern_new, name="slot_pattern_new"),
    path(
        "schools/<slug:slug>/meetings/patterns/<int:pattern_id>/stop/",
        slot_pattern_stop_view,
        name="slot_pattern_stop",
    ),
    path("schools/<slug:slug>/meetings/slots/new/", slot_new, name="slot_new"),
    path(
        "schools/<slug:slug>/meetings/slots/<int:slot_id>/withdraw/",
        slot_withdraw_view,
        name="slot_withdraw",
    ),
]

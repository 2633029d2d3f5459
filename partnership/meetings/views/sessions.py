"""Group sessions: parents find coffee mornings and workshops at their children's schools
and sign up; the SENDCo or an administrator runs them (places, waiting list, attendance).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.schools.access import school_for
from partnership.schools.models import Child, Role

from .. import selectors_sessions as select
from ..forms_sessions import AttendanceForm, CancelSessionForm, JoinForm, SessionForm
from ..models import GroupSession, SessionPlace, Topic
from ..services.session_attendance import attendance_record
from ..services.sessions import (
    SessionRefused,
    place_cancel,
    place_take,
    session_cancel,
    session_create,
    session_update,
)

SESSIONS_PER_PAGE = 20


def _parent_session(request, session_id: int) -> GroupSession:
    session = select.session_for_parent(request.user, session_id)
    if session is None:
        raise Http404("No such session")
    return session


def _children_for(user, session: GroupSession):
    return (
        Child.objects.of_parent(user).filter(school=session.school_id).order_by("first_name", "pk")
    )


@login_required
def session_list(request):
    sessions = select.sessions_for_parent(request.user)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/session_list.html", {"page": page})


@login_required
def session_detail(request, session_id: int):
    session = _parent_session(request, session_id)
    place = select.my_place(session, request.user)
    children = _children_for(request.user, session)
    return render(
        request,
        "meetings/session_detail.html",
        {
            "session": session,
            "place": place,
            "position": select.waiting_position(place) if place else None,
            "form": JoinForm(children=children),
            "started": session.starts_at <= timezone.now(),
            "confirm_leave": place is not None and request.GET.get("leave") == "1",
        },
    )


@login_required
def session_join(request, session_id: int):
    # Access before the method: a session at another school is 404, never 405.
    session = _parent_session(request, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = JoinForm(request.POST, children=_children_for(request.user, session))
    if not form.is_valid():
        messages.error(request, _("Choose which child this is for."))
        return redirect("session_detail", session_id=session.pk)
    try:
        place = place_take(
            session=session, parent=request.user, child=form.cleaned_data["child"], by=request.user
        )
    except SessionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if place.status == SessionPlace.Status.CONFIRMED:
            messages.success(
                request, _("You have a place. We have emailed you the details for your calendar.")
            )
        else:
            messages.success(
                request,
                _(
                    "The session is full, so you are on the waiting list. If a place comes "
                    "free, it is yours and we will email you."
                ),
            )
    return redirect("session_detail", session_id=session.pk)


@login_required
def session_leave(request, session_id: int):
    session = _parent_session(request, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Only the signed-in parent's own place: nothing in the request names a place.
    place = select.my_place(session, request.user)
    if place is None:
        messages.error(request, _("You do not have a place at this session."))
        return redirect("session_detail", session_id=session.pk)
    was_waiting = place.status == SessionPlace.Status.WAITING
    try:
        place_cancel(place=place, by=request.user)
    except SessionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("You have left the waiting list.")
            if was_waiting
            else _("You have given up your place. Thank you for letting us know."),
        )
    return redirect("session_detail", session_id=session.pk)


# Staff: the school's SENDCo or an administrator.


def _staff_session(request, slug: str, session_id: int) -> GroupSession:
    school = school_for(request.user, slug)
    return get_object_or_404(
        GroupSession.objects.select_related("school", "host__user"), school=school, pk=session_id
    )


@login_required
def session_manage(request, slug: str):
    school = school_for(request.user, slug)
    now = timezone.now()
    sessions = select.sessions_for_staff(school)
    upcoming = sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")
    past = sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return render(
        request,
        "meetings/session_manage.html",
        {
            "school": school,
            "upcoming": Paginator(upcoming, SESSIONS_PER_PAGE).get_page(request.GET.get("page")),
            "past": Paginator(past, SESSIONS_PER_PAGE).get_page(request.GET.get("past")),
        },
    )


@login_required
def session_new(request, slug: str):
    school = school_for(request.user, slug)
    # Most sessions are led by the SENDCo who adds them.
    host = school.memberships.active().filter(user=request.user, role=Role.SENDCO).first()
    initial = {"host": host}
    # "Plan a session on this" from the parents' support requests names the topic.
    if request.GET.get("topic") in Topic.values:
        initial["topic"] = request.GET["topic"]
    form = SessionForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create(school=school, by=request.user, **form.session_fields())
        except SessionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Session added. Parents can now sign up."))
            return redirect("session_staff_detail", slug=school.slug, session_id=session.pk)
    return render(request, "meetings/session_form.html", {"school": school, "form": form})


@login_required
def session_staff_detail(request, slug: str, session_id: int):
    session = _staff_session(request, slug, session_id)
    confirmed, waiting = select.places_for_staff(session)
    started = session.starts_at <= timezone.now()
    form = None
    if started and session.cancelled_at is None:
        form = AttendanceForm(request.POST or None, places=confirmed)
        if request.method == "POST" and form.is_valid():
            try:
                attendance_record(
                    session=session,
                    by=request.user,
                    attended_place_ids=[int(pk) for pk in form.cleaned_data["attended"]],
                )
            except SessionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Attendance saved and logged as contact."))
                return redirect("session_staff_detail", slug=slug, session_id=session.pk)
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "meetings/session_staff_detail.html",
        {
            "school": session.school,
            "session": session,
            "confirmed": confirmed,
            "waiting": waiting,
            "started": started,
            "form": form,
        },
    )


@login_required
def session_edit(request, slug: str, session_id: int):
    session = _staff_session(request, slug, session_id)
    form = SessionForm(request.POST or None, school=session.school, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session_update(session=session, by=request.user, **form.session_fields())
        except SessionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Session updated."))
            return redirect("session_staff_detail", slug=slug, session_id=session.pk)
    return render(
        request,
        "meetings/session_form.html",
        {"school": session.school, "form": form, "session": session},
    )


@login_required
def session_cancel_view(request, slug: str, session_id: int):
    session = _staff_session(request, slug, session_id)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except SessionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Session cancelled. Everyone signed up has been told."))
            return redirect("session_manage", slug=slug)
    return render(
        request,
        "meetings/session_cancel.html",
        {"school": session.school, "session": session, "form": form},
    )


urlpatterns = [
    path("meetings/sessions/", session_list, name="session_list"),
    path("meetings/sessions/<int:session_id>/", session_detail, name="session_detail"),
    path("meetings/sessions/<int:session_id>/join/", session_join, name="session_join"),
    path("meetings/sessions/<int:session_id>/leave/", session_leave, name="session_leave"),
    path("schools/<slug:slug>/sessions/", session_manage, name="session_manage"),
    path("schools/<slug:slug>/sessions/new/", session_new, name="session_new"),
    path(
        "schools/<slug:slug>/sessions/<int:session_id>/",
        session_staff_detail,
        name="session_staff_detail",
    ),
    path("schools/<slug:slug>/sessions/<int:session_id>/edit/", session_edit, name="session_edit"),
    path(
        "schools/<slug:slug>/sessions/<int:session_id>/cancel/",
        session_cancel_view,
        name="session_cancel",
    ),
]

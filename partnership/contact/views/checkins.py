"""The weekly check-in: one-tap answers from the email, answering on the portal, each
parent's choice of how often it comes, and staff marking a call-back as done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.schools.models import Child, FamilyLink, School

from ..forms.checkins import CheckInAnswerForm, CheckInPreferencesForm
from ..models import CheckIn, CheckInPreference
from ..services.checkins import (
    RATING_LABELS,
    CheckInRefused,
    checkin_answer,
    checkin_call_done,
    checkin_children,
    checkin_preference_set,
    checkin_token_read,
    first_names,
)

PAGE_SIZE = 25


def _names(checkin: CheckIn) -> str:
    return first_names([child.first_name for child in checkin_children(checkin)])


def _link_problem(request, problem: str, status: int, checkin_id: int | None = None):
    sign_in = (
        reverse("account_login")
        + "?next="
        + (reverse("checkin_answer", args=[checkin_id]) if checkin_id else reverse("checkin_list"))
    )
    return render(
        request,
        "contact/checkin_link_problem.html",
        {"problem": problem, "sign_in_url": sign_in},
        status=status,
    )


def checkin_respond(request, token: str):
    """The one-tap link from the email. Open to anyone holding the link: the token names
    the check-in, nothing more. A GET only shows the choice (mail scanners follow links);
    the POST records it."""
    try:
        checkin_id, rating = checkin_token_read(token)
    except signing.SignatureExpired:
        # Expired but genuine: the id is ours to trust, so the sign-in link goes straight
        # to this check-in.
        checkin_id, _rating = checkin_token_read(token, max_age=None)
        return _link_problem(request, "expired", 410, checkin_id)
    except signing.BadSignature:
        return _link_problem(request, "invalid", 400)
    checkin = CheckIn.objects.select_related("school").filter(pk=checkin_id).first()
    if checkin is None:
        return _link_problem(request, "gone", 404)
    if checkin.answered_at is not None:
        return render(request, "contact/checkin_done.html", {"checkin": checkin}, status=200)
    form = CheckInAnswerForm(request.POST or None, initial={"rating": rating})
    if request.method == "POST" and form.is_valid():
        try:
            checkin_answer(checkin=checkin, **form.cleaned_data)
        except CheckInRefused:
            return render(request, "contact/checkin_done.html", {"checkin": checkin})
        return redirect("checkin_thanks")
    return render(
        request,
        "contact/checkin_confirm.html",
        {
            "checkin": checkin,
            "form": form,
            "rating": rating,
            "rating_label": RATING_LABELS[rating],
            "first_names": _names(checkin),
        },
    )


def checkin_thanks(request):
    return render(request, "contact/checkin_thanks.html")


@login_required
def checkin_list(request):
    """The parent's check-ins, newest first; the newest has its form if unanswered."""
    checkins = CheckIn.objects.filter(parent=request.user).select_related("school")
    page = Paginator(checkins, PAGE_SIZE).get_page(request.GET.get("page"))
    # The children's first names for every school on the page, in one query.
    names: dict[int, list[str]] = {}
    for child in Child.objects.of_parent(request.user).order_by("first_name", "pk"):
        names.setdefault(child.school_id, []).append(child.first_name)
    rows = [(checkin, first_names(names.get(checkin.school_id, []))) for checkin in page]
    current = page.object_list[0] if page.number == 1 and page.object_list else None
    form = None
    if current is not None and current.answered_at is None:
        form = CheckInAnswerForm()
    return render(
        request,
        "contact/checkin_list.html",
        {
            "page": page,
            "rows": rows,
            "current": current,
            "current_names": rows[0][1] if current is not None else "",
            "form": form,
        },
    )


@login_required
def checkin_answer_view(request, checkin_id: int):
    """Answer a check-in on the portal: only one's own, anyone else's is not found."""
    checkin = get_object_or_404(
        CheckIn.objects.select_related("school"), pk=checkin_id, parent=request.user
    )
    if checkin.answered_at is not None:
        if request.method == "POST":
            messages.info(request, _("You have already answered this check-in – thank you."))
            return redirect("checkin_list")
        return render(request, "contact/checkin_done.html", {"checkin": checkin})
    form = CheckInAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkin_answer(checkin=checkin, **form.cleaned_data)
        except CheckInRefused as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, _("Thank you. Your answer is with school."))
        return redirect("checkin_list")
    return render(
        request,
        "contact/checkin_answer.html",
        {"checkin": checkin, "form": form, "first_names": _names(checkin)},
    )


@login_required
def checkin_preferences(request):
    schools = School.objects.filter(
        pk__in=Child.objects.of_parent(request.user).values("school")
    ).order_by("name")
    if not schools:
        raise Http404("No children linked")
    chosen = dict(
        CheckInPreference.objects.filter(parent=request.user, school__in=schools).values_list(
            "school_id", "frequency"
        )
    )
    form = CheckInPreferencesForm(request.POST or None, schools=schools, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        for school, frequency in form.choices():
            checkin_preference_set(parent=request.user, school=school, frequency=frequency)
        messages.success(request, _("Your check-in choices are saved."))
        return redirect("checkin_preferences")
    return render(request, "contact/checkin_preferences.html", {"form": form})


def _checkin_for_staff(user, checkin_id: int) -> CheckIn:
    """A check-in from a family with a child this person works with at that school."""
    works_with_family = FamilyLink.objects.filter(
        parent=OuterRef("parent"),
        child__school=OuterRef("school"),
        child__in=Child.objects.for_staff(user),
    )
    return get_object_or_404(
        CheckIn.objects.filter(Exists(works_with_family)).select_related("school"),
        pk=checkin_id,
    )


@login_required
@require_POST
def checkin_call_done_view(request, checkin_id: int):
    checkin = _checkin_for_staff(request.user, checkin_id)
    try:
        checkin_call_done(checkin=checkin, by=request.user)
    except CheckInRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, _("Marked as called back. Thank you."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("staff_home")
    return redirect(back)


urlpatterns = [
    path("checkin/r/<str:token>/", checkin_respond, name="checkin_respond"),
    path("checkin/thanks/", checkin_thanks, name="checkin_thanks"),
    path("checkins/", checkin_list, name="checkin_list"),
    path("checkins/preferences/", checkin_preferences, name="checkin_preferences"),
    path("checkins/<int:checkin_id>/", checkin_answer_view, name="checkin_answer"),
    path(
        "checkins/<int:checkin_id>/call-done/",
        checkin_call_done_view,
        name="checkin_call_done",
    ),
]

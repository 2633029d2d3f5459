"""Support requests: parents say what would help them and how; the SENDCo or an
administrator sees demand by topic, who asked, and offers a group session in answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.meetings.models import GroupSession
from partnership.schools.access import school_for

from .. import selectors_support as select
from ..forms_support import OfferForm, SupportRequestForm
from ..models import SupportRequest
from ..services.support import SupportRefused, support_ask, support_offer, support_withdraw

REQUESTS_PER_PAGE = 20


@login_required
def support_requests(request):
    schools = select.parent_support_schools(request.user)
    form = SupportRequestForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_ask(
                parent=request.user,
                school=data["school"],
                topics=data["topics"],
                online=data["online"],
                in_person=data["in_person"],
                resources=data["resources"],
                note=data["note"],
            )
        except SupportRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you for telling us. The SENDCo will see what you asked for, and we "
                    "will let you know when there is a session or something to help."
                ),
            )
            return redirect("support_requests")
    page = Paginator(select.requests_for_parent(request.user), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coproduction/support_requests.html",
        {"form": form, "page": page, "has_children": bool(form.schools)},
    )


@login_required
def support_withdraw_view(request, pk: int):
    # Only the signed-in parent's own requests exist here: another family's is 404.
    support = get_object_or_404(SupportRequest, pk=pk, parent=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        support_withdraw(request=support, by=request.user)
    except SupportRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Done. You can ask again at any time."))
    return redirect("support_requests")


@login_required
def support_demand(request, slug: str):
    school = school_for(request.user, slug)
    return render(
        request,
        "coproduction/support_demand.html",
        {"school": school, "rows": select.demand_by_topic(school)},
    )


@login_required
def support_offer_view(request, slug: str):
    school = school_for(request.user, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OfferForm(request.POST, school=school)
    if not form.is_valid():
        messages.error(request, _("Choose a session that is still to come."))
        return redirect("support_demand", slug=school.slug)
    session: GroupSession = form.cleaned_data["session"]
    try:
        count = support_offer(
            school=school, topic=form.cleaned_data["topic"], session=session, by=request.user
        )
    except SupportRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "Offered to %(count)s family. They have been emailed a link to sign up.",
                    "Offered to %(count)s families. They have been emailed a link to sign up.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Every family who asked has already been offered a session."))
    return redirect("support_demand", slug=school.slug)


urlpatterns = [
    path("support/", support_requests, name="support_requests"),
    path("support/<int:pk>/withdraw/", support_withdraw_view, name="support_withdraw"),
    path("schools/<slug:slug>/support/", support_demand, name="support_demand"),
    path("schools/<slug:slug>/support/offer/", support_offer_view, name="support_offer"),
]

"""Plan cycles, targets and progress reviews: written by the staff who work with a child,
read by them and, once shared, by the child's family."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.schools.access import school_for
from partnership.schools.models import Child

from .. import access, selectors
from ..forms.targets import AgreementForm, CycleCloseForm, CycleOpenForm, ReviewForm, TargetForm
from ..models import HomeObservation, PlanCycle, Target
from ..services.targets import (
    PlanRefused,
    cycle_close,
    cycle_open,
    review_add,
    target_create,
    target_record_agreement,
    target_share,
    target_update,
)

REVIEWS_DUE_PER_PAGE = 50


def _target_as_staff(user, target_id: int) -> Target:
    return access.row_for_children(
        Target.objects.select_related("child__school", "cycle"),
        Child.objects.for_staff(user),
        target_id,
    )


@login_required
def cycle_new(request, child_id: int):
    child = access.child_as_staff(request.user, child_id)
    form = CycleOpenForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle_open(child=child, by=request.user, **form.cleaned_data)
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Plan started. Now add its targets."))
            return redirect("target_create", child_id=child.pk)
    return render(request, "plans/cycle_form.html", {"form": form, "child": child})


@login_required
def target_new(request, child_id: int):
    child = access.child_as_staff(request.user, child_id)
    cycle = selectors.open_cycle(child)
    if cycle is None:
        messages.info(
            request, _("Start a plan first: targets belong to a plan with a review date.")
        )
        return redirect("cycle_new", child_id=child.pk)
    observation = None
    if "observation" in request.GET:
        try:
            observation_id = int(request.GET["observation"])
        except ValueError:
            raise Http404("No such observation") from None
        observation = access.row_for_children(
            HomeObservation.objects.filter(child=child, withdrawn_at__isnull=True),
            Child.objects.for_staff(request.user),
            observation_id,
        )
    initial = {"area_of_need": child.primary_need}
    if observation is not None:
        initial["baseline"] = observation.text
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target = target_create(
                cycle=cycle, by=request.user, baseline_observation=observation, **form.cleaned_data
            )
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Target added. Share it with the family when it is ready."))
            return redirect("target_detail", target_id=target.pk)
    return render(
        request,
        "plans/target_form.html",
        {"form": form, "child": child, "cycle": cycle, "observation": observation},
    )


@login_required
def target_edit(request, target_id: int):
    target = _target_as_staff(request.user, target_id)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            target_update(target=target, by=request.user, **form.cleaned_data)
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Target saved."))
            return redirect("target_detail", target_id=target.pk)
    return render(
        request,
        "plans/target_form.html",
        {"form": form, "child": target.child, "cycle": target.cycle, "target": target},
    )


@login_required
def target_share_view(request, target_id: int):
    # Access before the method: someone who may not see the target gets 404, not 405.
    target = _target_as_staff(request.user, target_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        target_share(target=target, by=request.user)
    except PlanRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Shared. %(name)s's family can now see this target and will get an email about it.")
            % {"name": target.child.first_name},
        )
    return redirect("target_detail", target_id=target.pk)


@login_required
def target_agreement(request, target_id: int):
    target = _target_as_staff(request.user, target_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AgreementForm(request.POST, links=list(selectors.linked_parents(target.child)))
    if form.is_valid():
        try:
            target_record_agreement(
                target=target,
                parent=form.cleaned_data["link"].parent,
                agreed_on=form.cleaned_data["agreed_on"],
            )
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("target_detail", target_id=target.pk)
    return _detail(request, target.pk, as_staff=True, agreement_form=form)


@login_required
def review_new(request, target_id: int):
    target = _target_as_staff(request.user, target_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_add(target=target, by=request.user, **form.cleaned_data)
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Progress review added."))
            return redirect("target_detail", target_id=target.pk)
    return render(request, "plans/target_review_form.html", {"form": form, "target": target})


@login_required
def cycle_close_view(request, cycle_id: int):
    cycle = access.row_for_children(
        PlanCycle.objects.select_related("child__school"),
        Child.objects.for_staff(request.user),
        cycle_id,
    )
    if not access.leads_send_at(request.user, cycle.child.school_id):
        raise Http404("Only the SENDCo closes a plan")
    if cycle.status == PlanCycle.Status.CLOSED:
        messages.info(request, _("This plan has already been reviewed."))
        return redirect("child_detail", child_id=cycle.child_id)
    targets = selectors.with_trend(cycle.targets.order_by("created_at", "pk"))
    form = CycleCloseForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            following = cycle_close(
                cycle=cycle,
                outcomes=form.outcomes(),
                summary=form.cleaned_data["summary"],
                next_review_on=form.cleaned_data["next_review_on"],
                by=request.user,
            )
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            carried = following.targets.count()
            messages.success(
                request,
                _("Plan reviewed. The next plan is open with %(count)s target(s) carried forward.")
                % {"count": carried},
            )
            return redirect("child_detail", child_id=cycle.child_id)
    return render(request, "plans/cycle_close.html", {"form": form, "cycle": cycle})


@login_required
def reviews_due(request, slug: str):
    school = school_for(request.user, slug)
    today = timezone.localdate()
    page = Paginator(selectors.reviews_due(school, today=today), REVIEWS_DUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for cycle in page.object_list:
        cycle.days_left = (cycle.review_on - today).days
        cycle.days_overdue = -cycle.days_left
    return render(request, "plans/reviews_due.html", {"school": school, "page": page})


def _detail(request, target_id: int, *, as_staff: bool, agreement_form=None):
    if as_staff:
        scope = selectors.targets_for_page()
        children = Child.objects.for_staff(request.user)
    else:
        scope = selectors.targets_for_page().filter(shared_at__isnull=False)
        children = Child.objects.of_parent(request.user)
    target = access.row_for_children(scope, children, target_id)
    trend, earlier_reviews = selectors.trend_of(target, as_staff=as_staff)
    context = {
        "target": target,
        "child": target.child,
        "as_staff": as_staff,
        "reviews": trend,
        "earlier_reviews": earlier_reviews,
        "observations": selectors.observations_on(target, request.user),
        # The observations fragment shows the reply form and "use as baseline" to staff.
        "can_reply": as_staff,
    }
    if as_staff:
        links = list(selectors.linked_parents(target.child))
        context["agreement_form"] = agreement_form or AgreementForm(links=links)
        context["has_family"] = bool(links)
        context["can_close"] = target.cycle.status == PlanCycle.Status.OPEN and (
            access.leads_send_at(request.user, target.child.school_id)
        )
    return render(request, "plans/target_detail.html", context)


@login_required
def target_detail(request, target_id: int):
    # Staff who work with the child see everything; a parent sees only a shared target.
    as_staff = Child.objects.for_staff(request.user).filter(targets__pk=target_id).exists()
    return _detail(request, target_id, as_staff=as_staff)


urlpatterns = [
    path("children/<int:child_id>/cycles/new/", cycle_new, name="cycle_new"),
    path("children/<int:child_id>/targets/new/", target_new, name="target_create"),
    path("targets/<int:target_id>/", target_detail, name="target_detail"),
    path("targets/<int:target_id>/edit/", target_edit, name="target_edit"),
    path("targets/<int:target_id>/share/", target_share_view, name="target_share"),
    path("targets/<int:target_id>/agreement/", target_agreement, name="target_agreement"),
    path("targets/<int:target_id>/reviews/new/", review_new, name="review_create"),
    path("cycles/<int:cycle_id>/close/", cycle_close_view, name="cycle_close"),
    path("schools/<slug:slug>/reviews-due/", reviews_due, name="reviews_due"),
]

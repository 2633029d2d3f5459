"""The school's catalogue of interventions (SENDCo and administrator) and each child's
place on one (staff who work with the child)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.schools.access import school_for
from partnership.schools.models import Child

from ..access import child_as_staff, row_for_children
from ..forms.interventions import InterventionForm, PlacementForm
from ..models import Intervention, Placement
from ..services.interventions import (
    InterventionRefused,
    intervention_create,
    intervention_update,
    placement_create,
    placement_share,
    placement_update,
)


@login_required
def intervention_list(request, slug: str):
    school = school_for(request.user, slug)
    today = timezone.localdate()
    interventions = (
        Intervention.objects.filter(school=school)
        .annotate(
            children_now=Count(
                "placements",
                filter=Q(placements__starts_on__lte=today)
                & (Q(placements__ends_on__isnull=True) | Q(placements__ends_on__gte=today)),
            )
        )
        .order_by("-is_active", "name")
    )
    page = Paginator(interventions, 50).get_page(request.GET.get("page"))
    return render(request, "plans/intervention_list.html", {"school": school, "page": page})


@login_required
def intervention_new(request, slug: str):
    school = school_for(request.user, slug)
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = intervention_create(school=school, by=request.user, **form.cleaned_data)
        except InterventionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("%(name)s is in the catalogue.") % {"name": intervention.name}
            )
            return redirect("intervention_list", slug=school.slug)
    return render(
        request, "plans/intervention_form.html", {"form": form, "school": school, "editing": None}
    )


@login_required
def intervention_edit(request, slug: str, pk: int):
    school = school_for(request.user, slug)
    intervention = get_object_or_404(Intervention, school=school, pk=pk)
    form = InterventionForm(request.POST or None, instance=intervention)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_update(intervention=intervention, by=request.user, **form.cleaned_data)
        except InterventionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("intervention_list", slug=school.slug)
    return render(
        request,
        "plans/intervention_form.html",
        {"form": form, "school": school, "editing": intervention},
    )


@login_required
def placement_new(request, child_id: int):
    child = child_as_staff(request.user, child_id)
    form = PlacementForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            placement_create(child=child, by=request.user, **form.cleaned_data)
        except InterventionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Saved. Share it with the family when it is ready for them to see."),
            )
            return redirect("child_detail", child_id=child.pk)
    return render(
        request, "plans/placement_form.html", {"form": form, "child": child, "placement": None}
    )


def _staff_placement(user, pk: int) -> Placement:
    return row_for_children(
        Placement.objects.select_related("child__school", "intervention"),
        Child.objects.for_staff(user),
        pk,
    )


@login_required
def placement_edit(request, pk: int):
    placement = _staff_placement(request.user, pk)
    child = placement.child
    form = PlacementForm(request.POST or None, instance=placement, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            placement_update(placement=placement, by=request.user, **form.cleaned_data)
        except InterventionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("child_detail", child_id=child.pk)
    return render(
        request,
        "plans/placement_form.html",
        {"form": form, "child": child, "placement": placement},
    )


@login_required
@require_POST
def placement_share_view(request, pk: int):
    placement = _staff_placement(request.user, pk)
    try:
        placement_share(placement=placement, by=request.user)
    except InterventionRefused as refused:
        messages.error(request, refused.message)
        return redirect("placement_edit", pk=placement.pk)
    messages.success(
        request,
        _("Shared: %(name)s's family can now see it.") % {"name": placement.child.first_name},
    )
    return redirect("child_detail", child_id=placement.child_id)


urlpatterns = [
    path("schools/<slug:slug>/interventions/", intervention_list, name="intervention_list"),
    path("schools/<slug:slug>/interventions/new/", intervention_new, name="intervention_create"),
    path(
        "schools/<slug:slug>/interventions/<int:pk>/edit/",
        intervention_edit,
        name="intervention_edit",
    ),
    path("children/<int:child_id>/placements/new/", placement_new, name="placement_create"),
    path("placements/<int:pk>/edit/", placement_edit, name="placement_edit"),
    path("placements/<int:pk>/share/", placement_share_view, name="placement_share"),
]

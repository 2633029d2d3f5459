"""The SENDCo's contact dashboard, and each family's contact plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from partnership.plans import access
from partnership.schools.access import school_for

from ..forms.plans import ContactPlanForm
from ..models import DEFAULT_FREQUENCY, ContactPlan, Frequency
from ..radar import Status, school_radar
from ..services.plans import ContactPlanRefused, contact_plan_set

FAMILIES_PER_PAGE = 50
CLOSER_PER_PAGE = 25
# The gap table is for spotting patterns; the families hearing least come first.
GAP_ROWS_SHOWN = 50


@login_required
def contact_dashboard(request, slug: str):
    school = school_for(request.user, slug)
    radar = school_radar(school)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    rows = [row for row in radar.rows if row.status == status] if status else radar.rows
    page = Paginator(rows, FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    closer = Paginator(radar.closer_contact, CLOSER_PER_PAGE).get_page(request.GET.get("closer"))
    return render(
        request,
        "contact/dashboard.html",
        {
            "school": school,
            "radar": radar,
            "page": page,
            "closer": closer,
            "status": status,
            "statuses": Status.choices,
            "gap": radar.perception_gap,
            "gap_rows": radar.perception_gap.rows[:GAP_ROWS_SHOWN],
        },
    )


@login_required
def contact_plan_edit(request, child_id: int):
    child = access.child_as_staff(request.user, child_id)
    plan = ContactPlan.objects.filter(child=child).select_related("updated_by").first()
    form = ContactPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            contact_plan_set(child=child, by=request.user, **form.cleaned_data)
        except ContactPlanRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Contact plan saved for %(name)s's family.") % {"name": child.first_name},
            )
            if access.leads_send_at(request.user, child.school_id):
                return redirect("contact_dashboard", slug=child.school.slug)
            return redirect("child_detail", child_id=child.pk)
    return render(
        request,
        "contact/contact_plan_form.html",
        {
            "form": form,
            "child": child,
            "plan": plan,
            "default_frequency": Frequency(DEFAULT_FREQUENCY).label,
        },
    )


urlpatterns = [
    path("schools/<slug:slug>/contact/", contact_dashboard, name="contact_dashboard"),
    path("children/<int:child_id>/contact/plan/", contact_plan_edit, name="contact_plan_edit"),
]

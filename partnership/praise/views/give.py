"""Giving praise in seconds: one form for one or several children, and the adult's own
recent praise with an "Again" link so a repeat is two taps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.plans.models import PlanCycle, Target
from partnership.schools.access import school_for, schools_for
from partnership.schools.models import STAFF_ROLES, WHOLE_SCHOOL_ROLES, Child, Membership

from ..forms import PraiseGiveForm
from ..models import PraiseValue
from ..selectors_adult import batch_to_repeat, recent_batches
from ..services.give import PraiseRefused, praise_give

NAMES_IN_MESSAGE = 5
# Up to this many children every class is shown open; beyond it (a SENDCo's whole school)
# classes start folded so the page stays short on a phone.
OPEN_ALL_UP_TO = 40


def saved_message(children: list[Child]) -> str:
    names = [child.first_name for child in children]
    if len(names) > NAMES_IN_MESSAGE:
        rest = len(names) - NAMES_IN_MESSAGE + 1
        names = names[: NAMES_IN_MESSAGE - 1] + [
            ngettext("%(n)s other child", "%(n)s other children", rest) % {"n": rest}
        ]
    who = get_text_list(names, _("and"))
    if len(children) == 1:
        return _("Praise saved for %(who)s. Their family will see it.") % {"who": who}
    return _("Praise saved for %(who)s. Their families will see it.") % {"who": who}


@login_required
def praise_give_start(request):
    schools = list(schools_for(request.user, roles=STAFF_ROLES).order_by("name"))
    if not schools:
        raise Http404("Not staff at any school")
    if len(schools) == 1:
        return redirect("praise_give", slug=schools[0].slug)
    return render(request, "praise/give_start.html", {"schools": schools})


@login_required
def praise_give_view(request, slug: str):
    user = request.user
    school = school_for(user, slug, roles=STAFF_ROLES)
    mine = Child.objects.for_staff(user).on_roll().filter(school=school)
    children = list(mine.order_by("year_group", "class_name", "first_name", "last_name", "pk"))
    values = list(
        PraiseValue.objects.filter(school=school, is_active=True).order_by("order", "name")
    )
    targets = list(
        Target.objects.filter(child__in=mine, cycle__status=PlanCycle.Status.OPEN).order_by(
            "child_id", "created_at", "pk"
        )
    )
    initial = {}
    if request.method == "GET" and request.GET.get("again"):
        initial = batch_to_repeat(user, school=school, batch=request.GET["again"])
    form = PraiseGiveForm(
        request.POST or None, children=children, values=values, targets=targets, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            praise_give(school=school, by=user, **form.cleaned_data)
        except PraiseRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, saved_message(form.cleaned_data["children"]))
            return redirect("praise_give", slug=school.slug)
    runs_school = (
        Membership.objects.active()
        .filter(user=user, school=school, role__in=WHOLE_SCHOOL_ROLES)
        .exists()
    )
    return render(
        request,
        "praise/give.html",
        {
            "school": school,
            "form": form,
            "has_children": bool(children),
            "has_values": bool(values),
            "open_all": len(children) <= OPEN_ALL_UP_TO,
            "repeating": bool(initial) and not form.is_bound,
            "runs_school": runs_school,
            "recent": recent_batches(user, school=school),
        },
    )


urlpatterns = [
    path("praise/give/", praise_give_start, name="praise_give_start"),
    path("schools/<slug:slug>/praise/give/", praise_give_view, name="praise_give"),
]

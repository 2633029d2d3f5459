"""Keeping records: marking a child as a leaver (archived, not deleted) and the school's
retention policy with what it would remove today (the dry run), for the SENDCo and
administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import school_for
from .forms import LeavingForm, RetentionPolicyForm
from .models import Child
from .retention import policy_of, retention_plan
from .services import child_mark_left, child_return, retention_policy_set


@login_required
def child_leaving(request, child_id: int):
    child = get_object_or_404(
        Child.objects.for_staff(request.user).select_related("school"), pk=child_id
    )
    school_for(request.user, child.school.slug)  # only the SENDCo or an administrator
    today = timezone.localdate()
    if request.method == "POST" and "return" in request.POST and child.left_on:
        child_return(child=child, by=request.user)
        messages.success(
            request, _("%(name)s is back on the school's lists.") % {"name": child.first_name}
        )
        return redirect("child_detail", child_id=child.pk)
    form = LeavingForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        child_mark_left(child=child, left_on=form.cleaned_data["left_on"], by=request.user)
        messages.success(
            request,
            _(
                "%(name)s is marked as having left. The record is kept until the school's "
                "retention period ends."
            )
            % {"name": child.first_name},
        )
        return redirect("child_detail", child_id=child.pk)
    policy = policy_of(child.school)
    return render(
        request,
        "schools/child_leaving.html",
        {"child": child, "form": form, "policy": policy},
    )


@login_required
def retention_settings(request, slug: str):
    school = school_for(request.user, slug)
    policy = policy_of(school)
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        retention_policy_set(
            school=school, changes={name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Retention policy saved."))
        return redirect("retention_settings", slug=school.slug)
    return render(
        request,
        "schools/retention.html",
        {"school": school, "form": form, "plan": retention_plan(school=school)},
    )


urlpatterns = [
    path("children/<int:child_id>/leaving/", child_leaving, name="child_leaving"),
    path("schools/<slug:slug>/retention/", retention_settings, name="retention_settings"),
]

"""Staff switch the end-of-day praise reminder on or off."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.schools.models import STAFF_ROLES, Membership, School

from ..services.reminders import ReminderRefused, praise_reminder_is_on, praise_reminder_set


class PraiseReminderForm(forms.Form):
    daily_nudge = forms.BooleanField(
        label=gettext_lazy("Email me at the end of the school day if I haven't given praise"),
        required=False,
        help_text=gettext_lazy(
            "On school days only, and only when you work with children at the school. "
            "The email lists them, with a link to give praise."
        ),
    )


@login_required
def praise_reminders(request):
    schools = School.objects.filter(
        pk__in=Membership.objects.active()
        .filter(user=request.user, role__in=STAFF_ROLES)
        .values("school")
    ).order_by("name")
    if not schools:
        raise Http404("Not staff")
    # Not `request.POST or None`: an unticked box alone posts nothing, and still means "off".
    form = PraiseReminderForm(
        request.POST if request.method == "POST" else None,
        initial={"daily_nudge": praise_reminder_is_on(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reminder = praise_reminder_set(
                user=request.user, daily_nudge=form.cleaned_data["daily_nudge"]
            )
        except ReminderRefused as refused:
            messages.error(request, refused.message)
        else:
            if reminder.daily_nudge:
                messages.success(request, _("The end-of-day reminder is on. Thank you."))
            else:
                messages.success(
                    request,
                    _("The end-of-day reminder is off. You can switch it back on here."),
                )
            return redirect("praise_reminders")
    return render(request, "praise/reminders.html", {"form": form, "schools": schools})


urlpatterns = [
    path("praise/reminders/", praise_reminders, name="praise_reminders"),
]

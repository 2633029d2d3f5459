"""The school's own settings page: when its emails go out and its booking rules, set by
the SENDCo or administrator in the school's words rather than in the Django admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from .access import school_for
from .forms import SETTINGS_FIELDS, SchoolSettingsForm
from .services import school_settings_update


@login_required
def school_settings(request, slug: str):
    school = school_for(request.user, slug)
    form = SchoolSettingsForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        school_settings_update(
            school=school, changes={name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
        )
        messages.success(request, _("Settings saved."))
        return redirect("school_settings", slug=school.slug)
    return render(request, "schools/school_settings.html", {"school": school, "form": form})


urlpatterns = [
    path("schools/<slug:slug>/settings/", school_settings, name="school_settings"),
]

"""Home observations: a parent tells school what they see at home; staff reply."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.schools.models import Child

from .. import access
from ..forms.observations import ObservationEditForm, ObservationForm, ReplyForm
from ..models import HomeObservation
from ..services.observations import (
    PHOTO_TYPES,
    ObservationRefused,
    observation_add,
    observation_edit,
    observation_reply,
    observation_withdraw,
    observations_for_display,
)

PAGE_SIZE = 25


def _list_url(child_id: int) -> str:
    return reverse("observation_list", args=[child_id])


def _own_observation(user, observation_id: int) -> HomeObservation:
    """The parent's own observation, not withdrawn, of a child they are linked to."""
    return access.row_for_children(
        HomeObservation.objects.filter(author=user, withdrawn_at__isnull=True).select_related(
            "child"
        ),
        Child.objects.of_parent(user),
        observation_id,
    )


def _replied(request, observation: HomeObservation):
    messages.error(
        request,
        _(
            "School has already replied to this observation, so it can no longer be changed. "
            "You can add a new observation instead."
        ),
    )
    return redirect(_list_url(observation.child_id))


@login_required
def observation_list(request, child_id: int):
    child = access.child_visible(request.user, child_id)
    observations = observations_for_display(
        HomeObservation.objects.visible_to(request.user).filter(child=child)
    ).order_by("-created_at", "-pk")
    page = Paginator(observations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/observation_list.html",
        {
            "child": child,
            "page": page,
            "is_parent": Child.objects.of_parent(request.user).filter(pk=child.pk).exists(),
            "can_reply": Child.objects.for_staff(request.user).filter(pk=child.pk).exists(),
        },
    )


@login_required
def observation_create(request, child_id: int):
    child = access.child_as_parent(request.user, child_id)
    form = ObservationForm(request.POST or None, request.FILES or None, child=child)
    if request.method == "GET" and request.GET.get("target", "").isdigit():
        chosen = form.fields["target"].queryset.filter(pk=request.GET["target"]).first()
        form.initial["target"] = chosen
    if request.method == "POST" and form.is_valid():
        try:
            observation_add(child=child, author=request.user, **form.cleaned_data)
        except ObservationRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Thank you. The staff who work with %(name)s can now read what you saw.")
                % {"name": child.first_name},
            )
            return redirect(_list_url(child.pk))
    return render(request, "plans/observation_form.html", {"form": form, "child": child})


@login_required
def observation_update(request, observation_id: int):
    observation = _own_observation(request.user, observation_id)
    if observation.replies.exists():
        return _replied(request, observation)
    form = ObservationEditForm(
        request.POST or None,
        child=observation.child,
        initial={"text": observation.text, "target": observation.target_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            observation_edit(observation=observation, by=request.user, **form.cleaned_data)
        except ObservationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your observation is updated."))
        return redirect(_list_url(observation.child_id))
    return render(
        request,
        "plans/observation_form.html",
        {"form": form, "child": observation.child, "observation": observation},
    )


@login_required
def observation_withdraw_view(request, observation_id: int):
    observation = _own_observation(request.user, observation_id)
    if observation.replies.exists():
        return _replied(request, observation)
    if request.method == "POST":
        try:
            observation_withdraw(observation=observation, by=request.user)
        except ObservationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Your observation is withdrawn. School can no longer see it.")
            )
        return redirect(_list_url(observation.child_id))
    return render(request, "plans/observation_withdraw.html", {"observation": observation})


@login_required
@require_POST
def observation_reply_view(request, observation_id: int):
    observation = access.row_for_children(
        HomeObservation.objects.filter(withdrawn_at__isnull=True),
        Child.objects.for_staff(request.user),
        observation_id,
    )
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a reply before sending it."))
    else:
        try:
            observation_reply(observation=observation, by=request.user, **form.cleaned_data)
        except ObservationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your reply is saved. The family will see it here."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = _list_url(observation.child_id)
    return redirect(f"{back}#observation-{observation.pk}")


@login_required
def observation_photo(request, observation_id: int):
    observation = access.row_for_children(
        HomeObservation.objects.visible_to(request.user).exclude(photo=""),
        Child.objects.visible_to(request.user),
        observation_id,
    )
    ext = Path(observation.photo.name).suffix.lower().lstrip(".")
    content_type = PHOTO_TYPES.get(ext) or mimetypes.guess_type(observation.photo.name)[0]
    suffix = f".{ext}" if ext in PHOTO_TYPES else ""
    try:
        photo = observation.photo.open("rb")
    except FileNotFoundError:
        raise Http404("Photo missing") from None
    response = FileResponse(photo, content_type=content_type or "application/octet-stream")
    # A child's photo: never kept by a shared cache or the browser, and never run as
    # anything but the picture it claims to be.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="observation-{observation.pk}{suffix}"'
    return response


urlpatterns = [
    path(
        "children/<int:child_id>/observations/",
        observation_list,
        name="observation_list",
    ),
    path(
        "children/<int:child_id>/observations/new/",
        observation_create,
        name="observation_create",
    ),
    path("observations/<int:observation_id>/edit/", observation_update, name="observation_edit"),
    path(
        "observations/<int:observation_id>/withdraw/",
        observation_withdraw_view,
        name="observation_withdraw",
    ),
    path(
        "observations/<int:observation_id>/reply/",
        observation_reply_view,
        name="observation_reply",
    ),
    path("observations/<int:observation_id>/photo/", observation_photo, name="observation_photo"),
]

"""The contact log: staff log a contact and read a child's history; the family reads the
shared entries and says whether they are right."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.plans import access
from partnership.schools.models import STAFF_ROLES, Child, FamilyLink

from ..forms.log import ActionFormSet, ConfirmForm, ContactLogForm, action_owner_choices
from ..models import AgreedAction, Confirmation, ContactEntry
from ..services.log import ContactRefused, action_done, contact_confirm, contact_log

ENTRIES_PER_PAGE = 25


def _family_children(user, child: Child):
    """The child, and the brothers and sisters at the same school this person also works
    with: one contact about the family can cover them all."""
    family = FamilyLink.objects.filter(child=child).values("parent")
    return (
        Child.objects.for_staff(user)
        .filter(Q(pk=child.pk) | Q(school=child.school_id, family_links__parent__in=family))
        .distinct()
        .order_by("first_name", "pk")
    )


@login_required
def contact_new(request, child_id: int):
    child = access.child_as_staff(request.user, child_id)
    children = _family_children(request.user, child)
    parents = list(
        User.objects.filter(family_links__child__in=children).distinct().order_by("full_name")
    )
    own_parents = {link.parent_id for link in FamilyLink.objects.filter(child=child)}
    staff = list(
        User.objects.filter(
            memberships__school=child.school_id,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )
    owners, owner_choices = action_owner_choices(me=request.user, parents=parents, staff=staff)
    form = ContactLogForm(
        request.POST or None,
        children=children,
        parents=parents,
        initial={"children": [child.pk], "parents": [str(pk) for pk in own_parents]},
    )
    actions = ActionFormSet(
        request.POST or None,
        prefix="action",
        form_kwargs={"owners": owners, "owner_choices": owner_choices},
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            entry = contact_log(
                school=child.school,
                actions=[a for a in (f.action() for f in actions) if a is not None],
                by=request.user,
                **form.cleaned_data,
            )
        except ContactRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Contact logged."))
            if entry.callbacks_answered:
                messages.success(
                    request, _("The family's request for a call is marked as answered.")
                )
            return redirect("contact_history", child_id=child.pk)
    return render(
        request, "contact/log_form.html", {"form": form, "actions": actions, "child": child}
    )


def _history_entries(child: Child, user, *, as_staff: bool):
    entries = ContactEntry.objects.filter(children=child).select_related("author")
    actions = AgreedAction.objects.select_related("owner")
    if as_staff:
        children = Child.objects.order_by("first_name", "pk")
        confirmations = Confirmation.objects.select_related("parent").order_by("answered_at")
    else:
        entries = entries.filter(shared_with_family=True)
        # A parent sees only their own children named, and only their own answer: in a
        # separated family the other parent's side stays theirs.
        children = Child.objects.of_parent(user).order_by("first_name", "pk")
        confirmations = Confirmation.objects.filter(parent=user)
    return entries.prefetch_related(
        Prefetch("children", queryset=children),
        "parents",
        Prefetch("actions", queryset=actions),
        Prefetch("confirmations", queryset=confirmations),
    )


@login_required
def contact_history(request, child_id: int):
    # Staff who work with the child see every entry; anyone else who may see the child is
    # family and sees only what was shared with them.
    as_staff = Child.objects.for_staff(request.user).filter(pk=child_id).exists()
    if as_staff:
        child = access.child_as_staff(request.user, child_id)
    else:
        child = access.child_as_parent(request.user, child_id)
    entries = _history_entries(child, request.user, as_staff=as_staff)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "contact/log_history.html",
        {"child": child, "page": page, "as_staff": as_staff},
    )


@login_required
def contact_confirm_view(request, entry_id: int):
    # Only an entry shared with the family, about one of this parent's children. Access
    # before the method: someone who may not see the entry gets 404, not 405.
    mine = ContactEntry.objects.filter(children__in=Child.objects.of_parent(request.user))
    entry = get_object_or_404(
        ContactEntry.objects.filter(pk__in=mine.values("pk"), shared_with_family=True),
        pk=entry_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    child = entry.children.filter(pk__in=Child.objects.of_parent(request.user)).first()
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose “Yes, that is right” or “That is not how I remember it”.")
        )
        return redirect("contact_history", child_id=child.pk)
    try:
        confirmation = contact_confirm(entry=entry, parent=request.user, **form.cleaned_data)
    except ContactRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if confirmation.answer == Confirmation.Answer.CONFIRMED:
            messages.success(request, _("Thank you for confirming."))
        else:
            messages.success(
                request,
                _("Thank you. School can see that you remember it differently."),
            )
    return redirect(f"{_history_url(child)}#contact-{entry.pk}")


def _history_url(child: Child) -> str:
    return reverse("contact_history", args=[child.pk])


@login_required
def action_done_view(request, action_id: int):
    children = Child.objects.for_staff(request.user)
    mine = AgreedAction.objects.filter(entry__children__in=children)
    action = get_object_or_404(AgreedAction.objects.filter(pk__in=mine.values("pk")), pk=action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    child = action.entry.children.filter(pk__in=children).order_by("first_name", "pk").first()
    try:
        action_done(action=action, by=request.user)
    except ContactRefused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, _("Action marked as done."))
    return redirect(f"{_history_url(child)}#contact-{action.entry_id}")


urlpatterns = [
    path("children/<int:child_id>/contact/", contact_history, name="contact_history"),
    path("children/<int:child_id>/contact/new/", contact_new, name="contact_log"),
    path("contact/<int:entry_id>/confirm/", contact_confirm_view, name="contact_confirm"),
    path("actions/<int:action_id>/done/", action_done_view, name="action_done"),
]

"""Messages to groups of parents and the school's key documents (SENDCo and administrator),
and the parents' notices page where both can be found again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.schools.access import school_for
from partnership.schools.models import Child, School

from ..audiences import audience_label, audience_parents
from ..forms.broadcasts import BroadcastForm, KeyDocumentForm
from ..models import Broadcast, BroadcastRecipient, KeyDocument
from ..services.broadcasts import (
    BroadcastAlreadySent,
    BroadcastRefused,
    broadcast_open,
    broadcast_send,
    document_create,
    document_retire,
    document_update,
)

BROADCASTS_PER_PAGE = 25
RECIPIENTS_PER_PAGE = 50
DOCUMENTS_PER_PAGE = 50
NOTICES_PER_PAGE = 20


@login_required
def broadcast_list(request, slug: str):
    school = school_for(request.user, slug)
    broadcasts = (
        Broadcast.objects.filter(school=school)
        .select_related("author")
        .annotate(
            recipient_count=Count("recipients"),
            opened_count=Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(broadcasts, BROADCASTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contact/broadcast_list.html", {"school": school, "page": page})


@login_required
def broadcast_new(request, slug: str):
    """Write, preview, then send: nothing goes out before "Send to N families"."""
    school = school_for(request.user, slug)
    form = BroadcastForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        if "send" in request.POST:
            try:
                broadcast = broadcast_send(
                    school=school,
                    audience=audience,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                    once=form.cleaned_data["once"],
                )
            except BroadcastAlreadySent as sent:
                messages.info(request, sent.message)
                if sent.broadcast is None:
                    return redirect("broadcast_list", slug=school.slug)
                return redirect("broadcast_detail", slug=school.slug, pk=sent.broadcast.pk)
            except BroadcastRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                count = broadcast.recipients.count()
                messages.success(
                    request,
                    ngettext(
                        "Sent to %(count)s family. You can see here who has read it.",
                        "Sent to %(count)s families. You can see here who has read it.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("broadcast_detail", slug=school.slug, pk=broadcast.pk)
        elif "edit" not in request.POST:
            count = audience_parents(school, audience).count()
            if count:
                context = {
                    "school": school,
                    "form": form,
                    "count": count,
                    "audience": audience_label(audience),
                }
                return render(request, "contact/broadcast_preview.html", context)
            form.add_error(
                "kind",
                _(
                    "No families in this group can receive messages yet (no child matches, "
                    "or their parents have not accepted the invitation). Choose another group."
                ),
            )
    return render(request, "contact/broadcast_form.html", {"school": school, "form": form})


@login_required
def broadcast_detail(request, slug: str, pk: int):
    school = school_for(request.user, slug)
    broadcast = get_object_or_404(
        Broadcast.objects.select_related("author").annotate(
            recipient_count=Count("recipients"),
            opened_count=Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
        ),
        school=school,
        pk=pk,
    )
    recipients = broadcast.recipients.select_related("parent").order_by(
        "parent__full_name", "parent__email", "pk"
    )
    page = Paginator(recipients, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "contact/broadcast_detail.html",
        {"school": school, "broadcast": broadcast, "page": page},
    )


@login_required
def document_list(request, slug: str):
    school = school_for(request.user, slug)
    documents = KeyDocument.objects.filter(school=school).order_by("-is_current", "title", "pk")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contact/document_list.html", {"school": school, "page": page})


@login_required
def document_new(request, slug: str):
    school = school_for(request.user, slug)
    form = KeyDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_create(school=school, by=request.user, **form.cleaned_data)
        except BroadcastRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("“%(title)s” is on the parents' notices page.") % {"title": document.title},
            )
            return redirect("document_list", slug=school.slug)
    return render(
        request, "contact/document_form.html", {"form": form, "school": school, "editing": None}
    )


@login_required
def document_edit(request, slug: str, pk: int):
    school = school_for(request.user, slug)
    document = get_object_or_404(KeyDocument, school=school, pk=pk)
    form = KeyDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            document_update(document=document, by=request.user, **form.cleaned_data)
        except BroadcastRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("document_list", slug=school.slug)
    return render(
        request,
        "contact/document_form.html",
        {"form": form, "school": school, "editing": document},
    )


@login_required
def document_retire_view(request, slug: str, pk: int):
    """A confirmation page; the POST from it takes the document off the parents' page."""
    school = school_for(request.user, slug)
    document = get_object_or_404(KeyDocument, school=school, pk=pk, is_current=True)
    if request.method == "POST":
        document_retire(document=document, by=request.user)
        messages.success(
            request,
            _("“%(title)s” is no longer shown to parents.") % {"title": document.title},
        )
        return redirect("document_list", slug=school.slug)
    return render(request, "contact/document_retire.html", {"school": school, "document": document})


def _parent_schools(user):
    """The schools where the person has a child now: their notices come from these."""
    return School.objects.filter(pk__in=Child.objects.of_parent(user).values("school"))


@login_required
def notices(request):
    schools = list(_parent_schools(request.user).order_by("name"))
    if not schools:
        raise Http404("No children linked")
    received = (
        BroadcastRecipient.objects.filter(parent=request.user, broadcast__school__in=schools)
        .select_related("broadcast__school")
        .order_by("-broadcast__created_at", "-broadcast__pk")
    )
    page = Paginator(received, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    documents = (
        KeyDocument.objects.filter(school__in=schools, is_current=True)
        .select_related("school")
        .order_by("school__name", "school", "title")
    )
    return render(
        request,
        "contact/notices.html",
        {"schools": schools, "page": page, "documents": documents},
    )


@login_required
def notice_detail(request, broadcast_id: int):
    # Only the person's own copy: another family's broadcast is 404, as if it did not exist.
    recipient = get_object_or_404(
        BroadcastRecipient.objects.select_related("broadcast__school"),
        parent=request.user,
        broadcast_id=broadcast_id,
        broadcast__school__in=_parent_schools(request.user),
    )
    broadcast_open(recipient=recipient)
    return render(
        request,
        "contact/notice_detail.html",
        {"broadcast": recipient.broadcast, "recipient": recipient},
    )


urlpatterns = [
    path("schools/<slug:slug>/broadcasts/", broadcast_list, name="broadcast_list"),
    path("schools/<slug:slug>/broadcasts/new/", broadcast_new, name="broadcast_new"),
    path("schools/<slug:slug>/broadcasts/<int:pk>/", broadcast_detail, name="broadcast_detail"),
    path("schools/<slug:slug>/documents/", document_list, name="document_list"),
    path("schools/<slug:slug>/documents/new/", document_new, name="document_new"),
    path("schools/<slug:slug>/documents/<int:pk>/edit/", document_edit, name="document_edit"),
    path(
        "schools/<slug:slug>/documents/<int:pk>/retire/",
        document_retire_view,
        name="document_retire",
    ),
    path("notices/", notices, name="notices"),
    path("notices/<int:broadcast_id>/", notice_detail, name="notice_detail"),
]

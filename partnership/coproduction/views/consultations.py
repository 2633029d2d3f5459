"""Consultations: the SENDCo's and administrator's pages (write, ask, read the results,
publish "you said, we did"), and the parents' pages (what they were asked, their answer,
the outcome). A consultation a person may not see is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.schools.access import school_for

from ..forms_consultations import (
    AnswerForm,
    ConsultationAudienceForm,
    ConsultationForm,
    OutcomeForm,
)
from ..models import Consultation, ConsultationInvite
from ..selectors_consultations import (
    consultation_audience_label,
    consultation_audience_parents,
    consultation_comments,
    consultation_results,
    parent_answers,
    parent_consultation_invites,
    school_consultation,
    school_consultations,
)
from ..services.consultations import (
    ConsultationRefused,
    consultation_answer,
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_publish,
    consultation_update,
    consultations_close_due,
)

PER_SECTION = 20
COMMENTS_PER_PAGE = 25
INBOX_PER_PAGE = 20
Status = Consultation.Status


@login_required
def consultation_list(request, slug: str):
    school = school_for(request.user, slug)
    consultations_close_due(school=school)
    everything = school_consultations(school).order_by("-created_at", "-pk")
    sections = [
        (
            status,
            label,
            Paginator(everything.filter(status=status), PER_SECTION).get_page(
                request.GET.get(f"{status}_page")
            ),
        )
        for status, label in (
            (Status.OPEN, _("Open")),
            (Status.CLOSED, _("Closed: waiting for “you said, we did”")),
            (Status.DRAFT, _("Drafts")),
            (Status.PUBLISHED, _("“You said, we did” published")),
        )
    ]
    return render(
        request, "coproduction/consultation_list.html", {"school": school, "sections": sections}
    )


@login_required
def consultation_new(request, slug: str):
    school = school_for(request.user, slug)
    form = ConsultationForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_create(
                school=school, by=request.user, **form.service_kwargs()
            )
        except ConsultationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, _("Saved as a draft. Choose who to ask, then send it to them.")
            )
            return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    return render(request, "coproduction/consultation_form.html", {"school": school, "form": form})


def _consultation(request, slug: str, pk: int):
    school = school_for(request.user, slug)
    consultations_close_due(school=school)
    consultation = get_object_or_404(school_consultation(school, pk))
    return school, consultation


@login_required
def consultation_edit(request, slug: str, pk: int):
    school, consultation = _consultation(request, slug, pk)
    if consultation.status != Status.DRAFT:
        messages.info(request, _("Parents have been asked, so the questions stay as they were."))
        return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    form = ConsultationForm(request.POST or None, school=school, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_update(consultation=consultation, by=request.user, **form.service_kwargs())
        except ConsultationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    return render(
        request,
        "coproduction/consultation_form.html",
        {"school": school, "form": form, "consultation": consultation},
    )


def _draft_detail(request, school, consultation):
    """Choose who is asked, see how many families that is, then send."""
    form = ConsultationAudienceForm(request.POST or None, school=school)
    preview = None
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        if "open" in request.POST:
            try:
                consultation_open(consultation=consultation, by=request.user, audience=audience)
            except ConsultationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                count = consultation.invites.count()
                messages.success(
                    request,
                    ngettext(
                        "Sent to %(count)s parent or carer. Their answers appear here.",
                        "Sent to %(count)s parents and carers. Their answers appear here.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
        else:
            count = consultation_audience_parents(school, audience).count()
            if count:
                preview = {"count": count, "label": consultation_audience_label(audience)}
            else:
                form.add_error(
                    "kind",
                    _(
                        "Nobody in this group can be asked yet (no family matches, or their "
                        "parents have not accepted the invitation). Choose another group."
                    ),
                )
    return render(
        request,
        "coproduction/consultation_detail.html",
        {
            "school": school,
            "consultation": consultation,
            "questions": consultation.questions.all(),
            "audience_form": form,
            "preview": preview,
        },
    )


@login_required
def consultation_detail(request, slug: str, pk: int):
    school, consultation = _consultation(request, slug, pk)
    if consultation.status == Status.DRAFT:
        return _draft_detail(request, school, consultation)
    form = None
    if consultation.status == Status.CLOSED:
        form = OutcomeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                consultation_publish(
                    consultation=consultation, by=request.user, **form.cleaned_data
                )
            except ConsultationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request, _("Published. Every parent asked has been sent “you said, we did”.")
                )
                return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    comments = Paginator(consultation_comments(consultation), COMMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coproduction/consultation_detail.html",
        {
            "school": school,
            "consultation": consultation,
            "results": consultation_results(consultation),
            "comments": comments,
            "outcome_form": form,
        },
    )


@login_required
def consultation_close_view(request, slug: str, pk: int):
    """A confirmation page; the POST from it closes the consultation early."""
    school, consultation = _consultation(request, slug, pk)
    if consultation.status != Status.OPEN:
        return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    if request.method == "POST":
        consultation_close(consultation=consultation, by=request.user)
        messages.success(
            request, _("Closed. Parents can no longer answer. Now write “you said, we did”.")
        )
        return redirect("consultation_detail", slug=school.slug, pk=consultation.pk)
    return render(
        request,
        "coproduction/consultation_close.html",
        {"school": school, "consultation": consultation},
    )


@login_required
def consultation_inbox(request):
    consultations_close_due()
    invites = parent_consultation_invites(request.user)
    page = Paginator(invites, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "coproduction/consultation_inbox.html", {"page": page})


@login_required
def consultation_answer_view(request, pk: int):
    # Only a parent who was asked: anyone else gets 404, as if it did not exist.
    invite = get_object_or_404(
        ConsultationInvite.objects.select_related("consultation__school").exclude(
            consultation__status=Status.DRAFT
        ),
        consultation_id=pk,
        parent=request.user,
    )
    consultation = invite.consultation
    questions = list(consultation.questions.all())
    given = parent_answers(consultation, request.user)
    response = consultation.responses.filter(parent=request.user).first()
    form = None
    if consultation.is_open:
        initial = {AnswerForm.field_name(q): given.get(q.pk) for q in questions}
        initial["comment"] = response.comment if response else ""
        form = AnswerForm(request.POST or None, questions=questions, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                consultation_answer(
                    consultation=consultation,
                    parent=request.user,
                    choices=form.choices(),
                    comment=form.cleaned_data["comment"],
                )
            except ConsultationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your answer is saved. You can change it until the "
                        "consultation closes."
                    ),
                )
                return redirect("consultation_answer", pk=consultation.pk)
    elif request.method == "POST":
        messages.info(request, _("This consultation has closed, so answers can no longer change."))
        return redirect("consultation_answer", pk=consultation.pk)
    return render(
        request,
        "coproduction/consultation_answer.html",
        {
            "consultation": consultation,
            "school": consultation.school,
            "form": form,
            "answers": [(q, given.get(q.pk)) for q in questions],
            "response": response,
        },
    )


urlpatterns = [
    path("schools/<slug:slug>/consultations/", consultation_list, name="consultation_list"),
    path("schools/<slug:slug>/consultations/new/", consultation_new, name="consultation_new"),
    path(
        "schools/<slug:slug>/consultations/<int:pk>/",
        consultation_detail,
        name="consultation_detail",
    ),
    path(
        "schools/<slug:slug>/consultations/<int:pk>/edit/",
        consultation_edit,
        name="consultation_edit",
    ),
    path(
        "schools/<slug:slug>/consultations/<int:pk>/close/",
        consultation_close_view,
        name="consultation_close",
    ),
    path("consultations/", consultation_inbox, name="consultation_inbox"),
    path("consultations/<int:pk>/", consultation_answer_view, name="consultation_answer"),
]

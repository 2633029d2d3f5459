"""Writing a consultation, choosing who is asked, answering it, and "you said, we did"."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partnership.contact.audiences import Audience, AudienceKind
from partnership.contact.forms.broadcasts import BroadcastForm
from partnership.schools.models import School

from .models import Choice, Consultation, ConsultationQuestion
from .selectors_consultations import (
    PARENT_GROUP_KIND,
    PARENT_GROUP_LABEL,
    ConsultationAudience,
    ParentGroupAudience,
)
from .services.consultations import MAX_QUESTIONS


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    background = forms.CharField(
        label=_("What is changing and why"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Plain words a parent can read on a phone: what school is thinking of "
            "changing, and why."
        ),
    )
    statements = forms.CharField(
        label=_("Statements to agree or disagree with"),
        widget=forms.Textarea(attrs={"rows": 5}),
        # A lazy format, so the help is translated when shown, not when first imported.
        help_text=format_lazy(
            _(
                "One statement on each line, at most {max}. Parents answer each with agree, "
                "not sure or disagree, and can add a comment."
            ),
            max=MAX_QUESTIONS,
        ),
    )
    closes_on = forms.DateField(
        label=_("Closing date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_time = forms.TimeField(
        label=_("Closing time"),
        initial=datetime.time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, school: School, consultation: Consultation | None = None, **kw):
        if consultation is not None and "initial" not in kw:
            closes = timezone.localtime(consultation.closes_at, ZoneInfo(school.time_zone))
            kw["initial"] = {
                "title": consultation.title,
                "background": consultation.background,
                "statements": "\n".join(q.text for q in consultation.questions.all()),
                "closes_on": closes.date(),
                "closes_time": closes.time().replace(second=0, microsecond=0),
            }
        super().__init__(*args, **kw)
        self.school = school

    def clean_statements(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["statements"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one statement."))
        if len(lines) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Ask at most %(max)s statements: a short survey gets more answers.")
                % {"max": MAX_QUESTIONS}
            )
        limit = ConsultationQuestion._meta.get_field("text").max_length
        if any(len(line) > limit for line in lines):
            raise forms.ValidationError(
                _("Keep each statement under %(limit)s characters.") % {"limit": limit}
            )
        return lines

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("closes_on"), cleaned.get("closes_time")
        if day and time:
            # The date and time are the school's, whatever the server's clock says.
            closes = timezone.make_aware(
                datetime.datetime.combine(day, time), ZoneInfo(self.school.time_zone)
            )
            if closes <= timezone.now():
                self.add_error("closes_on", _("Choose a closing date and time in the future."))
            cleaned["closes_at"] = closes
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "background": data["background"],
            "questions": data["statements"],
            "closes_at": data["closes_at"],
        }


class ConsultationAudienceForm(BroadcastForm):
    """The broadcast's groups of families, plus the school's SEND parent group."""

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, school=school, **kwargs)
        for name in ("subject", "body", "once"):
            del self.fields[name]
        self.fields["kind"].label = _("Who should be asked?")
        self.fields["kind"].choices = [
            *AudienceKind.choices,
            (PARENT_GROUP_KIND, PARENT_GROUP_LABEL),
        ]

    def audience(self) -> ConsultationAudience:
        if self.cleaned_data["kind"] == PARENT_GROUP_KIND:
            return ParentGroupAudience()
        return Audience(**_audience_fields(self.cleaned_data))


def _audience_fields(data: dict) -> dict:
    kind = AudienceKind(data["kind"])
    # Only the detail that goes with the kind is kept (see BroadcastForm.audience).
    return {
        "kind": kind,
        "year_group": data["year_group"] if kind == AudienceKind.YEAR_GROUP else None,
        "class_name": data["class_name"] if kind == AudienceKind.CLASS else "",
        "need": data["need"] if kind == AudienceKind.NEED else "",
        "child_ids": (
            tuple(child.pk for child in data["children"]) if kind == AudienceKind.CHOSEN else ()
        ),
    }


class AnswerForm(forms.Form):
    """One agree / not sure / disagree per statement, and a comment."""

    comment = forms.CharField(
        label=_("Anything else you want to tell school? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only school staff read comments. They are not shown to other parents."),
    )

    def __init__(self, *args, questions: list[ConsultationQuestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        comment = self.fields.pop("comment")
        for question in questions:
            self.fields[self.field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer to this statement.")},
            )
        self.fields["comment"] = comment

    @staticmethod
    def field_name(question: ConsultationQuestion) -> str:
        return f"q{question.pk}"

    def choices(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[self.field_name(q)] for q in self.questions}


class OutcomeForm(forms.Form):
    you_said = forms.CharField(
        label=_("You said: what parents told us"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sum up the answers and comments in plain words. Do not name anyone."),
    )
    we_did = forms.CharField(
        label=_("We did: what we changed"), widget=forms.Textarea(attrs={"rows": 4})
    )
    not_changed = forms.CharField(
        label=_("What did not change, and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Parents deserve to know what you decided against, and the reason."),
    )

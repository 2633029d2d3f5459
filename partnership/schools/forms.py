import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnership.choices import RowsChoiceField

from .models import (
    STAFF_ROLES,
    AreaOfNeed,
    Attendance,
    Channel,
    Child,
    Relationship,
    RetentionPolicy,
    Role,
    School,
    SendStatus,
    YearGroup,
)


class ChildChoiceField(RowsChoiceField):
    refusal = _("Please choose from the children listed.")

    def label_from_instance(self, child: Child) -> str:
        # Year and class tell apart two children with the same name.
        return f"{child.full_name} ({child.get_year_group_display()}, {child.class_name})"


class ParentInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    children = ChildChoiceField(
        label=_("Children"), queryset=Child.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the child"), choices=Relationship.choices
    )
    parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False, initial=True
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred way to be contacted"), choices=Channel.choices, initial=Channel.EMAIL
    )
    preferred_language = forms.CharField(
        label=_("Preferred language"), max_length=50, initial="English"
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this school's children can be chosen: a forged id fails validation.
        self.fields["children"].queryset = school.children.order_by(
            "year_group", "last_name", "first_name"
        )


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in (*STAFF_ROLES, Role.GOVERNOR)],
    )
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)


def _key(text: str) -> str:
    # "SEN support", "sen_support" and " SEN Support " all mean the same to a person.
    return re.sub(r"[\s_]+", "", text.lower())


class _AliasField(forms.CharField):
    """A choice given by its value, its label or an MIS shorthand, in any case."""

    def __init__(self, choices, *, aliases=None, examples: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.options, self.aliases, self.examples = choices, aliases or {}, examples
        # Shared by every copy a form makes of this field (copies are shallow), so a
        # 5,000-row import builds it once, not once per row.
        self._lookups: dict[str | None, dict[str, Any]] = {}

    @property
    def lookup(self) -> dict[str, Any]:
        # Built on first use, not at import, so lazy labels are translated in the
        # language of the person importing, and kept per language.
        language = get_language()
        if language not in self._lookups:
            lookup = {_key(str(value)): value for value, _label in self.options}
            lookup |= {_key(str(label)): value for value, label in self.options}
            lookup |= {_key(alias): value for alias, value in self.aliases.items()}
            self._lookups[language] = lookup
        return self._lookups[language]

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return text
        if _key(text) not in self.lookup:
            raise forms.ValidationError(
                _("“%(value)s” is not one of: %(choices)s."),
                params={
                    "value": text,
                    "choices": self.examples or ", ".join(str(c[1]) for c in self.options),
                },
            )
        return self.lookup[_key(text)]


_YEAR_ALIASES = {"r": YearGroup.RECEPTION, "n": YearGroup.NURSERY}
_YEAR_ALIASES |= {f"y{year}": year for year in range(1, 14)}
_YES_NO_ALIASES = {"true": True, "1": True, "y": True, "false": False, "0": False, "n": False}


class ChildImportRowForm(forms.Form):
    """One row of an MIS export; field names are the CSV's column names."""

    mis_id = forms.CharField(max_length=64)
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    year_group = _AliasField(YearGroup.choices, aliases=_YEAR_ALIASES)
    class_name = forms.CharField(max_length=50, required=False)
    send_status = _AliasField(
        SendStatus.choices, aliases={"k": SendStatus.SEN_SUPPORT, "e": SendStatus.EHC_PLAN}
    )
    primary_need = _AliasField(AreaOfNeed.choices, examples=", ".join(AreaOfNeed.values))
    attendance = _AliasField(
        Attendance.choices, aliases={"remote": Attendance.REMOTE}, required=False
    )
    parent_email = forms.EmailField(required=False)
    parent_name = forms.CharField(max_length=150, required=False)
    relationship = _AliasField(Relationship.choices, required=False)
    parental_responsibility = _AliasField(
        [(True, "yes"), (False, "no")], aliases=_YES_NO_ALIASES, required=False
    )
    preferred_channel = _AliasField(Channel.choices, required=False)
    preferred_language = forms.CharField(max_length=50, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Blank optional cells take the same defaults as the portal's own forms.
        for name, default in (
            ("attendance", Attendance.IN_SCHOOL),
            ("parental_responsibility", True),
            ("preferred_channel", Channel.EMAIL),
            ("preferred_language", "English"),
        ):
            if data.get(name) in ("", None) and name not in self.errors:
                data[name] = default
        if data.get("parent_email") and not self.data.get("relationship"):
            self.add_error("relationship", forms.Field.default_error_messages["required"])
        elif not self.data.get("parent_email") and (
            self.data.get("parent_name") or self.data.get("relationship")
        ):
            self.add_error(
                "parent_email",
                _("Enter the parent's email address, or leave all the parent columns empty."),
            )
        return data


class ChildImportForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        validators=[FileExtensionValidator(["csv"], message=_("Choose a .csv file."))],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    send_invitations = forms.BooleanField(
        label=_("Email invitations to new parents"), required=False, initial=True
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files and import each.")
            )
        return file


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# Longer than a week's notice would stop parents moving a meeting at all in practice;
# keeping new slots back for more than a fortnight would leave other families none.
MAX_CUTOFF_HOURS = 168
MAX_PRIORITY_DAYS = 14

SETTINGS_FIELDS = [
    "checkin_weekday",
    "checkin_time",
    "sending_from",
    "sending_until",
    "school_day_ends",
    "praise_digest_weekday",
    "praise_digest_time",
    "booking_cutoff_hours",
    "priority_booking_days",
]


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = SETTINGS_FIELDS
        widgets = {
            "checkin_time": TIME,
            "sending_from": TIME,
            "sending_until": TIME,
            "school_day_ends": TIME,
            "praise_digest_time": TIME,
        }
        help_texts = {
            "sending_from": _("Emails to parents wait outside these hours (school time)."),
            "school_day_ends": _("Staff who have not given praise by then get a short reminder."),
            "booking_cutoff_hours": _(
                "Parents can book, move or cancel a meeting until this many hours before it."
            ),
            "priority_booking_days": _(
                "New meeting slots are kept for families needing closer contact first. "
                "0 offers them to everyone at once."
            ),
        }

    def clean_booking_cutoff_hours(self) -> int:
        hours = self.cleaned_data["booking_cutoff_hours"]
        if hours > MAX_CUTOFF_HOURS:
            raise ValidationError(
                _("At most %(hours)s hours (a week)."), params={"hours": MAX_CUTOFF_HOURS}
            )
        return hours

    def clean_priority_booking_days(self) -> int:
        days = self.cleaned_data["priority_booking_days"]
        if days > MAX_PRIORITY_DAYS:
            raise ValidationError(_("At most %(days)s days."), params={"days": MAX_PRIORITY_DAYS})
        return days

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("sending_from"), cleaned.get("sending_until")
        if opens and closes and opens >= closes:
            self.add_error(
                "sending_until", _("The end of the sending hours must be after their start.")
            )
        ends = cleaned.get("school_day_ends")
        if ends and ends < datetime.time(12, 0):
            self.add_error("school_day_ends", _("The school day ends in the afternoon."))
        return cleaned


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = [
            "sen_records_until_age",
            "sen_records_extra_years",
            "contact_notes_months",
            "checkin_messages_months",
            "sent_emails_days",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            # SQLite keeps no small-integer range, so refuse here what PostgreSQL would.
            if isinstance(value, int) and value > 32767:
                self.add_error(name, _("That number is too large."))
        age = cleaned.get("sen_records_until_age")
        if age is not None and age < 18:
            # SEN records concern an education that can last to 25 (EHC plans): keeping
            # them for less would lose what a young person may still need.
            self.add_error("sen_records_until_age", _("Keep SEN records at least until 18."))
        for name in ("contact_notes_months", "checkin_messages_months", "sent_emails_days"):
            if cleaned.get(name) == 0:
                self.add_error(name, _("Keep them for at least one (or the portal shows gaps)."))
        return cleaned


class LeavingForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left the school on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["left_on"].initial = today

    def clean_left_on(self) -> datetime.date:
        day = self.cleaned_data["left_on"]
        if day > self.today + datetime.timedelta(days=92):
            raise ValidationError(_("Choose a day in the next three months at the latest."))
        return day

import datetime
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import School

from .models import Action
from .selectors import audit_children_for_school, audit_people_for_school

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.last_name}, {obj.first_name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class AuditFilterForm(forms.Form):
    """Filters travel in the query string as ids and codes only, never as names."""

    child = ChildChoiceField(label=_("Child"), queryset=None, required=False)
    person = PersonChoiceField(label=_("Person"), queryset=None, required=False)
    action = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("Anything"))] + list(Action.choices),
        required=False,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["child"].queryset = audit_children_for_school(school=school)
        self.fields["child"].empty_label = _("Every child")
        self.fields["person"].queryset = audit_people_for_school(school=school)
        self.fields["person"].empty_label = _("Everyone")
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-control" if isinstance(field, forms.DateField) else "form-select"
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Bootstrap marks a field by class; the message is tied to it for screen readers.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"id_{name}-error"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            # Far-off dates overflow the time zone arithmetic; the trail starts this century.
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date in this century."))
                return data
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The dates as the school means them: whole days in the school's time zone."""
        zone = zoneinfo.ZoneInfo(self.school.time_zone)
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (
            datetime.datetime.combine(start, datetime.time(), zone) if start else None,
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
            if end
            else None,
        )

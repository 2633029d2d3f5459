"""Forms for publishing availability. They check the shape of what was typed; the rules
(overlaps, the past, a video link for a video call) are the services' job."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import WEEKDAYS, Membership

from .models import Mode
from .services.slots import MAX_BUFFER, MAX_MINUTES, MAX_SLOTS_A_DAY, MAX_WEEKS_AHEAD, MIN_MINUTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class HostField(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        return f"{membership.user} ({membership.get_role_display()})"


class _WhereMixin(forms.Form):
    mode = forms.ChoiceField(
        label=_("How"), choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.IN_PERSON
    )
    location = forms.CharField(
        label=_("Where (in person)"),
        max_length=200,
        required=False,
        help_text=_("For example “the SENDCo's office, next to reception”."),
    )
    video_link = forms.URLField(
        label=_("Video link (video calls)"), required=False, assume_scheme="https"
    )


def _hosts_field(hosts, me) -> HostField:
    # Most people publish their own time; a SENDCo may also fill a colleague's diary.
    own = hosts.filter(user=me).first() if me is not None else None
    return HostField(
        label=_("Whose diary"), queryset=hosts, empty_label=None, initial=own or hosts.first()
    )


class SlotPatternForm(_WhereMixin):
    """A weekly pattern a SENDCo fills in in under a minute: days, first start, length,
    how many, the gap between them, how and where, and how far ahead to keep open."""

    field_order = [
        "host",
        "weekdays",
        "first_starts_at",
        "slot_minutes",
        "slot_count",
        "buffer_minutes",
        "mode",
        "location",
        "video_link",
        "starts_on",
        "ends_on",
        "weeks_ahead",
    ]

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "meetings-pattern-day"}),
        initial=[1, 3],
    )
    first_starts_at = forms.TimeField(
        label=_("First meeting starts at"), widget=TimeInput, initial=datetime.time(9, 0)
    )
    slot_minutes = forms.IntegerField(
        label=_("Minutes per meeting"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=20
    )
    slot_count = forms.IntegerField(
        label=_("Meetings each day"),
        min_value=1,
        max_value=MAX_SLOTS_A_DAY,
        initial=5,
        widget=forms.NumberInput(attrs={"class": "meetings-pattern-count"}),
    )
    buffer_minutes = forms.IntegerField(
        label=_("Minutes between meetings"), min_value=0, max_value=MAX_BUFFER, initial=0
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty to keep going until you stop the pattern."),
    )
    weeks_ahead = forms.IntegerField(
        label=_("Weeks to keep open ahead"), min_value=1, max_value=MAX_WEEKS_AHEAD, initial=6
    )

    def __init__(self, *args, hosts, today: datetime.date, me=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"] = _hosts_field(hosts, me)
        self.fields["starts_on"].initial = today
        self.order_fields(self.field_order)

    def slots_a_week(self) -> int:
        """For the preview line; JavaScript keeps it up to date as the form changes."""
        data = self.data if self.is_bound else None
        try:
            if data is not None:
                days = len(set(data.getlist("weekdays")))
                count = int(data.get("slot_count") or 0)
            else:
                days = len(self.fields["weekdays"].initial)
                count = int(self.fields["slot_count"].initial)
        except ValueError:
            return 0
        return days * count


class SlotForm(_WhereMixin):
    """One extra slot, for example after school on a day the pattern does not cover."""

    field_order = ["host", "day", "starts", "minutes", "mode", "location", "video_link"]

    day = forms.DateField(label=_("Day"), widget=DateInput)
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=20
    )

    def __init__(self, *args, hosts, zone: ZoneInfo, me=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["host"] = _hosts_field(hosts, me)
        self.order_fields(self.field_order)

    def starts_at(self) -> datetime.datetime:
        # The wall-clock time the person typed, in the school's zone.
        naive = datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["starts"])
        return timezone.make_aware(naive, self.zone)


class PatternStopForm(forms.Form):
    withdraw_open = forms.BooleanField(
        label=_("Also withdraw the future slots it made that nobody has booked"),
        required=False,
        initial=True,
    )

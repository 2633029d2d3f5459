"""Forms for group sessions. Times are typed as the school's clock shows them and turned
into aware datetimes in the school's time zone, so a 10:00 coffee morning stays at 10:00
either side of the clocks changing."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.plans.forms.targets import DateInput
from partnership.schools.models import STAFF_ROLES, Child, Membership, School

from .models import GroupSession, Mode, SessionPlace, Topic


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class HostChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name or obj.user.email} ({obj.get_role_display()})"


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupSession.Kind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("What it is about"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few plain sentences: who it is for and what parents will get from it."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, initial=Mode.IN_PERSON)
    location = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("For sessions in school, e.g. “The library”."),
    )
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=12)
    host = HostChoice(label=_("Led by"), queryset=Membership.objects.none(), required=False)

    def __init__(self, *args, school: School, session: GroupSession | None = None, **kwargs):
        self.school = school
        self.zone = ZoneInfo(school.time_zone)
        if session is not None:
            kwargs.setdefault("initial", self.initial_from(session))
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = (
            Membership.objects.active()
            .filter(school=school, role__in=STAFF_ROLES)
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
        if session is not None:
            self.fields["capacity"].help_text = _(
                "%(count)s people have a place. Adding places moves the waiting list up."
            ) % {"count": session.confirmed_count}

    def initial_from(self, session: GroupSession) -> dict:
        starts = timezone.localtime(session.starts_at, self.zone)
        ends = timezone.localtime(session.ends_at, self.zone)
        return {
            "kind": session.kind,
            "topic": session.topic,
            "title": session.title,
            "description": session.description,
            "day": starts.date(),
            "starts": starts.time().replace(second=0, microsecond=0),
            "ends": ends.time().replace(second=0, microsecond=0),
            "mode": session.mode,
            "location": session.location,
            "video_link": session.video_link,
            "capacity": session.capacity,
            "host": session.host_id,
        }

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The session must end after it starts."))
            data["starts_at"] = datetime.datetime.combine(day, starts, tzinfo=self.zone)
            data["ends_at"] = datetime.datetime.combine(day, ends, tzinfo=self.zone)
        if data.get("mode") == Mode.VIDEO and not data.get("video_link"):
            self.add_error("video_link", _("Add the video link parents will use to join."))
        if data.get("mode") == Mode.IN_PERSON and not data.get("location", "").strip():
            self.add_error("location", _("Say where in school the session is."))
        return data

    def session_fields(self) -> dict:
        data = self.cleaned_data
        names = ("kind", "topic", "title", "description", "mode", "location", "video_link")
        return {
            **{name: data[name] for name in names},
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "host": data["host"],
        }


class ChildChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return obj.first_name


class JoinForm(forms.Form):
    """Which child the place is for: it counts towards that family's meetings this year."""

    child = ChildChoice(
        label=_("Which child is this for?"),
        queryset=Child.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which child this is for.")},
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        children = list(children)
        if len(children) == 1:
            self.fields["child"].widget = forms.HiddenInput()
            self.fields["child"].initial = children[0].pk
        self.only_child = children[0] if len(children) == 1 else None


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to everyone with a place or on the waiting list)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who came"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, places: list[SessionPlace], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(p.pk), f"{p.parent.full_name or p.parent.email} ({p.child.full_name})")
            for p in places
        ]
        if not self.is_bound:
            self.initial["attended"] = [str(p.pk) for p in places if p.attended]

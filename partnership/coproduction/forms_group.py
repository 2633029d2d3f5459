"""Forms for the SEND parent group: naming the parent representative and inviting the
group to a session."""

from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.meetings.models import GroupSession

from .models import ParentGroupMember


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ParentGroupMember) -> str:
        return obj.parent.full_name or obj.parent.email


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: GroupSession) -> str:
        starts = timezone.localtime(obj.starts_at, ZoneInfo(obj.school.time_zone))
        return f"{obj.title} — {starts:%d %b %Y, %H:%M}"


class RepresentativeForm(forms.Form):
    member = MemberChoice(
        label=_("Parent representative"),
        queryset=ParentGroupMember.objects.none(),
        required=False,
        empty_label=_("Nobody for now"),
        help_text=_(
            "A member of the group who speaks for parents and sees the governors' summary."
        ),
    )

    def __init__(self, *args, members: QuerySet[ParentGroupMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class InviteForm(forms.Form):
    session = SessionChoice(
        label=_("Upcoming session"), queryset=GroupSession.objects.none(), empty_label=None
    )

    def __init__(self, *args, sessions: QuerySet[GroupSession], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions

"""Forms for support requests: what a parent would like and how, and the SENDCo's offer
of a session to the families who asked."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.meetings.models import GroupSession, Topic
from partnership.schools.models import School


class SupportRequestForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("Which school?"), queryset=School.objects.none(), empty_label=None
    )
    topics = forms.MultipleChoiceField(
        label=_("What would help you? Choose as many as you like."),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing that would help.")},
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    in_person = forms.BooleanField(label=_("In person, at school"), required=False)
    resources = forms.BooleanField(label=_("Things to read or watch"), required=False)
    note = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a good time of day for you, or what you find hard."),
    )

    def __init__(self, *args, schools: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.schools = list(schools)
        # One school needs no question: it is chosen for the parent.
        self.only_school = self.schools[0] if len(self.schools) == 1 else None
        if self.only_school is not None:
            self.fields["school"].initial = self.only_school.pk
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if not (data.get("online") or data.get("in_person") or data.get("resources")):
            raise forms.ValidationError(
                _(
                    "Tell us how you would like the support: online, in person, "
                    "or things to read or watch."
                )
            )
        return data


class OfferForm(forms.Form):
    """Which upcoming session, on the topic families asked about, to offer them."""

    topic = forms.ChoiceField(choices=Topic.choices, widget=forms.HiddenInput)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=GroupSession.objects.none(), empty_label=None
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = GroupSession.objects.filter(
            school=school, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )

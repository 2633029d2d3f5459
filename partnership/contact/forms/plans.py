from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SENDCO_MEETINGS_A_YEAR, ContactPlan
from ..services.plans import SENDCO_MEETINGS_MOST


class ContactPlanForm(forms.ModelForm):
    class Meta:
        model = ContactPlan
        fields = ["frequency", "sendco_meetings_target", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "frequency": _(
                "Agree it with the family. Most families are fine with every two weeks; "
                "some need a word every day."
            ),
            "sendco_meetings_target": _(
                "One-to-one meetings, video calls and home visits with the SENDCo (the "
                "special educational needs co-ordinator) count. At least six a year."
            ),
            "notes": _("For example: a text on Fridays, or a call after each therapy session."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser stops a slip early; the service keeps the rule for every caller.
        self.fields["sendco_meetings_target"].widget.attrs.update(
            min=SENDCO_MEETINGS_A_YEAR, max=SENDCO_MEETINGS_MOST
        )

"""Forms for the catalogue of interventions and a child's place on one.

The forms only offer what belongs to the child's school (its interventions, its staff)
and to the child (their targets); the services check the same again.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.choices import RowsChoiceField
from partnership.schools.models import STAFF_ROLES, Child, Membership

from ..models import Intervention, Placement, PlanCycle, Target


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["name", "description", "home_support_ideas", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "home_support_ideas": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _("Families read this: avoid abbreviations."),
            "home_support_ideas": _(
                "Shown to families whose child takes part, unless a placement says otherwise."
            ),
            "is_active": _("Untick to stop offering it. Children already on it keep their place."),
        }


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        title = membership.job_title or membership.get_role_display()
        return f"{membership.user.full_name or membership.user.email} – {title}"


class TargetChoiceField(RowsChoiceField):
    refusal = _("Please choose from the targets listed.")

    def label_from_instance(self, target: Target) -> str:
        outcome = " ".join(target.outcome.split())
        return outcome if len(outcome) <= 90 else f"{outcome[:87]}…"


class PlacementForm(forms.ModelForm):
    staff = StaffChoiceField(queryset=Membership.objects.none(), required=False, label=_("Run by"))
    targets = TargetChoiceField(
        queryset=Target.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Targets it works towards"),
    )

    class Meta:
        model = Placement
        fields = [
            "intervention",
            "staff",
            "frequency",
            "starts_on",
            "ends_on",
            "entry_measure",
            "exit_measure",
            "targets",
            "home_support",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "home_support": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "frequency": _("For example: three times a week, 20 minutes."),
            "entry_measure": _("For example: a reading age or a score on an assessment."),
        }

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.intervention_id if self.instance.pk else None
        self.fields["intervention"].queryset = Intervention.objects.filter(
            Q(is_active=True) | Q(pk=current), school=child.school_id
        ).order_by("name")
        self.fields["staff"].queryset = (
            Membership.objects.active()
            .filter(school=child.school_id, role__in=STAFF_ROLES)
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
        # The current plan's targets, and any linked earlier that have since been reviewed.
        linked = self.instance.targets.values("pk") if self.instance.pk else []
        self.fields["targets"].queryset = Target.objects.filter(
            Q(cycle__status=PlanCycle.Status.OPEN) | Q(pk__in=linked), child=child
        ).order_by("-cycle__starts_on", "created_at", "pk")
        self.fields["home_support"].help_text = _(
            "Shown to the family. Leave empty to use the catalogue's ideas."
        )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return cleaned

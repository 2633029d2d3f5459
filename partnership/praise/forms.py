"""The praise form: built from lists the view read once, so drawing it for a SENDCo with
300 children costs the same few queries as for a teaching assistant with three, and a
forged or stale id fails validation out loud instead of being dropped."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.plans.models import Target
from partnership.schools.models import Child

from .models import PraiseValue
from .services.give import NOTE_MAX

TARGET_LABEL_MAX = 90


def _short(text: str, limit: int = TARGET_LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PraiseGiveForm(forms.Form):
    children = forms.MultipleChoiceField(
        label=_("Who"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Choose at least one child to praise."),
            "invalid_choice": _(
                "One of the children chosen is not one you can praise here. Nothing was "
                "saved: please choose again."
            ),
        },
    )
    value = forms.ChoiceField(
        label=_("Which value"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the value they showed."),
            "invalid_choice": _("That value is no longer offered. Choose another."),
        },
    )
    note = forms.CharField(
        label=_("What they did"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence is plenty. Families read this, so write it for them."),
        error_messages={"required": _("Say in a few words what they did.")},
    )
    target = forms.ChoiceField(
        label=_("Linked to a target (optional)"),
        required=False,
        error_messages={"invalid_choice": _("That target is not in a current plan any more.")},
    )

    def __init__(
        self,
        *args,
        children: list[Child],
        values: list[PraiseValue],
        targets: list[Target],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.children_by_key = {str(child.pk): child for child in children}
        self.values_by_key = {str(value.pk): value for value in values}
        self.targets_by_key = {str(target.pk): target for target in targets}
        self.fields["children"].choices = [
            (key, c.full_name) for key, c in self.children_by_key.items()
        ]
        self.fields["value"].choices = [(key, v.name) for key, v in self.values_by_key.items()]
        self.target_groups: list[tuple[Child, list[Target]]] = []
        grouped: dict[int, list[Target]] = {}
        for target in targets:
            grouped.setdefault(target.child_id, []).append(target)
        for child in children:
            if child.pk in grouped:
                self.target_groups.append((child, grouped[child.pk]))
        self.fields["target"].choices = [("", _("No target"))] + [
            (child.full_name, [(str(t.pk), _short(t.outcome)) for t in child_targets])
            for child, child_targets in self.target_groups
        ]

    def child_groups(self) -> list[tuple[str, list, bool]]:
        """The checkboxes by class: (class, boxes, whether any box in it is ticked)."""
        groups: dict[str, list] = {}
        for box in self["children"]:
            child = self.children_by_key[str(box.data["value"])]
            groups.setdefault(child.class_name or str(_("No class")), []).append(box)
        return [
            (name, boxes, any(box.data["selected"] for box in boxes))
            for name, boxes in groups.items()
        ]

    def clean_children(self) -> list[Child]:
        return [self.children_by_key[key] for key in self.cleaned_data["children"]]

    def clean_value(self) -> PraiseValue:
        return self.values_by_key[self.cleaned_data["value"]]

    def clean_target(self) -> Target | None:
        key = self.cleaned_data.get("target")
        return self.targets_by_key[key] if key else None

    def clean(self):
        cleaned = super().clean()
        target, children = cleaned.get("target"), cleaned.get("children")
        if (
            target is not None
            and children is not None
            and target.child_id not in {child.pk for child in children}
        ):
            owner = self.children_by_key[str(target.child_id)]
            self.add_error(
                "target",
                _(
                    "That target is %(name)s's, but %(name)s is not ticked. Tick "
                    "%(name)s too, or choose another target."
                )
                % {"name": owner.first_name},
            )
        return cleaned

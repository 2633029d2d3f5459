"""Writing a broadcast (who to, what) and a key document.

The choices offered come from the school's own children, so a forged child id or class
fails validation; the audience rules check the school again.
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.choices import RowsChoiceField
from partnership.schools.models import AreaOfNeed, Child, School, YearGroup

from ..audiences import Audience, AudienceKind
from ..models import KeyDocument


class ChildChoiceField(RowsChoiceField):
    refusal = _("Please choose from the children listed.")

    def label_from_instance(self, child: Child) -> str:
        detail = child.get_year_group_display()
        if child.class_name:
            detail = f"{detail}, {child.class_name}"
        return f"{child.last_name}, {child.first_name} ({detail})"


class BroadcastForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who should get it?"), choices=AudienceKind.choices, widget=forms.RadioSelect
    )
    year_group = forms.TypedChoiceField(
        label=_("Year group"), coerce=int, required=False, empty_value=None
    )
    class_name = forms.ChoiceField(label=_("Class"), required=False)
    need = forms.ChoiceField(
        label=_("Area of need"),
        required=False,
        help_text=_("The child's main (primary) area of special educational need."),
    )
    children = ChildChoiceField(
        label=_("Children whose families should get it"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Parents read this in an email and on the portal. Use plain words."),
    )
    # A new value each time the empty form is drawn: sending the same form twice (a double
    # click, a reload) is then recognised and sends nothing more.
    once = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    # Which field goes with which kind of audience, and what to say when it is empty.
    DETAIL = {
        AudienceKind.YEAR_GROUP: ("year_group", _("Choose the year group.")),
        AudienceKind.CLASS: ("class_name", _("Choose the class.")),
        AudienceKind.NEED: ("need", _("Choose the area of need.")),
        AudienceKind.CHOSEN: ("children", _("Tick at least one child.")),
    }

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        children = Child.objects.filter(school=school)
        # Only groups that exist at the school are offered: no empty "Year 12" to pick.
        years = set(children.order_by().values_list("year_group", flat=True).distinct())
        self.fields["year_group"].choices = [("", "—")] + [
            (value, label) for value, label in YearGroup.choices if value in years
        ]
        classes = (
            children.exclude(class_name="")
            .order_by("class_name")
            .values_list("class_name", flat=True)
            .distinct()
        )
        self.fields["class_name"].choices = [("", "—")] + [(name, name) for name in classes]
        needs = set(children.order_by().values_list("primary_need", flat=True).distinct())
        self.fields["need"].choices = [("", "—")] + [
            (value, label) for value, label in AreaOfNeed.choices if value in needs
        ]
        self.fields["children"].queryset = children.order_by("last_name", "first_name", "pk")

    def clean(self):
        cleaned = super().clean()
        detail = self.DETAIL.get(cleaned.get("kind"))
        if detail is not None:
            field, message = detail
            if cleaned.get(field) in (None, "") or (field == "children" and not cleaned.get(field)):
                self.add_error(field, message)
        return cleaned

    def audience(self) -> Audience:
        data = self.cleaned_data
        kind = AudienceKind(data["kind"])
        # Only the detail that goes with the kind is kept, so a year group left chosen
        # from an earlier try cannot narrow a message meant for a class.
        return Audience(
            kind=kind,
            year_group=data["year_group"] if kind == AudienceKind.YEAR_GROUP else None,
            class_name=data["class_name"] if kind == AudienceKind.CLASS else "",
            need=data["need"] if kind == AudienceKind.NEED else "",
            child_ids=(
                tuple(child.pk for child in data["children"]) if kind == AudienceKind.CHOSEN else ()
            ),
        )


class KeyDocumentForm(forms.ModelForm):
    # "www.school.sch.uk/send" typed without a scheme becomes https, as school sites are.
    link = forms.URLField(
        label=_("Where to read it in full"),
        required=False,
        assume_scheme="https",
        help_text=_("The page on the school website, or a shared file."),
    )

    class Meta:
        model = KeyDocument
        fields = ["title", "summary", "link"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("For example: SEND information report, or SEND policy."),
            "summary": _("Two or three sentences a parent can read on a phone. Avoid jargon."),
        }

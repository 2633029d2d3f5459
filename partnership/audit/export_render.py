"""The human-readable half of a subject access export: one self-contained HTML page with
a section per kind of record, values in words (choices, yes/no, dates in the school's
time zone, people by name), and no external assets so it opens offline from the zip."""

import datetime
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from partnership.schools.models import Child

from .export import Collected, Section
from .export_registry import EXCLUDED

EMPTY = "—"


def _label(section: Section, name: str) -> str:
    if name == "id":
        return "Record number"
    try:
        return capfirst(str(section.model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


class _Formatter:
    def __init__(self, collected: Collected) -> None:
        self.people = collected.people
        self.children = {
            row["id"]: f"{row['first_name']} {row['last_name']}"
            for section in collected.sections
            if section.entry.label == "schools.Child"
            for row in section.rows
        }
        tz_name = collected.school.time_zone if collected.school else None
        self.tz = zoneinfo.ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
        self.user_model = get_user_model()

    def value(self, section: Section, name: str, value: Any) -> tuple[str, bool]:
        """The value in words, and whether it is a link to a photo in the zip."""
        if value is None or value == "" or value == []:
            return EMPTY, False
        if section.entry.photo_field == name:
            return str(value), True
        try:
            field: Field | None = section.model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.is_relation:
            return self._related(field, value), False
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value)), False
        return self._plain(value), False

    def _related(self, field, value: Any) -> str:
        ids = value if isinstance(value, list) else [value]
        if field.related_model is self.user_model:
            names = [self.people.get(pk, f"Person {pk}") for pk in ids]
        elif field.related_model is Child:
            names = [self.children.get(pk, f"Child {pk}") for pk in ids]
        else:
            names = [f"No. {pk}" for pk in ids]
        return ", ".join(names) or EMPTY

    def _plain(self, value: Any) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(self.tz)
            return date_format(value, "j F Y, H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return str(value)


def _subject_name(collected: Collected) -> str:
    if collected.mode == "child":
        return next(iter(_Formatter(collected).children.values()), "the child")
    for section in collected.sections:
        if section.entry.label == "accounts.User" and section.rows:
            row = section.rows[0]
            return row.get("full_name") or row.get("email") or "the parent"
    return "the parent"


def index_html(collected: Collected, created_at: datetime.datetime) -> str:
    formatter = _Formatter(collected)
    sections = []
    for section in collected.sections:
        records = []
        for row in section.rows:
            items = []
            for name in section.columns:
                text, is_photo = formatter.value(section, name, row.get(name))
                if text == EMPTY:
                    continue  # nothing recorded; data.json still lists every field
                items.append({"label": _label(section, name), "text": text, "photo": is_photo})
            records.append(items)
        sections.append(
            {
                "heading": section.entry.heading,
                "anchor": section.entry.label.replace(".", "-").lower(),
                "key": section.entry.label,
                "records": records,
            }
        )
    return render_to_string(
        "audit/subject_export_index.html",
        {
            "mode": collected.mode,
            "subject": _subject_name(collected),
            "school": collected.school,
            "created_at": formatter._plain(created_at),
            "sections": sections,
            "excluded": EXCLUDED,
            "missing_photos": collected.missing_photos,
            "photo_count": len(collected.photos),
        },
    )

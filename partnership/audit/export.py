"""Subject access export: every record the portal holds about one child or one parent,
as a zip with `data.json` (for machines), `index.html` (for people) and the photos.

The rows come from the registry (export_registry.py), one query per model whatever the
number of rows, plus one per many-to-many field and one for the names of the people the
rows mention; a year of a child's records is a few dozen queries and well under a second.
The zip is built in an anonymous temporary file, never under MEDIA_ROOT, so no copy of
the export outlives the download.
"""

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Model
from django.utils import timezone

from partnership.schools.models import Child, FamilyLink, School

from .export_registry import ENTRIES, SECRET_FIELD, Entry, Scope

Mode = Literal["child", "parent"]
FORMAT_VERSION = 1


@dataclass
class Section:
    entry: Entry
    model: type[Model]
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Collected:
    mode: Mode
    scope: Scope
    school: School | None
    sections: list[Section]
    people: dict[int, str] = field(default_factory=dict)
    # zip path -> storage path of each photo to copy in
    photos: dict[str, str] = field(default_factory=dict)
    missing_photos: list[str] = field(default_factory=list)


def child_scope(child: Child) -> Scope:
    parents = frozenset(
        FamilyLink.objects.filter(child=child).order_by().values_list("parent_id", flat=True)
    )
    return Scope(
        child_ids=frozenset({child.pk}),
        people_ids=parents,
        school_id=child.school_id,
        child_id=child.pk,
    )


def parent_scope(parent, school: School | None) -> Scope:
    children = Child.objects.of_parent(parent)
    if school is not None:
        children = children.filter(school=school)
    child_ids = frozenset(children.values_list("pk", flat=True))
    return Scope(
        child_ids=child_ids,
        people_ids=frozenset({parent.pk}),
        school_id=school.pk if school is not None else None,
        parent_id=parent.pk,
        parent_children=Child.objects.filter(pk__in=child_ids),
    )


def _columns(entry: Entry, model: type[Model]) -> tuple[list[str], list[str]]:
    """The concrete columns and the many-to-many fields to export, secrets dropped."""
    if entry.fields:
        wanted = list(entry.fields)
    else:
        wanted = [
            f.name
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if f.name not in entry.exclude
        ]
    wanted = [name for name in wanted if not SECRET_FIELD.search(name)]
    if "id" not in wanted:
        wanted.insert(0, "id")  # rows are matched to photos and many-to-many values by id
    m2m_names = {f.name for f in model._meta.many_to_many}
    return [n for n in wanted if n not in m2m_names], [n for n in wanted if n in m2m_names]


def _m2m_values(model, name: str, row_ids: list[int], scope: Scope) -> dict[int, list[int]]:
    """One query for a many-to-many field of all rows, limited to the subject's own
    family: other children and other parents named on a shared entry stay out."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    source = m2m.m2m_field_name()
    target = m2m.m2m_reverse_field_name()
    pairs = through.objects.filter(**{f"{source}__in": row_ids})
    if m2m.related_model is Child:
        pairs = pairs.filter(**{f"{target}__in": scope.child_ids})
    elif m2m.related_model is get_user_model():
        pairs = pairs.filter(**{f"{target}__in": scope.people_ids})
    values: dict[int, list[int]] = {row_id: [] for row_id in row_ids}
    for row_id, other_id in pairs.order_by(target).values_list(f"{source}_id", f"{target}_id"):
        values[row_id].append(other_id)
    return values


def _section(entry: Entry, mode: Mode, scope: Scope, collected: Collected) -> Section | None:
    selector = entry.for_child if mode == "child" else entry.for_parent
    if selector is None:
        return None
    model = apps.get_model(entry.label)
    columns, m2m_names = _columns(entry, model)
    manager = model._default_manager
    # A subquery rather than .distinct(): a row reached through two children of the same
    # family appears once, and the outer query stays a plain ordered select.
    matching = manager.filter(selector(scope)).values("pk")
    extras = {name: F(path) for name, path in entry.extra.items()}
    rows = list(
        manager.filter(pk__in=matching).order_by(*entry.order_by).values(*columns, **extras)
    )
    if m2m_names and rows:
        row_ids = [row["id"] for row in rows]
        for name in m2m_names:
            values = _m2m_values(model, name, row_ids, scope)
            for row in rows:
                row[name] = values[row["id"]]
    if entry.photo_field:
        _collect_photos(entry, rows, collected)
    return Section(entry=entry, model=model, columns=[*columns, *m2m_names, *extras], rows=rows)


def _collect_photos(entry: Entry, rows: list[dict[str, Any]], collected: Collected) -> None:
    model_name = entry.label.split(".")[1].lower()
    for row in rows:
        stored = row.get(entry.photo_field) or ""
        if not stored:
            row[entry.photo_field] = ""
            continue
        # Named by model and row id: the stored name is random and the original file
        # name (which may hold a child's name) is never kept.
        name = f"photos/{model_name}-{row['id']}{PurePosixPath(stored).suffix.lower()}"
        if default_storage.exists(stored):
            collected.photos[name] = stored
            row[entry.photo_field] = name
        else:
            collected.missing_photos.append(name)
            row[entry.photo_field] = ""


def _people(sections: list[Section]) -> dict[int, str]:
    """Names of everyone the rows point at (authors, staff), in one query."""
    user_model = get_user_model()
    ids: set[int] = set()
    for section in sections:
        user_fields = [
            f.name
            for f in section.model._meta.get_fields()
            if f.is_relation and f.related_model is user_model and f.name in section.columns
        ]
        for row in section.rows:
            for name in user_fields:
                value = row.get(name)
                if isinstance(value, list):
                    ids.update(value)
                elif value is not None:
                    ids.add(value)
    if not ids:
        return {}
    return {
        pk: name or f"Person {pk}"
        for pk, name in user_model._default_manager.filter(pk__in=ids).values_list(
            "pk", "full_name"
        )
    }


def subject_collect(*, mode: Mode, scope: Scope, school: School | None) -> Collected:
    collected = Collected(mode=mode, scope=scope, school=school, sections=[])
    for entry in ENTRIES:
        section = _section(entry, mode, scope, collected)
        if section is not None:
            collected.sections.append(section)
    collected.people = _people(collected.sections)
    return collected


def _data_json(collected: Collected, created_at) -> str:
    data: dict[str, Any] = {
        "_export": {
            "format_version": FORMAT_VERSION,
            "kind": collected.mode,
            "child_id": collected.scope.child_id,
            "parent_id": collected.scope.parent_id,
            "school_id": collected.scope.school_id,
            "created_at": created_at,
            "people": {str(pk): name for pk, name in sorted(collected.people.items())},
            "photos_missing": collected.missing_photos,
        }
    }
    for section in collected.sections:
        data[section.entry.label] = section.rows
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def subject_zip(*, collected: Collected) -> IO[bytes]:
    """The zip in an anonymous temporary file (deleted when closed), rewound."""
    from .export_render import index_html  # the template layer, only when writing

    created_at = timezone.now()
    # Handed to the response, which closes (and so deletes) it once sent.
    archive = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115
    try:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr("data.json", _data_json(collected, created_at))
            zipped.writestr("index.html", index_html(collected, created_at))
            for name, stored in sorted(collected.photos.items()):
                with default_storage.open(stored, "rb") as source, zipped.open(name, "w") as out:
                    shutil.copyfileobj(source, out)
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    return archive


def subject_export_child(*, child: Child) -> IO[bytes]:
    """Everything about the child: the whole record, staff-only notes and what each
    parent contributed included."""
    scope = child_scope(child)
    return subject_zip(collected=subject_collect(mode="child", scope=scope, school=child.school))


def subject_export_parent(*, parent, school: School | None) -> IO[bytes]:
    """The parent's own rows, and what they may see about their own children, at one
    school (or at every school when `school` is None)."""
    scope = parent_scope(parent, school)
    return subject_zip(collected=subject_collect(mode="parent", scope=scope, school=school))

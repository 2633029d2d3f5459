"""Removing a scale set: its schools, its trust and its people, and every row that hangs
off them, in SQL rather than through Django's collector (which would load millions of
rows to delete them one model at a time)."""

# SQL here names tables and columns from the models' own metadata, never from input.
# ruff: noqa: S608

from __future__ import annotations

from django.apps import apps
from django.db import connection, models, transaction

from partnership.accounts.models import User
from partnership.schools.models import School, Trust

from .people import DOMAIN, TRUST_SLUG

ROOTS = (
    (School, "slug LIKE 'scale-%'"),
    (Trust, f"slug = '{TRUST_SLUG}'"),
    (User, f"email LIKE '%@{DOMAIN}'"),
)


def remove_scale_set() -> str:
    """Delete the scale set; says how."""
    if (
        not School.objects.filter(slug__startswith="scale-").exists()
        and not User.objects.filter(email__endswith=f"@{DOMAIN}").exists()
    ):
        return "none"
    if connection.vendor == "postgresql" and _only_scale_data():
        _truncate()
        return "truncated"
    with transaction.atomic():
        _delete_with_dependants()
    return "deleted"


def _models() -> list[type[models.Model]]:
    """Every model whose table exists (a model whose migration has not run has none)."""
    existing = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in existing
    ]


def _only_scale_data() -> bool:
    return (
        not School.objects.exclude(slug__startswith="scale-").exists()
        and not User.objects.exclude(email__endswith=f"@{DOMAIN}").exists()
        and not Trust.objects.exclude(slug=TRUST_SLUG).exists()
    )


def _truncate() -> None:
    """Nothing but the scale set is here: empty its tables, and restart the ids so a
    rebuild from the same seed gives the same ids too."""
    tables = sorted({model._meta.db_table for model in _models() if _depends_on_roots(model)})
    quoted = ", ".join(f'"{table}"' for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def _depends_on_roots(model: type[models.Model], seen: frozenset = frozenset()) -> bool:
    roots = {root for root, _where in ROOTS}
    if model in roots:
        return True
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if (
            target is not None
            and target not in seen
            and target is not model
            and _depends_on_roots(target, seen | {model})
        ):
            return True
    return False


def _delete_with_dependants() -> None:
    """Delete the roots, then rows whose parent is gone, table by table, until nothing
    changes. The foreign keys are deferred, so the gap in between is allowed."""
    changed: set[str] = set()
    with connection.cursor() as cursor:
        for model, where in ROOTS:
            cursor.execute(f'DELETE FROM "{model._meta.db_table}" WHERE {where}')
            changed.add(model._meta.db_table)
        while changed:
            emptied: set[str] = set()
            for model in _models():
                table = model._meta.db_table
                for field in model._meta.concrete_fields:
                    if not field.is_relation or field.related_model is None:
                        continue
                    parent = field.related_model._meta
                    if parent.db_table not in changed:
                        continue
                    orphan = (
                        f'"{field.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM '
                        f'"{parent.db_table}" p WHERE p."{field.target_field.column}" = '
                        f'"{table}"."{field.column}")'
                    )
                    if field.remote_field.on_delete is models.SET_NULL:
                        cursor.execute(
                            f'UPDATE "{table}" SET "{field.column}" = NULL WHERE {orphan}'
                        )
                    else:
                        cursor.execute(f'DELETE FROM "{table}" WHERE {orphan}')
                        if cursor.rowcount:
                            emptied.add(table)
            changed = emptied

"""The export registry keeps up with the portal: every model that relates to a child or a
person is either exported or excluded with a reason."""

from django.apps import apps
from django.contrib.auth import get_user_model

from partnership.audit.export import _columns
from partnership.audit.export_registry import (
    BY_LABEL,
    ENTRIES,
    EXCLUDED,
    EXCLUDED_BY_LABEL,
    SECRET_FIELD,
)
from partnership.schools.models import Child


def _holds_subject_data(model) -> bool:
    subjects = (Child, get_user_model())
    if model in subjects:
        return True
    return any(
        field.is_relation and not field.auto_created and field.related_model in subjects
        for field in model._meta.get_fields()
    )


def test_every_model_relating_to_a_child_or_a_person_is_in_the_registry():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if _holds_subject_data(model)
        and model._meta.label not in BY_LABEL
        and model._meta.label not in EXCLUDED_BY_LABEL
    ]
    assert not missing, (
        "These models hold data about a child or a person but are not in "
        "partnership/audit/export_registry.py (add an Entry, or an Excluded with the "
        f"reason): {missing}"
    )


def test_registry_names_only_real_models_once():
    labels = [entry.label for entry in ENTRIES] + [item.label for item in EXCLUDED]
    assert len(labels) == len(set(labels))
    for label in labels:
        apps.get_model(label)  # raises LookupError for a typo or a removed model


def test_every_exclusion_gives_a_reason_and_every_entry_selects_for_someone():
    assert all(len(item.reason) > 20 for item in EXCLUDED)
    assert all(entry.for_child or entry.for_parent for entry in ENTRIES)
    assert all(entry.heading for entry in ENTRIES)


def test_no_secret_column_is_ever_exported():
    for entry in ENTRIES:
        model = apps.get_model(entry.label)
        columns, m2m = _columns(entry, model)
        assert not [name for name in columns + m2m if SECRET_FIELD.search(name)], entry.label
        for name in [*columns, *m2m]:
            model._meta.get_field(name)  # a whitelisted field that no longer exists fails
    assert "password" not in _exported("accounts.User")
    assert "data" not in _exported("mfa.Authenticator")  # holds the TOTP secret
    assert "data" not in _exported("usersessions.UserSession")  # the session's contents
    body = _exported("notifications.OutboxMessage")  # may hold a working sign-in link
    assert "body_text" not in body and "body_html" not in body


def _exported(label: str) -> list[str]:
    columns, m2m = _columns(BY_LABEL[label], apps.get_model(label))
    return columns + m2m

"""Every form of the portal, driven through its own view with hostile input by hypothesis.

For each form: no input makes the server fail; a refused form leaves every table it could
write to as it was; and hostile text that is accepted comes back escaped.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages import get_messages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import partnership

from .fuzz import (
    ESCAPED_MARKER,
    HOSTILE_FILE,
    HOSTILE_VALUE,
    MARKER,
    REGISTRY,
    Case,
    World,
    page_defaults,
    table_counts,
)

# Twenty examples a form keep the module near a minute on SQLite; derandomized, so CI
# replays the same examples and a failure reproduces.
EXAMPLES = 20


def _portal_forms() -> set[str]:
    for module in pkgutil.walk_packages(partnership.__path__, "partnership."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("partnership."):
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_form_has_a_fuzz_case():
    forms_found = _portal_forms()
    missing = sorted(forms_found - REGISTRY.keys())
    assert not missing, f"Register these forms in tests/security/fuzz.py: {missing}"
    stale = sorted(REGISTRY.keys() - forms_found)
    assert not stale, f"These forms are gone; remove their fuzz cases: {stale}"


def _form_class(form_path: str) -> type[forms.BaseForm]:
    module, name = form_path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _field_names(form_path: str, world: World) -> list[str]:
    case = REGISTRY[form_path]
    return [*_form_class(form_path).base_fields, *case.extra_fields(world)]


def _baseline(client, world: World, case: Case, url: str) -> dict:
    # What the page itself fills in, completed by the case's own valid values.
    return page_defaults(client, url, case.method) | case.valid(world)


def _payloads(form_path: str, world: World, valid: dict):
    form_class = _form_class(form_path)
    case = REGISTRY[form_path]
    names = _field_names(form_path, world)
    per_field = {}
    for field_name in names:
        field = form_class.base_fields.get(field_name)
        hostile = case.strategies.get(field_name)
        if hostile is None:
            hostile = HOSTILE_FILE if isinstance(field, forms.FileField) else HOSTILE_VALUE
        options = [hostile, st.none()]
        if field_name in valid:
            options.insert(0, st.just(valid[field_name]))
        per_field[case.prefix + field_name] = st.one_of(*options)
    # What the page always sends besides the form's fields (a formset's management form,
    # the button pressed) goes with every example.
    per_field |= {key: st.just(value) for key, value in valid.items() if key not in per_field}
    anything = st.fixed_dictionaries(per_field).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )
    if not valid:
        return anything
    # One or two hostile fields in an otherwise valid form reach the services behind it.
    targeted = st.sets(st.sampled_from(sorted(per_field)), min_size=1, max_size=2).flatmap(
        lambda chosen: st.fixed_dictionaries({key: per_field[key] for key in chosen}).map(
            lambda hostile: {**valid, **hostile}
        )
    )
    return st.one_of(targeted, anything).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def _refused(response) -> bool:
    # A form re-shown with its errors is refused; so is a redirect that carries a warning
    # or an error (the small POST-only forms answer that way).
    if response.status_code != 302:
        return True
    levels = [m.level for m in get_messages(response.wsgi_request)]
    return any(level >= messages.WARNING for level in levels)


def _forget_messages(client) -> None:
    # Each example is judged by its own messages, not those left by the one before.
    client.cookies.pop("messages", None)
    if client.session.session_key:
        session = client.session
        session.pop("_messages", None)
        session.save()


def _post_and_check(client, world: World, case: Case, url: str, data: dict) -> None:
    before = table_counts(case.watch)
    _forget_messages(client)
    # The test client re-raises any unhandled exception, so a crash fails right here.
    response = getattr(client, case.method)(url, data)
    assert response.status_code < 500, response.status_code
    if _refused(response):
        assert table_counts(case.watch) == before, "a refused form stored something"
    if response.status_code == 302 and case.shows and MARKER in str(data.values()):
        page = client.get(case.shows(world)).content.decode()
        assert "<script>alert" not in page


def _signed_in(client, world: World, role: str):
    user = getattr(world, role)
    if user is not None:
        # The two-factor gate only asks that staff have TOTP set up, which the world does.
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("form_path", sorted(REGISTRY))
def test_form_survives_hostile_input(form_path, client):
    world = World()
    case = REGISTRY[form_path]
    url = case.url(world)
    _signed_in(client, world, case.role)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=_payloads(form_path, world, _baseline(client, world, case, url)))
    def post_hostile(data):
        _post_and_check(client, world, case, url, data)

    post_hostile()


@pytest.mark.django_db
@pytest.mark.parametrize("form_path", sorted(REGISTRY))
def test_each_case_reaches_its_form(form_path, client):
    """A case that the view turns away would fuzz nothing: the registered person, sending
    the page's own values, is answered by the form, not by a login, 403 or 404."""
    world = World()
    case = REGISTRY[form_path]
    url = case.url(world)
    _signed_in(client, world, case.role)

    response = getattr(client, case.method)(url, _baseline(client, world, case, url))

    assert response.status_code in (200, 302), response.status_code
    assert "/accounts/" not in response.get("Location", "")


# Values a random search may take long to hit, put into each field in turn beside an
# otherwise valid form: ids past 64 bits, and the edges of the calendar.
SWEEP = ("99999999999999999999", "-99999999999999999999", "0001-01-01", "9999-12-31", "2025-02-31")


@pytest.mark.django_db
@pytest.mark.parametrize("form_path", sorted(REGISTRY))
def test_each_field_survives_out_of_range_values(form_path, client):
    world = World()
    case = REGISTRY[form_path]
    url = case.url(world)
    _signed_in(client, world, case.role)
    valid = _baseline(client, world, case, url)
    for name in _field_names(form_path, world):
        for value in SWEEP:
            data = valid | {case.prefix + name: value}
            _post_and_check(client, world, case, url, data)


SHOWN = sorted(path for path, case in REGISTRY.items() if case.shows)


@pytest.mark.django_db
@pytest.mark.parametrize("form_path", SHOWN)
def test_accepted_hostile_text_is_shown_escaped(form_path, client):
    world = World()
    case = REGISTRY[form_path]
    _signed_in(client, world, case.role)
    url = case.url(world)
    data = _baseline(client, world, case, url) | dict.fromkeys(case.shown_fields, MARKER)

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    page = client.get(case.shows(world)).content.decode()
    assert ESCAPED_MARKER in page
    assert "<script>alert" not in page

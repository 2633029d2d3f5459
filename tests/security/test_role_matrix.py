"""The role matrix, tested (issue 8): every named URL, every role, GET and POST.

One world is built once; each role signs in once and walks every row of the matrix. Each
request runs in a savepoint that is rolled back, so an allowed POST (cancelling a booking,
signing out) leaves the world as it was for the next row. A refused request must write
nothing but its audit row: the SQL it sends is checked for INSERT, UPDATE and DELETE, and
the rows of every model of the world are counted inside its savepoint, before the rollback.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..factories import FamilyLinkFactory
from ..factories_contact import ContactEntryFactory
from ..factories_plans import TargetFactory
from .matrix import MATRIX, Row
from .probe import client_for, outcome, send
from .world import OTHER_PARENT, OTHER_SCHOOL, PARENT, ROLES, TEACHER, World, build_world

METHODS = ("GET", "POST")
REFUSALS = {"login", "403", "404", "405"}
# Apps whose rows the world holds; the audit trail grows on every refusal by design, and
# sessions come and go with signing in.
COUNTED_APPS = ("accounts", "schools", "plans", "contact", "praise", "meetings", "coproduction")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def url_names() -> set[str]:
    """Every named URL pattern of the URLconf, namespaced, without the Django admin's."""
    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                prefix = f"{namespace}{inner}:" if inner else namespace
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return {name for name in names if not name.startswith("admin:")}


def test_every_named_url_has_a_row():
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, (
        f"URL(s) without a row in tests/security/matrix.py: {', '.join(missing)}. "
        "Add one saying what each of the ten roles gets for GET and POST."
    )


def test_every_row_names_a_url_of_the_portal():
    stale = sorted(set(MATRIX) - url_names())
    assert not stale, f"rows for URLs that no longer exist: {', '.join(stale)}"


def test_no_row_lets_another_family_or_school_reach_avas_records():
    """Read from the table itself: for Ava's id-bearing URLs, another family and staff of
    another school get 404 (or are sent to sign in). 405 is allowed only where every role
    gets it, because a method check that runs before any row is fetched says nothing."""
    leaks = []
    for name, row in MATRIX.items():
        if not row.avas:
            continue
        for method, table in (("GET", row.get), ("POST", row.post)):
            for role in (OTHER_PARENT, OTHER_SCHOOL):
                answer = table[role]
                uniform_405 = answer == "405" and table[PARENT] == "405"
                if answer not in ("404", "login") and not uniform_405:
                    leaks.append(f"{name} {method} {role}: {answer}")
    assert not leaks, leaks


def fill(world: World, spec: str):
    if spec == "child":
        return world.ava.pk
    if spec == "slug":
        return world.school.slug
    if spec == "trust":
        return world.trust.slug
    if spec == "parent_user":
        return world.user(PARENT).pk
    if spec == "passport.number":
        return world.objects["passport"].number
    if spec.startswith("literal:"):
        return spec.removeprefix("literal:")
    if spec.startswith("token:"):
        return world.tokens[spec.removeprefix("token:")]
    return world.objects[spec].pk


def url_of(world: World, name: str, row: Row) -> str:
    return reverse(name, args=[fill(world, spec) for spec in row.args])


def counted_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for app in COUNTED_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    )


def row_counts(tables: list[str]) -> tuple[int, ...]:
    """Rows in each table, in one query (it runs after every refused request)."""
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608 - table names from the app registry
        return tuple(cursor.fetchone())


def is_html_page(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def header_problems(response) -> list[str]:
    problems = [
        f"{header}: {response.get(header)!r}"
        for header, value in SECURITY_HEADERS.items()
        if response.get(header) != value
    ]
    for header in ("Content-Security-Policy", "Referrer-Policy"):
        if not response.get(header):
            problems.append(f"{header} missing")
    return problems


@pytest.mark.django_db
def test_every_url_answers_every_role_as_the_matrix_says(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the observation's photo is written here
    world = build_world()
    tables = counted_tables()
    before = row_counts(tables)
    mismatches, writes, headers, checked, pages = [], [], [], 0, 0
    for role in ROLES:
        client = client_for(world, role)
        for name, row in sorted(MATRIX.items()):
            url = url_of(world, name, row)
            for method in METHODS:
                expected = (row.get if method == "GET" else row.post)[role]
                refused = expected in REFUSALS
                response, written, after = send(
                    client, method, url, after=(lambda: row_counts(tables)) if refused else None
                )
                got = outcome(response)
                checked += 1
                if got != expected:
                    mismatches.append(f"{name} {method} as {role}: expected {expected}, got {got}")
                if refused and (written or after != before):
                    writes.append(f"{name} {method} as {role} wrote to {sorted(set(written))}")
                if is_html_page(response):
                    pages += 1
                    headers.extend(
                        f"{name} {method} as {role}: {problem}"
                        for problem in header_problems(response)
                    )
    total = len(ROLES) * len(MATRIX) * len(METHODS)
    print(f"\n{checked}/{total} (url, role, method) pairs checked")
    print(f"{pages} HTML pages carried CSP, X-Frame-Options, Referrer-Policy and nosniff")
    assert checked == total
    problems = mismatches + writes + headers
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_drafts_and_private_notes_stay_with_those_they_belong_to(settings, tmp_path):
    """Within Ava's own circle: a draft target and a staff-only contact note stay with
    staff, and one parent's home observation is not the other parent's to read (in a
    separated family one parent's account of home life is not the other's)."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    draft = TargetFactory(cycle=world.objects["cycle"], shared_at=None)
    ContactEntryFactory(
        school=world.school,
        children=[world.ava],
        summary="Staff only: safeguarding lead informed",
        shared_with_family=False,
    )
    second_parent = FamilyLinkFactory(child=world.ava, relationship="father").parent
    draft_url = reverse("target_detail", args=[draft.pk])
    photo_url = reverse("observation_photo", args=[world.id_of("observation")])
    history_url = reverse("contact_history", args=[world.ava.pk])

    parent, teacher = client_for(world, PARENT), client_for(world, TEACHER)
    second = Client()
    second.force_login(second_parent)

    assert parent.get(draft_url).status_code == 404
    assert teacher.get(draft_url).status_code == 200
    assert "Staff only" not in parent.get(history_url).content.decode()
    assert "Staff only" in teacher.get(history_url).content.decode()
    assert parent.get(photo_url).status_code == 200
    assert second.get(photo_url).status_code == 404
    edit_url = reverse("observation_edit", args=[world.id_of("observation")])
    assert second.get(edit_url).status_code == 404

"""The registry keeps up with the URLconf, and the rules decide as the issue says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partnership.audit.middleware import READ_IF_STAFF, classify
from partnership.audit.registry import BY_KWARG, BY_VIEW, record_number, subject_query

# Ids that name a school's own things (a praise value, a slot pattern, a parent group
# member), never a child's record; the URL's slug names the school. `number` is a
# passport version's number beside its child_id, and `pk` beside a slug is a school row.
# `user_id` is the parent in a subject access export, which writes its own audit row.
SCHOOL_LEVEL_KWARGS = {"value_id", "pattern_id", "member_id", "number", "user_id"}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for name, route, converters in walk(pattern.url_patterns, prefix):
                yield (f"{namespace}{name}" if name else name), route, converters
        elif isinstance(pattern, URLPattern):
            converters = getattr(pattern.pattern, "converters", {})
            yield pattern.name, str(pattern.pattern), converters


def portal_urls():
    for name, route, converters in walk(get_resolver().url_patterns):
        if name and not name.startswith("admin:") and converters:
            yield name, route, converters


def test_every_id_in_a_portal_url_is_resolved_or_known_to_be_school_level():
    unknown = []
    checked = 0
    for name, route, converters in portal_urls():
        ints = {k for k, conv in converters.items() if type(conv).__name__ == "IntConverter"}
        checked += 1
        for kwarg in ints:
            covered = (
                kwarg in BY_KWARG
                or (name in BY_VIEW and BY_VIEW[name][0] == kwarg)
                or kwarg in SCHOOL_LEVEL_KWARGS
                or (kwarg == "pk" and "slug" in converters)
            )
            if not covered:
                unknown.append(f"{name} ({route}): {kwarg}")
    assert checked > 40
    assert not unknown, "add a resolver in partnership/audit/registry.py for: " + ", ".join(unknown)


@pytest.mark.django_db
def test_each_resolver_runs_as_one_query(django_assert_num_queries):
    for kwarg in BY_KWARG:
        with django_assert_num_queries(1):
            assert subject_query("any", {kwarg: 1}).first() is None
    for view_name, (kwarg, _) in BY_VIEW.items():
        with django_assert_num_queries(1):
            assert subject_query(view_name, {kwarg: 1}).first() is None


def test_a_school_level_page_is_not_looked_up_for_a_read():
    assert subject_query("contact_dashboard", {"slug": "riverside"}, child_only=True) is None
    assert subject_query("contact_dashboard", {"slug": "riverside"}) is not None
    assert subject_query("trust_summary_csv", {"slug": "north"}) is None


@pytest.mark.parametrize(
    ("method", "status", "view", "kwargs", "signed_in", "expected"),
    [
        ("GET", 200, "child_detail", True, True, READ_IF_STAFF),
        ("GET", 200, "child_detail", True, False, None),
        ("GET", 302, "child_detail", True, True, None),
        ("HEAD", 200, "child_detail", True, True, READ_IF_STAFF),
        ("POST", 302, "target_edit", True, True, "change"),
        ("POST", 200, "target_edit", True, True, "change"),
        ("POST", 302, "checkin_respond", True, False, "change"),
        ("DELETE", 204, "anything", False, True, "change"),
        ("POST", 400, "target_edit", True, True, None),
        ("POST", 404, "target_edit", True, True, "denied"),
        ("GET", 403, "target_detail", True, True, "denied"),
        ("GET", 404, "target_detail", True, False, None),
        ("GET", 404, "notices", False, True, None),
        ("GET", 200, "governor_summary_csv", True, True, "export"),
        ("GET", 200, "governor_summary_print", True, True, "export"),
        ("GET", 200, "child_subject_export", True, True, "export"),
        ("OPTIONS", 200, "child_detail", True, True, None),
    ],
)
def test_the_rules(method, status, view, kwargs, signed_in, expected):
    assert (
        classify(
            method=method, status=status, view_name=view, has_kwargs=kwargs, signed_in=signed_in
        )
        == expected
    )


def test_the_record_number_is_the_last_id_and_never_a_token_or_slug():
    assert record_number({"slug": "riverside", "booking_id": 7}) == 7
    assert record_number({"token": "12345"}) is None
    assert record_number({"slug": "2024"}) is None
    assert record_number({"object_id": "42"}) == 42

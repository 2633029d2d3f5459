"""Hostile values for fuzzing forms, the shape of a fuzz case, and what to measure.

The registry of cases is in fuzz.py; the rows the cases act on are made by fuzz_world.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from .fuzz_world import World

MARKER = "<script>alert('fuzz')</script>"
ESCAPED_MARKER = "&lt;script&gt;alert("

HOSTILE_TEXT = (
    MARKER,
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "'; DROP TABLE schools_child; --",
    "1' OR '1'='1",
    "\u202egnp.exe\u202c reversed",
    "مرحبا بالعالم שלום",
    "👩‍👧‍👦🎉🧩",
    "e\u0301\u0301\u0301\u0301 z\u0336a\u0336",
    "nul\x00byte",
    "bell\x07esc\x1b[31m\x7f",
    "{{ request }}{% debug %}",
    "%s%n%x",
    "../../etc/passwd",
    " ",
    "",
)
WRONG_TYPES = (
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "2025-02-31",
    "31/02/2025",
    "0000-00-00",
    "25:61",
    "23:59:60",
    "true",
    "[]",
)

_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(WRONG_TYPES),
    st.text(max_size=40),
    st.text(min_size=1, max_size=4).map(lambda s: s * 6000),
)
# One value, or a list where the form expects one value (the client sends it repeated).
HOSTILE_VALUE = st.one_of(_text, st.lists(_text, min_size=2, max_size=3))
HOSTILE_FILE = st.one_of(
    st.binary(max_size=600),
    st.sampled_from([b"GIF89a<script>alert(1)</script>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64]),
).map(lambda raw: SimpleUploadedFile("photo.png", raw, content_type="image/png"))


def _import_file(rows: list[dict]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=IMPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v if isinstance(v, str) else "|".join(v) for k, v in row.items()})
    return SimpleUploadedFile("children.csv", out.getvalue().encode("utf-8", "surrogatepass"))


IMPORT_COLUMNS = [
    "mis_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "year_group",
    "class_name",
    "send_status",
    "primary_need",
    "parent_email",
    "parent_name",
    "relationship",
    "parental_responsibility",
    "preferred_channel",
    "preferred_language",
]
IMPORT_VALID = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": "2016-05-04",
    "year_group": "4",
    "class_name": "4A",
    "send_status": "sen_support",
    "primary_need": "SLCN",
    "parent_email": "ada.parent@example.test",
    "parent_name": "Ann Lovelace",
    "relationship": "mother",
    "parental_responsibility": "yes",
    "preferred_channel": "email",
    "preferred_language": "English",
}
# Rows mostly valid with a hostile cell here and there: one bad row must refuse the whole
# file, so the good rows before it are not stored half-way.
IMPORT_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "mis_id": st.one_of(st.integers(1, 10**6).map("FZ{}".format), HOSTILE_VALUE),
            **{k: st.one_of(st.just(v), HOSTILE_VALUE) for k, v in IMPORT_VALID.items()},
        }
    ),
    min_size=1,
    max_size=3,
).map(_import_file)


@dataclass(frozen=True)
class Case:
    url: Callable[[World], str]
    role: str
    # Apps whose tables a refused form must leave exactly as they were (the outbox too).
    watch: tuple[str, ...]
    # The page showing stored text, with a valid baseline and the fields shown on it.
    shows: Callable[[World], str] | None = None
    valid: Callable[[World], dict] = lambda w: {}
    shown_fields: tuple[str, ...] = ()
    method: str = "post"
    extra_fields: Callable[[World], list[str]] = lambda w: []
    strategies: dict = field(default_factory=dict)
    # The view's form prefix, when it has one.
    prefix: str = ""


class _FormDefaults(HTMLParser):
    """What a browser would send for the page's form if the user changed nothing."""

    def __init__(self, url: str, method: str) -> None:
        super().__init__()
        self.url, self.method = url, method
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "form":
            method = a.get("method", "get").lower()
            self.inside = method == self.method and a.get("action", "") in ("", self.url)
        elif not self.inside or (not name and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(name, a.get("value", ""))
        elif tag == "select":
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in a:
                self._add(self.select, value)
        elif tag == "textarea":
            self.textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if self.select not in self.values and self.first_option is not None:
                self._add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            # The parser keeps the newline a browser drops after <textarea>.
            value = self.values[self.textarea][-1]
            self.values[self.textarea][-1] = value[1:] if value.startswith("\n") else value
            self.textarea = None


def page_defaults(client, url: str, method: str) -> dict:
    """The form's values as the page draws them; {} where the view only takes a POST."""
    response = client.get(url)
    if response.status_code != 200:
        return {}
    parser = _FormDefaults(url, method)
    parser.feed(response.content.decode())
    values = {k: v if len(v) > 1 else v[0] for k, v in parser.values.items()}
    values.pop("csrfmiddlewaretoken", None)
    return values


def table_counts(app_labels: tuple[str, ...]) -> dict[str, int]:
    """Row counts of every table of the given apps, plus the outbox: a refused form must
    neither store a row nor queue an email."""
    labels = {*app_labels, "notifications"}
    return {
        model._meta.label: model._default_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }

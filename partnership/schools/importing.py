"""Importing children and their families from a CSV exported by the school's MIS.

One row per (child, parent) pair. Every row is validated before anything is written, and
the writes share one transaction, so a file is imported whole or not at all. Children are
matched on (school, mis_id), so importing the same file again changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from partnership.accounts.models import User

from .forms import ChildImportRowForm
from .models import Child, FamilyLink, School
from .services import family_link_set, invitation_send_if_needed, person_ensure

MAX_ROWS = 5000
CHILD_COLUMNS = (
    "mis_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "year_group",
    "class_name",
    "send_status",
    "primary_need",
)
PARENT_COLUMNS = (
    "parent_email",
    "parent_name",
    "relationship",
    "parental_responsibility",
    "preferred_channel",
    "preferred_language",
)


class ImportFailed(Exception):
    """The file was refused; `errors` says every problem, for the person who uploaded it."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


@dataclass
class ImportResult:
    children_created: int = 0
    children_updated: int = 0  # only children whose details actually changed
    parents_linked: int = 0  # parent-child links that did not exist before
    invitations_sent: int = 0


def _read_text(csv_file: str | bytes | IO[str] | IO[bytes]) -> str:
    try:
        # A text stream opened with the wrong encoding fails here, while reading.
        content = csv_file if isinstance(csv_file, str | bytes) else csv_file.read()
        # utf-8-sig drops the byte-order mark Excel puts at the start of "CSV UTF-8".
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        message = _("The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        raise ImportFailed([message]) from None
    # A stream opened as plain "utf-8" keeps the mark as a character.
    return text.removeprefix("\ufeff")


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The normalised header, and (spreadsheet row number, cells) for each non-blank row."""
    try:
        # csv.reader rather than DictReader: DictReader skips blank lines silently, and
        # then the row numbers in our messages would not match the spreadsheet's.
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportFailed([_("The file could not be read as CSV: %s.") % error]) from error
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ImportFailed([_("The file is empty.")])
    # "Date of birth", "date_of_birth " and "DATE_OF_BIRTH" all name the same column.
    header = [re.sub(r"[\s_]+", "_", cell.strip().lower()) for cell in lines[0]]
    required = list(CHILD_COLUMNS)
    if any(column in header for column in PARENT_COLUMNS):
        required += ["parent_email", "relationship"]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFailed([_("Missing columns: %s.") % ", ".join(missing)])
    known = (*CHILD_COLUMNS, "attendance", *PARENT_COLUMNS)
    twice = [column for column in known if header.count(column) > 1]
    if twice:
        raise ImportFailed([_("These columns appear more than once: %s.") % ", ".join(twice)])
    rows = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise ImportFailed([_("The file has a header row but no children.")])
    if len(rows) > MAX_ROWS:
        message = _("The file has more than %(max)s rows. Split it into smaller files.")
        raise ImportFailed([message % {"max": f"{MAX_ROWS:,}"}])
    return header, rows


def _validate(
    header: list[str], rows: list[tuple[int, list[str]]]
) -> tuple[dict[str, dict], list[dict]]:
    """Children by mis_id and parent rows, or ImportFailed with every problem."""
    has_attendance = "attendance" in header
    errors: list[str] = []
    children: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    links: list[dict] = []
    seen_links: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        if any(cells[len(header) :]):
            # Usually a comma inside a name that was not quoted: every later cell moved.
            errors.append(_("Row %s: has more cells than the header row has columns.") % number)
            continue
        form = ChildImportRowForm(dict(zip(header, cells, strict=False)))
        if not form.is_valid():
            for column, messages in form.errors.items():
                where = _("Row %(row)s") if column == "__all__" else _("Row %(row)s, %(column)s")
                prefix = where % {"row": number, "column": column}
                errors += [f"{prefix}: {message}" for message in messages]
            continue
        data = form.cleaned_data
        fields = {column: data[column] for column in CHILD_COLUMNS[1:]}
        if has_attendance:  # an absent column leaves what the portal knows alone
            fields["attendance"] = data["attendance"]
        mis_id = data["mis_id"]
        if mis_id in children:
            # Two parents mean two rows; if the child differs between them, which is right?
            for column, value in fields.items():
                if children[mis_id][column] != value:
                    message = _(
                        "Row %(row)s, %(column)s: not the same as on row %(first)s for this "
                        "mis_id. A child's details must agree on every row."
                    )
                    params = {"row": number, "column": column, "first": first_row[mis_id]}
                    errors.append(message % params)
        else:
            children[mis_id], first_row[mis_id] = fields, number
        if data["parent_email"]:
            pair = (mis_id, data["parent_email"].lower())
            if pair in seen_links:
                errors.append(
                    _("Row %(row)s: this parent is already listed for this child on row %(first)s.")
                    % {"row": number, "first": seen_links[pair]}
                )
            seen_links[pair] = number
            links.append(data)
    if errors:
        raise ImportFailed(errors)
    return children, links


def children_import(
    *,
    school: School,
    csv_file: str | bytes | IO[str] | IO[bytes],
    invited_by: User | None = None,
    send_invitations: bool = True,
) -> ImportResult:
    """Create or update the school's children and link their parents from an MIS CSV."""
    children, links = _validate(*_parse(_read_text(csv_file)))
    result = ImportResult()
    with transaction.atomic():
        existing = {child.mis_id: child for child in school.children.exclude(mis_id="")}
        saved: dict[str, Child] = {}
        for mis_id, fields in children.items():
            child = existing.get(mis_id)
            if child is None or any(getattr(child, k) != v for k, v in fields.items()):
                child, created = Child.objects.update_or_create(
                    school=school, mis_id=mis_id, defaults=fields
                )
                result.children_created += created
                result.children_updated += not created
            saved[mis_id] = child
        linked_before = set(
            FamilyLink.objects.filter(child__school=school).values_list("child_id", "parent_id")
        )
        parents: dict[str, User] = {}
        for data in links:
            email = data["parent_email"].lower()
            if email not in parents:
                parents[email], _created = person_ensure(email=email, full_name=data["parent_name"])
            link = family_link_set(
                parent=parents[email],
                child=saved[data["mis_id"]],
                relationship=data["relationship"],
                parental_responsibility=data["parental_responsibility"],
                preferred_channel=data["preferred_channel"],
                preferred_language=data["preferred_language"],
            )
            result.parents_linked += (link.child_id, link.parent_id) not in linked_before
        if send_invitations:
            # Once per parent, however many of their children are in the file.
            for parent in parents.values():
                result.invitations_sent += invitation_send_if_needed(
                    user=parent, school=school, invited_by=invited_by
                )
    return result

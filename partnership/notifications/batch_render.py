"""One email template rendered once for a batch of recipients, then filled in for each.

A weekly job sends thousands of emails that differ only in a few values (a name, a link).
Rendering the templates once with placeholders in those places, then putting each
recipient's values in (escaped where the template escaped the placeholder), gives the
same text at a small part of the cost. Callers check the first message of a batch
against an ordinary rendering and fall back to rendering each message if they differ.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.html import escape

if TYPE_CHECKING:
    from .services import EmailTemplates

# Private-use characters, never in real text. The "&" shows whether the template escaped
# the placeholder ("&amp;") or printed it as it is ("&"), so the value is treated alike.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_OPEN}([a-z0-9_]+)(&amp;|&){_CLOSE}")


def slot(name: str) -> str:
    """The placeholder for a value filled in per recipient (it must be printed as it is,
    not through a filter that would change it)."""
    return f"{_OPEN}{name}&{_CLOSE}"


class Skeleton:
    """Rendered text split into literal parts and (slot name, escaped) parts."""

    def __init__(self, rendered: str) -> None:
        self.parts: list[str | tuple[str, bool]] = []
        position = 0
        for found in _SLOT.finditer(rendered):
            self.parts.append(rendered[position : found.start()])
            self.parts.append((found.group(1), found.group(2) == "&amp;"))
            position = found.end()
        self.parts.append(rendered[position:])
        # A placeholder a filter changed (cut, upper-cased...) cannot be filled in safely.
        self.complete = not any(
            _OPEN in part or _CLOSE in part for part in self.parts if isinstance(part, str)
        )

    def fill(self, values: Mapping[str, str]) -> str:
        return "".join(
            part
            if isinstance(part, str)
            else (escape(values[part[0]]) if part[1] else str(values[part[0]]))
            for part in self.parts
        )


@dataclass(frozen=True)
class EmailSkeleton:
    subject: Skeleton
    body_text: Skeleton
    body_html: Skeleton

    @classmethod
    def render(cls, templates: "EmailTemplates", context: dict) -> "EmailSkeleton | None":
        """The three templates rendered once with slots in `context`; None if a slot did
        not come through as it went in."""
        context = {"site_url": settings.SITE_URL, **context}
        skeleton = cls(
            subject=Skeleton(templates.subject.render(context)),
            body_text=Skeleton(templates.body_text.render(context)),
            body_html=Skeleton(templates.body_html.render(context)),
        )
        parts = (skeleton.subject, skeleton.body_text, skeleton.body_html)
        return skeleton if all(part.complete for part in parts) else None

    def fill(self, values: Mapping[str, str]) -> tuple[str, str, str]:
        """(subject, body_text, body_html) for one recipient."""
        return (
            " ".join(self.subject.fill(values).split()),
            self.body_text.fill(values),
            self.body_html.fill(values),
        )

"""Reading a rendered page the way assistive technology does: which label names a control,
which text describes it, whether it says it is invalid, and whether a coloured status has
words of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.test.html import Element, parse_html

CONTROLS = ("input", "select", "textarea")
NOT_FILLED_IN = ("hidden", "submit", "button", "reset", "image")
# An error says what to do: it has a sentence that starts with an instruction.
INSTRUCTION = re.compile(
    r"(^|[.!?]\s+)(Please\s+)?(Enter|Choose|Select|Tick|Give|Write|Say|Add|Upload|Pick|Use|"
    r"Type|Check|Fill|Tell|Make|Set|Put|Answer|Try|Leave|Shorten|Keep|Ask|Call|Book|Move|"
    r"Change|Sign|Start|Wait|Look|Let)\b",
    re.IGNORECASE,
)


def parse(html: str) -> Element:
    return parse_html(html)


def attr(element: Element, name: str) -> str | None:
    for key, value in element.attributes:
        if key == name:
            return value if value is not None else ""
    return None


def walk(element: Element, ancestors: tuple[Element, ...] = ()) -> Iterator[tuple]:
    """Each element with its ancestors, in document order."""
    for child in element.children:
        if isinstance(child, Element):
            yield child, ancestors
            yield from walk(child, (*ancestors, child))


def text_of(element: Element) -> str:
    parts = []
    for child in element.children:
        parts.append(text_of(child) if isinstance(child, Element) else str(child))
    return " ".join(" ".join(parts).split())


def by_id(root: Element) -> dict[str, Element]:
    return {attr(el, "id"): el for el, _ in walk(root) if attr(el, "id")}


def controls_named(root: Element, name: str) -> list[tuple[Element, tuple[Element, ...]]]:
    return [
        (el, up)
        for el, up in walk(root)
        if el.name in CONTROLS
        and attr(el, "name") == name
        and (attr(el, "type") or "").lower() not in NOT_FILLED_IN
    ]


def described_by(control: Element, ancestors: tuple[Element, ...]) -> set[str]:
    """The ids describing a control: its own aria-describedby, and its group's (a radio
    button's question is described on the <fieldset> around the buttons)."""
    ids = set((attr(control, "aria-describedby") or "").split())
    for up in ancestors:
        if up.name == "fieldset" or attr(up, "role") in ("group", "radiogroup"):
            ids |= set((attr(up, "aria-describedby") or "").split())
    return ids


def has_label(root: Element, control: Element, ancestors: tuple[Element, ...]) -> bool:
    if (attr(control, "aria-label") or "").strip() or attr(control, "aria-labelledby"):
        return True
    if any(up.name == "label" for up in ancestors):
        return True
    control_id = attr(control, "id")
    return bool(control_id) and any(
        el.name == "label" and attr(el, "for") == control_id and text_of(el) for el, _ in walk(root)
    )


def visible_controls(root: Element) -> Iterator[tuple[Element, tuple[Element, ...]]]:
    for el, up in walk(root):
        fillable = el.name in CONTROLS and (attr(el, "type") or "").lower() not in NOT_FILLED_IN
        shown = attr(el, "hidden") is None and not any(attr(a, "hidden") is not None for a in up)
        if fillable and shown:
            yield el, up


def summary_links(root: Element) -> set[str] | None:
    """The fields the error summary links to, or None when the page has no summary."""
    for el, _ in walk(root):
        if "error-summary" in (attr(el, "class") or "").split():
            return {
                (attr(a, "href") or "").removeprefix("#")
                for a, _ in walk(el)
                if a.name == "a" and (attr(a, "href") or "").startswith("#")
            }
    return None


# Classes that colour a status: Bootstrap's status colours and the portal's own.
COLOURED = re.compile(
    r"^(text-bg-(?!light)\w+|bg-(danger|success|warning|info|primary)|"
    r"text-(danger|success|warning|info)(-emphasis)?|[a-z]+-status-[a-z_-]+|"
    r"trend-level-\d|praise-none)$"
)


def colour_only(html: str) -> list[str]:
    """Coloured elements with no words of their own, outside parts hidden on purpose."""
    found = []
    root = parse(html)
    for element, ancestors in [(root, ()), *walk(root, (root,))]:
        if not any(COLOURED.match(c) for c in (attr(element, "class") or "").split()):
            continue
        hidden = [a for a in (element, *ancestors) if attr(a, "aria-hidden") == "true"]
        if not text_of(element).strip() and not hidden:
            found.append(str(element)[:120])
    return found

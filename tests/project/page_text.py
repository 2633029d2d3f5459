"""What a parent reads on a page, and the plain-English rules it is held to.

The visible text is the page without its tags, scripts, styles and navigation bar, broken
into blocks where the layout breaks lines (paragraphs, list items, headings, cells,
labels). A jargon word counts as explained at its first use when that use is the question of a
"What is ...?" <details class="explain"> (templates/fragment_explain.html) or is followed
closely by one, or when a gloss or definition follows it closely: "EHC plan (education,
health and care plan)", "An intervention is extra support ...". A <abbr title> alone does
not count: nobody can hover on a phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_WORDS = 25
# How far (in characters of visible text) the explanation may sit from the first use: the
# <details> goes just after the sentence or block that first uses the word.
EXPLAIN_REACH = 400

# The words of special education a family should not have to know. The pattern matches the
# word as it is written on a page; the key is what the explanation's question must name.
JARGON: dict[str, str] = {
    "SENDCo": r"\bSENDCos?\b",
    "EHC plan": r"\bEHC plans?\b",
    "EHCP": r"\bEHCPs?\b",
    "SEN support": r"\bSEN support\b",
    "intervention": r"\b[Ii]nterventions?\b",
    "co-production": r"\b[Cc]o-?production\b",
    "SEMH": r"\bSEMH\b",
    "SALT": r"\bSALT\b",
    "OT": r"\bOT\b",
    "IEP": r"\bIEPs?\b",
    "SEND": r"\bSEND\b",
    "SpLD": r"\bSp[Ll][Dd]\b",
    "SLCN": r"\bSLCN\b",
    "ELSA": r"\bELSA\b",
}

_SKIPPED = {"script", "style", "nav", "template", "noscript", "head", "title"}
_BLOCKS = {
    "p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "label",
    "legend", "summary", "option", "button", "div", "section", "article", "header", "footer",
    "form", "table", "ul", "ol", "dl", "br", "details", "main", "fieldset", "figcaption",
    "caption", "blockquote", "select", "textarea", "input",
}  # fmt: skip
_VOID = {"br", "input", "img", "hr", "meta", "link", "source", "wbr"}


@dataclass
class PageText:
    blocks: list[str] = field(default_factory=list)
    # (offset in `text`, the summary of a <details class="explain">)
    explanations: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self.current: list[str] = []
        self.skipping = 0
        self.stack: list[str] = []
        self.in_explain_summary = False
        self.summary: list[str] = []
        self.explain_depth: list[int] = []

    def _offset(self) -> int:
        return sum(len(b) + 1 for b in self.page.blocks) + len(" ".join(self.current))

    def _flush(self) -> None:
        text = " ".join(" ".join(self.current).split())
        if text:
            self.page.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag not in _VOID:
            self.stack.append(tag)
        if self.skipping or tag in _SKIPPED or "hidden" in a:
            if tag not in _VOID:
                self.skipping += 1
            return
        if tag in _BLOCKS:
            self._flush()
        if tag == "details" and "explain" in a.get("class", "").split():
            self.explain_depth.append(len(self.stack))
        if tag == "summary" and self.explain_depth:
            self.in_explain_summary, self.summary = True, []
        if tag == "img" and a.get("alt"):
            self.current.append(a["alt"])

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self.stack and self.stack[-1] != tag:
            self.stack.pop()  # an element the page left open
        depth = len(self.stack)
        if self.stack:
            self.stack.pop()
        if self.skipping:
            self.skipping -= 1
            return
        if tag == "summary" and self.in_explain_summary:
            self.page.explanations.append((self._offset(), " ".join(self.summary)))
            self.in_explain_summary = False
        if tag == "details" and self.explain_depth and self.explain_depth[-1] == depth:
            self.explain_depth.pop()
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self.skipping:
            return
        self.current.append(data)
        if self.in_explain_summary:
            self.summary.append(data)

    def close(self):
        super().close()
        self._flush()


def page_text(html: str) -> PageText:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


# A sentence ends at . ! ? (or the … of a shortened text) before a capital or a number.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def long_sentences(page: PageText, limit: int = MAX_WORDS) -> list[str]:
    found = []
    for block in page.blocks:
        for sentence in _SENTENCE_END.split(block):
            words = [w for w in sentence.split() if any(c.isalnum() for c in w)]
            if len(words) > limit:
                found.append(f"{len(words)} words: {sentence}")
    return found


def _explained(page: PageText, term: str, start: int) -> bool:
    # The first use is itself the "What is ...?" question, or one follows close by.
    for offset, summary in page.explanations:
        if re.search(JARGON[term], summary) and start <= offset <= start + EXPLAIN_REACH:
            return True
    # Or the word is glossed where it stands, or defined in the next sentence or two:
    # "EHC plan (education, ...)", "An intervention is extra support for ...".
    nearby = page.text[start : start + EXPLAIN_REACH]
    return re.search(JARGON[term] + r"\s*(\(|is\b|means\b|are\b|stands for\b)", nearby) is not None


def unexplained_jargon(page: PageText) -> list[str]:
    found = []
    text = page.text
    for term, pattern in JARGON.items():
        first = re.search(pattern, text)
        if first and not _explained(page, term, first.start()):
            context = text[max(0, first.start() - 60) : first.end() + 60].replace("\n", " | ")
            found.append(f"{term!r} not explained at first use: …{context}…")
    return found

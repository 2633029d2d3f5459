"""Plain English on every page a parent reads: short sentences, and each word of special
education explained where the page first uses it.

Families may read English as an additional language, read on a phone, or read at the end
of a hard day. The demo parent (Jamie Adams) walks every page they can reach; the rules
are in tests/project/page_text.py.
"""

import io

import pytest
from django.core.management import call_command

from partnership.accounts.models import User

from .form_html import colour_only
from .page_text import MAX_WORDS, long_sentences, page_text, unexplained_jargon
from .parent_walk import DEMO_PARENT, NOT_READ, Page, parent_page_names, walk

# The walk takes some seconds; its pages are only read, so the tests of this module share it.
_WALKED: list[Page] = []


@pytest.fixture
def parent_pages(db, settings, client) -> list[Page]:
    if not _WALKED:
        settings.DEBUG = True  # seed_demo refuses to run outside development
        call_command("seed_demo", stdout=io.StringIO())
        client.force_login(User.objects.get(email=DEMO_PARENT))
        _WALKED.extend(walk(client))
    return _WALKED


def test_the_walk_reaches_every_parent_page(parent_pages):
    walked = {page.name for page in parent_pages}
    missing = sorted(parent_page_names() - walked - NOT_READ.keys())
    assert not missing, f"Pages a parent can reach that the walk did not read: {missing}"


def test_sentences_are_short(parent_pages):
    problems = [
        f"{page.url}: {sentence}"
        for page in parent_pages
        for sentence in long_sentences(page_text(page.html))
    ]
    assert not problems, f"Sentences over {MAX_WORDS} words:\n" + "\n".join(problems)


def test_jargon_is_explained_where_it_first_appears(parent_pages):
    problems = [
        f"{page.url}: {problem}"
        for page in parent_pages
        for problem in unexplained_jargon(page_text(page.html))
    ]
    assert not problems, "\n".join(problems)


def test_no_status_is_shown_by_colour_alone(parent_pages):
    problems = [f"{page.url}: {found}" for page in parent_pages for found in colour_only(page.html)]
    assert not problems, "\n".join(problems)


# The rules themselves, on small pages: each can fail.


def test_a_long_sentence_is_found_and_a_heading_does_not_run_into_the_next_line():
    long = " ".join(["word"] * 26) + "."
    page = page_text(f"<h1>Your meeting</h1><p>Short one. {long}</p><nav>{long}</nav>")
    assert len(long_sentences(page)) == 1


def test_an_abbr_alone_does_not_explain_a_word():
    html = '<p>Talk to the <abbr title="special educational needs co-ordinator">SENDCo</abbr>.</p>'
    assert unexplained_jargon(page_text(html))


def test_a_what_is_details_or_an_inline_definition_explains_a_word():
    details = (
        "<p>Talk to the SENDCo.</p>"
        '<details class="explain"><summary>What is a SENDCo?</summary><p>...</p></details>'
    )
    inline = "<p>Ava has an EHC plan (education, health and care plan).</p>"
    assert not unexplained_jargon(page_text(details))
    assert not unexplained_jargon(page_text(inline))

"""The governors' summary pages: who may see them, the period switch, print and CSV.

The figures are a hand-built Summary (summary_samples) so each test knows what the page
must show; test_summary_pages_figures.py renders the real figures."""

import csv
import io

import pytest
from django.urls import reverse

from partnership.coproduction.views import summary as summary_views
from partnership.schools.models import Trust
from tests.conftest import staff_member
from tests.factories import UserFactory, with_totp
from tests.factories_coproduction import ParentGroupMemberFactory

from .summary_samples import sample_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hand_built_figures(monkeypatch):
    calls = []

    def school(school, period, today):
        calls.append(("school", school.slug, period.key))
        return sample_summary(school.name, period)

    def trust(trust, period, today):
        calls.append(("trust", trust.slug, period.key))
        return sample_summary(trust.name, period, schools=2)

    monkeypatch.setattr(summary_views, "build_school_summary", school)
    monkeypatch.setattr(summary_views, "build_trust_summary", trust)
    return calls


@pytest.fixture
def trust(school, other_school):
    trust = Trust.objects.create(name="Riverside Learning Trust", slug="riverside-trust")
    for member in (school, other_school):
        member.trust = trust
        member.save()
    return trust


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def _summary_url(school):
    return reverse("governor_summary", kwargs={"slug": school.slug})


@pytest.mark.parametrize("role", ["governor", "sendco", "administrator"])
def test_the_schools_governors_and_send_leads_see_its_summary(client, school, role):
    response = _page(client, staff_member(school, role), _summary_url(school))
    assert response.status_code == 200
    assert "How Riverside works with parents" in response.text
    assert "Covers 24 families" in response.text


@pytest.mark.parametrize("role", ["teacher", "teaching_assistant"])
def test_classroom_staff_do_not(client, school, role):
    assert _page(client, staff_member(school, role), _summary_url(school)).status_code == 404


def test_a_governor_of_another_school_does_not(client, school, other_school):
    governor = staff_member(other_school, "governor")
    assert _page(client, governor, _summary_url(school)).status_code == 404


def test_an_inactive_governor_does_not(client, school):
    governor = staff_member(school, "governor")
    governor.memberships.update(is_active=False)
    assert _page(client, governor, _summary_url(school)).status_code == 404


def test_a_parent_does_not_but_the_parent_representative_does(client, school, parent):
    assert _page(client, parent, _summary_url(school)).status_code == 404
    member = ParentGroupMemberFactory(school=school, parent=parent)
    assert _page(client, parent, _summary_url(school)).status_code == 404
    member.is_representative = True
    member.save()
    assert _page(client, parent, _summary_url(school)).status_code == 200


def test_the_representative_of_another_school_does_not(client, school, other_school, parent):
    ParentGroupMemberFactory(school=other_school, parent=parent, is_representative=True)
    assert _page(client, parent, _summary_url(school)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, school):
    response = client.get(_summary_url(school))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_school_is_404(client, governor):
    client.force_login(governor)
    assert client.get("/schools/nowhere/summary/").status_code == 404


def test_trustees_see_the_trust_summary_and_no_one_else(client, school, trust, governor):
    url = reverse("trust_summary", kwargs={"slug": trust.slug})
    trustee = with_totp(UserFactory())  # trust-wide figures need two-factor sign-in
    trust.trustees.add(trustee)
    response = _page(client, trustee, url)
    assert response.status_code == 200
    assert "How Riverside Learning Trust works with parents" in response.text
    assert "across 2 schools" in response.text
    # A governor of one of its schools is not a trustee, and a trustee is not a governor.
    assert _page(client, governor, url).status_code == 404
    assert _page(client, trustee, _summary_url(school)).status_code == 404
    for name in ("trust_summary_print", "trust_summary_csv"):
        assert (
            _page(client, governor, reverse(name, kwargs={"slug": trust.slug})).status_code == 404
        )
        assert _page(client, trustee, reverse(name, kwargs={"slug": trust.slug})).status_code == 200


@pytest.mark.parametrize("name", ["governor_summary_print", "governor_summary_csv"])
def test_print_and_csv_follow_the_same_rules(client, school, other_school, name):
    url = reverse(name, kwargs={"slug": school.slug})
    assert _page(client, staff_member(school, "governor"), url).status_code == 200
    assert _page(client, staff_member(other_school, "governor"), url).status_code == 404
    assert _page(client, staff_member(school, "teacher"), url).status_code == 404


def test_the_default_period_is_the_current_term(client, school, governor, hand_built_figures):
    from partnership.contact.radar import school_today
    from partnership.coproduction.summary.shape import periods_for

    current = periods_for(school_today(school))[0]
    response = _page(client, governor, _summary_url(school))
    assert hand_built_figures == [("school", "riverside", current.key)]
    assert f'<option value="{current.key}" selected>' in response.text
    assert current.label in response.text


def test_choosing_a_period_shows_it(client, school, governor, hand_built_figures):
    from partnership.contact.radar import school_today
    from partnership.coproduction.summary.shape import periods_for

    year = next(p for p in periods_for(school_today(school)) if p.key.count("-") == 1)
    response = _page(client, governor, _summary_url(school) + f"?period={year.key}")
    assert hand_built_figures[-1] == ("school", "riverside", year.key)
    assert year.label in response.text
    assert f"summary.csv?period={year.key}" in response.text
    assert f"summary/print/?period={year.key}" in response.text
    assert "couldn" not in response.text


def test_an_unknown_period_falls_back_gently(client, school, governor, hand_built_figures):
    response = _page(client, governor, _summary_url(school) + "?period=1999-00")
    assert response.status_code == 200
    assert "the period you asked for" in response.text
    assert hand_built_figures[-1][2] != "1999-00"


def test_the_page_shows_each_figure_chart_and_table(client, school, governor):
    text = _page(client, governor, _summary_url(school)).text
    for words in (
        "Contact with families",
        "Parents&#x27; voice",
        "Median contacts per family per half-term",
        "2.5",
        "three a year is 0.5 a half-term",
        "Families on track by year group",
        "Average check-in rating",
    ):
        assert words in text
    assert text.count('role="img"') == 2
    assert text.count("<table") == 2
    assert text.count("<details open>") == 2
    assert "style=" not in text


def test_print_page_has_every_section_and_table_and_no_navigation(client, school, governor):
    url = reverse("governor_summary_print", kwargs={"slug": school.slug})
    text = _page(client, governor, url).text
    for title in ("Contact with families", "Parents&#x27; voice", "Praise"):
        assert title in text
    assert text.count('class="summary-section"') == 3
    assert text.count("<table") == 2
    assert "<details" not in text  # every table shown, none folded away
    assert "portal-nav" not in text
    assert "css/print.css" in text
    assert "Produced on 23 November 2026" in text
    assert "style=" not in text


def _csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_a_row_per_figure_and_split_cell(client, school, governor):
    from partnership.contact.radar import school_today
    from partnership.coproduction.summary.shape import periods_for

    current = periods_for(school_today(school))[0]
    url = reverse("governor_summary_csv", kwargs={"slug": school.slug})
    response = _page(client, governor, url)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="riverside-summary-{current.key}.csv"'
    )
    rows = _csv_rows(response)
    assert list(rows[0]) == ["section", "figure", "split", "group", "value", "base"]
    median = next(r for r in rows if r["figure"] == "Median contacts per family per half-term")
    assert (median["section"], median["value"], median["base"]) == (
        "Contact with families",
        "2.5",
        "24",
    )
    year5 = next(r for r in rows if r["group"] == "Year 5")
    assert (year5["split"], year5["value"], year5["base"]) == ("Year group", "fewer than 5", "")
    year8 = next(r for r in rows if r["group"] == "Year 8")
    assert (year8["value"], year8["base"]) == ("0%", "7")
    gap = next(r for r in rows if r["figure"] == "Families who heard less than school logged")
    assert (gap["value"], gap["base"]) == ("fewer than 5", "")
    # 1 families + 5 figures + 4 split cells + 3 trend points
    assert len(rows) == 13


def test_csv_filename_names_the_chosen_period(client, school, governor):
    url = reverse("governor_summary_csv", kwargs={"slug": school.slug})
    from partnership.contact.radar import school_today
    from partnership.coproduction.summary.shape import periods_for

    year = periods_for(school_today(school))[-1]
    response = _page(client, governor, url + f"?period={year.key}")
    assert f'filename="riverside-summary-{year.key}.csv"' in response["Content-Disposition"]


def test_trust_csv_is_named_after_the_trust(client, trust):
    trustee = with_totp(UserFactory())  # trust-wide figures need two-factor sign-in
    trust.trustees.add(trustee)
    response = _page(client, trustee, reverse("trust_summary_csv", kwargs={"slug": trust.slug}))
    assert 'filename="riverside-trust-summary-' in response["Content-Disposition"]


def test_summary_pages_answer_get_only(client, school, governor):
    client.force_login(governor)
    assert client.post(_summary_url(school)).status_code == 405


def test_a_breakdown_with_every_group_too_small_has_a_sentence_and_its_table(
    client, school, governor, monkeypatch
):
    def all_small(school, period, today):
        summary = sample_summary(school.name, period)
        for row in summary.sections[0].splits[0].rows:
            row.figure = figure("k", "Families on track", None, 3, unit="%")
        return summary

    from .summary_samples import figure

    monkeypatch.setattr(summary_views, "build_school_summary", all_small)
    text = _page(client, governor, _summary_url(school)).text
    assert "Every group here is too small to show on its own" in text
    assert text.count('role="img"') == 1  # only the trend is drawn
    assert text.count("<table") == 2


def test_links_fragment_for_other_homes(school):
    from django.template.loader import render_to_string

    html = render_to_string(
        "coproduction/fragment_summary_links.html", {"summary_schools": [school]}
    )
    assert 'href="/schools/riverside/summary/"' in html
    assert render_to_string("coproduction/fragment_summary_links.html", {}).strip() == ""


def test_a_trustee_without_two_factor_is_sent_to_set_it_up(client, trust):
    trustee = UserFactory()
    trust.trustees.add(trustee)
    client.force_login(trustee)
    for name in ("trust_summary", "trust_summary_print", "trust_summary_csv"):
        response = client.get(reverse(name, kwargs={"slug": trust.slug}))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

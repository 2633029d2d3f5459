"""The summary pages over the real figures: the numbers a governor reads are the
figures module's, and a page costs the same number of queries at ten times the data."""

import csv
import io

import pytest

from partnership.coproduction.summary.figures import school_summary
from partnership.coproduction.views import summary as summary_views
from partnership.schools.models import Trust
from tests.coproduction.summary_data import PERIOD, TODAY, build_small_school
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

URL = "/schools/riverside/summary/?period=2026-27-autumn"
# A first view, with no snapshot stored: session and the user with their standing (2),
# the two-factor check (TOTP: 1), the school and the right to read its summary (2), the
# snapshot looked for (1), the figures (12), the snapshot stored (insert within a
# savepoint: 3; in production's autocommit only the insert). A page served from a fresh
# snapshot takes 6 (test_summary_store.py).
PAGE_QUERIES = 21
# The CSV: the same, and the audit trail records it as an export (2 more: the look-up and
# the row).
CSV_QUERIES = 23
# A trustee on no school's staff skips the staff gate's TOTP look-up but the trust pages
# make their own (so the same), and the figures list the trust's schools (1 more).
TRUST_PAGE_QUERIES = 22


@pytest.mark.parametrize("copies", [1, 10])
def test_the_page_takes_a_fixed_number_of_queries(
    client, school, governor, copies, django_assert_num_queries
):
    for _n in range(copies):
        build_small_school(school)
    client.force_login(governor)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert f"Covers {6 * copies} families" in response.text


@pytest.mark.parametrize("copies", [1, 10])
def test_the_csv_takes_a_fixed_number_of_queries(
    client, school, governor, copies, django_assert_num_queries
):
    for _n in range(copies):
        build_small_school(school)
    client.force_login(governor)
    with django_assert_num_queries(CSV_QUERIES):
        response = client.get("/schools/riverside/summary.csv?period=2026-27-autumn")
    assert response.status_code == 200


@pytest.mark.parametrize("copies", [1, 10])
def test_the_trust_page_takes_a_fixed_number_of_queries(
    client, school, other_school, copies, django_assert_num_queries
):
    trust = Trust.objects.create(name="Riverside Learning Trust", slug="rlt")
    trustee = with_totp(UserFactory())  # trust-wide figures need two-factor sign-in
    trust.trustees.add(trustee)
    for each in (school, other_school):
        each.trust = trust
        each.save()
        for _n in range(copies):
            build_small_school(each)
    client.force_login(trustee)
    with django_assert_num_queries(TRUST_PAGE_QUERIES):
        response = client.get("/trusts/rlt/summary/?period=2026-27-autumn")
    assert response.status_code == 200
    assert f"Covers {12 * copies} families" in response.text


def test_every_figure_on_the_page_and_in_the_csv_is_the_figures_modules(
    client, school, governor, monkeypatch
):
    # The page's "today" is the hand-made school's, so rates "so far" match by hand.
    monkeypatch.setattr(summary_views, "school_today", lambda school: TODAY)
    build_small_school(school)
    client.force_login(governor)
    expected = school_summary(school, PERIOD, today=TODAY)
    page = client.get(URL).text
    csv_text = client.get("/schools/riverside/summary.csv?period=2026-27-autumn").content
    rows = list(csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"))))
    values = {(row["section"], row["figure"], row["group"]): row["value"] for row in rows}
    for section in expected.sections:
        assert str(section.title).replace("'", "&#x27;") in page
        for figure in section.figures:
            assert values[(str(section.title), str(figure.label), "")] == str(figure.display)
        for split in section.splits:
            for cell in split.rows:
                key = (str(section.title), str(split.figure_label), str(cell.group))
                assert values[key] == str(cell.figure.display)


@pytest.mark.parametrize("copies", [1, 10])
def test_the_governors_home_takes_a_fixed_number_of_queries(
    client, school, governor, copies, django_assert_num_queries
):
    for _n in range(copies):
        build_small_school(school)
    client.force_login(governor)
    # The first visit records the hat in the session, and works out and stores the
    # current term's figures.
    first = client.get("/governor/")
    # Session and the user with their standing (2), two-factor (TOTP: 1), the schools
    # governed and trusts held (2), the stored figures (1).
    with django_assert_num_queries(6):
        response = client.get("/governor/")
    assert response.status_code == 200
    assert f"Covers {6 * copies} families" in first.text
    assert f"Covers {6 * copies} families" in response.text

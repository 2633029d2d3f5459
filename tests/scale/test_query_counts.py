"""The five pages the trust-scale targets name make as many queries at 10x data as at 1x.

The check `manage.py bench` runs, on data sets small enough for the test suite: one school
of 6 families; then 60 families; then 6 families with ten times the history each. A page
that queries once per family shows up in the second, once per praise or per target in the
third. (The benchmark grows both at once, which takes minutes to build.)
"""

from io import StringIO

import pytest
from django.core.management import call_command

from partnership.scale.bench.pages import PAGES, query_counts
from partnership.scale.bench.queries import seed_arguments
from tests.services import require_postgres

# Committed for real: seed_scale replaces a data set with TRUNCATE, which PostgreSQL
# refuses inside the transaction that wrote the first one.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _counts_at(children: int, history_scale: int) -> dict[str, int]:
    call_command("seed_scale", *seed_arguments(children, history_scale), stdout=StringIO())
    return query_counts()


def test_every_page_makes_the_same_number_of_queries_at_ten_times_the_data():
    require_postgres()
    base = _counts_at(6, 1)
    more_families = _counts_at(60, 1)
    more_history = _counts_at(6, 10)

    assert set(base) == {page.label for page in PAGES}
    assert all(count > 0 for count in base.values()), base
    differing = {
        page: (base[page], more_families[page], more_history[page])
        for page in base
        if not base[page] == more_families[page] == more_history[page]
    }
    assert not differing, f"query counts (1x, 10x families, 10x history) differ: {differing}"

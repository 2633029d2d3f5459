from collections.abc import Callable

import pytest

# Set by the worker fixture: reads what the Celery worker logged during the test.
WORKER_LOG = pytest.StashKey[Callable[[], str]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # A failing delivery test is explained by the worker's log; attach it to the report,
    # because output printed in a fixture's teardown is never shown.
    report = yield
    read_log = item.stash.get(WORKER_LOG, None)
    if report.failed and read_log is not None:
        report.sections.append(("Celery worker log", read_log()))
    return report

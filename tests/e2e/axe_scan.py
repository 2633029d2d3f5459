"""axe-core, run in the browser on the page as it stands: after a navigation, after a form
is sent, or when a form comes back with its errors. Each scan prints its counts by impact
and keeps the serious and critical violations, so a journey checks them all at its end and
one run names every failing page, not only the first."""

import time
from collections import Counter
from urllib.parse import urlparse

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

# Rules switched off for one page: {page label: {axe rule id: "the problem, and why it
# stays"}}. Keep this empty if you can; a rule is never switched off without a reason.
EXCLUDED: dict[str, dict[str, str]] = {}


def _script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


class AxeScan:
    """One per journey: `scan(label)` checks the current page of `page`; `assert_clean()`
    at the end fails with every serious or critical violation found on the way."""

    def __init__(self, page, size: str):
        self.page = page
        self.size = size
        self.failures: list[str] = []
        self.lines: list[str] = []
        self.seconds = 0.0
        self._source = _script()

    def scan(self, label: str, page=None) -> None:
        """Scan the journey's page, or `page` (another tab or browser in the same journey)."""
        page = page or self.page
        started = time.perf_counter()
        page.wait_for_load_state("load")
        # A new document has no `axe`; the same document keeps it, so htmx swaps and a
        # second scan of one page do not inject it again.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self._source)
        options = {"resultTypes": ["violations"]}
        excluded = EXCLUDED.get(label, {})
        for rule, reason in excluded.items():
            assert len(reason.split()) >= 5, f"{label}: say why {rule} is switched off"
        if excluded:
            options["rules"] = {rule: {"enabled": False} for rule in excluded}
        violations = page.evaluate("options => axe.run(document, options)", options)["violations"]

        self.seconds += time.perf_counter() - started
        counts = Counter(v["impact"] for v in violations)
        path = urlparse(page.url).path
        line = f"{label} ({self.size}) {path}: " + ", ".join(
            f"{impact} {counts[impact]}" for impact in IMPACTS
        )
        print(line)
        self.lines.append(line)
        for violation in violations:
            if violation["impact"] in BLOCKING:
                # The first node's own summary says what to fix (for contrast, the colours
                # and the ratio found).
                nodes = violation["nodes"]
                detail = " ".join(nodes[0].get("failureSummary", "").split())[:300]
                self.failures.append(
                    f"{label} ({self.size}) {path}: {violation['id']} [{violation['impact']}] "
                    f"{violation['help']} {[node['target'] for node in nodes][:3]} {detail}"
                )

    def assert_clean(self) -> None:
        assert self.lines, "no page was scanned"
        print(f"axe ({self.size}): {len(self.lines)} pages scanned in {self.seconds:.1f} s")
        assert not self.failures, "\n".join(self.failures)

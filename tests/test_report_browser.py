"""The review page in a real headless Chromium (Debian's), driven by Playwright.

Skipped only when /usr/bin/chromium is absent (``.ci/browser-deps.sh`` installs it). The page
is opened from a file:// URL; any request to another scheme is aborted and fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.consolidate.report import build_report
from tests.seed_extractions import SEEDS, extraction_from_text, records, seed_extractions

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (run .ci/browser-deps.sh)"
    ),
]

# Joins every mark's parts in order; returns one row per highlight.
_MARKS_JS = """
() => {
  const groups = {};
  for (const m of document.querySelectorAll("mark")) {
    const id = m.dataset.id;
    (groups[id] = groups[id] || { quote: m.dataset.quote, grounding: m.dataset.grounding,
      kind: m.dataset.kind, parts: [] }).parts.push([Number(m.dataset.part), m.textContent]);
  }
  return Object.entries(groups).map(([id, g]) => ({ id, quote: g.quote, grounding: g.grounding,
    kind: g.kind, text: g.parts.sort((a, b) => a[0] - b[0]).map(p => p[1]).join("") }));
}
"""
_VISIBLE_METRIC_ROWS = (
    "document.querySelectorAll('table[data-table=metrics] tbody tr:not([hidden])').length"
)


@pytest.fixture
def page_path(tmp_path: Path) -> Path:
    exts = seed_extractions()
    # One figure the text does not state (1 bn is stated, 2 bn is not): "not_found", to filter on.
    text = SEEDS[2].read_text("utf-8")
    wrong = extraction_from_text(
        text + "\n",
        records(
            metrics=[
                {
                    "name": "объем взаимной торговли",
                    "value": 2e9,
                    "value_max": None,
                    "unit": "USD",
                    "qualifier": "up_to",
                    "kind": "target",
                    "period": None,
                    "scope": {"countries": ["KZ", "TM"], "route": []},
                    "evidence": [
                        {"quote": "доведением объема взаимной торговли до 1 млрд долларов"}
                    ],
                }
            ]
        ),
        path=str(tmp_path / "mismatch.txt"),
    )
    (tmp_path / "mismatch.txt").write_text(text + "\n", "utf-8")
    for e in [*exts, wrong]:
        name = Path(e.source.path or "x").stem
        (tmp_path / f"{name}.json").write_text(e.model_dump_json(), "utf-8")
    return build_report(tmp_path, tmp_path / "report.html")


def test_page_in_headless_chromium(page_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    foreign: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def guard(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                if url.startswith("file://"):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    foreign.append(url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", guard)
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")

            # Every highlighted span shows exactly its quote (parts of a crossing span joined).
            marks = page.evaluate(_MARKS_JS)
            assert len(marks) > 60
            for m in marks:
                assert m["text"], m
                if m["grounding"] == "exact" or m["kind"] == "figure":
                    assert m["text"] == m["quote"], m
            assert any(m["id"].endswith("-fig") for m in marks)
            assert page.locator("mark[data-status=not_found]").count() >= 1

            # Filters narrow the metrics table; the pressed button says so.
            total = page.evaluate(_VISIBLE_METRIC_ROWS)
            page.get_by_role("button", name="Not found").click()
            assert page.evaluate(_VISIBLE_METRIC_ROWS) == 1
            assert (
                page.get_by_role("button", name="Not found").get_attribute("aria-pressed") == "true"
            )
            page.get_by_role("button", name="Verified").click()
            assert page.evaluate(_VISIBLE_METRIC_ROWS) == total - 1

            # Keyboard: focus "All" and press Enter; type into the search box.
            page.get_by_role("button", name="All").focus()
            page.keyboard.press("Enter")
            assert page.evaluate(_VISIBLE_METRIC_ROWS) == total
            page.locator("#q").focus()
            page.keyboard.type("перевоз")
            assert 0 < page.evaluate(_VISIBLE_METRIC_ROWS) < total
            page.locator("#q").fill("")

            # Sorting: the value column, ascending then descending, with aria-sort.
            th = page.locator("table[data-table=metrics] th", has_text="Value")
            th.get_by_role("button").click()
            assert th.get_attribute("aria-sort") == "ascending"
            values = page.eval_on_selector_all(
                "table[data-table=metrics] tbody tr td.num", "tds => tds.map(t => +t.dataset.sort)"
            )
            assert values == sorted(values)
            th.get_by_role("button").click()
            assert th.get_attribute("aria-sort") == "descending"

            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ARTIFACTS / "report.png"))
            page.evaluate("document.getElementById('art0').scrollIntoView()")
            page.screenshot(path=str(ARTIFACTS / "report-article.png"))
        finally:
            browser.close()
    assert errors == []
    assert foreign == []
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000

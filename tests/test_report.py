"""The review page, without a browser: spans, escaping, self-containment, missing articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from extractor.consolidate.report import Span, build_report, highlight
from schemas.enums import GroundingStatus
from tests.seed_extractions import SEEDS, extraction_from_text, records, seed_extractions


def _span(start, end, sid, kind="evidence"):
    return Span(start, end, sid, "exact", kind, f"hover {sid}", "", "exact")


def _joined(tree: HTMLParser) -> dict[str, str]:
    """Text of each highlight, its parts joined in order."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for node in tree.css("mark"):
        parts.setdefault(node.attributes["data-id"], []).append(
            (int(node.attributes["data-part"]), node.text(deep=True))
        )
    return {k: "".join(t for _, t in sorted(v)) for k, v in parts.items()}


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 10, "a"), (2, 5, "b")],  # nested
        [(0, 6, "a"), (3, 10, "b")],  # crossing
        [(0, 6, "a"), (3, 10, "b"), (5, 12, "c"), (5, 12, "d")],  # crossing, equal
        [(4, 4, "empty"), (0, 99, "outside"), (1, 3, "ok")],  # invalid ones dropped
    ],
)
def test_highlight_keeps_every_span_text_whole_and_the_text_unchanged(spans):
    text = "<b>&amp; «Актау» – 1,5 млн"
    html = highlight(text, [_span(s, e, i) for s, e, i in spans])
    tree = HTMLParser(f"<div>{html}</div>")
    assert tree.css_first("div").text(deep=True) == text
    valid = {i: text[s:e] for s, e, i in spans if 0 <= s < e <= len(text)}
    assert _joined(tree) == valid
    assert "<b>" not in str(html)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    exts = seed_extractions()
    for e in exts:
        (out / f"{Path(e.source.path).stem}.json").write_text(e.model_dump_json(), "utf-8")
    page = build_report(out, out / "report" / "report.html")
    return exts, page, HTMLParser(page.read_text("utf-8"))


def test_every_grounded_quote_and_checked_figure_is_marked_with_its_text(seed_page):
    exts, _, tree = seed_page
    joined = _joined(tree)
    expected = 0
    for a, ext in enumerate(exts):
        text = Path(ext.source.path).read_text("utf-8")
        for kind, items in (
            ("meeting", ext.meetings),
            ("agreement", ext.agreements),
            ("metric", ext.metrics),
            ("project", ext.projects),
        ):
            for i, rec in enumerate(items):
                for j, ev in enumerate(rec.evidence):
                    if ev.status in (GroundingStatus.unresolved, GroundingStatus.unchecked):
                        continue
                    expected += 1
                    assert joined[f"art{a}-{kind}{i}-e{j}"] == text[ev.start : ev.end]
                    if ev.status is GroundingStatus.exact:
                        assert text[ev.start : ev.end] == ev.quote
        for i, m in enumerate(ext.metrics):
            if m.verification.start is not None:
                expected += 1
                assert joined[f"art{a}-metric{i}-fig"] == m.verification.surface
    assert len(joined) == expected > 50


def test_marks_carry_status_and_the_normalised_value_on_hover(seed_page):
    _, _, tree = seed_page
    fig = tree.css_first('mark[data-id="art0-metric2-fig"]')
    assert fig.attributes["data-status"] == "verified"
    assert "exact 1\u202f500\u202f000 t (level)" in fig.attributes["title"]
    statuses = {m.attributes["data-status"] for m in tree.css("mark")}
    assert statuses <= {"verified", "mismatch", "not_found", "exact", "normalized", "fuzzy"}


def test_page_is_self_contained_and_keyboard_usable(seed_page):
    _, page, tree = seed_page
    html = page.read_text("utf-8")
    assert "default-src 'none'" in html
    for node in tree.css("[src], link[href]"):
        pytest.fail(f"external resource {node.html}")
    assert all(a.attributes["href"].startswith("#") for a in tree.css("a[href]"))
    for th in tree.css("table.sortable th"):
        assert th.attributes.get("aria-sort") == "none"
        assert th.css_first("button") is not None
    assert {b.attributes["data-filter"] for b in tree.css("button.filter")} == {
        "all",
        "verified",
        "mismatch",
        "not_found",
    }
    assert tree.css_first("input#q").attributes["type"] == "search"
    titles = [h.text() for h in tree.css("h2")]
    assert any(t.startswith("Meetings (4)") for t in titles)
    assert any(t.startswith("Conflicts between sources (0)") for t in titles)


def test_record_text_is_escaped(tmp_path):
    text = SEEDS[0].read_text("utf-8")
    article = tmp_path / "a.txt"
    article.write_text(text, "utf-8")
    ext = extraction_from_text(
        text,
        records(
            projects=[
                {
                    "name": "<script>alert(1)</script> порт",
                    "sector": None,
                    "status": "discussed",
                    "countries": [],
                    "places": [],
                    "evidence": [{"quote": "каспийских портов Актау, Курык и Туркменбаши"}],
                }
            ]
        ),
        path=str(article),
    )
    (tmp_path / "a.json").write_text(ext.model_dump_json(), "utf-8")
    page = build_report(tmp_path, tmp_path / "r.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; порт" in page
    assert page.count("<script") == 1  # the page's own script only


def test_changed_or_missing_article_is_shown_without_spans_and_warned(tmp_path):
    text = SEEDS[1].read_text("utf-8")
    changed = tmp_path / "changed.txt"
    changed.write_text(text, "utf-8")
    ext = extraction_from_text(
        text,
        records(
            meetings=[],
            metrics=[],
            projects=[
                {
                    "name": "железная дорога Казахстан – Туркменистан – Иран",
                    "sector": None,
                    "status": "operating",
                    "countries": ["KZ", "TM", "IR"],
                    "places": [],
                    "evidence": [{"quote": "по железной дороге Казахстан – Туркменистан – Иран"}],
                }
            ],
        ),
        path=str(changed),
    )
    (tmp_path / "changed.json").write_text(ext.model_dump_json(), "utf-8")
    missing = ext.model_copy(
        update={
            "source": ext.source.model_copy(
                update={"path": str(tmp_path / "gone.txt"), "sha256": "0" * 64}
            )
        }
    )
    (tmp_path / "missing.json").write_text(missing.model_dump_json(), "utf-8")
    changed.write_text(text + "\nИсправление.", "utf-8")
    tree = HTMLParser(build_report(tmp_path, tmp_path / "r.html").read_text("utf-8"))
    assert tree.css("mark") == []
    problems = [p.text() for p in tree.css(".problem")]
    assert len(problems) == 2
    assert any("changed since extraction" in p for p in problems)
    assert any("not readable" in p for p in problems)
    assert len(tree.css(".warnings li")) >= 2


def test_the_header_counts_what_the_tables_show(seed_page):
    import re

    _, _, tree = seed_page
    totals = tree.css_first("#totals").text()
    rows = {
        t.attributes["data-table"]: len(t.css("tbody tr")) for t in tree.css("table[data-table]")
    }
    for table, label in [
        ("conflicts", "conflicts"),
        ("meetings", "meetings"),
        ("projects", "projects"),
        ("metrics", "figures"),
        ("agreements", "agreements"),
        ("persons", "persons"),
    ]:
        stated = int(re.search(rf"(\d+) {label}\b", totals).group(1))
        assert stated == rows.get(table, 0), table
    assert int(re.search(r"(\d+) articles", totals).group(1)) == len(tree.css("article.doc"))
    # each section heading says the same number as the header
    headings = " ".join(h.text() for h in tree.css("h2"))
    for n, label in re.findall(r"(\d+) (meetings|projects|agreements|persons|figures)", totals):
        assert f"{n} {label}" in headings or f"({n})" in headings


def test_meeting_places_show_their_coordinates(seed_page):
    _, _, tree = seed_page
    geo = [node.attributes["title"] for node in tree.css("table[data-table=meetings] small.geo")]
    assert "GeoNames 1517945" in geo  # Туркестан


def test_an_unsupported_field_is_visibly_marked(tmp_path):
    text = SEEDS[0].read_text("utf-8")
    article = tmp_path / "a.txt"
    article.write_text(text, "utf-8")
    port = {
        "sector": None,
        "status": "operating",
        "evidence": [{"quote": "каспийских портов Актау, Курык и Туркменбаши"}],
    }
    ext = extraction_from_text(
        text,
        records(
            projects=[
                {**port, "name": "порт Актау", "countries": ["KZ", "JP"], "places": ["Актау"]},
                {**port, "name": "порт Курык", "countries": ["KZ"], "places": ["Курык"]},
            ]
        ),
        path=str(article),
    )
    (tmp_path / "a.json").write_text(ext.model_dump_json(), "utf-8")
    tree = HTMLParser(build_report(tmp_path, tmp_path / "r.html").read_text("utf-8"))
    flagged = tree.css("li[data-unsupported]")
    assert len(flagged) == 1  # Japan is named nowhere in the article; the other port is clean
    item = flagged[0]
    assert "порт Актау" in item.text()
    assert item.css_first(".badge[data-status=unsupported]").text() == "1 unsupported"
    line = item.css_first("ul.unsupported li").text()
    assert "countries[1]" in line and "«JP»" in line and "not named in the article" in line

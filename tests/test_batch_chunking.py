"""Long articles: chunks fit the limit, end on boundaries, and merged offsets point into the text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.chunking import split_text
from extractor.config import Settings
from extractor.engines.local import run_batch
from tests.stub_backend import StubBackend

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPH = "Стороны обсудили сотрудничество в транспортной и энергетической сферах. " * 3


@given(
    st.text(alphabet=st.sampled_from("аб в.\n!?"), min_size=0, max_size=400),
    st.integers(min_value=1, max_value=60),
)
@settings(max_examples=300, deadline=None)
def test_chunks_concatenate_to_the_text_and_fit(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= limit for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_chunks_end_on_paragraph_breaks_when_they_can() -> None:
    text = "\n\n".join(f"Абзац {i}. {PARAGRAPH}" for i in range(20))
    chunks = split_text(text, 1000)
    assert len(chunks) > 1
    assert all(c.text.endswith("\n\n") for c in chunks[:-1])
    assert all(c.text.startswith("Абзац") for c in chunks)


def test_a_paragraph_longer_than_the_limit_is_cut_after_a_sentence() -> None:
    text = "Первое предложение. " * 100
    chunks = split_text(text, 450)
    assert all(c.text.endswith(". ") for c in chunks[:-1])


def test_a_repeated_fact_across_chunks_is_merged_with_every_span(tmp_path: Path) -> None:
    fact = "Товарооборот составил 500 млн долларов."
    text = "\n\n".join([fact, PARAGRAPH, fact, PARAGRAPH, fact]) + "\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    conf = Settings(backend="offline", store_path=tmp_path / "db", max_chunk_chars=270)

    run_batch([path], tmp_path / "out", conf, backend=StubBackend(), progress=False)

    result = json.loads((tmp_path / "out" / "long.json").read_text(encoding="utf-8"))
    assert len(result["metrics"]) == 1
    evidence = result["metrics"][0]["evidence"]
    assert [e["start"] for e in evidence] == [
        i for i in range(len(text)) if text.startswith(fact[:-1], i)
    ]
    assert all(text[e["start"] : e["end"]] == e["quote"] for e in evidence)
    assert any("split into" in w for w in result["warnings"])


def test_a_10_mb_file_is_extracted_in_chunks_with_offsets_into_the_full_text(
    tmp_path: Path,
) -> None:
    paragraphs = []
    expected = {}
    i = 0
    size = 0
    while size < 10 * 1024 * 1024:
        if i % 700 == 0:
            value = 100 + i // 700
            line = f"Товарооборот в отчетном периоде {i // 700} составил {value} млн долларов."
            expected[value * 1_000_000] = line[:-1]
        else:
            line = f"Абзац {i}. {PARAGRAPH}"
        paragraphs.append(line)
        size += len(line.encode("utf-8")) + 2
        i += 1
    text = "\n\n".join(paragraphs)
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 10 * 1024 * 1024
    backend = StubBackend()
    conf = Settings(backend="offline", store_path=tmp_path / "db", concurrency=4)

    summary = run_batch([path], tmp_path / "out", conf, backend=backend, progress=False)

    assert summary.written == 1
    assert len(backend.seen) > len(text) // conf.max_chunk_chars
    assert all(len(chunk) <= conf.max_chunk_chars for chunk in backend.seen)
    result = json.loads((tmp_path / "out" / "huge.json").read_text(encoding="utf-8"))
    assert result["source"]["chars"] == len(text)
    found = {m["value"]: m for m in result["metrics"]}
    assert set(found) == set(expected)
    for value, metric in found.items():
        (evidence,) = metric["evidence"]
        assert evidence["quote"] == expected[value]
        assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
        check = metric["verification"]
        assert check["status"] == "verified"
        assert text[check["start"] : check["end"]] == check["surface"]
        assert evidence["start"] <= check["start"] < check["end"] <= evidence["end"]

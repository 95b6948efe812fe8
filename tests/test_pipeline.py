"""extract() on a long article: chunked, merged, offsets into the whole text."""

from __future__ import annotations

from extractor import extract_text
from extractor.backends.offline import OfflineBackend
from extractor.config import Settings
from schemas.enums import VerificationStatus

PARAGRAPH = (
    "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Президентом Туркменистана "
    "Сердаром Бердымухамедовым. За 10 месяцев текущего года объем перевозок составил "
    "полтора миллиона тонн, увеличившись на 14%.\n\n"
)
FILLER = "Стороны обсудили вопросы культурно-гуманитарного сотрудничества.\n\n"


def test_long_article_is_chunked_and_offsets_point_into_the_whole_text() -> None:
    text = FILLER * 40 + PARAGRAPH + FILLER * 40
    settings = Settings(backend="offline", max_chunk_chars=1_000)
    result = extract_text(text, settings=settings, backend=OfflineBackend(settings))
    assert any("split into" in w for w in result.warnings)
    tonnes = [m for m in result.metrics if m.unit == "t"]
    assert tonnes and tonnes[0].verification.status is VerificationStatus.verified
    v = tonnes[0].verification
    assert text[v.start : v.end] == "полтора миллиона тонн"
    assert v.start > len(FILLER) * 40  # re-based, not an offset into its chunk
    for e in tonnes[0].evidence:
        assert e.start is not None and e.end is not None
        assert text[e.start : e.end] == e.quote


def test_short_article_is_not_chunked() -> None:
    settings = Settings(backend="offline")
    result = extract_text(PARAGRAPH, settings=settings, backend=OfflineBackend(settings))
    assert not any("split into" in w for w in result.warnings)

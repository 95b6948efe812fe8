"""Bad input: empty, binary, legacy Cyrillic code pages, BOM, HTML, other languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.reading import decode, language_warnings, read_article

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_d541d46272f33c54.txt"
TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff  \n".encode()])
def test_empty_or_whitespace_only_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert "empty" in caught.value.problem
    assert caught.value.hint


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (bytes(range(256)) * 4, "NUL"),
        (b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14" * 20, "control"),
    ],
)
def test_binary_file_is_refused_with_a_hint(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert "binary" in caught.value.problem
    assert kind in caught.value.problem
    assert "UTF-8" in caught.value.hint


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r", "cp866"])
def test_legacy_cyrillic_code_pages_are_detected_not_garbled(tmp_path: Path, codec: str) -> None:
    # These code pages lack « » and —; the article is what survives the round trip.
    expected = TEXT.encode(codec, errors="replace").decode(codec)
    path = tmp_path / "legacy.txt"
    path.write_bytes(expected.encode(codec))
    article = read_article(path)
    assert article.text == expected
    assert article.encoding == codec
    assert "Касым-Жомарт Токаев" in article.text
    assert article.published == "2025-11-25"


@pytest.mark.parametrize(
    "sentence",
    [
        "Товарооборот вырос на 14%.",
        "Лидеры договорились увеличить товарооборот до 1 млрд долларов.",
        "В Ташкенте прошли переговоры министров иностранных дел.",
    ],
)
@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_short_sentences_in_cp1251_and_koi8_r_are_told_apart(sentence: str, codec: str) -> None:
    assert decode(sentence.encode(codec)) == (sentence, codec)


def test_utf8_bom_is_dropped_and_offsets_start_at_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    article = read_article(path)
    assert article.text == TEXT
    assert article.encoding == "utf-8-sig"
    assert not article.text.startswith("\ufeff")


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    assert read_article(path).text == TEXT


PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Новости | Портал</title>
<style>p { color: red }</style><script>var tracker = "Рекламный текст";</script></head>
<body>
<header><nav><a href="/">Главная</a> <a href="/world">Мир</a></nav></header>
<article>
  <h1>Токаев и Бердымухамедов обсудили торговлю и транспорт</h1>
  <p>Товарооборот между странами «стабильно превышает <b>полмиллиарда</b> долларов».</p>
  <p>Лидеры договорились увеличить его до&nbsp;$1&nbsp;млрд.</p>
  <ul><li>Транспорт</li><li>Энергетика</li></ul>
</article>
<aside>Читайте также: другие новости</aside>
<footer>© Портал, 2025</footer>
</body></html>
"""


def test_html_page_is_reduced_to_its_main_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_article(path)
    lines = article.text.splitlines()
    assert lines[0] == "Токаев и Бердымухамедов обсудили торговлю и транспорт"
    assert "Товарооборот между странами «стабильно превышает полмиллиарда долларов»." in lines
    assert any(line.startswith("Лидеры договорились увеличить его до") for line in lines)
    assert any(line.endswith("Энергетика") for line in lines)
    assert article.title == "Токаев и Бердымухамедов обсудили торговлю и транспорт"
    for junk in ("tracker", "color", "Главная", "Читайте также", "©"):
        assert junk not in article.text
    assert any("HTML" in w for w in article.warnings)


def test_html_in_cp1251_declared_by_meta_is_decoded(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1251"')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251", errors="replace"))
    assert "полмиллиарда" in read_article(path).text


def test_html_with_no_text_is_an_empty_article(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_article(path)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        (
            "Trade turnover between Kazakhstan and Turkmenistan exceeded half a billion dollars.",
            "Russian",
        ),
        (
            "Қазақстан мен Түрікменстан арасындағы тауар айналымы жарты миллиард доллардан асты.",
            "Kazakh",
        ),
    ],
)
def test_text_in_another_language_gets_a_warning(tmp_path: Path, text: str, word: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text, encoding="utf-8")
    article = read_article(path)
    assert article.text == text
    assert any(word in w for w in article.warnings)


def test_russian_text_gets_no_language_warning() -> None:
    assert language_warnings(TEXT) == []


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_article(tmp_path)

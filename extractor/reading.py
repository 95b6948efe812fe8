"""Bytes to article text: encoding, BOM, HTML to main text, and the header line.

The text returned here is the one string every backend sees and every offset points into.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import InputError
from extractor.lexicon import months, outlets

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
# A byline: a line that is only a full date, maybe with a time ("18 апреля 2025, 16:05",
# "18.04.2025 16:05"), among the first lines of a page: the publication date.
_BYLINE_DATE = re.compile(
    r"^[ \t]*(?:(?P<d>\d{1,2})[ \t]+(?P<m>"
    + "|".join(months.by_genitive())
    + r")[ \t]+(?P<y>\d{4})(?:[ \t]*г\.?)?|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))"
    r"(?:[ \t]*,?[ \t]*\d{1,2}:\d{2})?[ \t]*$",
    re.M | re.IGNORECASE,
)
_BYLINE_SEARCH_CHARS = 600


@lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    """An attribution ("передаёт агентство Kazinform") and the outlet it names; words from the lexicon."""
    words = outlets.attribution()
    verbs = "|".join(map(re.escape, words.verbs))
    nouns = "|".join(map(re.escape, words.nouns))
    return re.compile(
        rf"(?:{verbs})[ \t]+"
        rf"(?:(?:{nouns})[ \t]+)?"
        rf"(?P<outlet>(?:{re.escape(words.press_service)}[ \t]+)?[A-ZА-ЯЁ][\w.\-]*(?:[ \t]+[A-ZА-ЯЁ][\w.\-]*)?)"
    )


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its text (the only string offsets refer to) and what is known of it."""

    text: str
    path: str | None = None
    encoding: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8: the identity of the article's content."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def article_from_text(text: str, path: str | None = None, encoding: str | None = None) -> Article:
    """Build an Article from text, reading the header date, the title and the outlet.

    An HTML page is reduced to its main text first; text that is not Russian gets a warning.

    Raises:
        InputError: There is no article text (empty, whitespace only, or an empty HTML page).
    """
    warnings: list[str] = []
    if looks_like_html(text):
        text = html_to_text(text)
        warnings.append("read as an HTML page: the main text was extracted from the markup")
    if not text.strip():
        raise InputError(path, "the article is empty", hint="give a file with article text")
    warnings.extend(language_warnings(text))
    published = None
    if m := _HEADER_DATE.match(text):
        published = m.group(1)
    else:
        published = _byline_date(text[:_BYLINE_SEARCH_CHARS])
    outlet = None
    if m2 := _outlet_pattern().search(text):
        outlet = m2.group("outlet").rstrip(".")
    return Article(
        text=text,
        path=path,
        encoding=encoding,
        title=_title(text),
        outlet=outlet,
        published=published,
        warnings=tuple(warnings),
    )


def _byline_date(head: str) -> str | None:
    """The ISO date of a byline line near the top of a page, or None."""
    m = _BYLINE_DATE.search(head)
    if m is None:
        return None
    if m.group("d"):
        day, month, year = (
            int(m.group("d")),
            months.by_genitive()[m.group("m").lower()],
            int(m.group("y")),
        )
    else:
        day, month, year = int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _title(text: str) -> str | None:
    """The headline: the first line of 4+ words, before any sentence, that is not one itself."""
    for line in text.splitlines():
        clean = _HEADER_DATE.sub("", line).strip().lstrip("#").strip()
        if len(clean.split()) < 4:
            continue  # navigation crumbs ("ГлавнаяМир"), a place line ("г. Туркестан")
        if len(clean) <= 200 and not clean.endswith((".", "!", "?", ":", ";", ",")):
            return clean
        return None
    return None


def decode(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Decode article bytes to text; return the text and the encoding used.

    Order: byte-order marks, then binary detection, then strict UTF-8, then a charset the HTML
    declares, then the single-byte Cyrillic code page whose letters read most like Russian
    (cp1251 and koi8-r both decode any byte, so "decodes" proves nothing), then a generic guess.

    Raises:
        InputError: The bytes are empty, whitespace only, binary, or in no known encoding.
    """
    if not data.strip():
        raise InputError(path, "the file is empty", hint="give a file with article text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            return text, codec if codec != "utf-8" else "utf-8-sig"
    if kind := _binary_kind(data):
        raise InputError(
            path,
            f"the file is binary ({kind}), not text",
            hint="convert it to a UTF-8 text or HTML file first",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    best = _best_cyrillic(data)
    if best is not None:
        return best
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        raise InputError(
            path,
            "the file is in no encoding this tool can read",
            hint="save it as UTF-8 (or cp1251 / koi8-r) text",
        )
    return str(guess), guess.encoding


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/DOCX",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"\xd0\xcf\x11\xe0": "MS Office",
    b"\x7fELF": "executable",
    b"SQLite format 3": "SQLite",
}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SINGLE_BYTE = ("cp1251", "koi8_r", "cp866", "iso8859_5")
# Relative frequencies of Russian letters (per mille).
_FREQ = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            110,
            85,
            80,
            74,
            67,
            63,
            55,
            47,
            45,
            44,
            35,
            32,
            30,
            28,
            26,
            20,
            19,
            17,
            17,
            16,
            16,
            14,
            12,
            10,
            9,
            7,
            6,
            5,
            4,
            3,
            3,
            1,
            1,
        ),
        strict=True,
    )
)


def _binary_kind(data: bytes) -> str | None:
    """Name the kind of binary file the bytes are, or None for text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "NUL bytes"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return "control bytes" if controls > max(8, len(head) // 100) else None


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _russianness(text: str) -> float:
    """Mean letter frequency per Cyrillic letter; lower-case Russian prose scores highest."""
    score = 0.0
    letters = 0
    for ch in text:
        if "\u2500" <= ch <= "\u259f":
            score -= 50  # box drawing: Cyrillic bytes read as cp866
        elif "\u0400" <= ch <= "\u04ff":
            letters += 1
            # Upper case is rare in prose; in a wrong code page case flips (koi8-r vs cp1251).
            low = ch.lower()
            if low not in _FREQ:
                score -= 50  # Ukrainian, Serbian or Kazakh letters: a wrong code page's tell
            else:
                score += _FREQ[low] if ch.islower() else _FREQ[low] * 0.1
    return score / letters if letters else 0.0


def _best_cyrillic(data: bytes) -> tuple[str, str] | None:
    """The single-byte Cyrillic decoding that reads most like Russian, if any does."""
    best: tuple[float, str, str] | None = None
    sample = data[:65536]
    for codec in _SINGLE_BYTE:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
        if cyr < 0.3 * sum(1 for ch in text if ch.isalpha()):
            continue
        score = _russianness(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < 20:
        return None
    codec = best[1]
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b", re.I | re.S
)
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
]
_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, pre, figcaption, td"
_INLINE_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def looks_like_html(text: str) -> bool:
    """Tell whether the text is an HTML page rather than plain text."""
    return bool(_HTML_START.match(text[:4096]))


def html_to_text(html: str) -> str:
    """The main text of an HTML page: headline and paragraphs, one block per paragraph.

    Navigation, headers, footers, scripts and styles are dropped; the ``<article>`` or ``<main>``
    element is used when the page has one, else the element with the most paragraph text.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROP_TAGS)
    root = tree.css_first("article") or tree.css_first("main") or _densest(tree) or tree.body
    if root is None:
        return ""
    blocks = []
    for node in root.css(_BLOCKS):
        if node.tag in ("li", "blockquote", "td") and any(
            inner.mem_id != node.mem_id for inner in node.css("p, li, td")
        ):
            continue  # its paragraphs are blocks of their own
        line = _INLINE_SPACE.sub(" ", node.text(separator="", strip=False)).strip()
        if line:
            blocks.append(line)
    if not blocks:
        raw = root.text(separator="\n", strip=False)
        blocks = [ln for ln in (_INLINE_SPACE.sub(" ", x).strip() for x in raw.split("\n")) if ln]
    title = tree.css_first("title")
    h1 = root.css_first("h1")
    if title is not None and h1 is None:
        head = _INLINE_SPACE.sub(" ", title.text()).strip()
        if head and (not blocks or blocks[0] != head):
            blocks.insert(0, head)
    return "\n\n".join(blocks)


def _densest(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose direct paragraphs hold the most text."""
    best = None
    best_len = 0
    for node in tree.css("div, section, td"):
        size = sum(len(p.text()) for p in node.css("p") if p.parent == node)
        if size > best_len:
            best, best_len = node, size
    return best


_LETTER = re.compile(r"[^\W\d_]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LANGUAGE_SAMPLE = 50_000


def language_warnings(text: str) -> list[str]:
    """Warnings when the text does not look like Russian: the tool is built for Russian news."""
    sample = text[:_LANGUAGE_SAMPLE]
    # Fast path (C speed): U+0400-U+04FF are the UTF-8 sequences led by bytes D0-D3. When half
    # of all characters are Cyrillic, so is far more than half of the letters.
    raw = sample.encode("utf-8")
    cyr = sum(raw.count(lead) for lead in (b"\xd0", b"\xd1", b"\xd2", b"\xd3"))
    if cyr >= 0.5 * len(sample):
        share = 1.0
    else:
        letters = len(_LETTER.findall(sample))
        if letters < 20:
            return []
        share = cyr / letters
    if share < 0.5:
        return [
            f"the text is not in Russian (only {share:.0%} of its letters are Cyrillic); "
            "extraction is built for Russian news, expect few or no records"
        ]
    if len(_KAZAKH.findall(sample)) > 0.01 * cyr:
        return [
            "the text looks Kazakh, not Russian (ә, ғ, қ, ң, ө, ұ, ү, і); extraction is built "
            "for Russian news, expect few or no records"
        ]
    return []


def read_article(path: str | Path) -> Article:
    """Read a file into an Article (text, encoding, header date, title, outlet).

    Raises:
        InputError: The file is missing, a directory, empty, binary, or unreadable.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(str(p), "is a directory", hint="use `extractor extract DIR`") from None
    except PermissionError:
        raise InputError(str(p), "permission denied", hint="make the file readable") from None
    text, encoding = decode(data, str(p))
    return article_from_text(text, path=str(p), encoding=encoding)

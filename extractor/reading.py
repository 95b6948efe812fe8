"""Bytes to article text: encoding, BOM, HTML to main text, and the header line.

The text returned here is the one string every backend sees and every offset points into.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import InputError

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
_OUTLET = re.compile(
    r"(?:передаёт|передает|сообщает|сообщил[аи]?|пишет|информирует)[ \t]+"
    r"(?:агентство[ \t]+|издание[ \t]+|портал[ \t]+)?"
    r"(?P<outlet>(?:пресс-служба[ \t]+)?[A-ZА-ЯЁ][\w.\-]*(?:[ \t]+[A-ZА-ЯЁ][\w.\-]*)?)"
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

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8: the identity of the article's content."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def article_from_text(text: str, path: str | None = None, encoding: str | None = None) -> Article:
    """Build an Article from text, reading the header date, the title and the outlet."""
    if not text.strip():
        raise InputError(path, "the article is empty", hint="give a file with article text")
    published = None
    if m := _HEADER_DATE.match(text):
        published = m.group(1)
    outlet = None
    if m2 := _OUTLET.search(text):
        outlet = m2.group("outlet").rstrip(".")
    return Article(
        text=text,
        path=path,
        encoding=encoding,
        title=_title(text),
        outlet=outlet,
        published=published,
    )


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
    """Decode article bytes to text; return the text and the encoding used."""
    if not data.strip():
        raise InputError(path, "the file is empty", hint="give a file with article text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "utf_16", "mac_cyrillic", "cp866"]).best()
    if best is None or b"\x00" in data[:4096] and best.encoding not in ("utf_16", "utf_32"):
        raise InputError(
            path, "the file is binary, not text", hint="give a UTF-8, cp1251 or koi8-r text file"
        )
    return str(best), best.encoding


def read_article(path: str | Path) -> Article:
    """Read a file into an Article (text, encoding, header date, title, outlet)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(str(p), "is a directory", hint="use `extractor extract DIR`") from None
    text, encoding = decode(data, str(p))
    return article_from_text(text, path=str(p), encoding=encoding)

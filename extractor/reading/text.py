"""Bytes to text: byte-order marks, binary files, legacy Cyrillic code pages, language.

The decoded string is what every later step reads; nothing here changes a character of it.
"""

from __future__ import annotations

import re

from extractor.errors import InputError


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

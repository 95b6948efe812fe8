"""The sector of a document from its title, by the rules of ``data/sectors.tsv`` (one loader)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The (pattern, sector) rules of ``data/sectors.tsv``, in file order.

    Raises:
        ValueError: A line is not a pattern, a tab and a sector, or its pattern does not compile.
    """
    text = files("extractor.lexicon").joinpath("data/sectors.tsv").read_text(encoding="utf-8")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, sep, sector = line.partition("\t")
        if not sep or not sector.strip():
            raise ValueError(f"sectors.tsv line {number}: expected '<pattern>\\t<sector>'")
        try:
            compiled = re.compile(rf"(?<![\w-]){pattern}", re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"sectors.tsv line {number}: {exc}; fix the pattern") from None
        out.append((compiled, sector.strip()))
    return tuple(out)


def sector_of(title: str) -> str | None:
    """The sector a title names first ("соглашение о строительстве ГЭС" -> "энергетика"), or None."""
    best: tuple[int, int, str] | None = None
    for rank, (pattern, sector) in enumerate(rules()):
        m = pattern.search(title)
        if m is not None and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, sector)
    return best[2] if best else None

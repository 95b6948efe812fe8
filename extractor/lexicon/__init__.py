"""Versioned lexicons (data files in ``data/``), one loader each.

| file | loader | what |
|---|---|---|
| ``countries.json`` | :mod:`.countries` | ISO codes, Russian names, noun and adjective stems |
| ``places.json`` | :mod:`.places` | cities and named sites of the region, with their country |
| ``months.json`` | :mod:`.months` | month lemmas, genitives and stems |
| ``titles.json`` | :mod:`.titles` | titles, bodies and head-of-state words |
| ``heads_of_state.json`` | :mod:`.heads_of_state` | heads of state, with an ``as_of`` date |
| ``outlets.json`` | :mod:`.outlets` | attribution words and national outlets |
| ``project_kinds.json`` | :mod:`.project_kinds` | kinds of project and the head nouns they are found by |
| ``names.json`` | :mod:`.names` | case endings and surname suffixes of personal names |
| ``stopwords.json`` | :mod:`.stopwords` | function words |
| ``sectors.json`` | :mod:`.sectors` | the sector a document's title names |
| ``prices.yaml`` | :mod:`.prices` | LLM prices per model, list and Batch API, with ``as_of`` (no extraction rule: not in :func:`digest`) |

:func:`digest` fingerprints every data file, so anything keyed on the rules (a backend's
identity) changes when a lexicon does.
"""

from __future__ import annotations

import hashlib
from importlib import resources

__all__ = ["data_files", "digest"]


def data_files() -> dict[str, bytes]:
    """Every lexicon data file shipped in the package: file name -> bytes, sorted by name."""
    folder = resources.files(__name__).joinpath("data")
    found = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.endswith(".json")}
    return dict(sorted(found.items()))


def digest() -> str:
    """A SHA-256 over every lexicon data file (names and bytes): changes when any entry does."""
    h = hashlib.sha256()
    for name, data in data_files().items():
        h.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return h.hexdigest()

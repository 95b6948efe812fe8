"""The offline backend: verified records with no API key, from natasha NER and rules.

Models (slovnet NER over navec embeddings, pymorphy3) load once per process on first use; an
article then takes a few tens of milliseconds on one core. The records go through the same
verifier as the LLM path.

Its identity carries a rules version: a sha256 over the code of the rules (``extractor.core``,
``extractor.offline``, the lexicon loaders, this module) and every lexicon data file, read through
``importlib.resources`` so an installed wheel hashes what it runs. Any change of a rule or a
lexicon entry changes it, and a resumed run extracts again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from extractor.backends.base import BackendIdentity, Draft, zero_usage
from extractor.config import Settings
from extractor.lexicon.outlets import home_country as outlet_country
from extractor.offline.agreements import find_agreements
from extractor.offline.countries import countries_in
from extractor.offline.dates import parse_iso, reading_day
from extractor.offline.gazetteer import source as gazetteer_source
from extractor.offline.meetings import find_meetings
from extractor.offline.metrics import find_metrics
from extractor.offline.nlp import body_sentences, load_models, ner_spans
from extractor.offline.people import find_people
from extractor.offline.projects import find_projects
from extractor.reading import Article
from schemas.records import Records

PIPELINE = "offline-natasha"
# The packages whose sources are the rules, hashed with every file below them.
_RULE_PACKAGES = ("extractor.core", "extractor.offline", "extractor.lexicon")
_SKIPPED = {"__pycache__"}


def _files_below(prefix: str, node: Traversable) -> Iterator[tuple[str, Traversable]]:
    """Every file below ``node`` with its path from the package root, in a stable order."""
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = f"{prefix}/{child.name}"
        if child.is_dir():
            if child.name not in _SKIPPED:
                yield from _files_below(name, child)
        elif not child.name.endswith((".pyc", ".pyo")):
            yield name, child


def rules_digest(lexicon_data: Traversable | None = None) -> str:
    """sha256 over the offline rules: their code and the lexicon data files.

    Args:
        lexicon_data: The folder of lexicon data files to hash in place of the package's own
            ``extractor/lexicon/data`` (a test points it at a changed copy).

    Returns:
        The hex digest; equal for equal sources wherever the package is installed.
    """
    digest = hashlib.sha256()
    parts: list[tuple[str, Traversable]] = []
    for package in _RULE_PACKAGES:
        for name, item in _files_below(package.replace(".", "/"), files(package)):
            if lexicon_data is None or not name.startswith("extractor/lexicon/data/"):
                parts.append((name, item))
    if lexicon_data is not None:
        parts.extend(_files_below("extractor/lexicon/data", lexicon_data))
    parts.append(("extractor/backends/offline.py", files("extractor.backends") / "offline.py"))
    for name, item in sorted(parts, key=lambda part: part[0]):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(item.read_bytes() + b"\0")
    # The towns the rules resolve come from the installed GeoNames data, not from our files.
    digest.update(gazetteer_source().encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def rules_version() -> str:
    """The rules version of the installed package (computed once per process)."""
    return rules_digest()


def offline_identity() -> BackendIdentity:
    """The offline backend's identity: its pipeline and rules version."""
    return BackendIdentity(name="offline", model=PIPELINE, rules_version=rules_version())


def home_country(article: Article) -> str | None:
    """The country of the article's outlet, if it is a known national outlet."""
    return outlet_country(" ".join(x for x in (article.outlet, article.text[:600]) if x))


def extract_records(article: Article, today: dt.date | None = None) -> Records:
    """Extract draft records from one article with the offline pipeline (pure but for models).

    ``today`` is the day an article without a publication date is read against (default: today).
    """
    with reading_day(today):
        return _records(article)


def _records(article: Article) -> Records:
    text = article.text
    sents = body_sentences(text)
    published = parse_iso(article.published)
    spans = ner_spans(text)
    people = find_people(text, spans, home_country(article))
    dateline = article.dateline
    meetings = find_meetings(
        text,
        sents,
        people,
        published,
        dateline.place if dateline else None,
        [s for s in spans if s.type == "LOC"],
        (dateline.start, dateline.end) if dateline else None,
    )
    parties: list[str] = []
    if meetings:
        parties = [p.country for p in meetings[0].participants if p.country]
    parties = list(dict.fromkeys(parties)) or countries_in(text)[:2]
    projects = find_projects(sents, parties)
    return Records(
        meetings=meetings,
        agreements=find_agreements(sents, parties, projects),
        metrics=find_metrics(
            text,
            sents,
            parties,
            published,
            (dateline.start, dateline.end) if dateline else None,
            projects,
        ),
        projects=projects,
    )


class OfflineBackend:
    """Extracts draft records with natasha NER, pymorphy3 and rules: no network, no key."""

    name = "offline"

    def __init__(self, settings: Settings | None = None) -> None:
        """Keep the settings (default: from the environment); models load on first use."""
        self.settings = settings or Settings.from_env()

    def identity(self) -> BackendIdentity:
        """The pipeline and its rules version (a hash of the rules' code and lexicons)."""
        return offline_identity()

    def warm_up(self) -> None:
        """Load the models, the gazetteer and the date grammars now (else on the first article)."""
        load_models()
        from extractor.offline.date_grammar import _parsers
        from extractor.offline.gazetteer import index

        _parsers()
        index()

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article."""
        return Draft(
            records=extract_records(article, self.settings.today),
            model=self.identity().recorded_model(),
            prompt_version=None,
            usage=zero_usage(),
        )

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records in a worker thread, so the event loop is not blocked."""
        return await asyncio.to_thread(self.extract, article)

    async def aclose(self) -> None:
        """Nothing to release: the models stay loaded for the process."""

"""The offline backend: verified records with no API key, from natasha NER and rules.

Models (slovnet NER over navec embeddings, pymorphy3) load once per process on first use; an
article then takes a few tens of milliseconds on one core. The records go through the same
verifier as the LLM path.
"""

from __future__ import annotations

import asyncio

from extractor.backends.base import Draft, zero_usage
from extractor.config import Settings
from extractor.lexicon.outlets import home_country as outlet_country
from extractor.offline.agreements import find_agreements
from extractor.offline.countries import countries_in
from extractor.offline.dates import parse_iso
from extractor.offline.meetings import find_meetings
from extractor.offline.metrics import find_metrics
from extractor.offline.nlp import load_models, ner_spans, sentences
from extractor.offline.people import find_people
from extractor.offline.projects import find_projects
from extractor.reading import Article
from schemas.records import Records

MODEL = "offline-natasha-1.0"


def home_country(article: Article) -> str | None:
    """The country of the article's outlet, if it is a known national outlet."""
    return outlet_country(" ".join(x for x in (article.outlet, article.text[:600]) if x))


def extract_records(article: Article) -> Records:
    """Extract draft records from one article with the offline pipeline (pure but for models)."""
    text = article.text
    sents = sentences(text)
    published = parse_iso(article.published)
    people = find_people(text, ner_spans(text), home_country(article))
    meetings = find_meetings(text, sents, people, published)
    parties: list[str] = []
    if meetings:
        parties = [p.country for p in meetings[0].participants if p.country]
    parties = list(dict.fromkeys(parties)) or countries_in(text)[:2]
    return Records(
        meetings=meetings,
        agreements=find_agreements(sents, parties),
        metrics=find_metrics(text, sents, parties, published),
        projects=find_projects(sents, parties),
    )


class OfflineBackend:
    """Extracts draft records with natasha NER, pymorphy3 and rules: no network, no key."""

    name = "offline"
    model = MODEL
    prompt_version: str | None = None

    def __init__(self, settings: Settings | None = None) -> None:
        """Keep the settings; the models load once per process on first use."""
        self.settings = settings

    def warm_up(self) -> None:
        """Load the models and build the date grammars now (else on the first article)."""
        load_models()
        from extractor.offline.date_grammar import _parsers

        _parsers()

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article."""
        return Draft(
            records=extract_records(article),
            model=MODEL,
            prompt_version=None,
            usage=zero_usage(),
        )

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records in a worker thread, so the event loop is not blocked."""
        return await asyncio.to_thread(self.extract, article)

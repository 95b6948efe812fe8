"""A backend for batch tests that needs no network: one metric per 'N млн долларов' sentence."""

from __future__ import annotations

import asyncio
import re

from extractor.backends.base import BackendIdentity, Draft
from extractor.errors import LLMError
from extractor.reading import Article
from schemas.records import Records, Usage

FIGURE = re.compile(r"[^.\n]*?(\d+) млн долларов[^.\n]*")


class StubBackend:
    """Emits one metric per 'N млн долларов' sentence; fails on articles containing 'СБОЙ'."""

    name = "stub"
    model = "stub-1"
    prompt_version = "p-stub"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def identity(self) -> BackendIdentity:
        return BackendIdentity(name=self.name, model=self.model, prompt_version=self.prompt_version)

    async def aclose(self) -> None:
        pass

    def extract(self, article: Article) -> Draft:
        return self._draft(article)

    async def aextract(self, article: Article) -> Draft:
        await asyncio.sleep(0)
        return self._draft(article)

    def _draft(self, article: Article) -> Draft:
        self.seen.append(article.text)
        if "СБОЙ" in article.text:
            raise LLMError("the endpoint answered HTTP 500", hint="re-run later")
        if "ЛОМАЕТСЯ" in article.text:
            raise RuntimeError("surprise")
        metrics = [
            {
                "name": "товарооборот",
                "value": int(m.group(1)) * 1_000_000,
                "value_max": None,
                "unit": "USD",
                "qualifier": "exact",
                "kind": "level",
                "period": None,
                "scope": {"countries": [], "route": []},
                "evidence": [{"quote": m.group(0).strip()}],
            }
            for m in FIGURE.finditer(article.text)
        ]
        records = Records.model_validate(
            {"meetings": [], "agreements": [], "metrics": metrics, "projects": []}
        )
        usage = Usage(requests=1, prompt_tokens=10, completion_tokens=5, total_tokens=15)
        return Draft(
            records=records, model=self.model, prompt_version=self.prompt_version, usage=usage
        )

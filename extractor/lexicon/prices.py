"""LLM prices: ``data/prices.yaml`` (dated), optionally overridden by a file of the same shape."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from extractor.errors import ConfigError

PRICES_FILE = Path(__file__).with_name("data") / "prices.yaml"
_FIELDS = ("input", "output", "batch_input", "batch_output")


@dataclass(frozen=True)
class Price:
    """USD per million tokens for one model, at list and at Batch API prices."""

    input: float
    output: float
    batch_input: float
    batch_output: float

    def cost(self, prompt_tokens: int, completion_tokens: int, *, batch: bool = False) -> float:
        """USD for these tokens, at the batch price when ``batch``."""
        if batch:
            return (prompt_tokens * self.batch_input + completion_tokens * self.batch_output) / 1e6
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1e6


@dataclass(frozen=True)
class PriceTable:
    """Prices by model name, with the date they were read and where from."""

    as_of: str
    source: str
    models: dict[str, Price]

    def get(self, model: str) -> Price | None:
        """The price of a model, or None when the table does not know it."""
        return self.models.get(model)

    def cost(
        self, model: str, prompt_tokens: int, completion_tokens: int, *, batch: bool = False
    ) -> float | None:
        """USD for these tokens of ``model``; None when its price is unknown."""
        price = self.get(model)
        return None if price is None else price.cost(prompt_tokens, completion_tokens, batch=batch)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"cannot read the price table {path}: {exc}",
            hint="fix the file or unset EXTRACTOR_PRICES",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise ConfigError(
            f"the price table {path} has no 'models' mapping",
            hint=f"copy the shape of {PRICES_FILE}",
        )
    return data


def _price(path: Path, model: str, raw: Any) -> Price:
    try:
        values = {k: float(raw[k]) for k in _FIELDS}
    except (KeyError, TypeError, ValueError):
        raise ConfigError(
            f"the price of {model!r} in {path} needs numbers for {', '.join(_FIELDS)}",
            hint="give USD per million tokens, e.g. {input: 0.15, output: 0.60, "
            "batch_input: 0.075, batch_output: 0.30}",
        ) from None
    return Price(**values)


@lru_cache(maxsize=1)
def _shipped() -> PriceTable:
    base = _read(PRICES_FILE)
    models = {name: _price(PRICES_FILE, name, raw) for name, raw in base["models"].items()}
    return PriceTable(str(base.get("as_of", "")), str(base.get("source", "")), models)


def load_prices(override: Path | None = None) -> PriceTable:
    """The price table; an ``override`` file's models replace or extend the shipped ones.

    Raises:
        ConfigError: A file cannot be read or a price is not a number.
    """
    shipped = _shipped()
    if override is None:
        return shipped
    models = dict(shipped.models)
    as_of, source = shipped.as_of, shipped.source
    if override is not None:
        extra = _read(override)
        models.update({name: _price(override, name, raw) for name, raw in extra["models"].items()})
        as_of = str(extra.get("as_of", as_of))
        source = str(extra.get("source", override))
    return PriceTable(as_of=as_of, source=source, models=models)

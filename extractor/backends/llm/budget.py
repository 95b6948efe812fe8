"""Every request bounded: the answer's token ceiling from the schema, the article and the context.

Token counts are estimated from characters (no tokenizer of the server is at hand). The estimate
over-counts on purpose — Russian text runs about 3-4 characters a token in the tokenizers of the
models this project meets — so a request the estimate lets through fits, and the server's own
``context_length_exceeded`` stays the exception.
"""

from __future__ import annotations

import json
from typing import Any

CHARS_PER_TOKEN = 3.0
MIN_ANSWER_TOKENS = 256  # below this even an empty Records answer with its braces risks a cut
DEFAULT_CEILING = 4096  # the most an answer of this schema needs for a chunk of 24,000 characters
FLOOR = 1024  # the least ceiling: a short article's answer still lists its records with quotes


def estimate_tokens(text: str) -> int:
    """An over-estimate of the tokens of a text."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def prompt_tokens(kwargs: dict[str, Any]) -> int:
    """Estimated tokens of what the server reads: the messages and any tool definitions.

    A ``response_format`` schema is left out: servers turn it into a grammar, not prompt tokens.
    """
    parts = [json.dumps(kwargs.get("messages", []), ensure_ascii=False)]
    if kwargs.get("tools"):
        parts.append(json.dumps(kwargs["tools"], ensure_ascii=False))
    return estimate_tokens("".join(parts))


def answer_ceiling(article_chars: int, override: int | None) -> int:
    """The most tokens one answer may take: the override, else a bound that grows with the article.

    An answer quotes the article's sentences as evidence, so it is rarely longer than the article.
    """
    if override:
        return override
    return max(FLOOR, min(DEFAULT_CEILING, estimate_tokens("x" * article_chars) * 2))


def output_tokens(
    kwargs: dict[str, Any], context_tokens: int | None, ceiling: int
) -> tuple[int, int | None]:
    """(max tokens for this request, tokens the context leaves) — left is None when unknown."""
    if context_tokens is None:
        return ceiling, None
    left = context_tokens - prompt_tokens(kwargs)
    return max(min(ceiling, left), 0), left

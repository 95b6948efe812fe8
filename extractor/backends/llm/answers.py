"""Reading an answer: is its JSON cut, and the records in it without validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from extractor.backends.llm.errors import (
    EmptyAnswerError,
    ModeUnsupportedError,
    TruncatedAnswerError,
)
from schemas.records import Records


def check_answer(
    completion: Any,
    *,
    limit: int | None,
    tool_choice: bool,
    mode: str | None,
    suggest: Callable[[], str | None],
) -> None:
    """Raise when an answer is not worth parsing: not a completion, empty, prose, or cut.

    Cut is seen in the answer itself (its JSON ends inside an unfinished value), whatever the
    server's ``finish_reason`` says; ``suggest`` names the mode to set when a named
    ``tool_choice`` was answered in prose.
    """
    if not isinstance(completion, ChatCompletion):
        raise openai.APIResponseValidationError(
            response=httpx2.Response(200, request=httpx2.Request("POST", "http://endpoint")),
            body=completion,
            message="the endpoint's answer is not a chat completion",
        )
    if not completion.choices:
        raise EmptyAnswerError("the endpoint answered with no choices")
    choice = completion.choices[0]
    message = choice.message
    if tool_choice and not message.tool_calls:
        if choice.finish_reason == "length" or not looks_like_json(message.content or ""):
            raise ModeUnsupportedError(
                "the server answered in plain text although a named tool_choice was sent: "
                "it does not honour tool_choice",
                mode=mode or "tools",
                suggest=suggest(),
            )
    call = getattr(message.tool_calls[0], "function", None) if message.tool_calls else None
    raw = call.arguments if call is not None else message.content
    if choice.finish_reason == "length":
        raise TruncatedAnswerError(
            f"the answer was cut at the token limit ({limit} tokens, finish_reason 'length')"
        )
    if cut_json(raw or "", mode):
        raise TruncatedAnswerError(
            f"the answer is cut JSON (finish_reason {choice.finish_reason!r}, limit {limit} "
            "tokens): it ends inside an unfinished value"
        )


def looks_like_json(text: str) -> bool:
    """True when a text starts like JSON (or a fenced block of it)."""
    stripped = text.strip()
    return stripped.startswith(("{", "[", "```"))


def cut_json(raw: str, mode: str | None) -> bool:
    """True when the answer's JSON ends inside an unfinished value (cut, whatever the server says).

    An answer that is not JSON at all, or breaks in its middle, is a parse error instructor
    re-asks; one that breaks at its very end was cut, and re-asking would only cut it again.
    """
    text = raw.strip()
    if mode == "md_json":
        start = text.find("```")
        if start < 0:
            return False
        body = text[start + 3 :]
        body = body[body.find("\n") + 1 :] if body.startswith("json") else body
        end = body.find("```")
        if end >= 0:
            return False  # a closed block: whatever is wrong inside it is a parse error
        text = body.strip()
    if not text.startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.pos >= len(text) - 1 or exc.msg.startswith("Unterminated string")
    return False


def plain(result: Records) -> Records:
    """The validated answer as plain Records (instructor hands back its own subclass)."""
    return Records(
        meetings=result.meetings,
        agreements=result.agreements,
        metrics=result.metrics,
        projects=result.projects,
    )


def records_from(completion: Any) -> Records | None:
    """Parse the last answer without validation context, so nothing is checked yet."""
    try:
        message = completion.choices[0].message
        if message.tool_calls:
            raw = message.tool_calls[0].function.arguments
        else:
            raw = message.content or ""
        data = json.loads(raw)
        return Records.model_validate(data)
    except (ValueError, AttributeError, IndexError, ValidationError):
        return None

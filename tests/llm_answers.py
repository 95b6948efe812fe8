"""Build chat-completion bodies for tests that serve answers through httpx2.MockTransport."""

from __future__ import annotations

import json
from typing import Any


def records(metrics: list[dict[str, Any]] | None = None, **lists: Any) -> dict[str, Any]:
    """A Records answer: the four lists, metrics given, the others empty unless given."""
    return {
        "meetings": lists.get("meetings", []),
        "agreements": lists.get("agreements", []),
        "metrics": metrics or [],
        "projects": lists.get("projects", []),
    }


def metric(name: str, value: float, unit: str | None, quote: str, **over: Any) -> dict[str, Any]:
    """One metric as a model would send it."""
    m: dict[str, Any] = {
        "name": name,
        "value": value,
        "value_max": None,
        "unit": unit,
        "qualifier": "exact",
        "kind": "level",
        "period": None,
        "scope": {"countries": [], "route": []},
        "evidence": [{"quote": quote}],
    }
    m.update(over)
    return m


def completion(
    arguments: dict[str, Any],
    *,
    tool: str = "CheckedRecords",
    tokens: tuple[int, int] = (100, 50),
    finish: str = "stop",
) -> dict[str, Any]:
    """A chat completion with one tool call."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1764028800,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {
                                "name": tool,
                                "arguments": json.dumps(arguments, ensure_ascii=False),
                            },
                        }
                    ],
                },
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": tokens[0],
            "completion_tokens": tokens[1],
            "total_tokens": sum(tokens),
        },
    }

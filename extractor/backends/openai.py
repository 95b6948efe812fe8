"""The LLM backend's public home: ``OpenAIBackend`` lives in ``extractor.backends.llm.client``."""

from extractor.backends.llm.client import OpenAIBackend
from extractor.backends.llm.errors import (
    ContextOverflowError,
    EmptyAnswerError,
    MalformedAnswerError,
    ModeUnsupportedError,
    TruncatedAnswerError,
    is_transient,
)
from extractor.backends.llm.transport import (
    client_options,
    make_async_openai_client,
    make_openai_client,
    request_key,
    resolve_api_key,
    retry_after_seconds,
)

__all__ = [
    "ContextOverflowError",
    "EmptyAnswerError",
    "MalformedAnswerError",
    "ModeUnsupportedError",
    "OpenAIBackend",
    "TruncatedAnswerError",
    "client_options",
    "is_transient",
    "make_async_openai_client",
    "make_openai_client",
    "request_key",
    "resolve_api_key",
    "retry_after_seconds",
]

"""What counts as a secret, and how it is masked: one place for logs, the store and errors.

API keys never appear in logs, fixtures, outputs or the database. Every text this project
writes that could carry one (an HTTP dump, a call-log row, an endpoint's error message) goes
through ``redact``; header and key names go through ``is_secret_name``.
"""

from __future__ import annotations

import logging
import re

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie"}
)
_SECRET_NAME = re.compile(r"(authorization|api[-_]?key|secret|password|token$|bearer|cookie)", re.I)
_BEARER = re.compile(r"(Bearer\s+)\S+", re.I)
# OpenAI-style keys, also as echoed back partly masked ("sk-proj-abc***...xyz").
_SK = re.compile(r"\bsk-[A-Za-z0-9_\-*.]{4,}")
MASK = "[redacted]"


def redact(text: str) -> str:
    """Mask bearer tokens and ``sk-`` keys anywhere in a text."""
    return _SK.sub(MASK, _BEARER.sub(rf"\g<1>{MASK}", text))


def is_secret_name(name: str) -> bool:
    """Whether a header or JSON key names a credential (Authorization, api_key, token...)."""
    return name.lower() in SECRET_HEADERS or bool(_SECRET_NAME.search(name))


class RedactingFilter(logging.Filter):
    """A logging filter that masks keys in records of libraries that log what a server said."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with every key masked; never drop the record."""
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_FILTER = RedactingFilter()


def guard_library_logs(
    names: tuple[str, ...] = ("instructor", "openai", "httpx2", "httpcore2"),
) -> None:
    """Mask keys in what these libraries log (an endpoint may echo a key in its 401 message).

    A logger's filters do not apply to its children's records, so the filter goes on every
    logger of those packages that exists once they are imported (call it after importing them).
    """
    existing = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in names]
    for name in {*names, *existing}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

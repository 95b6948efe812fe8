"""Public home of the verifier: ``verify(records, text)`` (see :mod:`extractor.core.verify`)."""

from __future__ import annotations

from extractor.core.verify import CONTEXT_KEY, CheckedRecords, problems, verify, verify_metric

__all__ = ["CONTEXT_KEY", "CheckedRecords", "problems", "verify", "verify_metric"]

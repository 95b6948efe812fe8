"""Against a real endpoint: `pytest -m live` with OPENAI_API_KEY (and OPENAI_BASE_URL) set.

Deselected by default and in CI (no endpoint is reachable there); `make record` re-records the
cassettes the offline suite replays.
"""

from __future__ import annotations

import pytest

from extractor import extract
from extractor.config import Settings
from schemas.enums import VerificationStatus
from tests.conftest import LIVE_ENV, ROOT

pytestmark = [pytest.mark.live, pytest.mark.enable_socket]


@pytest.mark.skipif("OPENAI_API_KEY" not in LIVE_ENV, reason="needs OPENAI_API_KEY")
def test_a_seed_through_a_live_endpoint() -> None:
    settings = Settings.from_env(LIVE_ENV, backend="openai")
    result = extract(ROOT / "seeds" / "001_d541d46272f33c54.txt", settings=settings)
    assert result.backend == "openai" and result.usage.requests >= 1
    verified = {(m.value, m.unit) for m in result.verified_metrics()}
    assert (1_500_000.0, "t") in verified
    for m in result.metrics:
        assert m.verification.status is not VerificationStatus.unchecked

"""The CI cut of `make soak`: 60 s of steady load through real service processes, then proof that
nothing was lost (bench.soak.check): every article classified exactly once, every alert version
once in the alert log, and every alert version received by the webhook receiver.

Waits are on events (XREAD BLOCK, a pub/sub sentinel, the receiver's condition), never sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import soak
from services.common.embedded import EmbeddedRedis

SECONDS = 60.0
# Modest on purpose: a loaded 2-core CI machine with colleagues' tests still keeps up with it.
RATE = 5.0


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_soak_loses_nothing(tmp_path: Path) -> None:
    with EmbeddedRedis() as server:
        result = await soak(server.url, tmp_path, seconds=SECONDS, rate=RATE, classifiers=1, tag="ci-soak")
    assert result.problems == [], result.problems
    assert result.published == int(SECONDS * RATE)
    # The synthetic reports are one incident each: most of them must have raised an alert.
    assert result.alert_versions >= result.published // 2
    assert all(m.peak_kb for m in result.memory), result.memory

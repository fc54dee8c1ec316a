"""50 conversations at once over REST, 20 messages each, on loopback: no error, and every reply is
the right one for its question (bench/load.py; `make bench` has the speed figures)."""

from __future__ import annotations

import pytest

from bench import load

pytestmark = pytest.mark.server


def test_fifty_concurrent_conversations_all_answered_right(server):
    result = load.run(server.url, users=50, messages=20, timeout=120)
    assert result.errors == []
    assert result.wrong == []
    assert len(result.latencies_ms) == 50 * 20

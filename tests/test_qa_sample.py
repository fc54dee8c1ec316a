"""Thirty varied questions written apart from the training data, asked through the REST channel."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.server

CASES = yaml.safe_load((Path(__file__).parent / "data" / "qa_sample.yml").read_text())[
    "conversations"
]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sample_question(rest, case):
    for turn in case["turns"]:
        answer = rest.say(turn["say"]).lower()
        for fragment in turn.get("expect_contains", []):
            assert fragment.lower() in answer, (turn["say"], fragment, answer[:600])
        if turn.get("expect_any"):
            assert any(f.lower() in answer for f in turn["expect_any"]), (turn["say"], answer[:600])
        for fragment in turn.get("expect_not", []):
            assert fragment.lower() not in answer, (turn["say"], fragment, answer[:600])

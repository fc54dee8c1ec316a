"""The trained NLU model on a held-out set it never saw (tests/data/nlu_heldout.yml)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import requests
import yaml

pytestmark = pytest.mark.server

HELDOUT = Path(__file__).parent / "data" / "nlu_heldout.yml"
TRAINING = Path(__file__).parent.parent / "data" / "nlu.yml"
# A regression check, not a blind figure: earlier sessions tuned on this set's misses. The blind
# figure is tests/test_blind_eval.py. Measured 0.947 (376/397) on 2026-12-02 with the sentence
# vectors in the pipeline (0.884 before); the floor sits just under it.
MIN_ACCURACY = 0.93


def _examples(path: Path):
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:].strip(), block["intent"]


def test_heldout_never_seen_in_training():
    seen = {text.lower() for text, _ in _examples(TRAINING)}
    overlap = [text for text, _ in _examples(HELDOUT) if text.lower() in seen]
    assert overlap == []


@pytest.fixture(scope="module")
def predictions(server):
    results = []
    for text, intent in _examples(HELDOUT):
        parsed = requests.post(
            f"{server.url}/model/parse",
            params={"token": server.api_token},
            json={"text": text},
            timeout=30,
        ).json()
        results.append((text, intent, parsed["intent"]["name"]))
    return results


def test_heldout_intent_accuracy(predictions):
    right = sum(expected == got for _, expected, got in predictions)
    misses = Counter((e, g) for _, e, g in predictions if e != g)
    accuracy = right / len(predictions)
    assert accuracy >= MIN_ACCURACY, (
        f"accuracy {accuracy:.3f}; most confused: {misses.most_common(8)}"
    )


def test_every_heldout_red_flag_is_caught(predictions):
    missed = [
        text for text, expected, got in predictions if expected == "red_flag" and got != "red_flag"
    ]
    assert missed == []


RED_FLAG_SETS = [
    "red_flags_fresh.yml",
    "red_flags_unseen.yml",
    "red_flags_final.yml",
    "red_flags_fresh2.yml",
]


@pytest.mark.parametrize("name", RED_FLAG_SETS)
def test_every_red_flag_gets_seek_care_first_through_rest(server, name):
    """The whole pipeline (NLU, red-flag component, action) over REST, for every red flag we have."""
    from tests.conftest import RestChat

    cases = yaml.safe_load((HELDOUT.parent / name).read_text())["red_flags"]
    failures = []
    for case in cases:
        answer = RestChat(server.url).say(case["text"])
        first = answer.lower()[:400]
        safe_first = any(
            w in first for w in ("doctor", "health professional", "emergency", "medical")
        )
        if not safe_first or "\n1. " in answer or answer.startswith("1. "):
            failures.append(case["text"])
    assert failures == []


# Measured 2026-12-03 (sixth session) on red_flags_fresh2.yml's 100 hard near misses, through the
# pipeline and the dialogue: 2 false alarms (first contact 25, before the changes chosen on it: the set
# is a dev set). The floor guards that figure; the target is at most 1% of ordinary questions.
MAX_NEAR_MISS_FALSE_ALARMS = 2


def test_hard_near_misses_rarely_get_a_red_flag_reply_through_rest(server, catalogue):
    from bench.chat_eval import red_flag_openings
    from tests.conftest import RestChat

    openings = red_flag_openings(catalogue)
    cases = yaml.safe_load((HELDOUT.parent / "red_flags_fresh2.yml").read_text())["not_red_flags"]
    alarms = []
    for case in cases:
        first = " ".join(RestChat(server.url).say(case["text"]).split("\n\n")[0].split())
        if any(first.startswith(opening) for opening in openings):
            alarms.append(case["text"])
    assert len(alarms) <= MAX_NEAR_MISS_FALSE_ALARMS, alarms

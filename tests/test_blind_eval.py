"""The blind evaluation end to end over REST (bench/chat_eval.py): questions and conversations written
apart from the project, from the seed articles only, before any tuning (tests/data/eval/).

The floors below guard the figures measured on 2026-12-02 (README, BENCHMARKS.md); they are not the
targets (>= 95% right, red flags 100%, false red-flag replies <= 1% of ordinary questions), which
live in the bench beside the figures. Red flags are held at 100% on both parts. The final part's
failures are never printed: only its counts, so it stays unseen.
"""

from __future__ import annotations

import pytest

from bench.chat_eval import evaluate

pytestmark = pytest.mark.server

# Measured 2026-12-02 (second session): dev 237/252 (94.0%), final 137-138/170 (80.6-81.2%);
# conversations' turns dev 79/83 (95.2%), final 48/54 (88.9%); false red-flag replies dev 1/226,
# final 4/153.
FLOORS = {
    "dev": {"chat": 0.93, "turns": 0.94, "false_alarms": 1},
    "final": {"chat": 0.80, "turns": 0.88, "false_alarms": 4},
}


# The final part runs here; the dev part (the one tuned on) runs in `make bench` and with
# `python -m bench.chat_eval dev --failures`.
@pytest.fixture(scope="module", params=["final"])
def results(request, server):
    return request.param, evaluate(server.url, request.param)


def test_blind_questions_are_answered_right(results):
    split, (chat, turns) = results
    floors = FLOORS[split]
    shown = "\n".join(chat.failures[:20]) if split == "dev" else "(final part: not shown)"
    assert chat.rate >= floors["chat"], f"{chat.summary()}\n{shown}"
    assert turns.rate >= floors["turns"], turns.summary()


def test_every_red_flag_leads_with_seeking_care(results):
    split, (chat, turns) = results
    assert chat.red_flags and chat.red_flags_caught == chat.red_flags, chat.summary()
    assert turns.red_flags_caught == turns.red_flags, turns.summary()


def test_ordinary_questions_rarely_get_a_red_flag_reply(results):
    split, (chat, turns) = results
    assert chat.false_alarms <= FLOORS[split]["false_alarms"], chat.summary()
    assert turns.false_alarms == 0, turns.summary()

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

# Measured 2026-12-02 (third session), each floor one case below the figure (runs differ by about
# one case): final 142/170 (83.5%), conversations' turns 48/54 (88.9%), false red-flag replies 3/153;
# fresh-final (a second writer's set) 99/112 (88.4%), 2/103; fresh2-final (a third, harder set)
# 90/102 (88.2%), 1/95.
FLOORS = {
    "dev": {"chat": 0.95, "turns": 0.97, "false_alarms": 1},
    "final": {"chat": 0.82, "turns": 0.87, "false_alarms": 3},
    "fresh-final": {"chat": 0.87, "false_alarms": 2},
    "fresh2-final": {"chat": 0.87, "false_alarms": 1},
}


# The final parts run here; the dev parts (the ones tuned on) run in `make bench` and with
# `python -m bench.chat_eval dev --failures`.
@pytest.fixture(scope="module", params=["final", "fresh-final", "fresh2-final"])
def results(request, server):
    found = evaluate(server.url, request.param)
    return request.param, found[0], (found[1] if len(found) > 1 else None)


def test_blind_questions_are_answered_right(results):
    split, chat, turns = results
    floors = FLOORS[split]
    shown = "\n".join(chat.failures[:20]) if split == "dev" else "(final part: not shown)"
    assert chat.rate >= floors["chat"], f"{chat.summary()}\n{shown}"
    if turns is not None:
        assert turns.rate >= floors["turns"], turns.summary()


def test_every_red_flag_leads_with_seeking_care(results):
    split, chat, turns = results
    assert chat.red_flags and chat.red_flags_caught == chat.red_flags, chat.summary()
    if turns is not None:
        assert turns.red_flags_caught == turns.red_flags, turns.summary()


def test_ordinary_questions_rarely_get_a_red_flag_reply(results):
    split, chat, turns = results
    assert chat.false_alarms <= FLOORS[split]["false_alarms"], chat.summary()
    if turns is not None:
        assert turns.false_alarms == 0, turns.summary()

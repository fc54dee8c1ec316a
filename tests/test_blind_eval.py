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

# Measured 2026-12-02 (fifth session, the code of its end), each floor one case below the count
# (runs differ by about one case), the false red-flag replies at the count: set 1 final 145/170,
# its conversations' turns 48/54, false 3/153; set 2 (fresh) 101/112, 1/103; set 3 (fresh2) 91/102,
# 0/95; set 4 (fresh3) 107/119, 1/112; set 5 (fresh4) 106/120, 1/112; set 6 (fresh5) 89/100, 0/93
# (92 the session before: it fell by 3 with changes chosen on the dev parts); set 7 (fresh6, first
# contact 89/112, false 6/104) 95/112, 4/104; set 8 (fresh7, first met by this session's code an
# hour before its end, first contact 70/92) 71/92, 5/84. Sixth session: set 9 (fresh8, first met by
# the code of its start, first contact 111/122, false 0/110) 111/122, 0/110; the others unchanged.
# 2026-12-03: set 10 (fresh9, first met by the code of the day's second session, first contact
# 116/128, false 3/118) 117/128, 3/118; the others unchanged. Third session: set 11 (fresh10,
# first met by the code of its start, first contact 115/122, false 0/112) 115/122, 0/112; set 1
# final 144/170 (its conversations 49/54), set 2 (fresh) 100/112, set 4 (fresh3) 106/119 and false
# 0/112, set 5 (fresh4) 107/120, set 7 (fresh6) 96/112, set 8 (fresh7) 73/92, set 10 (fresh9)
# 118/128; the others unchanged. Fourth session: set 12 (fresh11, first met by the code of its
# start, first contact 111/122, false 0/112) 111/122, 0/112; set 3 (fresh2) 92/102, set 5 (fresh4)
# 108/120, set 7 (fresh6) 97/112; the others unchanged. An hour later: set 13 (fresh12, first met
# by the code then, first contact 111/122, false 1/112) 112/122, 1/112; set 3 (fresh2) 93/102, set 4
# (fresh3) 107/119, set 9 (fresh8) 112/122, set 11 (fresh10) 116/122, set 1's conversations 48/54
# turns; the others unchanged.
FLOORS = {
    "final": {"right": 144, "turns": 47, "false_alarms": 3},
    "fresh-final": {"right": 99, "false_alarms": 1},
    "fresh2-final": {"right": 92, "false_alarms": 0},
    "fresh3-final": {"right": 106, "false_alarms": 0},
    "fresh4-final": {"right": 107, "false_alarms": 1},
    "fresh5-final": {"right": 88, "false_alarms": 0},
    "fresh6-final": {"right": 96, "false_alarms": 4},
    "fresh7-final": {"right": 70, "false_alarms": 5},
    "fresh8-final": {"right": 111, "false_alarms": 0},
    "fresh9-final": {"right": 116, "false_alarms": 3},
    "fresh10-final": {"right": 115, "false_alarms": 0},
    "fresh11-final": {"right": 110, "false_alarms": 0},
    "fresh12-final": {"right": 111, "false_alarms": 1},
}


# The final parts run here; the dev parts (the ones tuned on) run in `make bench` and with
# `python -m bench.chat_eval dev --failures`.
@pytest.fixture(scope="module", params=list(FLOORS))
def results(request, server):
    found = evaluate(server.url, request.param)
    return request.param, found[0], (found[1] if len(found) > 1 else None)


def test_blind_questions_are_answered_right(results):
    split, chat, turns = results
    floors = FLOORS[split]
    assert chat.passed >= floors["right"], f"{chat.summary()} (final part: failures not shown)"
    if turns is not None:
        assert turns.passed >= floors["turns"], turns.summary()


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

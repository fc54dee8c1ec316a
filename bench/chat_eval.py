"""The blind chat evaluation: questions and conversations written apart from the project (from the
seed articles only, before any tuning), each asked over REST in a fresh conversation and judged on
the whole reply.

    python -m bench.chat_eval dev [--failures]     # the part used for tuning (a regression check)
    python -m bench.chat_eval final                # the part never looked at: figures only
    python -m bench.chat_eval fresh-dev|fresh-final  # a second blind set, written a day later

A case passes when the reply is of the right kind (an answer, a routine started or only shown, the
out-of-scope note, a red-flag reply first) and carries the facts the case lists: each group of
alternatives must have one in the reply, and a stretch asked about must be named. A red-flag reply is
judged on the reply's first message; on any other case a red-flag first message is a false alarm.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

import requests
import yaml

from bot import settings
from bot.catalogue import Catalogue, default_catalogue

EVAL_DIR = settings.PROJECT_DIR / "tests" / "data" / "eval"
OUT_OF_SCOPE = "outside what I can help with"
STARTED = ("Stretch 1 of", "Let's do the")
ROUTINE_SHOWN = ("minutes", "routine")
BROKEN = "something went wrong on my side"
CONCURRENT = 4  # single questions asked at once (each in its own conversation)
# The parts: "dev"/"final" written on 2026-12-01 (with conversations), "fresh-dev"/"fresh-final"
# written on 2026-12-02 by a second writer (single questions), "fresh2-*" by a third (harder wording)
# and "fresh3-*", "fresh4-*" and "fresh5-*" by a fourth, a fifth and a sixth, the same day; each
# *-final part is only counted. Set 6 (fresh5) was first met by the code of the day's end; set 7
# (fresh6), by two more writers, by the code of the next session's start; set 8 (fresh7), by two
# more, by that session's code an hour later; set 9 (fresh8), by two more, by the code of the
# following session's start; set 10 (fresh9), by two more, by the code of 2026-12-03's second
# session's start; set 11 (fresh10), by two more, by the code of that day's third session's start;
# set 12 (fresh11), by two more, by the code of that day's fourth session's start; set 13
# (fresh12), by two more, by the code of that session an hour later; set 14 (fresh13), by two more,
# by the code of 2026-12-03's fifth session's start; set 15 (fresh14), by two more, by that session's
# code half an hour later; set 16 (fresh15), by two more, by that session's code an hour in; set 17
# (fresh16), by two more, by the code of 2026-12-03's sixth session's start; set 18 (fresh17), by
# two more, by that session's code 45 minutes in; set 19 (fresh18), by two more, by the code of
# 2026-12-04's session start; set 20 (fresh19), by two more, by that session's code 30 minutes in;
# set 21 (fresh20), by two more, by that session's code an hour in; set 22 (fresh21), by two more,
# by that session's code 75 minutes in; set 23 (fresh22), by two more, 95 minutes in; set 24
# (fresh23), by two more, 105 minutes in; set 25 (fresh24), by two more, by the code of that day's
# next session's start; set 26 (fresh25), by two more, by that session's code 25 minutes in;
# set 27 (fresh26), by two more, by that session's code an hour in; set 28 (fresh27), by two more,
# 90 minutes in; set 29 (fresh28), by two more, by the code of that day's next session's start;
# set 30 (fresh29), by two more, by that session's code 40 minutes in; set 31 (fresh30), by two
# more, 70 minutes in; sets 32 and 33 (fresh31, fresh32), by four more, by the code of the next
# session's start (2026-12-05); sets 34 and 35 (fresh33, fresh34), by four more, an hour in; sets 36
# and 37 (fresh35, fresh36), by four more, by the code of that day's next session's start (182c398);
# sets 38 and 39 (fresh37, fresh38), by four more, by that session's code 50 minutes in (509210d);
# sets 40 and 41 (fresh39, fresh40), by four more, 75 minutes in (46df27f); sets 42 and 43
# (fresh41, fresh42), by four more, by the code of that day's next session's start (360d546, the
# behaviour of bfde31a); sets 44 and 45 (fresh43, fresh44), by four more, 35 minutes in (3ad3cfa);
# sets 46 and 47 (fresh45, fresh46), by four more, 70 minutes in (46fa876); sets 48 to 51 (fresh47
# to fresh50), by eight more, by the code of that day's next session's start (0f8db04); sets 52 and
# 53 (fresh51, fresh52), by four more, 25 minutes in (a3315cb); sets 54 and 55 (fresh53, fresh54),
# by four more, 40 minutes in (7f4bdab); set 56 (fresh55), by two more, 75 minutes in (1bf09b1);
# set 57 (fresh56), by two more, by the code of that day's last session's start (3f1feb5); sets 58
# and 59 (fresh57, fresh58), by four more, 35 minutes in (4acab40); set 60 (fresh59), by two more,
# 75 minutes in (e09ec6f); sets 61 and 62 (fresh60, fresh61), by four more, on 2026-12-06 five
# minutes in (ea67470); set 63 (fresh62), by two more, 65 minutes in (5ac76f4); set 64 (fresh63), by
# two more, 100 minutes in (45c9091, the product code of adf13f6); set 65 (fresh64), by two more, on
# 2026-12-06's third session 20 minutes in (d8601d7); set 66 (fresh65), by two more, at the start
# of that day's fourth session (a227571); set 67 (fresh66), by two more, 50 minutes into the fifth
# (5a0d9be, with the learned warning-sign model); set 68 (fresh67), by two more, an hour into the
# sixth (9aa3b38, with the writers' corpus and the all-clear rule); set 69 (fresh68), by two more,
# on 2026-12-07 an hour in (d8e8b13, with red-flag set 7's dev part learned from); set 70
# (fresh69), by two more, at that day's second session's start (bae1a95); set 71 (fresh70), by two
# more, 30 minutes into that day's third session (with red-flag set 9's dev part learned from); set
# 72 (fresh71), by two more, at the start of that day's fifth session (8c00c23); set 73 (fresh72),
# by two more, with 50 multi-turn conversations by two more, 50 minutes into it (dcfd8fd); set 74
# (fresh73), by two more, with 50 conversations by two more, at the start of that day's sixth
# session (9483b30); set 75 (fresh74), by two more, with 50 conversations by the same two, at the
# start of that day's eighth session (a0cbbca, the product code of 5f0eb0b).
SPLITS = (
    "dev", "final", "fresh-dev", "fresh-final", "fresh2-dev", "fresh2-final", "fresh3-dev", "fresh3-final",
    "fresh4-dev", "fresh4-final", "fresh5-dev", "fresh5-final", "fresh6-dev", "fresh6-final",
    "fresh7-dev", "fresh7-final", "fresh8-dev", "fresh8-final", "fresh9-dev", "fresh9-final", "fresh10-dev", "fresh10-final",
    "fresh11-dev", "fresh11-final", "fresh12-dev", "fresh12-final", "fresh13-dev", "fresh13-final",
    "fresh14-dev", "fresh14-final", "fresh15-dev", "fresh15-final", "fresh16-dev", "fresh16-final",
    "fresh17-dev", "fresh17-final", "fresh18-dev", "fresh18-final", "fresh19-dev",
    "fresh19-final", "fresh20-dev", "fresh20-final", "fresh21-dev", "fresh21-final",
    "fresh22-dev", "fresh22-final", "fresh23-dev", "fresh23-final", "fresh24-dev", "fresh24-final",
    "fresh25-dev", "fresh25-final", "fresh26-dev", "fresh26-final", "fresh27-dev", "fresh27-final",
    "fresh28-dev", "fresh28-final", "fresh29-dev", "fresh29-final",
    "fresh30-dev", "fresh30-final", "fresh31-dev", "fresh31-final", "fresh32-dev", "fresh32-final",
    "fresh33-dev", "fresh33-final", "fresh34-dev", "fresh34-final",
    "fresh35-dev", "fresh35-final", "fresh36-dev", "fresh36-final",
    "fresh37-dev", "fresh37-final", "fresh38-dev", "fresh38-final",
    "fresh39-dev", "fresh39-final", "fresh40-dev", "fresh40-final",
    "fresh41-dev", "fresh41-final", "fresh42-dev", "fresh42-final",
    "fresh43-dev", "fresh43-final", "fresh44-dev", "fresh44-final",
    "fresh45-dev", "fresh45-final", "fresh46-dev", "fresh46-final",
    "fresh47-dev", "fresh47-final", "fresh48-dev", "fresh48-final",
    "fresh49-dev", "fresh49-final", "fresh50-dev", "fresh50-final",
    "fresh51-dev", "fresh51-final", "fresh52-dev", "fresh52-final",
    "fresh53-dev", "fresh53-final", "fresh54-dev", "fresh54-final",
    "fresh55-dev", "fresh55-final", "fresh56-dev", "fresh56-final",
    "fresh57-dev", "fresh57-final", "fresh58-dev", "fresh58-final",
    "fresh59-dev", "fresh59-final", "fresh60-dev", "fresh60-final",
    "fresh61-dev", "fresh61-final", "fresh62-dev", "fresh62-final",
    "fresh63-dev", "fresh63-final", "fresh64-dev", "fresh64-final",
    "fresh65-dev", "fresh65-final", "fresh66-dev", "fresh66-final",
    "fresh67-dev", "fresh67-final",
    "fresh68-dev", "fresh68-final",
    "fresh69-dev", "fresh69-final",
    "fresh70-dev", "fresh70-final",
    "fresh71-dev", "fresh71-final",
    "fresh72-dev", "fresh72-final",
    "fresh73-dev", "fresh73-final",
    "fresh74-dev", "fresh74-final",
    # the blind red-flag set 3: warning signs and hard near misses only (its "right" counts a near
    # miss answered without a red-flag reply and not refused)
    "redflags3-dev", "redflags3-final",
    # the blind red-flag set 4 (2026-12-06): 120 hard warning signs over the articles' ten, 120
    # near misses worded as close to them as its two writers could
    "redflags4-dev", "redflags4-final",
    # the blind red-flag set 5 (2026-12-06, fifth session): the same brief, other voices
    "redflags5-dev", "redflags5-final",
    # the blind red-flag set 6 (2026-12-06, sixth session): the same brief, other voices
    "redflags6-dev", "redflags6-final",
    # the blind red-flag set 7 (2026-12-07): the same brief, other voices
    "redflags7-dev", "redflags7-final",
    # the blind red-flag set 8 (2026-12-07, second session): the same brief, other voices
    "redflags8-dev", "redflags8-final",
    # the blind red-flag set 9 (2026-12-07, third session): the same brief, other voices
    "redflags9-dev", "redflags9-final",
    # the blind red-flag set 10 (2026-12-07, third session): the same brief, other voices
    "redflags10-dev", "redflags10-final",
    # the blind red-flag set 11 (2026-12-07, fourth session): the same brief, other voices
    "redflags11-dev", "redflags11-final",
    # the blind red-flag set 12 (2026-12-07, fifth session): the same brief, other voices
    "redflags12-dev", "redflags12-final",
    # the blind red-flag set 13 (2026-12-07, fifth session): the same brief, other voices
    "redflags13-dev", "redflags13-final",
    # the blind red-flag set 14 (2026-12-07, sixth session): the same brief, other voices
    "redflags14-dev", "redflags14-final",
    # the blind red-flag set 15 (2026-12-07, eighth session): the same brief, other voices
    "redflags15-dev", "redflags15-final",
)  # fmt: skip


def load(name: str) -> List[Dict]:
    data = yaml.safe_load((EVAL_DIR / f"{name}.yml").read_text())
    return next(iter(data.values()))


def red_flag_openings(catalogue: Catalogue) -> List[str]:
    safety = catalogue.safety
    texts = [safety.levels["emergency"], safety.levels["urgent"], safety.caution]
    return [" ".join(t.split())[:60] for t in texts]


@dataclass
class Verdict:
    ok: bool
    why: str = ""
    false_alarm: bool = False


def started_routine(whole: str) -> bool:
    return any(mark in whole for mark in STARTED) and "Stretch 1 of" in whole


def judge(case: Dict, messages: Sequence[str], catalogue: Catalogue) -> Verdict:
    kind = case.get("kind", "")
    first = " ".join((messages[0] if messages else "").split())
    whole = " ".join(" ".join(messages).split())
    lowered = whole.lower()
    alarm = any(first.startswith(opening) for opening in red_flag_openings(catalogue))
    if kind == "red_flag":
        return Verdict(alarm, "" if alarm else "no red-flag reply first")
    if alarm:
        return Verdict(False, "false red-flag reply", false_alarm=True)
    if not messages or BROKEN in lowered:
        return Verdict(False, "no answer")
    if kind == "out_of_scope":
        ok = OUT_OF_SCOPE.lower() in lowered
        return Verdict(ok, "" if ok else "not refused as out of scope")
    if OUT_OF_SCOPE.lower() in lowered and kind != "social":
        return Verdict(False, "answered as out of scope")
    started = started_routine(whole)
    if kind == "routine_start" and not started:
        return Verdict(False, "routine not started")
    if kind == "routine_show" and started:
        return Verdict(False, "routine started on a question about it")
    stretches = case.get("stretch") or []
    if isinstance(stretches, str):
        stretches = [stretches]
    for stretch_id in stretches:
        stretch = catalogue.stretches.get(stretch_id)
        names = [stretch.name.lower()] if stretch else [stretch_id.replace("_", " ")]
        if not any(n in lowered for n in names):
            return Verdict(False, f"{stretch_id} not named")
    for group in case.get("facts") or []:
        if not any(str(alt).lower() in lowered for alt in group):
            return Verdict(False, f"missing any of {group}")
    return Verdict(True)


class RestBot:
    def __init__(self, url: str):
        self.url = f"{url.rstrip('/')}/webhooks/rest/webhook"

    def conversation(self) -> RestConversation:
        return RestConversation(self.url)


class RestConversation:
    def __init__(self, url: str):
        self.url, self.sender = url, f"eval-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> List[str]:
        response = requests.post(
            self.url, json={"sender": self.sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return [m["text"] for m in response.json() if m.get("text")]


@dataclass
class Result:
    name: str
    passed: int = 0
    total: int = 0
    red_flags: int = 0
    red_flags_caught: int = 0
    ordinary: int = 0
    false_alarms: int = 0
    failures: List[str] = field(default_factory=list)
    by_kind: Dict[str, List[int]] = field(default_factory=dict)

    def add(self, case: Dict, verdict: Verdict, messages: Sequence[str]) -> None:
        kind = case.get("kind", "")
        self.total += 1
        self.passed += verdict.ok
        counts = self.by_kind.setdefault(kind, [0, 0])
        counts[0] += verdict.ok
        counts[1] += 1
        if kind == "red_flag":
            self.red_flags += 1
            self.red_flags_caught += verdict.ok
        else:
            self.ordinary += 1
            self.false_alarms += verdict.false_alarm
        if not verdict.ok:
            said = " | ".join(m.replace("\n", " ")[:160] for m in messages)[:400]
            self.failures.append(
                f"{case.get('id')} [{kind}] {case['text']!r}: {verdict.why}\n    -> {said}"
            )

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def figures(self) -> Dict:
        return {
            "name": self.name,
            "passed": self.passed,
            "total": self.total,
            "red_flags": [self.red_flags_caught, self.red_flags],
            "false_alarms": [self.false_alarms, self.ordinary],
        }

    def summary(self) -> str:
        line = f"{self.name}: {self.passed}/{self.total} right ({100 * self.rate:.1f}%)"
        if self.red_flags:
            line += f", red flags {self.red_flags_caught}/{self.red_flags}"
        if self.ordinary:
            line += f", false red-flag replies {self.false_alarms}/{self.ordinary}"
        return line


def ask(bot, text: str) -> List[str]:
    """One question in a fresh conversation. A routine it started is stopped afterwards, as a user
    done with it would: left running, the hundreds a run starts would each be woken at every cue
    (Rasa reminders), and that load slows every later question (three to five times, at the test
    servers' twenty-fold routine speed)."""
    chat = bot.conversation()
    messages = chat.say(text)
    if started_routine(" ".join(messages)):
        chat.say("stop")
    return messages


def run_single(bot, cases: List[Dict], catalogue: Catalogue, name: str) -> Result:
    """Each case in a fresh conversation of its own; a few asked at once (as several users would),
    judged in order."""
    result = Result(name)
    with ThreadPoolExecutor(CONCURRENT) as pool:
        replies = pool.map(lambda case: ask(bot, case["text"]), cases)
        for case, messages in zip(cases, replies, strict=True):
            result.add(case, judge(case, messages, catalogue), messages)
    return result


def run_conversations(bot, conversations: List[Dict], catalogue: Catalogue, name: str) -> Result:
    """Every turn is judged; a conversation passes when all its turns do."""
    turns, whole = Result(f"{name} (turns)"), Result(f"{name} (conversations)")
    for conversation in conversations:
        chat = bot.conversation()
        ok = True
        for turn in conversation["turns"]:
            messages = chat.say(turn["text"])
            verdict = judge(turn, messages, catalogue)
            turns.add({**turn, "id": conversation["id"]}, verdict, messages)
            ok = ok and verdict.ok
            time.sleep(0.05)
        chat.say("stop")  # a routine the conversation left running is stopped (see `ask`)
        whole.add(
            {"id": conversation["id"], "text": conversation["turns"][0]["text"]},
            Verdict(ok, "a turn failed"),
            [],
        )
    turns.name = f"{turns.name}; {whole.passed}/{whole.total} whole conversations"
    return turns


def evaluate(url: str, split: str, catalogue: Catalogue | None = None) -> List[Result]:
    catalogue = catalogue or default_catalogue()
    bot = RestBot(url)
    results = [run_single(bot, load(f"chat_{split}"), catalogue, f"chat {split}")]
    if (EVAL_DIR / f"conversations_{split}.yml").is_file():
        results.append(
            run_conversations(
                bot, load(f"conversations_{split}"), catalogue, f"conversations {split}"
            )
        )
    return results


# What each part gave the first time the bot met it, before any tuning on that set (right; red
# flags; false red-flag replies). Set 4's final part had 120 cases then: its one missed red flag was
# looked at to fix it and moved to the dev part.
FIRST_CONTACT = {
    "chat dev": "173/252 (68.7%); false 10/226 (2026-12-01)",
    "conversations dev (turns)": "59/83 (71.1%); 11/29 whole",
    "chat final": "113/170 (66.5%); 17/17; false 12/153",
    "conversations final (turns)": "38/54 (70.4%); 8/19 whole",
    "chat fresh-dev": "99/108 (91.7%); false 1/99",
    "chat fresh-final": "96/112 (85.7%); 9/9; false 2/103",
    "chat fresh2-dev": "83/98 (84.7%); 6/7; false 1/91",
    "chat fresh2-final": "90/102 (88.2%); 7/7; false 1/95",
    "chat fresh3-dev": "100/120 (83.3%); 8/8; false 2/112",
    "chat fresh3-final": "102/120 (85.0%); 7/8; false 2/112",
    "chat fresh4-dev": "105/120 (87.5%); 8/8; false 3/112",
    "chat fresh4-final": "100/120 (83.3%); 8/8; false 1/112",
    "chat fresh5-dev": "89/100 (89.0%); 7/7; false 2/93",
    "chat fresh5-final": "92/100 (92.0%); 7/7; false 1/93",
    "chat fresh6-dev": "107/128 (83.6%); 10/10; false 6/118",
    "chat fresh6-final": "89/112 (79.5%); 8/8; false 6/104",
    "chat fresh7-dev": "92/108 (85.2%); 8/8; false 4/100",
    "chat fresh7-final": "70/92 (76.1%); 8/8; false 5/84",
    "chat fresh8-dev": "128/138 (92.8%); 11/12; false 2/126",
    "chat fresh8-final": "111/122 (91.0%); 12/12; false 0/110",
    "chat fresh9-dev": "124/132 (93.9%); 10/10; false 0/122",
    "chat fresh9-final": "116/128 (90.6%); 10/10; false 3/118",
    "chat fresh10-dev": "128/138 (92.8%); 10/10; false 3/128 (2026-12-03)",
    "chat fresh10-final": "115/122 (94.3%); 10/10; false 0/112",
    "chat fresh11-dev": "132/138 (95.7%); 10/10; false 0/128 (2026-12-03, fourth session)",
    "chat fresh11-final": "111/122 (91.0%); 10/10; false 0/112",
    "chat fresh12-dev": "124/138 (89.9%); 9/10; false 5/128 (2026-12-03, fourth session, an hour in)",
    "chat fresh12-final": "111/122 (91.0%); 10/10; false 1/112",
    "chat fresh13-dev": "122/138 (88.4%); 10/10; false 0/128 (2026-12-03, fifth session)",
    "chat fresh13-final": "112/122 (91.8%); 10/10; false 1/112",
    "chat fresh14-dev": "132/138 (95.7%); 8/10; false 0/128 (2026-12-03, fifth session, 40 minutes in)",
    "chat fresh14-final": "113/122 (92.6%); 9/10; false 1/112",
    "chat fresh15-dev": "123/138 (89.1%); 10/10; false 6/128 (2026-12-03, fifth session, 70 minutes in)",
    "chat fresh15-final": "115/122 (94.3%); 10/10; false 1/112",
    "chat fresh16-dev": "125/138 (90.6%); 10/10; false 2/128 (2026-12-03, sixth session)",
    "chat fresh16-final": "113/122 (92.6%); 10/10; false 4/112",
    "chat fresh17-dev": "128/138 (92.8%); 10/10; false 1/128 (2026-12-03, sixth session, 45 minutes in)",
    "chat fresh17-final": "111/122 (91.0%); 9/10; false 4/112",
    "chat fresh18-dev": "128/140 (91.4%); 10/10; false 0/130 (2026-12-04, session start)",
    "chat fresh18-final": "114/120 (95.0%); 10/10; false 0/110",
    "chat fresh19-dev": "132/140 (94.3%); 9/10; false 0/130 (2026-12-04, 30 minutes in)",
    "chat fresh19-final": "107/120 (89.2%); 9/10; false 1/110",
    "chat fresh20-dev": "127/140 (90.7%); 10/10; false 1/130 (2026-12-04, an hour in)",
    "chat fresh20-final": "106/120 (88.3%); 10/10; false 1/110",
    "chat fresh21-dev": "132/140 (94.3%); 10/10; false 2/130 (2026-12-04, 75 minutes in)",
    "chat fresh21-final": "108/120 (90.0%); 10/10; false 1/110",
    "chat fresh22-dev": "132/140 (94.3%); 9/10; false 0/130 (2026-12-04, 95 minutes in)",
    "chat fresh22-final": "113/120 (94.2%); 10/10; false 1/110",
    "chat fresh23-dev": "133/140 (95.0%); 9/10; false 0/130 (2026-12-04, 105 minutes in)",
    "chat fresh23-final": "111/120 (92.5%); 10/10; false 1/110",
    "chat fresh24-dev": "133/140 (95.0%); 10/10; false 1/130 (2026-12-04, next session's start)",
    "chat fresh24-final": "111/120 (92.5%); 10/10; false 0/110",
    "chat fresh25-dev": "133/140 (95.0%); 10/10; false 1/130 (2026-12-04, 25 minutes in)",
    "chat fresh25-final": "112/120 (93.3%); 10/10; false 0/110",
    "chat fresh26-dev": "130/140 (92.9%); 10/10; false 1/130 (2026-12-04, an hour in)",
    "chat fresh26-final": "105/120 (87.5%); 10/10; false 0/110",
    "chat fresh27-dev": "130/140 (92.9%); 10/10; false 2/130 (2026-12-04, 90 minutes in)",
    "chat fresh27-final": "115/120 (95.8%); 10/10; false 0/110",
    "chat fresh28-dev": "132/140 (94.3%); 9/10; false 0/130 (2026-12-04, the next session's start)",
    "chat fresh28-final": "103/120 (85.8%); 10/10; false 3/110",
    "chat fresh29-dev": "130/140 (92.9%); 10/10; false 0/130 (2026-12-04, 40 minutes in)",
    "chat fresh29-final": "109/120 (90.8%); 9/10; false 1/110",
    "chat fresh30-dev": "127/140 (90.7%); 10/10; false 0/130 (2026-12-04, 70 minutes in)",
    "chat fresh30-final": "110/120 (91.7%); 9/10; false 1/110",
    "chat fresh31-dev": "132/140 (94.3%); 10/10; false 1/130 (2026-12-05, session start, 125090f)",
    "chat fresh31-final": "111/120 (92.5%); 9/10; false 0/110",
    "chat fresh32-dev": "135/139 (97.1%); 10/10; false 0/129 (2026-12-05, session start, 125090f)",
    "chat fresh32-final": "115/121 (95.0%); 10/10; false 0/111",
    "chat fresh33-dev": "131/140 (93.6%); 10/10; false 0/130 (2026-12-05, an hour in, d85b5d0)",
    "chat fresh33-final": "114/120 (95.0%); 10/10; false 0/110",
    "chat fresh34-dev": "130/140 (92.9%); 10/10; false 0/130 (2026-12-05, an hour in, d85b5d0)",
    "chat fresh34-final": "111/120 (92.5%); 10/10; false 2/110",
    "chat fresh35-dev": "132/140 (94.3%); 10/10; false 2/130 (2026-12-05, next session's start, 182c398)",
    "chat fresh35-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh36-dev": "135/140 (96.4%); 9/10; false 0/130 (2026-12-05, next session's start, 182c398)",
    "chat fresh36-final": "113/120 (94.2%); 9/10; false 0/110",
    "chat fresh37-dev": "130/140 (92.9%); 9/10; false 0/130 (2026-12-05, 50 minutes in, 509210d)",
    "chat fresh37-final": "111/120 (92.5%); 10/10; false 0/110",
    "chat fresh38-dev": "131/140 (93.6%); 10/10; false 4/130 (2026-12-05, 50 minutes in, 509210d)",
    "chat fresh38-final": "111/120 (92.5%); 10/10; false 1/110",
    "chat fresh39-dev": "134/140 (95.7%); 9/10; false 1/130 (2026-12-05, 75 minutes in, 46df27f)",
    "chat fresh39-final": "114/122 (93.4%); 10/10; false 0/112",
    "chat fresh40-dev": "136/140 (97.1%); 10/10; false 0/130 (2026-12-05, 75 minutes in, 46df27f)",
    "chat fresh40-final": "114/120 (95.0%); 10/10; false 0/110",
    "chat fresh41-dev": "134/140 (95.7%); 10/10; false 0/130 (2026-12-05, next session's start, 360d546)",
    "chat fresh41-final": "110/120 (91.7%); 10/10; false 0/110",
    "chat fresh42-dev": "130/140 (92.9%); 10/10; false 1/130 (2026-12-05, next session's start, 360d546)",
    "chat fresh42-final": "115/122 (94.3%); 10/10; false 1/112",
    "chat fresh43-dev": "121/140 (86.4%); 10/10; false 0/130 (2026-12-05, 35 minutes in, 3ad3cfa)",
    "chat fresh43-final": "111/120 (92.5%); 10/10; false 1/110",
    "chat fresh44-dev": "137/140 (97.9%); 10/10; false 1/130 (2026-12-05, 35 minutes in, 3ad3cfa)",
    "chat fresh44-final": "114/120 (95.0%); 10/10; false 0/110",
    "chat fresh45-dev": "135/140 (96.4%); 10/10; false 0/130 (2026-12-05, 70 minutes in, 46fa876)",
    "chat fresh45-final": "115/120 (95.8%); 10/10; false 1/110",
    "chat fresh46-dev": "133/140 (95.0%); 10/10; false 0/130 (2026-12-05, 70 minutes in, 46fa876)",
    "chat fresh46-final": "108/120 (90.0%); 10/10; false 0/110",
    "chat fresh47-dev": "130/140 (92.9%); 10/10; false 0/130 (2026-12-05, next session's start, 0f8db04)",
    "chat fresh47-final": "107/120 (89.2%); 10/10; false 0/110",
    "chat fresh48-dev": "130/140 (92.9%); 10/10; false 1/130 (2026-12-05, next session's start, 0f8db04)",
    "chat fresh48-final": "114/120 (95.0%); 10/10; false 0/110",
    "chat fresh49-dev": "134/140 (95.7%); 9/10; false 1/130 (2026-12-05, next session's start, 0f8db04)",
    "chat fresh49-final": "113/120 (94.2%); 10/10; false 1/110",
    "chat fresh50-dev": "138/140 (98.6%); 10/10; false 1/130 (2026-12-05, next session's start, 0f8db04)",
    "chat fresh50-final": "115/120 (95.8%); 10/10; false 0/110",
    "chat fresh51-dev": "125/140 (89.3%); 9/10; false 2/130 (2026-12-05, 25 minutes in, a3315cb)",
    "chat fresh51-final": "115/120 (95.8%); 10/10; false 0/110",
    "chat fresh52-dev": "128/140 (91.4%); 10/10; false 0/130 (2026-12-05, 25 minutes in, a3315cb)",
    "chat fresh52-final": "109/120 (90.8%); 10/10; false 0/110",
    "chat fresh53-dev": "132/140 (94.3%); 9/10; false 0/130 (2026-12-05, 40 minutes in, 7f4bdab)",
    "chat fresh53-final": "112/120 (93.3%); 10/10; false 1/110",
    "chat fresh54-dev": "135/140 (96.4%); 10/10; false 0/130 (2026-12-05, 40 minutes in, 7f4bdab)",
    "chat fresh54-final": "116/120 (96.7%); 10/10; false 0/110",
    "chat fresh55-dev": "119/140 (85.0%); 10/10; false 10/130 (2026-12-05, 75 minutes in, 1bf09b1)",
    "chat fresh55-final": "104/120 (86.7%); 10/10; false 6/110",
    "chat fresh56-dev": "136/140 (97.1%); 10/10; false 0/130 (2026-12-05, last session's start, 3f1feb5)",
    "chat fresh56-final": "113/120 (94.2%); 10/10; false 0/110",
    "chat fresh57-dev": "130/140 (92.9%); 9/10; false 2/130 (2026-12-05, 35 minutes in, 4acab40)",
    "chat fresh57-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh58-dev": "138/140 (98.6%); 10/10; false 1/130 (2026-12-05, 35 minutes in, 4acab40)",
    "chat fresh58-final": "113/120 (94.2%); 10/10; false 1/110",
    "chat fresh59-dev": "122/140 (87.1%); 10/10; false 1/130 (2026-12-05, 75 minutes in, e09ec6f)",
    "chat fresh59-final": "113/120 (94.2%); 10/10; false 1/110",
    "chat fresh60-dev": "124/140 (88.6%); 10/10; false 5/130 (2026-12-06, five minutes in, ea67470)",
    "chat fresh60-final": "111/120 (92.5%); 9/10; false 4/110",
    "chat fresh61-dev": "137/140 (97.9%); 10/10; false 0/130 (2026-12-06, five minutes in, ea67470)",
    "chat fresh61-final": "115/120 (95.8%); 10/10; false 0/110",
    "chat fresh62-dev": "131/140 (93.6%); 10/10; false 2/130 (2026-12-06, 65 minutes in, 5ac76f4)",
    "chat fresh62-final": "118/120 (98.3%); 10/10; false 1/110",
    "chat fresh63-dev": "135/140 (96.4%); 10/10; false 3/130 (2026-12-06, 100 minutes in, 45c9091)",
    "chat fresh63-final": "114/120 (95.0%); 10/10; false 2/110",
    "chat fresh64-dev": "133/140 (95.0%); 10/10; false 1/130 (2026-12-06, third session, d8601d7)",
    "chat fresh64-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh65-dev": "133/140 (95.0%); 10/10; false 0/130 (2026-12-06, fourth session, a227571)",
    "chat fresh65-final": "116/120 (96.7%); 10/10; false 0/110",
    "chat fresh66-dev": "136/140 (97.1%); 10/10; false 1/130 (2026-12-06, fifth session, 5a0d9be)",
    "chat fresh66-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh67-dev": "131/140 (93.6%); 10/10; false 0/130 (2026-12-06, sixth session, 9aa3b38)",
    "chat fresh67-final": "117/120 (97.5%); 9/10; false 0/110",
    "chat fresh68-dev": "133/140 (95.0%); 10/10; false 1/130 (2026-12-07, d8e8b13)",
    "chat fresh68-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh69-dev": "130/140 (92.9%); 10/10; false 2/130 (2026-12-07, second session, bae1a95)",
    "chat fresh69-final": "117/120 (97.5%); 10/10; false 0/110",
    "chat fresh70-dev": "134/140 (95.7%); 10/10; false 0/130 (2026-12-07, third session, 38e0d16)",
    "chat fresh70-final": "115/120 (95.8%); 10/10; false 1/110",
    "chat fresh71-dev": "129/140 (92.1%); 10/10; false 1/130 (2026-12-07, fifth session, 8c00c23)",
    "chat fresh71-final": "110/120 (91.7%); 10/10; false 1/110",
    "chat fresh72-dev": "135/140 (96.4%); 10/10; false 2/130 (2026-12-07, fifth session, dcfd8fd)",
    "chat fresh72-final": "116/120 (96.7%); 10/10; false 0/110",
    "conversations fresh72-dev (turns)": "79/104 (76.0%); 15/26 whole",
    "conversations fresh72-final (turns)": "84/96 (87.5%); 14/24 whole",
    "chat fresh73-dev": "136/140 (97.1%); 10/10; false 0/130 (2026-12-07, sixth session, 9483b30)",
    "chat fresh73-final": "116/120 (96.7%); 10/10; false 0/110",
    "conversations fresh73-dev (turns)": "88/105 (83.8%); 13/26 whole",
    "conversations fresh73-final (turns)": "84/96 (87.5%); 15/24 whole",
    "chat fresh74-dev": "122/128 (95.3%); 10/10; false 1/118 (2026-12-07, eighth session, a0cbbca)",
    "chat fresh74-final": "125/132 (94.7%); 10/10; false 0/122",
    "conversations fresh74-dev (turns)": "92/100 (92.0%); 19/26 whole",
    "conversations fresh74-final (turns)": "85/95 (89.5%); 15/24 whole",
    "chat redflags3-dev": "98/115 (85.2%); 45/55; false 7/60 (2026-12-04, 80 minutes in)",
    "chat redflags3-final": "92/115 (80.0%); 43/55; false 11/60",
    "chat redflags4-dev": "93/120 (77.5%); 53/60; false 20/60 (2026-12-06, fourth session, 5886a4e)",
    "chat redflags4-final": "92/120 (76.7%); 52/60; false 20/60",
    "chat redflags5-dev": "90/120 (75.0%); 57/60; false 27/60 (2026-12-06, fifth session, 6fce26e)",
    "chat redflags5-final": "99/120 (82.5%); 56/60; false 17/60",
    "chat redflags6-dev": "102/120 (85.0%); 59/60; false 17/60 (2026-12-06, sixth session, 804298c)",
    "chat redflags6-final": "92/120 (76.7%); 54/60; false 21/60",
    "chat redflags7-dev": "96/120 (80.0%); 51/60; false 14/60 (2026-12-07, 174850e)",
    "chat redflags7-final": "101/120 (84.2%); 55/60; false 14/60",
    "chat redflags8-dev": "91/120 (75.8%); 55/60; false 24/60 (2026-12-07, second session, bae1a95)",
    "chat redflags8-final": "86/120 (71.7%); 51/60; false 25/60",
    "chat redflags9-dev": "109/120 (90.8%); 53/60; false 3/60 (2026-12-07, third session, e255d61)",
    "chat redflags9-final": "99/120 (82.5%); 55/60; false 15/60",
    "chat redflags10-dev": "101/120 (84.2%); 59/60; false 18/60 (2026-12-07, third session, dd90c14)",
    "chat redflags10-final": "100/120 (83.3%); 57/60; false 17/60",
    "chat redflags11-dev": "107/120 (89.2%); 58/60; false 11/60 (2026-12-07, fourth session, 86a89b3)",
    "chat redflags11-final": "105/120 (87.5%); 58/60; false 13/60",
    "chat redflags12-dev": "103/120 (85.8%); 59/60; false 16/60 (2026-12-07, fifth session, 8c00c23)",
    "chat redflags12-final": "113/120 (94.2%); 60/60; false 6/60",
    "chat redflags13-dev": "108/120 (90.0%); 60/60; false 11/60 (2026-12-07, fifth session, dcfd8fd)",
    "chat redflags13-final": "109/120 (90.8%); 60/60; false 10/60",
    "chat redflags14-dev": "104/120 (86.7%); 59/60; false 15/60 (2026-12-07, sixth session, 9483b30)",
    "chat redflags14-final": "102/120 (85.0%); 57/60; false 15/60",
    "chat redflags15-dev": "112/120 (93.3%); 60/60; false 8/60 (2026-12-07, eighth session, a0cbbca)",
    "chat redflags15-final": "113/120 (94.2%); 60/60; false 7/60",
}


def markdown(blind: Dict[str, List[Dict]]) -> str:
    """The BENCHMARKS.md section (make bench)."""
    lines = [
        "## Blind chat evaluation (tests/data/eval/, written apart from the project before tuning)",
        "",
        "Targets: at least 95% right (goal 98%), red flags 100%, false red-flag replies at most 1%.",
        "The dev part was used for tuning (a regression check); the final part was never looked at.",
        "",
        "| part | first contact | right | red flags | false red-flag replies |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for results in blind.values():
        for r in results:
            rate = 100 * r["passed"] / r["total"] if r["total"] else 0.0
            first = FIRST_CONTACT.get(r["name"].split(";")[0], "")
            lines.append(
                f"| {r['name']} | {first} | {r['passed']}/{r['total']} ({rate:.1f}%) | "
                f"{r['red_flags'][0]}/{r['red_flags'][1]} | "
                f"{r['false_alarms'][0]}/{r['false_alarms'][1]} |"
            )
    lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", choices=SPLITS)
    parser.add_argument("--url", help="a running Stretchbot (default: start one)")
    parser.add_argument("--failures", action="store_true", help="list failures (dev only)")
    parser.add_argument(
        "--by-kind", action="store_true", help="counts per kind of question (any part)"
    )
    args = parser.parse_args(argv)
    if args.failures and args.split.endswith("final"):
        print("The final part is never looked at: only its figures are shown.", file=sys.stderr)
        return 2
    if args.url:
        results = evaluate(args.url, args.split)
    else:
        from runner.servers import Servers, free_port

        with Servers(
            rasa_port=free_port(),
            actions_port=free_port(),
            tracker_db=Path(settings.PROJECT_DIR / "var" / "eval_tracker.db"),
        ) as servers:
            results = evaluate(servers.url, args.split)
    for result in results:
        if args.failures:
            print("\n".join(result.failures))
        print(result.summary())
        if args.split.endswith("dev") or args.by_kind:
            print(
                "  by kind: "
                + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(result.by_kind.items()))
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One routine controller for every driver: what a command, pain or a warning sign does to a running
routine. Chat (`bot/coach.py`, through the action server) and voice (`voice/loop.py`) both call it, so
a rule written here holds everywhere: pain or a red flag stops the routine, "ready" during the set-up
starts the hold, "where am I?" and "redo" mean the same thing in each driver.

The controller holds no state of its own: it acts on the `RoutineEngine` it is handed, at the clock
time it is given, and returns what to say and when the engine next needs a tick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List

from bot.catalogue import Catalogue
from bot.routine import PAUSED, RUNNING, RoutineEngine, status_text
from bot.safety import SafetyChecker, pain_now

STOPPED_FOR_SAFETY = "I've stopped the routine. Come back to it only once you feel fine."
# Every command a running routine obeys, beside the engine's own moves.
COMMANDS = (
    "pause", "resume", "next", "previous", "skip", "repeat", "redo", "stop", "time_left", "status",
)  # fmt: skip


def allowed_commands(engine: RoutineEngine | None) -> tuple:
    """The commands that make sense now: none without a routine; "resume" only when paused or
    while a stretch is being set up ("ready"); "pause" not when already paused."""
    if engine is None or engine.status not in (RUNNING, PAUSED):
        return ()
    if engine.status == PAUSED:
        return tuple(c for c in COMMANDS if c != "pause")
    if engine.phase.kind == "intro":
        return COMMANDS
    return tuple(c for c in COMMANDS if c != "resume")


# A yes or a no to a question the routine asked ("shall we pick up where you were?", "did you say
# pause?"), typed or spoken, punctuation aside.
YES = re.compile(
    r"^(yes|yeah|yep|yup|yes please|sure|ok|okay|okay yes|ok yes|sounds good|please|please do|"
    r"do it|correct|that's right|right|exactly|yes i did|i did)$"
)
NO = re.compile(
    r"^(no|nope|nah|no thanks|no thank you|don't|not that|wrong|no i didn't|never mind)$"
)


def yes_or_no(text: str) -> str | None:
    """ "yes" or "no" when that is all the answer says, else None."""
    words = re.sub(r"[^a-z' ]", "", (text or "").lower()).strip()
    return "yes" if YES.match(words) else "no" if NO.match(words) else None


@dataclass
class Control:
    """What the routine does after an event: say `messages`; tick the engine again at `deadline`."""

    messages: List[str] = field(default_factory=list)
    deadline: float | None = None
    stopped_for_safety: bool = False
    moved: bool = True  # False: only a question was answered, the timer stays as it was


class RoutineControl:
    def __init__(self, catalogue: Catalogue, checker: SafetyChecker):
        self.catalogue = catalogue
        self.checker = checker

    # -- safety ------------------------------------------------------------------------------------
    def red_flag(self, text: str, warning: float | None = None) -> bool:
        """A warning sign of content/safety.yml's patterns, unless the message clears it and the
        learned model's probability (`warning`, when the driver has it) agrees (the dialogue's rule,
        SafetyChecker.cleared)."""
        hits = self.checker.check(text)
        return bool(hits) and not self.checker.cleared(text, hits, warning)

    def pain(self, text: str) -> bool:
        return pain_now(text)

    def must_stop(self, text: str, warning: float | None = None) -> bool:
        """Pain or a warning sign said during a routine: it must stop before anything else."""
        return self.red_flag(text, warning) or self.pain(text)

    def stop_for_safety(self, engine: RoutineEngine, now: float) -> Control:
        """Stop at once. The caller says the safety advice first, then `STOPPED_FOR_SAFETY`."""
        if engine.active:
            engine.stop(now)
        return Control([], None, stopped_for_safety=True)

    def safety_advice(self) -> str:
        """What to say when no fuller answer (a red-flag reply) is at hand."""
        return self.catalogue.safety.levels["stop"]

    # -- commands ----------------------------------------------------------------------------------
    def command(self, engine: RoutineEngine, name: str, now: float) -> Control:
        if name not in COMMANDS:
            raise ValueError(f"not a routine command: {name}")
        if name == "time_left":
            return Control([engine.time_left_text(now)], moved=False)
        if name == "status":
            return Control([status_text(engine, self.catalogue, now)], moved=False)
        setting_up = engine.status in (RUNNING, PAUSED) and engine.phase.kind == "intro"
        if name == "next" and setting_up:
            name = "skip"  # "next" while a stretch is introduced means the next stretch
        elif name == "resume" and setting_up and engine.status == RUNNING:
            name = "next"  # "ready" while the stretch is being set up: start the hold now
        out = getattr(engine, name)(now)
        return Control(list(out.messages), out.next_deadline)

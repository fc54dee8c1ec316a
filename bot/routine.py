"""The routine engine: one state machine for every driver (chat reminders, voice, tests).

It knows no clock of its own: every call takes `now` (seconds, any monotonic origin) and returns what
to say plus when it next needs to be called (`Output.next_deadline`). Its whole state is a small
dict (`to_dict`/`from_dict`), so a driver can store it anywhere and resume after a restart.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Tuple

from bot.catalogue import Catalogue, Routine, Stretch

# Pacing the content does not give; every value is multiplied by the time scale.
INTRO_SECONDS = 8.0  # name and setup before the first hold
SWITCH_SECONDS = 5.0  # changing sides
RELEASE_SECONDS = 4.0  # between repeated holds on the same side
REST_SECONDS = 10.0  # between stretches
REP_SECONDS = 6.0  # one slow rep of a dynamic move, when its hold time is not given
FINAL_COUNTDOWN = 10.0  # "10 seconds left"
MIN_HALFWAY = 20.0  # holds shorter than this get no halfway / countdown cues
# Clocks are floats: a cue within this many seconds of its time counts as due, so a driver that
# calls back exactly at a deadline always makes progress.
EPSILON = 1e-3

RUNNING, PAUSED, FINISHED, STOPPED, READY = "running", "paused", "finished", "stopped", "ready"


@dataclass(frozen=True)
class Phase:
    kind: str  # intro, hold, reps, switch, release, rest
    stretch: str
    item: int  # which stretch of the routine (0-based)
    seconds: float
    cues: Tuple[Tuple[float, str], ...]  # (offset in seconds, text)


@dataclass
class Output:
    messages: List[str] = field(default_factory=list)
    next_deadline: float | None = None


@dataclass
class State:
    status: str = READY
    phase: int = 0
    elapsed: float = 0.0  # time spent in the current phase up to `since`
    since: float | None = None  # clock time the current running stretch of time began
    cues_done: int = 0


def _seconds_text(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 90:
        minutes = seconds / 60
        return f"{minutes:.0f} minutes" if minutes >= 2 else "about a minute and a half"
    return f"{seconds} seconds"


def build_phases(routine: Routine, catalogue: Catalogue, scale: float = 1.0) -> List[Phase]:
    """Expand a routine into timed phases with their cues (durations multiplied by `scale`)."""
    phases: List[Phase] = []
    total = len(routine.items)
    sets = routine.sets[0] if routine.sets else 1
    for index, item in enumerate(routine.items):
        stretch = catalogue.stretch(item.stretch)
        per_side = stretch.dose.per_side if item.per_side is None else item.per_side
        hold, reps = _dose(stretch, item, routine)
        sides = ("the first side", "the other side") if per_side else (None,)
        intro = f"Stretch {index + 1} of {total}: {stretch.name}. {stretch.start}"
        phases.append(Phase("intro", stretch.id, index, INTRO_SECONDS * scale, ((0.0, intro),)))
        for set_no in range(sets):
            for side_no, side in enumerate(sides):
                if side_no:
                    phases.append(
                        Phase(
                            "switch",
                            stretch.id,
                            index,
                            SWITCH_SECONDS * scale,
                            ((0.0, "Switch sides."),),
                        )
                    )
                phases.extend(_work(stretch, index, hold, reps, side, scale, set_no, sets))
        if index + 1 < total:
            following = catalogue.stretch(routine.items[index + 1].stretch).name
            cue = f"Rest. Next up: {following}."
            phases.append(Phase("rest", stretch.id, index, REST_SECONDS * scale, ((0.0, cue),)))
    return phases


def _dose(stretch: Stretch, item, routine: Routine) -> Tuple[float | None, int | None]:
    """Hold seconds and rep count for one routine item; the routine's values win, then the stretch's."""
    dose = stretch.dose
    if item.hold_seconds or item.reps:
        hold = item.hold_seconds or (dose.hold_seconds[1] if dose.hold_seconds else None)
        return hold, item.reps
    if stretch.kind == "dynamic" and routine.dynamic_reps:
        hold = dose.hold_seconds[1] if dose.hold_seconds else None
        return hold, routine.dynamic_reps[0]
    if stretch.kind == "static" and routine.static_hold_seconds:
        return routine.static_hold_seconds[0], 1
    hold = dose.hold_seconds[1] if dose.hold_seconds else None
    if hold is None and dose.hold_breaths:
        hold = dose.hold_breaths[1] * 5.0  # about five seconds a calm breath
    return hold, dose.reps[0] if dose.reps else 1


def _work(stretch, index, hold, reps, side, scale, set_no, sets) -> List[Phase]:
    where = f" on {side}" if side else ""
    label = f" (set {set_no + 1} of {sets})" if sets > 1 else ""
    if stretch.kind == "dynamic" or not hold:
        count = reps or 1
        each = (hold * 2 if hold else REP_SECONDS) * scale
        cues = [(0.0, f"Now {count} slow reps{where}{label}, moving with your breath.")]
        cues += [(each * n, f"{n}.") for n in range(1, count)]
        cues.append((each * count, "That's all the reps."))
        return [Phase("reps", stretch.id, index, each * count, tuple(cues))]
    phases: List[Phase] = []
    count = reps or 1
    for rep in range(count):
        seconds = hold * scale
        again = f", {rep + 1} of {count}" if count > 1 else ""
        cues = [(0.0, f"Hold for {_seconds_text(hold)}{where}{again}{label}.")]
        if hold >= MIN_HALFWAY:
            cues.append((seconds / 2, "Halfway."))
            cues.append((seconds - FINAL_COUNTDOWN * scale, "10 seconds left."))
        cues.append((seconds, "And release."))
        phases.append(Phase("hold", stretch.id, index, seconds, tuple(sorted(cues))))
        if rep + 1 < count:
            phases.append(
                Phase(
                    "release",
                    stretch.id,
                    index,
                    RELEASE_SECONDS * scale,
                    ((0.0, "Relax for a moment."),),
                )
            )
    return phases


class RoutineEngine:
    def __init__(self, phases: List[Phase], state: State | None = None):
        if not phases:
            raise ValueError("a routine needs at least one phase")
        self.phases = phases
        self.state = state or State()

    # -- reading -----------------------------------------------------------------------------------
    @property
    def status(self) -> str:
        return self.state.status

    @property
    def phase(self) -> Phase:
        return self.phases[min(self.state.phase, len(self.phases) - 1)]

    @property
    def current_stretch(self) -> str:
        return self.phase.stretch

    @property
    def items(self) -> int:
        return self.phases[-1].item + 1

    def in_phase(self, now: float) -> float:
        state = self.state
        running = state.elapsed + (now - state.since if state.since is not None else 0.0)
        return max(0.0, running)

    def time_left(self, now: float) -> Tuple[float, float]:
        """Seconds left in the current phase and in the whole routine."""
        if self.state.status in (FINISHED, STOPPED):
            return 0.0, 0.0
        here = max(0.0, self.phase.seconds - self.in_phase(now))
        rest = sum(p.seconds for p in self.phases[self.state.phase + 1 :])
        return here, here + rest

    def time_left_text(self, now: float) -> str:
        if self.state.status in (FINISHED, STOPPED):
            return "There is no routine running."
        here, total = self.time_left(now)
        kind = {"hold": "this hold", "reps": "these reps"}.get(self.phase.kind, "this step")
        paused = " (paused)" if self.state.status == PAUSED else ""
        whole = _seconds_text(math.ceil(total))
        whole = whole if whole.startswith("about") else f"about {whole}"
        return f"{_seconds_text(math.ceil(here))} left in {kind}{paused}, {whole} in the whole routine."

    # -- driving -----------------------------------------------------------------------------------
    def start(self, now: float) -> Output:
        self.state = State(status=RUNNING, phase=0, elapsed=0.0, since=now, cues_done=0)
        return self.tick(now)

    def tick(self, now: float) -> Output:
        """Say every cue that is due and move through phases whose time is over."""
        out = Output()
        state = self.state
        if state.status != RUNNING:
            return out
        while True:
            phase = self.phases[state.phase]
            spent = self.in_phase(now)
            while (
                state.cues_done < len(phase.cues)
                and phase.cues[state.cues_done][0] <= spent + EPSILON
            ):
                out.messages.append(phase.cues[state.cues_done][1])
                state.cues_done += 1
            if spent < phase.seconds - EPSILON:
                break
            # The phase is over: carry the extra time into the next one.
            if state.phase + 1 >= len(self.phases):
                state.status, state.since, state.elapsed = FINISHED, None, 0.0
                out.messages.append("That's the whole routine. Well done!")
                return out
            overflow = max(0.0, spent - phase.seconds)
            state.phase += 1
            state.cues_done = 0
            state.elapsed, state.since = overflow, now
        out.next_deadline = self._next_deadline(now)
        return out

    def _next_deadline(self, now: float) -> float | None:
        if self.state.status != RUNNING:
            return None
        phase = self.phase
        spent = self.in_phase(now)
        upcoming = [offset for offset, _ in phase.cues[self.state.cues_done :]] + [phase.seconds]
        return now + max(0.0, min(upcoming) - spent)

    def pause(self, now: float) -> Output:
        if self.state.status != RUNNING:
            return Output([self._not_running("pause")])
        due = self.tick(now).messages  # cues that fell due up to now are still said
        if self.state.status != RUNNING:
            return Output(due)
        self.state.elapsed = self.in_phase(now)
        self.state.since = None
        self.state.status = PAUSED
        return Output([*due, "Paused. Say resume when you're ready."])

    def resume(self, now: float) -> Output:
        if self.state.status != PAUSED:
            if self.state.status == RUNNING:
                return Output(["We're already going."], self._next_deadline(now))
            return Output([self._not_running("resume")])
        self.state.status, self.state.since = RUNNING, now
        here, _ = self.time_left(now)
        out = Output([f"Resuming: {_seconds_text(math.ceil(here))} to go in this step."])
        out.next_deadline = self._next_deadline(now)
        return out

    def next(self, now: float) -> Output:
        """Move on to the next step (the other side, the next hold, the next stretch)."""
        return self._jump(now, self.state.phase + 1)

    def skip(self, now: float) -> Output:
        """Skip the rest of this stretch."""
        item = self.phase.item
        target = next((i for i, p in enumerate(self.phases) if p.item > item), len(self.phases))
        return self._jump(now, target)

    def previous(self, now: float) -> Output:
        """Back to the start of this stretch, or of the one before if this one has just begun."""
        item = self.phase.item
        start = next(i for i, p in enumerate(self.phases) if p.item == item)
        if self.state.phase == start and item > 0:
            start = next(i for i, p in enumerate(self.phases) if p.item == item - 1)
        return self._jump(now, start)

    def redo(self, now: float) -> Output:
        """Start this stretch again from its beginning."""
        item = self.phase.item
        return self._jump(now, next(i for i, p in enumerate(self.phases) if p.item == item))

    def repeat(self, now: float) -> Output:
        """Say the current instruction again; the timer is not touched."""
        if self.state.status in (FINISHED, STOPPED, READY):
            return Output([self._not_running("repeat")])
        stretch_intro = next(p for p in self.phases if p.item == self.phase.item)
        said = [self.phase.cues[0][1]]
        if self.phase is not stretch_intro:
            said.insert(0, stretch_intro.cues[0][1])
        return Output(said, self._next_deadline(now))

    def stop(self, now: float) -> Output:
        if self.state.status in (FINISHED, STOPPED, READY):
            return Output([self._not_running("stop")])
        self.state = State(status=STOPPED, phase=self.state.phase)
        return Output(["Routine stopped. Nice work today."])

    def _jump(self, now: float, target: int) -> Output:
        if self.state.status in (FINISHED, STOPPED, READY):
            return Output([self._not_running("move")])
        was_paused = self.state.status == PAUSED
        if target >= len(self.phases):
            self.state = State(status=FINISHED, phase=len(self.phases) - 1)
            return Output(["That was the last step. That's the whole routine. Well done!"])
        self.state.phase, self.state.cues_done, self.state.elapsed = target, 0, 0.0
        if was_paused:  # stay paused at the new place, and tell them where that is
            self.state.since = None
            return Output([self.phases[target].cues[0][1], "Still paused: say resume to go on."])
        self.state.since = now
        return self.tick(now)

    @property
    def active(self) -> bool:
        """Started and not over: running or paused."""
        return self.state.status in (RUNNING, PAUSED)

    def progress(self) -> Tuple[int, int]:
        """(stretch number, number of stretches), counting from 1."""
        return self.phase.item + 1, self.items

    def upcoming_stretch(self) -> str | None:
        """The id of the stretch after the current one, if any."""
        later = (p for p in self.phases[self.state.phase :] if p.item > self.phase.item)
        return next((p.stretch for p in later), None)

    def _not_running(self, verb: str) -> str:
        if self.state.status == PAUSED and verb == "pause":
            return "Already paused. Say resume when you're ready."
        return "There's no routine running right now. Say 'start the daily routine' to begin."

    # -- storing -----------------------------------------------------------------------------------
    def to_dict(self) -> Dict:
        return asdict(self.state)

    @classmethod
    def from_dict(cls, phases: List[Phase], data: Dict) -> RoutineEngine:
        state = State(**data)
        if not 0 <= state.phase < len(phases):
            raise ValueError(f"stored phase {state.phase} is outside this routine")
        return cls(phases, state)


def status_text(engine: RoutineEngine, catalogue: Catalogue, now: float) -> str:
    """Where the routine is: "Stretch 2 of 5: Cat-Cow. 20 seconds left in these reps, ... Next up:
    Knee-to-Chest." (for "where am I?")."""
    number, count = engine.progress()
    name = catalogue.stretch(engine.current_stretch).name
    left = engine.time_left_text(now)
    text = f"Stretch {number} of {count}: {name}. {left[0].upper()}{left[1:]}"
    upcoming = engine.upcoming_stretch()
    if upcoming:
        text += f" Next up: {catalogue.stretch(upcoming).name}."
    return text


# -- choosing a routine ------------------------------------------------------------------------------
DESK_TAGS = ("desk", "chair", "no_floor")


def duration(routine: Routine, catalogue: Catalogue) -> float:
    return sum(p.seconds for p in build_phases(routine, catalogue))


def compose_routine(
    catalogue: Catalogue,
    areas: List[str] = (),
    tags: List[str] = (),
    minutes: float | None = None,
    needs: List[str] = (),
) -> Routine | None:
    """A routine built from the content tags: stretches for the areas and situations asked for,
    as many as fit in `minutes` (default 10). When those fill less than FILL of the time, other
    gentle whole-back stretches are added, then the whole list is done in 2 or 3 sets. Desk and
    chair requests use only stretches that need no floor; a need that rules positions out
    ("standing only", content/vocabulary.yml `spare_positions`) leaves those out."""
    from bot.answers import recommend  # answers imports nothing from here; avoid a cycle at load

    desk = any(tag in DESK_TAGS for tag in tags)
    every = len(catalogue.stretches)
    wanted = recommend(catalogue, list(areas) or ["whole_back"], list(tags), every, needs)
    general = recommend(catalogue, ["whole_back", "lower_back", "upper_back"], [], every, needs)
    if needs:  # few stretches fit ("only standing"): any area's that fits fills the time too
        anywhere = recommend(catalogue, list(catalogue.vocabulary.areas), [], every, needs)
        general += [s for s in anywhere if s not in general]
    if desk:
        wanted = [s for s in wanted if not s.uses_floor]
        spared = {p for n in needs for p in catalogue.vocabulary.spare_positions.get(n, ())}
        general = [s for s in catalogue.by_name() if not s.uses_floor and s.position not in spared]
    if not wanted:
        return None
    budget = (minutes or 10) * 60
    chosen: List[str] = []
    for stretch in wanted:
        if not chosen or _fits([*chosen, stretch.id], budget, catalogue):
            chosen.append(stretch.id)
    for stretch in general:
        if stretch.id in chosen or not _fits(chosen, FILL * budget, catalogue):
            continue
        if _fits([*chosen, stretch.id], budget, catalogue):
            chosen.append(stretch.id)
    once = duration(_routine_of(chosen, areas, tags, minutes), catalogue)
    sets = max(1, min(3, int(budget * 1.1 // once)))
    return _routine_of(chosen, areas, tags, minutes, sets, needs)


FILL = 0.75  # a composed routine shorter than this share of the time asked for gets more stretches


def _fits(ids: List[str], seconds: float, catalogue: Catalogue) -> bool:
    return duration(_routine_of(ids, (), (), None), catalogue) <= seconds


def _routine_of(ids: List[str], areas, tags, minutes, sets: int = 1, needs=()) -> Routine:
    from bot.answers import AREA_NAMES, NEED_NAMES, TAG_NAMES

    focus = (
        [AREA_NAMES[a] for a in areas if a in AREA_NAMES]
        + [TAG_NAMES[t] for t in tags if t in TAG_NAMES]
        + [NEED_NAMES[n] for n in needs if n in NEED_NAMES and n not in tags]
    )
    focus = list(dict.fromkeys(focus))  # ("first thing in the morning": the morning once)
    name = "Routine for " + " and ".join(focus) if focus else "Whole-back routine"
    span = [int(minutes), int(minutes)] if minutes else [5, 10]
    summary = "Put together from the stretches that suit what you asked for"
    summary += f", each done for {sets} sets." if sets > 1 else "."
    return Routine(
        id="composed",
        name=name,
        minutes=span,
        summary=summary,
        items=[{"stretch": i} for i in ids],
        sets=[sets, sets] if sets > 1 else None,
        source="composed",
    )


ORDINALS = {
    "1": 0, "first": 0, "1st": 0,
    "2": 1, "two": 1, "second": 1, "2nd": 1,
    "3": 2, "three": 2, "third": 2, "3rd": 2,
}  # fmt: skip


def pick_routine(text: str, catalogue: Catalogue, matcher) -> Routine | None:
    """The routine meant by an answer to "which routine?": "the first one", "2", "the daily one",
    "comprehensive", or any request `choose_routine` understands."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    routines = list(catalogue.routines.values())
    for word in words:
        if word in ORDINALS and ORDINALS[word] < len(routines) and len(words) <= 4:
            return routines[ORDINALS[word]]
    chosen = choose_routine(text, catalogue, matcher)
    if chosen:
        return chosen
    for routine in routines:
        if (_name_words(routine) - {"routine", "stretches", "back"}) & set(words):
            return routine
    return None


def _name_words(routine: Routine) -> set:
    """The words of a routine's name and aliases."""
    return {w for n in [routine.name.lower(), *routine.aliases] for w in n.split()}


# Words of routines' names that are said of anything ("how long is it?", "my back").
_NOT_OWN = {"routine", "stretches", "back", "long", "short", "quick", "one", "the", "a", "my"}


def _by_its_own_words(lowered: str, catalogue: Catalogue, asked: bool = False) -> Routine | None:
    """ "the daily back stretch routine": a routine asked for with a word of one routine's names
    and of no other's, the words in between aside; without the word "routine" only when the
    message is `asked` to start one ("Ok. Begin comprehensive please")."""
    if not asked and not re.search(r"\br(ou|u|o)tine?s?\b", lowered):
        return None
    words = set(re.findall(r"[a-z]+", lowered))
    own = {routine.id: _name_words(routine) for routine in catalogue.routines.values()}
    shared = {w for a in own.values() for b in own.values() if a is not b for w in a & b}
    found = [rid for rid, ws in own.items() if (ws - shared - _NOT_OWN) & words]
    return catalogue.routines[found[0]] if len(found) == 1 else None


def _forgive_typos(lowered: str, catalogue: Catalogue) -> str:
    """ "daly rutine" -> "daily routine": words within one edit of a routine name's words."""
    from rapidfuzz.distance import Levenshtein

    known = {"routine", "routines"} | {
        word
        for routine in catalogue.routines.values()
        for name in [routine.name.lower(), *routine.aliases]
        for word in name.split()
        if len(word) >= 4
    }
    words = []
    for word in re.findall(r"[a-z0-9']+|[^a-z0-9']+", lowered):
        if len(word) >= 4 and word not in known and word.isalpha():
            close = [k for k in known if Levenshtein.distance(word, k) <= 1]
            word = close[0] if len(close) == 1 else word
        words.append(word)
    return "".join(words)


def choose_routine(text: str, catalogue: Catalogue, matcher, asked: bool = False) -> Routine | None:
    """The routine a request names or describes; None when it is too vague to pick one. `asked`:
    the message is surely a request to start a routine, so a word of one's name alone names it."""
    found = matcher.find(_forgive_typos(text.lower(), catalogue), ("routine", "duration"))
    named = [f.value for f in found if f.kind == "routine"]
    if named:
        return catalogue.routines[named[0]]
    found += matcher.find(text, ("area", "tag", "need"))
    areas = [f.value for f in found if f.kind == "area"]
    tags = [f.value for f in found if f.kind == "tag"]
    needs = [f.value for f in found if f.kind == "need"]
    if "standing_only" in needs:  # "standing only, no floor": no chair either
        tags = [t for t in tags if t not in DESK_TAGS]
    minutes = next((float(f.value) for f in found if f.kind == "duration"), None)
    if not (areas or tags or minutes):
        return _by_its_own_words(text.lower(), catalogue, asked)
    # "the 10 minute routine": the articles' own, if one fits (not when a need such as "only
    # standing" or "no floor" rules some of its stretches out)
    if minutes and not (areas or tags or needs):
        for routine in catalogue.routines.values():
            if routine.minutes[0] <= minutes <= routine.minutes[-1]:
                return routine
    return compose_routine(catalogue, areas, tags, minutes, needs)

"""Coaching a routine in a conversation: the routine engine driven by chat turns and timer calls.

A driver (the Rasa action server, the tests) hands each event to the `Coach` together with the
stored `Session`, and gets back what to say, the session to store, and when to call `tick` next
(`wake`, a clock time) or that any pending call should be forgotten (`cancel`). The coach never
sleeps or schedules anything itself, and its clock is injected, so every path runs in tests on a
fake clock. Ordinary questions go to `Dialogue`; asking one never touches the timer.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Dict, List

from bot import settings
from bot.catalogue import Routine
from bot.commands import CommandTable
from bot.control import STOPPED_FOR_SAFETY, RoutineControl, yes_or_no
from bot.dialogue import Context, Dialogue, Reply, Turn
from bot.routine import (
    FINISHED,
    PAUSED,
    READY,
    RUNNING,
    STOPPED,
    RoutineEngine,
    build_phases,
    duration,
    pick_routine,
)

# A call-back this many (real) seconds overdue was lost, e.g. the server restarted: the routine is
# paused where the user last heard from it, and they are offered to resume. Less overdue than that,
# a message catches the routine up and asks for a new call-back. A user coming back on a new
# connection finds it paused as soon as a call-back is LATE, since a live one would have come.
STALE_AFTER = 10.0
LATE = 1.0
CONTROLS = (
    "Say pause, resume, next, previous, repeat, skip or stop at any time, or ask how long is left."
)
NO_PUSH = (
    "(This channel can't show timed cues as they happen: ask 'how long left?' or 'where am I?' to "
    "follow along, or use the live chat.)"
)
NO_ROUTINE = (
    "There's no routine running right now. Say 'start the daily routine', or ask for one, like "
    "'10 minutes for my lower back'."
)
START_ONLY = re.compile(
    r"^(start|begin|go|let'?s (go|start|begin|do (it|this|that))|start it|start now|do it)[.!]*$"
)
# A routine shown is started by a request to start one from this confidence up (set on the dev
# conversations of blind set 74).
OFFER_START_MIN_CONFIDENCE = 0.5
# Without a routine, these commands get "no routine running"; the others ("how long?", "repeat",
# "stop") and everyday words that are also commands ("back", "done") go to the dialogue, where they
# may be follow-ups about a stretch.
NEED_A_ROUTINE = ("pause", "resume", "next", "previous", "skip", "redo", "status", "time_left")
EVERYDAY = (
    "back", "done", "again", "ready", "wait", "end", "finish", "enough", "forward",
    "how long", "how long does take", "how long will take", "how much time",
)  # fmt: skip
RESUME_TOPIC, START_TOPIC, CHOOSE_TOPIC = "resume_routine", "start_routine", "choose_routine"
ROUTINE_TOPICS = (RESUME_TOPIC, START_TOPIC, CHOOSE_TOPIC)


@dataclass
class Session:
    """Everything the coach needs between events; stored by the driver (a Rasa slot)."""

    routine: (
        Dict  # {"id": ...} for a routine from content/, or {"routine": {...}} for a composed one
    )
    engine: Dict  # the engine state (RoutineEngine.to_dict)
    scale: float = 1.0  # the time scale the routine started with
    wake: float | None = None  # the clock time the driver was asked to call `tick`
    # How many call-backs have been asked for: each one gets a name of its own (`timer_name`), so
    # a new one never shares its name with the one being handled (Rasa runs a reminder name once
    # at a time and drops one that comes due meanwhile).
    timer: int = 0
    interrupted: bool = False  # paused because the user left or a call-back was lost

    def to_dict(self) -> Dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> Session | None:
        try:
            return cls(**data)
        except TypeError:
            return None


@dataclass
class CoachReply:
    messages: List[str] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    session: Session | None = None
    wake: float | None = None  # call `tick` at this clock time (replaces any earlier call)
    cancel: bool = False  # forget any pending call
    routine: Routine | None = None  # local drivers (voice): the routine to run themselves
    red_flag: bool = False


class Coach:
    def __init__(
        self,
        dialogue: Dialogue,
        commands: CommandTable,
        clock: Callable[[], float] = time.time,
        scale: float | None = None,
    ):
        self.dialogue = dialogue
        self.catalogue = dialogue.catalogue
        self.commands = commands
        self.clock = clock
        self.scale = settings.TIME_SCALE if scale is None else scale
        self.control = RoutineControl(self.catalogue, dialogue.checker)

    # -- events ------------------------------------------------------------------------------------
    def message(
        self,
        turn: Turn,
        context: Context,
        session: Session | None,
        can_push: bool = True,
        local: bool = False,
    ) -> CoachReply:
        """A message from the user. `local` drivers (voice) run routines themselves: a routine they
        ask for comes back in `CoachReply.routine`, and no session is kept here."""
        now = self.clock()
        engine, problem = self._load(session)
        if problem:
            return CoachReply([problem], replace(context, pending_topic=None), None, cancel=True)
        notes: List[str] = []
        rearm = False
        if engine and self._overdue(engine, session, now, STALE_AFTER):
            self._interrupt(engine, session)
            notes.append(self._welcome_back(engine, session))
        elif engine and self._overdue(engine, session, now, LATE):
            out = engine.tick(now)  # the call-back is late or lost: catch up and ask again
            notes.extend(out.messages)
            rearm = engine.status == RUNNING and out.next_deadline is not None
            session = replace(
                session,
                engine=engine.to_dict(),
                wake=out.next_deadline,
                timer=session.timer + rearm,
            )
        text = (turn.text or "").strip()
        command = self.commands.find(text)
        warning = turn.meaning.warning if turn.meaning else None
        if (
            command is None
            and engine
            and engine.active
            and not self.control.must_stop(text, warning)
        ):
            if turn.meaning is None:
                turn = replace(turn, meaning=self.dialogue.understanding.interpret(text))
            meant = turn.meaning.command  # "hang on, the doorbell"
            command = meant.label if meant else None

        # Safety first: a warning sign or pain stops a running routine.
        if engine and engine.active and self.control.must_stop(text, warning):
            return self._stop_for_safety(turn, context, engine, now)
        if engine and engine.status == READY:
            started = self._answer_offer(turn, command, context, engine, session, can_push, now)
            if started:
                return started
        if engine and engine.active:
            if context.pending_topic == RESUME_TOPIC and command is None:
                if turn.intent == "affirm" or _yes(text):
                    command = "resume"
                elif turn.intent == "deny":
                    command = "stop"
            if command:
                return self._command(command, context, engine, session, now, notes)
        elif (
            command in NEED_A_ROUTINE
            and self.commands.match(text) == command  # the whole message, not one clause of it
            and self.commands.key(text) not in EVERYDAY
        ):
            # "next" with no routine; "let's do the daily one, I'm on my mat and ready" is no
            # command but a request for a routine, which the dialogue reads
            return CoachReply([*notes, NO_ROUTINE], context, session)
        if context.pending_topic == CHOOSE_TOPIC:
            chosen = pick_routine(text, self.catalogue, self.dialogue.matcher)
            if chosen:
                return self._start(chosen, context, session, engine, now, can_push, local)
        if not (engine and engine.active) and START_ONLY.match(text.lower()):
            return self._offer_choice(context, None)

        asked = context  # the dialogue knows nothing of routine questions still open
        if context.pending_topic in ROUTINE_TOPICS:
            asked = replace(asked, pending_topic=None)
        if engine and engine.active:
            asked = replace(asked, stretch=engine.current_stretch)
        reply = self.dialogue.respond(turn, asked)
        if reply.routine_request:
            return self._routine_request(reply, context, session, engine, now, can_push, local)
        result = CoachReply([*notes, *reply.messages], reply.context, session)
        result.red_flag = reply.red_flag
        if engine and reply.red_flag:  # a possible warning sign: no routine goes on after it
            if engine.active:
                self.control.stop_for_safety(engine, now)
                result.messages.append(STOPPED_FOR_SAFETY)
            result.session, result.cancel = None, True
        elif engine and engine.active:
            result.messages.append(self._still_going(engine, now))
            result.wake = session.wake if rearm else None
        return result

    def tick(self, session: Session | None) -> CoachReply:
        """The call-back the coach asked for: say what is due and ask for the next one."""
        engine, problem = self._load(session)
        if engine is None or problem or engine.status != RUNNING:
            return CoachReply([], Context(), session if not problem else None)
        now = self.clock()
        out = engine.tick(now)
        return self._after(engine, session, out.messages, Context(), out.next_deadline, now)

    def left(self, session: Session | None) -> CoachReply:
        """The user went away (their connection closed): hold the routine where it is."""
        engine, problem = self._load(session)
        if engine is None or problem or engine.status != RUNNING:
            return CoachReply([], Context(), session if not problem else None)
        now = self.clock()
        engine.pause(now)
        session = replace(session, engine=engine.to_dict(), wake=None, interrupted=True)
        return CoachReply([], Context(), session, cancel=True)

    def returned(self, session: Session | None, context: Context) -> CoachReply:
        """The user is back (a new connection): offer to resume an interrupted or paused routine."""
        engine, problem = self._load(session)
        if engine is None or problem:
            return CoachReply([], context, None if problem else session)
        now = self.clock()
        if self._overdue(engine, session, now, LATE):
            self._interrupt(engine, session)
        if engine.status != PAUSED:
            return CoachReply([], context, session)
        session = replace(session, engine=engine.to_dict(), wake=None)
        message = self._welcome_back(engine, session)
        return CoachReply(
            [message], replace(context, pending_topic=RESUME_TOPIC), session, cancel=True
        )

    def timer(self, session: Session | None) -> Dict | None:
        """Where a routine is, for a display (the web chat's timer): None without a routine.
        `left` is the seconds left in this step at the clock's now; a display counts down itself."""
        engine, problem = self._load(session)
        if engine is None or problem:
            return None
        now = self.clock()
        here, total = engine.time_left(now)
        number, count = engine.progress()
        phase = engine.phase
        return {
            "status": engine.status,
            "stretch": self.catalogue.stretch(phase.stretch).name,
            "number": number,
            "of": count,
            "kind": phase.kind,
            "seconds": round(phase.seconds, 3),
            "left": round(here, 3),
            "total_left": round(total, 3),
        }

    # -- routine requests --------------------------------------------------------------------------
    def _routine_request(self, reply: Reply, context, session, engine, now, can_push, local):
        if reply.compared and not reply.caution:
            # asked about the routines ("what's the difference between the daily and the
            # comprehensive one?"): the dialogue shows them all; a choice may follow
            context = replace(reply.context, pending_topic=CHOOSE_TOPIC)
            return CoachReply(reply.messages, context, _still_on(session))
        if reply.routine is None:
            choice = self._offer_choice(reply.context, session)
            note = reply.messages[len(reply.caution) + 1 :]  # the dialogue's once-only note
            choice.messages = [*reply.caution, *choice.messages, *note]
            return choice
        if reply.start:  # the dialogue's preview is replaced, and its once-only note with it
            started = self._start(reply.routine, context, session, engine, now, can_push, local)
            started.messages[:0] = reply.caution
            return started
        if engine and engine.active:  # only showing another one: keep the running routine
            return CoachReply(reply.messages, reply.context, session)
        offered = Session(
            self._ref(reply.routine),
            RoutineEngine(self._phases(reply.routine)).to_dict(),
            self.scale,
        )
        cleared = " once a professional has cleared you" if reply.needs_clearance else ""
        body = len(reply.caution) + 1  # the caution, the routine, then the once-only note
        messages = [
            *reply.messages[:body],
            f"Say 'start' when you're ready to do it{cleared}.",
            *reply.messages[body:],
        ]
        context = replace(reply.context, pending_topic=None if local else START_TOPIC)
        return CoachReply(messages, context, None if local else offered)

    def _offer_choice(self, context, session) -> CoachReply:
        lines = [
            f"{n}. {r.name} ({r.minutes[0]} to {r.minutes[-1]} minutes)"
            for n, r in enumerate(self.catalogue.routines.values(), 1)
        ]
        text = (
            "Which routine would you like?\n"
            + "\n".join(lines)
            + "\nOr I can put one together: tell me an area and a time, like '10 minutes for my "
            "lower back', or ask for a desk routine."
        )
        return CoachReply([text], replace(context, pending_topic=CHOOSE_TOPIC), _still_on(session))

    def _answer_offer(self, turn, command, context, engine, session, can_push, now):
        """The user was shown a routine and asked to say 'start': did they?"""
        text = (turn.text or "").strip().lower()
        answering = context.pending_topic == START_TOPIC
        agreed = answering and (turn.intent == "affirm" or _yes(text))
        offered = self._routine_of(session)
        if command in ("resume", "next") or START_ONLY.match(text) or agreed:
            return self._start(offered, context, None, None, now, can_push, False)
        if turn.intent == "start_routine" and turn.confidence >= OFFER_START_MIN_CONFIDENCE:
            # a request to start one, a few questions after it was shown: the routine it names
            # ("Ok. Begin comprehensive please", after the basic one was shown too), else the one
            # shown ("righto, chuck it on then")
            named = pick_routine(text, self.catalogue, self.dialogue.matcher)
            return self._start(named or offered, context, None, None, now, can_push, False)
        if command == "stop" or (answering and turn.intent == "deny"):
            return CoachReply(
                ["No problem. Ask for a routine whenever you're ready."],
                replace(context, pending_topic=None),
                None,
            )
        if command == "time_left":
            total = duration(self._routine_of(session), self.catalogue) * session.scale
            return CoachReply(
                [f"It takes about {_minutes(total)}. Say 'start' when you're ready."],
                context,
                session,
            )
        return None

    def _start(
        self, routine: Routine, context, session, engine, now, can_push, local
    ) -> CoachReply:
        total = duration(routine, self.catalogue) * self.scale
        count = len(routine.items)
        intro = f"Let's do the {_lower_first(routine.name)}: {count} stretches, about {_minutes(total)}."
        context = replace(context, pending_topic=None)
        messages = [intro]
        if engine and engine.active:
            messages.insert(0, "I've stopped the routine you were doing.")
        if local:
            reply = self.dialogue.with_disclaimer(context, messages)
            return CoachReply(reply.messages, reply.context, None, routine=routine)
        fresh = RoutineEngine(self._phases(routine, self.scale))
        out = fresh.start(now)
        messages.append(CONTROLS if can_push else f"{CONTROLS} {NO_PUSH}")
        new = Session(self._ref(routine), fresh.to_dict(), self.scale)
        reply = self.dialogue.with_disclaimer(context, [*messages, *out.messages])
        return self._after(fresh, new, reply.messages, reply.context, out.next_deadline, now)

    # -- commands ----------------------------------------------------------------------------------
    def _command(self, command, context, engine, session, now, notes) -> CoachReply:
        context = replace(context, pending_topic=None)
        done = self.control.command(engine, command, now)
        if not done.moved:
            return CoachReply([*notes, *done.messages], context, session)
        if command == "resume":
            session = replace(session, interrupted=False)
        return self._after(engine, session, [*notes, *done.messages], context, done.deadline, now)

    def _after(self, engine, session, messages, context, deadline, now) -> CoachReply:
        """The reply after the engine moved: store it, and ask for a call-back while it runs."""
        if engine.status in (FINISHED, STOPPED):
            return CoachReply(messages, context, None, cancel=True)
        if engine.status != RUNNING or deadline is None:
            session = replace(session, engine=engine.to_dict(), wake=None)
            return CoachReply(messages, context, session, cancel=True)
        wake = max(deadline, now + 0.01)
        session = replace(session, engine=engine.to_dict(), wake=wake, timer=session.timer + 1)
        return CoachReply(messages, context, session, wake=wake)

    def _stop_for_safety(self, turn, context, engine, now) -> CoachReply:
        self.control.stop_for_safety(engine, now)
        reply = self.dialogue.respond(turn, replace(context, stretch=engine.current_stretch))
        if reply.red_flag:
            messages = [*reply.messages]
        else:
            messages = [self.control.safety_advice()]
        messages.append(STOPPED_FOR_SAFETY)
        result = CoachReply(messages, replace(reply.context, pending_topic=None), None, cancel=True)
        result.red_flag = True
        return result

    # -- pieces ------------------------------------------------------------------------------------
    def _overdue(self, engine, session, now, by: float) -> bool:
        """Running, and the call-back asked for is more than `by` seconds late."""
        return bool(
            engine.status == RUNNING and session.wake is not None and now > session.wake + by
        )

    def _interrupt(self, engine, session) -> None:
        """Pause just before the call-back that never came: where the user last heard from us (the
        cues due then are said after resuming, not lost)."""
        engine.pause(max(engine.state.since, session.wake - 0.01))
        session.engine, session.wake, session.interrupted = engine.to_dict(), None, True

    def _welcome_back(self, engine, session) -> str:
        routine = self._routine_of(session)
        number, count = engine.progress()
        name = self.catalogue.stretch(engine.current_stretch).name
        return (
            f"Welcome back! You were in the middle of the {_lower_first(routine.name)}: stretch "
            f"{number} of {count}, {name}. Say 'resume' to carry on from there, or 'stop' to end it."
        )

    def _still_going(self, engine, now) -> str:
        if engine.status == PAUSED:
            return "(The routine is paused: say resume when you're ready.)"
        return f"(Routine still running: {engine.time_left_text(now)})"

    def _ref(self, routine: Routine) -> Dict:
        if routine.id in self.catalogue.routines:
            return {"id": routine.id}
        return {"routine": routine.dict()}

    def _routine_of(self, session: Session) -> Routine:
        ref = session.routine
        if "id" in ref:
            return self.catalogue.routines[ref["id"]]
        return Routine.parse_obj(ref["routine"])

    def _phases(self, routine: Routine, scale: float | None = None):
        return build_phases(routine, self.catalogue, self.scale if scale is None else scale)

    def _load(self, session: Session | None):
        """The engine for a stored session, or a message when it can't be picked up again."""
        if session is None:
            return None, None
        try:
            phases = self._phases(self._routine_of(session), session.scale)
            return RoutineEngine.from_dict(phases, session.engine), None
        except (KeyError, ValueError, TypeError):
            return None, (
                "I couldn't pick up your routine where it was (it may have changed since), so it "
                "has ended. Say 'start the daily routine' to begin again."
            )


def _yes(text: str) -> bool:
    return yes_or_no(text) == "yes"


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return f"{max(1, round(seconds))} seconds"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def _still_on(session):
    """The session, if its routine is running or paused (kept while routines are only shown)."""
    return session if session and session.engine.get("status") in (RUNNING, PAUSED) else None

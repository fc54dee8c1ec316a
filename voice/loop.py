"""The hands-free loop: listen, act, speak; the routine runs here on the shared engine.

One thread does everything, so two cues can never be spoken at once: a cue that falls due while
Stretchbot is speaking is said right after. The microphone is muted from the first word until
`guard` seconds after the last one, so Stretchbot never hears itself; between cues it listens, and
"stop" or "pause" act as soon as the utterance ends. The clock, the sleep, the listener and the
speaker are injected (the tests use fakes).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, List, Sequence, Tuple

from bot import settings
from bot.catalogue import Catalogue, Routine, default_catalogue
from bot.commands import default_commands
from bot.control import COMMANDS as ALL_COMMANDS
from bot.control import STOPPED_FOR_SAFETY, RoutineControl, allowed_commands
from bot.routine import FINISHED, PAUSED, RUNNING, STOPPED, RoutineEngine, build_phases
from bot.safety import default_checker
from voice import meaning as voice_meaning
from voice.bot import BotUnavailable
from voice.recognizer import Heard
from voice.sounds import default_sounds

GREETING = (
    "Hi, I'm Stretchbot. Ask me about a stretch, or say something like: start the daily routine."
)
NO_ROUTINE = "There's no routine running. Say, for example: start the daily routine."
GOODBYE = "Goodbye. Nice stretching with you."
# For a chat command that voice mode leaves out ("go on" sounds like "hold on"): nothing is done.
NOT_BY_VOICE = "To move on, say next. After a pause, say resume."
MIN_QUESTION_WORDS = 2  # shorter stray words (a cough heard as "the") are not sent to the bot
ASK_WINDOW_S = 8.0  # how long "Did you say pause?" waits for a yes or no
# Speech that begins less than this long (of listening) after the speech that gave a command is not
# obeyed as that command again on the agreement of two unsure readings (`Meaning.agreed`): it is the
# rest of the same request ("huh? | say that again slower": without this rule, "repeat" twice on the
# spoken dev part, one command right fewer on speakers 0, 2, 5, 7).
AGAIN_S = 5.0


@dataclass(frozen=True)
class Reading:
    """What an utterance asks of the routine (`VoiceSession.read`): `act` is "command" (obey
    `command`), "ask" (ask back whether `command` was meant), "not_by_voice" (a chat-only phrase),
    "question" (for the bot), "remark" (sent on only for its warning-sign check) or "nothing"."""

    act: str
    command: str | None = None
    meaning: voice_meaning.Meaning | None = None  # the understanding step's, when it was asked
    for_safety: bool = False  # a stop for pain or a warning sign heard (`must_stop`)


class VoiceSession:
    def __init__(
        self,
        listener,
        speaker,
        bot,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        guard: float = settings.VOICE_GUARD_S,
        catalogue: Catalogue | None = None,
        scale: float = settings.TIME_SCALE,
        log: Callable[[str], None] = lambda line: None,
        store: RoutineStore | None = None,
        understanding=None,
    ):
        self.listener, self.speaker, self.bot = listener, speaker, bot
        self.clock, self.sleep, self.guard = clock, sleep, guard
        self.catalogue = catalogue or default_catalogue()
        self.scale = scale
        self.log = log
        # The same controller as chat: commands, status, redo, "ready", and the pain/red-flag stop.
        self.control = RoutineControl(self.catalogue, default_checker())
        self.store = store
        self._understanding = understanding
        self.engine: RoutineEngine | None = None
        self.routine: Routine | None = None
        self.deadline: float | None = None
        self.done = False
        self.bot_down = False
        self.asking: tuple[str, float] | None = None  # (command asked back about, until when)
        self.asked_about: list[str] = []
        self.last_obeyed: tuple[str, float] | None = None  # (command, end of its speech)

    # -- speaking ----------------------------------------------------------------------------------
    def speak(self, messages: Iterable[str]) -> None:
        messages = [m for m in messages if m]
        if not messages:
            return
        self.listener.mute()
        try:
            for message in messages:
                self.log(f"Stretchbot: {message}")
                self.speaker.say(message)
            self.sleep(self.guard)
        finally:
            self.listener.unmute()

    # -- the loop ----------------------------------------------------------------------------------
    def run(self, greet: bool = True) -> None:
        welcome = self.recover()
        if welcome:
            self.speak([welcome])
        elif greet:
            self.speak([GREETING])
        while not self.done:
            self.step()
            self.save()

    def step(self) -> None:
        self.tick()
        try:
            heard = self.listener.listen(timeout=self.wait())
        except EOFError:
            self.done = True
            return
        if heard is not None:
            self.handle(heard)

    def wait(self) -> float:
        if self.deadline is None:
            return 0.5
        return min(0.5, max(0.0, self.deadline - self.clock()))

    def tick(self) -> None:
        if self.engine is None or self.engine.status != RUNNING:
            return
        if self.deadline is not None and self.clock() < self.deadline:
            return
        out = self.engine.tick(self.clock())
        self.deadline = out.next_deadline
        self.speak(out.messages)

    # -- acting --------------------------------------------------------------------------------------
    def handle(self, heard: Heard) -> None:
        if not heard.text:
            return
        self.log(f"You: {heard.text}" + (f"  [{heard.command}]" if heard.command else ""))
        if self.must_stop(heard):
            self.asking = None
            self.stop_for_safety(heard.heard_as or heard.text)
            return
        if self.answered(heard):
            return
        reading = self.read(heard)
        if reading.meaning is not None:
            meant = reading.meaning
            self.log(f"  ({meant.act} {meant.command or ''} {meant.confidence:.2f})")
        if reading.act == "command":
            self.last_obeyed = (reading.command, heard.end)
            self.command(reading.command)
        elif reading.act == "not_by_voice":
            self.speak([NOT_BY_VOICE if self.active() else NO_ROUTINE])
        elif reading.act == "ask":
            self.asking = (reading.command, self.clock() + ASK_WINDOW_S)
            self.asked_about.append(reading.command)
            self.speak([voice_meaning.ask_back(reading.command)])
        elif reading.act in ("question", "remark"):
            self.ask(heard.text, quiet=reading.act == "remark")

    def must_stop(self, heard: Heard) -> bool:
        """Pain or a warning sign in what was heard, during a routine: it stops first. What the
        engine wrote itself counts too, before a command phrase was fitted to the sound."""
        said = heard.heard_as or heard.text
        return self.active() and any(self.control.must_stop(t) for t in {heard.text, said})

    def read(self, heard: Heard, allowed: tuple | None = None) -> Reading:
        """What `heard` asks of the routine, with nothing done yet: a command (from the phrase
        table, or by meaning among `allowed`, by default the commands that make sense now), a
        command to ask back about, a chat-only phrase, a question for the bot, a remark (sent on
        only for its warning-sign check) or nothing. The loop acts on it (`handle`);
        `stretchbot voice --wav` prints it (`read_utterances`)."""
        table = default_commands()
        if heard.command:
            return Reading("command", heard.command)
        if table.match(heard.text) and not table.by_voice(heard.text) and not heard.unsure:
            return Reading("not_by_voice")
        if self.active() and heard.follows_command:  # the rest of a sentence whose start was obeyed
            return self.meant(heard, ())
        if self.active() and not heard.unsure:
            # "where am I?" and "do this one again": answered from the routine here, not by the bot
            extra = table.match(heard.text)
            if extra in ("status", "redo"):
                return Reading("command", extra)
        if self.active():
            return self.meant(heard, allowed_commands(self.engine) if allowed is None else allowed)
        if len(heard.text.split()) >= MIN_QUESTION_WORDS and not heard.unsure:
            return Reading("question")
        return Reading("nothing")

    def meant(self, heard: Heard, allowed: tuple) -> Reading:
        """During a routine: a command in the user's own words ("pass on this one", "are we nearly
        there?"), understood by meaning from everything the recognizer may have heard (its N-best
        list), among `allowed`; unsure: ask back; a clear question: the bot answers it; anything
        else (talk to someone in the room) is a remark. With nothing `allowed` (the rest of a
        sentence whose start was obeyed) it is no command at all."""
        close = (*heard.close, *voice_meaning.inside(default_commands(), heard.text))
        words = voice_meaning.one_words(default_commands())
        meant = voice_meaning.interpret(
            self.understanding().commands,
            heard.hypotheses,
            allowed,
            close,
            same_now(self.engine),
            words,
        )
        sound = self.sounds_like(heard, allowed, meant)
        if sound is not None:
            meant = voice_meaning.Meaning(sound, meant.confidence, "obey", agreed=True)
        if meant.act == "obey" and meant.agreed and self.just_obeyed(meant.command, heard):
            return Reading("nothing", meaning=meant)
        if meant.act == "obey" and not heard.unsure:
            return Reading("command", meant.command, meant)
        if meant.act in ("obey", "ask"):
            return Reading("ask", meant.command, meant)
        if len(heard.text.split()) >= MIN_QUESTION_WORDS and not heard.unsure:
            return Reading("question" if meant.act == "question" else "remark", meaning=meant)
        return Reading("nothing", meaning=meant)

    @staticmethod
    def sounds_like(heard: Heard, allowed: tuple, meant) -> str | None:
        """The command a short reading whose words mean none sounds like ("paul" for pause,
        `voice.sounds`), or the one they are unsure of when it sounds like it too; else None."""
        if not allowed or heard.unsure or meant.act == "obey":
            return None
        table = default_commands()
        if table.match(heard.text) or heard.text in {p for p, _ in table.examples}:
            return None  # a phrase heard as itself: its words decide, not its sound
        sound = default_sounds().command(heard.text, allowed)
        if sound is None or (meant.act == "ask" and meant.command != sound):
            return None
        return sound

    def answered(self, heard: Heard) -> bool:
        """A yes or no to "Did you say ...?" (any other words drop the question)."""
        asking, self.asking = self.asking, None
        if asking is None or self.clock() > asking[1] or not self.active():
            return False
        reply = voice_meaning.answer(heard.text)
        if reply == "yes":
            self.obey(self.control.command(self.engine, asking[0], self.clock()))
        elif reply == "no":
            self.speak(["OK."])
        return reply is not None

    def active(self) -> bool:
        return self.engine is not None and self.engine.status in (RUNNING, PAUSED)

    def command(self, name: str) -> None:
        if not self.active():
            if name == "stop":
                self.speak([GOODBYE])
                self.done = True
            else:
                self.speak([NO_ROUTINE])
            return
        self.obey(self.control.command(self.engine, name, self.clock()))

    def obey(self, done) -> None:
        if done.moved:
            self.deadline = done.deadline
        self.speak(done.messages)

    def just_obeyed(self, command: str, heard: Heard) -> bool:
        """Whether `heard` began less than AGAIN_S after the speech that gave `command`."""
        last = self.last_obeyed
        return last is not None and last[0] == command and heard.start - last[1] < AGAIN_S

    def understanding(self):
        if self._understanding is None:
            from bot.understanding import default_understanding

            self._understanding = default_understanding()
        return self._understanding

    def stop_for_safety(self, text: str) -> None:
        """Pain or a warning sign during a routine: the routine stops first, whatever the bot says
        (or if it can't be reached); then the bot's fuller answer, if it has one, is spoken."""
        stretch = self.engine.current_stretch
        self.control.stop_for_safety(self.engine, self.clock())
        self.deadline = None
        self.save()
        try:
            reply = self.bot.send(text, stretch=stretch)
            advice = reply.texts if reply.red_flag else []
        except BotUnavailable as exc:
            self.log(str(exc))
            advice = []
        self.speak([*(advice or [self.control.safety_advice()]), STOPPED_FOR_SAFETY])

    def ask(self, text: str, quiet: bool = False) -> None:
        """Send `text` to the bot and say its answer (`quiet`: only a warning-sign answer)."""
        stretch = self.engine.current_stretch if self.active() else None
        try:
            reply = self.bot.send(text, stretch=stretch)
        except BotUnavailable as exc:
            self.log(str(exc))
            if quiet:
                return
            self.speak(
                ["I can't reach Stretchbot's server, so I can only follow routine commands."]
            )
            return
        if reply.red_flag and self.active():  # the bot saw a warning sign: no routine goes on
            self.control.stop_for_safety(self.engine, self.clock())
            self.deadline = None
            self.save()
            self.speak([*reply.texts, STOPPED_FOR_SAFETY])
            return
        if quiet:
            return
        self.speak(reply.texts)
        if reply.routine is not None:
            self.start(reply.routine)

    def start(self, routine: Routine) -> None:
        phases = build_phases(routine, self.catalogue, self.scale)
        self.engine, self.routine = RoutineEngine(phases), routine
        out = self.engine.start(self.clock())
        self.deadline = out.next_deadline
        self.save()
        self.speak(out.messages)

    # -- surviving a crash -------------------------------------------------------------------------
    def save(self) -> None:
        if self.store is None or self.engine is None:
            return
        if self.engine.status in (FINISHED, STOPPED):
            self.store.clear()
        else:
            self.store.save(self.routine, self.engine, self.scale, self.clock())

    def recover(self) -> str | None:
        """A routine the last voice session left half-way (it crashed or was closed): load it
        paused and offer to resume it, as chat does."""
        if self.store is None:
            return None
        found = self.store.load(self.catalogue)
        if found is None:
            return None
        self.routine, self.engine, self.scale = found
        self.deadline = None
        number, count = self.engine.progress()
        stretch = self.catalogue.stretch(self.engine.current_stretch).name
        return (
            f"Welcome back! You were in the middle of the {name_of(self.routine)}: stretch {number} of "
            f"{count}, {stretch}. Say resume to carry on, or stop to end it."
        )


def same_now(engine: RoutineEngine | None) -> tuple:
    """Commands that do the same thing in the routine's state, for the understanding step to weigh
    as one (`voice.meaning.Pooled`): while a stretch is introduced and the routine runs, "next" and
    "skip" both go on to the next stretch (`RoutineControl.command`). On the spoken dev part:
    speakers 0, 2, 5, 7 right 232 -> 234 of 296, the other six 352 -> 353 of 444, wrong (4, 8) and
    false (10 of 144, 8 of 216) unchanged. Not while paused, where the same holds but what is said
    is mostly "resume": "unpause" heard as "and pass" (a word of skip) was then obeyed as skip (one
    wrong command more on the other six, one right fewer gained)."""
    if engine is None or engine.status != RUNNING or engine.phase.kind != "intro":
        return ()
    return (("next", "skip"),)


def name_of(routine: Routine) -> str:
    return routine.name[:1].lower() + routine.name[1:]


class RoutineStore:
    """The voice routine on disk, so it survives the voice process. It is always stored paused at
    the point reached (clock times don't carry over from one process to the next)."""

    def __init__(self, path: Path = settings.VOICE_ROUTINE_FILE):
        self.path = Path(path)
        self.last: str | None = None

    def save(self, routine: Routine, engine: RoutineEngine, scale: float, now: float) -> None:
        state = dict(engine.to_dict())
        state.update(status=PAUSED, elapsed=engine.in_phase(now), since=None)
        data = json.dumps({"routine": routine.dict(), "engine": state, "scale": scale})
        if data == self.last:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(data)
            tmp.replace(self.path)
            self.last = data
        except OSError:
            pass  # not being able to keep the routine must never stop it

    def clear(self) -> None:
        self.last = None
        self.path.unlink(missing_ok=True)

    def load(self, catalogue: Catalogue):
        try:
            data = json.loads(self.path.read_text())
            routine = Routine.parse_obj(data["routine"])
            scale = float(data["scale"])
            engine = RoutineEngine.from_dict(
                build_phases(routine, catalogue, scale), data["engine"]
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.clear()  # from an older version, or damaged: start afresh
            return None
        if not engine.active:
            self.clear()
            return None
        return routine, engine, scale


class _Quiet:
    """Listener and speaker for reading recordings: nothing is heard live, nothing is said."""

    def listen(self, timeout=None):
        raise EOFError

    def mute(self) -> None:
        pass

    def unmute(self) -> None:
        pass

    def say(self, text: str) -> None:
        pass


def read_utterances(
    heard: Sequence[Heard], catalogue: Catalogue | None = None
) -> List[Tuple[Heard, Reading]]:
    """What voice mode makes of each utterance of one recording (`stretchbot voice --wav`):
    (utterance, Reading) for each, read as the loop reads speech during a
    routine. A recording says nothing of the routine's state, so none rules a command out: the
    routine is in a stretch's hold and every command is allowed ("resume" too). Nothing is said,
    sent or done; a command read counts as obeyed for what follows (the rest of its sentence, the
    same command agreed again). Pain or a warning sign reads as a stop, as it stops the routine."""
    catalogue = catalogue or default_catalogue()
    quiet = _Quiet()
    session = VoiceSession(quiet, quiet, None, clock=lambda: 0.0, sleep=lambda s: None,
                           catalogue=catalogue, scale=1.0)  # fmt: skip
    session.start(catalogue.routines[sorted(catalogue.routines)[0]])
    session.obey(session.control.command(session.engine, "next", 0.0))  # into the hold
    out = []
    for one in heard:
        if not one.text:
            continue
        if session.must_stop(one):
            out.append((one, Reading("command", "stop", for_safety=True)))
            continue
        reading = session.read(one, allowed=ALL_COMMANDS)
        if reading.act == "command":
            session.last_obeyed = (reading.command, one.end)
        out.append((one, reading))
    return out

"""The hands-free loop: listen, act, speak; the routine runs here on the shared engine.

One thread does everything, so two cues can never be spoken at once: a cue that falls due while
Stretchbot is speaking is said right after. The microphone is muted from the first word until
`guard` seconds after the last one, so Stretchbot never hears itself; between cues it listens, and
"stop" or "pause" act as soon as the utterance ends. The clock, the sleep, the listener and the
speaker are injected (the tests use fakes).
"""

from __future__ import annotations

import time
from typing import Callable, Iterable

from bot import settings
from bot.catalogue import Catalogue, Routine, default_catalogue
from bot.commands import default_commands
from bot.routine import PAUSED, RUNNING, RoutineEngine, build_phases, status_text
from voice.bot import BotUnavailable
from voice.recognizer import Heard

GREETING = (
    "Hi, I'm Stretchbot. Ask me about a stretch, or say something like: start the daily routine."
)
NO_ROUTINE = "There's no routine running. Say, for example: start the daily routine."
GOODBYE = "Goodbye. Nice stretching with you."
# For a chat command that voice mode leaves out ("go on" sounds like "hold on"): nothing is done.
NOT_BY_VOICE = "To move on, say next. After a pause, say resume."
MIN_QUESTION_WORDS = 2  # shorter stray words (a cough heard as "the") are not sent to the bot


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
    ):
        self.listener, self.speaker, self.bot = listener, speaker, bot
        self.clock, self.sleep, self.guard = clock, sleep, guard
        self.catalogue = catalogue or default_catalogue()
        self.scale = scale
        self.log = log
        self.engine: RoutineEngine | None = None
        self.deadline: float | None = None
        self.done = False
        self.bot_down = False

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
        if greet:
            self.speak([GREETING])
        while not self.done:
            self.step()

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
        table = default_commands()
        if heard.command:
            self.command(heard.command)
        elif table.match(heard.text) and not table.by_voice(heard.text):
            self.speak([NOT_BY_VOICE if self.active() else NO_ROUTINE])
        elif self.active() and self.local_command(heard.text):
            return
        elif len(heard.text.split()) >= MIN_QUESTION_WORDS:
            self.ask(heard.text)

    def active(self) -> bool:
        return self.engine is not None and self.engine.status in (RUNNING, PAUSED)

    def command(self, name: str) -> None:
        now = self.clock()
        if not self.active():
            if name == "stop":
                self.speak([GOODBYE])
                self.done = True
            else:
                self.speak([NO_ROUTINE])
            return
        if name == "time_left":
            self.speak([self.engine.time_left_text(now)])
            return
        out = getattr(self.engine, name)(now)
        self.deadline = out.next_deadline
        self.speak(out.messages)

    def local_command(self, text: str) -> bool:
        """ "Where am I?" and "do this one again" during a routine: only this loop knows where the
        routine is, so they are answered here, not by the bot. (They are not among the eight
        commands `--wav` reports.)"""
        extra = default_commands().match(text)
        now = self.clock()
        if extra == "status":
            self.speak([status_text(self.engine, self.catalogue, now)])
        elif extra == "redo":
            out = self.engine.redo(now)
            self.deadline = out.next_deadline
            self.speak(out.messages)
        return extra in ("status", "redo")

    def ask(self, text: str) -> None:
        stretch = self.engine.current_stretch if self.active() else None
        try:
            reply = self.bot.send(text, stretch=stretch)
        except BotUnavailable as exc:
            self.log(str(exc))
            self.speak(
                ["I can't reach Stretchbot's server, so I can only follow routine commands."]
            )
            return
        self.speak(reply.texts)
        if reply.routine is not None:
            self.start(reply.routine)

    def start(self, routine: Routine) -> None:
        phases = build_phases(routine, self.catalogue, self.scale)
        self.engine = RoutineEngine(phases)
        out = self.engine.start(self.clock())
        self.deadline = out.next_deadline
        self.speak(out.messages)

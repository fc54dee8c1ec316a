"""Listening: audio blocks -> utterances (PocketSphinx's endpointer) -> words (Vosk or PocketSphinx)
-> a routine command or free text.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, List

import numpy as np

from bot import settings
from voice.audio import RATE
from voice.engine import Engine, Transcript
from voice.matching import CommandMatcher

FRAME_S = 0.01
AT_ONCE = (
    "pause",
    "stop",
)  # commands handed on as soon as their utterance closes (stop: see below)
PRE_ROLL_S = 0.3  # audio kept before the start of speech
CONTINUATION_S = 0.7  # speech after a shorter gap continues the sentence before it
# ...but speech that surely means a command by itself (`Listener.sure`) is handed on after this
# (0.3 s, with `voice.meaning.SURE`, on the spoken dev slice: right 68.9 -> 69.3%, wrong and false
# unchanged; the wait of such commands 0.8 -> 0.4 s after the end of speech).
SURE_CONTINUATION_S = 0.3
# A command phrase (pause and stop aside: the safety commands are obeyed at once, or wait for the
# end of the sentence) is handed on once the voice has been quiet this long after it, not at once:
# speech that starts again before then is the same sentence ("next | week i'll try the longer
# routine", "i need to go back | to the doctor"), heard and judged whole. On the spoken dev part
# (2026-12-05): speakers 0, 2, 5, 7 false 6.9 -> 5.6%, the other six 3.7 -> 2.3%, wrong 1.8 -> 1.6%,
# right unchanged (79.7%, 80.0%); end of speech to command p50 480 -> 550 ms and 340 -> 350 ms,
# p95 unchanged (1740, 1200 ms; recognition time left out); background talk 0 false commands.
COMMAND_CONTINUATION_S = 0.2
# Early decoding: once the voice has been quiet this long, the utterance so far is decoded at
# once, while the endpointer is still making sure the speech is over; if it is, that result is
# used, so only the endpointer's wait lies between the end of speech and the command.
SPECULATE_S = 0.03
# Moonshine often writes nothing for a whole utterance when noise or other people's talk goes on
# after the words, although it heard them in the utterance's first part, decoded early as the voice
# went quiet ("freeze" as "god freeze", then nothing once the talk behind was added). Then the last
# early reading with words stands, if it covered at least this much speech: on the spoken dev part
# (2026-12-05) speakers 0, 2, 5, 7 right 238 -> 239 of 296 (freeze, a pause), asked back 3.0 ->
# 3.4%, the other six right unchanged (355 of 444), asked back 3.4 -> 3.6%, wrong and false unchanged
# on both. With no minimum, a 0.1 s fragment of talk after "let's call it a day" read as "huh" was
# obeyed as repeat (a wrong command); 0.8 s lost "god freeze" (0.7 s of speech).
EARLY_WORDS_MIN_S = 0.5


@dataclass
class Heard:
    text: str  # what was heard ("" for nothing intelligible)
    command: str | None  # a voice command, or None
    start: float  # seconds of audio (from the start of listening) where speech began
    end: float  # where the endpointer put its end
    closed: float  # audio time at which the utterance was closed (end + endpointing delay)
    compute_s: float  # recognition time after the close
    unsure: bool = False  # a command phrase the engine doubts: never obeyed, never sent on
    ready_at: float | None = None  # audio time it was handed out (later than `closed` when held)
    alternatives: tuple = ()  # the engine's other hypotheses (N-best), best first
    heard_as: str = ""  # the engine's free reading, when `text` is a command phrase fitted to it
    # Began less than CONTINUATION_S after a command: the rest of that sentence (its start was
    # obeyed), never a command again, by table or by meaning.
    follows_command: bool = False
    close: tuple = ()  # the alternatives fitted to the audio nearly as well (`Transcript.close`)

    @property
    def hypotheses(self) -> list:
        """Everything it may have been, best first (for the understanding step)."""
        return [self.text, *self.alternatives] if self.text else list(self.alternatives)

    @property
    def latency_s(self) -> float:
        """End of speech to command decided: endpointing delay plus recognition time."""
        return max(0.0, self.closed - self.end) + self.compute_s


class Segmenter:
    """Cuts a stream of 16 kHz blocks into utterances with PocketSphinx's VAD endpointer."""

    def __init__(
        self,
        window: float = settings.VOICE_ENDPOINT_WINDOW_S,
        max_s: float = settings.VOICE_MAX_UTTERANCE_S,
    ):
        from pocketsphinx import Endpointer, Vad

        self._vad = Vad(mode=3, sample_rate=RATE, frame_length=FRAME_S)
        self._quiet = 0  # non-speech frames in a row, in speech
        self.paused_at: float | None = None  # when the voice went quiet, if it has not come back
        self.on_pause: Callable[[np.ndarray, float, float], None] | None = None
        self._make = lambda: Endpointer(
            window=window, ratio=0.8, vad_mode=3, sample_rate=RATE, frame_length=FRAME_S
        )
        self.ep = self._make()
        self._origin = 0.0  # where the endpointer's own clock starts, in seconds of audio
        self.frame = self.ep.frame_bytes // 2
        self.max_samples = int(max_s * RATE)
        self._pending = np.zeros(0, dtype="<i2")
        self._speech: List[np.ndarray] = []
        self._start = 0.0
        self.clock = 0  # samples seen
        # Recent audio, so an utterance can be cut with the background before it: the recognizer's
        # noise estimate needs the real room noise, not digital silence.
        self._history: deque = deque(maxlen=int((max_s + PRE_ROLL_S + 1) / FRAME_S))

    def reset(self) -> None:
        """Forget any speech in progress (after the mic was muted)."""
        self._renew()
        self._speech, self._pending = [], np.zeros(0, dtype="<i2")
        self._history.clear()
        self._quiet, self.paused_at = 0, None

    def _renew(self) -> None:
        """A fresh endpointer. Its times (`speech_start`, `speech_end`) count from its own first
        frame, so where that lies in the audio is kept (`_origin`)."""
        self.ep, self._origin = self._make(), self.clock / RATE

    def feed(self, block: np.ndarray) -> List[tuple[np.ndarray, float, float, float]]:
        """Utterances closed by this block: (samples, start s, end s, closed-at s)."""
        out = []
        data = np.concatenate([self._pending, block])
        usable = len(data) // self.frame * self.frame
        self._pending = data[usable:]
        for i in range(0, usable, self.frame):
            frame = data[i : i + self.frame]
            self._history.append((self.clock, frame))
            self.clock += self.frame
            closed = self._step(frame)
            if closed is not None:
                out.append(closed)
        return out

    def _step(self, frame: np.ndarray):
        was = self.ep.in_speech
        speech = self.ep.process(frame.tobytes())
        self._watch_pause(frame)
        if speech is None:
            return None
        if not was:
            self._start = self.ep.speech_start + self._origin
            self._speech = []
            self.paused_at = None
        self._speech.append(np.frombuffer(speech, dtype="<i2"))
        too_long = sum(len(s) for s in self._speech) >= self.max_samples
        if self.ep.in_speech and not too_long:
            return None
        end = self.ep.speech_end + self._origin if not self.ep.in_speech else self.clock / RATE
        if too_long:
            self._renew()
            self.paused_at = None
        return self._close(end)

    def _watch_pause(self, frame: np.ndarray) -> None:
        """Tell `on_pause` (with the audio so far) when the voice has just gone quiet in speech."""
        if not self.ep.in_speech:
            self._quiet = 0  # `paused_at` is kept: the utterance it belongs to may close now
            return
        if self._vad.is_speech(frame.tobytes()):
            self._quiet, self.paused_at = 0, None
            return
        self._quiet += 1
        if self._quiet == round(SPECULATE_S / FRAME_S):
            self.paused_at = self.clock / RATE
            if self.on_pause is not None:
                start = self.ep.speech_start + self._origin
                self.on_pause(self.cut(start), start, self.paused_at)

    def _close(self, end: float):
        audio = self.cut(self._start)
        self._speech = []
        return audio, self._start, end, self.clock / RATE

    def cut(self, start: float) -> np.ndarray:
        """The audio from `start` seconds (less the pre-roll) up to now."""
        first = int((start - PRE_ROLL_S) * RATE)
        frames = [f for at, f in self._history if at >= first]
        return np.concatenate(frames) if frames else np.zeros(0, dtype="<i2")

    @property
    def in_speech(self) -> bool:
        return bool(self.ep.in_speech)

    def flush(self):
        """At the end of a file: the utterance still open, if any."""
        if not self._speech:
            return None
        return self._close(self.clock / RATE)


class Listener:
    """Source + segmenter + engine + matcher: `listen(timeout)` returns one Heard or None."""

    def __init__(
        self, source, engine: Engine, matcher: CommandMatcher | None = None, clock=time.monotonic
    ):
        self.source = source
        self.engine = engine
        self.matcher = matcher or engine.matcher
        self.segmenter = Segmenter()
        self.clock = clock
        self._ready: List[Heard] = []
        self.fuzzy = engine.fuzzy_commands
        self._held: Heard | None = None  # speech that may go on after a pause
        # The utterance decoded early, when the voice went quiet: (start, quiet at, result).
        self._early: tuple | None = None
        # The last early decoding of the utterance in progress that heard words, over at least
        # EARLY_WORDS_MIN_S of speech (the same form).
        self._early_words: tuple | None = None
        self.segmenter.on_pause = self._decode_early
        self._after_command: float | None = None  # end of the last command
        # Whether held speech surely means a command by itself (then it waits SURE_CONTINUATION_S
        # for more instead of CONTINUATION_S); None: every held utterance waits the full time.
        self.sure: Callable[[Heard], bool] | None = None
        self._sure: tuple | None = None  # (held utterance, its verdict)

    def mute(self) -> None:
        self._release()  # speech held for its possible continuation is delivered, not lost
        self.source.mute()

    def unmute(self) -> None:
        self.source.unmute()
        self.segmenter.reset()
        self._held, self._after_command, self._early = None, None, None
        self._early_words = None

    def listen(self, timeout: float | None = None) -> Heard | None:
        """The next utterance heard within `timeout` seconds (None: none yet).
        Raises EOFError when a file source is used up."""
        deadline = None if timeout is None else self.clock() + timeout
        while not self._ready:
            left = None if deadline is None else max(0.0, deadline - self.clock())
            try:
                block = self.source.read(timeout=min(left, 0.1) if left is not None else 0.1)
            except EOFError:
                last = self.segmenter.flush()
                if last is not None:
                    self.utterance(*last)
                self._release()
                if not self._ready:
                    raise
                break
            if block is not None:
                for utterance in self.segmenter.feed(block):
                    self.utterance(*utterance)
                self._release_if_over()
            if deadline is not None and self.clock() >= deadline and not self._ready:
                return None
        return self._ready.pop(0)

    def utterance(self, audio: np.ndarray, start: float, end: float, closed: float) -> None:
        """A closed utterance: a command is given out at once; other speech is held until the
        sentence is surely over, because a pause may have cut it ("go to the | next step")."""
        held, early, self._early = self._held, self._early, None
        words, self._early_words = self._early_words, None
        if held is not None and start - held.end < CONTINUATION_S:
            audio, start = self.segmenter.cut(held.start), held.start  # the whole sentence
            early = words = None
        elif held is not None:
            self._release()
        if early is not None and (early[0], early[1]) == (start, self.segmenter.paused_at):
            heard = self._heard_early(early, end, closed)
        else:
            heard = self.recognize(audio, start, end, closed)
        if not heard.text and words is not None and words[0] == start:
            # nothing heard in the whole, words in its first part: they stand
            heard = self._heard_early(words, end, closed, waited=heard.compute_s)
        if self._after_command is not None and start - self._after_command < CONTINUATION_S:
            # the rest of a sentence whose start was taken as a command ("back | to the last one
            # please", heard with the end of "back" as "back to the last one please")
            heard.command, heard.follows_command = None, True
        if heard.command and (self._wait_for_more(heard) or heard.command not in AT_ONCE):
            self._held = heard  # obeyed when the sentence is over, unless more speech changes it
        elif heard.command:
            self._held = None
            self._after_command = heard.end
            heard.ready_at = closed
            self._ready.append(heard)
        elif heard.text:
            self._held = heard
        else:
            self._release()

    def _wait_for_more(self, heard: Heard) -> bool:
        """A stop said with other words ("alright, I'm done now..."), or one that begins another
        command's phrase ("i'm done" | "with this one"), waits for the end of the sentence: ending
        the routine can't be undone, and what follows may change its meaning ("...please
        resume"). A bare "stop" (and every other command) is obeyed at once."""
        if heard.command != "stop":
            return False
        key = self.matcher.table.key(heard.text)
        longer = any(  # "i'm done" begins "i'm done with this one" (next)
            phrase.startswith(key + " ") and command != "stop"
            for phrase, command in self.matcher.keys
        )
        return longer or key != " ".join(heard.text.split())

    def _release_if_over(self) -> None:
        held = self._held
        if held is None or self.segmenter.in_speech:
            return
        gap = self.segmenter.clock / RATE - held.end
        if gap >= CONTINUATION_S:
            self._release()
        elif gap >= COMMAND_CONTINUATION_S and held.command not in (None, *AT_ONCE):
            self._release()
        elif gap >= SURE_CONTINUATION_S and self._surely_command(held):
            self._release()
            self._after_command = held.end  # what follows is the rest of that sentence

    def _surely_command(self, held: Heard) -> bool:
        if self.sure is None:
            return False
        if self._sure is None or self._sure[0] is not held:
            self._sure = (held, bool(self.sure(held)))
        return self._sure[1]

    def _release(self) -> None:
        """Hand the held speech on (a doubted command phrase too: the loop's understanding step
        weighs it with the other hypotheses and may ask back, but never obeys it as heard)."""
        if self._held is not None:
            self._held.ready_at = self.segmenter.clock / RATE
            if self._held.command:
                self._after_command = self._held.end
            self._ready.append(self._held)
        self._held = None

    def recognize(self, audio: np.ndarray, start: float, end: float, closed: float) -> Heard:
        text, command, unsure, alternatives, compute_s, heard_as, close = self._decode(audio)
        return Heard(
            text, command, start, end, closed, compute_s, unsure, None, alternatives, heard_as,
            close=close,
        )  # fmt: skip

    def _decode(self, audio: np.ndarray) -> tuple:
        began = time.perf_counter()
        heard = self.engine.hear(audio) if len(audio) else Transcript("")
        text = heard.text
        command = self.matcher.match(text, fuzzy=self.fuzzy).command
        # A doubted command phrase (another command scored nearly as well) is held like other
        # speech, so what follows a pause can still complete it; it is never obeyed as heard.
        unsure = bool(command) and heard.doubtful
        if unsure:
            command = None
        compute_s = time.perf_counter() - began
        return text, command, unsure, heard.alternatives, compute_s, heard.heard_as, heard.close

    def _decode_early(self, audio: np.ndarray, start: float, at: float) -> None:
        self._early = (start, at, self._decode(audio))
        if self._early[2][0] and at - start >= EARLY_WORDS_MIN_S:
            self._early_words = self._early

    def _heard_early(
        self, early: tuple, end: float, closed: float, waited: float | None = None
    ) -> Heard:
        """The early result: ready when its decoding, begun as the voice went quiet, was done
        (`compute_s` is what is left of it once the endpointer has closed the utterance; `waited`:
        the time spent after the close instead, when the whole was decoded too)."""
        start, at, (text, command, unsure, alternatives, compute_s, heard_as, close) = early
        waiting = max(0.0, at + compute_s - closed) if waited is None else waited
        return Heard(
            text, command, start, end, closed, waiting, unsure, None, alternatives, heard_as,
            close=close,
        )  # fmt: skip


def choose_engine(say: Callable[[str], None] = print, want: str = "auto"):
    """Vosk when a model is installed, else the built-in Moonshine model, else PocketSphinx; says
    which, and how to get Vosk."""
    from voice import vosk_engine
    from voice.audio import AudioError

    path = vosk_engine.model_path()
    if settings.VOSK_MODEL_PATH and path is None:
        say(
            f"VOSK_MODEL_PATH={settings.VOSK_MODEL_PATH} is not a Vosk model folder; "
            "using the built-in recognizer."
        )
    if want in ("auto", "vosk") and path is not None:
        try:
            engine = vosk_engine.VoskEngine(path)
        except Exception as exc:  # vosk raises a bare Exception for a damaged model
            if want == "vosk":
                raise AudioError(f"the Vosk model at {path} could not be loaded ({exc})") from None
            say(f"The Vosk model at {path} could not be loaded ({exc}); using the built-in one.")
        else:
            say(f"Speech recognition: Vosk ({path.name}).")
            return engine
    if want == "vosk":
        raise AudioError(
            "no Vosk model installed: run `stretchbot voice-model` or set VOSK_MODEL_PATH"
        )
    if want in ("auto", "moonshine"):
        from voice import moonshine_engine

        try:
            engine = moonshine_engine.MoonshineEngine()
        except (moonshine_engine.MoonshineUnavailable, ImportError, OSError) as exc:
            if want == "moonshine":
                raise AudioError(f"the Moonshine model could not be loaded ({exc})") from None
            say(f"The Moonshine model could not be loaded ({exc}); using PocketSphinx.")
        else:
            say("Speech recognition: Moonshine (built in).")
            return engine
    from voice.sphinx import SphinxEngine

    say(
        "Speech recognition: PocketSphinx (built in, less accurate). For Vosk, run "
        "`stretchbot voice-model` (downloads about 40 MB) or set VOSK_MODEL_PATH."
    )
    return SphinxEngine()

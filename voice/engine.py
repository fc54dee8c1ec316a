"""The interface every speech recognizer implements for the listener (voice/recognizer.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Tuple

import numpy as np

from voice.matching import CommandMatcher


@dataclass(frozen=True)
class Transcript:
    """What an engine heard in one utterance."""

    text: str  # the words, command phrases spelled out ("" for nothing intelligible)
    doubtful: bool = False  # a command phrase the engine itself doubts (a rival command was close)
    # Other things it may have heard (its N-best list, best first, `text` not repeated): the
    # understanding step reads them all, so a command on the second path is not lost.
    alternatives: Tuple[str, ...] = ()
    # The engine's own free reading when `text` is a command phrase fitted to the audio instead
    # (Moonshine's command pass): pain or a warning sign in it still stops a routine.
    heard_as: str = ""
    # Those of `alternatives` that are command phrases fitted to the audio nearly as well as `text`
    # (Moonshine: within FIT_AGREE nats): when `text` itself means the same command, the sound and
    # the meaning agree on it (voice/meaning.py).
    close: Tuple[str, ...] = ()


class Engine(Protocol):
    """A speech recognizer behind the listener (Vosk, Moonshine, PocketSphinx, or a test's fake)."""

    name: str
    matcher: CommandMatcher
    # Whether a command phrase may be matched with a small spelling slip (an engine with a large
    # vocabulary writes near-misses; one with a command grammar does not).
    fuzzy_commands: bool

    def hear(self, audio: np.ndarray) -> Transcript: ...

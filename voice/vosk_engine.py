"""Vosk engine, used when a Vosk model is installed (`stretchbot voice-model` or VOSK_MODEL_PATH).

Two passes over the same utterance: a grammar pass that may only say a command phrase or `[unk]`
(anything else), accepted when every word's confidence is high enough; then, when that found no
command, a free pass that gives the words of a question for the bot.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bot import settings
from voice.engine import Transcript
from voice.matching import CommandMatcher

# Every word of a command phrase must reach this for the grammar pass to decide alone. Not a
# measured figure (no Vosk model can be had where this was built; the Vosk tests run wherever one
# is): below it the grammar's reading is not dropped but handed to the understanding step as a
# second reading beside the free pass's words, where the routine's state and meaning decide.
MIN_CONFIDENCE = 0.6


def model_path() -> Path | None:
    """The Vosk model to use, or None: VOSK_MODEL_PATH, else the one `voice-model` downloads."""
    for candidate in (settings.VOSK_MODEL_PATH, settings.VOSK_MODEL_DIR):
        if candidate and is_model(Path(candidate)):
            return Path(candidate)
    return None


def is_model(path: Path) -> bool:
    return (path / "am").is_dir() or (path / "conf" / "model.conf").is_file()


class VoskEngine:
    name = "Vosk"
    fuzzy_commands = True  # the free pass writes near-misses of command phrases

    def __init__(self, path: Path, matcher: CommandMatcher | None = None):
        import vosk

        vosk.SetLogLevel(-1)
        self.matcher = matcher or CommandMatcher()
        self.model = vosk.Model(str(path))
        grammar = self.matcher.phrases() + ["[unk]"]
        self._grammar = json.dumps([p for p in grammar if self._known(p)])
        self._vosk = vosk

    def _known(self, phrase: str) -> bool:
        if phrase == "[unk]":
            return True
        return all(self.model.vosk_model_find_word(w) >= 0 for w in phrase.split())

    def _run(self, audio: np.ndarray, grammar: str | None) -> dict:
        if grammar is None:
            rec = self._vosk.KaldiRecognizer(self.model, 16000)
        else:
            rec = self._vosk.KaldiRecognizer(self.model, 16000, grammar)
        rec.SetWords(True)
        rec.AcceptWaveform(audio.astype("<i2").tobytes())
        return json.loads(rec.FinalResult())

    def hear(self, audio: np.ndarray) -> Transcript:
        result = self._run(audio, self._grammar)
        words = result.get("result", [])
        text = result.get("text", "")
        command = "[unk]" not in text and self.matcher.match(text).command
        if command and words and all(w.get("conf", 0) >= MIN_CONFIDENCE for w in words):
            return Transcript(text)
        free = self._run(audio, None).get("text", "")
        return Transcript(free, alternatives=(text,) if command and text != free else ())

    def transcribe(self, audio: np.ndarray) -> str:
        return self.hear(audio).text

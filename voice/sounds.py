"""Commands by their sound: a short reading the recognizer wrote that no command phrase matches and
whose words mean no command ("paul" for "pause", "consul" for "cancel", "skiff" for "skip") is
compared with the voice command phrases of content/commands.yml by their phonemes, as espeak-ng
spells them. The recognizer's language model turns a short command said unclearly into the nearest
everyday word; its sound often stays within a phoneme or two of the command's.

Used by the voice loop's meaning step (`voice.loop.VoiceSession.meant`) for readings of at most
MAX_WORDS words, among the commands that make sense in the routine's state. Without espeak-ng (which
voice mode speaks with) it finds nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from typing import Dict, Iterable, List, Sequence, Tuple

from rapidfuzz.distance import Levenshtein

# Set on the spoken dev parts (bench/voice_blind.py dev, ten speakers, and table, seven espeak-ng
# takes of the table phrases), never on the final parts, replaying the recorded readings (right /
# wrong / false, commands and non-commands): before, dev 628 / 7 / 4 of 740 / 360, table 766 / 11 / 58
# of 924 / 252. NEAREST 0.25, RIVAL 0.1, MAX_WORDS 4: dev 630 / 7 / 4, table 777 / 11 / 58 (MAX_WORDS
# 3: dev 628); NEAREST 0.3: table 783, but "next week" obeyed as next (false 64), which the rule on
# an allowed command's own word (`command`) stops: dev 632 / 7 / 4, table 784 / 11 / 58 (kept;
# "and pause" while paused is resume, "unpause"); 0.34: dev 634 but "and" obeyed as stop (wrong 11).
# Background talk (8.6 minutes): 0 false commands, 0 ask-backs, as before.
# A reading this much unlike the nearest phrase (phoneme edits / the longer phoneme string) is no
# command by sound.
NEAREST = 0.3
# Another command's phrase this much less near or closer: the sound does not tell them apart.
RIVAL = 0.1
# Longer readings are sentences, not a short command heard wrong.
MAX_WORDS = 4
_STRIP = re.compile(r"[',%=_!#\s]")


def _espeak() -> str | None:
    return shutil.which("espeak-ng")


@lru_cache(maxsize=4096)
def phonemes(text: str) -> str:
    """`text` as espeak-ng's phoneme letters, without stress marks and spaces ("" without
    espeak-ng)."""
    found = phonemes_of([text])
    return found[0] if found else ""


def phonemes_of(texts: Sequence[str]) -> List[str]:
    """The phonemes of each text (one espeak-ng run for all of them)."""
    program = _espeak()
    clean = [re.sub(r"[^a-z' ]", " ", t.lower()).strip() or "a" for t in texts]
    if program is None or not texts:
        return [""] * len(texts)
    try:
        out = subprocess.run(
            [program, "-q", "-x"], input="\n".join(clean) + "\n", capture_output=True,
            text=True, timeout=10, check=True,
        ).stdout.splitlines()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return [""] * len(texts)
    lines = [_STRIP.sub("", line) for line in out if line.strip()]
    if len(lines) != len(texts):  # a text espeak-ng split in two: one run each
        return [phonemes(t) for t in texts] if len(texts) > 1 else ["".join(lines)]
    return lines


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace) between two phoneme strings."""
    return Levenshtein.distance(a, b)


class SoundsLike:
    """The voice command phrases of up to MAX_WORDS words with their phonemes."""

    def __init__(self, phrases: Iterable[Tuple[str, str]]):
        pairs = [(p, c) for p, c in phrases if len(p.split()) <= MAX_WORDS]
        self.phrases: List[Tuple[str, str, str]] = [
            (p, c, s) for (p, c), s in zip(pairs, phonemes_of([p for p, _ in pairs]), strict=True)
            if s
        ]  # fmt: skip

    def nearest(self, text: str, allowed: Sequence[str]) -> Dict[str, float]:
        """Each allowed command's nearest phrase to `text` by sound, as the share of phonemes
        that differ (0: the same sound)."""
        heard = phonemes(text)
        out: Dict[str, float] = {}
        if not heard:
            return out
        for _, command, sound in self.phrases:
            if command in allowed:
                share = distance(heard, sound) / max(len(heard), len(sound))
                out[command] = min(share, out.get(command, 1.0))
        return out

    def command(self, text: str, allowed: Sequence[str]) -> str | None:
        """The command `text` sounds like, if one does (within NEAREST, no other command's phrase
        within RIVAL of it), else None."""
        if not text or len(text.split()) > MAX_WORDS:
            return None
        if set(text.split()) & {p for p, c, _ in self.phrases if c in allowed and " " not in p}:
            return None  # an allowed command's own word was heard: the words decide, not the sound
        ranked = sorted(self.nearest(text, allowed).items(), key=lambda kv: kv[1])
        if not ranked or ranked[0][1] > NEAREST:
            return None
        if len(ranked) > 1 and ranked[1][1] - ranked[0][1] < RIVAL:
            return None
        return ranked[0][0]


@lru_cache(maxsize=1)
def default_sounds() -> SoundsLike:
    from bot.commands import default_commands

    table = default_commands()
    return SoundsLike((p, c) for p, c in (*table.phrases, *table.examples) if table.by_voice(p))

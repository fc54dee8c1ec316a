"""Routine controls in plain words: "ok pause it please" -> "pause".

The phrases live in content/commands.yml. A message is a command only when, once filler words are
taken out, nothing but a command phrase is left, so questions that merely contain a command word
("what's the next stretch?", "wait, what muscles does this work?") stay questions. The voice mode
builds its grammar from the same table (`CommandTable.phrases`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.catalogue import Catalogue, ContentError, default_catalogue, normalise

CLAUSES = re.compile(r"[,.;:!?]+|\s+-\s+|\s+(?:and|but|so|because|cos)\s+")
QUESTION = re.compile(
    r"^(what|which|how|why|when|where|who|is|are|can|could|should|would|will|do|does|did)\b"
)
# The commands a voice session reports; the other ones (redo, status) are chat conveniences.
VOICE_COMMANDS = ("next", "previous", "pause", "resume", "repeat", "skip", "stop", "time_left")


def command_corpus(path: Path, catalogue: Catalogue) -> List[Tuple[str, str | None]]:
    """data/command_corpus.yml: (phrasing, command) pairs, command None for talk that is no
    command. A missing file gives none; a command the catalogue doesn't know is a ContentError."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or {}
    known = set(catalogue.commands.commands)
    pairs: List[Tuple[str, str | None]] = []
    for command, phrasings in (data.get("commands") or {}).items():
        if command not in known:
            raise ContentError(f"{path.name}: {command!r} is not a command of commands.yml")
        pairs += [(str(p), command) for p in phrasings or []]
    return pairs + [(str(p), None) for p in data.get("not_commands") or []]


class CommandTable:
    def __init__(self, catalogue: Catalogue):
        fillers = sorted(
            (normalise(f) for f in catalogue.commands.fillers), key=lambda f: (-len(f), f)
        )
        self._fillers = (
            re.compile(r"\b(" + "|".join(re.escape(f) for f in fillers if f) + r")\b")
            if fillers
            else None
        )
        self._lookup: Dict[str, str] = {}
        self.phrases: List[Tuple[str, str]] = []  # (phrase as written, command)
        for command, phrases in catalogue.commands.commands.items():
            for phrase in phrases:
                key = self.key(phrase)
                if not key:
                    raise ContentError(
                        f"commands.yml: field 'commands.{command}': {phrase!r} is only filler words"
                    )
                other = self._lookup.get(key)
                if other and other != command:
                    raise ContentError(
                        f"commands.yml: field 'commands.{command}': {phrase!r} is also a "
                        f"phrase of {other!r}"
                    )
                self._lookup[key] = command
                self.phrases.append((normalise(phrase), command))
        # Keys of the phrases voice mode does not take (content/commands.yml `not_by_voice`).
        self.not_by_voice = {self.key(p) for p in catalogue.commands.not_by_voice}
        # Phrasings in people's own words (content/commands.yml `examples`), (phrase, command).
        self.examples: List[Tuple[str, str]] = [
            (normalise(p), c) for c, ps in catalogue.commands.examples.items() for p in ps
        ]

    def by_voice(self, phrase: str) -> bool:
        """Whether voice mode takes this phrase (a sound-alike of another command's is left out)."""
        return self.key(phrase) not in self.not_by_voice

    def key(self, text: str) -> str:
        """The message with fillers and punctuation taken out: the part that must be a command."""
        text = normalise(text)
        if self._fillers is not None:
            text = self._fillers.sub(" ", text)
        return re.sub(r"\s+", " ", text).strip()

    def match(self, text: str) -> str | None:
        """The command a whole message gives, or None when it is anything else."""
        if not text or len(text) > 80:
            return None
        return self._lookup.get(self.key(text))

    def find(self, text: str) -> str | None:
        """The command in a typed message, which may come with a remark: "pause, my phone is
        ringing" is `pause`. Only when one clause is a command and no other clause asks something
        ("hold on, what muscles does this work?" is a question)."""
        if not text or len(text) > 160:
            return None
        whole = self.match(text)
        if whole:
            return whole
        clauses = [c for c in CLAUSES.split(text) if self.key(c)]
        found = [self.match(c) for c in clauses]
        commands = [c for c in found if c]
        if len(commands) != 1 or "?" in text:
            return None
        rest = [c for c, f in zip(clauses, found, strict=True) if not f]
        if any(QUESTION.match(normalise(c)) for c in rest):
            return None
        return commands[0]


@lru_cache(maxsize=1)
def default_commands() -> CommandTable:
    return CommandTable(default_catalogue())

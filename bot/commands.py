"""Routine controls in plain words: "ok pause it please" -> "pause".

The phrases live in content/commands.yml. A message is a command only when, once filler words are
taken out, nothing but a command phrase is left, so questions that merely contain a command word
("what's the next stretch?", "wait, what muscles does this work?") stay questions. The voice mode
builds its grammar from the same table (`CommandTable.phrases`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Tuple

from bot.catalogue import Catalogue, ContentError, default_catalogue, normalise

# The commands a voice session reports; the other ones (redo, status) are chat conveniences.
VOICE_COMMANDS = ("next", "previous", "pause", "resume", "repeat", "skip", "stop", "time_left")


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


@lru_cache(maxsize=1)
def default_commands() -> CommandTable:
    return CommandTable(default_catalogue())

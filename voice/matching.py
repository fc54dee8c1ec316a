"""From recognized words to a routine command, using the one phrase table (content/commands.yml).

Exact first: the words, fillers taken out, are a phrase of the table (`CommandTable.match`). Then a
cautious fuzzy step for engines that return free words (Vosk): a phrase with the same number of
words that differs by at most a few letters, and clearly closer than any phrase of another command.
`redo` and `status` are chat conveniences: in voice mode they are not commands (they become
questions for the bot, which answers them about the current stretch). Phrases listed under
`not_by_voice` (sound-alikes of another command's phrase, such as "go on" and "hold on") are
commands in chat only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from rapidfuzz import fuzz

from bot.commands import VOICE_COMMANDS, CommandTable, default_commands

FUZZY_MIN = 90.0  # rapidfuzz ratio (0-100) a heard phrase needs to a table phrase
FUZZY_MARGIN = 8.0  # and how much closer it must be than the best phrase of another command


@dataclass(frozen=True)
class Match:
    command: str | None
    how: str  # "exact", "fuzzy" or "none"


class CommandMatcher:
    def __init__(self, table: CommandTable | None = None):
        self.table = table or default_commands()
        self.keys: List[Tuple[str, str]] = []
        for phrase, command in self.table.phrases:
            key = self.table.key(phrase)
            if command in VOICE_COMMANDS and key and self.table.by_voice(phrase):
                self.keys.append((key, command))

    def match(self, text: str, fuzzy: bool = False) -> Match:
        command = self.table.match(text)
        if command in VOICE_COMMANDS and not self.table.by_voice(text):
            return Match(None, "not_by_voice")  # a sound-alike of another command's phrase
        if command in VOICE_COMMANDS:
            return Match(command, "exact")
        if command is not None or not fuzzy:  # redo / status, or exact only
            return Match(None, "none")
        return self._fuzzy(self.table.key(text))

    def _fuzzy(self, key: str) -> Match:
        if not key or len(key) < 4:
            return Match(None, "none")
        words = len(key.split())
        best: dict = {}
        for phrase, command in self.keys:
            if len(phrase.split()) != words:
                continue
            score = fuzz.ratio(key, phrase)
            best[command] = max(best.get(command, 0.0), score)
        if not best:
            return Match(None, "none")
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= FUZZY_MIN and score - runner_up >= FUZZY_MARGIN:
            return Match(top, "fuzzy")
        return Match(None, "none")

    def phrases(self) -> List[str]:
        """Every voice command phrase, as words (what a grammar must accept)."""
        return sorted({key for key, _ in self.keys})

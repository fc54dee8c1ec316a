"""What the recognizer expects to hear, built from the project's own text.

The phrase table (content/commands.yml) gives the command sentences; the bot's NLU examples,
stretch names and the routine's own cues give the sentences that are *not* commands; a list of
common English words lets anything else be heard as what it is instead of being forced onto the
nearest command. PocketSphinx gets a trigram model of all of it, Vosk gets the word list.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Set

import yaml

from bot import settings
from bot.catalogue import default_catalogue
from bot.commands import VOICE_COMMANDS, default_commands
from bot.routine import build_phases

# Pronunciations (CMU phones) of the project's words that the dictionary lacks.
EXTRA_WORDS = {
    "stretchbot": "S T R EH CH B AA T",
    "unpause": "AH N P AO Z",
    "piriformis": "P IH R IH F AO R M IH S",
}
COMMON_WORDS = 3000  # common English words the model knows as single words (the "garbage" side)


def words_of(text: str) -> List[str]:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    text = re.sub(r"\d+", lambda m: _number(int(m.group())), text)
    return re.findall(r"[a-z][a-z']*", text)


_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen \
fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def _number(n: int) -> str:
    if n < 20:
        return _SMALL[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _SMALL[n % 10])
    return str(n)  # dropped later: not a word


def chat_only_sentences() -> List[str]:
    table = default_commands()
    return [
        " ".join(words_of(p))
        for p, c in table.phrases
        if c not in VOICE_COMMANDS or not table.by_voice(p)
    ]


@lru_cache(maxsize=1)
def other_sentences() -> List[str]:
    """Sentences people or the assistant say that are not routine commands."""
    out = list(chat_only_sentences())
    nlu = yaml.safe_load((settings.PROJECT_DIR / "data" / "nlu.yml").read_text()) or {}
    for block in nlu.get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip().lstrip("- "))
            out.append(" ".join(words_of(line)))
    out.extend(" ".join(words_of(cue)) for cue in cue_texts())
    catalogue = default_catalogue()
    for stretch in catalogue.stretches.values():
        out.append(" ".join(words_of(stretch.name)))
        out.extend(f"how do i do {' '.join(words_of(a))}" for a in stretch.aliases)
    for routine in catalogue.routines.values():
        out.append(f"start the {' '.join(words_of(routine.name))}")
    return [s for s in out if s]


@lru_cache(maxsize=1)
def cue_texts() -> List[str]:
    """Every message the routine engine can say, as spoken text (what the mic must never obey)."""
    catalogue = default_catalogue()
    cues: Set[str] = set()
    for routine in catalogue.routines.values():
        for phase in build_phases(routine, catalogue):
            cues.update(text for _, text in phase.cues)
    cues.update(
        [
            "That's the whole routine. Well done!",
            "Paused. Say resume when you're ready.",
            "Resuming: 20 seconds to go in this step.",
            "Routine stopped. Nice work today.",
            "Still paused: say resume to go on.",
            "We're already going.",
            "That was the last step. That's the whole routine. Well done!",
        ]
    )
    return sorted(cues)


def common_words(limit: int = COMMON_WORDS) -> List[str]:
    """The most frequent English words (spaCy's lookup tables, already a dependency)."""
    try:
        import spacy_lookups_data
    except ImportError:
        return []
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probs: Dict[str, float] = json.loads(gzip.open(path).read())
    ranked = sorted(probs.items(), key=lambda kv: -kv[1])
    out: List[str] = []
    seen: Set[str] = set()
    for word, _ in ranked:
        word = word.lower()
        if re.fullmatch(r"[a-z][a-z']*", word) and word not in seen:
            seen.add(word)
            out.append(word)
            if len(out) >= limit:
                break
    return out


@lru_cache(maxsize=1)
def dictionary() -> Dict[str, str]:
    from pocketsphinx import get_model_path

    path = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
    out: Dict[str, str] = {}
    for line in path.read_text().splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:
            out.setdefault(word, phones.strip())
    out.update(EXTRA_WORDS)
    return out


def in_vocabulary(sentences: Iterable[str], known: Dict[str, str]) -> List[str]:
    """Sentences whose words all have a pronunciation (the others would teach wrong n-grams)."""
    return [s for s in sentences if s and all(w in known for w in s.split())]

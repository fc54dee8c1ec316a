"""Which words are ordinary English: a word this common is meant as itself, while a rarer one may be
a name or a symptom typed or heard wrong ("spinks", "fevr"). From spaCy's word frequencies
(spacy-lookups-data, already a dependency), kept in a small cache file: the full table takes about
2 s to read.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Mapping

import spacy_lookups_data
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from bot import settings

# A word this frequent in English (log probability) is meant as itself: "overweight" (-11.5) is not
# "overhead", "peri" (-16.0) or "spinks" (-19.5) may be a name heard wrong.
ENGLISH_LOG_PROB = -15.0
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def english_words() -> frozenset:
    version = getattr(spacy_lookups_data, "__version__", "")
    cached = settings.CACHE_DIR / f"english-words-{version}-{ENGLISH_LOG_PROB}.txt"
    if cached.exists():
        return frozenset(cached.read_text().split())
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probs = json.loads(gzip.open(path).read())
    words = sorted(w for w, p in probs.items() if p >= ENGLISH_LOG_PROB and w.isalpha())
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_text("\n".join(words))
        partial.replace(cached)  # whole or not at all, for a server starting beside this one
    except OSError:
        pass  # a read-only install reads the table at each start
    return frozenset(words)


@lru_cache(maxsize=1)
def contractions() -> frozenset:
    """Short forms typed without their apostrophe ("dont", "wont", "thats", "doesnt"), as spaCy's
    English tokenizer knows them: meant as themselves, not slips ("dont" is not "done", "wont" is
    not "want")."""
    from spacy.lang.en import English

    return frozenset(k.lower() for k in English.Defaults.tokenizer_exceptions if k.isalpha())


class Speller:
    """Writes a misspelt word of a vocabulary right ("shud i hold my breth when im streching" ->
    "... breath ... stretching"): a word that is not ordinary English and not the vocabulary's, one
    slip (two from 8 letters) from one of its words, starting with its letter and nearer to it than to
    any other. A word one slip from a word of `avoid` is left as it is ("chils pose" is a slip from
    "child's", not "chills")."""

    def __init__(
        self, words: Iterable[str], avoid: Iterable[str] = (), shorthand: Mapping[str, str] = {}
    ):
        self.words = sorted({w for w in words if len(w) >= 4 and w.isalpha()})
        # texting spellings read as the word meant ("nite" is "night"), whatever the word list says
        self._shorthand = {k.lower(): v for k, v in shorthand.items()}
        self._known = english_words() | set(self.words) | contractions()
        self._avoid = sorted({w for w in avoid if len(w) >= 4})

    def fix(self, text: str) -> str:
        def one(match: re.Match) -> str:
            word = match.group(0)
            lowered = word.lower()
            if lowered in self._shorthand:
                return self._shorthand[lowered]
            if len(lowered) < 4 or lowered in self._known:
                return word
            limit = 2 if len(lowered) >= 8 else 1
            if self._avoid and extract(
                lowered, self._avoid, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=1
            ):
                return word
            near = extract(
                lowered, self.words, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=8
            )
            # only words with its first letter ("uper": "upper", whatever "super" says)
            near = [n for n in near if n[0][0] == lowered[0]][:2]
            if not near:
                return word
            if len(near) > 1 and near[1][1] == near[0][1]:
                # two words as near: a letter left out ("ofen": "often", not "open") is the
                # likelier slip; otherwise which one was meant is a guess
                dropped = [w for w, _, _ in near if _leaves_out(lowered, w)]
                return dropped[0] if len(dropped) == 1 else word
            return near[0][0]

        return _WORD.sub(one, text)


def _leaves_out(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one or two letters left out."""
    if not 0 < len(word) - len(typed) <= 2:
        return False
    letters = iter(word)
    return all(c in letters for c in typed)


def catalogue_words(catalogue) -> List[str]:
    """The words of the content (`default_speller`'s vocabulary): names, descriptions, advice, the
    vocabulary, symptom words."""
    texts: List[str] = []
    for s in catalogue.stretches.values():
        texts += [s.name, *s.aliases, *s.describe, s.summary]
    for topic in catalogue.advice.values():
        texts += [topic.title, *topic.keywords, *topic.questions]
    vocab = catalogue.vocabulary
    for table in (vocab.areas, vocab.tags, vocab.conditions, vocab.modification_needs):
        for value, phrases in table.items():
            texts += [value.replace("_", " "), *phrases]
    texts += list(catalogue.safety.symptom_words)
    return [w for t in texts for w in _WORD.findall(t.lower())]


@lru_cache(maxsize=1)
def default_speller() -> Speller:
    from bot.catalogue import default_catalogue

    return speller_for(default_catalogue())


def speller_for(catalogue) -> Speller:
    """The speller of a catalogue's words and texting spellings."""
    return Speller(catalogue_words(catalogue), shorthand=catalogue.vocabulary.shorthand)

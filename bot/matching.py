"""Recognising stretches, body areas and situations in what people type.

Names and aliases from the content are found with a spaCy PhraseMatcher on normalised text; typos are
caught with rapidfuzz edit distances over word windows, names written as they sound with metaphone
keys (jellyfish); descriptions ("the one where you lie on your
belly propped on your elbows") are scored by lemma overlap with each stretch's `describe` phrases.
Everything is built from the catalogue, so a new stretch file is recognised without code changes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Dict, Iterable, List, NamedTuple, Sequence, Tuple

import jellyfish
import numpy as np
import spacy
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein
from rapidfuzz.process import cdist
from spacy.matcher import PhraseMatcher

from bot import settings
from bot.catalogue import Catalogue, default_catalogue
from bot.lexicon import Speller, catalogue_words, english_words

# Words that say nothing about which stretch is meant.
STOP_WORDS = frozenset(
    """a an the and or of on in to for with my your me i you it its this that one where which when
    how do does did is are be can could should would will what whats doing done get go into onto at
    by from up down over under out then than so just like very really some any thing stretch stretches
    exercise exercises pose move position kind sort bit little please about there where's while
    whilst keep get got am was were have has had as if all our we they them his her he she put
    putting place placing""".split()
)
# Last words shared by several names: said alone, they are ambiguous.
AMBIGUOUS_HEADS = ("twist", "rotation", "tilt")
# Name words too ordinary to point at one stretch when heard in a description.
GENERIC_NAME_WORDS = frozenset(
    "all hand head behind elbow ceil floor sit side body upper lower single double half extension".split()
)
# Words that make the word before them a stretch's everyday name ("the cat thing").
NICKNAME_HEADS = frozenset("thing one stretch pose exercise move position".split())
# Names as they sound (metaphone keys, the head words left out), for names written the way they were
# heard: "pear a form is", "spinks pose", "standing back extinction" (Matcher._sounds_like). A word's
# key shorter than SOUND_MIN_KEY is too common a sound to point at one stretch ("cat", "kid").
SOUND_HEADS = frozenset("stretch stretches pose exercise".split())
SOUND_MIN_KEY = 5
SOUND_MAX_WORDS = 5
# Added to a description's score for each word it shares with only one stretch's names.
NAME_WORD_BONUS = 0.3
# Positions, as a description's words (content/vocabulary.yml same_words make "on hands and knees"
# "all fours"): a stretch none of whose descriptions has a position said scores this much less.
POSITION_LEMMAS = frozenset({"four", "sit", "lie", "stand", "kneel"})
POSITION_MISMATCH = 0.8
# Added for each further two words said one after the other as in the phrase.
PAIR_BONUS = 0.15
# Where a question about a described stretch begins: a separator, then a question word.
QUESTION_TAIL = re.compile(
    r"\s*[,;:?!-]+\s*(?=(?:how|what|which|is|are|does|do|should|can|could|will|when|where|why)\b)",
    re.IGNORECASE,
)
# Where one sentence ends and the next begins.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "the standing leaning back one hurts": the description between "the" and "one", matched alone
THE_ONE = re.compile(r"\bthe ((?:(?!\bone\b)[\w' -]){4,60}?) one\b", re.IGNORECASE)
# "is there a floor version of that twist where you sit cross legged ...?": the "where" clause
WHERE_CLAUSE = re.compile(
    r"\b(?:one|twist|stretch|pose|move|thing|exercise|position)\s+where\s+"
    r"((?:you|u|i|she|he|they|we)\b[^?.!;]{8,160})",
    re.IGNORECASE,
)
# The first clause of a longer message ("The one lying on your back with your arms out in a T - my
# knees end up miles from the floor. Is there an easier version?"), matched alone too.
FIRST_CLAUSE = re.compile(r"\s+[-\u2013\u2014]+\s+|[.;!?](?:\s|$)")
# How much "most of what the user said is in this phrase" counts against "most of the phrase was said".
SAID_COVERAGE_WEIGHT = 0.85
# Words in about a third of all description phrases ("back": idf 1.89, the next is "knee" at 2.12)
# tell too little: two shared words besides them are needed.
MIN_TELLING_IDF = 2.0
UNION_MARGIN = 1.5
# A description that says it is done in a chair ("sat in a chair ... grab the outside of your knee
# and turn to look behind you") is of a stretch done in a chair rather than one with a chair version
# only, when that one fits at least this share of the best fit's score (set on the blind dev parts:
# such descriptions scored 0.53-0.7 of a floor twist's).
CHAIR_SAID = re.compile(r"\b(in|on|from) (a|the|my|an|your) (\w+ )?(chair|seat)\b|\bchair\b")
STATED_POSITION_SHARE = 0.65


# Words said between a routine's name and "routine" ("the short back routine").
ROUTINE_OF = ("back", "stretch", "stretching", "back stretch", "back stretching")
# What the matcher finds in a message (Rasa's entities of the same names).
ENTITY_KINDS = ("stretch", "area", "tag", "condition", "need", "routine", "duration")
# A length of time ("10 minutes", "ten min", "half an hour", "5min"); its value is in minutes.
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "sixty": 60, "a couple of": 2,
     "a few": 3, "couple of": 2, "couple": 2, "few": 3, "an": 1, "a": 1}  # fmt: skip
DURATION = re.compile(
    r"\b(?:(?P<number>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r" ?(?P<unit>min|mins|minute|minutes|hour|hours|hr|hrs)"
    r"|(?P<half>half an? hour|half hour)|(?P<quarter>(a )?quarter of an hour|quarter hour))\b"
    # ...not the length of something else ("twelve hour shifts", "a 40 minute drive")
    r"(?! ?-? ?(shifts?|days?|drives?|flights?|journeys?|commutes?|meetings?|workdays?|runs?|walks?|"
    r"rides?|hikes?|classes|class|lectures?|trips?)\b)"
)
# Longer than this, a length of time is no stretching session (routines run 5 to 30 minutes).
MAX_SESSION_MINUTES = 90


# A window of one word more or fewer than a stretch name is a name split or run together ("child s
# pose", "threadneedle"): beside the space, this many edits at most.
SPLIT_EDITS = 1


@dataclass(frozen=True)
class Found:
    """A recognised mention. `kind` is stretch, area, tag, condition or need; `how` says how it matched."""

    kind: str
    value: str
    start: int
    end: int
    text: str
    how: str = "exact"
    score: float = 1.0


# Forms and common misspellings of "stretch", one word for one word ("side streching" is the side
# stretch), so names match whichever form is typed.
_STRETCH_FORMS = re.compile(
    r"\b(stretch(es|ing|s)?|stre?tc?hing|strech(es|ing)?|strecth\w*|stetch\w*)\b"
)


SENTENCE_MARKS = re.compile(r"[,;:.!?]")


def _plain(text: str) -> str:
    """Lower case, no accents ("rotación" is "rotacion"), no apostrophes."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "").replace("\u2018", "").replace("'", "")


def _fold(text: str) -> str:
    """Normalise for matching: _plain, other punctuation as spaces."""
    text = re.sub(r"[^a-z0-9]+", " ", _plain(text))
    text = _STRETCH_FORMS.sub("stretch", text)
    return re.sub(r"\s+", " ", text).strip()


def _after_marks(text: str, doc) -> set:
    """The tokens of `doc` (made from _fold(text)) that start a word following a comma, full stop
    or other sentence mark in `text`."""
    text = _plain(text)
    runs = list(re.finditer(r"[a-z0-9]+", text))
    words = list(re.finditer(r"\S+", doc.text))
    if len(runs) != len(words):
        return set()
    starts = {
        words[j].start()
        for j in range(1, len(runs))
        if SENTENCE_MARKS.search(text, runs[j - 1].end(), runs[j].start())
    }
    return {t.i for t in doc if t.idx in starts}


def _max_edits(length: int) -> int:
    if length < 5:
        return 0
    if length < 9:
        return 1
    return 2


class Matcher:
    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # content/vocabulary.yml same_words: other ways of saying a position, said as its first way
        self._same = {
            _fold(other): _fold(canonical)
            for canonical, others in catalogue.vocabulary.same_words.items()
            for other in others
        }
        self._same_words = re.compile(
            r"\b("
            + "|".join(re.escape(o) for o in sorted(self._same, key=len, reverse=True))
            + r")\b"
            if self._same
            else r"(?!)"
        )
        self._names: Dict[str, List[Tuple[str, str]]] = {}  # kind -> [(folded phrase, value)]
        self._known_words: tuple | None = None  # English word forms (the lemmatizer's table)
        for stretch in catalogue.stretches.values():
            self._add("stretch", stretch.id, [stretch.name, *stretch.aliases])
        for routine in catalogue.routines.values():
            names = [_fold(n) for n in (routine.name, *routine.aliases)]
            # "the short back routine", "a daily stretching routine": a name with what it is of
            said_of = [
                f"{head} {what} routine"
                for head, last in (n.rsplit(" ", 1) for n in names if " " in n)
                if last == "routine"
                for what in ROUTINE_OF
            ]
            self._add("routine", routine.id, dict.fromkeys([*names, *said_of]))
        vocab = catalogue.vocabulary
        for kind, table in (
            ("area", vocab.areas),
            ("tag", vocab.tags),
            ("condition", vocab.conditions),
            ("need", vocab.modification_needs),
        ):
            for value, phrases in table.items():
                self._add(kind, value, phrases)
        self._describe = self._build_descriptions()
        # "an ankle stretch" is for the ankle, not the stretch whose name has "ankle" in it
        self._body_parts = {
            w for p in catalogue.vocabulary.other_body_parts for w in _fold(p).split()
        }
        self._max_idf = max(self._describe[1].values())
        # each stretch's description words taken together (a tie-break between close phrases)
        self._described_words: Dict[str, set] = {}
        self._described_pairs: Dict[str, set] = {}
        for (stretch_id, lemmas), pairs in zip(self._describe[0], self._phrase_pairs, strict=True):
            self._described_words.setdefault(stretch_id, set()).update(lemmas)
            self._described_pairs.setdefault(stretch_id, set()).update(pairs)
        # Stretch names long enough to forgive typos in, grouped by their number of words.
        table: Dict[int, Tuple[List[str], List[str], List[int]]] = {}
        for phrase, value in self._names.get("stretch", []):
            budget = _max_edits(len(phrase))
            if budget:
                phrases, values, budgets = table.setdefault(phrase.count(" ") + 1, ([], [], []))
                phrases.append(phrase)
                values.append(value)
                budgets.append(budget)
        self._fuzzy_table = {
            size: (phrases, values, np.array(budgets))
            for size, (phrases, values, budgets) in table.items()
        }
        self._sounds = self._build_sounds()
        # (reads the English word list now, not in the middle of a conversation)
        self._speller = Speller(
            catalogue_words(catalogue), shorthand=catalogue.vocabulary.shorthand
        )

    # -- names -----------------------------------------------------------------------------------
    def _add(self, kind: str, value: str, phrases: Iterable[str]) -> None:
        for phrase in phrases:
            folded = _fold(phrase)
            self._phrases.add(f"{kind}|{value}", [self.nlp.make_doc(folded)])
            self._names.setdefault(kind, []).append((folded, value))

    def find(self, text: str, kinds: Sequence[str] = ("stretch",)) -> List[Found]:
        """Mentions of the given kinds, exact first, then typo-tolerant; longest wins, no overlaps.
        Misspelt words of the content's vocabulary are read as those words first ("after runing"
        is "after running"); word positions are unchanged."""
        fixed = self._speller.fix(text)
        folded = _fold(fixed)
        doc = self.nlp.make_doc(folded)
        found: List[Found] = []
        for match_id, start, end in self._phrases(doc):
            kind, value = self.nlp.vocab.strings[match_id].split("|", 1)
            if kind in kinds:
                found.append(Found(kind, value, start, end, doc[start:end].text))
        if "duration" in kinds:
            # as written first: a spelling fix must not make a length of something else of it
            # ("10 minute wala routine" is no "10 minute walk")
            found += self._durations(self.nlp.make_doc(_fold(text))) or self._durations(doc)
        if "stretch" in kinds:
            taken = {i for f in found if f.kind == "stretch" for i in range(f.start, f.end)}
            # a name near in spelling is never read across a comma or a full stop: "grab the
            # outside of your knee, drop your elbow back" is no knee drop (a name written exactly,
            # "cat, cow", still is the stretch)
            found += self._fuzzy(doc, taken, _after_marks(fixed, doc))
            if not any(f.kind == "stretch" for f in found):
                found += self._nicknames(doc)
            if not any(f.kind == "stretch" for f in found):
                found += self._sounds_like(doc)
        # Overlaps are settled within a kind ("knees" is both a condition and a need); a stretch
        # name still wins over the words inside it ("knee to chest" is not the chest area).
        stretches = _longest_first([f for f in found if f.kind == "stretch"])
        in_names = {i for f in stretches for i in range(f.start, f.end)}
        result = list(stretches)
        for kind in kinds:
            if kind != "stretch":
                same = [
                    f for f in found if f.kind == kind and not in_names & set(range(f.start, f.end))
                ]
                result += _longest_first(same)
        # The seat sat in for long is no seat to stretch in: "after sitting in the ute all day"
        after = {f.end for f in result if f.kind == "tag" and f.value == "after_sitting"}
        result = [
            f for f in result if not (f.kind == "tag" and f.value == "chair" and f.start in after)
        ]
        return sorted(result, key=lambda f: (f.start, f.kind))

    def _durations(self, doc) -> List[Found]:
        """ "10 minutes", "ten min", "half an hour": value in minutes, span in words."""
        folded = doc.text
        starts = {t.idx: t.i for t in doc}
        ends = {t.idx + len(t.text): t.i + 1 for t in doc}
        out = []
        for m in DURATION.finditer(folded):
            if m.group("half"):
                minutes = 30
            elif m.group("quarter"):
                minutes = 15
            else:
                number = m.group("number")
                minutes = int(number) if number.isdigit() else NUMBER_WORDS[number]
                if m.group("unit").startswith("h"):
                    minutes *= 60
            if minutes and m.start() in starts and m.end() in ends:
                start, end = starts[m.start()], ends[m.end()]
                out.append(Found("duration", str(minutes), start, end, m.group()))
        return out

    def words(self, text: str) -> List[str]:
        """The folded words of a text, as Found.start/end count them."""
        return [t.text for t in self.nlp.make_doc(_fold(text))]

    def without_names(self, text: str) -> str:
        """The text (folded) with the stretch names in it left out."""
        words = self.words(text)
        for item in self.find(text, ("stretch",)):
            end = item.end + (item.end < len(words) and words[item.end] in NICKNAME_HEADS)
            words[item.start : end] = [""] * (end - item.start)  # "knee to chest exercise"
        return " ".join(w for w in words if w)

    def stretches(self, text: str) -> List[str]:
        """Stretch ids named in the text, in order of mention, without repeats."""
        seen: List[str] = []
        for item in self.find(text, ("stretch",)):
            if item.value not in seen:
                seen.append(item.value)
        return seen

    def _fuzzy(self, doc, taken: set, after: set = frozenset()) -> List[Found]:
        """Word windows within a few edits of a stretch name (compared in bulk by rapidfuzz), none
        across a sentence mark (`after`: the tokens that follow one, see _after_marks)."""
        words = [t.text for t in doc]
        out: List[Found] = []
        for size, (phrases, values, budgets) in self._fuzzy_table.items():
            for n in (size - 1, size, size + 1):
                if n < 1 or n > len(words):
                    continue
                starts = [
                    i
                    for i in range(len(words) - n + 1)
                    if not any(j in taken for j in range(i, i + n))
                    and not any(j in after for j in range(i + 1, i + n))
                    and not all(w in STOP_WORDS for w in words[i : i + n])
                ]
                if not starts:
                    continue
                windows = [" ".join(words[i : i + n]) for i in starts]
                distances = cdist(
                    windows, phrases, scorer=DamerauLevenshtein.distance, score_cutoff=2
                )
                for row, col in np.argwhere(distances <= budgets):
                    window, phrase = windows[row], phrases[col]
                    if window[0] != phrase[0]:
                        continue
                    if n != size and SPLIT_EDITS < DamerauLevenshtein.distance(
                        window.replace(" ", ""), phrase.replace(" ", "")
                    ):
                        continue  # "need a stretch" is not "needle stretch" split in two
                    if (
                        distances[row, col] > 1
                        and n == size
                        and self._real_word_changed(window, phrase)
                    ):
                        continue  # "knee hurts" is not a typo of "knee hugs"
                    score = 1.0 - distances[row, col] / len(phrase)
                    i = starts[row]
                    out.append(Found("stretch", values[col], i, i + n, window, "fuzzy", score))
        return out

    def _build_sounds(self):
        """The words only one stretch's names have ("piriformis", "sphinx") by their metaphone
        key, and the names of more than one word as word lists."""
        owners: Dict[str, set] = {}
        names = self._names.get("stretch", [])
        for phrase, value in names:
            for word in phrase.split():
                owners.setdefault(word, set()).add(value)
        words: Dict[str, str] = {}
        for word, values in owners.items():
            key = jellyfish.metaphone(word)
            if len(values) == 1 and len(key) >= SOUND_MIN_KEY and word not in GENERIC_NAME_WORDS:
                words.setdefault(key, next(iter(values)))
        by_size: Dict[int, List[Tuple[List[str], str]]] = {}
        for phrase, value in names:
            if " " in phrase:
                by_size.setdefault(phrase.count(" ") + 1, []).append((phrase.split(), value))
        return words, by_size

    def _sounds_like(self, doc) -> List[Found]:
        """A stretch's name written the way it sounds: its own word said in other letters ("pear
        a form is" is "piriformis", "spinks" is "sphinx"; not one or two English words, which say
        what they say: "overweight", "through doing"), or one word of a longer name swapped for one that sounds nearly alike ("need
        to chest", "standing back extinction"; in a name of two words, not for an English word).
        Only looked for when no name was found otherwise."""
        words = [t.text for t in doc]
        english = _english_words()
        word_keys, names = self._sounds
        found: List[Found] = []
        for i, first in enumerate(words):
            if len(first) < 3 or first in STOP_WORDS or first in SOUND_HEADS:
                continue
            for n in range(1, min(SOUND_MAX_WORDS, len(words) - i) + 1):
                window = words[i : i + n]
                key = jellyfish.metaphone("".join(w for w in window if w not in SOUND_HEADS))
                # (one word: any English word form says what it says, "overdid" is no "overhead")
                unknown = sum(
                    not self._word_form(w) if n == 1 else w not in english for w in window
                )
                close = 1 if n == 1 else 0  # one change in a word that is not English
                heard_as_words = n >= 3 or unknown  # "through doing" is not "thread"
                for known, value in word_keys.items():
                    if heard_as_words and len(key) >= SOUND_MIN_KEY and known[0] == key[0]:
                        if Levenshtein.distance(key, known, score_cutoff=close) <= close:
                            found.append(
                                Found("stretch", value, i, i + n, " ".join(window), "sounds", 0.75)
                            )
                for name, value in names.get(n, []):
                    differ = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
                    if len(differ) != 1 or (n == 2 and differ[0][0] in english):
                        continue
                    said, meant = differ[0]
                    if said in STOP_WORDS or meant in STOP_WORDS or said in GENERIC_NAME_WORDS:
                        continue  # ("knees to side" describes a position, it is no "knees to chest")
                    if (
                        Levenshtein.distance(
                            jellyfish.metaphone(said), jellyfish.metaphone(meant), score_cutoff=1
                        )
                        <= 1
                    ):
                        found.append(
                            Found("stretch", value, i, i + n, " ".join(window), "sounds", 0.7)
                        )
        return [max(found, key=lambda f: (f.score, f.end - f.start))] if found else []

    def _real_word_changed(self, window: str, phrase: str) -> bool:
        """Whether a word of the window that differs from the name's is an English word form."""
        return any(
            said != name and self._word_form(said)
            for said, name in zip(window.split(), phrase.split(), strict=True)
        )

    def _word_form(self, word: str) -> bool:
        """Whether `word` is English: a common word, or a form or lemma of spaCy's lemma table
        ("overdid", rarer than the common words, is still "overdo")."""
        if self._known_words is None:
            table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            self._known_words = (table, set(table.values()))  # forms (keys are hashed), lemmas
        forms, lemmas = self._known_words
        return word in forms or word in lemmas or word in _english_words()

    def _nicknames(self, doc) -> List[Found]:
        """ "The cat thing", "that needle one": a word only one stretch's names have, said as the
        name of a stretch."""
        name_words = self._describe[2]
        out: List[Found] = []
        for i in range(len(doc) - 1):
            word, head = doc[i].text, doc[i + 1].text
            value = name_words.get(word) or name_words.get(word.rstrip("s"))
            if value and head in NICKNAME_HEADS and word not in self._body_parts:
                out.append(Found("stretch", value, i, i + 2, f"{word} {head}", "nickname", 0.9))
        return out

    def ambiguous(self, text: str) -> List[str]:
        """Stretches whose name ends with a head word said alone ("the twist", "the twsit"), when
        no name matched."""
        words = set(_fold(self._speller.fix(text)).split())
        ids: List[str] = []
        for head in AMBIGUOUS_HEADS:
            if head in words or head + "s" in words:
                for stretch in self.catalogue.by_name():
                    names = [_fold(n) for n in [stretch.name, *stretch.aliases]]
                    if (
                        any(n.split()[-1].rstrip("s") == head for n in names)
                        and stretch.id not in ids
                    ):
                        ids.append(stretch.id)
        return ids if len(ids) > 1 else []

    # -- descriptions ----------------------------------------------------------------------------
    def _lemmas(self, text: str) -> List[str]:
        folded = self._same_words.sub(lambda m: self._same[m.group(0)], _fold(text))
        return [
            t.lemma_.lower()
            for t in self.nlp(folded)
            if t.text not in STOP_WORDS and t.lemma_.lower() not in STOP_WORDS and len(t.text) > 1
        ]

    def _build_descriptions(self):
        phrases: List[Tuple[str, frozenset]] = []
        self._phrase_pairs: List[frozenset] = []  # each phrase's words said one after the other
        for stretch in self.catalogue.stretches.values():
            for phrase in [*stretch.describe, stretch.start]:
                lemmas = self._lemmas(phrase)
                phrases.append((stretch.id, frozenset(lemmas)))
                self._phrase_pairs.append(frozenset(pairwise(lemmas)))
        frequency: Dict[str, int] = {}
        for _, lemmas in phrases:
            for lemma in lemmas:
                frequency[lemma] = frequency.get(lemma, 0) + 1
        total = len(phrases)
        idf = {lemma: math.log((1 + total) / (1 + count)) + 1 for lemma, count in frequency.items()}
        # Words of a name that only that stretch has ("cat", "sphinx", "needle"): a strong hint.
        owners: Dict[str, set] = {}
        for stretch in self.catalogue.stretches.values():
            for name in [stretch.name, *stretch.aliases]:
                for lemma in self._lemmas(name):
                    owners.setdefault(lemma, set()).add(stretch.id)
        vocab = self.catalogue.vocabulary
        common = {
            lemma
            for table in (vocab.areas, vocab.tags, vocab.conditions, vocab.modification_needs)
            for phrases in table.values()
            for phrase in phrases
            for lemma in self._lemmas(phrase)
        } | GENERIC_NAME_WORDS
        # ...and that no other stretch's description uses ("lean" names the back extension, but
        # the side stretch is described as leaning too).
        described_by: Dict[str, set] = {}
        for stretch_id, lemmas in phrases:
            for lemma in lemmas:
                described_by.setdefault(lemma, set()).add(stretch_id)
        name_words = {
            lemma: next(iter(ids))
            for lemma, ids in owners.items()
            if len(ids) == 1 and lemma not in common and described_by.get(lemma, ids) <= ids
        }
        return phrases, idf, name_words

    def describe(self, text: str) -> Found | None:
        """The stretch a description points to, if one clearly does. A description followed by a
        question about it ("on all fours, sliding one arm under the other - how long do I stay?")
        is matched on the description alone as well."""
        found = self._describe_part(text)
        head = QUESTION_TAIL.split(text, maxsplit=1)[0]
        inner, clause = THE_ONE.search(text), WHERE_CLAUSE.search(text)
        first = FIRST_CLAUSE.split(text, maxsplit=1)[0]
        # (the description's own sentence, without what opened the message: "Salam alaikum. The
        # stretch on hands and knees where one arm goes under the other ...")
        own = SENTENCE_END.split(head.strip())[-1]
        own = "" if own.endswith("?") else own  # (a question of its own describes nothing)
        # the part marked as the description first ("the one where you ..."), then the rest
        parts = (
            inner.group(1) if inner else "",
            clause.group(1) if clause else "",
            head,
            first,
            own,
        )
        for part in parts:
            if not found and part.strip() and part != text:
                found = self._describe_part(part)
                if found:
                    found = Found("stretch", found.value, 0, 0, text, "description", found.score)
        return found

    def close_descriptions(self, text: str) -> List[str]:
        """The two stretches a description fits about equally well (so `describe` named neither),
        best first, to offer both; [] when it fits one clearly, or none."""
        if self.describe(text):
            return []
        for part in dict.fromkeys([text, QUESTION_TAIL.split(text, maxsplit=1)[0]]):
            ranked = self._describe_ranking(part)[0]
            if len(ranked) > 1 and ranked[1][1] >= settings.DESCRIPTION_MIN_OVERLAP:
                return [ranked[0][0], ranked[1][0]]
        return []

    def best_described(
        self,
        text: str,
        among: Sequence[str],
        margin: float = 1.25,
        least: float = settings.DESCRIPTION_MIN_OVERLAP,
    ) -> str | None:
        """Of a few stretches, the one the text describes clearly best (at least `least`, and
        `margin` times the next's score), or None."""
        ranked = [(s, score) for s, score in self._describe_ranking(text)[0] if s in among]
        if not ranked or ranked[0][1] < least:
            return None
        if len(ranked) > 1 and ranked[0][1] < ranked[1][1] * margin:
            return None
        return ranked[0][0]

    def _describe_part(self, text: str) -> Found | None:
        ranked, said = self._describe_ranking(text)
        if not ranked or ranked[0][1] < settings.DESCRIPTION_MIN_OVERLAP:
            return None
        in_chair = self._done_in_chair(text, ranked)
        if in_chair:
            return in_chair
        return self._describe_covering(text, ranked, said)

    def _done_in_chair(self, text: str, ranked) -> Found | None:
        """Of the stretches a description fits, the one done in a chair when it says a chair: the
        best fit if it is done in a chair and the next is not, else the first done in a chair if it
        fits nearly as well as the best (done elsewhere, a chair version aside)."""
        if not CHAIR_SAID.search(text.lower()):
            return None
        top_id, top = ranked[0]
        if self.catalogue.stretch(top_id).position == "seated_chair":
            second = ranked[1][0] if len(ranked) > 1 else None
            if second and self.catalogue.stretch(second).position != "seated_chair":
                return Found("stretch", top_id, 0, 0, text, "description", top)
            return None
        for stretch_id, score in ranked[1:]:
            if self.catalogue.stretch(stretch_id).position == "seated_chair":
                if score >= STATED_POSITION_SHARE * top:
                    return Found("stretch", stretch_id, 0, 0, text, "description", score)
                return None
        return None

    def _describe_ranking(self, text: str):
        """(stretch, score) best first for a description, and what was said."""
        phrases, idf, name_words = self._describe
        in_order = self._lemmas(text)
        said = set(in_order)
        if len(said) < 2:
            return [], Said(said, 0.0, set())
        said_pairs = set(pairwise(in_order))
        said_weight = sum(idf.get(lemma, self._max_idf) for lemma in said)
        best: Dict[str, float] = {}
        for lemma in said:
            if lemma in name_words:
                best[name_words[lemma]] = best.get(name_words[lemma], 0.0) + NAME_WORD_BONUS
        for (stretch_id, lemmas), pairs in zip(phrases, self._phrase_pairs, strict=True):
            common = said & lemmas
            if len(common) < 2 or len([w for w in common if idf[w] >= MIN_TELLING_IDF]) < 2:
                continue  # "foam rolling for the back" shares only "roll" and "back"
            weight = sum(idf[lemma] for lemma in common)
            # Either most of the phrase was said, or most of what was said is in the phrase.
            score = max(
                weight / sum(idf[lemma] for lemma in lemmas),
                SAID_COVERAGE_WEIGHT * weight / said_weight,
            )
            bonus = sum(NAME_WORD_BONUS for lemma in said if name_words.get(lemma) == stretch_id)
            # words said in the phrase's order, a chain of three or more ("with my hand behind my
            # head", not "behind me ... my head"; two words side by side are common to many)
            bonus += PAIR_BONUS * max(0, len(said_pairs & pairs) - 1)
            best[stretch_id] = max(best.get(stretch_id, 0.0), score + bonus)
        for stretch_id in best:
            # a position said that none of its descriptions has ("on hands and knees ... a hand
            # behind your head" is not the seated one)
            missing = said & POSITION_LEMMAS - self._described_words.get(stretch_id, set())
            best[stretch_id] *= POSITION_MISMATCH ** len(missing)
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        return ranked, Said(said, said_weight, said_pairs)

    def _describe_covering(self, text: str, ranked, said: Said) -> Found | None:
        """The first of `ranked`, unless another's phrases together cover clearly more of what
        was said; None when two fit about equally."""
        idf = self._describe[1]
        top_id, top = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        union = self._described_words

        def covered(stretch_id: str) -> float:
            return sum(idf[lemma] for lemma in said.lemmas & union[stretch_id]) / said.weight

        others = [(sid, sc) for sid, sc in ranked[1:] if sc >= settings.DESCRIPTION_MIN_OVERLAP]
        wider = max(others, key=lambda kv: covered(kv[0]), default=None)
        if wider and covered(wider[0]) >= UNION_MARGIN * covered(top_id):
            # One short phrase of the first fits a few words ("kneeling, reaching an arm through"),
            # while another's phrases together cover far more of what was said ("kneel, sink your
            # bum back onto your feet, reach your arms out in front on the floor").
            return Found("stretch", wider[0], 0, 0, text, "description", wider[1])
        if top >= runner_up * 1.25:
            return Found("stretch", top_id, 0, 0, text, "description", top)
        second_id, second = ranked[1]
        # Close on single phrases: the one whose descriptions taken together cover clearly more of
        # what was said ("kneel, fold forward, forehead on the floor, arms out in front" mixes
        # several of Child's Pose's phrases).
        if covered(top_id) >= UNION_MARGIN * covered(second_id):
            return Found("stretch", top_id, 0, 0, text, "description", top)
        if covered(second_id) >= UNION_MARGIN * covered(top_id):
            # "on the floor ... in front" fits one Sphinx phrase best, yet all that was said fits
            # Child's Pose's phrases taken together
            return Found("stretch", second_id, 0, 0, text, "description", second)

        # Still close: the one whose descriptions have more of what was said in its order
        # ("sitting twist with hand behind head": "hand behind my head" is the trunk rotation's;
        # the chair twist only reaches "behind me" and turns "my head")
        def in_order(stretch_id: str) -> float:  # (a pair weighs as its commoner word)
            pairs = said.pairs & self._described_pairs[stretch_id]
            return sum(min(idf.get(a, 0.0), idf.get(b, 0.0)) for a, b in pairs)

        if len(said.pairs & self._described_pairs[top_id]) >= 2 and in_order(top_id) > in_order(
            second_id
        ):
            return Found("stretch", top_id, 0, 0, text, "description", top)
        return None


class Said(NamedTuple):
    """What a description said: its lemmas, their idf weight, and its words side by side."""

    lemmas: set
    weight: float
    pairs: set


_WORD = re.compile(r"(?:[^\W_]|['\u2019\u2018])+")  # (letters with accents too: "rotación")


def char_span(text: str, item: Found) -> Tuple[int, int]:
    """Character offsets in the original text of a mention found on the folded text."""
    words = [m for m in _WORD.finditer(text) if _fold(m.group(0))]
    if item.end <= item.start or item.end > len(words):
        return 0, len(text)
    return words[item.start].start(), words[item.end - 1].end()


@lru_cache(maxsize=1)
def _english_words() -> frozenset:
    return english_words() | STOP_WORDS


def _longest_first(found: List[Found]) -> List[Found]:
    chosen: List[Found] = []
    used: set = set()
    for item in sorted(found, key=lambda f: (-(f.end - f.start), -f.score, f.start)):
        span = set(range(item.start, item.end))
        if span & used:
            continue
        chosen.append(item)
        used |= span
    return chosen


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    return Matcher(default_catalogue())

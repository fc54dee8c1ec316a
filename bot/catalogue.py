"""The content catalogue: typed objects loaded from `content/`, validated on load.

A malformed file raises `ContentError` with a message naming the file and the field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Literal, Tuple

import yaml
from pydantic import BaseModel, Extra, ValidationError, conlist, constr, root_validator, validator

from bot import settings

AREAS = (
    "upper_back",
    "mid_back",
    "lower_back",
    "neck",
    "shoulders",
    "chest",
    "sides",
    "hips",
    "glutes",
    "core",
    "whole_back",
)
POSITIONS = (
    "all_fours",
    "kneeling",
    "lying_back",
    "lying_front",
    "side_lying",
    "seated_chair",
    "seated_floor",
    "standing",
)
TAGS = (
    "beginner",
    "desk",
    "chair",
    "no_floor",
    "morning",
    "bedtime",
    "warm_up",
    "cool_down",
    "posture",
    "relaxation",
    "after_sitting",
    "after_exercise",
    "sports",
)
MODIFICATION_KINDS = ("easier", "harder", "knees", "wrists")

Text = constr(strict=True, strip_whitespace=True, min_length=1)
TextList = conlist(Text, min_items=1)


class ContentError(ValueError):
    """A content file is missing, unreadable or malformed."""


class _Model(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


def _range(value: List[float] | None) -> Tuple[float, float] | None:
    if value is None:
        return None
    if len(value) != 2 or value[0] > value[1] or value[0] <= 0:
        raise ValueError("must be [min, max] with 0 < min <= max")
    return (value[0], value[1])


class Dose(_Model):
    hold_seconds: List[float] | None = None
    hold_breaths: List[int] | None = None
    reps: List[int] | None = None
    per_side: bool = False
    frequency: Text | None = None

    _ranges = validator("hold_seconds", "hold_breaths", "reps", allow_reuse=True)(_range)

    @root_validator(skip_on_failure=True)
    def _something(cls, values):
        if not any(values.get(k) for k in ("hold_seconds", "hold_breaths", "reps")):
            raise ValueError("needs at least one of hold_seconds, hold_breaths, reps")
        return values


class Muscles(_Model):
    primary: List[Text] = []
    secondary: List[Text] = []


class Modifications(_Model):
    easier: List[Text] = []
    harder: List[Text] = []
    knees: List[Text] = []
    wrists: List[Text] = []


class Variant(_Model):
    name: Text
    steps: TextList
    # What the version is, in a sentence, where it stands for the stretch (a recommendation for a
    # chair names the chair version by it, not by the floor version's summary).
    summary: Text = ""


class Stretch(_Model):
    id: Text
    name: Text
    aliases: List[Text] = []
    describe: List[Text] = []
    areas: TextList
    position: Literal[POSITIONS]  # type: ignore[valid-type]
    tags: List[Literal[TAGS]] = []  # type: ignore[valid-type]
    kind: Literal["static", "dynamic"]
    summary: Text
    start: Text
    steps: TextList
    dose: Dose
    targets: Text
    muscles: Muscles | None = None
    benefits: TextList
    tips: List[Text] = []
    mistakes: List[Text] = []
    modifications: Modifications = Modifications()
    cautions: List[Text] = []
    back_pain: Text | None = None
    variants: List[Variant] = []
    source: Text

    @validator("areas", each_item=True)
    def _area(cls, value):
        if value not in AREAS:
            raise ValueError(f"unknown area {value!r}; use one of {', '.join(AREAS)}")
        return value

    @validator("source")
    def _source(cls, value):
        if not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", value):
            raise ValueError("must name a source article file, e.g. 004_037d46966b935319.txt")
        return value

    @property
    def uses_floor(self) -> bool:
        return self.position not in ("seated_chair", "standing")

    @property
    def loads_hands(self) -> bool:
        return self.position == "all_fours"

    @property
    def kneeling(self) -> bool:
        return self.position in ("all_fours", "kneeling")


class RoutineItem(_Model):
    stretch: Text
    hold_seconds: float | None = None
    reps: int | None = None
    per_side: bool | None = None


class Routine(_Model):
    id: Text
    name: Text
    minutes: List[int]
    aliases: List[Text] = []
    summary: Text
    items: conlist(RoutineItem, min_items=1)
    sets: List[int] | None = None
    static_hold_seconds: List[float] | None = None
    dynamic_reps: List[int] | None = None
    # Started when someone asks to start stretching without saying which ("start stretching").
    default: bool = False
    source: Text

    _ranges = validator("minutes", "sets", "static_hold_seconds", "dynamic_reps", allow_reuse=True)(
        _range
    )


def _compiles(cls, value):
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return value


class RedFlag(_Model):
    id: Text
    level: Literal["emergency", "urgent", "stop"]
    label: Text
    why: Text
    patterns: TextList
    negatable: bool = False
    unless: List[Text] = []
    # Words that hint at this warning sign, when the wording is too loose for a pattern: the
    # classifier's suspicion alone gets the cautious reply only when one of them is there.
    cues: List[Text] = []
    # A cue counts only when the message also says this (e.g. a word of pain for "at night": "I'm on
    # nights and want a stretch before I sleep" hints at nothing).
    cues_need: Text | None = None

    _regexes = validator("patterns", "unless", "cues", each_item=True, allow_reuse=True)(_compiles)


class Safety(_Model):
    levels: Dict[Literal["emergency", "urgent", "stop"], Text]
    red_flags: conlist(RedFlag, min_items=1)
    negations: TextList
    # Symptom words a misspelling of which is read as the word ("fevr", "numbnes", "tinglin").
    symptom_words: TextList = []
    # Words saying a sign has passed, is denied or is asked about in general (see bot/safety.py
    # SafetyChecker.cleared): regular expressions, like the patterns.
    all_clear: TextList = []
    # Words saying a sign is asked about as written somewhere (a list, a leaflet, a site): like
    # `all_clear`, and for emergency signs too (see SafetyChecker.cleared).
    asked_about: TextList = []
    guidelines: TextList
    check_first: Text
    disclaimer: Text
    scope: Text
    caution: Text

    @validator("levels")
    def _all_levels(cls, value):
        missing = {"emergency", "urgent", "stop"} - set(value)
        if missing:
            raise ValueError(f"missing levels: {', '.join(sorted(missing))}")
        return value


class AdviceTopic(_Model):
    id: Text
    title: Text
    keywords: TextList
    text: Text
    points: List[Text] = []
    # How people ask for this topic, in many voices: they teach the understanding step (retrieval
    # by meaning), so a new phrasing is a content change.
    questions: List[Text] = []
    # Ways of telling the subject that no single keyword or example question catches ("my gf can
    # touch her toes and I can barely reach my knees"): regular expressions over the lowered text.
    # A message matching one, with no stretch in it, gets this topic.
    signs: List[Text] = []
    # An overview's topics, given side by side by it: two of them named in one question get the
    # overview ("massage? foam roller? heat pads??").
    covers: List[Text] = []
    # The areas of the back this topic is about, when they are named instead of it ("the lower
    # back" is the lumbar spine).
    areas: List[Text] = []
    # A subject beyond stretching that the topic only points away from (medication): asked for
    # outright ("what dose should I take?", read as out of scope), the answer says first that it
    # is outside what Stretchbot helps with.
    outside_scope: bool = False

    _regexes = validator("signs", each_item=True, allow_reuse=True)(_compiles)

    @validator("areas", each_item=True)
    def _area(cls, value):
        if value not in AREAS:
            raise ValueError(f"unknown area {value!r}; use one of {', '.join(AREAS)}")
        return value


class Advice(_Model):
    topics: conlist(AdviceTopic, min_items=1)

    @validator("topics")
    def _covered_topics_exist(cls, topics):
        ids = {topic.id for topic in topics}
        for topic in topics:
            unknown = [t for t in topic.covers if t not in ids]
            if unknown:
                raise ValueError(f"topic {topic.id!r} covers unknown topics: {', '.join(unknown)}")
        return topics


class Vocabulary(_Model):
    areas: Dict[Text, TextList]
    tags: Dict[Text, TextList]
    conditions: Dict[Text, TextList]
    modification_needs: Dict[Text, TextList]
    domain_words: TextList
    other_body_parts: List[Text] = []
    same_words: Dict[Text, TextList] = {}
    spare_positions: Dict[Text, TextList] = {}
    # Texting spellings and the word each one means ("nite": "night")
    shorthand: Dict[Text, Text] = {}
    # A word said with the stretches recommended for a tag ("morning": start gently)
    tag_notes: Dict[Literal[TAGS], Text] = {}  # type: ignore[valid-type]

    @validator("spare_positions")
    def _known_positions(cls, value, values):
        unknown = {p for positions in value.values() for p in positions} - set(POSITIONS)
        if unknown:
            raise ValueError(f"unknown positions: {', '.join(sorted(unknown))}")
        needs = set(values.get("modification_needs") or {})
        if needs and set(value) - needs:
            raise ValueError(f"not modification needs: {', '.join(sorted(set(value) - needs))}")
        return value

    @validator("shorthand")
    def _one_word_each(cls, value):
        bad = [k for k in value if not (k.isalpha() and k.islower())]
        if bad:
            raise ValueError(f"not one lower-case word: {', '.join(sorted(bad))}")
        return value

    @validator("areas", "tags")
    def _known_keys(cls, value, field):
        allowed = AREAS if field.name == "areas" else TAGS
        unknown = set(value) - set(allowed)
        if unknown:
            raise ValueError(f"unknown {field.name}: {', '.join(sorted(unknown))}")
        return value


COMMANDS = (
    "next",
    "previous",
    "pause",
    "resume",
    "repeat",
    "skip",
    "stop",
    "time_left",
    "redo",
    "status",
)


class Commands(_Model):
    commands: Dict[Literal[COMMANDS], TextList]  # type: ignore[valid-type]
    fillers: List[Text] = []
    # Phrases taken in chat but not by voice: said aloud, they sound like another command's phrase.
    not_by_voice: List[Text] = []
    # How people say each command in their own words (typed or spoken): they teach the meaning-based
    # command understanding (bot/understanding.py); only `commands` phrases are matched exactly.
    examples: Dict[Literal[COMMANDS], TextList] = {}  # type: ignore[valid-type]
    # Things said during a routine that are not commands (questions, chat, self-talk).
    not_commands: List[Text] = []

    @validator("commands")
    def _all_commands(cls, value):
        missing = set(COMMANDS) - set(value)
        if missing:
            raise ValueError(f"missing commands: {', '.join(sorted(missing))}")
        return value

    @validator("not_by_voice", each_item=True)
    def _known_phrase(cls, value, values):
        phrases = {normalise(p) for ps in (values.get("commands") or {}).values() for p in ps}
        if normalise(value) not in phrases:
            raise ValueError(f"{value!r} is not one of the command phrases")
        return value


class Catalogue(_Model):
    stretches: Dict[str, Stretch]
    routines: Dict[str, Routine]
    safety: Safety
    advice: Dict[str, AdviceTopic]
    vocabulary: Vocabulary
    commands: Commands

    def stretch(self, stretch_id: str) -> Stretch:
        return self.stretches[stretch_id]

    def by_name(self) -> List[Stretch]:
        return sorted(self.stretches.values(), key=lambda s: s.name)

    @property
    def default_routine(self) -> Routine | None:
        """The routine marked `default: true` in content/routines.yml (at most one is)."""
        return next((r for r in self.routines.values() if r.default), None)


def _read_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        raise ContentError(f"{path}: file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping of fields at the top level")
    return data


def _parse(model, data, path: Path):
    try:
        return model.parse_obj(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(part) for part in err['loc'])}': {err['msg']}"
            for err in exc.errors()
        )
        raise ContentError(f"{path}: {problems}") from None


def load_catalogue(content_dir: Path | None = None) -> Catalogue:
    """Load and validate everything under `content_dir` (default: the project's content/)."""
    root = Path(content_dir or settings.CONTENT_DIR)
    stretches: Dict[str, Stretch] = {}
    files = sorted((root / "stretches").glob("*.yml"))
    if not files:
        raise ContentError(f"{root / 'stretches'}: no stretch files (*.yml) found")
    for path in files:
        data = _read_yaml(path)
        if "id" in data and data["id"] != path.stem:
            raise ContentError(f"{path}: field 'id': must match the file name {path.stem!r}")
        data["id"] = path.stem
        stretches[path.stem] = _parse(Stretch, data, path)

    routines_path = root / "routines.yml"
    routines: Dict[str, Routine] = {}
    for index, raw in enumerate(_read_yaml(routines_path).get("routines") or []):
        routine = _parse(Routine, raw, Path(f"{routines_path} (routine {index + 1})"))
        for item in routine.items:
            if item.stretch not in stretches:
                raise ContentError(
                    f"{routines_path}: field 'routines.{index}.items': unknown stretch {item.stretch!r}"
                )
        routines[routine.id] = routine
    defaults = [r.id for r in routines.values() if r.default]
    if len(defaults) > 1:
        raise ContentError(f"{routines_path}: only one routine can be the default, not {defaults}")

    safety = _parse(Safety, _read_yaml(root / "safety.yml"), root / "safety.yml")
    advice_path = root / "advice.yml"
    advice = _parse(Advice, _read_yaml(advice_path), advice_path)
    vocab_path = root / "vocabulary.yml"
    vocabulary = _parse(Vocabulary, _read_yaml(vocab_path), vocab_path)

    commands_path = root / "commands.yml"
    commands = _parse(Commands, _read_yaml(commands_path), commands_path)

    _check_unique_names(stretches, root)
    return Catalogue(
        stretches=stretches,
        routines=routines,
        safety=safety,
        advice={topic.id: topic for topic in advice.topics},
        vocabulary=vocabulary,
        commands=commands,
    )


def normalise(text: str) -> str:
    """Lower-case, straighten apostrophes, drop punctuation other than apostrophes, squash spaces."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = re.sub(r"'(?![a-z])|(?<![a-z])'", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _check_unique_names(stretches: Dict[str, Stretch], root: Path) -> None:
    owner: Dict[str, str] = {}
    for stretch in stretches.values():
        for name in [stretch.name, *stretch.aliases]:
            key = normalise(name).replace("'", "")
            if key in owner and owner[key] != stretch.id:
                first, second = (root / "stretches" / f"{i}.yml" for i in (owner[key], stretch.id))
                raise ContentError(
                    f"{second}: field 'aliases': {name!r} is also a name in {first} (field 'aliases')"
                )
            owner[key] = stretch.id


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()

"""Answer composition: turns catalogue content into chat replies. Pure functions, no state."""

from __future__ import annotations

import re
from functools import cache
from typing import Iterable, List, Sequence, Tuple

from spacy.lang.en.stop_words import STOP_WORDS  # a word list only, no pipeline

from bot.catalogue import AREAS, Catalogue, Dose, Routine, Stretch
from bot.safety import Hit

AREA_NAMES = {
    "upper_back": "upper back",
    "mid_back": "mid back",
    "lower_back": "lower back",
    "neck": "neck",
    "shoulders": "shoulders",
    "chest": "chest",
    "sides": "sides of the back",
    "hips": "hips",
    "glutes": "glutes",
    "core": "core",
    "whole_back": "whole back",
}
TAG_NAMES = {
    "beginner": "beginners",
    "desk": "desk breaks",
    "chair": "doing in a chair",
    "no_floor": "doing without getting on the floor",
    "morning": "the morning",
    "bedtime": "before bed",
    "warm_up": "warming up",
    "cool_down": "cooling down",
    "posture": "posture",
    "relaxation": "relaxing",
    "after_sitting": "after long sitting",
    "after_exercise": "after exercise",
    "sports": "sports",
}
# Needs that rule positions out, as a recommendation's heading says them.
NEED_NAMES = {
    "in_bed": "doing in bed",
    "lying_down": "doing lying down",
    "standing_only": "doing standing up",
    "knees": "going easy on your knees",
    "wrists": "going easy on your wrists",
}
BULLET = "\u2022 "


def bullets(items: Iterable[str]) -> str:
    return "\n".join(BULLET + item for item in items)


def numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _span(values, unit: str) -> str:
    low, high = values
    low_s, high_s = f"{low:g}", f"{high:g}"
    if low == high:
        return f"{low_s} {unit[:-1] if low == 1 and unit.endswith('s') else unit}"  # "1 minute"
    return f"{low_s} to {high_s} {unit}"


def _amount(seconds: float) -> Tuple[float, str]:
    """Whole minutes are said in minutes, anything else in seconds."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds / 60
        return minutes, "minute" if minutes == 1 else "minutes"
    return seconds, "seconds"


def _seconds(values) -> str:
    """As people say it: "15 to 45 seconds", "30 seconds to 1 minute", "30 seconds to 2 minutes",
    "1 to 2 minutes"."""
    if values[1] < 60 and values[0] != values[1]:
        return _span(values, "seconds")
    (low, low_unit), (high, high_unit) = _amount(values[0]), _amount(values[1])
    if values[0] == values[1]:
        return f"{high:g} {high_unit}"
    if low_unit.rstrip("s") == high_unit.rstrip("s"):
        return f"{low:g} to {high:g} {high_unit}"
    return f"{low:g} {low_unit} to {high:g} {high_unit}"


def dose_text(stretch: Stretch, dose: Dose | None = None) -> str:
    dose = dose or stretch.dose
    parts: List[str] = []
    side = " on each side" if dose.per_side else ""
    if dose.hold_seconds:
        parts.append(f"hold for {_seconds(dose.hold_seconds)}{side}")
    elif dose.hold_breaths:
        parts.append(f"hold for {_span(dose.hold_breaths, 'breaths')}{side}")
    if dose.reps:
        reps = _span(dose.reps, "times" if dose.hold_seconds or dose.hold_breaths else "reps")
        if dose.hold_seconds or dose.hold_breaths:
            parts.append(f"repeat {reps}{' per side' if dose.per_side else ''}")
        else:
            parts.append(f"do {reps}{side}")
    text = ", ".join(parts)
    text = text[0].upper() + text[1:] + "."
    if dose.frequency:
        text += f" How often: {dose.frequency.rstrip('.')}."
    return text


# -- one stretch -------------------------------------------------------------------------------------
def howto(stretch: Stretch, variant_hint: str = "") -> str:
    variant = _pick_variant(stretch, variant_hint)
    if variant:
        return _variant_howto(stretch, variant)
    lines = [
        f"{stretch.name}: {stretch.summary}",
        "",
        numbered(stretch.steps),
        "",
        dose_text(stretch),
    ]
    others = [v.name.lower() for v in stretch.variants]
    if others:
        lines.append(f"There is also a {' and a '.join(others)}; just ask.")
    return "\n".join(lines)


def _variant_howto(stretch: Stretch, variant) -> str:
    """A version's own steps only: the summary and the timing are the main version's."""
    others = [v.name.lower() for v in stretch.variants if v is not variant]
    lines = [f"{stretch.name}, {variant.name.lower()}:", "", numbered(variant.steps)]
    lines += ["", f"The main version: {_lower_first(stretch.summary)}"]
    if others:
        lines.append(f"There is also a {' and a '.join(others)}; just ask.")
    return "\n".join(lines)


# Words that name a stretch's main version by its position ("the seated version").
POSITION_WORDS = {
    "seated_chair": ("seated", "sitting", "chair"),
    "seated_floor": ("seated", "sitting", "floor"),
    "lying_back": ("lying", "floor"),
    "lying_front": ("lying", "floor"),
    "side_lying": ("lying", "side"),
    "standing": ("standing",),
    "all_fours": ("kneeling", "all fours", "floor"),
    "kneeling": ("kneeling", "floor"),
}


def _main_version_asked(stretch: Stretch, hint: str) -> bool:
    """ "the seated version" of a stretch done seated: its main version, asked for by position."""
    hint = hint.lower()
    if not re.search(r"\b(version|variation|way)\b", hint):
        return False
    return any(re.search(rf"\b{word}\b", hint) for word in POSITION_WORDS.get(stretch.position, ()))


def _pick_variant(stretch: Stretch, hint: str):
    """The version asked for; the article's main one unless another is named. The stretch's own
    name is left out first ("seated spinal twist" asks for the main version, not the chair one)."""
    hint = hint.lower().replace("-", " ")
    on_floor = "floor" in hint  # before the names go: "the sitting on the floor twist"
    for name in sorted([stretch.name, *stretch.aliases], key=len, reverse=True):
        hint = hint.replace(name.lower().replace("-", " "), " ")
    # ...and a name's first two words, the rest misspelt ("seated spinal twsit")
    for name in [stretch.name, *stretch.aliases]:
        start = " ".join(name.lower().replace("-", " ").split()[:2])
        if len(start.split()) == 2:
            hint = re.sub(rf"\b{re.escape(start)}\b", " ", hint)
    for variant in stretch.variants:
        words = [w for w in variant.name.lower().replace("-", " ").split() if w != "version"]
        if words and all(w in hint.replace("-", " ") for w in words):
            return variant
    sitting = ("sitting" in hint or "seated" in hint) and not on_floor
    if "chair" in hint or sitting:  # "sitting on the floor" is not the chair version
        return next((v for v in stretch.variants if "chair" in v.name.lower()), None)
    lying = re.search(r"\b(lying|lie|lay|laying)\b", hint)
    avoided = re.search(
        r"\b(without|not|no|never|can't|cannot|don't|instead of|off)\b.*\bfloor", hint
    )
    if (on_floor or lying) and not avoided and not stretch.uses_floor:
        # "trunk rotation floor version": the stretch is done sitting or standing, so the floor
        # asks for its version done lying on the floor
        return next(
            (v for v in stretch.variants if "floor" in " ".join([v.name, *v.steps]).lower()),
            None,
        )
    return None


def muscles(stretch: Stretch) -> str:
    lines = [f"{stretch.name} works {_lower_first(stretch.targets)}"]
    if stretch.muscles and stretch.muscles.primary:
        lines.append("Main muscles: " + ", ".join(stretch.muscles.primary) + ".")
    if stretch.muscles and stretch.muscles.secondary:
        label = "Also worked" if stretch.muscles.primary else "Muscles involved"
        lines.append(f"{label}: " + ", ".join(stretch.muscles.secondary) + ".")
    return "\n".join(lines)


def benefits(stretch: Stretch) -> str:
    return f"Why do {stretch.name}:\n" + bullets(stretch.benefits)


def dosage(stretch: Stretch) -> str:
    return f"{stretch.name}: {dose_text(stretch)}"


def mistakes(stretch: Stretch) -> str:
    parts = []
    if stretch.mistakes:
        parts.append(f"Common mistakes with {stretch.name}:\n" + bullets(stretch.mistakes))
    if stretch.tips:
        parts.append(f"Tips for {stretch.name}:\n" + bullets(stretch.tips))
    if not parts:
        parts.append(
            f"I don't have a list of mistakes for {stretch.name}. The general rules apply: "
            "move slowly, keep breathing, and never push into sharp pain."
        )
    return "\n\n".join(parts)


GOING_FURTHER = re.compile(r"\b(deepen\w*|deeper|further)\b", re.IGNORECASE)


def modification(
    stretch: Stretch, needs: Sequence[str], catalogue: Catalogue, variant_hint: str = ""
) -> str:
    variant = _pick_variant(stretch, variant_hint) if variant_hint else None
    if variant and not needs:  # "trunk rotation floor version": that version, as itself
        return _variant_howto(stretch, variant)
    if not needs and stretch.variants and _main_version_asked(stretch, variant_hint):
        return howto(stretch)  # "upper back trunk rotation, seated version, how": the main one
    needs = list(needs) or ["easier", "harder"]
    mods = stretch.modifications
    parts: List[str] = []
    for need in needs:
        if need == "knees":
            parts.append(_joint_answer(stretch, "knees", mods.knees, stretch.kneeling, catalogue))
        elif need == "wrists":
            parts.append(
                _joint_answer(stretch, "wrists", mods.wrists, stretch.loads_hands, catalogue)
            )
        elif need == "no_floor":
            parts.append(_no_floor_answer(stretch, catalogue))
        elif need in ("easier", "harder"):
            items = list(getattr(mods, need))
            if need == "harder":  # its tips on going further ("deepen the twist on each exhale")
                items += [t for t in stretch.tips if GOING_FURTHER.search(t) and t not in items]
            if items:
                label = "Easier" if need == "easier" else "Harder"
                parts.append(f"{label} version of {stretch.name}:\n" + bullets(items))
            elif need == "easier":
                similar = [s.name for s in alternatives(stretch, catalogue)[:2]]
                text = (
                    f"I don't have a specific easier version of {stretch.name}. To make it "
                    "gentler, work in a smaller, comfortable range, hold it for less time and "
                    "build up slowly; a cushion or folded towel under a knee, hip or head that "
                    "presses on the floor can help."
                )
                if similar:
                    text += f" Gentle options for a similar area: {', '.join(similar)}."
                parts.append(text)
            else:
                parts.append(f"I don't have a harder version of {stretch.name} to suggest.")
    if variant and re.search(r"\b(version|variation|variant)\b", variant_hint.lower()):
        # "too easy sitting. floor version?": the change, then the version asked for, as itself
        parts.append(_variant_howto(stretch, variant))
    variants = [v.name for v in stretch.variants if v.name.lower() not in " ".join(parts).lower()]
    if variants and "no_floor" not in needs:
        parts.append(f"Other versions: {', '.join(variants)} (ask me how to do them).")
    return "\n\n".join(parts)


def _joint_answer(stretch, joint, items, loaded, catalogue) -> str:
    if items:
        return f"For sore {joint} with {stretch.name}:\n" + bullets(items)
    if not loaded:
        on = ""
        if joint == "wrists" and any("forearm" in step.lower() for step in stretch.steps):
            on = " (your forearms take it)"  # "is sphinx ok since the weight's on the forearms?"
        return (
            f"{stretch.name} doesn't put your weight on your {joint}{on}, so it should be gentle "
            "on those joints."
        )
    spares = [
        s.name
        for s in alternatives(stretch, catalogue)
        if not (s.kneeling if joint == "knees" else s.loads_hands)
    ][:3]
    text = (
        f"{stretch.name} puts weight on your {joint}, and I have no specific change for that, "
        "so stop if it hurts."
    )
    if spares:
        text += f" Stretches for a similar area that spare your {joint}: {', '.join(spares)}."
    return text


def _no_floor_answer(stretch, catalogue) -> str:
    chair = [v for v in stretch.variants if "chair" in v.name.lower() or "seated" in v.name.lower()]
    if not stretch.uses_floor:  # yes, and how ("... one you can do in a chair - how?")
        where = POSITION_NAMES.get(stretch.position, "")
        lead = f"{stretch.name} doesn't need the floor" + (
            f": it is done {where}." if where else "."
        )
        return lead + "\n\n" + numbered(stretch.steps)
    if chair:
        return f"{stretch.name} has a {chair[0].name.lower()}:\n" + numbered(chair[0].steps)
    options = [s.name for s in catalogue.by_name() if not s.uses_floor and s.id != stretch.id]
    return (
        f"{stretch.name} is done on the floor, and I have no chair version of it. In a chair or "
        f"standing, without getting down, try: {', '.join(options)}."
    )


def in_bed(stretch: Stretch, catalogue: Catalogue) -> str:
    """Whether a stretch can be done in bed (the positions content/vocabulary.yml's
    `spare_positions` leaves out for it): how, if so; otherwise where it is done and the ones that
    can."""
    spared = set(catalogue.vocabulary.spare_positions.get("in_bed", ()))
    where = POSITION_NAMES.get(stretch.position, stretch.position)
    if stretch.position not in spared:
        return f"{stretch.name} is done {where}, so a bed will do.\n\n" + numbered(stretch.steps)
    in_bed = [s.name for s in catalogue.by_name() if s.position not in spared]
    return f"{stretch.name} is done {where}. Done lying down, in bed too: {', '.join(in_bed)}."


def alternatives(stretch: Stretch, catalogue: Catalogue) -> List[Stretch]:
    """Other stretches for the same main area, closest first."""
    main = stretch.areas[0]
    scored = []
    for other in catalogue.stretches.values():
        if other.id == stretch.id:
            continue
        score = (2 if main in other.areas else 0) + len(set(other.areas) & set(stretch.areas))
        if score:
            scored.append((-score, other.name, other))
    return [s for _, _, s in sorted(scored, key=lambda t: (t[0], t[1]))]


# Conditions a stretch suits for most people: "is X ok for me?" gets a plain yes first.
EVERYDAY_CONDITIONS = {"back_pain", "stiffness", "beginner"}


def suitability(
    stretch: Stretch | None,
    conditions: Sequence[str],
    catalogue: Catalogue,
    severe: bool = False,
    areas: Sequence[str] = (),
) -> str:
    """Whether a stretch (or stretching) suits someone with these conditions; `severe`: the user
    spoke of severe pain, a recent injury or a diagnosis (no plain yes then); `areas`: the parts
    of the body the user spoke of (what the stretch works is said when it works one of them)."""
    safety = catalogue.safety
    parts: List[str] = []
    conditions = list(conditions) or ["back_pain"]
    everyday = bool(stretch) and not severe and set(conditions) <= EVERYDAY_CONDITIONS
    if everyday:
        parts.append(
            f"{stretch.name}: yes, for most people, as long as you keep it gentle and within a "
            "comfortable range."
        )
        # what it is good for, so the yes says why
        parts.append("What it does for you:\n" + bullets(stretch.benefits))
    name = stretch.name if stretch else "stretching"
    serious = {"disc", "spine_condition", "surgery"}
    if "sciatica" in conditions:
        parts.append(
            "With sciatica, meaning pain that travels down a leg, please have it assessed by a health "
            "professional before you stretch; pain spreading into the legs is one of the signs that "
            "needs checking. If they clear you to stretch, stop anything that makes the leg pain worse."
        )
    if serious & set(conditions):
        parts.append(safety.check_first)
    if "pregnancy" in conditions:
        parts.append(
            "I don't have guidance specific to that, so please ask your doctor or midwife which "
            "stretches suit you."
        )
    if "older" in conditions:
        parts.append(
            "I don't have guidance specific to age. The usual rules hold at any age: go slowly, "
            "keep it gentle and within a comfortable range, and stop if it hurts. With a health "
            "condition or after a fall, ask a doctor first which stretches suit."
        )
        if stretch and stretch.modifications.easier:
            parts.append("To make it gentler:\n" + bullets(stretch.modifications.easier))
        if stretch:  # "suitable for older people or only for gym types?": what it asks and gives
            parts.append("What it does for you:\n" + bullets(stretch.benefits))
    joints = [j for j in ("knees", "wrists") if j in conditions and stretch]
    if {"back_pain", "stiffness"} & set(conditions) or not (parts or joints):
        if stretch and stretch.back_pain:
            parts.append(f"{stretch.name} with back pain or stiffness: {stretch.back_pain}")
        else:
            topic = catalogue.advice.get("does_it_help_back_pain")
            parts.append(topic.text if topic else safety.check_first)
            if safety.check_first not in parts:
                parts.append(safety.check_first)
    if "beginner" in conditions and stretch:
        if "beginner" in stretch.tags:
            parts.append(f"{stretch.name} is a good one for beginners: start small and build up.")
            # someone new to it wants to know how it is done safely
            parts.append("How to do it:\n" + numbered(stretch.steps))
        else:
            parts.append(f"Beginners can try {name} gently: use a small range and build up slowly.")
    for joint in joints:
        parts.append(modification(stretch, [joint], catalogue))
    if stretch and set(areas) & set(stretch.areas) - {"whole_back"}:
        # "pelvic tilts ok for a beginner? my core is very weak": what it works, the core
        parts.append(f"It works {_lower_first(stretch.targets)}")
    if everyday and stretch.modifications.easier:
        parts.append("To make it gentler:\n" + bullets(stretch.modifications.easier))
    if stretch and stretch.cautions and not ({"pregnancy", "older"} & set(conditions)):
        parts.append("Watch out for:\n" + bullets(stretch.cautions))
    text = "\n\n".join(dict.fromkeys(parts))
    if stretch and stretch.name not in text:  # always say which stretch the answer is about
        text = f"About {stretch.name}: {text}"
    return text


POSITION_NAMES = {
    "all_fours": "on hands and knees",
    "kneeling": "kneeling",
    "lying_back": "lying on your back",
    "lying_front": "lying face down",
    "side_lying": "lying on your side",
    "seated_chair": "sitting on a chair",
    "seated_floor": "sitting on the floor",
    "standing": "standing",
}


def _lines_saying(lines: Sequence[str], said: re.Pattern) -> List[str]:
    """The content lines (each once) in which `said` occurs."""
    return [line for line in dict.fromkeys(lines) if said.search(line.lower())]


def _about_areas(stretch: Stretch, areas: Sequence[str], catalogue: Catalogue) -> str:
    """The lines of a stretch's steps, tips and mistakes that speak of the parts of the body the
    user felt it in ("I feel it straining my neck"), as one bullet list, or ""."""
    phrases = [p for area in areas for p in catalogue.vocabulary.areas.get(area, []) if len(p) > 2]
    if not phrases:
        return ""
    said = re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")
    lines = _lines_saying([*stretch.steps, *stretch.tips, *stretch.mistakes], said)
    if not lines:
        return ""
    where = " and ".join(AREA_NAMES.get(a, a) for a in dict.fromkeys(areas))
    return f"For your {where} in {stretch.name}:\n" + bullets(lines)


def uneven(stretch: Stretch, catalogue: Catalogue) -> str:
    """One side tighter than the other in a named stretch: the general advice, then what this
    stretch's own steps and tips say about the sides."""
    topic = catalogue.advice.get("uneven_sides")
    parts = [topic.text if topic else ""]
    said = re.compile(r"\b(one side|other side|tighter|each side|both sides)\b")
    lines = _lines_saying([*stretch.tips, *stretch.mistakes], said)
    if lines:
        parts.append(f"In {stretch.name}:\n" + bullets(lines))
    return "\n\n".join(p for p in parts if p)


def _training_uses(stretch: Stretch) -> List[str]:
    return [
        phrase
        for tag, phrase in (
            ("warm_up", "as a warm-up before training"),
            ("cool_down", "as a cool-down after it"),
        )
        if tag in stretch.tags
    ]


def around_training(stretch: Stretch) -> str:
    """When a stretch fits around training, from its tags ("" when it has no such tag)."""
    uses = _training_uses(stretch)
    return f" On training days it also works {' and '.join(uses)}." if uses else ""


def when_training(stretch: Stretch) -> str:
    """Before or after training, asked of one stretch ("" when its tags don't say)."""
    uses = _training_uses(stretch)
    return f"{stretch.name} works {' and '.join(uses)}." if uses else ""


def where_felt(stretch: Stretch) -> str:
    """Where a stretch should be felt, for "I feel it in X rather than Y, am I doing it right?"."""
    return f"Where {stretch.name} should be felt: {_lower_first(stretch.targets)}"


def stretch_pain(stretch: Stretch, catalogue: Catalogue, areas: Sequence[str] = ()) -> str:
    """Pain felt in a named stretch: the general rule, then how to go gentler in this one (and
    what it says about the part of the body it was felt in)."""
    parts = [catalogue.safety.levels["stop"]]
    parts.append(
        f"When you feel fine again, try {stretch.name} only as far as is comfortable: a smaller "
        "range, a shorter hold, and slow breathing. A mild pull is fine; pain is not."
    )
    parts.append(_about_areas(stretch, areas, catalogue))
    if stretch.cautions:
        parts.append(f"With {stretch.name} in particular:\n" + bullets(stretch.cautions))
    if stretch.modifications.easier:
        parts.append("A gentler way to do it:\n" + bullets(stretch.modifications.easier))
    parts.append(
        "If the same stretch hurts every time, leave it out and ask a health professional about it."
    )
    return "\n\n".join(p for p in parts if p)


def gently(stretch: Stretch) -> str:
    """A word on going gently, said before the steps to someone whose back is sore."""
    return (
        f"With a sore back, go into {stretch.name} slowly and only as far as is comfortable: a "
        "mild pull is fine, pain is not. Stop if it hurts, and see a health professional if the "
        "pain keeps coming back."
    )


def stretch_discomfort(stretch: Stretch, catalogue: Catalogue, areas: Sequence[str] = ()) -> str:
    """Mild discomfort felt in a named stretch: what is normal, what its content says about the
    part of the body it is felt in, and how to ease off in this one."""
    parts = [
        f"A mild pull or gentle tension in {stretch.name} is normal; pain is not. If it aches or "
        "pinches, ease off rather than pushing further: use a smaller range, hold it for less "
        "time, breathe slowly, and check your position against the steps."
    ]
    parts.append(_about_areas(stretch, areas, catalogue))
    if stretch.modifications.easier:
        parts.append("A gentler way to do it:\n" + bullets(stretch.modifications.easier))
    if stretch.mistakes:
        parts.append("Worth checking:\n" + bullets(stretch.mistakes))
    parts.append(
        "If it turns sharp, keeps hurting afterwards, or comes with numbness or tingling, stop and "
        "ask a health professional."
    )
    return "\n\n".join(p for p in parts if p)


def fit(stretch: Stretch, areas: Sequence[str], tags: Sequence[str], catalogue: Catalogue) -> str:
    """Whether a named stretch suits an area or a situation, from its content tags."""
    wanted = [AREA_NAMES.get(a, a) for a in areas] + [TAG_NAMES.get(t, t) for t in tags]
    wanted = list(dict.fromkeys(wanted))  # "my bum and hip ... the hip and buttock area": once each
    matches = [a for a in areas if a in stretch.areas] + [t for t in tags if t in stretch.tags]
    if matches or "whole_back" in stretch.areas and areas:
        lines = [
            f"Yes: {stretch.name} suits {' and '.join(wanted)}. It works "
            f"{_lower_first(stretch.targets)}"
        ]
        lines.append("Why do it:\n" + bullets(stretch.benefits))
        if {"chair", "desk"} & set(matches) and stretch.start:
            lines.append(f"How it starts: {stretch.start.strip()}")  # what chair it needs
        lines.append(dose_text(stretch))
        return "\n\n".join(lines)
    others = [s for s in recommend(catalogue, list(areas), list(tags)) if s.id != stretch.id]
    text = (
        f"{stretch.name} isn't one I'd pick for {' and '.join(wanted)}: it works "
        f"{_lower_first(stretch.targets)}"
    )
    if others:
        text += "\nBetter choices for that:\n" + bullets(s.name for s in others[:3])
    return text


def compare(stretches: Sequence[Stretch]) -> str:
    """Two or more stretches side by side: position, what each is for, how long, how it moves."""
    lines = []
    for stretch in stretches:
        how = "moved through slowly, rep by rep" if stretch.kind == "dynamic" else "held still"
        lines.append(
            f"{stretch.name}: {_first_sentence(stretch.summary)} Done "
            f"{POSITION_NAMES.get(stretch.position, stretch.position)}, {how}. It works "
            f"{_lower_first(_first_sentence(stretch.targets))} {dose_text(stretch)}"
            + (
                f" Good for: {'; '.join(_lower_first(b.rstrip('.')) for b in stretch.benefits[:2])}."
                if stretch.benefits
                else ""
            )
        )
    positions = {s.position for s in stretches}
    if len(positions) == 1 and all(len(s.steps) > 1 for s in stretches):
        # the same starting position ("both are on hands and knees, no?"): what each then does
        where = POSITION_NAMES.get(stretches[0].position, stretches[0].position)
        moves = " ".join(f"{s.name}: {s.steps[1]}" for s in stretches)
        lines.append(f"Both start {where}; what differs is the movement. {moves}")
    if len(positions) > 1:
        floor = [s.name for s in stretches if s.uses_floor]
        off = [s.name for s in stretches if not s.uses_floor]
        if floor and off:
            lines.append(
                f"The main practical difference: {', '.join(off)} needs no floor, so it suits a "
                f"desk or a chair, while {', '.join(floor)} is done on the floor."
            )
    return "\n\n".join(lines)


# -- many stretches ----------------------------------------------------------------------------------
def recommend(
    catalogue: Catalogue,
    areas: Sequence[str],
    tags: Sequence[str],
    limit: int = 3,
    needs: Sequence[str] = (),
    said: str = "",
) -> List[Stretch]:
    """The stretches that suit the areas and situations best; a need (sore knees, wrists) leaves
    out the positions content/vocabulary.yml `spare_positions` lists for it. Among stretches that
    suit equally, those whose own summary and benefits share more of the words `said` come first
    ("what undoes that forward hunch?": the one made to counter a forward-hunched position)."""
    said_stems = _stems(said)
    want_areas, want_tags = list(dict.fromkeys(areas)), list(dict.fromkeys(tags))
    spared = {p for n in needs for p in catalogue.vocabulary.spare_positions.get(n, ())}
    scored = []
    for stretch in catalogue.stretches.values():
        if stretch.position in spared:
            continue
        chair_ok = off_the_floor(stretch)
        if (
            "no_floor" in want_tags or "chair" in want_tags or "desk" in want_tags
        ) and not chair_ok:
            continue
        score = _fit(stretch, want_areas, want_tags, chair_ok)
        if score > 0:
            own = _own_stems(stretch.summary, tuple(stretch.benefits)) if said_stems else set()
            scored.append((-score, -len(said_stems & own), stretch.name, stretch))
    ranked = [s for *_, s in sorted(scored, key=lambda t: t[:3])]
    chosen = ranked[:limit]
    for area in want_areas[:limit]:
        # each area asked for has a stretch made for it in the list ("the sides of my back ...
        # along my ribs": the side stretch, not only twists that reach the sides and the ribs)
        own = next((s for s in ranked if s.areas[0] == area), None)
        if own and own not in chosen and len(chosen) == limit:
            keep = [next((c for c in chosen if c.areas[0] == a), None) for a in want_areas]
            spare = next((c for c in reversed(chosen) if c not in keep), None)
            if spare:
                chosen[chosen.index(spare)] = own
    return sorted(chosen, key=ranked.index)


# Situations that rule out getting down on the floor.
OFF_THE_FLOOR_TAGS = frozenset({"no_floor", "chair", "desk"})


def off_the_floor(stretch: Stretch) -> bool:
    """Whether the stretch, or a version of it, is done without getting down on the floor."""
    return not stretch.uses_floor or any("chair" in v.name.lower() for v in stretch.variants)


def _fit(stretch: Stretch, areas: Sequence[str], tags: Sequence[str], chair_ok: bool) -> float:
    """How well a stretch suits the areas and situations asked for (0: not at all)."""
    score = 0.0
    for area in areas:
        if area in stretch.areas:
            score += 3 if stretch.areas[0] == area else 2
        elif area == "mid_back" and "upper_back" in stretch.areas:
            score += 1
        elif area in ("upper_back", "lower_back", "mid_back") and "whole_back" in stretch.areas:
            score += 1
        elif area == "whole_back" and {"upper_back", "lower_back", "mid_back"} & set(stretch.areas):
            score += 0.5  # after the whole-back stretches, one for a part of the back
    for tag in tags:
        if tag in stretch.tags:
            score += 2
        elif tag in ("chair", "desk", "no_floor") and chair_ok:
            score += 1
    return score


def fits_better(
    stretches: Sequence[Stretch], areas: Sequence[str], tags: Sequence[str], said: str
) -> Stretch | None:
    """Of a few stretches weighed against each other ("which one's more relaxing?"), the one that
    suits what was asked clearly best: the areas and situations first, then the words of its own
    summary and benefits ("which builds more strength": the one that builds core strength); None
    when none is ahead."""
    said_stems = _stems(said)
    scored = sorted(
        (
            (
                _fit(s, areas, tags, off_the_floor(s))
                if not (OFF_THE_FLOOR_TAGS & set(tags)) or off_the_floor(s)
                else -1.0,
                len(said_stems & _own_stems(s.summary, tuple(s.benefits))),
                s,
            )
            for s in stretches
        ),
        key=lambda t: t[:2],
        reverse=True,
    )
    if len(scored) < 2 or scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]


# Words too common in questions and in the stretches' own texts to tell one stretch from another.
_COMMON_STEMS = frozenset(
    "stret back lower upper spine muscl which what there would could shoul about gentl help "
    "helps good great feel tight stiff body reall their other thing every doing".split()
)


@cache  # one entry per stretch of the catalogue
def _own_stems(summary: str, benefits: Tuple[str, ...]) -> frozenset:
    """A stretch's own words (its summary and benefits) as `_stems`, worked out once."""
    return frozenset(_stems(" ".join([summary, *benefits])))


def _stems(text: str) -> set:
    """A text's words of four letters or more but the most common, each cut to its first five
    ("hunched", "hunch")."""
    words = set(re.findall(r"[a-z]{4,}", text.lower())) - STOP_WORDS
    return {w[:5] for w in words} - _COMMON_STEMS


def recommendation_text(
    found: List[Stretch], areas: Sequence[str], tags: Sequence[str], needs: Sequence[str] = ()
) -> str:
    wanted = (
        [AREA_NAMES[a] for a in areas if a in AREA_NAMES]
        + [TAG_NAMES[t] for t in tags if t in TAG_NAMES]
        + [NEED_NAMES[n] for n in needs if n in NEED_NAMES]
    )
    wanted = list(dict.fromkeys(wanted))  # "desk" and "office" name the same situation
    head = f"For {' and '.join(wanted)}, try:" if wanted else "Try:"
    lines = [head]
    for stretch in found:
        chair = next((v for v in stretch.variants if "chair" in v.name.lower()), None)
        note = (
            f" (use the {chair.name.lower()})"
            if chair and stretch.uses_floor and ({"chair", "desk", "no_floor"} & set(tags))
            else ""
        )
        said = chair.summary or chair.steps[0] if note else _first_sentence(stretch.summary)
        lines.append(f"{BULLET}{stretch.name}{note}: {said}")
    lines.append("Ask me how to do any of them.")
    return "\n".join(lines)


def list_stretches(catalogue: Catalogue) -> str:
    groups = {}
    for stretch in catalogue.by_name():
        groups.setdefault(stretch.areas[0], []).append(stretch.name)
    lines = [f"I know {len(catalogue.stretches)} back stretches:"]
    for area in AREAS:
        if area in groups:
            lines.append(f"{BULLET}{AREA_NAMES[area].capitalize()}: {', '.join(groups[area])}")
    lines.append("Ask how to do one, what it works, how long to hold it, or for something easier.")
    return "\n".join(lines)


def routine_text(routine: Routine, catalogue: Catalogue) -> str:
    lines = [f"{routine.name} ({_span(routine.minutes, 'minutes')}): {routine.summary}"]
    for number, item in enumerate(routine.items, 1):
        stretch = catalogue.stretch(item.stretch)
        per_side = stretch.dose.per_side if item.per_side is None else item.per_side
        side = " each side" if per_side else ""
        if item.hold_seconds:
            amount = f"{_seconds((item.hold_seconds, item.hold_seconds))}"
        elif item.reps:
            amount = f"{item.reps} reps{side}"
        else:
            amount = dose_text(stretch).rstrip(".").lower()
        lines.append(f"{number}. {stretch.name}: {amount}")
    return "\n".join(lines)


def routines_text(catalogue: Catalogue) -> str:
    return "\n\n".join(routine_text(r, catalogue) for r in catalogue.routines.values())


def red_flag_text(hits: Sequence[Hit], catalogue: Catalogue) -> str:
    safety = catalogue.safety
    level = hits[0].flag.level
    reasons = list(dict.fromkeys(hit.flag.why for hit in hits))
    lines = [safety.levels[level], ""]
    lines.extend(reasons)
    lines.append("")
    lines.append(
        "I won't suggest stretches for this. Once a professional has checked you, I'm happy to help "
        "with the stretches they are comfortable with."
    )
    return "\n".join(lines)


def clarify(options: Sequence[Stretch], question: str) -> str:
    names = [s.name for s in options]
    # The few it may be: "Which stretch ...? Seated Spinal Twist or Seated Thoracic Twist?"
    if 1 < len(names) <= 3:
        return f"{question} {', '.join(names[:-1])} or {names[-1]}?"
    return f"{question} For example: {', '.join(names)}."


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[:2].isupper() is False else text

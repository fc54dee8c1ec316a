"""Every content file loads and validates; malformed files fail naming the file and the field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import settings
from bot.catalogue import AREAS, ContentError, load_catalogue

STRETCH_FILES = sorted((settings.CONTENT_DIR / "stretches").glob("*.yml"))
SHARED = settings.PROJECT_DIR.parent / "shared"


def test_all_fourteen_stretches_load(catalogue):
    assert len(catalogue.stretches) == 14
    assert {"cat_cow", "childs_pose", "thread_the_needle", "sphinx_pose"} <= set(
        catalogue.stretches
    )


@pytest.mark.parametrize("path", STRETCH_FILES, ids=lambda p: p.stem)
def test_stretch_file_is_complete(path, catalogue):
    stretch = catalogue.stretch(path.stem)
    assert stretch.steps and stretch.benefits and stretch.targets and stretch.summary
    assert stretch.areas[0] in AREAS
    dose = stretch.dose
    assert dose.hold_seconds or dose.hold_breaths or dose.reps
    assert (SHARED / "seeds" / stretch.source).exists() or not SHARED.exists()
    # `targets` follows "<stretch> works ..." in answers: what it works, not a sentence of its own
    # ("Lying Knee Roll Over works you feel it mostly in the waist" was a reply once)
    assert stretch.targets.split()[0].lower() in {"the", "your"}, stretch.targets


def test_routines_name_real_stretches(catalogue):
    assert set(catalogue.routines) == {"basic_daily", "comprehensive"}
    daily = catalogue.routines["basic_daily"]
    assert [i.stretch for i in daily.items] == [
        "childs_pose",
        "cat_cow",
        "knee_to_chest",
        "seated_spinal_twist",
        "pelvic_tilts",
    ]


def test_every_red_flag_from_the_guide_is_covered(catalogue):
    ids = {flag.id for flag in catalogue.safety.red_flags}
    assert {
        "bladder_bowel",
        "leg_nerve",
        "radiating_pain",
        "after_fall",
        "fever",
        "night_pain",
        "weight_loss",
        "severe_persistent",
    } <= ids


def _edit(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize(
    "file, change, field",
    [
        ("stretches/cat_cow.yml", lambda d: d.pop("steps"), "steps"),
        ("stretches/cat_cow.yml", lambda d: d.update(areas=["elbow"]), "areas"),
        ("stretches/cat_cow.yml", lambda d: d.update(kind="wobbly"), "kind"),
        ("stretches/cat_cow.yml", lambda d: d.update(dose={"per_side": True}), "dose"),
        ("stretches/cat_cow.yml", lambda d: d["dose"].update(reps=[20, 10]), "dose.reps"),
        ("stretches/cat_cow.yml", lambda d: d.update(colour="red"), "colour"),
        ("stretches/cat_cow.yml", lambda d: d.update(summary=False), "summary"),
        ("stretches/cat_cow.yml", lambda d: d.update(aliases=["sphinx"]), "aliases"),
        ("stretches/cat_cow.yml", lambda d: d.update(source="somewhere"), "source"),
        ("routines.yml", lambda d: d["routines"][0]["items"].append({"stretch": "nope"}), "items"),
        ("safety.yml", lambda d: d["red_flags"][0]["patterns"].append("(unclosed"), "patterns"),
        ("safety.yml", lambda d: d["levels"].pop("urgent"), "levels"),
        ("vocabulary.yml", lambda d: d["areas"].update(elbow=["elbow"]), "areas"),
        ("advice.yml", lambda d: d["topics"][0].update(areas=["elbow"]), "areas"),
        ("advice.yml", lambda d: d["topics"][0].update(covers=["gardening"]), "gardening"),
        ("vocabulary.yml", lambda d: d["tag_notes"].update(teatime="Go gently."), "tag_notes"),
        ("vocabulary.yml", lambda d: d["shorthand"].update({"2 nite": "tonight"}), "shorthand"),
        ("commands.yml", lambda d: d["commands"].pop("pause"), "commands"),
        ("commands.yml", lambda d: d["commands"].update(dance=["dance"]), "commands"),
        ("commands.yml", lambda d: d["commands"]["stop"].append(7), "commands.stop"),
        ("commands.yml", lambda d: d.update(not_by_voice=["fly away"]), "not_by_voice"),
    ],
)
def test_bad_file_is_rejected_naming_file_and_field(content_copy, file, change, field):
    _edit(content_copy / file, change)
    with pytest.raises(ContentError) as error:
        load_catalogue(content_copy)
    message = str(error.value)
    assert str(content_copy / file) in message
    assert field in message


def test_broken_yaml_names_the_file(content_copy):
    path = content_copy / "stretches" / "sphinx_pose.yml"
    path.write_text("name: [unclosed\n")
    with pytest.raises(ContentError, match="sphinx_pose.yml: not valid YAML"):
        load_catalogue(content_copy)


def test_yaml_booleans_are_not_silently_text(content_copy):
    path = content_copy / "safety.yml"
    path.write_text(path.read_text().replace('negations: ["no",', "negations: [no,"))
    with pytest.raises(ContentError, match="negations"):
        load_catalogue(content_copy)


def test_a_new_stretch_is_one_file(content_copy):
    source = (content_copy / "stretches" / "side_stretch.yml").read_text()
    new = source.replace("name: Side Stretch", "name: Wall Lean").replace(
        "aliases:", "aliases: [wall lean thing]\nold_aliases:"
    )
    data = yaml.safe_load(new)
    data.pop("old_aliases")
    (content_copy / "stretches" / "wall_lean.yml").write_text(yaml.safe_dump(data))
    from bot.matching import Matcher

    catalogue = load_catalogue(content_copy)
    assert catalogue.stretch("wall_lean").name == "Wall Lean"
    assert Matcher(catalogue).stretches("how do i do the wall lean") == ["wall_lean"]


@pytest.mark.skipif(
    not (SHARED / "tools" / "copied_text.py").exists(), reason="shared/ not beside the repo"
)
def test_no_sentences_copied_from_the_articles():
    dirs = [
        d
        for d in ("content", "data", "actions", "bot", "voice", "channels", "runner")
        if (settings.PROJECT_DIR / d).exists()
    ]
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "copied_text.py"), *dirs],
        cwd=settings.PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]

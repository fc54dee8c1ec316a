"""Routine controls in plain words (content/commands.yml, bot/commands.py)."""

from __future__ import annotations

import pytest
import yaml

from bot import settings
from bot.catalogue import ContentError, load_catalogue
from bot.commands import VOICE_COMMANDS, CommandTable, command_corpus


@pytest.fixture(scope="module")
def table(catalogue):
    return CommandTable(catalogue)


@pytest.mark.parametrize(
    "text, command",
    [
        ("next", "next"),
        ("Next!", "next"),
        ("ok next please", "next"),
        ("go back", "previous"),
        ("previous stretch", "previous"),
        ("pause", "pause"),
        ("hold on", "pause"),
        ("can you pause it for a sec", "pause"),
        ("hang on a sec", "pause"),
        ("resume", "resume"),
        ("carry on", "resume"),
        ("let's keep going", "resume"),
        ("repeat", "repeat"),
        ("say that again please", "repeat"),
        ("Pardon?", "repeat"),
        ("skip", "skip"),
        ("skip this one", "skip"),
        ("next stretch", "next"),
        ("skip to the next stretch", "skip"),
        ("stop", "stop"),
        ("stop the routine", "stop"),
        ("that's enough for today", "stop"),
        ("I'm done for today", "stop"),
        ("how long left?", "time_left"),
        ("How much longer?", "time_left"),
        ("how long does the routine take", "time_left"),
        ("do it again", "redo"),
        ("where am I", "status"),
        # the cue to move on in a routine (content/commands.yml), no longer status since 2026-12-05
        ("what\u2019s next?", "next"),
        ("what stretch is this?", "status"),
    ],
)
def test_commands_and_their_variants(table, text, command):
    assert table.match(text) == command


@pytest.mark.parametrize(
    "text",
    [
        "what's the next stretch?",
        "wait, what muscles does this work?",
        "my back",
        "go on holiday",
        "how long should I hold child's pose",
        "stop sign",
        "next week",
        "I want to stop having back pain",
        "",
        "pause " * 40,
    ],
)
def test_questions_that_contain_command_words_are_not_commands(table, text):
    assert table.match(text) is None


def test_every_voice_command_has_phrases(table):
    commands = {command for _, command in table.phrases}
    assert set(VOICE_COMMANDS) <= commands


def _write_commands(content_copy, change):
    path = content_copy / "commands.yml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_a_phrase_given_to_two_commands_is_refused(content_copy):
    _write_commands(content_copy, lambda d: d["commands"]["stop"].append("hold on please"))
    with pytest.raises(ContentError, match="'hold on please' is also a phrase of 'pause'"):
        CommandTable(load_catalogue(content_copy))


def test_a_phrase_of_only_fillers_is_refused(content_copy):
    _write_commands(content_copy, lambda d: d["commands"]["next"].append("ok please"))
    with pytest.raises(ContentError, match="only filler words"):
        CommandTable(load_catalogue(content_copy))


def test_the_command_corpus_gives_phrasings_of_every_command_and_talk(catalogue):
    pairs = command_corpus(settings.COMMAND_CORPUS, catalogue)
    commands = {c for _, c in pairs}
    assert set(catalogue.commands.commands) <= commands
    assert None in commands  # talk that is no command
    assert all(text.strip() for text, _ in pairs)


def test_a_corpus_phrasing_of_an_unknown_command_is_refused(tmp_path, catalogue):
    path = tmp_path / "command_corpus.yml"
    path.write_text(yaml.safe_dump({"commands": {"rewind": ["take it from the top"]}}))
    with pytest.raises(ContentError, match="'rewind' is not a command"):
        command_corpus(path, catalogue)


def test_no_corpus_file_gives_no_phrasings(tmp_path, catalogue):
    assert command_corpus(tmp_path / "none.yml", catalogue) == []


@pytest.mark.parametrize(
    "text, command",
    [
        ("pause, my phone is ringing", "pause"),
        ("ok, next", "next"),
        ("next please - got it", "next"),
        ("hang on, someone's at the door", "pause"),
        ("stop, that's enough for me today", "stop"),
        ("hold on, what muscles does this work?", None),
        ("wait, how do I do this", None),
        ("pause and skip", None),
        ("my knee is sore, the next stretch is kneeling", None),
    ],
)
def test_a_command_with_a_remark_in_chat(table, text, command):
    assert table.find(text) == command

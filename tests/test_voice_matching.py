"""Recognized words -> command, from the one phrase table."""

from __future__ import annotations

import pytest

from voice.matching import CommandMatcher, Match


@pytest.fixture(scope="module")
def matcher():
    return CommandMatcher()


@pytest.mark.parametrize(
    "text, command",
    [
        ("hold on", "pause"),
        ("ok pause please", "pause"),
        ("go back", "previous"),
        ("say that again", "repeat"),
        ("how much longer", "time_left"),
        ("stop", "stop"),
        ("move on", "next"),
    ],
)
def test_exact(matcher, text, command):
    assert matcher.match(text).command == command


def test_sound_alike_phrases_are_chat_commands_only(matcher):
    # "go on" (next) is heard for "hold on" (pause): voice mode does not take it, chat does.
    from bot.commands import default_commands

    assert default_commands().match("go on") == "next"
    assert matcher.match("go on", fuzzy=True) == Match(None, "not_by_voice")
    assert matcher.match("ok go on please").command is None
    assert "go on" not in matcher.phrases() and "hold on" in matcher.phrases()


@pytest.mark.parametrize(
    "text",
    ["back pain", "stop sign", "next week", "what's the next stretch", "redo", "where am i", ""],
)
def test_not_commands_even_fuzzy(matcher, text):
    assert matcher.match(text, fuzzy=True).command is None


def test_fuzzy_only_when_close_and_unambiguous(matcher):
    assert matcher.match("skip this won", fuzzy=True).command == "skip"
    assert matcher.match("skip this won").command is None  # exact only by default
    assert "hold on" in matcher.phrases() and "redo" not in matcher.phrases()

"""Recognized words -> command, from the one phrase table."""

from __future__ import annotations

import pytest

from voice.matching import CommandMatcher


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
        ("go on", "next"),
    ],
)
def test_exact(matcher, text, command):
    assert matcher.match(text).command == command


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

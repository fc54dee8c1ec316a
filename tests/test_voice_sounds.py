"""Commands by their sound (voice/sounds.py): a short reading whose words mean no command, but
which sounds like a command phrase ("paul" for "pause", "consul" for "cancel"), is obeyed as that
command during a routine, among the commands that make sense now; other short words are not."""

from __future__ import annotations

import shutil

import pytest

from tests.test_voice_meaning import run
from voice import sounds

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="needs espeak-ng (make sysdeps)"
)
ALL = ("next", "previous", "pause", "resume", "repeat", "skip", "stop", "time_left", "redo")


@pytest.mark.parametrize(
    "heard, command",
    [("paul", "pause"), ("consul", "stop"), ("skiff", "skip"), ("parton", "repeat")],
)
def test_a_short_word_that_sounds_like_a_command_phrase_is_that_command(heard, command):
    assert sounds.default_sounds().command(heard, ALL) == command


@pytest.mark.parametrize("heard", ["hello", "thank you", "next week", "blue moon", "okay"])
def test_words_that_sound_like_no_command_are_none(heard):
    assert sounds.default_sounds().command(heard, ALL) is None


def test_only_the_commands_that_make_sense_now_are_compared():
    assert sounds.default_sounds().command("paul", ("resume", "stop")) is None


def test_a_sentence_is_never_a_command_by_sound():
    text = "paul is at the door"
    assert len(text.split()) > sounds.MAX_WORDS
    assert sounds.default_sounds().command(text, ALL) is None


def test_two_commands_that_sound_alike_are_told_apart_by_neither():
    table = sounds.SoundsLike([("pause", "pause"), ("paws", "stop")])
    assert table.command("paul", ("pause", "stop")) is None


def test_the_loop_obeys_a_command_heard_as_its_sound_alike():
    _, obeyed, said, _ = run([(1010.0, "paul", [])])
    assert obeyed == ["pause"], said


def test_the_loop_leaves_a_short_remark_alone():
    _, obeyed, said, _ = run([(1010.0, "hello", [])])
    assert obeyed == [], said


def test_without_espeak_nothing_sounds_like_a_command(monkeypatch):
    monkeypatch.setattr(sounds, "_espeak", lambda: None)
    sounds.phonemes.cache_clear()
    try:
        assert sounds.SoundsLike([("pause", "pause")]).command("paul", ("pause",)) is None
    finally:
        sounds.phonemes.cache_clear()


def test_an_allowed_command_word_heard_is_left_to_the_words():
    # "next week" sounds near "next step", but "next" itself was heard: the words decide (no)
    assert sounds.default_sounds().command("next week", ALL) is None


def test_unpause_heard_as_and_pause_while_paused_is_resume():
    assert sounds.default_sounds().command("and pause", ("resume", "stop", "next")) == "resume"
    _, obeyed, said, _ = run([(1010.0, "and pause", [])], paused=True)
    assert obeyed == ["resume"], said

"""Vosk engine tests: they run when a Vosk model is installed and skip with the reason otherwise."""

from __future__ import annotations

import pytest

from bench.speech_fixtures import TEST_TAKES, Take, evaluation_items
from tests.voice_fixtures import needs_speech_tools
from voice import vosk_engine

MODEL = vosk_engine.model_path()
pytestmark = [
    needs_speech_tools,
    pytest.mark.skipif(
        MODEL is None,
        reason="no Vosk model (run `stretchbot voice-model` or set VOSK_MODEL_PATH); "
        "the PocketSphinx fallback is tested instead",
    ),
]


@pytest.fixture(scope="module")
def vosk():
    return vosk_engine.VoskEngine(MODEL)


def test_vosk_commands_and_rejection(vosk, tmp_path):
    from bench.voice_eval import evaluate

    summary = evaluate(vosk, evaluation_items(TEST_TAKES), tmp_path)
    print("\n" + summary.table())
    assert summary.accuracy >= 0.9, summary.table()
    assert summary.false_rate <= 0.05, "\n".join(summary.mistakes())


def test_vosk_free_question(vosk, tmp_path):
    from bench.voice_eval import evaluate

    summary = evaluate(vosk, [("how do i do child's pose", Take("en-us", 160), None)], tmp_path)
    (outcome,) = summary.outcomes
    assert outcome.heard and "pose" in outcome.heard[0].text and not outcome.commands


def test_engine_choice_prefers_vosk():
    from voice.recognizer import choose_engine

    said = []
    engine = choose_engine(say=said.append)
    assert engine.name == "Vosk" and "Vosk" in said[0]

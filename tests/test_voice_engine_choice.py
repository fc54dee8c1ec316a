"""Which engine runs, and what the user is told about it."""

from __future__ import annotations

from bot import settings
from voice import vosk_engine
from voice.recognizer import choose_engine


def test_pocketsphinx_fallback_says_how_to_get_vosk(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "VOSK_MODEL_PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(settings, "VOSK_MODEL_DIR", tmp_path / "none")
    said = []
    engine = choose_engine(say=said.append)
    assert engine.name == "PocketSphinx"
    assert "not a Vosk model folder" in said[0]
    assert "stretchbot voice-model" in said[1] and "VOSK_MODEL_PATH" in said[1]


def test_model_folder_detection(tmp_path):
    assert not vosk_engine.is_model(tmp_path)
    (tmp_path / "am").mkdir()
    assert vosk_engine.is_model(tmp_path)

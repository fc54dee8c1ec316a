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


class FakeVosk:
    """Stands in for the vosk module: the grammar pass and the free pass return scripted JSON."""

    grammar_result: dict = {}
    free_result: dict = {}
    grammars: list = []

    @staticmethod
    def SetLogLevel(level):
        pass

    class Model:
        def __init__(self, path):
            if "broken" in path:
                raise Exception("Failed to create a model")

        def vosk_model_find_word(self, word):
            return -1 if word == "unpause" else 1

    class KaldiRecognizer:
        def __init__(self, model, rate, grammar=None):
            self.grammar = grammar
            FakeVosk.grammars.append(grammar)

        def SetWords(self, on):
            pass

        def AcceptWaveform(self, data):
            return True

        def FinalResult(self):
            import json

            return json.dumps(FakeVosk.grammar_result if self.grammar else FakeVosk.free_result)


def vosk_result(text, conf):
    return {"text": text, "result": [{"word": w, "conf": conf} for w in text.split()]}


def test_vosk_engine_logic_with_a_fake_model(monkeypatch, tmp_path):
    import json
    import sys

    import numpy as np

    monkeypatch.setitem(sys.modules, "vosk", FakeVosk)
    engine = vosk_engine.VoskEngine(tmp_path)
    grammar = json.loads(engine._grammar)
    assert "hold on" in grammar and "[unk]" in grammar and "unpause" not in grammar
    audio = np.zeros(1600, dtype="<i2")
    FakeVosk.grammar_result = vosk_result("hold on", 0.95)
    assert engine.transcribe(audio) == "hold on"
    FakeVosk.grammar_result = vosk_result("hold on", 0.4)  # not sure enough: free pass decides
    FakeVosk.free_result = vosk_result("hold my hand", 0.9)
    assert engine.transcribe(audio) == "hold my hand"
    # ...but the grammar's reading goes on as a second reading for the understanding step.
    assert engine.hear(audio).alternatives == ("hold on",)
    FakeVosk.grammar_result = vosk_result("stop [unk]", 0.9)
    FakeVosk.free_result = vosk_result("stop sign", 0.9)
    assert engine.transcribe(audio) == "stop sign"


def test_damaged_vosk_model_falls_back(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "vosk", FakeVosk)
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    monkeypatch.setattr(settings, "VOSK_MODEL_PATH", str(broken))
    said = []
    engine = choose_engine(say=said.append)
    assert engine.name == "PocketSphinx" and "could not be loaded" in said[0]

"""Which engine runs, and what the user is told about it."""

from __future__ import annotations

import numpy as np
import pytest

from bot import settings
from tests.voice_fixtures import needs_speech_tools
from voice import moonshine_engine, vosk_engine
from voice.audio import AudioError
from voice.recognizer import choose_engine


def test_without_vosk_the_built_in_moonshine_model_is_used(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "VOSK_MODEL_PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(settings, "VOSK_MODEL_DIR", tmp_path / "none")
    said = []
    engine = choose_engine(say=said.append)
    assert engine.name == "Moonshine"
    assert "not a Vosk model folder" in said[0] and "Moonshine" in said[1]


def test_pocketsphinx_fallback_says_how_to_get_vosk(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "VOSK_MODEL_PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(settings, "VOSK_MODEL_DIR", tmp_path / "none")
    monkeypatch.setattr(moonshine_engine, "source_dir", lambda: None)  # the wheel is missing
    said = []
    engine = choose_engine(say=said.append)
    assert engine.name == "PocketSphinx"
    assert "not a Vosk model folder" in said[0]
    assert "Moonshine model could not be loaded" in said[1] and "not installed" in said[1]
    assert "stretchbot voice-model" in said[2] and "VOSK_MODEL_PATH" in said[2]


def test_a_moonshine_file_that_is_not_the_pinned_one_is_refused(monkeypatch):
    pinned = dict(moonshine_engine.SHA256, **{"tokenizer.bin": "0" * 64})
    monkeypatch.setattr(moonshine_engine, "SHA256", pinned)
    with pytest.raises(moonshine_engine.MoonshineUnavailable, match="not the pinned"):
        moonshine_engine.MoonshineEngine()
    with pytest.raises(AudioError, match="Moonshine model could not be loaded"):
        choose_engine(say=lambda line: None, want="moonshine")


def test_moonshine_tokenizer_pieces_are_read_whole(tmp_path):
    path = tmp_path / "tokenizer.bin"
    long_piece = "\u2581" + "x" * 200  # over 127 bytes: two length bytes
    encoded = long_piece.encode()
    path.write_bytes(
        bytes([3]) + b"<s>" + bytes([128 | (len(encoded) & 127), len(encoded) >> 7]) + encoded
    )
    assert moonshine_engine.read_tokens(path) == [b"<s>", encoded]


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
    assert engine.name == "Moonshine" and "could not be loaded" in said[0]


def test_moonshine_words_are_tidied_for_the_understanding_step():
    tidy = moonshine_engine.tidy
    assert tidy("How long is left?") == "how long is left"
    assert tidy("Wait, wait.") == "wait" and tidy("1 moment 1 moment") == "one moment"
    assert tidy("go go on") == "go go on"  # not a phrase said twice over


@needs_speech_tools
def test_moonshine_hears_a_spoken_command(tmp_path):
    from bench.speech_fixtures import Take, read_wav, synthesize

    path = tmp_path / "skip.wav"
    synthesize("skip this one please", Take("en-us", 160), path)
    assert moonshine_engine.MoonshineEngine().transcribe(read_wav(path)) == "skip this one please"


def test_speech_from_the_first_sample_is_told_from_speech_after_quiet():
    rng = np.random.default_rng(0)
    speech = np.sin(np.arange(16000) / 5.0).astype(np.float32) * 0.3
    quiet = rng.normal(0, 0.001, 8000).astype(np.float32)
    assert moonshine_engine.starts_loud(np.concatenate([speech, quiet]))
    assert not moonshine_engine.starts_loud(np.concatenate([quiet, speech, quiet]))


def test_moonshine_command_phrases_are_spelt_as_the_model_writes_them():
    engine = moonshine_engine.MoonshineEngine()
    tree = engine._trie
    spelt = {}  # phrase -> the token paths that end in it
    for node, phrase in tree.phrase.items():
        path = []
        while node:
            path.append(tree.token[node])
            node = next(parent for parent, below in tree.children.items() if node in below.values())
        spelt.setdefault(phrase, []).append(b"".join(engine._tokens[t] for t in reversed(path)))
    assert spelt["stop the routine"] == [
        "\u2581Stop\u2581the\u2581routine".encode(),
        *(f"\u2581Stop\u2581the\u2581routine{e}".encode() for e in moonshine_engine.ENDINGS),
    ]
    # every voice phrase is in the tree, the table's and the examples' (one spelling, and one per
    # ending), each with its command
    table = engine.matcher.table
    voice_phrases = {p: c for p, c in table.phrases if table.by_voice(p)}
    assert set(spelt) == set(engine.phrase_command) > set(voice_phrases)
    assert all(engine.phrase_command[p] == c for p, c in voice_phrases.items())
    assert engine.phrase_command["let's call it a day"] == "stop"  # an example, not a table phrase
    # long stop and pause phrases are searched further down: every node on their way is marked
    ends = {phrase for node, phrase in tree.phrase.items() if node in tree.wide}
    assert {"stop the routine", "hold on a moment", "stop"} <= ends  # "stop" begins a long one
    assert not ends & {"skip this one", "what was that", "next"}
    assert engine._safe("stop the routine") and not engine._safe("stop")


FIT = moonshine_engine.MoonshineEngine.judge


@pytest.mark.parametrize(
    ("margin", "text", "doubtful", "alternatives"),
    [
        (0.5, "previous", False, ("bring this",)),  # taken as heard; the free reading kept
        (3.0, "bring this", False, ("previous",)),  # a second reading behind the free one
        (5.0, "bring this", False, ()),  # too unlikely: left
    ],
)
def test_a_fitted_command_phrase_is_taken_offered_or_left_by_its_margin(
    margin, text, doubtful, alternatives
):
    heard = FIT("bring this", (("previous", "previous", margin),))
    assert (heard.text, heard.doubtful, heard.alternatives) == (text, doubtful, alternatives)
    if text == "previous":  # the free reading is kept for the safety check
        assert heard.heard_as == "bring this"


def test_a_second_reading_within_fit_agree_is_marked_close():
    near = moonshine_engine.FIT_AGREE - 0.1
    assert FIT("forward long", (("forward", "next", near),)).close == ("forward",)
    far = moonshine_engine.FIT_AGREE + 0.1
    heard = FIT("forward long", (("forward", "next", far),))
    assert heard.alternatives == ("forward",) and heard.close == ()


def test_a_phrase_fitted_to_nothing_written_is_doubted_and_a_close_rival_command_blocks_it():
    # the model wrote nothing: a phrase near enough is heard, a less sure one doubted (asked back)
    assert (
        FIT("", (("pause", "pause", 1.0),)).text,
        FIT("", (("pause", "pause", 1.0),)).doubtful,
    ) == (
        "pause",
        False,
    )
    heard = FIT("", (("pause", "pause", 3.0),))
    assert (heard.text, heard.doubtful) == ("pause", True)
    # another command's phrase nearly as likely: not taken as heard
    rivals = (("next", "next", 0.5), ("neck", "status", 0.5 + moonshine_engine.FIT_RIVAL / 2))
    assert FIT("text", rivals).text == "text" and FIT("text", rivals).alternatives == ("next",)
    assert FIT("", rivals).doubtful
    # the same command's other phrase is no rival
    same = (("next", "next", 0.5), ("next one", "next", 0.6))
    assert FIT("text", same).text == "next"
    assert FIT("", ()).text == ""


def test_a_long_stop_or_pause_phrase_is_taken_from_further_down_than_other_commands():
    # "let's slowly today" for "let's call it a day": several words, one shared, no rival
    between = (moonshine_engine.FIT_ASK + moonshine_engine.FIT_SAFE) / 2
    heard = FIT("let's slowly today", (("let's call it a day", "stop", between),))
    assert (heard.text, heard.heard_as) == ("let's call it a day", "let's slowly today")
    # another command's phrase as far down is left, and so is a stop phrase further still
    assert FIT("which stretches that", (("which stretch is this", "status", between),)).text == (
        "which stretches that"
    )
    far = moonshine_engine.FIT_SAFE + 0.1
    assert FIT("let's slowly today", (("let's call it a day", "stop", far),)).text == (
        "let's slowly today"
    )
    # a short stop phrase, one sharing no word, or one with a rival close by: left, not even
    # offered as a second reading (a pause phrase among the readings would be obeyed)
    for fits in (
        (("stop", "stop", between),),
        (("end the routine", "stop", between),),
        (("let's call it a day", "stop", between), ("let's carry on", "resume", between + 1)),
    ):
        heard = FIT("let's slowly today", fits)
        assert (heard.text, heard.alternatives) == ("let's slowly today", ())

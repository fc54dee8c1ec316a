"""The listener's early decoding: the utterance is decoded as soon as the voice goes quiet, and that
result is used only when the endpointer then closes the utterance with no more speech."""

from __future__ import annotations

import numpy as np
import pytest

from bench.speech_fixtures import RATE, Take, read_wav, speech_bounds, synthesize, write_wav
from tests.voice_fixtures import needs_speech_tools
from voice.audio import WavSource
from voice.engine import Transcript
from voice.recognizer import PRE_ROLL_S, Listener, Segmenter

pytestmark = needs_speech_tools


class CountingEngine:
    """Says `text` for any audio and keeps the length (seconds) of every utterance it was given."""

    name = "fake"
    fuzzy_commands = False

    def __init__(self, text: str):
        from voice.matching import CommandMatcher

        self.matcher = CommandMatcher()
        self.text = text
        self.calls: list[float] = []

    def hear(self, audio: np.ndarray) -> Transcript:
        self.calls.append(len(audio) / RATE)
        return Transcript(self.text)


def words(tmp_path, text: str) -> np.ndarray:
    samples = read_wav(synthesize(text, Take("en-us", 170), tmp_path / f"{text}.wav").path)
    start, end = speech_bounds(samples)
    return samples[int(start * RATE) : int(end * RATE)]


def heard_all(listener: Listener) -> list:
    out = []
    while True:
        try:
            item = listener.listen()
        except EOFError:
            return out
        if item is not None:
            out.append(item)


def wav(tmp_path, *parts: np.ndarray) -> WavSource:
    path = tmp_path / "input.wav"
    gap = np.zeros(int(0.5 * RATE), dtype="<i2")
    write_wav(path, np.concatenate([gap, *parts, gap]))
    return WavSource(path)


def test_command_uses_the_decoding_begun_as_the_voice_went_quiet(tmp_path):
    engine = CountingEngine("next")
    listener = Listener(wav(tmp_path, words(tmp_path, "next")), engine)
    (heard,) = heard_all(listener)
    assert heard.command == "next"
    # The result used is that of the audio up to shortly after the speech, decoded before the
    # endpointer had heard enough quiet to be sure the speech was over ("next" may be decoded
    # once before, at the quiet before its "t").
    decoded_until = heard.start - PRE_ROLL_S + engine.calls[-1]
    assert heard.end <= decoded_until < heard.closed
    # Decoded before the close, so nothing is left to wait for once the endpointer closes.
    assert heard.compute_s == 0.0


@pytest.mark.parametrize("gap_s", [0.12, 0.15])
def test_a_short_pause_inside_a_phrase_discards_the_early_result(tmp_path, gap_s):
    # "go | back": quiet long enough for an early decoding of "go", too short for the endpointer
    # to end the phrase (0.2 s would).
    engine = CountingEngine("go back")
    pause = np.zeros(int(gap_s * RATE), dtype="<i2")
    first, second = words(tmp_path, "go"), words(tmp_path, "back")
    listener = Listener(wav(tmp_path, first, pause, second), engine)
    (heard,) = heard_all(listener)
    assert heard.command == "previous"
    assert len(engine.calls) >= 2  # "go" decoded early, then the whole phrase
    spoken = (len(first) + len(pause) + len(second)) / RATE
    assert engine.calls[-1] >= spoken  # the result used covers both words


class ScriptedEngine(CountingEngine):
    """Says the next of `texts` for each utterance longer than `whole_s`, else the first one."""

    def __init__(self, fragment: str, whole: str, whole_s: float):
        super().__init__(fragment)
        self.whole, self.whole_s = whole, whole_s

    def hear(self, audio: np.ndarray) -> Transcript:
        self.calls.append(len(audio) / RATE)
        return Transcript(self.whole if len(audio) / RATE >= self.whole_s else self.text)


def test_a_stop_with_more_words_waits_for_the_sentence_and_is_never_obeyed_on_its_start(tmp_path):
    # "alright I'm done now | please resume": the first part alone reads as a stop; the whole
    # sentence (after a pause the endpointer took for its end) is a resume.
    first, second = words(tmp_path, "alright i'm good now"), words(tmp_path, "please resume")
    pause = np.zeros(int(0.4 * RATE), dtype="<i2")
    whole_s = (len(first) + len(pause) + len(second)) / RATE
    engine = ScriptedEngine("alright i'm done now", "alright i'm done now please resume", whole_s)
    heard = heard_all(Listener(wav(tmp_path, first, pause, second), engine))
    assert [h.command for h in heard] != ["stop"]
    assert "stop" not in [h.command for h in heard]


def test_a_bare_stop_is_obeyed_at_once(tmp_path):
    engine = CountingEngine("stop")
    (heard,) = heard_all(Listener(wav(tmp_path, words(tmp_path, "stop")), engine))
    assert heard.command == "stop" and heard.ready_at == heard.closed


class FirstThenRest(CountingEngine):
    """Says `first` for the first utterance, `rest` for every later one."""

    def __init__(self, first: str, rest: str):
        super().__init__(first)
        self.rest = rest

    def hear(self, audio: np.ndarray) -> Transcript:
        self.calls.append(len(audio) / RATE)
        return Transcript(self.text if len(self.calls) == 1 else self.rest)


def test_speech_right_after_a_command_is_marked_as_the_rest_of_its_sentence(tmp_path):
    # "back | to the last one please": "back" is obeyed at once; what follows within the
    # continuation time (heard with the end of "back" as "back to the last one please") is marked,
    # so the loop never obeys it as a second command
    first, second = words(tmp_path, "back"), words(tmp_path, "to the last one please")
    pause = np.zeros(int(0.3 * RATE), dtype="<i2")
    engine = FirstThenRest("back", "back to the last one please")
    heard = heard_all(Listener(wav(tmp_path, first, pause, second), engine))
    assert [(h.command, h.follows_command) for h in heard] == [
        ("previous", False),
        (None, True),
    ]


@pytest.mark.parametrize("sure", [True, False])
def test_speech_that_surely_means_a_command_waits_less_for_more(tmp_path, sure):
    # "let's take a little break" is no table phrase: it is held in case the sentence goes on, the
    # full continuation wait, or a shorter one when the understanding step is sure of it.
    from voice.recognizer import CONTINUATION_S, SURE_CONTINUATION_S

    engine = CountingEngine("let's take a little break")
    listener = Listener(wav(tmp_path, words(tmp_path, "let's take a little break")), engine)
    listener.sure = lambda heard: sure
    (heard,) = heard_all(listener)
    assert heard.command is None
    waited = heard.ready_at - heard.end
    wait = SURE_CONTINUATION_S if sure else CONTINUATION_S
    assert wait <= waited < wait + 0.05


def test_the_sure_command_rule_leaves_stop_and_long_talk_to_the_full_wait():
    from bot.understanding import default_understanding
    from voice.meaning import sure_command
    from voice.recognizer import Heard

    sure = sure_command(default_understanding().commands)

    def said(text):
        return Heard(text, None, 0.0, 1.0, 1.1, 0.1)

    assert sure(said("let's take a little break"))
    assert not sure(said("let's call it a day"))  # a stop waits for the end of the sentence
    assert not sure(said("I was telling my sister about the holiday we had last summer"))
    assert not sure(said(""))


def test_a_command_followed_at_once_by_more_speech_is_judged_with_it(tmp_path):
    # "next | week i'll try the longer routine" with 0.15 s between: the endpointer ends an utterance
    # after "next" (before COMMAND_CONTINUATION_S, "next" was obeyed then), but the voice comes back
    # before COMMAND_CONTINUATION_S: one sentence, heard whole, no command
    first, second = words(tmp_path, "next"), words(tmp_path, "week i'll try the longer routine")
    pause = np.zeros(int(0.15 * RATE), dtype="<i2")
    whole_s = (len(first) + len(pause) + len(second)) / RATE
    engine = ScriptedEngine("next", "next week i'll try the longer routine", whole_s)
    heard = heard_all(Listener(wav(tmp_path, first, pause, second), engine))
    assert [(h.text, h.command) for h in heard] == [("next week i'll try the longer routine", None)]


@pytest.mark.parametrize("text", ["next", "pause"])
def test_a_command_alone_waits_a_moment_for_more_but_pause_is_handed_on_at_once(tmp_path, text):
    from voice.recognizer import COMMAND_CONTINUATION_S

    engine = CountingEngine(text)
    (heard,) = heard_all(Listener(wav(tmp_path, words(tmp_path, text)), engine))
    assert heard.command == text
    if text == "pause":
        assert heard.ready_at == heard.closed
    else:
        assert COMMAND_CONTINUATION_S <= heard.ready_at - heard.end < COMMAND_CONTINUATION_S + 0.05


class TrailingNoiseEngine(CountingEngine):
    """Hears `text` in audio shorter than `upto_s` and nothing in longer audio (as Moonshine often
    writes nothing once noise or talk goes on after the words)."""

    def __init__(self, text: str, upto_s: float):
        super().__init__(text)
        self.upto_s = upto_s

    def hear(self, audio: np.ndarray) -> Transcript:
        self.calls.append(len(audio) / RATE)
        return Transcript(self.text if len(audio) / RATE < self.upto_s else "")


@pytest.mark.parametrize(("said", "kept"), [("hold on a moment", True), ("hi", False)])
def test_words_heard_in_the_first_part_stand_when_the_whole_is_heard_as_nothing(
    tmp_path, said, kept
):
    # "hold on a moment | (more speech the recognizer makes nothing of)": the early decoding of
    # the first part heard the words, the whole utterance nothing; a fragment too short is not kept
    first, rest = words(tmp_path, said), words(tmp_path, "and so on and so forth")
    pause = np.zeros(int(0.1 * RATE), dtype="<i2")  # too short for the endpointer to close
    upto_s = PRE_ROLL_S + (len(first) + len(pause)) / RATE + 0.1
    engine = TrailingNoiseEngine(said, upto_s)
    heard = heard_all(Listener(wav(tmp_path, first, pause, rest), engine))
    assert any(c < upto_s for c in engine.calls) and max(engine.calls) >= upto_s
    if kept:
        assert [(h.text, h.command) for h in heard] == [(said, "pause")]
    else:
        assert [h.text for h in heard if h.text] == []


def test_after_a_mute_utterances_keep_stream_times_and_only_their_pre_roll(tmp_path):
    """The endpointer made fresh on unmute counts time from its own first frame: the utterance's
    start and end are still given in stream time, and its audio begins PRE_ROLL_S before the
    speech, not wherever listening resumed."""
    segmenter = Segmenter()
    quiet = np.zeros(int(1.5 * RATE), dtype="<i2")
    assert segmenter.feed(quiet) == []
    segmenter.reset()  # as on unmute
    said = words(tmp_path, "next")
    out = segmenter.feed(np.concatenate([quiet[:RATE], said, quiet]))
    ((audio, start, end, closed),) = out
    assert 2.4 <= start <= 2.6  # 1.5 s before the mute, 1 s after it
    assert start < end < closed
    assert len(audio) / RATE <= PRE_ROLL_S + (closed - start) + 0.05

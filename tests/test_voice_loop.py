"""The hands-free loop with a fake clock, mic and speaker (no audio, no bot server)."""

from __future__ import annotations

import pytest

from bot.catalogue import default_catalogue
from bot.control import STOPPED_FOR_SAFETY
from bot.routine import RUNNING, STOPPED
from voice.bot import BotUnavailable, Reply
from voice.loop import GOODBYE, NO_ROUTINE, NOT_BY_VOICE, RoutineStore, VoiceSession
from voice.recognizer import Heard

WORDS_PER_SECOND = 3.0


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class FakeSpeaker:
    """Speaking takes time on the fake clock; every utterance is kept with its interval."""

    def __init__(self, clock, mic):
        self.clock, self.mic, self.said = clock, mic, []

    def say(self, text: str) -> float:
        assert self.mic.muted, "the mic must be muted while Stretchbot speaks"
        start = self.clock.now
        self.clock.now += max(0.3, len(text.split()) / WORDS_PER_SECOND)
        self.said.append((start, self.clock.now, text))
        return self.clock.now - start


class FakeListener:
    """Scripted utterances: (clock time the speech ends, text, command)."""

    def __init__(self, clock, script):
        self.clock, self.script = clock, list(script)
        self.muted = False
        self.unmuted_at = None
        self.listened_while_muted = False
        self.heard_at = {}

    def mute(self):
        self.muted = True

    def unmute(self):
        self.muted = False
        self.unmuted_at = self.clock.now

    def listen(self, timeout=None):
        if self.muted:
            self.listened_while_muted = True
        if not self.script:
            if self.clock.now > 5000:
                raise EOFError
            self.clock.now += timeout or 0.5
            return None
        when, text, command = self.script[0]
        if when > self.clock.now + (timeout or 0.5):
            self.clock.now += timeout or 0.5
            return None
        self.script.pop(0)
        self.clock.now = max(self.clock.now, when)  # said once the mic was open again
        self.heard_at[text] = self.clock.now
        return Heard(text, command, when - 1, when, when, 0.0)


SEEK_CARE = "Please stop stretching and get this checked by a health professional soon."


class FakeBot:
    """Answers like the bot: a routine on request, a red-flag reply (flagged) on `red_flags`."""

    def __init__(self, routine=None, down=False, red_flags=()):
        self.routine, self.down, self.sent = routine, down, []
        self.red_flags = red_flags

    def send(self, text, stretch=None):
        self.sent.append((text, stretch))
        if self.down:
            raise BotUnavailable("server down")
        if text in self.red_flags:
            return Reply([SEEK_CARE], red_flag=True)
        if "routine" in text:
            return Reply(["Here is the daily routine."], self.routine)
        return Reply([f"An answer about {stretch}."])


ROUTINE = next(iter(default_catalogue().routines.values()))


def session(script, bot=None, guard=0.25, store=None):
    clock = Clock()
    listener = FakeListener(clock, script)
    speaker = FakeSpeaker(clock, listener)
    bot = bot or FakeBot(ROUTINE)
    voice = VoiceSession(
        listener, speaker, bot, clock=clock, sleep=clock.sleep, guard=guard, scale=0.2, store=store
    )
    return voice, clock, listener, speaker, bot


def test_routine_stop_halts_and_cues_never_overlap():
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "start the daily routine", None), (1040.0, "stop", "stop")]
    )
    voice.run(greet=False)
    assert voice.engine is not None and voice.engine.status == STOPPED
    assert bot.sent == [("start the daily routine", None)]
    texts = [t for _, _, t in speaker.said]
    assert texts[0] == "Here is the daily routine." and texts[1].startswith("Stretch 1 of")
    assert "Routine stopped. Nice work today." in texts
    stop_at = next(s for s, _, t in speaker.said if t.startswith("Routine stopped"))
    assert stop_at - listener.heard_at["stop"] < 0.3  # acted on at once
    assert GOODBYE not in texts  # "stop" ended the routine, not the voice session
    for (_, end, _), (start, _, _) in zip(speaker.said, speaker.said[1:], strict=False):
        assert start >= end, "two things were said at once"
    assert not listener.listened_while_muted


def test_mic_is_muted_while_speaking_and_for_the_guard():
    voice, clock, listener, speaker, bot = session([], guard=0.25)
    voice.speak(["one", "two three"])
    assert listener.unmuted_at == speaker.said[-1][1] + 0.25
    assert not listener.muted


def test_pause_resume_and_time_left_use_the_engine():
    voice, clock, listener, speaker, bot = session(
        [
            (1001.0, "start the daily routine", None),
            (1020.0, "hold on", "pause"),
            (1060.0, "how much longer", "time_left"),
            (1070.0, "carry on", "resume"),
            (1075.0, "stop", "stop"),
        ]
    )
    voice.run(greet=False)
    texts = [t for _, _, t in speaker.said]
    assert "Paused. Say resume when you're ready." in texts
    assert any("(paused)" in t for t in texts)
    assert any(t.startswith("Resuming:") for t in texts)
    assert voice.engine.status == STOPPED


def test_question_during_routine_goes_to_bot_with_the_stretch():
    voice, clock, listener, speaker, bot = session(
        [
            (1001.0, "start the daily routine", None),
            (1010.0, "what muscles does this work", None),
            (1012.0, "stop", "stop"),
        ]
    )
    voice.run(greet=False)
    assert bot.sent[1] == ("what muscles does this work", voice.engine.current_stretch)
    assert any(t.startswith("An answer about") for _, _, t in speaker.said)


def test_stop_without_routine_ends_session_and_stray_words_are_ignored():
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "the", None), (1002.0, "stop", "stop")]
    )
    voice.run(greet=False)
    assert voice.done and bot.sent == []
    assert speaker.said[-1][2] == GOODBYE


def test_bot_down_is_said_clearly_and_commands_still_work():
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "how do i do child's pose", None), (1002.0, "next", "next")],
        bot=FakeBot(down=True),
    )
    voice.run(greet=False)
    texts = [t for _, _, t in speaker.said]
    assert "can't reach Stretchbot's server" in texts[0]
    assert texts[1].startswith("There's no routine running")


def test_routine_runs_to_its_end_without_input():
    voice, clock, listener, speaker, bot = session([(1001.0, "start the daily routine", None)])
    voice.run(greet=False)
    assert voice.engine.status != RUNNING
    assert any("whole routine" in t for _, _, t in speaker.said)


def test_where_am_i_and_redo_are_answered_from_the_routine_not_the_bot():
    voice, clock, listener, speaker, bot = session(
        [
            (1001.0, "start the daily routine", None),
            (1010.0, "where am i", None),
            (1015.0, "do this one again", None),
            (1020.0, "stop", "stop"),
        ]
    )
    voice.run(greet=False)
    assert [text for text, _ in bot.sent] == ["start the daily routine"]
    said = [t for _, _, t in speaker.said]
    assert any(t.startswith("Stretch 1 of 5: Child's Pose.") and " left in " in t for t in said)
    redo = listener.heard_at["do this one again"]
    before = [t for start, _, t in speaker.said if start < redo and " of 5: " in t]
    after = [t for start, _, t in speaker.said if start >= redo]
    assert after[0] == before[-1]  # the same stretch, set up again from its start


def test_chat_only_phrase_gets_a_hint_and_changes_nothing():
    # "go on" is a chat command that voice mode leaves out (it sounds like "hold on").
    voice, clock, listener, speaker, bot = session(
        [
            (995.0, "go on", None),
            (1001.0, "start the daily routine", None),
            (1010.0, "go on", None),
            (1012.0, "stop", "stop"),
        ]
    )
    voice.run(greet=False)
    said = [t for _, _, t in speaker.said]
    assert said[0] == NO_ROUTINE
    hint = said.index(NOT_BY_VOICE)
    assert "2 of 5" not in " ".join(said[: hint + 2])  # still on the first stretch
    assert [text for text, _ in bot.sent] == ["start the daily routine"]


def said_after(speaker, when):
    return [t for start, _, t in speaker.said if start >= when]


def test_a_red_flag_from_the_bot_mid_routine_stops_the_routine_and_says_so():
    # Words the core's own check doesn't know, but the bot answers as a warning sign.
    warning = "something feels very wrong in my spine"
    bot = FakeBot(ROUTINE, red_flags=(warning,))
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "start the daily routine", None), (1015.0, warning, None)], bot=bot
    )
    voice.run(greet=False)
    assert voice.engine.status == STOPPED
    after = said_after(speaker, listener.heard_at[warning])
    assert after[:2] == [SEEK_CARE, STOPPED_FOR_SAFETY]
    assert len(after) == 2, f"the routine went on after the warning: {after}"


@pytest.mark.parametrize("words", ["ouch that really hurts", "my legs have gone numb", "it hurts"])
def test_pain_or_a_warning_sign_stops_the_routine_even_with_the_bot_down(words):
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "start the daily routine", None), (1015.0, words, None)], bot=FakeBot(ROUTINE)
    )
    bot.down = False
    voice.run(greet=False)
    assert voice.engine.status == STOPPED
    after = said_after(speaker, listener.heard_at[words])
    assert after[-1] == STOPPED_FOR_SAFETY and len(after) == 2


def test_pain_stops_the_routine_when_the_bot_is_unreachable():
    bot = FakeBot(ROUTINE)
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "start the daily routine", None), (1015.0, "ouch my back hurts", None)], bot=bot
    )
    original = bot.send

    def send(text, stretch=None):
        if text != "start the daily routine":
            raise BotUnavailable("server down")
        return original(text, stretch)

    bot.send = send
    voice.run(greet=False)
    assert voice.engine.status == STOPPED
    after = said_after(speaker, listener.heard_at["ouch my back hurts"])
    assert after == [voice.control.safety_advice(), STOPPED_FOR_SAFETY]


def test_ready_during_the_set_up_starts_the_hold_as_in_chat():
    voice, clock, listener, speaker, bot = session([])
    voice.start(ROUTINE)
    assert voice.engine.phase.kind == "intro"
    voice.handle(Heard("ready", "resume", clock.now, clock.now, clock.now, 0.0))
    assert voice.engine.phase.kind == "hold"
    assert speaker.said[-1][2].startswith("Hold")


def test_a_voice_routine_survives_a_crash_and_is_offered_to_resume(tmp_path):
    store = RoutineStore(tmp_path / "voice_routine.json")
    voice, clock, listener, speaker, bot = session(
        [(1001.0, "start the daily routine", None)], store=store
    )
    while clock.now < 1030.0:  # the process dies here, mid-routine
        voice.step()
        voice.save()
    number, _ = voice.engine.progress()
    phase = voice.engine.state.phase

    again, clock2, listener2, speaker2, _ = session([(1005.0, "resume", "resume")], store=store)
    again.step = lambda step=again.step: (step(), setattr(again, "done", clock2.now > 1010))
    again.run()
    said = [t for _, _, t in speaker2.said]
    assert said[0].startswith("Welcome back! You were in the middle of the basic daily routine")
    assert f"stretch {number} of 5" in said[0]
    assert said[1].startswith("Resuming:")
    assert again.engine.state.phase >= phase


def test_a_finished_or_stopped_voice_routine_is_not_offered_again(tmp_path):
    store = RoutineStore(tmp_path / "voice_routine.json")
    voice, *_ = session(
        [(1001.0, "start the daily routine", None), (1010.0, "stop", "stop")], store=store
    )
    voice.run(greet=False)
    assert not (tmp_path / "voice_routine.json").exists()
    assert store.load(default_catalogue()) is None


def test_a_command_in_the_users_own_words_is_obeyed_by_meaning():
    voice, clock, listener, speaker, bot = session(
        [
            (1001.0, "start the daily routine", None),
            (1010.0, "please stop the clock for a little while", None),
        ]
    )
    voice.run(greet=False)
    assert "Paused. Say resume when you're ready." in [t for _, _, t in speaker.said]
    assert [text for text, _ in bot.sent] == ["start the daily routine"]


def test_pain_in_the_free_reading_stops_the_routine_when_a_command_phrase_was_fitted():
    # Moonshine's command pass may hand on a command phrase ("next") fitted to the audio; what the
    # recognizer wrote itself ("ouch my back hurts") still stops the routine first.
    voice, clock, listener, speaker, bot = session([], bot=FakeBot(ROUTINE))
    voice.start(ROUTINE)
    number, _ = voice.engine.progress()
    now = clock.now
    voice.handle(Heard("next", "next", now, now, now, 0.0, heard_as="ouch my back hurts"))
    assert voice.engine.status == STOPPED
    assert voice.engine.progress()[0] == number  # the fitted "next" was not obeyed
    assert speaker.said[-1][2] == STOPPED_FOR_SAFETY


def test_the_rest_of_a_sentence_whose_start_was_obeyed_is_no_second_command():
    # "back | to the last one please": the start was obeyed as "previous"; the rest, heard with
    # the end of "back" before it, means "previous" too but is the same sentence, not a second one
    voice, clock, listener, speaker, bot = session([], bot=FakeBot(ROUTINE))
    voice.start(ROUTINE)
    voice.handle(Heard("next", "next", clock.now, clock.now, clock.now, 0.0))
    number, _ = voice.engine.progress()
    now = clock.now
    voice.handle(Heard("back", "previous", now, now, now, 0.0))
    assert voice.engine.progress()[0] == number - 1
    rest = Heard("back to the last one please", None, now, now, now, 0.0, follows_command=True)
    voice.handle(rest)
    assert voice.engine.progress()[0] == number - 1
    assert not voice.asked_about
    # a question after it still goes to the bot
    voice.handle(
        Heard("what muscles does this work", None, now, now, now, 0.0, follows_command=True)
    )
    assert bot.sent[-1][0] == "what muscles does this work"

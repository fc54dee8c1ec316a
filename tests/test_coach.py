"""Coaching a routine in chat (bot/coach.py) on a fake clock, with the driver's timer simulated:
the test calls `tick` whenever the coach asked to be woken, as the Rasa reminders do."""

from __future__ import annotations

import pytest

from bot.coach import LATE, STALE_AFTER, Coach, Session
from bot.commands import default_commands
from bot.dialogue import Context, Turn
from bot.routine import PAUSED, RUNNING
from bot.understanding import Meaning


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Chat:
    """One conversation: what the user says, what the timer does, what was said and when."""

    def __init__(self, dialogue, scale: float = 1.0):
        self.clock = Clock()
        self.coach = Coach(dialogue, default_commands(), clock=self.clock, scale=scale)
        self.context = Context(disclaimer_shown=True)
        self.session: Session | None = None
        self.wake: float | None = None  # the one pending timer, as Rasa keeps it per conversation
        self.log: list[tuple[float, str]] = []

    @property
    def t(self) -> float:
        return self.clock.now - 1000.0

    def say(self, text: str, intent: str = "inform", confidence: float = 0.9, **kw):
        reply = self.coach.message(Turn(text, intent, confidence), self.context, self.session, **kw)
        self._apply(reply)
        return reply

    def _apply(self, reply, context=True):
        if context:
            self.context = reply.context
        self.session = reply.session
        if reply.wake is not None:
            self.wake = reply.wake
        elif reply.cancel:
            self.wake = None
        self.log += [(self.t, m) for m in reply.messages]

    def wait(self, seconds: float) -> list[str]:
        """Let time pass, firing the timer whenever it is due."""
        end = self.clock.now + seconds
        said = []
        while self.wake is not None and self.wake <= end:
            self.clock.now, self.wake = self.wake, None
            reply = self.coach.tick(self.session)
            self._apply(reply, context=False)
            said += reply.messages
        self.clock.now = end
        return said

    def when(self, text: str) -> float:
        return next(t for t, m in self.log if m == text)

    @property
    def status(self) -> str | None:
        return self.session.engine["status"] if self.session else None


@pytest.fixture
def chat(dialogue):
    return Chat(dialogue)


def test_start_introduces_the_routine_and_the_first_stretch(chat):
    reply = chat.say("start the daily routine", "recommend")
    assert reply.messages[0] == "Let's do the basic daily routine: 5 stretches, about 10 minutes."
    assert "pause, resume, next" in reply.messages[1]
    assert reply.messages[2].startswith("Stretch 1 of 5: Child's Pose. Begin on hands and knees")
    assert reply.wake == pytest.approx(1008.0)
    assert chat.status == RUNNING


def test_the_disclaimer_is_shown_with_the_first_routine(dialogue):
    chat = Chat(dialogue)
    chat.context = Context()
    reply = chat.say("start the daily routine", "recommend")
    assert "not a medical service" in reply.messages[-1]
    assert chat.context.disclaimer_shown


def test_it_advances_by_itself(chat):
    chat.say("start the daily routine", "recommend")
    said = chat.wait(90)
    assert said[:6] == [
        "Hold for 60 seconds.",
        "Halfway.",
        "10 seconds left.",
        "And release.",
        "Rest. Next up: Cat-Cow.",
        "Stretch 2 of 5: Cat-Cow. Come onto your hands and knees like a tabletop, wrists below "
        "shoulders and knees below hips, with a flat back.",
    ]
    assert chat.when("And release.") == pytest.approx(68.0)


def test_a_question_mid_hold_is_answered_about_this_stretch_and_keeps_the_timer(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(20)
    pending = chat.wake
    reply = chat.say("what muscles does this work?", "ask_muscles")
    assert reply.messages[0].startswith("Child's Pose works")
    assert reply.messages[-1].startswith("(Routine still running: 48 seconds left in this hold")
    assert reply.wake is None and not reply.cancel and chat.wake == pending
    chat.say("how do I do this?", "ask_howto")
    chat.wait(60)
    assert chat.when("And release.") == pytest.approx(68.0)  # not cancelled, not shortened


def test_pause_keeps_the_remaining_time_and_never_advances(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(38)  # 30 s into the 60 s hold
    reply = chat.say("pause")
    assert reply.messages == ["Paused. Say resume when you're ready."] and reply.cancel
    assert chat.wait(600) == []
    assert (
        chat.say("how long left?").messages[0].startswith("30 seconds left in this hold (paused)")
    )
    reply = chat.say("ok resume please")
    assert reply.messages == ["Resuming: 30 seconds to go in this step."]
    assert reply.wake == pytest.approx(chat.clock.now + 20.0)  # "10 seconds left" is next
    chat.wait(31)
    assert chat.log[-2][1] == "And release." and chat.log[-2][0] == pytest.approx(668.0)


@pytest.mark.parametrize(
    "command, first_words",
    [
        ("next", "Stretch 2 of 5: Cat-Cow."),  # while a stretch is introduced: the next stretch
        ("ready", "Hold for 60 seconds."),  # "ready" starts the hold of this one
        ("skip", "Stretch 2 of 5: Cat-Cow."),
        ("skip this one", "Stretch 2 of 5: Cat-Cow."),
        ("repeat", "Stretch 1 of 5: Child's Pose."),
        ("say that again", "Stretch 1 of 5: Child's Pose."),
        ("how much longer?", "8 seconds left in this step"),
        ("where am i", "Stretch 1 of 5: Child's Pose. 8 seconds left"),
        ("stop", "Routine stopped."),
    ],
)
def test_commands_at_the_start(chat, command, first_words):
    chat.say("start the daily routine", "recommend")
    assert chat.say(command).messages[0].startswith(first_words)


def test_next_previous_and_skip_move_through_the_routine(chat):
    chat.say("start the daily routine", "recommend")
    chat.say("skip")
    chat.say("skip")
    assert chat.say("where am I?").messages[0].startswith("Stretch 3 of 5: Knee-to-Chest.")
    assert chat.say("previous").messages[0].startswith("Stretch 2 of 5: Cat-Cow.")
    assert chat.say("go back").messages[0].startswith("Stretch 1 of 5: Child's Pose.")
    assert chat.say("go back").messages[0].startswith("Stretch 1 of 5")  # nothing before it
    for _ in range(4):
        chat.say("skip")
    reply = chat.say("skip")
    assert "whole routine" in reply.messages[-1] and reply.cancel and chat.session is None
    assert chat.say("next").messages[0].startswith("There's no routine running")


def test_ready_during_the_setup_starts_the_hold(chat):
    chat.say("start the daily routine", "recommend")
    assert chat.say("I'm ready").messages == ["Hold for 60 seconds."]


def test_the_routine_finishes_by_itself_and_is_forgotten(chat):
    chat.say("start the daily routine", "recommend")
    said = chat.wait(3600)
    assert said[-1] == "That's the whole routine. Well done!"
    assert chat.session is None and chat.wake is None
    assert "Stretch 5 of 5: Pelvic Tilts." in " ".join(said)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("ouch, that hurts", "inform"),
        ("this is really painful", "inform"),
        ("i've got a sharp pain in my back", "red_flag"),
    ],
)
def test_pain_stops_the_routine(chat, text, intent):
    chat.say("start the daily routine", "recommend")
    chat.wait(20)
    reply = chat.say(text, intent)
    assert reply.messages[0].startswith("Stop the stretch now and rest")
    assert reply.messages[-1].startswith("I've stopped the routine")
    assert reply.cancel and chat.session is None and reply.red_flag


def test_a_red_flag_mid_routine_gets_seek_care_first_and_stops_it(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(20)
    reply = chat.say("wait, both my legs have gone numb", "ask_howto")
    assert reply.messages[0].startswith("Please stop stretching for now")
    assert "1. " not in " ".join(reply.messages)
    assert chat.session is None and reply.cancel


def test_a_suitability_question_about_back_pain_does_not_stop_it(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(20)
    reply = chat.say("is this ok with back pain?", "ask_suitability")
    assert "Child's Pose" in reply.messages[0]
    assert chat.status == RUNNING


@pytest.mark.parametrize("text", ["let's do a routine", "go go start routine", "begin a session"])
def test_a_request_to_start_that_names_no_routine_starts_the_default_one(chat, text):
    reply = chat.say(text, "start_routine")
    assert reply.messages[0].startswith("Let's do the basic daily routine")
    assert chat.status == RUNNING


def test_a_vague_request_offers_a_choice_then_starts_the_pick(chat):
    reply = chat.say("I'd like a routine", "recommend")
    assert reply.messages[0].startswith("Which routine would you like?")
    assert "1. Basic daily routine" in reply.messages[0]
    assert chat.session is None
    reply = chat.say("the second one")
    assert reply.messages[0].startswith("Let's do the comprehensive routine: 10 stretches")
    assert chat.status == RUNNING


def test_the_choice_can_be_a_composed_routine(chat):
    chat.say("can we do a routine", "recommend")
    reply = chat.say("10 minutes for my upper back")
    assert reply.messages[0].startswith("Let's do the routine for upper back")


@pytest.mark.parametrize(
    "text, name",
    [
        ("give me 10 minutes for my lower back", "routine for lower back"),
        ("a quick desk routine", "routine for desk breaks"),
        ("let's do the full routine", "comprehensive routine"),
    ],
)
def test_requests_that_start_at_once(chat, text, name):
    assert chat.say(text, "recommend").messages[0].startswith(f"Let's do the {name}")


def test_showing_a_routine_offers_it_and_start_begins_it(chat):
    reply = chat.say("what's in the daily routine?", "recommend")
    assert reply.messages[0].startswith("Basic daily routine (10 to 15 minutes)")
    assert reply.messages[1] == "Say 'start' when you're ready to do it."
    assert reply.wake is None
    assert chat.say("how long does it take").messages[0].startswith("It takes about 10 minutes")
    assert chat.say("start").messages[0].startswith("Let's do the basic daily routine")
    assert chat.status == RUNNING


def test_a_request_to_start_after_questions_starts_the_routine_shown(chat):
    chat.say("what's in the comprehensive routine?", "show_routine")
    chat.say("should I warm up first?", "general_advice")
    reply = chat.say("righto, chuck it on then", "start_routine", 0.7)
    assert reply.messages[0].startswith("Let's do the comprehensive routine")
    assert chat.status == RUNNING


def test_a_request_to_start_another_routine_starts_that_one(chat):
    chat.say("what's in the basic routine?", "show_routine")
    reply = chat.say("Ok. Begin comprehensive please", "start_routine", 0.9)
    assert reply.messages[0].startswith("Let's do the comprehensive routine")


def test_a_routine_named_by_one_word_of_its_name_starts_when_asked_to(chat):
    reply = chat.say("begin the comprehensive please", "start_routine", 0.95)
    assert reply.messages[0].startswith("Let's do the comprehensive routine")


def test_a_question_about_a_routine_with_do_in_it_does_not_start_it(chat):
    reply = chat.say("how long do the basic routine take then?", "show_routine", 0.53)
    assert reply.messages[0].startswith("Basic daily routine (10 to 15 minutes)")
    assert chat.status != RUNNING


def test_an_offer_can_be_declined(chat):
    chat.say("show me the daily routine", "recommend")
    reply = chat.say("no thanks", "deny")
    assert reply.messages[0].startswith("No problem") and chat.session is None


def test_starting_another_routine_replaces_the_running_one(chat):
    chat.say("start the daily routine", "recommend")
    reply = chat.say("start the comprehensive routine", "recommend")
    assert reply.messages[0] == "I've stopped the routine you were doing."
    assert reply.messages[1].startswith("Let's do the comprehensive routine")


def test_controls_without_a_routine_say_so(chat):
    for text in ("pause", "next", "how long left", "resume"):
        assert chat.say(text).messages[0].startswith("There's no routine running")


def test_a_request_for_a_routine_with_a_command_word_in_it_starts_the_routine(chat):
    # "ready" alone is a command; a request for a routine that ends with it is not
    reply = chat.say("let's do the basic routine now, I'm on my mat and ready", "start_routine")
    assert reply.messages[0].startswith("Let's do the basic daily routine")


def test_leaving_pauses_and_coming_back_offers_to_resume(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(38)
    left = chat.coach.left(chat.session)
    chat._apply(left, context=False)
    assert left.cancel and chat.status == PAUSED and left.messages == []
    chat.wait(3600)
    back = chat.coach.returned(chat.session, chat.context)
    chat._apply(back)
    assert back.messages[0].startswith(
        "Welcome back! You were in the middle of the basic daily routine: stretch 1 of 5, "
        "Child's Pose."
    )
    reply = chat.say("yes", "affirm")
    assert reply.messages == ["Resuming: 30 seconds to go in this step."]
    chat.wait(31)
    assert chat.log[-2][1] == "And release."


def test_coming_back_after_a_lost_timer_resumes_from_the_last_cue(chat):
    """A server restart loses Rasa's reminders: the routine is picked up where the timer stopped."""
    chat.say("start the daily routine", "recommend")
    chat.wait(38)  # the "10 seconds left" call is pending at t=58
    lost_at = chat.wake
    chat.wake = None  # the restart
    chat.clock.now = lost_at + 120
    back = chat.coach.returned(chat.session, chat.context)
    chat._apply(back)
    assert back.messages[0].startswith("Welcome back!") and chat.status == PAUSED
    chat.say("resume")
    assert chat.wait(0.5) == ["10 seconds left."]  # due at the moment the timer was lost


def test_a_message_after_a_lost_timer_offers_to_resume_and_still_answers(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(10)
    chat.wake, chat.clock.now = None, chat.clock.now + STALE_AFTER + 40
    reply = chat.say("what muscles does it work", "ask_muscles")
    assert reply.messages[0].startswith("Welcome back!")
    assert any(m.startswith("Child's Pose works") for m in reply.messages)
    assert chat.status == PAUSED


def test_a_slightly_late_timer_is_caught_up_by_a_message(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(10)
    due = chat.wake
    chat.wake, chat.clock.now = None, due + LATE + 1
    reply = chat.say("what muscles does it work", "ask_muscles")
    assert reply.messages[0] == "Halfway."
    assert reply.wake is not None and reply.wake > chat.clock.now and chat.status == RUNNING


def test_coming_back_to_a_running_routine_says_nothing(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(5)
    back = chat.coach.returned(chat.session, chat.context)
    assert back.messages == [] and back.wake is None and not back.cancel


def test_a_stored_routine_that_no_longer_fits_ends_with_a_clear_message(chat):
    chat.say("start the daily routine", "recommend")
    broken = Session(chat.session.routine, {**chat.session.engine, "phase": 999})
    reply = chat.coach.message(Turn("next"), chat.context, broken)
    assert reply.messages[0].startswith("I couldn't pick up your routine")
    assert reply.session is None and reply.cancel
    gone = Session({"id": "no_such_routine"}, chat.session.engine)
    assert chat.coach.tick(gone).session is None


def test_the_session_round_trips_through_a_plain_dict(chat):
    chat.say("give me 10 minutes for my lower back", "recommend")
    stored = chat.session.to_dict()
    assert Session.from_dict(stored) == chat.session
    assert Session.from_dict({"nonsense": 1}) is None


def test_time_scale_shortens_every_wait(dialogue):
    chat = Chat(dialogue, scale=0.05)
    reply = chat.say("start the daily routine", "recommend")
    assert reply.wake == pytest.approx(1000.4)
    assert "Hold for 60 seconds." in chat.wait(0.5)
    assert chat.wait(3.0)[-2:] == ["And release.", "Rest. Next up: Cat-Cow."]


def test_a_local_driver_gets_the_routine_to_run_itself(chat):
    reply = chat.say("start the daily routine", "recommend", local=True)
    assert reply.routine is not None and reply.routine.id == "basic_daily"
    assert reply.session is None and reply.wake is None
    assert reply.messages[0].startswith("Let's do the basic daily routine")


def test_channels_that_cannot_push_are_told_how_to_follow(chat):
    reply = chat.say("start the daily routine", "recommend", can_push=False)
    assert "can't show timed cues" in reply.messages[1]


def test_an_open_routine_question_does_not_leak_into_stretch_answers(chat):
    chat.say("let's do a routine", "recommend")
    reply = chat.say("what muscles does sphinx work", "ask_muscles")
    assert reply.messages[0].startswith("Sphinx Pose works")
    reply = chat.say("sphinx", "inform")
    assert reply.messages[0].startswith("Sphinx Pose:")  # how to do it, the default topic


def test_how_do_i_do_this_mid_routine_gives_the_full_steps(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(12)
    reply = chat.say("how do I do this?", "ask_howto")
    assert reply.messages[0].startswith("Child's Pose:") and "1. " in reply.messages[0]


def test_a_routine_for_back_pain_starts_after_the_check_first_note(chat):
    reply = chat.say("give me 10 minutes for my lower back pain", "recommend")
    assert reply.messages[0].startswith("With severe back pain, a recent injury")
    assert reply.messages[1].startswith("Let's do the routine for lower back")


def test_a_routine_with_sciatica_is_offered_only_once_cleared(chat):
    reply = chat.say("start the daily routine, I have sciatica", "recommend")
    assert reply.messages[0].startswith("With sciatica")
    assert reply.messages[1].startswith("Basic daily routine")
    assert reply.messages[2] == (
        "Say 'start' when you're ready to do it once a professional has cleared you."
    )
    assert reply.wake is None and chat.status == "ready"


def test_without_a_routine_how_long_is_a_question_about_the_stretch(chat):
    chat.say("how do I do sphinx", "ask_howto")
    reply = chat.say("how long?", "ask_dosage")
    assert reply.messages[0].startswith("Sphinx Pose: Hold for 30 seconds to 1 minute")
    assert not chat.say("back", "inform").messages[0].startswith("There's no routine")


def test_a_vague_request_with_sciatica_gets_the_caution_before_the_choice(chat):
    reply = chat.say("stretch routine for sciatica", "recommend")
    assert reply.messages[0].startswith("With sciatica")
    assert reply.messages[1].startswith("Which routine would you like?")


@pytest.mark.parametrize(
    "text, intent, first",
    [
        ("i want to do the daily stretches", "list_stretches", "Let's do the basic daily routine"),
        ("guide me through some stretches", "list_stretches", "Let's do the basic daily routine"),
        ("which routines do you have?", "show_routine", "Which routine would you like?"),
        ("how long is the full routine", "ask_dosage", "Comprehensive routine (20 to 30 minutes)"),
        # The articles' own routine when one fits the time asked for.
        ("a 20 minute routine please", "recommend", "Let's do the comprehensive routine:"),
        (
            "a 25 minute routine for my lower back",
            "recommend",
            "Let's do the routine for lower back",
        ),
    ],
)
def test_routine_requests_in_other_words(chat, text, intent, first):
    assert chat.say(text, intent).messages[0].startswith(first)


@pytest.mark.parametrize(
    "words, first",
    [
        ("please stop the clock for a little while", "Paused."),
        ("I would rather not do this stretch", "Stretch 2 of 5"),
        ("let us end it here for today", "Routine stopped."),
    ],
)
def test_commands_in_other_words_are_understood_by_meaning(chat, words, first):
    chat.say("start the daily routine", "recommend")
    chat.wait(12)
    reply = chat.say(words, "inform")
    assert reply.messages[0].startswith(first), reply.messages


def test_a_question_mid_routine_is_not_taken_for_a_command(chat):
    chat.say("start the daily routine", "recommend")
    chat.wait(12)
    reply = chat.say("what muscles does this work", "ask_muscles")
    assert reply.messages[0].startswith("Child's Pose works"), reply.messages
    assert chat.status == RUNNING


def test_two_routines_asked_about_side_by_side_are_both_shown(chat):
    reply = chat.say(
        "what's the difference between the daily routine and the comprehensive one?",
        "show_routine",
    )
    assert "Basic daily routine" in reply.messages[0]
    assert "Comprehensive routine" in reply.messages[0]
    assert not reply.messages[0].startswith("Which routine would you like?")
    assert chat.status != "running"


def test_a_sign_said_to_be_over_does_not_stop_it_when_the_model_agrees(chat):
    # the dialogue's all-clear rule (bot/safety.py SafetyChecker.cleared), held by the controller
    chat.say("start the daily routine", "recommend")
    chat.wait(20)
    text = "my foot went numb kneeling there, after a minute of wiggling it was fine again"
    assert chat.coach.dialogue.checker.check(text)
    reply = chat.coach.message(
        Turn(text, "inform", 0.9, Meaning(warning=0.01)), chat.context, chat.session
    )
    chat._apply(reply)
    assert not reply.red_flag and chat.status == RUNNING
    reply = chat.say(text)  # no opinion from the model: the patterns stop it
    assert reply.red_flag and chat.session is None

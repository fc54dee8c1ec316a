"""The rasa_sdk action with a real Tracker and CollectingDispatcher."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import TIMER_PAYLOAD, ActionAnswer, ActionRoutineEvent
from bot.catalogue import default_catalogue


def tracker(text, intent, slots=None, confidence=0.9, sender="test", channel="socketio", meta=None):
    return Tracker(
        sender_id=sender,
        slots={
            "stretch": None,
            "pending_topic": None,
            "disclaimer_shown": False,
            "routine": None,
            **(slots or {}),
        },
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [],
            "metadata": meta or {},
        },
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    "text, intent, slots, first_words, events",
    [
        (
            "how do I do cat cow",
            "ask_howto",
            {},
            "Cat-Cow:",
            [SlotSet("stretch", "cat_cow"), SlotSet("disclaimer_shown", True)],
        ),
        (
            "what muscles does it work",
            "ask_muscles",
            {"stretch": "cat_cow", "disclaimer_shown": True},
            "Cat-Cow works",
            [],
        ),
        (
            "what muscles does it work",
            "ask_muscles",
            {"disclaimer_shown": True},
            "Which stretch",
            [
                SlotSet("pending_topic", "ask_muscles"),
                SlotSet("offered", [s.id for s in default_catalogue().by_name()]),
            ],
        ),
        (
            "sphinx",
            "inform",
            {"pending_topic": "ask_dosage", "disclaimer_shown": True},
            "Sphinx Pose: Hold for 30 seconds to 1 minute",
            [SlotSet("stretch", "sphinx_pose"), SlotSet("pending_topic", None)],
        ),
        (
            "my legs are numb, can I do child's pose",
            "ask_suitability",
            {"stretch": "cat_cow", "disclaimer_shown": True},
            "Please stop stretching",
            [],
        ),
        ("tell me a joke", "out_of_scope", {}, "Sorry, that's outside", []),
        (
            "is massage any good?",
            "general_advice",
            {"disclaimer_shown": True},
            "A professional massage",
            [SlotSet("topic", "massage")],
        ),
        (
            "what about yoga?",
            "general_advice",
            {"topic": "massage", "disclaimer_shown": True},
            "Yoga and Pilates",
            [SlotSet("topic", "yoga_pilates")],
        ),
    ],
)
def test_action_answer(text, intent, slots, first_words, events):
    dispatcher = CollectingDispatcher()
    result = ActionAnswer().run(dispatcher, tracker(text, intent, slots), {})
    assert dispatcher.messages[0]["text"].startswith(first_words), dispatcher.messages[0]["text"]
    assert result == events


def test_action_names_match_the_domain(catalogue):
    import yaml

    from bot import settings

    domain = yaml.safe_load((settings.PROJECT_DIR / "domain.yml").read_text())
    assert {ActionAnswer().name(), ActionRoutineEvent().name()} == set(domain["actions"])


def run(action, track):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, track, {})
    said = [m.get("text") or m.get("custom") for m in dispatcher.messages]
    return [m for m in said if not _is_timer(m)], events


def _is_timer(message) -> bool:
    return isinstance(message, dict) and TIMER_PAYLOAD in (message.get("data") or {})


def by_type(events, kind):
    return [e for e in events if e["event"] == kind]


def test_starting_a_routine_schedules_a_reminder_that_messages_do_not_kill():
    said, events = run(
        ActionAnswer(), tracker("start the daily routine", "recommend", sender="ann")
    )
    assert said[0].startswith("Let's do the basic daily routine")
    (reminder,) = by_type(events, "reminder")
    assert reminder["intent"] == "EXTERNAL_routine_tick"
    assert reminder["kill_on_user_msg"] is False
    assert reminder["name"] == "stretchbot_routine_ann_1"  # unique per conversation and call
    (stored,) = [e for e in by_type(events, "slot") if e["name"] == "routine"]
    assert stored["value"]["routine"] == {"id": "basic_daily"}
    assert stored["value"]["engine"]["status"] == "running"


def started(sender="ann"):
    _, events = run(ActionAnswer(), tracker("start the daily routine", "recommend", sender=sender))
    return next(e["value"] for e in by_type(events, "slot") if e["name"] == "routine")


def test_a_question_mid_routine_leaves_the_reminder_and_the_routine_alone():
    session = started()
    said, events = run(
        ActionAnswer(), tracker("what muscles does this work", "ask_muscles", {"routine": session})
    )
    assert said[0].startswith("Child's Pose works")
    assert not by_type(events, "reminder") and not by_type(events, "cancel_reminder")
    assert not [e for e in by_type(events, "slot") if e["name"] == "routine"]


def test_pause_cancels_the_reminder_of_this_conversation_only():
    session = started("bob")
    said, events = run(ActionAnswer(), tracker("pause", "deny", {"routine": session}, sender="bob"))
    assert said == ["Paused. Say resume when you're ready."]
    (cancel,) = by_type(events, "cancel_reminder")
    assert cancel["intent"] == "EXTERNAL_routine_tick" and cancel["name"] is None
    # Rasa matches a cancellation against this conversation's reminders only.


def test_the_timer_event_says_what_is_due(monkeypatch):
    import actions.actions as module

    session = started()
    coach = module.default_coach()
    monkeypatch.setattr(coach, "clock", lambda: session["wake"])
    said, events = run(
        ActionRoutineEvent(), tracker(None, "EXTERNAL_routine_tick", {"routine": session})
    )
    assert said == ["Hold for 60 seconds."]
    (reminder,) = by_type(events, "reminder")
    assert reminder["kill_on_user_msg"] is False
    # A name of its own, never the name of the reminder being handled; that one is cancelled.
    assert reminder["name"] == "stretchbot_routine_test_2"
    assert by_type(events, "cancel_reminder")[0]["name"] == "stretchbot_routine_test_1"


def test_leaving_pauses_and_returning_offers_to_resume():
    session = started()
    _, events = run(ActionRoutineEvent(), tracker(None, "EXTERNAL_left", {"routine": session}))
    paused = next(e["value"] for e in by_type(events, "slot") if e["name"] == "routine")
    assert paused["engine"]["status"] == "paused" and by_type(events, "cancel_reminder")
    said, events = run(
        ActionRoutineEvent(), tracker(None, "EXTERNAL_returned", {"routine": paused})
    )
    assert said[0].startswith("Welcome back!")
    assert {
        "event": "slot",
        "name": "pending_topic",
        "value": "resume_routine",
        "timestamp": None,
    } in events


def test_returning_without_a_routine_says_nothing():
    said, events = run(ActionRoutineEvent(), tracker(None, "EXTERNAL_returned"))
    assert said == [] and events == []


def test_rest_channel_is_told_cues_are_not_pushed():
    said, _ = run(ActionAnswer(), tracker("start the daily routine", "recommend", channel="rest"))
    assert "can't show timed cues" in said[1]


def test_voice_driver_gets_the_routine_as_a_payload_and_no_reminder():
    said, events = run(
        ActionAnswer(),
        tracker("start the daily routine", "recommend", meta={"driver": "voice"}),
    )
    assert said[0].startswith("Let's do the basic daily routine")
    payload = next(m for m in said if isinstance(m, dict))
    assert payload["stretchbot_routine"]["id"] == "basic_daily"
    assert not by_type(events, "reminder")


def test_voice_questions_are_about_the_stretch_the_voice_routine_is_on():
    said, _ = run(
        ActionAnswer(),
        tracker(
            "what muscles does this work",
            "ask_muscles",
            {"disclaimer_shown": True},
            meta={"driver": "voice", "stretch": "cat_cow"},
        ),
    )
    assert said[0].startswith("Cat-Cow works")


def test_a_timer_event_that_fails_ends_the_routine_with_a_clear_message(monkeypatch):
    import actions.actions as module

    session = started()

    def broken(_session):
        raise RuntimeError("boom")

    monkeypatch.setattr(module.default_coach(), "tick", broken)
    said, events = run(
        ActionRoutineEvent(), tracker(None, "EXTERNAL_routine_tick", {"routine": session})
    )
    assert said[0].startswith("Sorry, something went wrong on my side and I had to stop")
    assert {"event": "slot", "name": "routine", "value": None, "timestamp": None} in events
    assert by_type(events, "cancel_reminder")


def timers(action, track) -> list:
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, track, {})
    return [
        m["custom"]["data"][TIMER_PAYLOAD]
        for m in dispatcher.messages
        if _is_timer(m.get("custom"))
    ]


def test_live_channels_get_the_routine_timer_and_rest_does_not():
    session = started()
    (timer,) = timers(ActionAnswer(), tracker("pause", "deny", {"routine": session}))
    assert timer["status"] == "paused" and timer["stretch"] == "Child's Pose"
    assert (timer["number"], timer["of"]) == (1, 5) and 0 < timer["left"] <= timer["seconds"]
    assert (
        timers(ActionAnswer(), tracker("pause", "deny", {"routine": session}, channel="rest")) == []
    )
    (ended,) = timers(ActionAnswer(), tracker("stop", "deny", {"routine": session}))
    assert ended == {"status": "none"}  # the display hides its timer
    assert timers(ActionAnswer(), tracker("hi", "greet")) == []  # no routine: nothing to show


def test_timer_call_backs_send_the_timer_only_when_the_step_changes(monkeypatch):
    import actions.actions as module

    session = started()
    coach = module.default_coach()
    monkeypatch.setattr(coach, "clock", lambda: session["wake"])
    tick = ActionRoutineEvent(), tracker(None, "EXTERNAL_routine_tick", {"routine": session})
    (timer,) = timers(*tick)  # from setting up into the hold: the display must show it
    assert timer["kind"] == "hold" and timer["status"] == "running"
    _, events = run(*tick)
    holding = next(e["value"] for e in by_type(events, "slot") if e["name"] == "routine")
    monkeypatch.setattr(coach, "clock", lambda: holding["wake"])
    tick = ActionRoutineEvent(), tracker(None, "EXTERNAL_routine_tick", {"routine": holding})
    assert run(*tick)[0] == ["Halfway."]
    assert timers(*tick) == []  # same step: the display counts down by itself


def test_the_meaning_in_the_parse_data_reaches_the_dialogue():
    from actions.actions import turn_from_tracker
    from bot.understanding import Match

    t = tracker("is foam rolling any good?", "general_advice")
    t.latest_message["meaning"] = {"topic": ["foam_rolling", 0.93, 0.44], "command": None}
    assert turn_from_tracker(t).meaning.topic == Match("foam_rolling", 0.93, 0.44)
    t.latest_message["meaning"] = "garbage"
    assert turn_from_tracker(t).meaning is None  # then the dialogue works it out itself


def test_the_pipelines_entities_reach_the_dialogue_when_the_parse_is_whole():
    from actions.actions import turn_from_tracker

    t = tracker("how do I do cat cow", "ask_howto")
    t.latest_message["entities"] = [
        {"entity": "stretch", "value": "cat_cow", "start": 12, "end": 19,
         "extractor": "StretchEntityExtractor", "match": "exact"},
        {"entity": "red_flag", "value": "x", "extractor": "RedFlagDetector"},
    ]  # fmt: skip
    assert turn_from_tracker(t).entities is None  # no meaning: not the whole pipeline's parse
    t.latest_message["meaning"] = {"topic": None, "command": None}
    [found] = turn_from_tracker(t).entities
    assert (found.kind, found.value) == ("stretch", "cat_cow")
    t.latest_message["entities"] = []
    assert turn_from_tracker(t).entities == ()  # the pipeline found nothing: nothing is named


def test_the_pipeline_entities_keep_the_words_they_were_found_in():
    """A need found by the pipeline keeps its words: the dialogue tells a described stretch's own
    position ("lying on my back") from a place asked about ("lying on the bed") by them."""
    from actions.actions import entities_from_parse

    text = "Which stretches could she do lying on the bed?"
    start = text.index("lying on the bed")
    parse = {
        "text": text,
        "meaning": {},
        "entities": [
            {
                "entity": "need",
                "value": "in_bed",
                "start": start,
                "end": start + len("lying on the bed"),
                "extractor": "StretchEntityExtractor",
            },
            {"entity": "red_flag", "value": "fever", "extractor": "RedFlagDetector"},
        ],
    }
    (found,) = entities_from_parse(parse)
    assert (found.kind, found.value, found.text) == ("need", "in_bed", "lying on the bed")


def test_the_action_server_trains_the_warning_sign_model_when_it_starts():
    """The dialogue asks the learned warning-sign model about part of a message (the words of the
    stretch talked about left out); trained on that first call (about 8 s), it held the action
    server past its health check and the turns after got "part of me is restarting"."""
    from bot.warnings import default_warning_model

    assert default_warning_model.cache_info().currsize == 1

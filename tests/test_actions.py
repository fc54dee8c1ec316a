"""The rasa_sdk action with a real Tracker and CollectingDispatcher."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer


def tracker(text, intent, slots=None, confidence=0.9):
    return Tracker(
        sender_id="test",
        slots={"stretch": None, "pending_topic": None, "disclaimer_shown": False, **(slots or {})},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [],
        },
        events=[],
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
            [SlotSet("pending_topic", "ask_muscles")],
        ),
        (
            "sphinx",
            "inform",
            {"pending_topic": "ask_dosage", "disclaimer_shown": True},
            "Sphinx Pose: Hold for 30 to 60 seconds",
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
    ],
)
def test_action_answer(text, intent, slots, first_words, events):
    dispatcher = CollectingDispatcher()
    result = ActionAnswer().run(dispatcher, tracker(text, intent, slots), {})
    assert dispatcher.messages[0]["text"].startswith(first_words), dispatcher.messages[0]["text"]
    assert result == events


def test_action_name_matches_domain():
    assert ActionAnswer().name() == "action_answer"

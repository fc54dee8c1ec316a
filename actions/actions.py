"""Rasa SDK adapter: moves one turn between the tracker and the core dialogue (bot/dialogue.py)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import Context, Turn, default_dialogue

SLOTS = {"stretch": "stretch", "pending_topic": "pending_topic", "disclaimer_shown": "disclaimer_shown"}


def turn_from_tracker(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Turn(
        text=message.get("text") or "",
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
    )


def context_from_tracker(tracker: Tracker) -> Context:
    return Context(
        stretch=tracker.get_slot("stretch"),
        pending_topic=tracker.get_slot("pending_topic"),
        disclaimer_shown=bool(tracker.get_slot("disclaimer_shown")),
    )


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        before = context_from_tracker(tracker)
        reply = default_dialogue().respond(turn_from_tracker(tracker), before)
        for text in reply.messages:
            dispatcher.utter_message(text=text)
        return [
            SlotSet(slot, getattr(reply.context, field))
            for field, slot in SLOTS.items()
            if getattr(reply.context, field) != getattr(before, field)
        ]

"""Rasa SDK adapter: moves one turn between the tracker and the core dialogue (bot/dialogue.py)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import Context, Turn, default_dialogue

logger = logging.getLogger(__name__)
SORRY = (
    "Sorry, something went wrong on my side and I couldn't answer that. Please try again, or ask "
    "in a different way."
)
SLOTS = {
    "stretch": "stretch",
    "pending_topic": "pending_topic",
    "disclaimer_shown": "disclaimer_shown",
}


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
    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        before = context_from_tracker(tracker)
        try:
            reply = default_dialogue().respond(turn_from_tracker(tracker), before)
        except Exception:  # the user gets a clear message, the log gets the details
            logger.exception(
                "action_answer failed for %r", (tracker.latest_message or {}).get("text")
            )
            dispatcher.utter_message(text=SORRY)
            return []
        for text in reply.messages:
            dispatcher.utter_message(text=text)
        return [
            SlotSet(slot, getattr(reply.context, field))
            for field, slot in SLOTS.items()
            if getattr(reply.context, field) != getattr(before, field)
        ]

"""Rasa SDK adapters: move each event between the tracker and the core coach (bot/coach.py).

`action_answer` handles everything the user says. `action_routine_event` handles the events a routine
needs besides that: the timer call-back (a Rasa reminder), the user leaving (socket.io disconnect) and
coming back (a new socket.io connection). The coach says when it wants to be called back; here that
becomes a `ReminderScheduled` with `kill_on_user_message=False`, so messages never cancel a hold.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.coach import Coach, CoachReply, Session
from bot.commands import default_commands
from bot.dialogue import Context, Turn, default_dialogue
from bot.matching import ENTITY_KINDS, Found
from bot.understanding import Meaning
from bot.warnings import default_warning_model

logger = logging.getLogger(__name__)
SORRY = (
    "Sorry, something went wrong on my side and I couldn't answer that. Please try again, or ask "
    "in a different way."
)
SLOTS = {
    "stretch": "stretch",
    "pending_topic": "pending_topic",
    "disclaimer_shown": "disclaimer_shown",
    "offered": "offered",
    "topic": "topic",
}
ROUTINE_BROKE = (
    "Sorry, something went wrong on my side and I had to stop the routine. Say 'start the daily "
    "routine' (or ask for another) to begin again."
)
ROUTINE_SLOT = "routine"
TICK_INTENT = "EXTERNAL_routine_tick"
LEFT_INTENT = "EXTERNAL_left"
RETURNED_INTENT = "EXTERNAL_returned"
# Channels that can deliver messages the bot sends on its own (timed cues).
PUSH_CHANNELS = ("socketio", "telegram", "slack")
# Channels with a live display of the routine's timer (the web chat).
TIMER_CHANNELS = ("socketio",)
# The custom payload that hands a chosen routine to a driver that runs it itself (voice mode).
ROUTINE_PAYLOAD = "stretchbot_routine"
# Tells a local driver that the reply is a safety stop (pain or a warning sign), so it stops the
# routine it runs itself.
RED_FLAG_PAYLOAD = "stretchbot_red_flag"
# The custom payload that tells live displays (the web chat's timer) where the routine is.
TIMER_PAYLOAD = "stretchbot_timer"


@lru_cache(maxsize=1)
def default_coach() -> Coach:
    return Coach(default_dialogue(), default_commands())


def turn_from_tracker(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Turn(
        text=message.get("text") or "",
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        meaning=Meaning.from_dict(message.get("meaning")),
        entities=entities_from_parse(message),
        runners_up=runners_up(message),
    )


def runners_up(message: Dict[str, Any]) -> Tuple[Tuple[str, float], ...]:
    """The classifier's guesses after the first, from the parse data's intent ranking."""
    try:
        top = (message.get("intent") or {}).get("name")
        ranking = [(str(i["name"]), float(i["confidence"])) for i in message["intent_ranking"]]
    except (AttributeError, KeyError, TypeError, ValueError):
        return ()
    return tuple((name, p) for name, p in ranking if name != top)


def entities_from_parse(message: Dict[str, Any]) -> Tuple[Found, ...] | None:
    """The content mentions the pipeline found (StretchEntityExtractor), when the parse data comes
    from the whole pipeline (it carries the meaning too); None otherwise, and then the dialogue
    finds them itself."""
    entities = message.get("entities")
    if "meaning" not in message or not isinstance(entities, list):
        return None
    text = str(message.get("text") or "")  # (the letter's body, when it was read as one)
    try:
        return tuple(
            Found(
                str(e["entity"]),
                str(e["value"]),
                int(e.get("start") or 0),
                int(e.get("end") or 0),
                text[int(e.get("start") or 0) : int(e.get("end") or 0)],
                str(e.get("match") or "exact"),
                float(e.get("confidence_entity") or 1.0),
            )
            for e in entities
            if isinstance(e, dict)
            and e.get("extractor") == "StretchEntityExtractor"
            and e.get("entity") in ENTITY_KINDS
        )
    except (KeyError, TypeError, ValueError):
        return None


def context_from_tracker(tracker: Tracker) -> Context:
    return Context(
        stretch=tracker.get_slot("stretch"),
        pending_topic=tracker.get_slot("pending_topic"),
        disclaimer_shown=bool(tracker.get_slot("disclaimer_shown")),
        offered=tuple(tracker.get_slot("offered") or ()),
        topic=tracker.get_slot("topic"),
    )


def session_from_tracker(tracker: Tracker) -> Session | None:
    stored = tracker.get_slot(ROUTINE_SLOT)
    return Session.from_dict(stored) if stored else None


def reminder_name(tracker: Tracker, timer: int) -> str:
    # Rasa keys reminders by name across all conversations, and skips a reminder that comes due
    # while one of the same name is still being handled: a name per conversation and per call-back.
    return f"stretchbot_routine_{tracker.sender_id}_{timer}"


def _slot_value(value):
    return list(value) if isinstance(value, tuple) else value


def events_for(
    reply: CoachReply, before: Context, stored: Dict | None, tracker: Tracker
) -> List[Dict[str, Any]]:
    events = [
        SlotSet(slot, _slot_value(getattr(reply.context, name)))
        for name, slot in SLOTS.items()
        if getattr(reply.context, name) != getattr(before, name)
    ]
    session = reply.session.to_dict() if reply.session else None
    if session != stored:
        events.append(SlotSet(ROUTINE_SLOT, session))
    if reply.wake is not None and reply.session is not None:
        timer = reply.session.timer
        events.append(
            ReminderScheduled(
                TICK_INTENT,
                trigger_date_time=datetime.fromtimestamp(reply.wake).astimezone(),
                name=reminder_name(tracker, timer),
                kill_on_user_message=False,
            )
        )
        # Rasa schedules before it cancels: only the call-back this one replaces is cancelled.
        events.append(ReminderCancelled(name=reminder_name(tracker, timer - 1)))
    elif reply.cancel:
        events.append(ReminderCancelled(intent_name=TICK_INTENT))  # all of this conversation's
    return events


def _step(session: Dict | None) -> tuple | None:
    engine = (session or {}).get("engine") or {}
    return (engine.get("status"), engine.get("phase")) if session else None


def deliver(
    dispatcher: CollectingDispatcher,
    reply: CoachReply,
    before: Context,
    tracker: Tracker,
    timer_on_change_only: bool = False,
) -> List[Dict[str, Any]]:
    """Say the reply (and hand over a chosen routine to a local driver); return the events."""
    for text in reply.messages:
        dispatcher.utter_message(text=text)
    if reply.routine is not None:
        dispatcher.utter_message(json_message={ROUTINE_PAYLOAD: reply.routine.dict()})
    stored = tracker.get_slot(ROUTINE_SLOT)
    session = reply.session.to_dict() if reply.session else None
    # A timer call-back within a step ("Halfway.") changes nothing a display shows: it counts down.
    changed = not timer_on_change_only or _step(session) != _step(stored)
    live = tracker.get_latest_input_channel() in TIMER_CHANNELS
    if (session or stored) and live and changed:
        # socket.io emits a custom message's keys as its arguments: `data` is what clients get.
        timer = default_coach().timer(reply.session) or {"status": "none"}
        dispatcher.utter_message(json_message={"data": {TIMER_PAYLOAD: timer}})
    return events_for(reply, before, stored, tracker)


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        before = context_from_tracker(tracker)
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        local = isinstance(metadata, dict) and metadata.get("driver") == "voice"
        context = before
        if local and metadata.get("stretch"):  # the stretch the voice routine is on
            context = replace(before, stretch=metadata["stretch"])
        try:
            session = None if local else session_from_tracker(tracker)
            reply = default_coach().message(
                turn_from_tracker(tracker),
                context,
                session,
                can_push=tracker.get_latest_input_channel() in PUSH_CHANNELS,
                local=local,
            )
        except Exception:  # the user gets a clear message, the log gets the details
            logger.exception(
                "action_answer failed for %r", (tracker.latest_message or {}).get("text")
            )
            dispatcher.utter_message(text=SORRY)
            return []
        if local and reply.red_flag:
            dispatcher.utter_message(json_message={RED_FLAG_PAYLOAD: True})
        return deliver(dispatcher, reply, before, tracker)


class ActionRoutineEvent(Action):
    """Timer call-backs, and the user leaving or coming back."""

    def name(self) -> str:
        return "action_routine_event"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        coach = default_coach()
        before = context_from_tracker(tracker)
        session = session_from_tracker(tracker)
        intent = turn_from_tracker(tracker).intent
        try:
            if intent == TICK_INTENT:
                reply = coach.tick(session)
            elif intent == LEFT_INTENT:
                reply = coach.left(session)
            else:
                reply = coach.returned(session, before)
        except Exception:  # never a silent stall: say so, and end the routine cleanly
            logger.exception("action_routine_event failed on %s", intent)
            if session is None or intent != TICK_INTENT:
                return []
            dispatcher.utter_message(text=ROUTINE_BROKE)
            return [SlotSet(ROUTINE_SLOT, None), ReminderCancelled(intent_name=TICK_INTENT)]
        if intent != RETURNED_INTENT:
            reply.context = before  # timer and leaving events don't touch the conversation
        return deliver(
            dispatcher, reply, before, tracker, timer_on_change_only=intent == TICK_INTENT
        )


# Build the coach (catalogue, sentence model, content vectors, command model) when the action
# server starts, not on the first user's message: the content vectors may come from the disk cache,
# so one sentence is encoded too, which loads the sentence model itself. The learned warning-sign
# model is trained here too (about 8 s on one core): the NLU server's parse data carries its
# probability for the message (`meaning`), but the dialogue asks it again about part of a message
# (the words of the stretch being talked about left out), and trained on that first call it held
# the action server past its health check (ACTION_TIMEOUT_S), so that and the next turns got "part of
# me is restarting".
default_coach().dialogue.understanding.command("warm up")
default_warning_model()

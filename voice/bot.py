"""The bot, over Rasa's REST channel: questions and routine requests go there; routine controls
never do (the voice loop runs the routine itself with the engine)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import List

import requests

from bot import settings
from bot.catalogue import Routine

# Custom payloads the action server adds for local drivers (actions/actions.py).
RED_FLAG_PAYLOAD = "stretchbot_red_flag"


class BotUnavailable(RuntimeError):
    """The bot server cannot be reached; the message says what to do."""


def unreachable_message(url: str) -> str:
    return (
        f"Stretchbot's server isn't running at {url}: start it with `make serve`, "
        "or run `make voice`, which starts it."
    )


@dataclass
class Reply:
    texts: List[str] = field(default_factory=list)
    routine: Routine | None = None
    red_flag: bool = False  # the bot saw pain or a warning sign: a running routine must stop


class BotClient:
    def __init__(self, url: str, timeout: float = settings.VOICE_BOT_TIMEOUT_S):
        self.url = url.rstrip("/")
        self.sender = f"voice-{uuid.uuid4().hex[:12]}"
        self.timeout = timeout

    def reachable(self) -> bool:
        try:
            return requests.get(f"{self.url}/", timeout=2).ok
        except requests.RequestException:
            return False

    def send(self, text: str, stretch: str | None = None) -> Reply:
        body = {
            "sender": self.sender,
            "message": text,
            "metadata": {"driver": "voice", "stretch": stretch},
        }
        try:
            response = requests.post(
                f"{self.url}/webhooks/rest/webhook", json=body, timeout=self.timeout
            )
            response.raise_for_status()
            messages = response.json()
        except (requests.RequestException, ValueError):
            raise BotUnavailable(unreachable_message(self.url)) from None
        return parse_reply(messages)


def parse_reply(messages) -> Reply:
    reply = Reply()
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        if message.get("text"):
            reply.texts.append(str(message["text"]))
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get(RED_FLAG_PAYLOAD) is True:
            reply.red_flag = True
        if isinstance(custom, dict) and isinstance(custom.get("stretchbot_routine"), dict):
            try:
                reply.routine = Routine.parse_obj(custom["stretchbot_routine"])
            except ValueError:
                reply.texts.append("I couldn't read the routine I was sent.")
    return reply

"""Rasa's REST channel with the input checks of channels/guard.py.

Rasa's own `RestInput` answers 500 to a body that is valid JSON but not an object (or empty), takes
`input_channel` from the body (so any client could claim to be socket.io), and hands any text to
NLU, however long, `/intent{...}` shortcuts included. Here:

- a body that is not a JSON object, or has a `message` that is not a string, a `sender` that is not
  a string or number (or longer than settings.MAX_SENDER_CHARS), or `metadata` that is not an
  object, gets 400 with `{"error": ...}` saying what is wrong;
- an over-long message gets a clear reply at once, before NLU;
- a `/` shortcut is read as words unless it is the payload of a button the bot offered;
- a message that got no reply (action server down or slow) gets a short apology, and one whose
  handling failed (tracker store unwritable) a reply saying it may not have been saved.

Use it in credentials.yml as `channels.rest.RestInput` (same URL: /webhooks/rest/webhook).
"""

from __future__ import annotations

import inspect
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from channels import guard

logger = logging.getLogger(__name__)


class BadBody(ValueError):
    """The request body is not what the REST channel takes; the message says why."""


def read_body(request: Request) -> Dict[str, Any]:
    """The checked body: sender (str), message (str), metadata (dict or None)."""
    try:
        body = request.json
    except InvalidUsage as exc:  # Sanic's "Failed when parsing body as json"
        raise BadBody("The body must be JSON.") from exc
    if not isinstance(body, dict):
        raise BadBody('The body must be a JSON object: {"sender": "...", "message": "..."}.')
    sender = body.get("sender")
    if sender is None:
        sender = "default"  # as Rasa does
    if isinstance(sender, bool) or not isinstance(sender, (str, int, float)):
        raise BadBody("`sender` must be a string.")
    sender = str(sender)
    if not sender.strip() or len(sender) > settings.MAX_SENDER_CHARS:
        raise BadBody(f"`sender` must have 1 to {settings.MAX_SENDER_CHARS} characters.")
    message = body.get("message")
    if not isinstance(message, str):
        raise BadBody("`message` must be a string.")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadBody("`metadata` must be a JSON object.")
    return {"sender": sender, "message": message, "metadata": metadata}


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # same URL, and actions see the same input channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module and module.__name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = read_body(request)
            except BadBody as exc:
                return response.json({"error": str(exc)}, status=400)
            sender = body["sender"]
            refusal = guard.too_long(body["message"])
            if refusal:
                return response.json([{"recipient_id": sender, "text": refusal}])
            text = guard.neutralise(body["message"], guard.QUICK_REPLIES.offered(sender))
            if bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(
                        on_new_message, text, sender, self.name(), body["metadata"]
                    ),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata=body["metadata"]
            )
            with guard.store_failures() as store_failed:
                try:
                    await on_new_message(message)
                except (CancelledError, Exception):
                    logger.exception("REST message from %s failed; the user was told", sender)
                    store_failed.append("handling")
            if store_failed:
                collector.messages.append({"recipient_id": sender, "text": guard.FAILED})
            for sent in collector.messages:
                guard.QUICK_REPLIES.remember(sender, sent)
            if not collector.messages:
                collector.messages.append({"recipient_id": sender, "text": guard.UNAVAILABLE})
            return response.json(collector.messages)

        return webhook

"""Rasa's socket.io channel, plus two events a coached routine needs.

When the last connection of a conversation closes, the conversation gets the intent `EXTERNAL_left`
(the routine is paused where the user was). When a connection asks for an existing conversation
again (`session_request` with its `session_id`), it gets `EXTERNAL_returned` (an interrupted routine
is offered to resume). User messages get the checks of channels/guard.py (length limit before NLU,
no `/intent` shortcut but offered quick replies, an apology instead of silence), and a malformed
event gets a clear reply instead of an exception in the log. Everything else is Rasa's own
`SocketIOInput`.

Use it in credentials.yml as `channels.socketio.SocketIOInput` (the settings are Rasa's, plus
`cors_allowed_origins`: the browser origins allowed to connect, separated by spaces; Rasa's own
channel lets every origin in).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any, Awaitable, Callable, Dict, Set

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from bot import settings
from channels import guard

logger = logging.getLogger(__name__)
LEFT = "/EXTERNAL_left"
RETURNED = "/EXTERNAL_returned"
UNREADABLE = 'I couldn\'t read that message. Send {"message": "your text", "session_id": "..."}.'


class GuardedOutput(SocketIOOutput):
    """Rasa's socket.io output that remembers offered quick replies and counts what it sent."""

    def __init__(self, sio, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        if isinstance(response, dict):
            guard.QUICK_REPLIES.remember(socket_id, response)
        await super()._send_message(socket_id, response)


def _session_id(data: Any) -> str | None:
    """A usable conversation id from an event's data, or None."""
    if not isinstance(data, dict):
        return None
    value = data.get("session_id")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip() and len(value) <= settings.MAX_SENDER_CHARS:
        return value
    return None


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"  # same name: the same URL, and actions see the same input channel

    def get_output_channel(self) -> SocketIOOutput | None:
        if self.sio is None:
            return None
        return GuardedOutput(self.sio, self.bot_message_evt)

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        origins = str((credentials or {}).get("cors_allowed_origins") or "")
        channel.cors_allowed_origins = origins.replace(",", " ").split()
        if "*" in channel.cors_allowed_origins:
            raise ValueError("socket.io cors_allowed_origins can't be '*': list the origins.")
        return channel

    cors_allowed_origins: list = []  # empty: only the server's own origin (same-origin pages)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        async def user_message(sid: str, data: Any) -> None:
            output = GuardedOutput(sio, self.bot_message_evt)
            sender = _session_id(data) if self.session_persistence else sid
            text = data.get("message", "") if isinstance(data, dict) else None
            metadata = data.get(self.metadata_key) if isinstance(data, dict) else None
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            if sender is None or not isinstance(text, str):
                await output._send_message(sid, {"text": UNREADABLE})
                return
            refusal = guard.too_long(text)
            if refusal:
                await output.send_text_message(sender, refusal)
                return
            text = guard.neutralise(text, guard.QUICK_REPLIES.offered(sender))
            message = UserMessage(
                text,
                output,
                sender,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else None,
            )
            with guard.store_failures() as store_failed:
                try:
                    await on_new_message(message)
                except Exception:
                    logger.exception("socket.io message from %s failed; the user was told", sender)
                    store_failed.append("handling")
            if store_failed:
                await output.send_text_message(sender, guard.FAILED)
            if not output.sent:
                await output.send_text_message(sender, guard.UNAVAILABLE)

        sio.on(self.user_message_evt, user_message, namespace=self.namespace)
        # Rasa turns engine.io's origin check off; a browser on another site is let in only when
        # its origin is listed (engine.io compares the Origin header; non-browser clients send none).
        sio.eio.cors_allowed_origins = self.cors_allowed_origins or None
        if not self.session_persistence:  # without session ids a reconnect is a new conversation
            return blueprint
        handlers = sio.handlers[self.namespace or "/"]
        rasa_session_request, rasa_disconnect = handlers["session_request"], handlers["disconnect"]
        sessions: Dict[str, str] = {}  # socket id -> conversation
        sockets: Dict[str, Set[str]] = defaultdict(set)  # conversation -> its open sockets

        running: Set[asyncio.Task] = set()

        async def handle(session_id: str, text: str) -> None:
            output = GuardedOutput(sio, self.bot_message_evt)
            message = UserMessage(text, output, session_id, input_channel=self.name())
            try:
                await on_new_message(message)
            except Exception:  # a lost event must never break the channel
                logger.exception("socket.io event %s for %s failed", text, session_id)

        async def send(session_id: str, text: str) -> None:
            # A task of its own: the connection's task is cancelled when the socket closes, which
            # would cut the 'left' event short half-way through.
            task = asyncio.get_running_loop().create_task(handle(session_id, text))
            running.add(task)
            task.add_done_callback(running.discard)

        async def session_request(sid: str, data: Any) -> None:
            session_id = _session_id(data)  # a client reusing its conversation
            returning = session_id is not None
            data = {"session_id": session_id}  # Rasa makes one up when it is None
            await rasa_session_request(sid, data)
            if not returning:
                return
            sessions[sid] = session_id
            sockets[session_id].add(sid)
            await send(session_id, RETURNED)

        async def disconnect(sid: str) -> None:
            await rasa_disconnect(sid)
            session_id = sessions.pop(sid, None)
            if session_id is None:
                return
            sockets[session_id].discard(sid)
            if not sockets[session_id]:
                del sockets[session_id]
                await send(session_id, LEFT)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        return blueprint

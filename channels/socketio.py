"""Rasa's socket.io channel, plus two events a coached routine needs.

When the last connection of a conversation closes, the conversation gets the intent `EXTERNAL_left`
(the routine is paused where the user was). When a connection asks for an existing conversation
again (`session_request` with its `session_id`), it gets `EXTERNAL_returned` (an interrupted routine
is offered to resume). Everything else is Rasa's own `SocketIOInput`.

Use it in credentials.yml as `channels.socketio.SocketIOInput` (the settings are Rasa's, plus
`cors_allowed_origins`: the browser origins allowed to connect, separated by spaces; Rasa's own
channel lets every origin in).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any, Awaitable, Callable, Dict, Set

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)
LEFT = "/EXTERNAL_left"
RETURNED = "/EXTERNAL_returned"


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"  # same name: the same URL, and actions see the same input channel

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
            output = SocketIOOutput(sio, self.bot_message_evt)
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

        async def session_request(sid: str, data: Dict | None) -> None:
            returning = bool((data or {}).get("session_id"))  # a client reusing its conversation
            data = data if data is not None else {}
            await rasa_session_request(sid, data)
            session_id = data.get("session_id")
            if not session_id:
                return
            sessions[sid] = session_id
            sockets[session_id].add(sid)
            if returning:
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

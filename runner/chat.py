"""Terminal chat over socket.io, so messages the bot sends on its own (routine cues) show up too.

The conversation id is kept in a file (bot/settings.py CHAT_SESSION_FILE), so leaving and coming
back with `make run` continues the same conversation, and an unfinished routine is offered to
resume.
"""

from __future__ import annotations

import sys
import threading
import uuid
from typing import Callable

import socketio

from bot import settings

PROMPT = "You: "
QUIT_WORDS = {"/quit", "/exit", "quit", "exit"}


class ChatClient:
    def __init__(self, url: str, session_id: str | None = None, out: Callable[[str], None] = print):
        self.url = url
        self.session_id = session_id or uuid.uuid4().hex
        self.out = out
        self.waiting = False  # True while the user is typing at the prompt
        self.replied = threading.Event()
        self.lost = threading.Event()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self._on_bot)
        self.sio.on("disconnect", self._on_disconnect)

    def _on_bot(self, data) -> None:
        text = (data or {}).get("text")
        if text:
            line = "Stretchbot: " + text.replace("\n", "\n            ")
            # A cue while the user is at the prompt: print it above the prompt, then re-prompt.
            if self.waiting:
                self.out("\r" + line)
                print(PROMPT, end="", flush=True)
            else:
                self.out(line)
        self.replied.set()

    def _on_disconnect(self, *args) -> None:
        self.lost.set()

    def connect(self) -> None:
        self.sio.connect(self.url, transports=["websocket"], wait_timeout=10)
        self.sio.emit("session_request", {"session_id": self.session_id})

    def send(self, text: str, wait: float = 15.0) -> bool:
        """Send a message; wait until the first reply arrives (or `wait` seconds)."""
        self.replied.clear()
        self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id})
        got = self.replied.wait(wait)
        if got:  # let the rest of a multi-message reply arrive before the next prompt
            while self.replied.wait(0.3):
                self.replied.clear()
        return got

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def saved_session_id() -> str:
    """The terminal chat's conversation id, the same every time on this machine."""
    path = settings.CHAT_SESSION_FILE
    try:
        saved = path.read_text().strip()
        if saved:
            return saved
    except OSError:
        pass
    session_id = uuid.uuid4().hex
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(session_id)
    except OSError:  # not fatal: this chat just won't be resumable
        pass
    return session_id


def interactive(url: str, session_id: str | None = None) -> int:
    client = ChatClient(url, session_id or saved_session_id())
    try:
        client.connect()
    except socketio.exceptions.ConnectionError:
        print(f"Could not reach Stretchbot at {url}. Start it with `make run` or `make serve`.")
        return 1
    print("Chat with Stretchbot. Type 'quit' (or press Ctrl-D) to leave.\n")
    try:
        while not client.lost.is_set():
            try:
                client.waiting = True
                line = input(PROMPT).strip()
                client.waiting = False
            except EOFError:
                print()
                break
            if not line:
                continue
            if line.lower() in QUIT_WORDS:
                break
            if not client.send(line) and not client.lost.is_set():
                print("(No answer yet; Stretchbot may still be busy. Try again in a moment.)")
        if client.lost.is_set():
            print("Lost the connection to the Stretchbot server.", file=sys.stderr)
            return 1
        print("Bye!")
        return 0
    except KeyboardInterrupt:
        print("\nBye!")
        return 0
    finally:
        client.close()

"""What every channel checks before a user's message reaches Rasa.

- Over-long text is refused at once with a clear reply (settings.MAX_INPUT_CHARS), before NLU runs.
- Rasa's `/intent{...}` shortcut is for the server's own events (the routine's timer, leaving,
  coming back) and for quick-reply buttons, never for text a user types: a message starting with
  `/` goes to NLU as plain text unless it is exactly the payload of a button the bot offered this
  conversation (see `QuickReplies`).
- A message that gets no reply at all (the action server down or slow: Rasa logs the failure and
  carries on with nothing said) gets a short apology instead of silence.
- A message whose handling failed gets a reply saying so (the log has the details), never a
  silent loss. That includes the tracker store failing (unwritable, disk full, locked): Rasa then
  logs the error and carries on with an in-memory store (its FailSafeTrackerStore), so the
  conversation would silently lose this message; `store_failures()` notices it.
- Importing this module applies, in the Rasa process (the channels are loaded into it from
  credentials.yml), how long Rasa waits for a down or hung action server (channels/action_watch.py)
  and the load fixes of channels/speed.py.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Dict, Iterable, Set

from rasa.core.tracker_store import FailSafeTrackerStore

import channels.action_watch  # noqa: F401 - applied in the Rasa process with the channels
import channels.speed  # noqa: F401
from bot import settings

# The tracker store errors met while the current message is handled (see store_failures).
_STORE_FAILURES: ContextVar[list | None] = ContextVar("stretchbot_store_failures", default=None)


def _noting(original):
    def on_error(self, error: Exception) -> None:
        noted = _STORE_FAILURES.get()
        if noted is not None:
            noted.append(error)
        original(self, error)  # Rasa's own log line

    return on_error


for _hook in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
    setattr(FailSafeTrackerStore, _hook, _noting(getattr(FailSafeTrackerStore, _hook)))


@contextmanager
def store_failures():
    """Collects the tracker store errors met while the message is handled (in this task)."""
    noted: list = []
    token = _STORE_FAILURES.set(noted)
    try:
        yield noted
    finally:
        _STORE_FAILURES.reset(token)


TOO_LONG = (
    "That message is too long for me ({length} characters; the limit is {limit}). Please ask in "
    "a sentence or two."
)
UNAVAILABLE = (
    "Sorry, I can't answer right now: part of me is restarting. Please try again in a moment; "
    "your conversation and routine are kept."
)
FAILED = (
    "Sorry, something went wrong on my side and this message may not have been saved. Please "
    "try again in a moment."
)
_SHORTCUT = re.compile(r"^\s*/+")


def too_long(text: str) -> str | None:
    """The reply for a message over the limit, or None."""
    if len(text) > settings.MAX_INPUT_CHARS:
        return TOO_LONG.format(length=len(text), limit=settings.MAX_INPUT_CHARS)
    return None


def neutralise(text: str, allowed: Iterable[str] = ()) -> str:
    """`text` without a leading `/` (so Rasa reads it as words, not an intent), unless it is one of
    the quick-reply payloads `allowed`."""
    if not _SHORTCUT.match(text):
        return text
    if text.strip() in set(allowed):
        return text.strip()
    return _SHORTCUT.sub("", text, count=1).strip()


class QuickReplies:
    """The button payloads the bot last offered each conversation (the newest conversations only,
    so memory stays bounded). Clients send a pressed button's payload as the message text."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._offered: OrderedDict[str, Set[str]] = OrderedDict()

    def offered(self, sender_id: str) -> Set[str]:
        return self._offered.get(sender_id, set())

    def remember(self, sender_id: str, message: Dict[str, Any]) -> None:
        buttons = message.get("buttons") or message.get("quick_replies") or []
        payloads = {b.get("payload") for b in buttons if isinstance(b, dict)}
        payloads = {p for p in payloads if isinstance(p, str) and p.startswith("/")}
        if not payloads:
            return
        self._offered[sender_id] = payloads
        self._offered.move_to_end(sender_id)
        while len(self._offered) > self.size:
            self._offered.popitem(last=False)


QUICK_REPLIES = QuickReplies()

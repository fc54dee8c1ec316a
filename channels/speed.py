"""Where the Rasa server's time went under load, and the fix at its root (loaded into the Rasa
process with the channels, from credentials.yml).

Profiled with py-spy at 50 concurrent REST conversations (see README, "Load"): 57% of the Rasa
process's CPU went into checking each action server response against its JSON schema, and nearly
all of that was `jsonschema.validate()` first checking the *schema itself* against the draft
2020-12 meta-schema, on every call (jsonschema's docs advise building the validator once for
repeated use). Here the validator is built once for Rasa's constant response schema; every
response is still validated the same way and a bad one raises the same `ValidationError` with
Rasa's message.

With that gone, the SQLite tracker store took about half of what was left (every message reads
the conversation and commits its new events; each commit waited for an fsync of the rollback
journal). SQLite's write-ahead log with `synchronous=NORMAL` (what SQLite's docs recommend for
WAL) commits without that wait: the database stays consistent after a crash of the process or the
machine, and only a power cut can lose the last few messages. Readers no longer wait for writers.

Profiled again after the sentence vectors came in: SQLAlchemy 1.4 gives a file SQLite database no
connection pool (NullPool), so every tracker read and every save opened a connection, set it up and
closed it again; closing the last connection of a WAL database checkpoints the log into the
database and deletes it, every time. That closing alone was 8% of the Rasa server's busy time at
50 concurrent users. The tracker store's SQLite engine now keeps its connections in a pool (what
SQLAlchemy 2.0 does by default for files); Rasa runs all tracker store calls on its event loop, one
session at a time.

Rasa then rebuilds each conversation from its stored events on every message, and finds each
event's class by walking all of `Event`'s subclasses (with `inspect.isabstract` on each) for every
event: about 5% of the Rasa server's busy time. The class found for a type name is now kept (the
first lookup of each name is Rasa's own, errors included).

The sentence vector (bot/embedding.py) was then a third of the event loop's time, computed inside
Rasa's NLU graph, which runs synchronously on the event loop: one message at a time, everything
else waiting. For sentences this short the encoder is bound by reading its 42 MB of weights, not by
arithmetic: 50 sentences in one batch took 5.4 ms each, one by one 15 ms (one core of this shared
machine). So a message's vector is now computed before its NLU runs, on a thread of its own
(NumPy's products release the GIL, so the event loop goes on with other conversations meanwhile),
together with every other message that arrived while the previous batch was computed; the NLU
featurizer then takes it from bot/embedding.py. A lone message is computed at once (no waiting to
fill a batch), and when anything goes wrong there, the featurizer computes the vector itself.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict

import rasa.core.tracker_store
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

from bot import embedding
from components.sentence_embeddings import nlu_text

logger = logging.getLogger(__name__)

_SPEC = RemoteAction.action_response_format_spec()
_VALIDATOR = validators.validator_for(_SPEC)(_SPEC)  # as jsonschema.validate() picks it


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = exceptions.best_match(_VALIDATOR.iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_engine_kwargs = rasa.core.tracker_store.create_engine_kwargs


def _pooled_sqlite(url: Any) -> Dict[str, Any]:
    """Rasa's create_engine() options for the tracker store, with a connection pool for SQLite."""
    kwargs = _engine_kwargs(url)
    if make_url(url).get_backend_name() != "sqlite" or make_url(url).database in ("", ":memory:"):
        return kwargs
    return {
        **kwargs,
        "poolclass": QueuePool,
        "pool_size": 2,
        "max_overflow": 8,
        # A pooled connection may be handed to another thread later (never two at once).
        "connect_args": {**kwargs.get("connect_args", {}), "check_same_thread": False},
    }


_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[str, type] = {}


def _cached_resolve_by_type(type_name: str, default: Any = None) -> Any:
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


class VectorBatcher:
    """Sentence vectors for the messages being handled, computed in batches on one thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="sentence-vectors")
        self._pending: Dict[str, asyncio.Future] = {}
        self._running: asyncio.Task | None = None
        self.batches: list = []  # sizes of the last batches, for the tests and for profiling

    async def vector(self, text: str) -> None:
        """Returns once the vector of `text` is in bot/embedding.py's cache (or failed)."""
        if embedding.cached(text) is not None:
            return
        future = self._pending.get(text)
        if future is None:
            future = self._pending[text] = asyncio.get_running_loop().create_future()
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._run())
        await asyncio.shield(future)  # a cancelled request leaves the batch to the others

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending, {}
            self.batches = [*self.batches[-99:], len(batch)]
            try:
                await loop.run_in_executor(self._executor, embedding.embed_many, list(batch), True)
            except Exception as exc:  # the featurizer tries again and reports it
                logger.warning("Sentence vectors computed ahead failed: %r", exc)
            for future in batch.values():
                if not future.done():
                    future.set_result(None)


_batchers: Dict[int, VectorBatcher] = {}
_parse_message = MessageProcessor.parse_message


def batcher() -> VectorBatcher:
    """One batcher per event loop (its futures belong to that loop)."""
    key = id(asyncio.get_running_loop())
    if key not in _batchers:
        _batchers.clear()
        _batchers[key] = VectorBatcher()
    return _batchers[key]


async def _parse_message_batched(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> Dict[str, Any]:
    if not self.http_interpreter and message.text:
        await batcher().vector(nlu_text(message.text))
    return await _parse_message(self, message, tracker, only_output_properties)


def apply() -> None:
    validators.validator_for(_SPEC).check_schema(_SPEC)  # once, as validate() did every time
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)
    rasa.core.tracker_store.create_engine_kwargs = _pooled_sqlite
    Event.resolve_by_type = staticmethod(_cached_resolve_by_type)  # type: ignore[method-assign]
    MessageProcessor.parse_message = _parse_message_batched  # type: ignore[method-assign]


apply()

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
"""

from __future__ import annotations

import sqlite3
from typing import Any, Dict

import rasa.core.tracker_store
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

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


def apply() -> None:
    validators.validator_for(_SPEC).check_schema(_SPEC)  # once, as validate() did every time
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)
    rasa.core.tracker_store.create_engine_kwargs = _pooled_sqlite
    Event.resolve_by_type = staticmethod(_cached_resolve_by_type)  # type: ignore[method-assign]


apply()

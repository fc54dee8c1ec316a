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
"""

from __future__ import annotations

import sqlite3
from typing import Any, Dict

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from sqlalchemy import event
from sqlalchemy.engine import Engine

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


def apply() -> None:
    validators.validator_for(_SPEC).check_schema(_SPEC)  # once, as validate() did every time
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)


apply()

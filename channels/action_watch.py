"""Stop waiting for the action server when it is down or hung, but not when Rasa is merely busy
(loaded into the Rasa process with the channels, from credentials.yml).

A plain timeout on the action call cannot tell the two apart: with 50 conversations at once the
Rasa server's own event loop is seconds behind (NLU and the tracker store run on it), so a 1.5 s
timeout fired on healthy calls and gave 4 in 10 users an apology. Here a thread asks the action
server's `/health` every 0.25 s, outside the event loop; an action call is abandoned (Rasa logs it,
the channel apologises: channels/guard.py) once the action server has not answered its health
check for settings.ACTION_TIMEOUT_S. A refused connection (server down) fails at once anyway.
Rasa's own timeout on the call, 5 minutes, becomes settings.ACTION_CALL_LIMIT_S, a last resort.
"""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.request
from typing import Any, Dict

import rasa.core.actions.action
from rasa.core.actions.action import RemoteAction
from rasa.shared.exceptions import RasaException

from bot import settings

POLL_S = 0.25


class HealthWatch:
    """Asks `<action server>/health` in a thread; `silent_for()` is how long it hasn't answered."""

    def __init__(self, webhook_url: str):
        self.url = webhook_url.rsplit("/webhook", 1)[0] + "/health"
        self.last_answer = time.monotonic()
        threading.Thread(target=self._watch, name="action-server-health", daemon=True).start()

    def _watch(self) -> None:
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=settings.ACTION_TIMEOUT_S) as reply:
                    if reply.status == 200:
                        self.last_answer = time.monotonic()
            except OSError:
                pass
            time.sleep(POLL_S)

    def silent_for(self) -> float:
        return time.monotonic() - self.last_answer


_watches: Dict[str, HealthWatch] = {}
_original_run = RemoteAction.run


async def _run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    url = self.action_endpoint.url if self.action_endpoint else None
    if not url:
        return await _original_run(self, *args, **kwargs)
    watch = _watches.get(url) or _watches.setdefault(url, HealthWatch(url))
    call = asyncio.ensure_future(_original_run(self, *args, **kwargs))
    while True:
        done, _ = await asyncio.wait({call}, timeout=POLL_S)
        if done:
            return call.result()
        if watch.silent_for() > settings.ACTION_TIMEOUT_S:
            call.cancel()
            raise RasaException(
                f"Gave up on custom action '{self.name()}': the action server at {url} has not "
                f"answered its health check for {watch.silent_for():.1f} s."
            )


def apply() -> None:
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = settings.ACTION_CALL_LIMIT_S
    RemoteAction.run = _run  # type: ignore[method-assign]


apply()

from __future__ import annotations

import shutil
import uuid

import pytest
import requests

from bot import settings
from bot.catalogue import default_catalogue
from bot.dialogue import Dialogue
from runner.servers import PortInUse, Servers, free_port, free_ports


@pytest.fixture(scope="session")
def catalogue():
    return default_catalogue()


@pytest.fixture
def content_copy(tmp_path):
    """A copy of content/ to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


@pytest.fixture(scope="session")
def dialogue():
    return Dialogue()


# Routines in server tests run 20 times faster than real time (STRETCHBOT_TIME_SCALE).
TEST_TIME_SCALE = 0.05


class RetryingServers(Servers):
    """Servers on free ports that try other ports when one was taken in the meantime (another
    process can grab a free port between choosing and binding it)."""

    def __enter__(self) -> Servers:
        for attempt in range(3):
            try:
                return super().__enter__()
            except PortInUse:
                if attempt == 2:
                    raise
                self.rasa_port, self.actions_port = free_ports(2)
        raise AssertionError("unreachable")


# A page "on another site" that embeds the web chat (tests/test_e2e_webchat.py) is served here; the
# test servers let this origin in, besides their own (STRETCHBOT_CORS_ORIGINS).
EMBED_PORT = free_port()
EMBED_ORIGIN = f"http://127.0.0.1:{EMBED_PORT}"


def make_servers(tracker_db, **options) -> Servers:
    rasa_port, actions_port = free_ports(2)
    rasa_port = options.pop("rasa_port", None) or rasa_port
    own = f"http://localhost:{rasa_port} http://127.0.0.1:{rasa_port}"
    defaults = dict(
        actions_port=actions_port,
        enable_api=True,  # behind a token made for this run (servers.api_token)
        tracker_db=tracker_db,
        env={
            "STRETCHBOT_TIME_SCALE": str(TEST_TIME_SCALE),
            "STRETCHBOT_CORS_ORIGINS": f"{own} {EMBED_ORIGIN}",
        },
    )
    return RetryingServers(rasa_port=rasa_port, **{**defaults, **options})


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Rasa (REST, socket.io and the HTTP API) plus the action server, on free ports, with a
    tracker store of its own."""
    with make_servers(tmp_path_factory.mktemp("trackers") / "tracker.db") as servers:
        yield servers


class RestChat:
    """One conversation through the REST channel."""

    def __init__(self, url: str):
        self.url = f"{url}/webhooks/rest/webhook"
        self.sender = uuid.uuid4().hex

    def say(self, text: str) -> str:
        response = requests.post(
            self.url, json={"sender": self.sender, "message": text}, timeout=30
        )
        response.raise_for_status()
        return "\n\n".join(m.get("text", "") for m in response.json())


@pytest.fixture
def rest(server):
    return RestChat(server.url)

from __future__ import annotations

import uuid

import pytest
import requests

from bot.catalogue import default_catalogue
from bot.dialogue import Dialogue
from runner.servers import Servers, free_port


@pytest.fixture(scope="session")
def catalogue():
    return default_catalogue()


@pytest.fixture(scope="session")
def dialogue():
    return Dialogue()


@pytest.fixture(scope="session")
def server():
    """Rasa (REST, socket.io and the HTTP API) plus the action server, on free ports."""
    servers = Servers(rasa_port=free_port(), actions_port=free_port(), enable_api=True)
    with servers:
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

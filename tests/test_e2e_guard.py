"""The guarded HTTP API and CORS against a started server, and socket.io clients (threaded and
asyncio) with the locked python-engineio / aiohttp pair."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import requests
import socketio
import websocket

from tests.conftest import EMBED_ORIGIN

pytestmark = pytest.mark.server
OTHER_SITE = "http://evil.example"


def test_the_api_refuses_reading_a_conversation_without_the_token(server, rest):
    rest.say("how do i do sphinx")
    tracker = f"{server.url}/conversations/{rest.sender}/tracker"
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": "wrong"}, timeout=10).status_code == 401
    allowed = requests.get(tracker, params={"token": server.api_token}, timeout=10)
    assert allowed.status_code == 200 and allowed.json()["sender_id"] == rest.sender


@pytest.mark.parametrize("origin", [EMBED_ORIGIN, "own"])
def test_cors_lets_configured_origins_in(server, origin):
    origin = server.url if origin == "own" else origin
    preflight = requests.options(
        f"{server.url}/webhooks/rest/webhook",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == origin


def test_cors_keeps_other_origins_out(server):
    for method in (requests.options, requests.get):
        response = method(
            f"{server.url}/webhooks/rest/webhook",
            headers={"Origin": OTHER_SITE, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        assert "Access-Control-Allow-Origin" not in response.headers


def test_socketio_refuses_a_browser_from_another_site(server):
    """engine.io checks the Origin header a browser sends (the raw handshake, so that no client
    library adds an origin of its own)."""
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(url, origin=OTHER_SITE, timeout=10)
    for origin in (EMBED_ORIGIN, server.url):
        allowed = websocket.create_connection(url, origin=origin, timeout=10)
        try:
            assert allowed.recv().startswith("0{")  # engine.io's "open" packet
        finally:
            allowed.close()


def test_an_asyncio_socketio_client_talks_to_the_bot(server):
    """python-engineio 4.13+ needs aiohttp's ClientWSTimeout (aiohttp 3.11); Rasa 3.6 pins aiohttp
    below 3.10, so the lock keeps engineio at 4.12.3. This fails at connect with a mismatched pair."""

    async def talk() -> list:
        heard: list = []
        answered = asyncio.Event()
        client = socketio.AsyncClient(reconnection=False)

        @client.on("bot_uttered")
        async def on_bot(data):
            heard.append((data or {}).get("text") or "")
            if any("Thread the Needle works" in text for text in heard):
                answered.set()

        session_id = uuid.uuid4().hex
        await client.connect(server.url, transports=["websocket"], wait_timeout=10)
        await client.emit("session_request", {"session_id": session_id})
        await client.emit(
            "user_uttered",
            {"message": "what muscles does thread the needle work", "session_id": session_id},
        )
        try:
            await asyncio.wait_for(answered.wait(), 30)
        finally:
            await client.disconnect()
        return heard

    assert any("Thread the Needle works" in text for text in asyncio.run(talk()))

"""50 conversations at once over REST, 20 messages each, on loopback: no error, and every reply is
the right one for its question (bench/load.py; `make bench` has the speed figures)."""

from __future__ import annotations

import json
import socket
import time

import pytest

from bench import load

pytestmark = pytest.mark.server


def test_fifty_concurrent_conversations_all_answered_right(server):
    result = load.run(server.url, users=50, messages=20, timeout=120)
    assert result.errors == []
    assert result.wrong == []
    assert len(result.latencies_ms) == 50 * 20


def test_an_action_call_written_late_on_its_connection_is_still_answered(server):
    """Under load the Rasa server's event loop can take seconds between opening a connection to
    the action server and writing the call on it (a new connection per call). The action server
    used to close a connection that had sent nothing for 5 s (Sanic's keep-alive timeout), and that
    call failed: the user got the apology for a down action server. Written 6 s late, the call is
    still answered (runner/servers.py: ACTIONS_IDLE_TIMEOUT_S)."""
    host, port = "127.0.0.1", server.actions_port
    body = json.dumps({"next_action": "action_answer", "sender_id": "late", "tracker": {}})
    with socket.create_connection((host, port), timeout=30) as connection:
        time.sleep(6)  # the delay under test: longer than Sanic's default of 5 s
        connection.sendall(
            f"POST /webhook HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode()
        )
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 "), reply[:200]

"""The REST client for the bot: a fake bot server, an unreachable one, and the real one."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest

from bot.catalogue import default_catalogue
from runner.servers import free_port
from voice.bot import BotClient, BotUnavailable, parse_reply


class FakeBot(http.server.BaseHTTPRequestHandler):
    received = []
    routine = None

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeBot.received.append(body)
        reply = [{"recipient_id": body["sender"], "text": "Starting the daily routine."}]
        if "routine" in body["message"]:
            reply.append(
                {"recipient_id": body["sender"], "custom": {"stretchbot_routine": FakeBot.routine}}
            )
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bot():
    routine = next(iter(default_catalogue().routines.values()))
    FakeBot.routine = json.loads(routine.json())
    FakeBot.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeBot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routine
    server.shutdown()


def test_contract_metadata_and_routine(fake_bot):
    url, routine = fake_bot
    client = BotClient(url)
    reply = client.send("start the daily routine", stretch=None)
    assert reply.texts == ["Starting the daily routine."]
    assert reply.routine == routine
    client.send("what muscles does this work", stretch="childs_pose")
    first, second = FakeBot.received
    assert first["metadata"] == {"driver": "voice", "stretch": None}
    assert second["metadata"] == {"driver": "voice", "stretch": "childs_pose"}
    assert first["sender"] == second["sender"]


def test_unreachable_bot_is_clear_and_quick():
    client = BotClient(f"http://127.0.0.1:{free_port()}", timeout=2)
    began = time.monotonic()
    with pytest.raises(BotUnavailable, match="make serve"):
        client.send("hello")
    assert time.monotonic() - began < 3
    assert not client.reachable()


def test_odd_replies_do_not_crash():
    assert parse_reply({"not": "a list"}).texts == []
    reply = parse_reply([{"custom": {"stretchbot_routine": {"id": "x"}}}, "junk", {"text": "hi"}])
    assert reply.routine is None and "couldn't read the routine" in reply.texts[0]


def test_voice_without_server_says_so(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "runner.cli", "voice", "--no-start", "--url", f"http://127.0.0.1:{free_port()}"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "isn't running" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.server
def test_real_bot_chooses_a_routine_and_answers_about_the_stretch(server):
    client = BotClient(server.url)
    reply = client.send("start the daily routine")
    assert reply.texts and reply.routine is not None
    stretch = reply.routine.items[0].stretch
    answer = client.send("what muscles does this work", stretch=stretch)
    name = default_catalogue().stretch(stretch).name.lower()
    assert any(name in text.lower() for text in answer.texts), answer.texts

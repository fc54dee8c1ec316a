"""Telegram and Slack through Rasa's connectors, with no internet: a local fake of each API server
records what the bot sends, and the tests post recorded-shape webhook payloads to the started
server (Telegram updates; Slack events signed with the signing secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from runner.servers import free_port
from tests.conftest import make_servers

pytestmark = pytest.mark.server
TELEGRAM_TOKEN = "123456:TEST-token"
BOT_NAME = "stretchbot_test_bot"
SLACK_SECRET = "test-signing-secret"


class FakeApi:
    """A Telegram Bot API / Slack Web API stand-in: records every call, answers like the real one."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    fields = json.loads(body or "{}")
                else:
                    fields = {k: v[-1] for k, v in urllib.parse.parse_qs(body).items()}
                method = self.path.rstrip("/").rsplit("/", 1)[-1]
                with fake.changed:
                    fake.calls.append((method, fields))
                    fake.changed.notify_all()
                answer = json.dumps(fake.answer(method, fields)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, method: str, fields: dict) -> dict:
        if method == "getMe":
            bot = {"id": 1, "is_bot": True, "first_name": "Stretchbot", "username": BOT_NAME}
            return {"ok": True, "result": bot}
        if method == "sendMessage":
            chat = {"id": int(fields.get("chat_id", 0)), "type": "private"}
            message = {"message_id": len(self.calls), "date": 0, "chat": chat}
            return {"ok": True, "result": {**message, "text": fields.get("text", "")}}
        if method == "chat.postMessage":
            return {"ok": True, "channel": fields.get("channel"), "ts": f"{time.time():.6f}"}
        return {"ok": True, "result": True}

    def sent(self, method: str, to_key: str, to) -> list[str]:
        return [
            f.get("text", "") for m, f in self.calls if m == method and str(f.get(to_key)) == to
        ]

    def wait_for(self, method, to_key, to, start: str, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not any(t.startswith(start) for t in self.sent(method, to_key, to)):
                left = deadline - time.monotonic()
                assert left > 0, f"no {start!r}; sent {self.sent(method, to_key, to)}"
                self.changed.wait(left)
            return self.sent(method, to_key, to)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def fake():
    api = FakeApi()
    yield api
    api.close()


@pytest.fixture(scope="module")
def apps_server(fake, tmp_path_factory):
    servers = make_servers(tmp_path_factory.mktemp("apps") / "tracker.db")
    servers.env.update(
        {
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_BOT_NAME": BOT_NAME,
            "TELEGRAM_WEBHOOK_URL": "https://bot.example/webhooks/telegram/webhook",
            "TELEGRAM_API_URL": fake.url,
            "SLACK_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_API_URL": fake.url + "/api",
        }
    )
    with servers:
        yield servers


def telegram_update(chat_id: int, text: str) -> dict:
    person = {"id": chat_id, "is_bot": False, "first_name": "Ann"}
    message = {
        "message_id": int(time.time() * 1000) % 100000,
        "from": person,
        "chat": {"id": chat_id, "first_name": "Ann", "type": "private"},
        "date": int(time.time()),
        "text": text,
    }
    return {"update_id": int(time.time() * 1000) % 1000000, "message": message}


def test_telegram_answers_and_paces_a_routine_for_a_chat_app(apps_server, fake):
    assert ("setWebhook", {"url": "https://bot.example/webhooks/telegram/webhook"}) in [
        (m, {"url": f.get("url")}) for m, f in fake.calls if m == "setWebhook"
    ]
    hook = f"{apps_server.url}/webhooks/telegram/webhook"
    chat = "4242"
    assert requests.post(hook, json=telegram_update(4242, "how do i do the cat cow"), timeout=30).ok
    sent = fake.wait_for("sendMessage", "chat_id", chat, "Cat-Cow")
    steps = next(t for t in sent if "1. " in t)
    assert "\n2. " in steps and "<" not in steps  # a numbered list as plain lines, no HTML
    assert all(f.get("parse_mode") is None for m, f in fake.calls if m == "sendMessage")

    requests.post(hook, json=telegram_update(4242, "start the daily routine"), timeout=30)
    sent = fake.wait_for("sendMessage", "chat_id", chat, "Stretch 2 of 5: Cat-Cow")
    assert "Hold for 60 seconds." in sent and "And release." in sent  # start and end of the hold
    assert "Halfway." not in sent and "10 seconds left." not in sent  # no countdown in a chat app
    requests.post(hook, json=telegram_update(4242, "stop"), timeout=30)
    fake.wait_for("sendMessage", "chat_id", chat, "Routine stopped.")


def slack_post(server, event: dict, secret: str = SLACK_SECRET) -> requests.Response:
    body = json.dumps(
        {
            "token": "verification-token",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"user_id": "UBOT", "is_bot": True}],
        }
    )
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }
    return requests.post(
        f"{server.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30
    )


def test_slack_answers_signed_events_in_plain_text_and_refuses_unsigned_ones(apps_server, fake):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0042",
        "user": "U0042",
        "text": "what muscles does thread the needle work",
        "ts": f"{time.time():.6f}",
    }
    assert slack_post(apps_server, event, secret="forged").status_code == 400
    assert slack_post(apps_server, event).ok
    sent = fake.wait_for("chat.postMessage", "channel", "D0042", "Thread the Needle works")
    assert not any("<" in text for text in sent)


def test_a_chat_app_that_is_not_configured_is_off(server):
    """The session server has no Telegram or Slack tokens: their webhooks are not there."""
    for name in ("telegram", "slack"):
        assert (
            requests.post(f"{server.url}/webhooks/{name}/webhook", json={}, timeout=10).status_code
            == 404
        )

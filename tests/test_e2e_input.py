"""Hostile and malformed input against the started servers (REST and socket.io): never a 5xx or a
crash, a clear reply or a 4xx at once, no user-fired internal intents, and the next normal message
is still answered. Includes a bounded hypothesis fuzz of the REST webhook."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import settings as bot_settings
from channels import guard

pytestmark = pytest.mark.server


def post_raw(server, data: bytes | str, content_type="application/json") -> requests.Response:
    return requests.post(
        f"{server.url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": content_type},
        timeout=30,
    )


def texts(response: requests.Response) -> list[str]:
    return [m.get("text", "") for m in response.json()]


@pytest.mark.parametrize(
    "data",
    ["[]", '["hi"]', "42", "null", "", '"hi"', "{", "{}", '{"sender": "x"}', "\xff\xfe"],
)
def test_a_malformed_body_gets_400_saying_what_is_wrong(server, data):
    response = post_raw(server, data.encode("utf-8", "surrogateescape"))
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    "body, wrong",
    [
        ({"sender": "x", "message": 42}, "message"),
        ({"sender": "x", "message": ["hi"]}, "message"),
        ({"sender": "x", "message": None}, "message"),
        ({"sender": ["x"], "message": "hi"}, "sender"),
        ({"sender": {"a": 1}, "message": "hi"}, "sender"),
        ({"sender": "", "message": "hi"}, "sender"),
        ({"sender": "x" * (bot_settings.MAX_SENDER_CHARS + 1), "message": "hi"}, "sender"),
        ({"sender": "x", "message": "hi", "metadata": "voice"}, "metadata"),
        ({"sender": "x", "message": "hi", "metadata": [1]}, "metadata"),
    ],
)
def test_wrong_types_get_400_naming_the_field(server, body, wrong):
    response = post_raw(server, json.dumps(body))
    assert response.status_code == 400
    assert f"`{wrong}`" in response.json()["error"]


def test_a_one_megabyte_message_is_refused_at_once(server, rest):
    started = time.monotonic()
    response = post_raw(server, json.dumps({"sender": rest.sender, "message": "a" * 1_000_000}))
    took = time.monotonic() - started
    assert response.status_code == 200
    assert texts(response) == [guard.too_long("a" * 1_000_000)]
    # Generous bound for a loaded 2-core machine; NLU took 6.3 s on this message before the limit.
    assert took < 3, took
    assert "Stretchbot" in rest.say("hi")  # the conversation goes on


def test_a_message_at_the_limit_is_still_answered(rest):
    text = ("how do I do cat cow " * 200)[: bot_settings.MAX_INPUT_CHARS]
    assert rest.say(text) != guard.too_long(text + "x")


@pytest.mark.parametrize(
    "text",
    [
        "/EXTERNAL_routine_tick",
        "  /EXTERNAL_left",
        "/EXTERNAL_returned",
        '/red_flag{"red_flag": "x"}',
    ],
)
def test_user_text_cannot_fire_an_intent(server, rest, text):
    reply = rest.say(text)
    tracker = requests.get(
        f"{server.url}/conversations/{rest.sender}/tracker",
        params={"token": server.api_token},
        timeout=30,
    ).json()
    intent = tracker["latest_message"]["intent"]["name"]
    assert not intent.startswith("EXTERNAL_") and intent != "red_flag", (intent, reply)
    assert not tracker["latest_message"]["text"].startswith("/")
    assert "emergency" not in reply.lower()


def test_a_routine_tick_typed_by_the_user_does_not_run_the_routine_event(server, rest):
    rest.say("start the daily routine")
    rest.say("pause")  # no timer call-backs of its own from here on
    rest.say("/EXTERNAL_routine_tick")
    tracker = requests.get(
        f"{server.url}/conversations/{rest.sender}/tracker",
        params={"token": server.api_token},
        timeout=30,
    ).json()
    last_user = max(i for i, e in enumerate(tracker["events"]) if e["event"] == "user")
    ran = [e["name"] for e in tracker["events"][last_user:] if e["event"] == "action"]
    assert "action_routine_event" not in ran and "action_answer" in ran, ran


def test_offered_quick_replies_still_work(server):
    sender = uuid.uuid4().hex
    guard_replies = guard.QuickReplies()
    guard_replies.remember(sender, {"buttons": [{"title": "Yes", "payload": "/affirm"}]})
    assert guard.neutralise("/affirm", guard_replies.offered(sender)) == "/affirm"
    assert guard.neutralise("/EXTERNAL_left", guard_replies.offered(sender)) == "EXTERNAL_left"
    assert guard.neutralise("/affirm", guard_replies.offered("someone else")) == "affirm"


@pytest.mark.parametrize(
    "text",
    [
        "   ",
        "\x00\x01\x02\x1b[31m",
        "<script>alert(1)</script> how do I do sphinx",
        "как растянуть спину 背中 ストレッチ 🧘‍♀️🧘🏽",
        "\u202e\u200bcat cow\ufeff",
        "'; DROP TABLE events; --",
    ],
)
def test_odd_text_gets_a_clear_reply_and_the_next_message_is_answered(server, rest, text):
    response = post_raw(server, json.dumps({"sender": rest.sender, "message": text}))
    assert response.status_code == 200
    said = texts(response)
    assert said and all(t and "Traceback" not in t for t in said)
    assert "Stretchbot" in rest.say("hi")


def test_fast_repeats_are_all_answered(server, rest):
    results = []

    def say():
        results.append(post_raw(server, json.dumps({"sender": rest.sender, "message": "hi"})))

    threads = [threading.Thread(target=say) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in results] == [200] * 15
    assert all("Stretchbot" in " ".join(texts(r)) for r in results)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "sender": json_values | st.text(min_size=1, max_size=40),
            "message": json_values | st.text(max_size=200),
        },
        optional={"metadata": json_values, "input_channel": json_values},
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(body=bodies)
def test_fuzzed_rest_bodies_never_get_a_5xx(server, body):
    response = post_raw(server, json.dumps(body))
    assert response.status_code < 500
    if response.status_code == 200:
        assert isinstance(response.json(), list) and response.json()
    else:
        assert response.status_code == 400 and response.json()["error"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(raw=st.binary(max_size=200))
def test_fuzzed_raw_bytes_never_get_a_5xx(server, raw):
    assert post_raw(server, raw).status_code < 500


class SocketProbe:
    def __init__(self, url: str):
        self.heard: list = []
        self.arrived = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self._heard)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)

    def _heard(self, data) -> None:
        with self.arrived:
            self.heard.append(data)
            self.arrived.notify_all()

    def wait(self, count: int, timeout: float = 20) -> list:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.heard) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {self.heard} within {timeout} s"
                self.arrived.wait(left)
            return list(self.heard)


@pytest.fixture
def probe(server):
    probe = SocketProbe(server.url)
    yield probe
    probe.sio.disconnect()


def test_socketio_odd_events_get_a_clear_reply_and_the_socket_keeps_working(probe):
    session = uuid.uuid4().hex
    for data in ([], 42, "hi", None, {"session_id": ["x"]}):
        probe.sio.emit("session_request", data)
    probe.sio.emit("session_request", {"session_id": session})
    for data in ("hi", 42, [1], {"session_id": session, "message": 42}):
        probe.sio.emit("user_uttered", data)
    heard = probe.wait(4)
    assert all("couldn't read that message" in h["text"] for h in heard[:4])
    probe.sio.emit("user_uttered", {"session_id": session, "message": "x" * 1_000_00})
    assert "too long" in probe.wait(5)[4]["text"]
    probe.sio.emit("user_uttered", {"session_id": session, "message": "/EXTERNAL_left"})
    probe.sio.emit("user_uttered", {"session_id": session, "message": "hi", "customData": "{"})
    heard = probe.wait(7)
    assert any("Stretchbot" in h.get("text", "") for h in heard[5:])

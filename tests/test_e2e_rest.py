"""A whole conversation through the REST channel against started Rasa and action servers."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.server


def test_conversation_through_rest(rest):
    greeting = rest.say("hi")
    assert "Stretchbot" in greeting

    howto = rest.say("how do i do the cat cow")
    assert howto.startswith("Cat-Cow") and "1. " in howto
    assert "not medical advice" in howto

    muscles = rest.say("what muscles does it work?")
    assert muscles.startswith("Cat-Cow works")

    benefits = rest.say("what are the benefits")
    assert "Cat-Cow" in benefits  # the follow-up stays on cat-cow

    flag = rest.say("can I do sphinx? I've lost control of my bladder since yesterday")
    # The safety reply itself comes first (the not-medical-advice note alone must not pass this).
    assert flag.startswith("Please get medical help straight away"), flag
    assert "1. " not in flag

    outside = rest.say("what's the weather in Paris tomorrow")
    assert "only cover back stretching" in outside

    second = rest.say("how do i do thread the needle")
    assert second.startswith("Thread the Needle")
    assert "not medical advice" not in second  # the note appears once per conversation


def test_clarifying_question_then_choice(rest):
    # ("how long should I hold it?" with nothing before it is general advice since c2ee259.)
    question = rest.say("what muscles does it work?")
    assert "Which stretch" in question
    answer = rest.say("piriformus")
    assert answer.startswith("Piriformis Stretch works")


def test_two_users_do_not_share_context(server):
    from tests.conftest import RestChat

    alice, bob = RestChat(server.url), RestChat(server.url)
    alice.say("how do I do sphinx")
    assert "Which stretch" in bob.say("what muscles does it work")


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "x", "message": ""},
        {"sender": "x", "message": "stretch " * 3000},
        {"sender": "x", "message": "\u2603\u2764\ufe0f \u0000"},
    ],
)
def test_odd_input_gets_a_clear_reply(server, body):
    response = requests.post(f"{server.url}/webhooks/rest/webhook", json=body, timeout=60)
    assert response.status_code == 200
    texts = [m.get("text", "") for m in response.json()]
    assert texts and all("Traceback" not in t for t in texts)


def test_socketio_channel_answers(server):
    from runner.chat import ChatClient

    lines = []
    client = ChatClient(server.url, out=lines.append)
    client.connect()
    try:
        assert client.send("what muscles does thread the needle work")
    finally:
        client.close()
    assert any("Thread the Needle works" in line for line in lines)

"""Two Rasa servers sharing one conversation through real PostgreSQL (tracker store) and Redis (lock
store), started by the test: messages alternate between them and the context holds; the server
that scheduled a routine's timer dies and the other one picks the routine up where it was; a
restarted server still knows the conversation."""

from __future__ import annotations

import time
import uuid

import pytest
import requests
import sqlalchemy

from tests.conftest import RestChat, make_servers
from tests.services import postgres, redis
from tests.test_e2e_routine import Listener

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    with postgres() as db_url, redis(folder / "redis") as redis_url:
        yield db_url, redis_url


def started(*servers):
    for each in servers:  # both start at once: a Rasa start is mostly waiting on one core
        each.start()
    try:
        for each in servers:
            each.wait_ready()
    except BaseException:
        for each in servers:
            each.stop()
        raise


def test_two_servers_take_turns_on_one_conversation(stores, tmp_path):
    db_url, redis_url = stores
    shared = dict(db_url=db_url, redis_url=redis_url, enable_api=False)
    a = make_servers(tmp_path / "unused-a.db", **shared)
    b = make_servers(tmp_path / "unused-b.db", **shared)
    # A server killed while it answers leaves that conversation's Redis lock until the lock's
    # lifetime ends (Rasa's default 60 s; TICKET_LOCK_LIFETIME): 5 s here, as the README says.
    for each in (a, b):
        each.env["TICKET_LOCK_LIFETIME"] = "5"
    started(a, b)
    try:
        # Without a token the HTTP API is not there at all.
        assert requests.get(f"{a.url}/conversations/x/tracker", timeout=10).status_code == 404

        on_a, on_b = RestChat(a.url), RestChat(b.url)
        on_b.sender = on_a.sender  # one user, behind a load balancer
        assert on_a.say("how do i do sphinx").startswith("Sphinx Pose")
        assert on_b.say("what muscles does it work?").startswith("Sphinx Pose works")
        assert "Sphinx Pose" in on_a.say("what are common mistakes with it?")

        # A routine started on A, whose process holds the timer (a Rasa reminder), until A dies.
        session_id = uuid.uuid4().hex
        first = Listener(a.url, session_id)
        mark = first.say("start the daily routine")
        first.wait_for("Stretch 2 of 5: Cat-Cow.", mark, timeout=30)
        a.stop()
        first.close()
        time.sleep(4)  # longer than any step at this time scale: A's call-back is now overdue
        # The user's browser reconnects, through the balancer, to B: the routine waits there.
        again = Listener(b.url, session_id)
        try:
            _, text = again.wait_for("Welcome back!", timeout=40)
            assert "stretch 2 of 5, Cat-Cow" in text
            mark = again.say("resume")
            again.wait_for("Resuming:", mark)
            again.wait_for("Stretch 3 of 5: Knee-to-Chest.", mark, timeout=30)  # B's own timer
            mark = again.say("stop")
            again.wait_for("Routine stopped.", mark)
        finally:
            again.close()

        # A comes back (same port, same stores) and still knows the conversation.
        a = make_servers(tmp_path / "unused-a.db", rasa_port=a.rasa_port, **shared)
        a.env["TICKET_LOCK_LIFETIME"] = "5"
        started(a)
        assert "Sphinx Pose" in on_a.say("how long should i hold it?")
    finally:
        a.stop()
        b.stop()

    # Both stores were really used: the events are rows in PostgreSQL, the locks went to Redis.
    engine = sqlalchemy.create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text("SELECT count(*) FROM events WHERE sender_id = :id"),
            {"id": on_a.sender},
        ).scalar()
    engine.dispose()
    assert rows > 10
    import redis as redis_client

    stats = redis_client.Redis.from_url(redis_url).info("commandstats")
    assert stats.get("cmdstat_set", {}).get("calls", 0) > 0

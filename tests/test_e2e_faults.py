"""Faults against started servers: the action server down or hung mid-conversation (an apology,
then recovery by itself, the routine kept), the tracker store unwritable (the user is told), a
second `stretchbot serve` on busy ports (says so at once), and the parent killed (its servers die
with it)."""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import requests

from channels import guard
from runner.servers import ServerError, free_ports, port_in_use
from tests.conftest import RestChat, make_servers

pytestmark = pytest.mark.server
# Loose bounds that still tell "answered" from "hung": before the fixes a dead action server got
# no reply within 60 s. The 2 s target itself is measured by `make bench`, not asserted here.
APOLOGY_WITHIN_S = 8


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory):
    """Servers of this module's own (their action server is stopped on purpose), with an API token
    that starts with "-" (a random one does 1 time in 64: Rasa used to read it as an option and die
    while starting)."""
    token = "-" + secrets.token_urlsafe(16)
    with make_servers(tmp_path_factory.mktemp("faults") / "tracker.db", api_token=token) as servers:
        yield servers


def test_an_api_token_starting_with_a_dash_works(own_servers):
    assert own_servers.api_token.startswith("-")
    url = f"{own_servers.url}/conversations/nobody/tracker"
    assert requests.get(url, params={"token": own_servers.api_token}, timeout=30).ok
    assert requests.get(url, params={"token": "wrong"}, timeout=30).status_code == 401


def wait_for(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{check} still false after {timeout} s"
        time.sleep(0.2)


def actions_up(servers) -> bool:
    try:
        return requests.get(f"{servers.actions_url}/health", timeout=1).ok
    except requests.RequestException:
        return False


def timed(chat: RestChat, text: str) -> tuple[str, float]:
    started = time.monotonic()
    reply = chat.say(text)
    return reply, time.monotonic() - started


def test_action_server_down_gets_an_apology_then_recovers_with_the_routine(own_servers):
    chat = RestChat(own_servers.url)
    assert "Let's do the basic daily routine" in chat.say("start the daily routine")
    where = chat.say("where am I?")
    own_servers.stop_actions()
    try:
        reply, took = timed(chat, "what muscles does this work?")
        assert reply == guard.UNAVAILABLE
        assert took < APOLOGY_WITHIN_S
    finally:
        own_servers.start_actions()
    wait_for(lambda: actions_up(own_servers))
    # The routine is kept: depending on when its call-back came due, the one lost while the server
    # was down is noticed and the user offered to resume (as after a restart), or the routine has
    # caught up on the next message.
    assert "1 of 5" in where
    again = chat.say("where am I?")
    assert " of 5" in again, again
    if "Say 'resume'" in again:
        assert chat.say("resume").startswith("Resuming")
    assert "works" in chat.say("what muscles does this work?")
    assert "Routine stopped" in chat.say("stop")


def test_a_hung_action_server_gets_an_apology_then_recovers(own_servers):
    chat = RestChat(own_servers.url)
    assert "Stretchbot" in chat.say("hi")
    pid = own_servers.actions_pid()
    os.kill(pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        reply, took = timed(chat, "how do I do the cat cow")
        assert reply == guard.UNAVAILABLE
        assert took < APOLOGY_WITHIN_S
    finally:
        os.kill(pid, signal.SIGCONT)
    assert chat.say("how do I do the cat cow").startswith("Cat-Cow")


def test_an_unwritable_tracker_store_is_told_to_the_user(own_servers):
    chat = RestChat(own_servers.url)
    assert "Stretchbot" in chat.say("hi")
    lock = sqlite3.connect(own_servers.tracker_db, timeout=1, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # nobody else can write (or read) until it ends
    try:
        reply = chat.say("how do I do the cat cow")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert guard.FAILED in reply
    assert chat.say("how do I do the cat cow").startswith("Cat-Cow")


def serve(rasa_port: int, actions_port: int, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "STRETCHBOT_RASA_PORT": str(rasa_port),
        "STRETCHBOT_ACTIONS_PORT": str(actions_port),
        "STRETCHBOT_TRACKER_DB": str(tmp_path / "tracker.db"),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "runner.cli", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def test_a_second_serve_on_busy_ports_says_so_at_once(own_servers, tmp_path):
    proc = serve(own_servers.rasa_port, own_servers.actions_port, tmp_path)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"Port {own_servers.rasa_port} for the Rasa is already in use" in out


def children_of(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            kids = open(f"/proc/{current}/task/{current}/children").read().split()
        except OSError:
            continue
        found += [int(k) for k in kids]
        todo += [int(k) for k in kids]
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def test_servers_die_with_serve_even_when_it_is_killed(tmp_path):
    """A supervisor's stop: SIGTERM, then SIGKILL 3 s later. Nothing may be left behind."""
    rasa_port, actions_port = free_ports(2)
    proc = serve(rasa_port, actions_port, tmp_path)
    try:
        wait_for(lambda: port_in_use(rasa_port) and port_in_use(actions_port), timeout=300)
        wait_for(lambda: len(children_of(proc.pid)) >= 2)
        children = children_of(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.wait(timeout=10)
        wait_for(lambda: not any(alive(pid) for pid in children), timeout=20)
        wait_for(lambda: not port_in_use(rasa_port) and not port_in_use(actions_port), 20)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_servers_die_when_serve_gets_sigkill_at_once(tmp_path):
    rasa_port, actions_port = free_ports(2)
    proc = serve(rasa_port, actions_port, tmp_path)
    try:
        wait_for(lambda: len(children_of(proc.pid)) >= 2, timeout=120)
        children = children_of(proc.pid)
        proc.kill()  # no chance to clean up: only the parent-death signal can stop them
        proc.wait(timeout=10)
        wait_for(lambda: not any(alive(pid) for pid in children), timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_each_start_keeps_its_own_log_and_a_death_while_starting_says_why(tmp_path):
    """A server that dies while starting is reported with the end of its log, and later starts
    (tests, a restart) don't overwrite that log."""
    logs = tmp_path / "logs"
    first = make_servers(tmp_path / "tracker.db", log_dir=logs)
    first.start()
    try:
        rasa = next(p for p in first._procs if "rasa_sdk" not in p.args)
        rasa.kill()
        with pytest.raises(ServerError) as failed:
            first.wait_ready(timeout=60)
    finally:
        first.stop()
    message = str(failed.value)
    assert "The Rasa server stopped while starting" in message
    assert str(first.log_of("rasa")) in message
    assert "started: " in message and "rasa run" in message  # the log's last lines
    assert (
        first.api_token not in message and first.api_token not in first.log_of("rasa").read_text()
    )

    second = make_servers(tmp_path / "tracker.db", log_dir=logs)
    second.start()
    second.stop()
    for kind in ("rasa", "actions"):
        assert first.log_of(kind) != second.log_of(kind)
        assert "rasa" in first.log_of(kind).read_text()  # still there, header included
        assert (logs / f"{kind}.log").resolve() == second.log_of(kind).resolve()

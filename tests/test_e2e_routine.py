"""A coached routine over socket.io against started servers, 20 times faster than real time
(conftest.TEST_TIME_SCALE): cues arrive on their own, controls work, questions keep the timer, and
leaving, coming back and a server restart offer to resume."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from runner.chat import ChatClient
from tests.conftest import TEST_TIME_SCALE, make_servers

pytestmark = pytest.mark.server
PREFIX = "Stretchbot: "


class Listener:
    """A socket.io conversation that records every bot message with its arrival time."""

    def __init__(self, url: str, session_id: str | None = None):
        self.heard: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        self.client = ChatClient(url, session_id or uuid.uuid4().hex, out=self._record)
        self.client.connect()

    def _record(self, line: str) -> None:
        with self.changed:
            self.heard.append((time.monotonic(), line.strip()[len(PREFIX) :]))
            self.changed.notify_all()

    def say(self, text: str) -> int:
        """Send a message; returns the index of the first message after it."""
        mark = len(self.heard)
        self.client.sio.emit(
            "user_uttered", {"message": text, "session_id": self.client.session_id}
        )
        return mark

    def wait_for(self, start: str, after: int = 0, timeout: float = 20.0) -> tuple[float, str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for when, text in self.heard[after:]:
                    if text.startswith(start):
                        return when, text
                left = deadline - time.monotonic()
                assert left > 0, f"no {start!r} within {timeout} s; heard {self.texts(after)}"
                self.changed.wait(left)

    def texts(self, after: int = 0) -> list[str]:
        return [text for _, text in self.heard[after:]]

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def listener(server):
    listener = Listener(server.url)
    yield listener
    listener.close()


def scaled(seconds: float) -> float:
    return seconds * TEST_TIME_SCALE


def test_a_routine_runs_by_itself_and_obeys_every_control(listener):
    mark = listener.say("start the daily routine")
    listener.wait_for("Let's do the basic daily routine", mark)
    held, _ = listener.wait_for("Hold for 60 seconds.", mark)  # no message needed to advance

    # A question mid-hold is answered about this stretch and neither cancels nor shortens it.
    mark = listener.say("what muscles does this work?")
    listener.wait_for("Child's Pose works", mark)
    released, _ = listener.wait_for("And release.", mark)
    assert released - held >= scaled(60) - 0.3

    listener.wait_for("Stretch 2 of 5: Cat-Cow.", mark)
    mark = listener.say("pause")
    listener.wait_for("Paused.", mark)
    time.sleep(scaled(40))  # longer than the whole of this step: nothing may happen while paused
    assert listener.texts(mark) == ["Paused. Say resume when you're ready."]
    mark = listener.say("how long left?")
    listener.wait_for("", mark)
    assert "(paused)" in listener.texts(mark)[0]
    mark = listener.say("resume")
    listener.wait_for("Resuming:", mark)
    listener.wait_for("Now 15 slow reps", mark)

    mark = listener.say("skip")
    listener.wait_for("Stretch 3 of 5: Knee-to-Chest.", mark)
    mark = listener.say("previous")
    listener.wait_for("Stretch 2 of 5: Cat-Cow.", mark)
    mark = listener.say("next")
    listener.wait_for("Now 15 slow reps", mark)
    mark = listener.say("stop")
    listener.wait_for("Routine stopped.", mark)
    time.sleep(scaled(30))
    assert listener.texts(mark) == ["Routine stopped. Nice work today."]


def test_a_whole_routine_finishes_without_any_message(listener):
    mark = listener.say("a quick desk routine")
    listener.wait_for("Let's do the routine for desk breaks", mark)
    listener.wait_for("That's the whole routine. Well done!", mark, timeout=60)
    said = listener.texts(mark)
    assert [t for t in said if t.startswith("Stretch ")][-1].startswith("Stretch 4 of 4")


def test_leaving_and_coming_back_offers_to_resume(server):
    first = Listener(server.url)
    mark = first.say("start the daily routine")
    first.wait_for("Hold for 60 seconds.", mark)
    first.close()  # the last connection of this conversation closes: the routine pauses
    time.sleep(scaled(80))

    again = Listener(server.url, first.client.session_id)
    try:
        _, text = again.wait_for("Welcome back!")
        assert "stretch 1 of 5, Child's Pose" in text
        mark = again.say("yes")
        again.wait_for("Resuming:", mark)
        again.wait_for("And release.", mark)
    finally:
        again.close()


def test_a_server_restart_offers_to_resume_where_the_user_was(tmp_path):
    database = tmp_path / "tracker.db"
    session_id = uuid.uuid4().hex
    with make_servers(database) as servers:
        listener = Listener(servers.url, session_id)
        mark = listener.say("start the daily routine")
        listener.wait_for("Stretch 2 of 5: Cat-Cow.", mark, timeout=30)
        listener.close()  # the connection goes with the server
    with make_servers(database) as servers:
        listener = Listener(servers.url, session_id)
        try:
            _, text = listener.wait_for("Welcome back!")
            assert "stretch 2 of 5, Cat-Cow" in text
            mark = listener.say("resume")
            listener.wait_for("Resuming:", mark)
            listener.wait_for("Stretch 3 of 5: Knee-to-Chest.", mark, timeout=30)
        finally:
            listener.close()


def test_the_terminal_chat_shows_cues_as_they_happen_and_keeps_its_conversation(server, tmp_path):
    """`stretchbot chat` (what `make run` opens): cues appear while the user types nothing, and
    after quitting, a new chat continues the same conversation with the offer to resume."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "STRETCHBOT_CHAT_SESSION_FILE": str(tmp_path / "chat_session"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "runner.cli", "chat", "--url", server.url]

    def chat(first_line: str, wait_for: str) -> list[str]:
        """Type one line, wait (typing nothing) until `wait_for` is printed, then quit."""
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        lines: list[str] = []
        proc.stdin.write(first_line + "\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        for line in proc.stdout:
            lines.append(line.replace("You: ", "").strip())
            if wait_for in line or time.monotonic() > deadline:
                break
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        lines += [line.strip() for line in proc.communicate(timeout=30)[0].splitlines()]
        assert proc.returncode == 0
        return lines

    first = chat("start the daily routine", "Stretchbot: Halfway.")
    assert "Stretchbot: Hold for 60 seconds." in first  # said while the user typed nothing
    assert "Stretchbot: Halfway." in first
    second = chat("stop", "Stretchbot: Routine stopped.")
    assert any(
        line.startswith("Stretchbot: Welcome back! You were in the middle of the basic daily")
        for line in second
    )
    assert "Stretchbot: Routine stopped. Nice work today." in second

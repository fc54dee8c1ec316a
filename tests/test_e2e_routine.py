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
HOLD_CUES = ["Hold for 60 seconds.", "Halfway.", "10 seconds left.", "And release."]


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

    def index_of(self, start: str, after: int = 0, timeout: float = 20.0) -> int:
        """Waits for a message starting with `start`; returns its index."""
        self.wait_for(start, after, timeout)
        with self.changed:
            return next(
                i for i in range(after, len(self.heard)) if self.heard[i][1].startswith(start)
            )

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
    listener.wait_for("Hold for 60 seconds.", mark)  # no message needed to advance
    held_at = listener.index_of("Hold for 60 seconds.", mark)

    # A question mid-hold is answered about this stretch and neither cancels nor shortens it:
    # every cue of the hold still comes, in order (checked by order, not by the clock).
    mark = listener.say("what muscles does this work?")
    listener.wait_for("Child's Pose works", mark)
    listener.wait_for("And release.", mark)
    cues = [t for t in listener.texts(held_at) if t in HOLD_CUES]
    assert cues[: len(HOLD_CUES)] == HOLD_CUES, listener.texts(held_at)

    listener.wait_for("Stretch 2 of 5: Cat-Cow.", mark)
    mark = listener.say("pause")
    paused = listener.index_of("Paused.", mark)
    left = listener.say("how long left?")
    listener.wait_for("", left)
    before = listener.texts(left)[0]
    assert "(paused)" in before
    # Longer than the whole of this step: a timer that kept running would have spoken by then.
    time.sleep(scaled(40))
    mark = listener.say("how long left?")
    listener.wait_for("", mark)
    assert listener.texts(mark)[0] == before  # the paused time has not moved
    assert left == paused + 1 and listener.texts(left)[: mark - left] == [before]  # nothing else
    mark = listener.say("resume")
    listener.wait_for("Resuming:", mark)
    listener.wait_for("Now 15 slow reps", mark)

    # Moving about while paused, so that where "previous" lands doesn't depend on how far the timer
    # got before the message was read (back to the start of this stretch once it is under way, to
    # the one before only at its start): under load a reply can take longer than a step here.
    mark = listener.say("pause")
    listener.wait_for("Paused.", mark)
    mark = listener.say("skip")
    listener.wait_for("Stretch 3 of 5: Knee-to-Chest.", mark)
    mark = listener.say("previous")
    listener.wait_for("Stretch 2 of 5: Cat-Cow.", mark)
    mark = listener.say("ready")  # goes on with Cat-Cow (starting it, if still introducing it)
    listener.wait_for("Now 15 slow reps", mark)
    mark = listener.say("stop")
    stopped = listener.index_of("Routine stopped.", mark)
    time.sleep(scaled(30))  # a timer left running would have spoken by now
    mark = listener.say("where am I?")
    listener.wait_for("", mark)
    assert listener.texts(stopped)[: mark - stopped] == ["Routine stopped. Nice work today."]
    assert "Stretch" not in listener.texts(mark)[0]


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
    import queue
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
        printed: queue.Queue = queue.Queue()  # read in a thread, so waiting has a real deadline
        reader = threading.Thread(target=lambda: [printed.put(x) for x in proc.stdout], daemon=True)
        reader.start()
        lines: list[str] = []
        try:
            proc.stdin.write(first_line + "\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 30
            while not any(wait_for in line for line in lines):
                left = deadline - time.monotonic()
                assert left > 0, f"no {wait_for!r} within 30 s; printed {lines}"
                try:
                    lines.append(printed.get(timeout=left).replace("You: ", "").strip())
                except queue.Empty:
                    pass
            proc.stdin.write("quit\n")
            proc.stdin.flush()
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        reader.join(10)
        while not printed.empty():
            lines.append(printed.get().strip())
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

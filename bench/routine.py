"""How close to their time routine cues arrive in chat (socket.io, Rasa reminders).

One whole routine is run against started servers at a time scale, with no user message after the
start; every cue's arrival is compared with the time the engine's own schedule gives it, counted
from the arrival of the first cue. `python -m bench.routine` prints the figures.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from bot.catalogue import default_catalogue
from bot.routine import build_phases
from runner.chat import ChatClient
from runner.servers import Servers, free_port

SCALE = 0.1
ROUTINE = "basic_daily"


def expected_schedule(scale: float, routine: str = ROUTINE) -> list[tuple[float, str]]:
    catalogue = default_catalogue()
    phases = build_phases(catalogue.routines[routine], catalogue, scale)
    schedule, start = [], 0.0
    for phase in phases:
        schedule += [(start + offset, text) for offset, text in phase.cues]
        start += phase.seconds
    schedule.append((start, "That's the whole routine. Well done!"))
    return schedule


def run(scale: float = SCALE, routine: str = ROUTINE) -> dict:
    heard: list[tuple[float, str]] = []
    done = threading.Event()

    def record(line: str) -> None:
        text = line[len("Stretchbot: ") :]
        heard.append((time.monotonic(), text))
        if text.startswith("That's the whole routine"):
            done.set()

    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(
            rasa_port=free_port(),
            actions_port=free_port(),
            tracker_db=Path(tmp) / "tracker.db",
            env={"STRETCHBOT_TIME_SCALE": str(scale)},
        )
        with servers:
            client = ChatClient(servers.url, out=record)
            client.connect()
            name = default_catalogue().routines[routine].name
            client.send(f"start the {name}")
            schedule = expected_schedule(scale, routine)
            done.wait(schedule[-1][0] + 60)
            client.close()
    lateness = []
    first = next(i for i, (_, text) in enumerate(heard) if text == schedule[0][1])
    origin = heard[first][0]
    position = first
    for offset, text in schedule:
        found = next(i for i in range(position, len(heard)) if heard[i][1] == text)
        lateness.append((heard[found][0] - origin - offset) * 1000)
        position = found + 1
    return {
        "routine": routine,
        "scale": scale,
        "cues": len(lateness),
        "late_p50_ms": statistics.median(lateness),
        "late_p95_ms": sorted(lateness)[round(0.95 * (len(lateness) - 1))],
        "late_max_ms": max(lateness),
        "routine_s": schedule[-1][0],
    }


def markdown(r: dict) -> str:
    return "\n".join(
        [
            "## Routine cue timing in chat (socket.io, Rasa reminders)",
            "",
            f"The {r['routine']} routine at time scale {r['scale']} ({r['routine_s']:.0f} s), no user "
            "messages: each cue's arrival against the engine's schedule, from the first cue.",
            "",
            "| cues | late p50 ms | late p95 ms | late max ms |",
            "| ---: | ---: | ---: | ---: |",
            f"| {r['cues']} | {r['late_p50_ms']:.0f} | {r['late_p95_ms']:.0f} | {r['late_max_ms']:.0f} |",
            "",
            "Lateness does not build up over a routine: each phase ends at its scheduled time however",
            "late the call that ended it came (the engine carries the overrun into the next phase).",
            "",
        ]
    )


if __name__ == "__main__":
    print(markdown(run()))

"""Accuracy, false commands, latency and speed of the recognition pipeline on spoken fixtures
(shared by the tests and `bench.voice`)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

from bench.speech_fixtures import Fixture, Take, synthesize_all
from bot.commands import VOICE_COMMANDS
from bot.understanding import default_understanding
from voice.audio import WavSource
from voice.meaning import sure_command
from voice.recognizer import Heard, Listener


@dataclass
class Outcome:
    text: str
    take: Take
    expected: str | None
    heard: List[Heard]
    speech_end: float
    path: Path

    @property
    def commands(self) -> List[str]:
        return [h.command for h in self.heard if h.command]

    @property
    def right(self) -> bool:
        """Exactly the expected command (or none at all for a non-command)."""
        return self.commands == ([self.expected] if self.expected else [])

    @property
    def latency_s(self) -> float | None:
        """End of the speech (known from the clean synthesis) to the command decided."""
        for h in self.heard:
            if h.command:
                return max(0.0, h.closed - self.speech_end) + h.compute_s
        return None


@dataclass
class Summary:
    outcomes: List[Outcome]
    audio_s: float
    compute_s: float
    per_command: Dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self):
        counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            if o.expected:
                counts[o.expected][0] += o.right
                counts[o.expected][1] += 1
        self.per_command = {c: tuple(counts[c]) for c in VOICE_COMMANDS if c in counts}

    @property
    def commands(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.expected]

    @property
    def others(self) -> List[Outcome]:
        return [o for o in self.outcomes if not o.expected]

    @property
    def accuracy(self) -> float:
        return sum(o.right for o in self.commands) / max(1, len(self.commands))

    @property
    def false_rate(self) -> float:
        return sum(bool(o.commands) for o in self.others) / max(1, len(self.others))

    @property
    def wrong_command_rate(self) -> float:
        """Commands heard as a *different* command (worse than none)."""
        wrong = [o for o in self.commands if any(c != o.expected for c in o.commands)]
        return len(wrong) / max(1, len(self.commands))

    def latency(self, q: float) -> float:
        values = [o.latency_s for o in self.outcomes if o.latency_s is not None]
        return float(np.percentile(values, q)) if values else float("nan")

    @property
    def rtf(self) -> float:
        return self.compute_s / max(1e-9, self.audio_s)

    def table(self) -> str:
        lines = [f"{'command':10} accepted"]
        for command, (ok, n) in self.per_command.items():
            lines.append(f"{command:10} {ok}/{n} ({ok / n:.0%})")
        lines.append(
            f"overall {self.accuracy:.1%} of {len(self.commands)} commands right; "
            f"wrong command {self.wrong_command_rate:.1%}; false commands "
            f"{self.false_rate:.1%} of {len(self.others)} non-commands; latency p50 "
            f"{self.latency(50) * 1000:.0f} ms p95 {self.latency(95) * 1000:.0f} ms; "
            f"RTF {self.rtf:.3f}"
        )
        return "\n".join(lines)

    def mistakes(self) -> List[str]:
        return [
            f"{o.text!r} [{o.take.label}] expected {o.expected} heard "
            f"{[h.text for h in o.heard]} -> {o.commands}"
            for o in self.outcomes
            if not o.right
        ]


def hear(engine, fixture: Fixture) -> List[Heard]:
    listener = Listener(WavSource(fixture.path), engine)
    listener.sure = sure_command(default_understanding().commands)  # as voice mode does
    heard = []
    while True:
        try:
            item = listener.listen()
        except EOFError:
            return heard
        if item is not None and item.text:
            heard.append(item)


def evaluate(
    engine, items: Sequence[tuple[str, Take, str | None]], directory: Path, workers: int = 1
) -> Summary:
    """Every item synthesized and heard by `engine`; with `workers` > 1 in that many forked
    processes, each with its own copy of the engine (for an engine that is safe to fork, such as
    PocketSphinx)."""
    fixtures = synthesize_all([(text, take) for text, take, _ in items], directory)
    if workers > 1:
        # Each worker hears one fixed, contiguous share in order: an engine may adapt from one
        # file to the next (PocketSphinx's running noise and level estimates), so the same
        # shares give the same outcomes on every run.
        global _ENGINE
        _ENGINE = engine
        size = -(-len(fixtures) // workers)
        shares = [fixtures[i : i + size] for i in range(0, len(fixtures), size)]
        with get_context("fork").Pool(workers) as pool:
            timed = [t for share in pool.map(_hear_share, shares, chunksize=1) for t in share]
    else:
        timed = _hear_share(fixtures, engine)
    outcomes, audio_s, compute_s = [], 0.0, 0.0
    for (text, take, expected), fixture, (heard, took) in zip(items, fixtures, timed, strict=True):
        compute_s += took
        audio_s += len(WavSource(fixture.path, tail_s=0).samples) / 16000
        outcomes.append(Outcome(text, take, expected, heard, fixture.speech_end, fixture.path))
    return Summary(outcomes, audio_s, compute_s)


_ENGINE = None  # the engine the forked workers of `evaluate` inherit


def _hear_share(fixtures: Sequence[Fixture], engine=None) -> List[tuple[List[Heard], float]]:
    """What `engine` (or the inherited one) hears in each file, in order, and how long it took."""
    timed = []
    for fixture in fixtures:
        began = time.perf_counter()
        heard = hear(engine or _ENGINE, fixture)
        timed.append((heard, time.perf_counter() - began))
    return timed

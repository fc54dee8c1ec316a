"""Concurrent REST conversations: `users` conversations at once, `messages` each, every reply
checked when a check is given. Used by `make bench` (Stretchbot against the starter bot) and by
tests/test_e2e_load.py."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, List, Sequence, Tuple

import aiohttp

# (question, check of the joined reply) for Stretchbot: each answer is known in advance.
QUESTIONS: List[Tuple[str, Callable[[str], bool]]] = [
    ("hi", lambda r: "Stretchbot" in r),
    ("how do i do the cat cow", lambda r: r.startswith("Cat-Cow") and "1. " in r),
    ("what muscles does thread the needle work", lambda r: "Thread the Needle works" in r),
    ("how long should I hold the sphinx pose", lambda r: r.startswith("Sphinx")),
    ("what's the weather in Paris tomorrow", lambda r: "only cover back stretching" in r),
    ("what are the benefits of child's pose", lambda r: "Child's Pose" in r),
    ("my legs have gone numb", lambda r: "doctor" in r or "emergency" in r.lower()),
    ("thanks", lambda r: bool(r.strip())),
]


@dataclass
class LoadResult:
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    wrong: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {
            "n": len(self.latencies_ms),
            "p50": statistics.median(self.latencies_ms),
            "p95": self.percentile(95),
            "throughput": self.throughput,
            "errors": len(self.errors),
            "wrong": len(self.wrong),
        }


async def _conversation(
    session: aiohttp.ClientSession,
    url: str,
    questions: Sequence[Tuple[str, Callable[[str], bool] | None]],
    messages: int,
    offset: int,
    result: LoadResult,
) -> None:
    sender = uuid.uuid4().hex
    for i in range(messages):
        text, check = questions[(offset + i) % len(questions)]
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            result.errors.append(f"{text!r}: {exc!r}")
            continue
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            result.errors.append(f"{text!r}: HTTP {status}")
            continue
        reply = "\n\n".join(m.get("text", "") for m in body if isinstance(m, dict))
        if check is not None and not check(reply):
            result.wrong.append(f"{text!r} -> {reply[:120]!r}")


async def _run(base_url, users, messages, questions, timeout) -> LoadResult:
    result = LoadResult()
    url = f"{base_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=users)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _conversation(session, url, questions, messages, user, result)
                for user in range(users)
            )
        )
        result.seconds = time.perf_counter() - started
    return result


def run(
    base_url: str,
    users: int,
    messages: int,
    questions: Sequence[Tuple[str, Callable[[str], bool] | None]] = QUESTIONS,
    timeout: float = 120,
) -> LoadResult:
    """`users` conversations at once, `messages` each (each waits for its reply before the next)."""
    return asyncio.run(_run(base_url, users, messages, questions, timeout))


def unchecked(texts: Sequence[str]) -> List[Tuple[str, None]]:
    return [(text, None) for text in texts]

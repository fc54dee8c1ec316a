"""Voice mode figures: command accuracy per command and false-command rate on speech synthesized
with espeak-ng in seven voice/speed/noise takes (three more than the tests use), time from the end
of speech to the command decided (p50/p95), and the recognizer's real-time factor.

`python -m bench.voice` prints the markdown; `run()` returns the numbers for bench/run.py.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.speech_fixtures import BENCH_TAKES, evaluation_items, tools_missing


def run() -> dict:
    missing = tools_missing()
    if missing:
        return {"skipped": f"needs {', '.join(missing)} (make sysdeps)"}
    from bench.voice_eval import evaluate
    from voice.recognizer import choose_engine

    began = time.perf_counter()
    engine = choose_engine(say=lambda line: None)
    load_s = time.perf_counter() - began
    items = evaluation_items(BENCH_TAKES)
    with tempfile.TemporaryDirectory(prefix="stretchbot-voice-bench-") as tmp:
        summary = evaluate(engine, items, Path(tmp))
    takes = {}
    for take in BENCH_TAKES:
        own = [o for o in summary.commands if o.take == take]
        takes[take.label] = sum(o.right for o in own) / max(1, len(own))
    return {
        "engine": engine.name,
        "engine_load_s": round(load_s, 2),
        "commands": len(summary.commands),
        "non_commands": len(summary.others),
        "accuracy": round(summary.accuracy, 4),
        "wrong_command_rate": round(summary.wrong_command_rate, 4),
        "false_command_rate": round(summary.false_rate, 4),
        "per_command": {c: [ok, n] for c, (ok, n) in summary.per_command.items()},
        "per_take": {k: round(v, 4) for k, v in takes.items()},
        "latency_ms": {
            "p50": round(summary.latency(50) * 1000),
            "p95": round(summary.latency(95) * 1000),
        },
        "rtf": round(summary.rtf, 4),
        "mistakes": summary.mistakes(),
    }


def markdown(result: dict) -> str:
    if "skipped" in result:
        return f"## Voice mode\n\nSkipped: {result['skipped']}.\n"
    lines = [
        "## Voice mode",
        "",
        f"Engine: {result['engine']} (loads in {result['engine_load_s']} s). Speech synthesized "
        f"with espeak-ng in {len(result['per_take'])} voice/speed/noise takes; "
        f"{result['commands']} spoken commands, {result['non_commands']} utterances that are not "
        "commands (near misses, questions, the routine's own cues, silence and noise).",
        "",
        "| | value |",
        "| --- | --- |",
        f"| commands right | {result['accuracy']:.1%} |",
        f"| commands taken for another command | {result['wrong_command_rate']:.1%} |",
        f"| false commands on non-commands | {result['false_command_rate']:.1%} |",
        f"| end of speech to command, p50 / p95 | {result['latency_ms']['p50']} ms / "
        f"{result['latency_ms']['p95']} ms |",
        f"| recognizer real-time factor (whole pipeline) | {result['rtf']:.3f} |",
        "",
        "| command | accepted |",
        "| --- | --- |",
    ]
    for command, (ok, n) in result["per_command"].items():
        lines.append(f"| {command} | {ok}/{n} ({ok / n:.0%}) |")
    lines += ["", "| take | commands right |", "| --- | --- |"]
    lines += [f"| {take} | {value:.0%} |" for take, value in result["per_take"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(run()))

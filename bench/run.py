"""`make bench`: speed and accuracy figures, written to BENCHMARKS.md and printed.

Measures, on this machine and in one run:
- REST reply latency p50/p95 over the held-out questions, for Stretchbot and for Rasa's own starter
  bot (`rasa init`), and the ratio between them: one user, then 10 and 50 concurrent users
  (bench/load.py) with throughput, interleaved so that load from elsewhere hits both alike; a plot
  of latency against concurrency (bench/latency_vs_concurrency.png);
- how fast a down or hung action server gets the user an apology;
- training time, time from start to the first answer, memory of both server processes;
- intent accuracy on the held-out set for the chosen pipeline (logistic regression, rules only)
  against DIET, and latency/training time against rules + TED;
- red-flag recall on sets the patterns were not tuned on;
- how late routine cues arrive over socket.io (bench/routine.py);
- voice mode: command accuracy, false commands, latency and real-time factor (bench/voice.py), and
  the blind spoken evaluation with background talk (bench/voice_blind.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

from bench import chat_eval, load, voice_blind, warning_examples
from bench import routine as routine_bench
from bench import voice as voice_bench
from bot import settings
from bot.dialogue import RED_FLAG_MIN_CONFIDENCE
from bot.safety import default_checker
from runner.servers import Servers, free_port

ROOT = settings.PROJECT_DIR
HELDOUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
OUT = ROOT / "BENCHMARKS.md"
PLOT = ROOT / "bench" / "latency_vs_concurrency.png"
LEVELS = (10, 50)  # concurrent users, besides the single-user run
ROUNDS = 2  # per level and bot, alternating which bot goes first
MESSAGES = 10  # per user and round
RASA = [sys.executable, "-m", "rasa"]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def heldout():
    for block in yaml.safe_load(HELDOUT.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield line.strip()[2:].strip(), block["intent"]


def run(command, cwd=ROOT, timeout=1800) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        sys.exit(
            f"failed: {' '.join(map(str, command))}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return time.perf_counter() - started


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


_SESSION = requests.Session()


def rest_latencies(url: str, texts, sender: str | None = None) -> list:
    session = _SESSION
    times = []
    for i, text in enumerate(texts):
        body = {"sender": sender or f"bench{i % 20}", "message": text}
        started = time.perf_counter()
        response = session.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except FileNotFoundError:
            continue
    return total / 1024


def wait_up(url: str, timeout: float = 300) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if requests.get(f"{url}/", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.5)
    sys.exit(f"{url} did not come up")


def start_stretchbot(model: Path, tmp: Path, **options) -> tuple[Servers, float]:
    """Start Stretchbot (with a tracker store of its own); return it and the seconds from start to
    its first answer."""
    # The load runs send a few dozen questions over and over: without its vector cache Stretchbot
    # computes every message's sentence vector, as for real traffic, where most messages differ.
    options["env"] = {"STRETCHBOT_VECTOR_CACHE": "0", **options.get("env", {})}
    servers = Servers(
        rasa_port=free_port(),
        actions_port=free_port(),
        model=model,
        enable_api=True,
        tracker_db=Path(tempfile.mkdtemp(dir=tmp)) / "tracker.db",
        **options,
    )
    started = time.perf_counter()
    servers.start()
    servers.wait_ready()
    rest_latencies(servers.url, ["hello"])
    return servers, time.perf_counter() - started


def start_starter(
    tmp: Path, figures: dict, project: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """Rasa's own starter bot (`rasa init`), served the same way, as the baseline. An existing
    `project` (from an earlier `--load-only` run) is reused as it is."""
    if project is None or not any((project / "models").glob("*.tar.gz")):
        project = project or tmp / "starter"
        project.mkdir(parents=True, exist_ok=True)
        figures["starter_init_and_train_s"] = run(
            [*RASA, "init", "--no-prompt", "--init-dir", str(project)], cwd=project
        )
    model = next((project / "models").glob("*.tar.gz"))
    port = free_port()
    log = open(tmp / "starter.log", "w")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [*RASA, "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1"],
        cwd=project,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    wait_up(url)
    rest_latencies(url, ["hello"])
    figures["starter_start_to_first_answer_s"] = time.perf_counter() - started
    return proc, url


def interleaved(url_a: str, url_b: str, texts) -> tuple[list, list]:
    """The same messages to both bots, alternating which goes first, so load drift hits both."""
    rest_latencies(url_a, texts[:5])
    rest_latencies(url_b, texts[:5])
    a_times, b_times = [], []
    for i, text in enumerate(texts):
        pair = [(url_a, a_times), (url_b, b_times)]
        for url, times in pair if i % 2 == 0 else reversed(pair):
            times.extend(rest_latencies(url, [text], sender=f"bench{i % 20}"))
    return a_times, b_times


def concurrent(
    url_a: str, url_b: str, texts, levels=LEVELS, rounds: int = ROUNDS
) -> tuple[dict, dict]:
    """Both bots at each level of concurrent users, in alternating order; the held-out questions
    (unchecked: the starter bot doesn't know them) to both."""
    questions = load.unchecked(texts)
    figures: tuple[dict, dict] = ({}, {})
    for users in levels:
        merged = (load.LoadResult(), load.LoadResult())
        for round_ in range(rounds):
            order = [(url_a, merged[0]), (url_b, merged[1])]
            for url, total in order if round_ % 2 == 0 else reversed(order):
                result = load.run(url, users, MESSAGES, questions)
                total.latencies_ms += result.latencies_ms
                total.errors += result.errors
                total.seconds += result.seconds
        for side, total in zip(figures, merged, strict=True):
            side[str(users)] = total.summary()
        print(f"  {users} users: {merged[0].summary()} / {merged[1].summary()}", flush=True)
    return figures


def fault_replies(servers: Servers) -> dict:
    """Seconds to the apology with the action server stopped, then hung (SIGSTOP)."""
    sender = "bench-faults"
    rest_latencies(servers.url, ["hi"], sender=sender)
    figures = {}
    servers.stop_actions()
    try:
        figures["actions_down_s"] = rest_latencies(servers.url, ["how do I do cat cow"], sender)[0]
    finally:
        servers.start_actions()
    servers.wait_ready()
    time.sleep(1)  # the health check sees it back
    pid = servers.actions_pid()
    os.kill(pid, signal.SIGSTOP)
    try:
        figures["actions_hung_s"] = rest_latencies(servers.url, ["how do I do cat cow"], sender)[0]
    finally:
        os.kill(pid, signal.SIGCONT)
    return {k: v / 1000 for k, v in figures.items()}


def plot(f: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = [1, *LEVELS]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, label, colour in (
        ("stretchbot", "Stretchbot", "tab:blue"),
        ("starter", "Rasa starter bot", "tab:orange"),
    ):
        rows = [f[name], *(f[f"{name}_concurrent"][str(n)] for n in LEVELS)]
        ax.plot(levels, [r["p50"] for r in rows], "o-", color=colour, label=f"{label} p50")
        ax.plot(levels, [r["p95"] for r in rows], "s--", color=colour, label=f"{label} p95")
    ax.set_xscale("log")
    ax.set_xticks(levels, [str(n) for n in levels])
    ax.set_xlabel("concurrent users (REST, loopback)")
    ax.set_ylabel("reply latency, ms")
    ax.set_title(f"Latency against concurrency, same run ({f['date']}, {f['cpus']} cores)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT)
    plt.close(fig)


def summary(times) -> dict:
    return {"p50": statistics.median(times), "p95": percentile(times, 95), "n": len(times)}


def nlu_accuracy(model: Path, tmp: Path, name: str) -> float:
    out = tmp / f"nlu-{name}"
    run([*RASA, "test", "nlu", "--nlu", str(HELDOUT), "--model", str(model), "--out", str(out)])
    return json.loads((out / "intent_report.json").read_text())["accuracy"]


def train(config: Path, out: Path, name: str) -> tuple[Path, float]:
    seconds = run(
        [
            *RASA,
            "train",
            "--config",
            str(config),
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--force",
        ]
    )
    return out / f"{name}.tar.gz", seconds


def red_flag_recall(parse_url: str | None) -> dict:
    checker = default_checker()
    results = {}
    for file in ("red_flags_fresh.yml", "red_flags_unseen.yml", "red_flags_final.yml"):
        path = ROOT / "tests" / "data" / file
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text())
        flags = [case["text"] for case in data["red_flags"]]
        others = data.get("not_red_flags") or data["everyday"]

        def combined(text):
            if checker.check(text):
                return True
            if not parse_url:
                return False
            intent = requests.post(parse_url, json={"text": text}, timeout=30).json()["intent"]
            return intent["name"] == "red_flag" and intent["confidence"] >= RED_FLAG_MIN_CONFIDENCE

        results[file] = {
            "patterns": sum(bool(checker.check(t)) for t in flags),
            "with_classifier": sum(combined(t) for t in flags),
            "n": len(flags),
            "false_alarms": sum(combined(t) for t in others),
            "n_negatives": len(others),
        }
    return results


def load_only(args, texts) -> int:
    """Only the concurrent-users comparison, with the trained model as it is and the starter bot
    kept in --starter-dir between runs: a quick check of a speed change (BENCHMARKS.md untouched)."""
    with tempfile.TemporaryDirectory(prefix="stretchbot-bench-") as name:
        tmp = Path(name)
        figures: dict = {}
        starter, starter_url = start_starter(tmp, figures, Path(args.starter_dir))
        redis = None
        options: dict = {}
        if args.sanic_workers > 1:  # Rasa allows more workers only with a shared lock store
            port = free_port()
            redis = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
                stdout=subprocess.DEVNULL,
            )
            options = dict(
                redis_url=f"redis://127.0.0.1:{port}/0",
                env={"SANIC_WORKERS": str(args.sanic_workers)},
            )
        try:
            ours, _ = start_stretchbot(settings.MODEL_PATH, tmp, **options)
            try:
                rest_latencies(ours.url, texts[:20])  # warm both, as interleaved() does
                rest_latencies(starter_url, texts[:20])
                a, b = concurrent(ours.url, starter_url, texts, args.users, args.rounds)
            finally:
                ours.stop()
        finally:
            os.killpg(starter.pid, 15)
            starter.wait(30)
            if redis:
                redis.terminate()
                redis.wait(10)
    for users in args.users:
        s, t = a[str(users)], b[str(users)]
        print(
            f"{users} users: throughput ratio {s['throughput'] / t['throughput']:.2f}, "
            f"p95 ratio {s['p95'] / t['p95']:.2f} (Stretchbot {s['throughput']:.1f} msg/s "
            f"p95 {s['p95']:.0f} ms, errors {s['errors']}; starter {t['throughput']:.1f} msg/s "
            f"p95 {t['p95']:.0f} ms)",
            flush=True,
        )
    return 0


SPEED_FIRST, SPEED_END = "## REST latency", "## Start-up and training"


def measure_speed(figures: dict, ours, starter, starter_url: str, texts) -> None:
    """REST latency one user at a time and with concurrent users, both bots interleaved, memory,
    and the action server faults: the speed figures both `make bench` and `bench-speed` write."""
    a, b = interleaved(ours.url, starter_url, texts)
    figures["stretchbot"], figures["starter"] = summary(a), summary(b)
    print("concurrent users, interleaved...", flush=True)
    figures["stretchbot_concurrent"], figures["starter_concurrent"] = concurrent(
        ours.url, starter_url, texts
    )
    figures["stretchbot"]["memory_mb"] = sum(rss_mb(p.pid) for p in ours._procs)
    figures["starter"]["memory_mb"] = rss_mb(starter.pid)
    print("action server down / hung...", flush=True)
    figures["faults"] = fault_replies(ours)


def speed_only(args, texts) -> int:
    """REST latency (one user, 10 and 50 users) against the starter bot, and the action server
    faults, with the trained model as it is: rewrites those sections of BENCHMARKS.md and the plot,
    keeps the rest (and the other figures in bench/last_run.json)."""
    last = ROOT / "bench" / "last_run.json"
    figures: dict = json.loads(last.read_text()) if last.exists() else {}
    today = dt.date.today().isoformat()
    figures.update(speed_only=today, cpus=os.cpu_count(), python=platform.python_version())
    figures.pop("ted", None)  # not measured in this run
    figures.pop("ted_starter", None)
    with tempfile.TemporaryDirectory(prefix="stretchbot-bench-") as name:
        tmp = Path(name)
        starter, starter_url = start_starter(tmp, {}, Path(args.starter_dir))
        try:
            print("Stretchbot against the starter bot, interleaved...", flush=True)
            ours, _ = start_stretchbot(settings.MODEL_PATH, tmp)
            try:
                measure_speed(figures, ours, starter, starter_url, texts)
            finally:
                ours.stop()
        finally:
            os.killpg(starter.pid, 15)
            starter.wait(30)
    plot({**figures, "date": today})
    text = OUT.read_text()
    first, end = text.index(SPEED_FIRST), text.index(SPEED_END)
    section = "\n".join(speed_sections(figures))
    OUT.write_text(text[:first] + section + "\n\n" + text[end:])
    last.write_text(json.dumps(figures, indent=2))
    print(section)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--skip-variants", action="store_true", help="skip the DIET and TED comparisons"
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the concurrent-users comparison against the starter bot (no BENCHMARKS.md)",
    )
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only REST latency, concurrent users and faults against the starter bot: rewrites "
        "those sections of BENCHMARKS.md and the plot",
    )
    parser.add_argument("--users", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--sanic-workers",
        type=int,
        default=1,
        help="with --load-only: Rasa server processes (more than 1 starts a Redis lock store)",
    )
    parser.add_argument(
        "--starter-dir",
        default=str(Path(tempfile.gettempdir()) / "stretchbot-bench-starter"),
        help="with --load-only or --speed-only: where the starter bot is made once and reused",
    )
    args = parser.parse_args()
    texts = [t for t, _ in heldout()]
    if args.load_only:
        return load_only(args, texts)
    if args.speed_only:
        return speed_only(args, texts)
    figures: dict = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory(prefix="stretchbot-bench-") as name:
        tmp = Path(name)
        print("training Stretchbot (forced)...", flush=True)
        model, figures["train_s"] = train(ROOT / "config.yml", tmp / "models", "chosen")
        print("held-out NLU accuracy...", flush=True)
        figures["nlu_accuracy"] = nlu_accuracy(model, tmp, "chosen")
        if not args.skip_variants:
            print("variant: DIET...", flush=True)
            diet, figures["diet_train_s"] = train(
                ROOT / "bench" / "configs" / "diet.yml", tmp / "models", "diet"
            )
            figures["diet_nlu_accuracy"] = nlu_accuracy(diet, tmp, "diet")
            print("variant: rules + TED (training)...", flush=True)
            ted, figures["ted_train_s"] = train(
                ROOT / "bench" / "configs" / "ted.yml", tmp / "models", "ted"
            )
        print("Rasa starter bot (rasa init)...", flush=True)
        starter, starter_url = start_starter(tmp, figures)
        try:
            print("Stretchbot against the starter bot, interleaved...", flush=True)
            ours, figures["start_to_first_answer_s"] = start_stretchbot(model, tmp)
            try:
                measure_speed(figures, ours, starter, starter_url, texts)
                print("blind chat evaluation (every set's dev and final parts)...", flush=True)
                figures["blind"] = {
                    split: [r.figures() for r in chat_eval.evaluate(ours.url, split)]
                    for split in chat_eval.SPLITS
                }
                print("red-flag recall...", flush=True)
                figures["red_flags"] = red_flag_recall(
                    f"{ours.url}/model/parse?token={ours.api_token}"
                )
                print("the learned warning-sign model, cross-validated...", flush=True)
                figures["warning_cv"] = warning_examples.cross_validate()
            finally:
                ours.stop()
            if not args.skip_variants:
                print("variant: rules + TED against the starter bot...", flush=True)
                variant, _ = start_stretchbot(ted, tmp)
                try:
                    a, b = interleaved(variant.url, starter_url, texts)
                    figures["ted"], figures["ted_starter"] = summary(a), summary(b)
                    figures["ted"]["memory_mb"] = sum(rss_mb(p.pid) for p in variant._procs)
                finally:
                    variant.stop()
        finally:
            os.killpg(starter.pid, 15)
            starter.wait(30)
    print("routine cue timing over socket.io...", flush=True)
    figures["routine"] = routine_bench.run()
    print("voice mode (synthesized speech)...", flush=True)
    figures["voice"] = voice_bench.run()
    print("voice mode, blind: unseen phrasings, voices and rooms...", flush=True)
    figures["voice_blind"] = voice_blind.run()
    plot(figures)
    text = report(figures)
    OUT.write_text(text)
    (ROOT / "bench" / "last_run.json").write_text(json.dumps(figures, indent=2))
    print(text)
    return 0


def speed_sections(f: dict) -> list:
    """REST latency, concurrent users and action server faults: what `--speed-only` rewrites."""
    s, b = f["stretchbot"], f["starter"]
    lines = [
        "## REST latency (the held-out questions, sent to both bots in turn)",
        "",
    ]
    if f.get("speed_only"):
        lines += [
            f"Measured on {f['speed_only']} by `make bench-speed` (`python -m bench.run --speed-only`:",
            "this section, the next two and the plot), outside a full `make bench` run.",
            "",
        ]
    lines += [
        "| bot | requests | p50 ms | p95 ms | memory MB |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| Stretchbot (Rasa + action server) | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['memory_mb']:.0f} |",
        f"| Rasa starter bot (`rasa init`) | {b['n']} | {b['p50']:.1f} | {b['p95']:.1f} | {b['memory_mb']:.0f} |",
    ]
    if "ted" in f:
        t, tb = f["ted"], f["ted_starter"]
        lines.append(
            f"| Stretchbot with rules + TED (not chosen; starter p95 {tb['p95']:.1f} in its run) | {t['n']} | {t['p50']:.1f} | {t['p95']:.1f} | {t['memory_mb']:.0f} |"
        )
    lines += [
        "",
        f"p95 ratio Stretchbot / starter bot: **{s['p95'] / b['p95']:.2f}** (target: at most 1.2).",
    ]
    if "stretchbot_concurrent" in f:
        lines += [
            "",
            "## Concurrent users (REST, loopback, the same run, interleaved)",
            "",
            f"Each level: {ROUNDS} rounds per bot, alternating which goes first, each user sending "
            f"{MESSAGES} held-out questions one after another. This machine's {f['cpus']} cores are",
            "shared with other work, so absolute figures are noisy; the ratios, measured side by side",
            "in one run, are what counts. Plot: [latency against concurrency](bench/latency_vs_concurrency.png).",
            "Stretchbot runs without its sentence-vector cache here (`STRETCHBOT_VECTOR_CACHE=0`): these",
            "few dozen questions repeat, real users' messages mostly don't.",
            "",
            "| users | bot | messages | errors | p50 ms | p95 ms | msg/s | p95 ratio | throughput ratio |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for users in LEVELS:
            ours, theirs = (
                f["stretchbot_concurrent"][str(users)],
                f["starter_concurrent"][str(users)],
            )
            p95_ratio = ours["p95"] / theirs["p95"]
            tput_ratio = ours["throughput"] / theirs["throughput"]
            lines += [
                f"| {users} | Stretchbot | {ours['n']} | {ours['errors']} | {ours['p50']:.0f} | {ours['p95']:.0f} | {ours['throughput']:.1f} | **{p95_ratio:.2f}** | **{tput_ratio:.2f}** |",
                f"| {users} | starter bot | {theirs['n']} | {theirs['errors']} | {theirs['p50']:.0f} | {theirs['p95']:.0f} | {theirs['throughput']:.1f} | | |",
            ]
        lines += ["", "Targets at 50 users: throughput ratio at least 1.0, p95 ratio at most 1.2."]
    if "faults" in f:
        fa = f["faults"]
        lines += [
            "",
            "## Action server faults",
            "",
            f"- Action server stopped: the apology arrived after {fa['actions_down_s']:.2f} s",
            f"- Action server hung (SIGSTOP): the apology arrived after {fa['actions_hung_s']:.2f} s (target: within 2 s)",
        ]
    return lines


def report(f: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {f['date']} ({f['cpus']} cores, Python {f['python']}). Every figure",
        "below comes from one run; `bench/last_run.json` has the raw numbers.",
        "",
        *speed_sections(f),
    ]
    lines += [
        "",
        "## Start-up and training",
        "",
        f"- Training (`rasa train --force`): {f['train_s']:.0f} s",
        f"- Start to first answer (both servers, with the starter bot running too): {f['start_to_first_answer_s']:.0f} s",
    ]
    if "starter_init_and_train_s" in f:
        lines += [
            f"- Starter bot: `rasa init --no-prompt` (creates and trains it) {f['starter_init_and_train_s']:.0f} s"
            f" ({f['train_s'] / f['starter_init_and_train_s']:.2f}x for Stretchbot's training); start to first"
            f" answer {f['starter_start_to_first_answer_s']:.0f} s"
            f" ({f['start_to_first_answer_s'] / f['starter_start_to_first_answer_s']:.2f}x)",
        ]
    lines += [
        "",
        "## NLU on the held-out set (tests/data/nlu_heldout.yml, never trained on)",
        "",
        "| pipeline | intent accuracy | training s |",
        "| --- | ---: | ---: |",
        f"| chosen: logistic regression + rules only | {f['nlu_accuracy']:.3f} | {f['train_s']:.0f} |",
    ]
    if "diet_nlu_accuracy" in f:
        lines.append(
            f"| DIET (100 epochs) | {f['diet_nlu_accuracy']:.3f} | {f['diet_train_s']:.0f} |"
        )
    if "ted_train_s" in f:
        lines.append(f"| logistic regression + rules + TED | (same NLU) | {f['ted_train_s']:.0f} |")
    if "diet_nlu_accuracy" not in f:
        lines += [
            "",
            "DIET and rules + TED were not re-run this time (`--skip-variants`); their last figures are",
            "in this file's history (the run of 2026-11-22: DIET 0.882 accuracy, 260 s training; TED",
            "p95 77.7 ms against the starter bot's 107.4 ms in its run).",
        ]
    lines += [
        "",
        "Accuracy counts the final intent, after the red-flag component overrides the classifier.",
        "",
        "## Red flags on the independently written sets",
        "",
        "Each set was written apart from the patterns and the training data; their misses were then",
        "used to improve the patterns, so these are regression figures. First-contact figures are in",
        "the README. A false alarm is a near-miss or everyday message that got the safety reply.",
        "",
        "| set | patterns alone | patterns + classifier | false alarms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, r in f["red_flags"].items():
        lines.append(
            f"| {name} | {r['patterns']}/{r['n']} | {r['with_classifier']}/{r['n']} | {r['false_alarms']}/{r['n_negatives']} |"
        )
    lines.append("")
    if "warning_cv" in f:
        lines.append(warning_examples.markdown(f["warning_cv"]))
    if "blind" in f:
        lines.append(chat_eval.markdown(f["blind"]))
    if "routine" in f:
        lines.append(routine_bench.markdown(f["routine"]))
    if "voice" in f:
        lines.append(voice_bench.markdown(f["voice"]))
    if "voice_blind" in f:
        lines.append(voice_blind.markdown(f["voice_blind"]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

"""`stretchbot` command: run (servers + terminal chat), serve, chat."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

from bot import settings
from runner.chat import interactive
from runner.servers import ServerError, Servers


def _progress(elapsed: float) -> None:
    if int(elapsed * 2) % 10 == 0:
        print(f"\r  starting... {elapsed:3.0f} s", end="", flush=True)


def _stop_on_signals() -> None:
    """SIGTERM (a supervisor, `kill`) and SIGHUP (the terminal closed) stop the servers like
    Ctrl-C does. Should this process die without a chance to, its servers die with it
    (runner/servers.py sets their parent-death signal)."""

    def interrupt(*_):
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)


def settings_ok() -> bool:
    """False (with what to fix) when a STRETCHBOT_* variable has a bad value."""
    for problem in settings.PROBLEMS:
        print(problem, file=sys.stderr)
    return not settings.PROBLEMS


def cmd_serve(args) -> int:
    if not settings_ok():
        return 2
    _stop_on_signals()
    servers = Servers()
    print("Starting Stretchbot (Rasa + action server); the first start takes about a minute.")
    try:
        servers.start()
        took = servers.wait_ready(progress=_progress)
    except ServerError as exc:
        servers.stop()
        print(f"\n{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        servers.stop()
        return 130
    print(f"\rStretchbot is ready after {took:.0f} s.")
    print(
        f'  REST:      POST {servers.url}/webhooks/rest/webhook  {{"sender": "me", "message": "hi"}}'
    )
    print(f"  socket.io: {servers.url}  (events user_uttered / bot_uttered)")
    print(f"  Web chat:  {servers.url}/webhooks/webchat/")
    print(f"  Actions:   {servers.actions_url}/webhook   Logs: {settings.LOG_DIR}")
    print("Press Ctrl-C to stop both servers.", flush=True)
    try:
        while True:
            dead = servers.dead()
            if dead:
                print(
                    f"The {dead} stopped unexpectedly; see the logs in {settings.LOG_DIR}.",
                    file=sys.stderr,
                )
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping Stretchbot...")
        return 0
    finally:
        servers.stop()


def cmd_run(args) -> int:
    if not settings_ok():
        return 2
    _stop_on_signals()
    servers = Servers()
    print("Starting Stretchbot; the first start takes about a minute.")
    try:
        servers.start()
        servers.wait_ready(progress=_progress)
        print("\r" + " " * 30 + "\r", end="")
        return interactive(servers.url)
    except ServerError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print()
        return 130
    finally:
        servers.stop()


def cmd_train(args) -> int:
    """Train the model into settings.MODEL_PATH (what `make train` does, for an installed package)."""
    if not settings_ok():
        return 2
    settings.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    root = settings.PROJECT_DIR
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        "--domain", str(root / "domain.yml"),
        "--data", str(root / "data"),
        "--out", str(settings.MODELS_DIR),
        "--fixed-model-name", settings.MODEL_PATH.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    print("Training the model (about half a minute)...", flush=True)
    return subprocess.call(command, cwd=settings.DATA_DIR)


def cmd_env(args) -> int:
    """The values endpoints.yml and credentials.yml read, as shell exports (for `rasa` by hand)."""
    import shlex

    for name, value in settings.rasa_environment().items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


def cmd_chat(args) -> int:
    return interactive(args.url)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="stretchbot", description="Stretchbot, a back-stretch coach."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start the servers and chat in this terminal").set_defaults(
        func=cmd_run
    )
    sub.add_parser(
        "serve", help="start Rasa (REST + socket.io) and the action server"
    ).set_defaults(func=cmd_serve)
    sub.add_parser("train", help="train the model (after `pip install .`)").set_defaults(
        func=cmd_train
    )
    sub.add_parser(
        "env", help="print the settings endpoints.yml and credentials.yml read, as exports"
    ).set_defaults(func=cmd_env)
    chat = sub.add_parser("chat", help="chat with an already running Stretchbot")
    chat.add_argument("--url", default=f"http://{settings.RASA_HOST}:{settings.RASA_PORT}")
    chat.set_defaults(func=cmd_chat)
    from voice.cli import register as register_voice

    register_voice(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""Starting and stopping the Rasa server and the action server together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import requests
import yaml

from bot import settings


class ServerError(RuntimeError):
    """A server could not be started; the message says why and what to do."""


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    rasa_port: int = settings.RASA_PORT
    actions_port: int = settings.ACTIONS_PORT
    model: Path = settings.MODEL_PATH
    enable_api: bool = False
    log_dir: Path = settings.LOG_DIR
    tracker_db: Path = settings.TRACKER_DB
    env: dict = field(default_factory=dict)
    _procs: List[subprocess.Popen] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"http://{settings.RASA_HOST}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{settings.RASA_HOST}:{self.actions_port}"

    def start(self) -> None:
        if not Path(self.model).exists():
            raise ServerError(
                f"No trained model at {self.model}. Run `make run` (it trains one) or `make train`."
            )
        for port, what in ((self.rasa_port, "Rasa"), (self.actions_port, "action server")):
            if port_in_use(port):
                raise ServerError(
                    f"Port {port} for the {what} is already in use. Is Stretchbot already running? "
                    "Stop it, or choose other ports with STRETCHBOT_RASA_PORT / STRETCHBOT_ACTIONS_PORT."
                )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.TemporaryDirectory(prefix="stretchbot-")
        endpoints = Path(self._tmp.name) / "endpoints.yml"
        config = yaml.safe_load(settings.ENDPOINTS_FILE.read_text())
        config["action_endpoint"]["url"] = f"{self.actions_url}/webhook"
        Path(self.tracker_db).parent.mkdir(parents=True, exist_ok=True)
        config["tracker_store"]["db"] = str(Path(self.tracker_db).resolve())
        endpoints.write_text(yaml.safe_dump(config))
        env = {**os.environ, "SANIC_HOST": "127.0.0.1", "TF_CPP_MIN_LOG_LEVEL": "3", **self.env}
        python = sys.executable
        self._spawn(
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            "actions.log",
            env,
        )
        command = [
            python, "-m", "rasa", "run",
            "--model", str(self.model),
            "--endpoints", str(endpoints),
            "--credentials", str(settings.CREDENTIALS_FILE),
            "--interface", "127.0.0.1",
            "--port", str(self.rasa_port),
            "--cors", "*",
        ]  # fmt: skip
        if self.enable_api:
            command.append("--enable-api")
        self._spawn(command, "rasa.log", env)

    def _spawn(self, command: List[str], log_name: str, env: dict) -> None:
        log = open(self.log_dir / log_name, "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            command,
            cwd=settings.PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        proc.log_file = log  # type: ignore[attr-defined]
        proc.log_path = self.log_dir / log_name  # type: ignore[attr-defined]
        self._procs.append(proc)

    def ready(self) -> bool:
        try:
            rasa = requests.get(f"{self.url}/", timeout=1)
            actions = requests.get(f"{self.actions_url}/health", timeout=1)
        except requests.RequestException:
            return False
        return rasa.ok and actions.ok

    def wait_ready(self, timeout: float = settings.STARTUP_TIMEOUT_S, progress=None) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            dead = self.dead()
            if dead:
                raise ServerError(
                    f"The {dead} stopped while starting; see {self._log_of(dead)} for the reason."
                )
            if self.ready():
                return time.monotonic() - started
            if progress:
                progress(time.monotonic() - started)
            time.sleep(0.5)
        raise ServerError(
            f"Stretchbot did not start within {timeout:.0f} s; see logs in {self.log_dir}."
        )

    def dead(self) -> str | None:
        for proc in self._procs:
            if proc.poll() is not None:
                return "action server" if "rasa_sdk" in proc.args else "Rasa server"
        return None

    def _log_of(self, name: str) -> Path:
        return self.log_dir / ("actions.log" if name == "action server" else "rasa.log")

    def stop(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self._procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            proc.log_file.close()
        self._procs.clear()
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Servers:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

"""Starting and stopping the Rasa server and the action server together."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import requests

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
    enable_api: bool = False  # on without api_token: a random one is made (never an open API)
    log_dir: Path = settings.LOG_DIR
    tracker_db: Path = settings.TRACKER_DB
    db_url: str = settings.DB_URL  # a shared tracker store (PostgreSQL) instead of tracker_db
    redis_url: str = settings.REDIS_URL  # a shared lock store
    api_token: str = settings.API_TOKEN  # turns Rasa's HTTP API on, guarded by this token
    env: dict = field(default_factory=dict)
    _procs: List[subprocess.Popen] = field(default_factory=list)

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
        # endpoints.yml and credentials.yml are used as they are; their ${...} come from here.
        filled = settings.rasa_environment(
            self.rasa_port, self.actions_port, self.tracker_db, self.db_url, self.redis_url
        )
        env = {
            **os.environ,
            **filled,
            "SANIC_HOST": settings.BIND_HOST,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            **self.env,
        }
        python = sys.executable
        self._spawn(
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            "actions.log",
            env,
        )
        command = [
            python, "-m", "rasa", "run",
            "--model", str(self.model),
            "--endpoints", str(settings.ENDPOINTS_FILE),
            "--credentials", str(settings.CREDENTIALS_FILE),
            "--interface", settings.BIND_HOST,
            "--port", str(self.rasa_port),
            "--cors", *env["STRETCHBOT_CORS_ORIGINS"].split(),
        ]  # fmt: skip
        command += self._api_options()
        self._spawn(command, "rasa.log", env)

    def _api_options(self) -> List[str]:
        """Rasa's HTTP API is on only behind a token or a JWT secret."""
        if self.enable_api and not self.api_token and not settings.JWT_SECRET:
            self.api_token = secrets.token_urlsafe(24)
        options = ["--enable-api"] if self.api_token or settings.JWT_SECRET else []
        if self.api_token:
            options += ["--auth-token", self.api_token]
        if settings.JWT_SECRET:
            options += ["--jwt-secret", settings.JWT_SECRET, "--jwt-method", "HS256"]
        return options

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

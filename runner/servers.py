"""Starting and stopping the Rasa server and the action server together."""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import List

import requests

from bot import settings


class ServerError(RuntimeError):
    """A server could not be started; the message says why and what to do."""


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something listens on the port, or it cannot be bound (as the server would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        if sock.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Sanic binds
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_ports(count: int) -> List[int]:
    """`count` distinct ports that were free a moment ago (all held open together while chosen,
    so they differ). Another process can still take one before it is used: Servers.start says so,
    and the tests' make_servers tries other ports then."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]


class PortInUse(ServerError):
    """A port the servers need is taken."""


# One BLAS/OpenMP thread per server process, unless the environment says otherwise. Each message's
# sentence vector (bot/embedding.py) is a handful of small matrix products; OpenBLAS spread them
# over every core and its threads spin while they wait, so on 2 cores shared by the Rasa server,
# the action server and anything else, encoding a sentence took 57 ms with the default threads and
# 23 ms with one (measured on the shared 2-core machine, 200 held-out questions one at a time).
# Concurrency comes from the servers' processes (SANIC_WORKERS), not from threads inside a product.
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    )
}
# How long the action server keeps a connection open before its request arrives (Sanic's
# KEEP_ALIVE_TIMEOUT, 5 s by default, also counts from the connection's start). Rasa opens a new
# connection for every action call, and under load its event loop can take longer than 5 s between
# connecting and writing the request: the action server had closed the connection by then, the call
# failed ("Cannot write to closing transport") and the user got the apology for a down action
# server (1 reply in 1000 at 50 concurrent users, tests/test_e2e_load.py). Rasa's own limit on an
# action call is the bound here (settings.ACTION_CALL_LIMIT_S); a hung action server is still
# noticed within settings.ACTION_TIMEOUT_S by its health check (channels/action_watch.py).
ACTIONS_IDLE_TIMEOUT_S = int(settings.ACTION_CALL_LIMIT_S)
# Each start of the servers writes logs of its own (logs/rasa-<time>-<port>.log; rasa.log and
# actions.log link to the newest), so a server that died while starting still has its reason on
# disk when other servers (tests, a restart) started after it. The newest KEEP_LOGS of each are kept.
KEEP_LOGS = 40


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGKILL when the process that started it dies, however it dies
    (SIGKILL included), so a server is never left behind holding its port."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: stop() still ends the children on every normal exit path
    if os.getppid() == 1:  # the parent already died before prctl: don't outlive it
        os._exit(1)


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
    _env: dict = field(default_factory=dict)
    _logs: dict = field(default_factory=dict)  # "rasa" / "actions" -> this start's log file

    @property
    def url(self) -> str:
        return f"http://{settings.RASA_HOST}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{settings.RASA_HOST}:{self.actions_port}"

    def start(self) -> None:
        if not Path(self.model).exists():
            raise ServerError(
                f"No trained model at {self.model}. Run `make run` (it trains one) or `make train` "
                "(`stretchbot train` for an installed package)."
            )
        for port, what in ((self.rasa_port, "Rasa"), (self.actions_port, "action server")):
            if port_in_use(port):
                raise PortInUse(
                    f"Port {port} for the {what} is already in use. Is Stretchbot already running? "
                    "Stop it, or choose other ports with STRETCHBOT_RASA_PORT / STRETCHBOT_ACTIONS_PORT."
                )
        self._new_logs()
        # endpoints.yml and credentials.yml are used as they are; their ${...} come from here.
        filled = settings.rasa_environment(
            self.rasa_port, self.actions_port, self.tracker_db, self.db_url, self.redis_url
        )
        env = {
            **ONE_THREAD,
            **os.environ,
            **filled,
            "SANIC_HOST": settings.BIND_HOST,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            **self.env,
        }
        python = sys.executable
        self._env = env
        self.start_actions()
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
        self._spawn(command, "rasa", env)

    def start_actions(self) -> None:
        """Start the action server (again, after stop_actions: appended to the same log)."""
        command = [sys.executable, "-m", "rasa_sdk", "--actions", "actions"]
        env = {"SANIC_KEEP_ALIVE_TIMEOUT": str(ACTIONS_IDLE_TIMEOUT_S), **self._env}
        self._spawn([*command, "--port", str(self.actions_port)], "actions", env)

    def log_of(self, kind: str) -> Path:
        """This start's log of the "rasa" or "actions" server."""
        return self._logs[kind]

    def _new_logs(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for kind in ("rasa", "actions"):
            path = self.log_dir / f"{kind}-{stamp}-{self.rasa_port}.log"
            path.touch()
            self._logs[kind] = path
            link = self.log_dir / f"{kind}.log"
            temporary = self.log_dir / f".{kind}.log.{os.getpid()}"
            try:
                temporary.unlink(missing_ok=True)
                temporary.symlink_to(path.name)
                temporary.replace(link)  # atomic: the link always names a whole log
            except OSError:
                pass  # no symlinks here (some file systems): the timestamped logs are enough
            old = sorted(self.log_dir.glob(f"{kind}-*.log"), key=_mtime, reverse=True)
            for stale in old[KEEP_LOGS:]:
                stale.unlink(missing_ok=True)

    def stop_actions(self) -> None:
        """Stop only the action server (to see how Rasa copes without it)."""
        for proc in [p for p in self._procs if "rasa_sdk" in p.args]:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
            proc.log_file.close()
            self._procs.remove(proc)

    def actions_pid(self) -> int:
        return next(p.pid for p in self._procs if "rasa_sdk" in p.args)

    def _api_options(self) -> List[str]:
        """Rasa's HTTP API is on only behind a token or a JWT secret."""
        if self.enable_api and not self.api_token and not settings.JWT_SECRET:
            self.api_token = secrets.token_urlsafe(24)
        options = ["--enable-api"] if self.api_token or settings.JWT_SECRET else []
        # `--option=value`: a value starting with "-" (1 random token in 64) is not an option then;
        # as a separate argument Rasa's argparse refused it and the server died while starting.
        if self.api_token:
            options.append(f"--auth-token={self.api_token}")
        if settings.JWT_SECRET:
            options += [f"--jwt-secret={settings.JWT_SECRET}", "--jwt-method=HS256"]
        return options

    def _spawn(self, command: List[str], kind: str, env: dict) -> None:
        log = open(self._logs[kind], "a")  # noqa: SIM115 - closed with the process
        shown = " ".join(_hide_secrets(command))
        log.write(f"=== {datetime.now().isoformat(' ', 'seconds')} started: {shown}\n")
        log.flush()
        proc = subprocess.Popen(
            command,
            cwd=settings.PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # Ctrl-C in the terminal reaches only us; we stop them in order
            preexec_fn=_die_with_parent,
        )
        proc.log_file = log  # type: ignore[attr-defined]
        proc.log_path = self._logs[kind]  # type: ignore[attr-defined]
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
                log = self._log_of(dead)
                if "address already in use" in _tail(log).lower():
                    port = self.actions_port if dead == "action server" else self.rasa_port
                    raise PortInUse(
                        f"Port {port} for the {dead} was taken while starting. Is Stretchbot "
                        "already running? Stop it, or choose other ports with "
                        "STRETCHBOT_RASA_PORT / STRETCHBOT_ACTIONS_PORT."
                    )
                raise ServerError(
                    f"The {dead} stopped while starting; see {log} for the reason. Its last "
                    f"lines:\n{_last_lines(log)}"
                )
            if self.ready():
                return time.monotonic() - started
            if progress:
                progress(time.monotonic() - started)
            time.sleep(0.5)
        raise ServerError(
            f"Stretchbot did not start within {timeout:.0f} s; see {self.log_of('rasa')} and "
            f"{self.log_of('actions')}."
        )

    def dead(self) -> str | None:
        for proc in self._procs:
            if proc.poll() is not None:
                return "action server" if "rasa_sdk" in proc.args else "Rasa server"
        return None

    def _log_of(self, name: str) -> Path:
        return self.log_of("actions" if name == "action server" else "rasa")

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM to each server's process group, SIGKILL to what is left after `grace` s. Safe
        to call again (e.g. from a second signal) and on servers that never started."""
        for proc in self._procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self._procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
            _signal_group(proc, signal.SIGKILL)  # anything the server itself started
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


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _hide_secrets(command: List[str]) -> List[str]:
    """The command as the log shows it: no API token or JWT secret."""
    secret = ("--auth-token=", "--jwt-secret=")
    return [f"{arg.split('=', 1)[0]}=***" if arg.startswith(secret) else arg for arg in command]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _last_lines(path: Path, count: int = 15) -> str:
    return "\n".join(_tail(path).splitlines()[-count:])


def _tail(path: Path, size: int = 4000) -> str:
    try:
        with open(path, "rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - size))
            return log.read().decode(errors="replace")
    except OSError:
        return ""

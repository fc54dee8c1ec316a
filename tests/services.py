"""Real PostgreSQL and Redis for the tests, started as subprocesses in temporary folders on free
ports (the Debian packages `postgresql` and `redis-server`, which `make test` installs). PostgreSQL
refuses to run as root, so as root it runs as the `postgres` user the package creates."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import pytest

from runner.servers import free_port, port_in_use


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres_user(command: List[str]) -> List[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--", *command]


def _wait_for_port(port: int, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not port_in_use(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start on port {port}")
        time.sleep(0.2)


@contextmanager
def postgres() -> Iterator[str]:
    """A PostgreSQL server of its own, in a new temporary folder; yields its SQLAlchemy URL."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (make test installs the Debian package)")
    # Not under pytest's tmp_path: the postgres user could not reach into root's folder there.
    folder = Path(tempfile.mkdtemp(prefix="stretchbot-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "stretchbot", "-A", "trust"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"]
    subprocess.run(
        _as_postgres_user([*ctl, "-o", options, "start"]), check=True, capture_output=True
    )
    try:
        _wait_for_port(port, "PostgreSQL")
        yield f"postgresql://stretchbot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([*ctl, "-m", "fast", "stop"]), check=False, capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis(folder: Path) -> Iterator[str]:
    """A Redis server of its own (nothing saved to disk); yields its redis:// URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("Redis is not installed (make test installs the Debian package)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--dir",
        str(folder),
    ]
    with open(folder / "redis.log", "w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, "Redis")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

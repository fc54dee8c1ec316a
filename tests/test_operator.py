"""Operator traps: bad STRETCHBOT_* values, the documented variables, `pip install .`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot import settings

ROOT = Path(__file__).resolve().parent.parent


def run_python(
    code: str, env: dict, cwd=ROOT, python=sys.executable
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_bad_value_never_stops_an_import_and_serve_says_what_to_fix():
    env = {**os.environ, "STRETCHBOT_TIME_SCALE": "fast", "STRETCHBOT_RASA_PORT": "99999"}
    imported = run_python(
        "from bot import settings; print(settings.TIME_SCALE, settings.RASA_PORT)", env
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ["1.0", "5005"]  # the defaults, inside the servers too
    serve = subprocess.run(
        [sys.executable, "-m", "runner.cli", "serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert serve.returncode == 2
    assert "STRETCHBOT_TIME_SCALE must be a number above 0 (it is 'fast')" in serve.stderr
    assert "STRETCHBOT_RASA_PORT must be a whole number from 1 to 65535" in serve.stderr


def test_every_stretchbot_variable_is_in_the_readme_table():
    used = set()
    for folder in ("bot", "runner", "channels", "voice", "actions", "components"):
        for path in (ROOT / folder).glob("*.py"):
            used |= set(re.findall(r"STRETCHBOT_[A-Z0-9_]+[A-Z0-9]", path.read_text()))
    rows = {
        m
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("| `STRETCHBOT_")
        for m in re.findall(r"`(STRETCHBOT_[A-Z0-9_]+)`", line.split("|")[1])
    }
    assert used and used <= rows, sorted(used - rows)


def test_pip_install_gives_a_package_that_finds_its_data(tmp_path):
    # pip runs without PYTHONPATH: with the checkout on it (as when running from a git worktree),
    # pip would find the stretchbot.egg-info that building the wheel leaves in the checkout, take
    # the package as already installed, and install nothing.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRETCHBOT_", "PYTHON"))}
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300, env=env,
    )  # fmt: skip
    prefix = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(prefix)], check=True, timeout=120)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--prefix", str(prefix),
         str(next(wheels.glob("*.whl")))],
        check=True, capture_output=True, timeout=300, env=env,
    )  # fmt: skip
    site = prefix / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    # The dependencies come from this environment (not its editable Stretchbot): a .pth line.
    ours = Path(settings.__file__).resolve().parents[1]
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).resolve() != ours]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    code = (
        "from bot import settings; from bot.catalogue import default_catalogue;"
        "print(settings.PROJECT_DIR); print(len(default_catalogue().stretches));"
        "print(settings.ENDPOINTS_FILE.is_file(), settings.CREDENTIALS_FILE.is_file())"
    )
    result = run_python(code, env, cwd=tmp_path, python=str(prefix / "bin" / "python"))
    assert result.returncode == 0, result.stderr[-2000:]
    project, stretches, files = result.stdout.strip().splitlines()
    assert Path(project) == prefix / "share" / "stretchbot"
    assert int(stretches) > 10
    assert files == "True True"

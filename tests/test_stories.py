"""`rasa test core` on the test stories: NLU and policies pick the expected intents and actions."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from bot import settings

pytestmark = pytest.mark.server


def test_stories_pass(tmp_path):
    out = tmp_path / "results"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "core",
            "--model",
            str(settings.MODEL_PATH),
            "--stories",
            str(settings.PROJECT_DIR / "tests" / "stories"),
            "--out",
            str(out),
            "--fail-on-prediction-errors",
        ],  # fmt: skip
        cwd=settings.PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = out / "failed_test_stories.yml"
    failures = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout[-3000:], failures)
    report = yaml.safe_load((out / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0

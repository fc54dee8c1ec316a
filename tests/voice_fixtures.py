"""Shared pieces of the voice tests: skip reasons and the session's spoken fixtures."""

from __future__ import annotations

import shutil

import pytest

from bench.speech_fixtures import tools_missing

MISSING = tools_missing()
needs_speech_tools = pytest.mark.skipif(
    bool(MISSING), reason=f"voice fixtures need {', '.join(MISSING)} (make sysdeps installs them)"
)


def pulseaudio_missing() -> str | None:
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make sysdeps installs pulseaudio)"
    return None

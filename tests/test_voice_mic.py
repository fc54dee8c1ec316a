"""The real microphone path: PulseAudio null sink -> its monitor as the default source -> the
sounddevice mic source ("pulse" device) -> endpointer -> recognizer. A fixture is played into the
sink with paplay, so the recognizer hears it exactly as it would hear a person."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time

import pytest

from bench.speech_fixtures import Take, synthesize_all
from tests.voice_fixtures import needs_speech_tools, pulseaudio_missing

pytestmark = [
    needs_speech_tools,
    pytest.mark.skipif(bool(pulseaudio_missing()), reason=str(pulseaudio_missing())),
]


def pactl(*args) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10).stdout


@pytest.fixture(scope="module")
def virtual_mic():
    started = None
    if subprocess.run(["pulseaudio", "--check"], capture_output=True).returncode != 0:
        # As root (CI, containers) pulseaudio warns but runs as a per-user daemon.
        subprocess.run(
            ["pulseaudio", "-D", "--exit-idle-time=-1", "--system=false", "--disallow-exit=no"],
            capture_output=True,
            timeout=20,
        )
        started = True
        for _ in range(50):
            if subprocess.run(["pulseaudio", "--check"]).returncode == 0:
                break
            time.sleep(0.1)
        else:
            pytest.skip("could not start a PulseAudio daemon here")
    _rescan_devices()
    previous = pactl("get-default-source").strip()
    module = pactl("load-module", "module-null-sink", "sink_name=stretchbot_test_mic").strip()
    pactl("set-default-source", "stretchbot_test_mic.monitor")
    yield "stretchbot_test_mic"
    if previous:
        pactl("set-default-source", previous)
    if module:
        pactl("unload-module", module)
    if started:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True, timeout=20)


def _rescan_devices() -> None:
    """PortAudio lists devices once, when it starts: if an earlier test loaded sounddevice before
    the PulseAudio daemon ran, its "pulse" device is missing until PortAudio is restarted."""
    import sounddevice as sd

    sd._terminate()
    sd._initialize()


def test_microphone_hears_a_command_played_into_the_virtual_device(virtual_mic, tmp_path):
    from voice.audio import MicSource
    from voice.recognizer import Listener
    from voice.sphinx import SphinxEngine

    (fixture,) = synthesize_all([("hold on a moment", Take("en-us", 160))], tmp_path)
    engine = SphinxEngine()
    mic = MicSource("pulse")
    listener = Listener(mic, engine)

    def play():
        time.sleep(0.4)
        subprocess.run(["paplay", "--device", virtual_mic, str(fixture.path)], timeout=20)

    player = threading.Thread(target=play)
    player.start()
    heard = []
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(h.command for h in heard):
            item = listener.listen(timeout=0.5)
            if item is not None and item.text:
                heard.append(item)
    finally:
        player.join()
        mic.close()
    assert [h.command for h in heard if h.command] == ["pause"], heard
    assert mic.overflows == 0


def test_muted_microphone_hears_nothing(virtual_mic, tmp_path):
    from voice.audio import MicSource

    (fixture,) = synthesize_all([("stop", Take("en-us", 160))], tmp_path)
    mic = MicSource("pulse")
    mic.mute()
    subprocess.run(["paplay", "--device", virtual_mic, str(fixture.path)], timeout=20)
    mic.unmute()
    try:
        assert mic.read(timeout=0.05) is None or mic._queue.qsize() < 5  # only fresh blocks
    finally:
        mic.close()


class _Alive(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_live_voice_session_through_the_virtual_device(virtual_mic, tmp_path):
    """`stretchbot voice` for real: it speaks its greeting into the null sink (whose monitor is its
    own microphone: the mute keeps it from hearing itself), then obeys a spoken "stop"."""
    (fixture,) = synthesize_all([("stop", Take("en-us", 160))], tmp_path)
    bot = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Alive)
    threading.Thread(target=bot.serve_forever, daemon=True).start()
    env = {**os.environ, "PULSE_SINK": virtual_mic}
    proc = subprocess.Popen(
        [sys.executable, "-m", "runner.cli", "voice", "--device", "pulse", "--url",
         f"http://127.0.0.1:{bot.server_address[1]}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(2.0)  # said while Stretchbot speaks, it is not heard: say it again
            subprocess.run(["paplay", "--device", virtual_mic, str(fixture.path)], timeout=20)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        bot.shutdown()
    assert proc.returncode == 0, err
    heard = [line for line in out.splitlines() if line.startswith("You:")]
    assert heard and all("[stop]" in line or "stretch" not in line for line in heard), out
    assert "You: stop  [stop]" in out and "Goodbye" in out.splitlines()[-1]

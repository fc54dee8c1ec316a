"""Speech out, offline: espeak-ng renders a WAV, which is played to the end before `say` returns,
so the caller knows exactly when the speaker is quiet again (the mic stays muted until then).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from voice.audio import AudioError


class EspeakSpeaker:
    """espeak-ng -> WAV in memory -> sounddevice (blocking), or paplay when PortAudio fails."""

    def __init__(self, voice: str = "en-us", speed: int = 165, device=None):
        if shutil.which("espeak-ng") is None:
            raise AudioError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
        self.voice, self.speed, self.device = voice, speed, device

    def render(self, text: str) -> tuple[np.ndarray, int]:
        result = subprocess.run(
            ["espeak-ng", "-v", self.voice, "-s", str(self.speed), "--stdout", text],
            capture_output=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise AudioError(f"espeak-ng failed: {result.stderr.decode(errors='replace').strip()}")
        with wave.open(io.BytesIO(result.stdout)) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return samples, rate

    def say(self, text: str) -> float:
        """Speak `text`; return when playback has ended. Returns its length in seconds."""
        samples, rate = self.render(text)
        try:
            import sounddevice as sd

            sd.play(samples, rate, device=self.device, blocking=True)
        except Exception:  # no PortAudio output: let PulseAudio play it
            self._paplay(samples, rate)
        return len(samples) / rate

    @staticmethod
    def _paplay(samples: np.ndarray, rate: int) -> None:
        if shutil.which("paplay") is None:
            raise AudioError("no audio output (neither PortAudio nor paplay works)")
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(samples.tobytes())
        subprocess.run(["paplay"], input=buffer.getvalue(), check=False, timeout=120)


class PrintSpeaker:
    """Writes what would be said (used with --quiet, and by the tests)."""

    def __init__(self, out=print):
        self.out = out

    def say(self, text: str) -> float:
        self.out(f"Stretchbot: {text}")
        return 0.0

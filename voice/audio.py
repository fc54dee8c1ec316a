"""Audio in: the microphone (sounddevice) or WAV files, as 16 kHz mono int16 blocks.

A source has `read(timeout) -> np.ndarray | None` (None: nothing yet; `EOFError` at the end of a
file), `mute()` / `unmute()` (the mic is gated while Stretchbot speaks: what it hears meanwhile is
dropped) and `close()`. The time of a block is counted in samples, so a WAV file gives the same
results however fast it is read.
"""

from __future__ import annotations

import queue
from math import gcd
from pathlib import Path

import numpy as np

RATE = 16000
BLOCK_S = 0.03  # 30 ms blocks


class AudioError(RuntimeError):
    """Audio input is impossible; the message says why in one line."""


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """int16 mono at `rate` -> int16 mono at 16 kHz."""
    if rate == RATE or not len(samples):
        return samples.astype("<i2")
    from scipy.signal import resample_poly

    g = gcd(RATE, rate)
    out = resample_poly(samples.astype(np.float64), RATE // g, rate // g)
    return np.clip(np.round(out), -32768, 32767).astype("<i2")


def read_wav(path: Path) -> np.ndarray:
    """A WAV file as 16 kHz mono int16 samples: any integer width (8 to 32 bits) or float samples,
    any rate, channels mixed down (a phone's or an editor's recording works as it is); AudioError
    in one line for anything that is no readable WAV file."""
    import warnings

    from scipy.io import wavfile

    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        with warnings.catch_warnings():  # chunks it skips (cue points, metadata) are no error
            warnings.simplefilter("ignore", wavfile.WavFileWarning)
            rate, data = wavfile.read(str(path))
    except (ValueError, EOFError, OSError, MemoryError) as exc:
        raise AudioError(f"{path}: not a readable WAV file ({exc})") from None
    if rate <= 0:
        raise AudioError(f"{path}: not a readable WAV file (sample rate {rate})")
    return resample(_int16(_mono(data)), rate)


def _mono(data: np.ndarray) -> np.ndarray:
    if data.ndim == 1:
        return data
    if data.dtype.kind == "f":
        return data.mean(axis=1)
    return np.round(data.astype(np.float64).mean(axis=1)).astype(data.dtype)


def _int16(data: np.ndarray) -> np.ndarray:
    """Samples of any WAV sample type as int16 (scipy gives integer widths left-justified)."""
    if data.dtype == np.int16:
        return data
    if data.dtype.kind == "f":
        return np.clip(np.round(data.astype(np.float64) * 32767), -32768, 32767).astype("<i2")
    if data.dtype == np.uint8:
        return ((data.astype(np.int16) - 128) * 256).astype("<i2")
    bits = 8 * data.dtype.itemsize
    return (data.astype(np.int64) >> (bits - 16)).astype("<i2")


class WavSource:
    """One file's samples in blocks, then `tail_s` of silence so the last utterance is closed."""

    def __init__(self, path: Path, tail_s: float = 0.6):
        self.path = Path(path)
        samples = read_wav(self.path)
        self.samples = np.concatenate([samples, np.zeros(int(tail_s * RATE), dtype="<i2")])
        self.position = 0  # samples handed out so far
        self.muted = False

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        if self.position >= len(self.samples):
            raise EOFError
        step = int(BLOCK_S * RATE)
        block = self.samples[self.position : self.position + step]
        self.position += len(block)
        return np.zeros_like(block) if self.muted else block

    def mute(self) -> None:
        self.muted = True

    def unmute(self) -> None:
        self.muted = False

    def close(self) -> None:
        pass


MIC_LOST = (
    "the microphone stopped sending audio (unplugged, or an audio device error). Plug it back in "
    "and run `make voice` again, or chat by typing with `make run`."
)


class MicSource:
    """The default (or named) input device: int16 mono at its own rate, callback -> queue."""

    def __init__(self, device: str | int | None = None):
        try:
            import sounddevice as sd
        except OSError as exc:  # PortAudio library missing
            raise AudioError(
                f"no audio support: {exc} (install libportaudio2: make sysdeps)"
            ) from None
        self._queue: queue.Queue = queue.Queue()
        self.muted = False
        self.overflows = 0
        try:
            info = sd.query_devices(device, "input")
            self.rate = int(info["default_samplerate"])
            self._stream = sd.RawInputStream(
                samplerate=self.rate,
                blocksize=int(self.rate * BLOCK_S),
                device=device,
                channels=1,
                dtype="int16",
                callback=self._callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioError(f"no microphone found (PortAudio: {exc})") from None
        self.name = info["name"]

    def _callback(self, data, frames, time_info, status) -> None:
        if status and status.input_overflow:
            self.overflows += 1
        if not self.muted:
            self._queue.put(bytes(data))

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        try:
            data = self._queue.get(timeout=timeout)
        except queue.Empty:
            if not self._stream_alive():
                raise AudioError(MIC_LOST) from None
            return None
        return resample(np.frombuffer(data, dtype="<i2"), self.rate)

    def _stream_alive(self) -> bool:
        """False once PortAudio has stopped the stream (the device unplugged, an audio error)."""
        try:
            return bool(self._stream.active) and not self._stream.closed
        except Exception:  # PortAudio may raise on a device that is gone
            return False

    def mute(self) -> None:
        self.muted = True

    def unmute(self) -> None:
        """Listen again; what was queued before the mute went on is dropped too."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self.muted = False

    def close(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:  # the device is already gone: nothing left to close
            pass

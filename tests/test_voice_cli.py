"""Bad input to `stretchbot voice` gives one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import wave

import numpy as np
import pytest

from voice.audio import AudioError, WavSource, read_wav, resample


def run(*args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "runner.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def write(path, channels=1, width=2, rate=16000, seconds=0.5):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(b"\0" * int(rate * seconds) * channels * width)
    return path


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda d: d / "missing.wav", "no such file"),
        (lambda d: (d / "empty.wav").write_bytes(b"") is not None and d / "empty.wav", "not a"),
        (lambda d: (d / "text.wav").write_text("not audio") and d / "text.wav", "not a readable"),
    ],
)
def test_bad_wav_is_one_clear_line(tmp_path, make, words):
    path = make(tmp_path)
    result = run("voice", "--wav", str(path))
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_other_rates_are_resampled(tmp_path):
    path = write(tmp_path / "44k.wav", rate=44100, seconds=1.0)
    assert len(read_wav(path)) == 16000
    tone = (np.sin(np.arange(4410) / 10) * 1000).astype("<i2")
    assert abs(len(resample(tone, 44100)) - 1600) <= 1


def _tone(seconds=0.5, rate=16000):
    return np.sin(2 * np.pi * 440 * np.arange(int(rate * seconds)) / rate) * 0.5


@pytest.mark.parametrize(
    "dtype, scale",
    [("int16", 32767), ("uint8", None), ("int32", 2**31 - 1), ("float32", 1.0)],
)
@pytest.mark.parametrize("channels", [1, 2])
def test_any_sample_type_and_stereo_are_read_as_16_bit_mono(tmp_path, dtype, scale, channels):
    # Until 2026-12-07 anything but 16-bit mono was refused (a phone's or an editor's recording).
    from scipy.io import wavfile

    tone = _tone()
    if dtype == "uint8":
        data = np.round(tone * 127 + 128).astype(np.uint8)
    else:
        data = (tone * scale).astype(dtype)
    if channels == 2:  # the same sound on both channels: the mix is that sound
        data = np.stack([data, data], axis=1)
    wavfile.write(tmp_path / "a.wav", 16000, data)
    samples = read_wav(tmp_path / "a.wav")
    assert samples.dtype == np.int16 and samples.ndim == 1 and len(samples) == 8000
    expected = np.round(tone * 32767)
    assert np.abs(samples.astype(float) - expected).max() <= (300 if dtype == "uint8" else 2)


def test_stereo_is_mixed_down(tmp_path):
    from scipy.io import wavfile

    left = (_tone() * 20000).astype(np.int16)
    wavfile.write(tmp_path / "a.wav", 16000, np.stack([left, np.zeros_like(left)], axis=1))
    samples = read_wav(tmp_path / "a.wav")
    assert np.abs(samples.astype(int) - np.round(left / 2)).max() <= 1


def test_wav_source_ends_with_silence_then_eof(tmp_path):
    source = WavSource(write(tmp_path / "a.wav", seconds=0.1), tail_s=0.1)
    blocks = []
    with pytest.raises(EOFError):
        while True:
            blocks.append(source.read())
    assert sum(len(b) for b in blocks) == 3200


def test_wav_source_error_type(tmp_path):
    with pytest.raises(AudioError):
        WavSource(tmp_path / "nope.wav")


def test_no_microphone_is_a_clear_error():
    from voice.audio import MicSource

    with pytest.raises(AudioError, match="no microphone|no audio support"):
        MicSource(device="no such device 12345")


def test_voice_model_bad_url_is_clear(tmp_path):
    result = run("voice-model", "--url", "http://127.0.0.1:9/x.zip", "--dir", str(tmp_path / "m"))
    assert result.returncode == 1
    assert "could not download" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "m").exists() and list(tmp_path.iterdir()) == []

"""What PocketSphinx is given: the utterance with its background noise suppressed (WebRTC's noise
suppressor, settled on the utterance before it is run, so speech from the very first sample keeps
its start), and a language model that knows the command phrasings the understanding step learns
from as plain words (so "pass on this stretch" can be heard as itself)."""

from __future__ import annotations

import numpy as np
import pytest

RATE = 16000


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x.astype(np.float64)))))


def _noisy_tone(start_s: float, tone_s: float = 0.6, total_s: float = 1.5) -> tuple:
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, 300.0, int(total_s * RATE))
    t = np.arange(int(tone_s * RATE)) / RATE
    # a voiced-like sound: 150 Hz and its harmonics
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 8)) * 3000
    start = int(start_s * RATE)
    audio = noise.copy()
    audio[start : start + len(tone)] += tone
    return np.clip(audio, -32768, 32767).astype(np.int16), start, start + len(tone)


def test_stationary_noise_is_suppressed_and_the_voice_kept():
    pytest.importorskip("webrtc_noise_gain")
    from voice.sphinx import suppress_noise

    audio, start, end = _noisy_tone(0.5)
    out = suppress_noise(audio)
    assert out.shape == audio.shape
    noise_in, noise_out = _rms(audio[: start - 800]), _rms(out[: start - 800])
    voice_in, voice_out = _rms(audio[start:end]), _rms(out[start:end])
    assert noise_out < noise_in / 3  # at least ~10 dB less noise
    assert voice_out / noise_out > 3 * voice_in / noise_in  # the voice stands out more


def test_speech_from_the_first_sample_keeps_its_start():
    pytest.importorskip("webrtc_noise_gain")
    from voice.sphinx import suppress_noise

    audio, start, _ = _noisy_tone(0.0)
    out = suppress_noise(audio)
    first = slice(0, int(0.1 * RATE))
    assert _rms(out[first]) > 0.5 * _rms(audio[first])


def test_the_language_model_has_the_command_examples_as_words():
    from bot.catalogue import default_catalogue
    from voice import language

    sentences = set(language.other_sentences())
    commands = default_catalogue().commands
    examples = [" ".join(language.words_of(p)) for ps in commands.examples.values() for p in ps]
    assert examples and all(e in sentences for e in examples)
    assert all(" ".join(language.words_of(p)) in sentences for p in commands.not_commands)

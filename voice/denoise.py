"""Stationary background noise taken out before recognition (power spectral subtraction).

The noise spectrum is measured on the audio just before the speech (the segmenter keeps it), then
subtracted with some over-subtraction and a spectral floor, which keeps the "musical" residue low.
Clean audio passes unchanged: where the noise is digital silence, the gain is 1 everywhere.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import istft, stft

RATE = 16000
NPERSEG, NOVERLAP = 512, 384
OVER = 2.0  # over-subtraction factor
FLOOR = 0.3  # the gain never goes below this (tried 0.1-0.3 and 1x-3x: see README)
QUIET_SHARE = 0.2  # the noise is also measured on the quietest fifth of the utterance's frames
SPEECH_IN_LEAD = 4.0  # a lead 6 dB louder than those is speech, not background


def denoise(samples: np.ndarray, noise_s: float) -> np.ndarray:
    """`samples` (float) whose first `noise_s` seconds should be background only. When speech
    starts at once (the first word cut off by the start of listening, or a file that starts with
    speech), those seconds are speech: the noise is then the quietest frames' spectrum, whichever
    is lower, so the voice itself is never subtracted."""
    lead = int(noise_s * RATE)
    if lead < NPERSEG or len(samples) <= lead + NPERSEG:
        return samples
    _, _, spectrum = stft(samples, RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    power = np.abs(spectrum) ** 2
    _, _, noise = stft(samples[:lead], RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    noise_power = np.mean(np.abs(noise) ** 2, axis=1, keepdims=True)
    energy = power.sum(axis=0)
    quiet = energy <= np.quantile(energy, QUIET_SHARE)
    if quiet.any() and SPEECH_IN_LEAD * energy[quiet].mean() < noise_power.sum():
        noise_power = power[:, quiet].mean(axis=1, keepdims=True)
    if not np.any(noise_power > 1e-3):
        return samples
    gain = np.sqrt(np.maximum(1.0 - OVER * noise_power / np.maximum(power, 1e-12), FLOOR**2))
    _, cleaned = istft(spectrum * gain, RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    return cleaned[: len(samples)]

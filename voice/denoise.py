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


def denoise(samples: np.ndarray, noise_s: float) -> np.ndarray:
    """`samples` (float) whose first `noise_s` seconds are background only."""
    lead = int(noise_s * RATE)
    if lead < NPERSEG or len(samples) <= lead + NPERSEG:
        return samples
    _, _, noise = stft(samples[:lead], RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    noise_power = np.mean(np.abs(noise) ** 2, axis=1, keepdims=True)
    if not np.any(noise_power > 1e-3):
        return samples
    _, _, spectrum = stft(samples, RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    power = np.abs(spectrum) ** 2
    gain = np.sqrt(np.maximum(1.0 - OVER * noise_power / np.maximum(power, 1e-12), FLOOR**2))
    _, cleaned = istft(spectrum * gain, RATE, nperseg=NPERSEG, noverlap=NOVERLAP)
    return cleaned[: len(samples)]

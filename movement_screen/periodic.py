"""The period of a signal that repeats: running legs, one stride at a time.

Arrays: time is axis 0; signals (T,) with NaN where unknown, times (T,) seconds.
"""

from __future__ import annotations

import numpy as np

from movement_screen.core import sampling_rate

STRIDE_S = (0.3, 2.5)  # the stride durations looked for, seconds: a sprint to a slow walk


def correlation(signal: np.ndarray, lag: int) -> float:
    """Pearson correlation of a (T,) signal with itself `lag` samples later, over the
    pairs where both are known (NaN with fewer than three such pairs)."""
    a, b = signal[:-lag], signal[lag:]
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < 3:
        return float("nan")
    a, b = a[both] - a[both].mean(), b[both] - b[both].mean()
    scale = np.sqrt(np.sum(a * a) * np.sum(b * b))
    return float(np.sum(a * b) / scale) if scale > 0 else float("nan")


def alternation_lag(signal: np.ndarray, time: np.ndarray, *, least: float) -> int | None:
    """Samples in one period of a (T,) signal that swings one way and back, such as how
    far the left leg is ahead of the right: the shortest lag within STRIDE_S (and at most
    half the clip, so that two periods are seen) where the signal's correlation with
    itself peaks at `least` or more, while at half that lag it is -`least` or below (the
    signal swings to the other side between). None where it does not repeat so."""
    rate = sampling_rate(time)
    shortest = max(2, round(STRIDE_S[0] * rate))
    longest = min(round(STRIDE_S[1] * rate), len(signal) // 2)
    r = np.array([correlation(signal, k) for k in range(shortest - 1, longest + 2)])
    with np.errstate(invalid="ignore"):
        peaks = (r[1:-1] >= least) & (r[1:-1] >= r[:-2]) & (r[1:-1] >= r[2:])
    if not peaks.any():
        return None
    lag = shortest + int(np.flatnonzero(peaks)[0])
    return lag if correlation(signal, lag // 2) <= -least else None

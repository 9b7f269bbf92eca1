"""What finding strides and reps takes: peaks, cycles, hip depth (each movement's finder is
in `movement_screen.movements`).

Signals are (T,) arrays on the clip's frames (time axis 0); NaN where unknown.
Nothing here assumes the athlete travels across the frame: running in place
works the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from movement_screen.core import Angles, Pose, sampling_rate
from movement_screen.kinematics import mean_leg_length


@dataclass(frozen=True)
class CycleOptions:
    """Peak-finding settings for one signal."""

    prominence: float  # in the signal's unit
    min_gap_s: float  # between two key moments of the same kind


def _fillable(signal: np.ndarray) -> np.ndarray:
    """The signal with NaN gaps bridged linearly (for peak finding only)."""
    ok = np.isfinite(signal)
    if ok.sum() < 2:
        return np.zeros_like(signal)
    idx = np.arange(len(signal))
    return np.interp(idx, idx[ok], signal[ok])


def peaks(signal: np.ndarray, time: np.ndarray, options: CycleOptions) -> np.ndarray:
    """Frame indices of the signal's prominent maxima, at least `min_gap_s` apart."""
    rate = sampling_rate(time)
    distance = max(int(options.min_gap_s * rate), 1)
    found, _ = find_peaks(_fillable(signal), prominence=options.prominence, distance=distance)
    return np.array([p for p in found if np.isfinite(signal[p])], dtype=int)


def cycles(
    signal: np.ndarray, time: np.ndarray, options: CycleOptions
) -> list[tuple[int, int, int]]:
    """(start, key, end) of each rep: key at a peak, start and end at the lows around it."""
    keys = [int(k) for k in peaks(signal, time, options)]
    filled = _fillable(signal)
    edges = [0, *keys, len(signal) - 1]
    out = []
    for i, key in enumerate(keys):
        start = _valley(filled, edges[i], key)
        end = _valley(filled, key, edges[i + 2])
        # A rep must rise from and return toward its lows (a clip cut mid-rep does not count).
        if filled[key] - max(filled[start], filled[end]) >= options.prominence * 0.5:
            out.append((start, key, end))
    return out


def _valley(signal: np.ndarray, a: int, b: int) -> int:
    """Index of the lowest point of signal[a..b]."""
    return a + int(np.argmin(signal[a : b + 1]))


def frames_in(angles: Angles, seconds: float) -> int:
    """How many frames `seconds` spans at the clip's rate (at least one)."""
    return max(int(seconds * sampling_rate(angles.time)), 1)


def near_foot(pose: Pose, frame: int) -> str | None:
    """The foot nearer the camera seen from the front or behind: its ankle is lower in the
    picture (a camera above ankle height), or it is the one seen when the other is hidden
    behind it."""
    left, right = (pose.point(f"{s}_ankle")[frame, 1] for s in ("left", "right"))
    if np.isfinite(left) and np.isfinite(right):
        return "left" if left < right else "right"
    if np.isfinite(left) or np.isfinite(right):
        return "left" if np.isfinite(left) else "right"
    return None


def hip_depth(pose: Pose) -> np.ndarray:
    """(T,) how far the hips are below their highest, in leg lengths (+ deeper)."""
    hips_y = pose.mid("left_hip", "right_hip")[:, 1]
    return (np.nanmax(hips_y) - hips_y) / mean_leg_length(pose)

"""Strides and reps with their key moments, from angle and landmark series.

Signals are (T,) arrays on the clip's frames (time axis 0); NaN where unknown.
Nothing here assumes the athlete travels across the frame: running in place
works the same.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from movement_screen.core import Angles, Event, Movement, Pose, View, sampling_rate
from movement_screen.kinematics import athlete_left, mean_leg_length


@dataclass(frozen=True)
class CycleOptions:
    """Peak-finding settings for one signal."""

    prominence: float  # in the signal's unit
    min_gap_s: float  # between two key moments of the same kind


STRIDE = CycleOptions(prominence=15.0, min_gap_s=0.25)  # thigh angle, deg
LUNGE = CycleOptions(prominence=0.08, min_gap_s=0.8)  # hip drop, leg lengths
HINGE = CycleOptions(prominence=20.0, min_gap_s=0.8)  # hip flexion, deg


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


def sprint_strides(angles: Angles, pose: Pose) -> list[Event]:
    """Per leg: toe-off to next toe-off, with peak knee drive and foot strike between."""
    events: list[Event] = []
    for side in ("left", "right"):
        thigh = angles.values[f"thigh_angle_{side}"]
        toe_offs = peaks(-thigh, angles.time, STRIDE)
        for number, (a, b) in enumerate(zip(toe_offs[:-1], toe_offs[1:], strict=True), start=1):
            drive = a + int(np.nanargmax(thigh[a : b + 1]))
            moments = {"toe_off": int(a), "peak_knee_drive": drive}
            strike = _foot_strike(pose, angles.facing, side, drive, int(b))
            if strike is not None:
                moments["foot_strike"] = strike
            events.append(Event("stride", number, side, int(a), int(b), moments))
    return events


def _foot_strike(pose: Pose, facing: np.ndarray, side: str, after: int, before: int) -> int | None:
    """Heel furthest ahead of the hips (Zeni et al. 2008), between knee drive and toe-off."""
    heel = pose.point(f"{side}_heel")[after : before + 1, 0]
    hips = pose.mid("left_hip", "right_hip")[after : before + 1, 0]
    ahead = (heel - hips) * facing[after : before + 1]
    if not np.isfinite(ahead).any():
        return None
    return after + int(np.nanargmax(ahead))


def hip_depth(pose: Pose) -> np.ndarray:
    """(T,) how far the hips are below their highest, in leg lengths (+ deeper)."""
    hips_y = pose.mid("left_hip", "right_hip")[:, 1]
    return (np.nanmax(hips_y) - hips_y) / mean_leg_length(pose)


def lunge_reps(angles: Angles, pose: Pose) -> list[Event]:
    """Reps found by the hips going down; the bottom is the deepest front-knee flexion
    (side view) or the lowest hips (front view or from behind)."""
    events = []
    for number, (start, key, end) in enumerate(cycles(hip_depth(pose), angles.time, LUNGE), 1):
        side = _front_leg(angles, pose, key)
        bottom = key
        if angles.view is View.SIDE and side:
            knee = angles.values[f"knee_flexion_{side}"]
            lo, hi = max(start, key - _frames(angles, 0.3)), min(end, key + _frames(angles, 0.3))
            if np.isfinite(knee[lo : hi + 1]).any():
                bottom = lo + int(np.nanargmax(knee[lo : hi + 1]))
        events.append(Event("rep", number, side, start, end, {"bottom": bottom}))
    return events


def _frames(angles: Angles, seconds: float) -> int:
    rate = sampling_rate(angles.time)
    return max(int(seconds * rate), 1)


def _front_leg(angles: Angles, pose: Pose, frame: int) -> str | None:
    """The leading leg at a lunge's bottom: the larger thigh angle (side view); from the
    front or behind, the foot nearer the camera (`_near_foot`) is the front one when the
    athlete faces the camera and the trail one when seen from behind."""
    if angles.view is View.SIDE:
        left, right = (angles.values[f"thigh_angle_{s}"][frame] for s in ("left", "right"))
        if not (np.isfinite(left) and np.isfinite(right)):
            return None
        return "left" if left > right else "right"
    toward = athlete_left(pose)[frame]  # +1: the athlete faces the camera
    near = _near_foot(pose, frame)
    if near is None or not np.isfinite(toward) or toward == 0:
        return None
    return near if toward > 0 else {"left": "right", "right": "left"}[near]


def _near_foot(pose: Pose, frame: int) -> str | None:
    """The foot nearer the camera: its ankle is lower in the picture (a camera above ankle
    height), or it is the one seen when the other is hidden behind it."""
    left, right = (pose.point(f"{s}_ankle")[frame, 1] for s in ("left", "right"))
    if np.isfinite(left) and np.isfinite(right):
        return "left" if left < right else "right"
    if np.isfinite(left) or np.isfinite(right):
        return "left" if np.isfinite(left) else "right"
    return None


def hinge_reps(angles: Angles, pose: Pose) -> list[Event]:
    """Reps by hip flexion (mean of the legs); the deepest point is its peak."""
    flexion = np.nanmean(
        [angles.values["hip_flexion_left"], angles.values["hip_flexion_right"]], axis=0
    )
    return [
        Event("rep", n, None, start, end, {"deepest": key})
        for n, (start, key, end) in enumerate(cycles(flexion, angles.time, HINGE), 1)
    ]


FINDERS = {Movement.SPRINT: sprint_strides, Movement.LUNGE: lunge_reps, Movement.HINGE: hinge_reps}


def find_events(movement: Movement, angles: Angles, pose: Pose) -> list[Event]:
    """Strides or reps of the movement, in time order."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN stretches: no event there
        found = FINDERS[movement](angles, pose)
    return sorted(found, key=lambda e: (e.start, e.side or ""))

"""Cleaning: low visibility to missing, leg swaps undone, spikes out, short gaps filled, low-pass.

Arrays: time (T,) seconds; xy (T, 33, 2) pixels, y up; time is axis 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, filtfilt

from movement_screen import legs, view
from movement_screen.core import CleanPose, Pose, Track, sampling_rate
from movement_screen.landmarks import INDEX


@dataclass(frozen=True)
class CleanOptions:
    """Every tunable number of the cleaning stage, defined once."""

    visibility_min: float = 0.5  # MediaPipe visibility below this counts as missing
    max_gap_s: float = 0.2  # longer gaps stay empty
    spike: float = 0.3  # a point this far (torso lengths) off its neighbours' mean is a spike
    order: int = 2  # Butterworth order; filtfilt doubles it (zero lag)
    undo_leg_swaps: bool = True  # off only to measure what the correction is worth


@dataclass(frozen=True)
class Unfiltered:
    """Landmarks with leg swaps undone, spikes out and short gaps filled, before the low-pass:
    made once per clip, then smoothed at the cut-off the movement needs.

    xy (T, 33, 2) pixels, y up; missing and filled (T, 33); swapped (T,)."""

    time: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    missing: np.ndarray
    filled: np.ndarray
    swapped: np.ndarray
    outliers: int


def clean(track: Track, *, cutoff_hz: float, options: CleanOptions = CleanOptions()) -> CleanPose:
    """Turn a raw track into cleaned landmarks ready for angles."""
    return smooth(prepare(track, options=options), cutoff_hz=cutoff_hz, options=options)


def prepare(track: Track, *, options: CleanOptions = CleanOptions()) -> Unfiltered:
    """Every cleaning step but the low-pass: leg swaps, low visibility, spikes, short gaps."""
    pose = track.pose
    # Leg labels are judged on every point MediaPipe gave (low visibility included): a
    # point missing from one hypothesis but not the other would bias the comparison.
    xy, visibility = pose.xy, pose.visibility
    swapped = np.zeros(len(pose), dtype=bool)
    if options.undo_leg_swaps:
        side_view = view.width_ratio(pose) < view.FRONT_WIDTH
        depth = pose.depth if side_view else None
        xy, visibility, swapped = legs.undo_swaps(xy, visibility, depth, spike=options.spike)
    xy = xy.copy()
    xy[visibility < options.visibility_min] = np.nan
    xy, outliers = remove_spikes(xy, spike=options.spike * legs.torso_length(xy))
    missing = np.isnan(xy[..., 0])
    xy = fill_gaps(xy, pose.time, max_gap_s=options.max_gap_s)
    filled = missing & ~np.isnan(xy[..., 0])
    return Unfiltered(pose.time, xy, visibility, missing, filled, swapped, outliers)


def smooth(
    raw: Unfiltered, *, cutoff_hz: float, options: CleanOptions = CleanOptions()
) -> CleanPose:
    """The zero-lag low-pass at `cutoff_hz` (at most 0.45 of the frame rate)."""
    cutoff = min(cutoff_hz, 0.45 * sampling_rate(raw.time))
    xy = lowpass(raw.xy, raw.time, cutoff_hz=cutoff, order=options.order)
    return CleanPose(
        pose=Pose(raw.time, xy, raw.visibility),
        filled=raw.filled,
        swapped=raw.swapped,
        far_leg_trusted=_far_leg_trusted(xy, raw.visibility, raw.missing),
        outliers=raw.outliers,
        cutoff_hz=cutoff,
    )


def _far_leg_trusted(xy: np.ndarray, visibility: np.ndarray, missing: np.ndarray) -> np.ndarray:
    side = legs.far_side(visibility)
    joints = [INDEX[f"{side}_{part}"] for part in ("hip", "knee", "ankle")]
    return ~missing[:, joints].any(axis=1) & ~legs.legs_overlap(xy)


def remove_spikes(xy: np.ndarray, *, spike: float) -> tuple[np.ndarray, int]:
    """Set to NaN single-frame points more than `spike` pixels off their neighbours' mean."""
    out = xy.copy()
    if xy.shape[0] < 3:
        return out, 0
    between = (xy[:-2] + xy[2:]) / 2
    off = np.linalg.norm(xy[1:-1] - between, axis=-1)  # (T-2, 33)
    jump = np.linalg.norm(xy[2:] - xy[:-2], axis=-1)
    is_spike = (off > spike) & (jump < off)  # the neighbours agree with each other
    out[1:-1][is_spike] = np.nan
    return out, int(is_spike.sum())


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a 1-D bool array."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2], strict=True))


def fill_gaps(xy: np.ndarray, time: np.ndarray, *, max_gap_s: float) -> np.ndarray:
    """Linearly fill interior gaps no longer than `max_gap_s` (from last to next good sample)."""
    out = xy.copy()
    flat = out.reshape(out.shape[0], -1)
    for k in range(flat.shape[1]):
        series = flat[:, k]
        for start, stop in _runs(np.isnan(series)):
            if start == 0 or stop == len(series):
                continue
            if time[stop] - time[start - 1] > max_gap_s + 1e-9:
                continue
            span = slice(start - 1, stop + 1)
            series[span] = np.interp(time[span], time[[start - 1, stop]], series[[start - 1, stop]])
    return out


def lowpass(xy: np.ndarray, time: np.ndarray, *, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-lag Butterworth low-pass of every coordinate, one unbroken stretch at a time.

    Each stretch is resampled to even steps for the filter (phones record a
    variable frame rate) and back to its own times.
    """
    out = xy.copy()
    flat = out.reshape(out.shape[0], -1)
    for k in range(flat.shape[1]):
        series = flat[:, k]
        for start, stop in _runs(~np.isnan(series)):
            series[start:stop] = _filter_stretch(
                time[start:stop], series[start:stop], cutoff_hz, order
            )
    return out


def _filter_stretch(t: np.ndarray, x: np.ndarray, cutoff_hz: float, order: int) -> np.ndarray:
    n = len(x)
    if n < 3 * (order + 1) or t[-1] <= t[0]:
        return x
    even = np.linspace(t[0], t[-1], n)
    fs = (n - 1) / (t[-1] - t[0])
    b, a = butter(order, min(cutoff_hz / (fs / 2), 0.99))
    smooth = filtfilt(b, a, np.interp(even, t, x), padlen=min(3 * (order + 1), n - 1))
    return np.interp(t, even, smooth)

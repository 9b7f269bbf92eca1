"""Cleaning: low visibility and points beyond the picture to missing, leg swaps undone,
spikes out, short gaps filled, low-pass.

Arrays: time (T,) seconds; xy (T, 33, 2) pixels, y up; time is axis 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, filtfilt

from movement_screen import legs, view
from movement_screen.core import CleanPose, Pose, Track, runs, sampling_rate
from movement_screen.landmarks import FOOT, INDEX, SIDES

EDGE = 0.01  # share of the picture's short side: a point this near its edge may be cut off


@dataclass(frozen=True)
class CleanOptions:
    """Every tunable number of the cleaning stage, defined once."""

    visibility_min: float = 0.5  # MediaPipe visibility below this counts as missing
    max_gap_s: float = 0.2  # longer gaps stay empty
    spike: float = 0.3  # a point this far (torso lengths) off its neighbours' mean is a spike
    order: int = 2  # Butterworth order; filtfilt doubles it (zero lag)
    undo_leg_swaps: bool = True  # off only to measure what the correction is worth
    passing_margin_s: float = 0.2  # nothing is measured this near someone passing close


@dataclass(frozen=True)
class Unfiltered:
    """Landmarks with leg swaps undone, spikes out and short gaps filled, before the low-pass:
    made once per clip, then smoothed at the cut-off the movement needs.

    xy (T, 33, 2) pixels, y up; missing and filled (T, 33); swapped and legs_in_doubt (T,);
    depth (T, 33) MediaPipe's depth in pixels like xy (its z is in frame widths), the legs
    exchanged as in xy; None where the source has none."""

    time: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    missing: np.ndarray
    filled: np.ndarray
    swapped: np.ndarray
    outliers: int
    legs_in_doubt: np.ndarray
    passing: np.ndarray  # (T,) not measured: someone passed close (`near_passing`)
    depth: np.ndarray | None = None


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
    doubt = np.zeros(len(pose), dtype=bool)
    side_view = view.width_ratio(pose) < view.FRONT_WIDTH
    if options.undo_leg_swaps and side_view:  # with depth; doubt judged too
        swapped, doubt = legs.swaps_and_doubt(
            xy, pose.depth, spike=options.spike, time=pose.time, looks=track.looks
        )
    elif options.undo_leg_swaps:  # seen from the front, the legs keep to their own side
        swapped = legs.find_swaps(xy, spike=options.spike, time=pose.time)
    xy, visibility = legs.exchange(xy, visibility, swapped)
    xy = drop_legs(xy, doubt)
    passed = near_passing(track, options.passing_margin_s)
    xy, glitched = drop_glitches(xy, pose.time, spike=options.spike)
    beyond = beyond_picture(xy, track.frame_size)
    xy[(visibility < options.visibility_min) | beyond] = np.nan
    hidden = legs.hidden_far_leg(xy, visibility) if side_view else None
    if hidden:  # what MediaPipe offers for a leg hidden nearly throughout is a guess
        xy[:, legs.below_hip(hidden)] = np.nan
    xy, outliers = remove_spikes(xy, spike=options.spike * legs.torso_length(xy))
    outliers += glitched
    missing = np.isnan(xy[..., 0])
    xy = fill_gaps(xy, pose.time, max_gap_s=options.max_gap_s)
    xy[beyond] = np.nan  # what the picture did not hold is not filled in either
    filled = missing & ~np.isnan(xy[..., 0])
    width = track.frame_size[0]
    depth = None if pose.depth is None else legs.exchanged(pose.depth, swapped) * width
    return Unfiltered(
        pose.time, xy, visibility, missing, filled, swapped, outliers, doubt, passed, depth
    )


def smooth(
    raw: Unfiltered, *, cutoff_hz: float, options: CleanOptions = CleanOptions()
) -> CleanPose:
    """The zero-lag low-pass at `cutoff_hz` (at most 0.45 of the frame rate)."""
    cutoff = min(cutoff_hz, 0.45 * sampling_rate(raw.time))
    xy = lowpass(raw.xy, raw.time, cutoff_hz=cutoff, order=options.order)
    return CleanPose(
        pose=Pose(raw.time, xy, raw.visibility, raw.depth),
        filled=raw.filled,
        swapped=raw.swapped,
        far_leg_trusted=_far_leg_trusted(xy, raw.visibility, raw.missing),
        legs_in_doubt=raw.legs_in_doubt,
        outliers=raw.outliers,
        cutoff_hz=cutoff,
        passing=raw.passing if raw.passing.any() else None,
    )


def expand(clean: CleanPose, rows: np.ndarray, frame_count: int) -> CleanPose:
    """Cleaned landmarks of the posed frames `rows` (clip frame indices) on every frame of
    the clip: a cubic spline through the filtered positions (already free of anything
    faster than the cut-off), within each stretch the track holds; times from the decoder
    times of the posed frames, the rest by their place between them."""
    frames = np.arange(frame_count)
    time = _frame_times(rows, clean.pose.time, frames)
    near = _nearest(rows, frames)
    flat = clean.pose.xy.reshape(len(rows), -1)
    out = np.stack([_spline(rows, flat[:, k], frames) for k in range(flat.shape[1])], axis=1)
    posed = np.zeros(frame_count, dtype=bool)
    posed[rows] = True
    return CleanPose(
        pose=Pose(time, out.reshape(frame_count, *clean.pose.xy.shape[1:]),
                  clean.pose.visibility[near],
                  None if clean.pose.depth is None else clean.pose.depth[near]),
        filled=clean.filled[near],
        swapped=clean.swapped[near],
        far_leg_trusted=clean.far_leg_trusted[near],
        legs_in_doubt=clean.legs_in_doubt[near],
        outliers=clean.outliers,
        cutoff_hz=clean.cutoff_hz,
        posed=posed,
        passing=None if clean.passing is None else clean.passing[near],
    )  # fmt: skip


def _nearest(rows: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """(F,) for each of `frames`, the place in `rows` (sorted) of the nearest (ties: the
    earlier), evenly spaced or not."""
    after = np.clip(np.searchsorted(rows, frames), 1, max(len(rows) - 1, 1))
    before = after - 1
    return np.where(np.abs(frames - rows[before]) <= np.abs(rows[after] - frames), before, after)


def _frame_times(rows: np.ndarray, times: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Every frame's time: the posed frames' own, the others in proportion between them
    (and at the posed frames' rate beyond the first and the last)."""
    rate = (times[-1] - times[0]) / max(rows[-1] - rows[0], 1)
    out = np.interp(frames, rows, times)
    before, after = frames < rows[0], frames > rows[-1]
    out[before] = times[0] + (frames[before] - rows[0]) * rate
    out[after] = times[-1] + (frames[after] - rows[-1]) * rate
    return out


def _spline(rows: np.ndarray, values: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """One coordinate on every frame: a cubic spline through each run of finite values
    (a straight line through a run of 2-3), NaN between runs."""
    from scipy.interpolate import CubicSpline

    out = np.full(len(frames), np.nan)
    for start, stop in runs(np.isfinite(values)):
        x, y = rows[start:stop], values[start:stop]
        first = 0 if start == 0 else x[0]  # the clip's first frames: from the first run
        last = len(frames) - 1 if stop == len(rows) else x[-1]
        span = frames[first : last + 1]
        if len(x) >= 4:
            out[first : last + 1] = CubicSpline(x, y)(span)
        elif len(x) >= 2:
            out[first : last + 1] = np.interp(span, x, y)
        else:
            out[x[0]] = y[0]
    return out


def _far_leg_trusted(xy: np.ndarray, visibility: np.ndarray, missing: np.ndarray) -> np.ndarray:
    side = legs.far_side(visibility)
    joints = [INDEX[f"{side}_{part}"] for part in ("hip", "knee", "ankle")]
    return ~missing[:, joints].any(axis=1) & ~legs.legs_overlap(xy)


def near_passing(track: Track, margin_s: float) -> np.ndarray:
    """(T,) True on frames within `margin_s` of one where someone as near as the athlete
    or nearer was over them (`Track.passing`): MediaPipe may draw a leg on them, or slide
    onto them, a little before and after the detector sees them over the athlete. Nothing
    is measured there (`pipeline.left_out`); the landmarks stay, to read the movement and
    its reps by."""
    time = track.pose.time
    out = np.zeros(len(time), dtype=bool)
    if track.passing is None:
        return out
    for t in time[track.passing]:
        out |= np.abs(time - t) <= margin_s + 1e-9
    return out


def drop_glitches(xy: np.ndarray, time: np.ndarray, *, spike: float) -> tuple[np.ndarray, int]:
    """A copy of xy without the legs (knee down) of frames where MediaPipe drew them off
    the path of the frames around (`legs.glitches`, `spike` in torso lengths; time (T,)
    seconds), and how many points went. `remove_spikes` takes single points; this takes
    the legs of a glitch frame together, runs of them and bursts included."""
    glitched = legs.glitches(xy, spike=spike * legs.torso_length(xy), time=time)
    return drop_legs(xy, glitched), int(glitched.sum()) * len(legs.BELOW_HIPS)


def beyond_picture(xy: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    """(T, 33) True where a point lies beyond the edges of the (width, height) picture, or
    within EDGE of them, and on a foot with any of its points so: what MediaPipe offers
    for a part of the body the camera did not see is a guess, and a foot cut off by the
    bottom edge has its ankle drawn just inside it (a sprint with the feet cut off read
    knee flexion 23-32 degrees off). xy (T, 33, 2) pixels, y up."""
    width, height = frame_size
    edge = EDGE * min(width, height)
    x, y = xy[..., 0], xy[..., 1]
    out = (x < edge) | (x > width - edge) | (y < edge) | (y > height - edge)
    for side in SIDES:
        foot = [INDEX[f"{side}_{part}"] for part in FOOT]
        out[:, foot] |= out[:, foot].any(axis=1, keepdims=True)
    return out


def drop_legs(xy: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """A copy of xy without both legs from the knee down on `frames` (T,) bool."""
    out = xy.copy()
    out[np.ix_(frames, legs.BELOW_HIPS)] = np.nan
    return out


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


def fill_gaps(xy: np.ndarray, time: np.ndarray, *, max_gap_s: float) -> np.ndarray:
    """Linearly fill interior gaps no longer than `max_gap_s` (from last to next good sample)."""
    out = xy.copy()
    flat = out.reshape(out.shape[0], -1)
    for k in range(flat.shape[1]):
        series = flat[:, k]
        for start, stop in runs(np.isnan(series)):
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
    variable frame rate) and back to its own times. Coordinates seen on the same frames
    are filtered together.
    """
    out = xy.copy()
    flat = out.reshape(out.shape[0], -1)
    seen = ~np.isnan(flat)
    groups: dict[bytes, list[int]] = {}
    for k in range(flat.shape[1]):
        groups.setdefault(np.packbits(seen[:, k]).tobytes(), []).append(k)
    for columns in groups.values():
        for start, stop in runs(seen[:, columns[0]]):
            flat[start:stop, columns] = _filter_stretch(
                time[start:stop], flat[start:stop, columns], cutoff_hz, order
            )
    return out


def _filter_stretch(t: np.ndarray, x: np.ndarray, cutoff_hz: float, order: int) -> np.ndarray:
    """x (n, k): k series over the same n times t, each low-passed."""
    n = len(x)
    if n < 3 * (order + 1) or t[-1] <= t[0]:
        return x
    even = np.linspace(t[0], t[-1], n)
    fs = (n - 1) / (t[-1] - t[0])
    b, a = butter(order, min(cutoff_hz / (fs / 2), 0.99))
    resampled = np.column_stack([np.interp(even, t, column) for column in x.T])
    smooth = filtfilt(b, a, resampled, axis=0, padlen=min(3 * (order + 1), n - 1))
    return np.column_stack([np.interp(t, even, column) for column in smooth.T])

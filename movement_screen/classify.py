"""Which movement the clip shows (sprint/run, lunge, hip hinge), with a confidence.

Each movement has a small scoring function of a few clip features (defined with the
movement, `movement_screen.movements`); the best score wins and the confidence is its
share of all scores. A clip that is none of them is matched the same way against
activities the tool names but does not screen (`movement_screen.seen`: walking,
standing). Features are computed from angle and landmark series (time axis 0, NaN where
unknown).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from movement_screen.core import MIN_CLIP_S, Angles, Movement, Pose, View, sampling_rate
from movement_screen.events import hip_depth
from movement_screen.kinematics import mean_leg_length
from movement_screen.landmarks import INDEX

MIN_SCORE = 0.15  # below this for every movement: not recognised
UNSURE_CONFIDENCE = 0.75  # the best movement's share of all scores below this: unsure
UNSURE_SCORE = 0.5  # or its own score below this (0-1): the clip only partly looks like it
FOOT_UP_SHARE = 0.9  # one foot higher than the other in this share of frames: balancing
SEEN_MIN = 0.5  # an activity not screened (`seen`) scoring below this is not named
# The share of frames the same thigh is ahead of the other (side view): the legs take turns
# below the first, one is held ahead above the second. On the `train` side clips, sprints,
# jogs and walks 0.50-0.62; one-person lunges 0.99-1.0, crowded lunges 0.66-1.0 (a person
# passing in front swaps the labels for a few frames, and that looked like strides).
ONE_LEG_AHEAD = (0.7, 0.85)
# A gap in a series longer than this (seconds from the nearest sample) is left out of its
# rhythm (`cadence`) rather than drawn across: a straight line over a second reads as a
# slow stride.
RHYTHM_GAP_S = 0.2
# Frames where someone passes close are left out of the features where this many seconds
# of the athlete remain without them (train-crowd sprints with a passer over 80 % of the
# clip keep 0.35-0.75 s: too little for a stride's rhythm, so all their frames are read).
KEEP_S = 2.0
# How far MediaPipe's depth puts one ankle behind the other at the bottom (`feet_split`,
# its leg lengths): from 0, feet side by side, to 1 above the second, one a stride behind.
# On `train`, `train-crowd`, `train-front` and `pelvis-train`, squats read 0.05-0.50 from
# the front or behind, side squats 0.30-0.43; lunges from the front 1.8-18, from behind
# 0.27-7.1 (its depth is poor there: the knees tell those).
FEET_SPLIT = (0.75, 1.5)


@dataclass(frozen=True)
class MovementEstimate:
    movement: Movement | None  # None: not recognised
    confidence: float  # 0-1
    scores: dict[str, float]
    features: dict[str, float] = field(default_factory=dict)  # what the scores were made from
    seen: str | None = None  # not recognised, but looks like this (a `seen` activity's key)
    tracked_s: float = np.inf  # seconds of the clip the athlete was tracked on

    @property
    def too_little(self) -> bool:
        """Tracked for less than any movement needs (MIN_CLIP_S): not recognised."""
        return self.tracked_s < MIN_CLIP_S

    @property
    def unsure(self) -> bool:
        """Recognised, but not clearly: the user should confirm or choose the movement."""
        if self.movement is None:
            return False
        return self.confidence < UNSURE_CONFIDENCE or self.scores[self.movement] < UNSURE_SCORE


def ramp(x: float, lo: float, hi: float) -> float:
    """0 below lo, 1 above hi, linear between; 0 for NaN."""
    if not np.isfinite(x):
        return 0.0
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


def _spread(x: np.ndarray) -> float:
    """Robust range: 95th minus 5th percentile."""
    x = x[np.isfinite(x)]
    return float(np.percentile(x, 95) - np.percentile(x, 5)) if x.size > 5 else np.nan


def _upper(x: np.ndarray) -> float:
    """75th percentile: a level the series holds for a good part of the clip."""
    x = x[np.isfinite(x)]
    return float(np.percentile(x, 75)) if x.size > 5 else np.nan


def _same_ahead(a: np.ndarray, b: np.ndarray) -> float:
    """The share of frames the more often leading of two series is ahead of the other."""
    ahead = (a - b)[np.isfinite(a) & np.isfinite(b)]
    if ahead.size < 10:
        return np.nan
    return float(max(np.mean(ahead > 0), np.mean(ahead < 0)))


def taking_turns(f: dict[str, float]) -> float:
    """1 where the legs take turns ahead of each other (running, walking), 0 where the same
    leg is held ahead (a split stance, as in a lunge); 1 where it is not known."""
    return 1 - ramp(f["same_leg_ahead"], *ONE_LEG_AHEAD)


def one_foot_behind(f: dict[str, float]) -> float:
    """1 where MediaPipe's depth puts one foot a stride behind the other at the bottom (a
    lunge seen from the front), 0 where side by side (a squat) or not known."""
    return ramp(f["feet_split"], *FEET_SPLIT)


def feet_planted(f: dict[str, float]) -> float:
    """1 where neither foot is lifted above the other (standing, a squat, a hinge), 0 where
    one is (walking, a lunge, a foot held up); 1 where not known (a leg hidden). `foot_lift`
    on the `train` and `train-front` clips from the front or behind: hinges 0.016-0.030,
    standing 0.015-0.022, squats 0.014-0.079; walking 0.15-0.31, balancing on one leg
    0.20-0.35; the real balance-and-reach clips 0.3-0.9."""
    return 1 - ramp(f["foot_lift"], 0.05, 0.1)


def swinging(f: dict[str, float], least: float, full: float) -> float:
    """How much the thighs swing in turn (one forward as the other goes back, taking turns
    ahead) through a range of `least` to `full` degrees, 0-1: running and walking."""
    swing = ramp(f["thigh_antiphase"], 0.3, 0.7) * ramp(f["thigh_range"], least, full)
    return swing * taking_turns(f)


def running_knees(f: dict[str, float]) -> float:
    """Knees bending as far as a run's at their peak, 0-1; 0 where never seen (the `train`
    walks bend them 60-63 degrees, the jogs 120)."""
    return ramp(f["knee_peak"], 75, 95)


def running_rhythm(f: dict[str, float]) -> float:
    """Strides as often as a run's, 0-1 (the `train` walks take 0.75-0.9 a second, the jogs
    1.4-1.5)."""
    return ramp(f["cadence"], 1.0, 1.2)


def _antiphase(a: np.ndarray, b: np.ndarray) -> float:
    """Minus the correlation of two series: +1 when one rises as the other falls."""
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 10 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return np.nan
    return float(-np.corrcoef(a[ok], b[ok])[0, 1])


def cadence(time: np.ndarray, series: np.ndarray) -> float:
    """Strides per second: the strongest rhythm of (T,) `series` between 0.4 and 4 Hz."""
    ok = np.isfinite(series)
    if ok.sum() < 20:
        return np.nan
    rate = sampling_rate(time[ok])
    even = np.arange(time[ok][0], time[ok][-1], 1.0 / rate)
    x = np.interp(even, time[ok], series[ok])
    gap = _seconds_from(even, time[ok]) > RHYTHM_GAP_S
    x = np.where(gap, 0.0, x - x[~gap].mean()) * np.hanning(len(x))
    padded = max(len(x), int(8 * rate))  # at least 0.125 Hz resolution on short clips
    power = np.abs(np.fft.rfft(x, padded)) ** 2
    freq = np.fft.rfftfreq(padded, 1.0 / rate)
    band = (freq >= 0.4) & (freq <= 4.0)
    if not band.any() or power[band].max() == 0:
        return np.nan
    return float(freq[band][np.argmax(power[band])])


def _seconds_from(times: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """(N,) how far each of `times` is from the nearest of the sorted `samples`, seconds."""
    after = np.clip(np.searchsorted(samples, times), 1, len(samples) - 1)
    return np.minimum(np.abs(times - samples[after - 1]), np.abs(samples[after] - times))


def one_foot_up(pose: Pose) -> float:
    """How high one foot is held above the other, in leg lengths, when it is the same foot
    nearly all the time (balancing on one leg); 0 when the feet take turns or stay level."""
    lift = _left_above_right(pose, "ankle")
    lift = lift[np.isfinite(lift)]
    if lift.size < 10:
        return np.nan
    same_side = max(np.mean(lift > 0), np.mean(lift < 0))
    return float(abs(np.median(lift))) if same_side >= FOOT_UP_SHARE else 0.0


def foot_lift(pose: Pose) -> float:
    """How high either foot is lifted above the other at the top of the clip (95th
    percentile, leg lengths): near 0 when both feet stay planted (standing, a squat)."""
    return _peak(np.abs(_left_above_right(pose, "ankle")))


def knee_gap(pose: Pose) -> float:
    """At the deepest frames, how far apart the knees are in height, in leg lengths: a lunge
    seen from the front has one knee near the floor, a squat has both at one height."""
    return _at_bottom(pose, np.abs(_left_above_right(pose, "knee")))


def feet_split_in_depth(pose: Pose) -> float:
    """At the deepest frames, how much farther from the camera one ankle is than the other,
    beyond what the hips differ (a body turned from the camera), in leg lengths as
    MediaPipe's depth reads them (several times too deep): a lunge seen from the front has
    one foot a stride behind the other, even where the back leg is hidden behind the front
    one; a squat has the feet side by side. NaN without depth."""
    if pose.depth is None:
        return np.nan
    gap = {
        part: pose.depth[:, INDEX[f"left_{part}"]] - pose.depth[:, INDEX[f"right_{part}"]]
        for part in ("hip", "ankle")
    }
    return _at_bottom(pose, np.abs(gap["ankle"] - gap["hip"])) / mean_leg_length(pose)


def _at_bottom(pose: Pose, series: np.ndarray) -> float:
    """The median of (T,) `series` over the deepest fifth of frames (`hip_depth`); NaN where
    the hips are never known."""
    depth = hip_depth(pose)
    if not np.isfinite(depth).any():
        return np.nan
    return float(np.nanmedian(series[depth >= np.nanpercentile(depth, 80)]))


def trunk_fold(pose: Pose, torso: np.ndarray) -> float:
    """How much shorter the (T,) `torso` (shoulders' to hips' midpoint) looks at the deepest
    fifth of frames than standing (its 90th percentile): 0 upright, more as the trunk leans
    toward or away from the camera; NaN where either is unknown."""
    if not np.isfinite(torso).any():
        return np.nan
    return 1 - _at_bottom(pose, torso) / float(np.nanpercentile(torso, 90))


def _left_above_right(pose: Pose, part: str) -> np.ndarray:
    """(T,) how much higher the left `part` is than the right, in leg lengths."""
    rise = pose.point(f"left_{part}")[:, 1] - pose.point(f"right_{part}")[:, 1]
    return rise / mean_leg_length(pose)


def features(angles: Angles, pose: Pose) -> dict[str, float]:
    """The numbers the scores use (degrees, leg lengths, correlations, strides per second)."""
    v = angles.values
    knees_y = [pose.point(f"{s}_knee")[:, 1] for s in ("left", "right")]
    torso = np.linalg.norm(
        pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_hip", "right_hip"), axis=1
    )
    turns = (
        v["thigh_angle_left"] - v["thigh_angle_right"]
        if angles.view is View.SIDE
        else knees_y[0] - knees_y[1]
    )
    knees = [
        v.get(f"knee_flexion_{s}", np.full(len(angles.time), np.nan)) for s in ("left", "right")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rhythm = cadence(angles.time, turns)
        return {
            "hip_drop": _spread(hip_depth(pose)),
            "thigh_antiphase": _antiphase(v["thigh_angle_left"], v["thigh_angle_right"]),
            "thigh_range": min(_spread(v["thigh_angle_left"]), _spread(v["thigh_angle_right"])),
            "same_leg_ahead": _same_ahead(v["thigh_angle_left"], v["thigh_angle_right"]),
            "leg_split": _upper(np.abs(v["thigh_angle_left"] - v["thigh_angle_right"])),
            "trunk_range": _spread(v["trunk_lean"]),
            "knee_antiphase": _antiphase(*knees_y),
            "torso_shrink": _spread(torso) / np.nanmedian(torso),
            "trunk_fold": trunk_fold(pose, torso),
            "cadence": rhythm,
            "hip_rhythm": cadence(angles.time, hip_depth(pose)) / rhythm,
            "knee_peak": max(_peak(knees[0]), _peak(knees[1])),
            "knee_range": _spread(np.nanmean(knees, axis=0)),
            "one_foot_up": one_foot_up(pose),
            "foot_lift": foot_lift(pose),
            "knee_gap": knee_gap(pose),
            "feet_split": feet_split_in_depth(pose),
        }


def _peak(x: np.ndarray) -> float:
    """95th percentile: the top of a series, without its rare spikes."""
    x = x[np.isfinite(x)]
    return float(np.percentile(x, 95)) if x.size > 5 else np.nan


Score = Callable[[dict[str, float]], float]


def detect_movement(
    angles: Angles,
    pose: Pose,
    table: dict[Movement, Score],
    others: dict[str, Score] | None = None,
    left_out: np.ndarray | None = None,
) -> MovementEstimate:
    """The best-scoring movement of `table` (each movement's score for the clip's view,
    `movements.scores`), or None when none scores at least MIN_SCORE; then what it looks
    like instead, from `others` (`seen.scores`). None too where the athlete was tracked
    for less than MIN_CLIP_S in all: a few strides' worth of frames look like anything.
    The features do not read the (T,) `left_out` frames (someone passing close: nothing is
    measured there, and a leg or the hips drawn on the passer look like a stride or a
    foot in the air)."""
    feats = features(*_without(angles, pose, left_out))
    scores = {m.value: round(fn(feats), 3) for m, fn in table.items()}
    best = max(scores, key=scores.get)
    total = sum(scores.values())
    tracked = tracked_seconds(pose)
    if tracked < MIN_CLIP_S:
        return MovementEstimate(None, 0.0, scores, feats, tracked_s=tracked)
    if scores[best] < MIN_SCORE:
        seen = looks_like(feats, others or {})
        return MovementEstimate(None, 0.0, scores, feats, seen, tracked)
    return MovementEstimate(
        Movement(best), round(scores[best] / total, 2), scores, feats, None, tracked
    )


def _without(angles: Angles, pose: Pose, frames: np.ndarray | None) -> tuple[Angles, Pose]:
    """`angles` and `pose` with the (T,) `frames` emptied, where at least KEEP_S of frames
    with the hips known are left (else as they are: too little left to read a rhythm)."""
    if frames is None or not frames.any():
        return angles, pose
    depth = None if pose.depth is None else np.where(frames[:, None], np.nan, pose.depth)
    xy = np.where(frames[:, None, None], np.nan, pose.xy)
    kept = Pose(pose.time, xy, pose.visibility, depth)
    if tracked_seconds(kept) < KEEP_S:
        return angles, pose
    values = {key: np.where(frames, np.nan, v) for key, v in angles.values.items()}
    return replace(angles, values=values), kept


def tracked_seconds(pose: Pose) -> float:
    """Seconds of (T,) frames with both hips known, at the clip's frame rate (to 1 ms)."""
    hips = np.isfinite(pose.mid("left_hip", "right_hip")).all(axis=1)
    return round(float(hips.sum()) / sampling_rate(pose.time), 3)


def looks_like(feats: dict[str, float], table: dict[str, Score]) -> str | None:
    """The key of the best-scoring entry of `table`, or None when none reaches SEEN_MIN."""
    scored = {key: fn(feats) for key, fn in table.items()}
    best = max(scored, key=scored.get, default=None)
    return best if best is not None and scored[best] >= SEEN_MIN else None

"""Which movement the clip shows (sprint/run, lunge, hip hinge), with a confidence.

Each movement has a small scoring function of a few clip features; the best
score wins and the confidence is its share of all scores. Features are
computed from angle and landmark series (time axis 0, NaN where unknown).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from movement_screen.core import Angles, Movement, Pose, View
from movement_screen.events import hip_depth

MIN_SCORE = 0.15  # below this for every movement: not recognised


@dataclass(frozen=True)
class MovementEstimate:
    movement: Movement | None  # None: not recognised
    confidence: float  # 0-1
    scores: dict[str, float]


def _ramp(x: float, lo: float, hi: float) -> float:
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


def _antiphase(a: np.ndarray, b: np.ndarray) -> float:
    """Minus the correlation of two series: +1 when one rises as the other falls."""
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 10 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return np.nan
    return float(-np.corrcoef(a[ok], b[ok])[0, 1])


def features(angles: Angles, pose: Pose) -> dict[str, float]:
    """The numbers the scores use (degrees, leg lengths, correlations)."""
    v = angles.values
    knees_y = [pose.point(f"{s}_knee")[:, 1] for s in ("left", "right")]
    torso = np.linalg.norm(
        pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_hip", "right_hip"), axis=1
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return {
            "hip_drop": _spread(hip_depth(pose)),
            "thigh_antiphase": _antiphase(v["thigh_angle_left"], v["thigh_angle_right"]),
            "thigh_range": min(_spread(v["thigh_angle_left"]), _spread(v["thigh_angle_right"])),
            "leg_split": _upper(np.abs(v["thigh_angle_left"] - v["thigh_angle_right"])),
            "trunk_range": _spread(v["trunk_lean"]),
            "knee_antiphase": _antiphase(*knees_y),
            "torso_shrink": _spread(torso) / np.nanmedian(torso),
        }


Score = Callable[[dict[str, float]], float]


def _side_sprint(f: dict[str, float]) -> float:
    """Legs swinging in turn through a wide range."""
    return _ramp(f["thigh_antiphase"], 0.3, 0.7) * _ramp(f["thigh_range"], 30, 60)


def _side_lunge(f: dict[str, float]) -> float:
    """Hips going down and up with the legs split, not swinging in turn."""
    in_turn = _ramp(f["thigh_antiphase"], 0.3, 0.7)
    return _ramp(f["hip_drop"], 0.08, 0.16) * _ramp(f["leg_split"], 30, 50) * (1 - in_turn)


def _side_hinge(f: dict[str, float]) -> float:
    """The trunk tipping forward and back with the legs side by side."""
    return _ramp(f["trunk_range"], 20, 45) * (1 - _ramp(f["leg_split"], 20, 35))


def _front_sprint(f: dict[str, float]) -> float:
    """Knees rising in turn, hips at a steady height."""
    return _ramp(f["knee_antiphase"], 0.3, 0.7) * (1 - _ramp(f["hip_drop"], 0.2, 0.3))


def _front_lunge(f: dict[str, float]) -> float:
    """Hips going down and up, the torso keeping its length (upright)."""
    return _ramp(f["hip_drop"], 0.08, 0.16) * (1 - _ramp(f["torso_shrink"], 0.25, 0.4))


def _front_hinge(f: dict[str, float]) -> float:
    """The torso looking shorter as it tips toward the camera, hips not dropping much."""
    return _ramp(f["torso_shrink"], 0.2, 0.4) * (1 - _ramp(f["hip_drop"], 0.2, 0.3))


SIDE_SCORES: dict[Movement, Score] = {
    Movement.SPRINT: _side_sprint,
    Movement.LUNGE: _side_lunge,
    Movement.HINGE: _side_hinge,
}
FRONT_SCORES: dict[Movement, Score] = {
    Movement.SPRINT: _front_sprint,
    Movement.LUNGE: _front_lunge,
    Movement.HINGE: _front_hinge,
}


def detect_movement(angles: Angles, pose: Pose) -> MovementEstimate:
    """The best-scoring movement for this view, or None when none scores at least MIN_SCORE."""
    table = SIDE_SCORES if angles.view is View.SIDE else FRONT_SCORES
    feats = features(angles, pose)
    scores = {m.value: round(fn(feats), 3) for m, fn in table.items()}
    best = max(scores, key=scores.get)
    total = sum(scores.values())
    if scores[best] < MIN_SCORE:
        return MovementEstimate(None, 0.0, scores)
    return MovementEstimate(Movement(best), round(scores[best] / total, 2), scores)

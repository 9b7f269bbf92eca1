"""Joint angles from cleaned landmarks: a table of small named functions.

Positions are pixels with y up (see `core`); angles are degrees, NaN where a
landmark is missing. `facing` is +1 where the athlete faces image-right, -1
where they face image-left, so that no angle changes sign with direction.

| column | view | definition |
| --- | --- | --- |
| `trunk_lean` | side | hip midpoint to shoulder midpoint, from vertical; + leaning toward where the athlete faces |
| `thigh_angle_left`, `_right` | side | hip to knee, from straight down; + knee in front of the hip, - behind (hip extension) |
| `hip_flexion_left`, `_right` | side | thigh against the trunk line (thigh angle + trunk lean); + flexion, - extension |
| `knee_flexion_left`, `_right` | side | thigh angle minus shank angle; 0 = straight leg, + flexed |
| `knee_height_left`, `_right` | side | knee height above the hip / (thigh + shank length, clip median); + knee above hip |
| `pelvic_obliquity` | front | the waistband line against horizontal (`pelvis`; here first the line through the two hip points); + the athlete's left side higher |
| `trunk_lean_frontal` | front | hip midpoint to shoulder midpoint, from vertical; + toward the athlete's left |
| `knee_fppa_left`, `_right` | front | frontal-plane projection angle: thigh against shank seen from the front; + valgus (knee inward); empty where the thigh is turned more than 45 degrees toward the camera (seen at under 0.7 of its length), as at the bottom of a lunge, and in every frame where the feet say the athlete stands turned 10 degrees or more from the camera (`view.feet_turn`: a bent knee's angle then follows the turn) |

`pelvic_obliquity` is the only pelvic tilt this tool shows: frontal plane. The
line through the two hip points follows a drop at a fraction of its size, so
`pipeline` replaces it with the waistband line found in the picture
(`movement_screen.pelvis`), or withholds it where no waistband is seen. Sagittal pelvic tilt (ASIS-PSIS) needs points on
the pelvis that MediaPipe does not give, so the tool never reports it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

import numpy as np

from movement_screen.core import Angles, Pose, View

AngleFn = Callable[[Pose, np.ndarray], np.ndarray]


def _from_vertical(vec: np.ndarray, forward: np.ndarray, *, down: bool = False) -> np.ndarray:
    """Angle (deg) of (T, 2) vectors from vertical (up, or down), + toward `forward` (T,) ±1."""
    vertical = -vec[:, 1] if down else vec[:, 1]
    return np.degrees(np.arctan2(forward * vec[:, 0], vertical))


def square_on(pose: Pose, off_square_deg: float) -> Pose:
    """The side view as a camera square to the athlete would see it: a camera turned
    `off_square_deg` off square sees forward and backward distances shortened by the
    cosine of that (heights not), so image x is stretched back by its inverse. Exact for
    points in the plane the legs and trunk swing in, seen from far; the far leg's and the
    near leg's own angles both come back, whatever their distance apart."""
    if not off_square_deg:
        return pose
    xy = pose.xy.copy()
    xy[..., 0] /= np.cos(np.radians(off_square_deg))
    return dataclasses.replace(pose, xy=xy)


def _wrap(deg: np.ndarray) -> np.ndarray:
    return (deg + 180.0) % 360.0 - 180.0


def trunk_lean(pose: Pose, facing: np.ndarray) -> np.ndarray:
    trunk = pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_hip", "right_hip")
    return _from_vertical(trunk, facing)


def thigh_angle(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    thigh = pose.point(f"{side}_knee") - pose.point(f"{side}_hip")
    return _from_vertical(thigh, facing, down=True)


def shank_angle(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    shank = pose.point(f"{side}_ankle") - pose.point(f"{side}_knee")
    return _from_vertical(shank, facing, down=True)


def hip_flexion(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    return _wrap(thigh_angle(pose, facing, side=side) + trunk_lean(pose, facing))


def knee_flexion(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    return _wrap(thigh_angle(pose, facing, side=side) - shank_angle(pose, facing, side=side))


def leg_length(pose: Pose, side: str) -> float:
    """Clip median of thigh + shank length on one side, pixels (NaN if never seen)."""
    hip, knee, ankle = (pose.point(f"{side}_{p}") for p in ("hip", "knee", "ankle"))
    total = np.linalg.norm(knee - hip, axis=1) + np.linalg.norm(ankle - knee, axis=1)
    return float(np.nanmedian(total)) if np.isfinite(total).any() else np.nan


def mean_leg_length(pose: Pose) -> float:
    """Mean of the left and right leg lengths (`leg_length`), pixels."""
    return float(np.nanmean([leg_length(pose, "left"), leg_length(pose, "right")]))


def knee_height(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    rise = pose.point(f"{side}_knee")[:, 1] - pose.point(f"{side}_hip")[:, 1]
    return rise / leg_length(pose, side)


def athlete_left(pose: Pose) -> np.ndarray:
    """(T,) +1 where the athlete's left is image-right (seen from the front), else -1."""
    return np.sign(pose.point("left_hip")[:, 0] - pose.point("right_hip")[:, 0])


def pelvic_obliquity(pose: Pose, facing: np.ndarray) -> np.ndarray:
    line = pose.point("left_hip") - pose.point("right_hip")
    return np.degrees(np.arctan2(line[:, 1], np.abs(line[:, 0])))


def trunk_lean_frontal(pose: Pose, facing: np.ndarray) -> np.ndarray:
    trunk = pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_hip", "right_hip")
    return _from_vertical(trunk, athlete_left(pose))


def knee_fppa(pose: Pose, facing: np.ndarray, *, side: str) -> np.ndarray:
    """Thigh minus shank angle from vertical, + toward the midline: + is valgus. NaN where
    the thigh points at the camera (`thigh_seen` under FPPA_MIN_THIGH)."""
    medial = athlete_left(pose) * (-1.0 if side == "left" else 1.0)
    thigh = pose.point(f"{side}_knee") - pose.point(f"{side}_hip")
    shank = pose.point(f"{side}_ankle") - pose.point(f"{side}_knee")
    fppa = _wrap(
        _from_vertical(thigh, medial, down=True) - _from_vertical(shank, medial, down=True)
    )
    fppa[thigh_seen(pose, side) < FPPA_MIN_THIGH] = np.nan
    return fppa


# A thigh seen from the front at under this share of its length is turned more than 45
# degrees toward the camera (the front leg at the bottom of a lunge), and the knee's angle
# in the picture says little: on the train front-view lunges, seen at 0.32-0.61 at the
# bottom, FPPA read 19-34 degrees off on clean lunges (beyond its 7.5-9 degree smallest real
# change); single-leg squats from the front, seen at 0.9, read within 2 degrees.
FPPA_MIN_THIGH = 0.7


def thigh_seen(pose: Pose, side: str) -> np.ndarray:
    """(T,) the thigh's length in the picture against its longest (95th percentile over the
    clip, standing): 1 square to the camera, toward 0 as it points at it."""
    length = np.linalg.norm(pose.point(f"{side}_knee") - pose.point(f"{side}_hip"), axis=1)
    if not np.isfinite(length).any():
        return np.full(len(pose), np.nan)
    return length / np.nanpercentile(length, 95)


def _sided(fn: Callable[..., np.ndarray], name: str) -> dict[str, AngleFn]:
    return {f"{name}_{side}": partial(fn, side=side) for side in ("left", "right")}


SIDE_ANGLES: dict[str, AngleFn] = {
    "trunk_lean": trunk_lean,
    **_sided(thigh_angle, "thigh_angle"),
    **_sided(hip_flexion, "hip_flexion"),
    **_sided(knee_flexion, "knee_flexion"),
    **_sided(knee_height, "knee_height"),
}
FRONT_ANGLES: dict[str, AngleFn] = {
    "pelvic_obliquity": pelvic_obliquity,
    "trunk_lean_frontal": trunk_lean_frontal,
    **_sided(knee_fppa, "knee_fppa"),
}
ANGLES_BY_VIEW = {View.SIDE: SIDE_ANGLES, View.FRONT: FRONT_ANGLES}
COLUMNS: tuple[str, ...] = (*SIDE_ANGLES, *FRONT_ANGLES)
UNITS = {name: ("ratio" if name.startswith("knee_height") else "deg") for name in COLUMNS}


def angles(pose: Pose, *, view: View, facing: np.ndarray) -> Angles:
    """Every angle of the table; those of the other view stay NaN."""
    blank = np.full(len(pose), np.nan)
    table = ANGLES_BY_VIEW[view]
    with np.errstate(invalid="ignore"):
        values = {
            name: (table[name](pose, facing) if name in table else blank.copy()) for name in COLUMNS
        }
    return Angles(time=pose.time, values=values, view=view, facing=facing)

"""Ground-truth angles from joint centres (3D skeleton or projected 2D pixels).

Every function works on *planar* coordinates: (T, 2) arrays of (horizontal, up), where the
horizontal axis is the athlete's forward direction (sagittal plane, side view) or the athlete's
own left (frontal plane, front view). Projecting the 3D skeleton onto its body planes and the
image points onto the picture plane both reduce to this, so the two truths share one code path.
"""

from __future__ import annotations

import numpy as np

from .skeleton import SIDE_SIGN, SIDES, Facing

SIDE_COLUMNS = tuple(
    f"{q}_{s}" for q in ("thigh_angle", "hip_flexion", "knee_flexion", "knee_height") for s in SIDES
)
FRONT_COLUMNS = ("pelvic_obliquity", "trunk_lean_frontal", "knee_fppa_left", "knee_fppa_right")
ANGLE_COLUMNS = ("trunk_lean", *SIDE_COLUMNS, *FRONT_COLUMNS)


def _deg(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(y, x))


def _wrap(a: np.ndarray) -> np.ndarray:
    return (a + 180.0) % 360.0 - 180.0


def _mid(p: dict[str, np.ndarray], a: str, b: str) -> np.ndarray:
    return 0.5 * (p[a] + p[b])


def sagittal(p: dict[str, np.ndarray], leg_len: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Side-view columns from planar (forward, up) points {name: (T, 2)}.

    ``leg_len[side]`` is the thigh + shank length used to normalise knee height.
    """
    d = _mid(p, "left_shoulder", "right_shoulder") - _mid(p, "left_hip", "right_hip")
    trunk = _deg(d[:, 0], d[:, 1])
    out = {"trunk_lean": trunk}
    for side in SIDES:
        hip, knee, ankle = p[f"{side}_hip"], p[f"{side}_knee"], p[f"{side}_ankle"]
        thigh = _deg(knee[:, 0] - hip[:, 0], hip[:, 1] - knee[:, 1])
        shank = _deg(ankle[:, 0] - knee[:, 0], knee[:, 1] - ankle[:, 1])
        out[f"thigh_angle_{side}"] = thigh
        out[f"hip_flexion_{side}"] = _wrap(thigh + trunk)
        out[f"knee_flexion_{side}"] = _wrap(thigh - shank)
        out[f"knee_height_{side}"] = (knee[:, 1] - hip[:, 1]) / leg_len[side]
    return out


def frontal(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Front-view columns from planar (athlete's left, up) points {name: (T, 2)}.

    The knee FPPA is NaN in frames where the hip is not above the knee or the knee not above the
    ankle in the plane (the trail leg of a deep lunge), where the angle is meaningless.
    """
    d = p["left_hip"] - p["right_hip"]
    out = {"pelvic_obliquity": _deg(d[:, 1], d[:, 0])}
    d = _mid(p, "left_shoulder", "right_shoulder") - _mid(p, "left_hip", "right_hip")
    out["trunk_lean_frontal"] = _deg(d[:, 0], d[:, 1])
    for side in SIDES:
        v1 = p[f"{side}_knee"] - p[f"{side}_hip"]
        v2 = p[f"{side}_ankle"] - p[f"{side}_knee"]
        cross = v1[:, 0] * v2[:, 1] - v1[:, 1] * v2[:, 0]
        dot = np.sum(v1 * v2, axis=1)
        fppa = SIDE_SIGN[side] * _deg(cross, dot)
        # Undefined unless hip above knee above ankle (e.g. a trail shank lying flat behind).
        out[f"knee_fppa_{side}"] = np.where((v1[:, 1] < 0) & (v2[:, 1] < 0), fppa, np.nan)
    return out


def _fill(view: str, cols: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """All ANGLE_COLUMNS, NaN for the ones the view does not define."""
    keep = FRONT_COLUMNS if view == "front" else ("trunk_lean", *SIDE_COLUMNS)
    return {c: (cols[c] if c in keep else np.full(n, np.nan)) for c in ANGLE_COLUMNS}


def truth_3d(world: dict[str, np.ndarray], facing: Facing, view: str) -> dict[str, np.ndarray]:
    """Angles of the 3D skeleton in its sagittal (side view) or frontal (front view) plane."""
    body = {k: facing.to_body(v) for k, v in world.items()}
    n = len(body["left_hip"])
    if view == "front":
        return _fill(view, frontal({k: v[:, [2, 1]] for k, v in body.items()}), n)
    lengths = {
        s: np.linalg.norm(body[f"{s}_knee"] - body[f"{s}_hip"], axis=1)
        + np.linalg.norm(body[f"{s}_ankle"] - body[f"{s}_knee"], axis=1)
        for s in SIDES
    }
    return _fill(view, sagittal({k: v[:, [0, 1]] for k, v in body.items()}, lengths), n)


def truth_2d(px: dict[str, np.ndarray], facing: str, view: str) -> dict[str, np.ndarray]:
    """The same angles from projected image points {name: (T, 2) pixels, x right, y down}.

    ``facing`` is 'right' or 'left' (side view: the athlete's forward is image +x or -x) or
    'camera' (front view: the athlete's left is image +x) or 'away' (seen from behind: the
    athlete's left is image -x).
    """
    sign = -1.0 if facing in ("left", "away") else 1.0
    planar = {k: np.stack([sign * v[:, 0], -v[:, 1]], axis=1) for k, v in px.items()}
    n = len(planar["left_hip"])
    if view == "front":
        return _fill(view, frontal(planar), n)
    lengths = {
        s: np.linalg.norm(planar[f"{s}_knee"] - planar[f"{s}_hip"], axis=1)
        + np.linalg.norm(planar[f"{s}_ankle"] - planar[f"{s}_knee"], axis=1)
        for s in SIDES
    }
    return _fill(view, sagittal(planar, lengths), n)

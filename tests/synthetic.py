"""Poses built from known joint angles, for exact tests (pixels, y up)."""

from __future__ import annotations

import numpy as np

from movement_screen.core import Pose
from movement_screen.landmarks import INDEX, N_LANDMARKS

TRUNK, THIGH, SHANK = 50.0, 45.0, 42.0


def _unit(angle_deg: np.ndarray, facing: float, *, down: bool) -> np.ndarray:
    a = np.radians(angle_deg)
    vertical = -np.cos(a) if down else np.cos(a)
    return np.stack([facing * np.sin(a), vertical], axis=-1)


def side_pose(
    time: np.ndarray,
    *,
    trunk: np.ndarray,
    thigh: dict[str, np.ndarray],
    knee: dict[str, np.ndarray],
    facing: float = 1.0,
) -> Pose:
    """A side view: trunk lean, thigh angles and knee flexions per side, all (T,) degrees."""
    t = len(time)
    xy = np.zeros((t, N_LANDMARKS, 2))
    hip = np.array([200.0, 300.0])
    shoulder = hip + TRUNK * _unit(trunk, facing, down=False)
    xy[:] = shoulder[:, None, :]
    for side in ("left", "right"):
        knee_xy = hip + THIGH * _unit(thigh[side], facing, down=True)
        ankle = knee_xy + SHANK * _unit(thigh[side] - knee[side], facing, down=True)
        put = {
            "hip": np.broadcast_to(hip, (t, 2)),
            "shoulder": shoulder,
            "knee": knee_xy,
            "ankle": ankle,
            "heel": ankle + np.array([-4.0 * facing, -4.0]),
            "foot_index": ankle + np.array([15.0 * facing, -3.0]),
            "ear": shoulder + np.array([0.0, 15.0]),
        }
        for part, value in put.items():
            xy[:, INDEX[f"{side}_{part}"]] = value
    xy[:, INDEX["nose"]] = shoulder + np.array([8.0 * facing, 16.0])
    return Pose(np.asarray(time, float), xy, np.ones((t, N_LANDMARKS)))


def front_pose(
    time: np.ndarray,
    *,
    obliquity: np.ndarray,
    trunk: np.ndarray,
    knee_in: dict[str, np.ndarray],
    facing_camera: bool = True,
) -> Pose:
    """A front view: pelvis tilt (+ left hip up), trunk lean (+ to the athlete's left) and
    each knee moved toward the midline by `knee_in` pixels, all (T,)."""
    t = len(time)
    left = 1.0 if facing_camera else -1.0  # image direction of the athlete's left
    xy = np.zeros((t, N_LANDMARKS, 2))
    centre = np.array([300.0, 300.0])
    half = 15.0
    a = np.radians(obliquity)
    tilt = np.stack([left * half * np.cos(a), half * np.sin(a)], axis=-1)
    hips = {"left": centre + tilt, "right": centre - tilt}
    shoulder = centre + TRUNK * np.stack(
        [left * np.sin(np.radians(trunk)), np.cos(np.radians(trunk))], -1
    )
    xy[:] = shoulder[:, None, :]
    for side, sign in (("left", 1.0), ("right", -1.0)):
        hip = hips[side]
        ankle = hip + np.array([0.0, -(THIGH + SHANK)])
        knee = hip + np.array([0.0, -THIGH])
        knee = knee + np.stack([-sign * left * knee_in[side], np.zeros(t)], axis=-1)
        for part, value in {"hip": hip, "knee": knee, "ankle": ankle}.items():
            xy[:, INDEX[f"{side}_{part}"]] = value
        xy[:, INDEX[f"{side}_shoulder"]] = shoulder + np.array([sign * left * 20.0, 0.0])
    return Pose(np.asarray(time, float), xy, np.ones((t, N_LANDMARKS)))


def side_hinge(n: int = 60, fps: float = 30.0) -> Pose:
    """A hip hinge from the side, the legs side by side (hip and knee bending together)."""
    t = np.arange(n) / fps
    bend = 20 + 15 * np.sin(2 * np.pi * 0.5 * t)
    legs = {"left": bend, "right": bend}
    return side_pose(t, trunk=3 * bend, thigh=legs, knee=legs)

"""Stationary forward lunge (split stance): both feet stay planted, the pelvis goes down and up.

The bottom pose is given by joint angles (front thigh/knee, trail thigh, trunk); the feet are
placed from it, then every frame solves a planar two-link leg for each foot (sagittal angles
exactly, with frontal tilt shortening the links), so neither foot slides or leaves the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .skeleton import SIDE_SIGN, Build, Pose


def _rep_depth(t: np.ndarray, period: float) -> np.ndarray:
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * t / period)


def two_link(hip: np.ndarray, target: np.ndarray, l1, l2) -> tuple[np.ndarray, np.ndarray]:
    """Planar leg IK with the knee in front: (T, 2) hip and ankle in (F, U) -> thigh, knee (deg)."""
    v = target - hip
    reach = np.minimum(np.linalg.norm(v, axis=1), 0.99999 * (l1 + l2))
    base = np.arctan2(v[:, 0], -v[:, 1])
    cos_k = np.clip((l1**2 + l2**2 - reach**2) / (2 * l1 * l2), -1.0, 1.0)
    cos_o = np.clip((l1**2 + reach**2 - l2**2) / (2 * l1 * reach), -1.0, 1.0)
    return np.degrees(base + np.arccos(cos_o)), np.degrees(np.pi - np.arccos(cos_k))


def _toe_to_ankle(toe_c: np.ndarray, pitch, b: Build) -> np.ndarray:
    """Ankle (F, U) from the toe-sphere centre for a foot pitched ``pitch`` degrees."""
    lg = b.lengths
    p = np.radians(pitch)
    f = np.stack([np.cos(p), np.sin(p)], axis=-1)
    n = np.stack([-np.sin(p), np.cos(p)], axis=-1)
    return toe_c - (lg["toe_fwd"] - lg["toe_r"]) * f + (lg["ankle_h"] - lg["toe_r"]) * n


def _chain(hip, thigh, knee, l1, l2):
    th, sh = np.radians(thigh), np.radians(thigh - knee)
    k = hip + l1 * np.stack([np.sin(th), -np.cos(th)], axis=-1)
    return k, k + l2 * np.stack([np.sin(sh), -np.cos(sh)], axis=-1)


def _feet(b: Build, front: dict, back_thigh: float, back_pitch: float, roll: float, lead: int):
    """Fixed feet from the bottom pose: front ankle and trail toe-sphere centre (F, U)."""
    lg = b.lengths
    hh = lg["hip_half"] * np.sin(np.radians(roll))
    hip_f = np.array([0.0, SIDE_SIGN[("left", "right")[lead]] * hh])
    _, ankle_f = _chain(hip_f, front["thigh"], front["knee"], front["l1"], front["l2"])
    floor = ankle_f[1] - lg["ankle_h"]
    knee_b, _ = _chain(-hip_f, back_thigh, 0.0, b.thigh, b.shank)
    ankle_u = _toe_to_ankle(np.array([0.0, floor + lg["toe_r"]]), back_pitch, b)[1]
    shank = -np.arccos(np.clip((knee_b[1] - ankle_u) / b.shank, -1.0, 1.0))
    ankle_b = knee_b + b.shank * np.array([np.sin(shank), -np.cos(shank)])
    toe_b = ankle_b - _toe_to_ankle(np.zeros(2), back_pitch, b)
    return ankle_f, toe_b


@dataclass(frozen=True)
class Frontal:
    """Frontal-plane faults at the bottom of a rep, degrees: ``drop`` of the trail side of the
    pelvis (- a hike), ``adduction`` of the front hip (knee valgus), sideways trunk ``lean``
    toward the trail side."""

    drop: float = 0.8
    adduction: float = 0.35
    lean: float = 0.0

    @staticmethod
    def of(valgus: bool, drop: float | None, adduction: float | None, lean: float | None):
        """The classic valgus lunge (a 9 degree drop, 8 degrees of lean) or a level one, with
        any of the three given explicitly."""
        base = Frontal(9.0, 4.4, 8.0) if valgus else Frontal()
        return Frontal(
            base.drop if drop is None else drop,
            base.adduction if adduction is None else adduction,
            base.lean if lean is None else lean,
        )


def _frontal(d: np.ndarray, fr: Frontal, lead: str) -> dict[str, np.ndarray]:
    """Frontal-plane schedules: front-hip adduction, pelvic roll, sideways trunk lean."""
    sign = SIDE_SIGN[lead]  # the trail hip drops: + roll when the left leg leads
    return {"add": fr.adduction * d, "roll": sign * fr.drop * d, "side": sign * fr.lean * d}


def _front_links(b: Build, add_deg) -> tuple:
    """Front-leg effective sagittal link lengths and shank tilt (rad) that keep the foot under
    the hip laterally while the leg plane is adducted by ``add_deg``."""
    add = np.radians(add_deg)
    gam = -np.arcsin(b.thigh * np.sin(add) / b.shank)
    return b.thigh * np.cos(add), b.shank * np.cos(gam), gam


def _stance(b: Build, d: np.ndarray, fr: Frontal, lead: str):
    """Planted feet and the pelvis path (T, 2) in (F, U); the pelvis is at 0 at the bottom."""
    fb = {k: float(v[0]) for k, v in _frontal(np.ones(1), fr, lead).items()}
    l1, l2, _ = _front_links(b, fb["add"])
    front = {"thigh": 78.0, "knee": 92.0, "l1": l1, "l2": l2}
    ankle_f, toe_b = _feet(b, front, -15.0, -50.0, fb["roll"], ("left", "right").index(lead))
    reach = 0.975 * (b.thigh + b.shank)
    top_u = min(
        a[1] + np.sqrt(reach**2 - (a[0] + 0.05) ** 2)
        for a in (ankle_f, _toe_to_ankle(toe_b, -30.0, b))
    )
    pelvis = np.stack([-0.05 * (1 - d), top_u * (1 - d)], axis=-1)
    return ankle_f, toe_b, pelvis


def lunge(
    t: np.ndarray,
    build: Build,
    *,
    lead: str = "left",
    trunk: float = 3.0,
    valgus: bool = False,
    period: float = 1.4,
    drop: float | None = None,
    adduction: float | None = None,
    lean: float | None = None,
) -> Pose:
    """Split-stance lunge reps; ``lead`` = the front leg; ``trunk`` = lean at the bottom;
    ``valgus`` or ``drop``, ``adduction``, ``lean``: the frontal-plane faults (`Frontal`)."""
    n, b = len(t), build
    d = _rep_depth(t, period)
    faults = Frontal.of(valgus, drop, adduction, lean)
    fr = _frontal(d, faults, lead)
    ankle_f, toe_b, pelvis = _stance(b, d, faults, lead)
    pitch_b = -30.0 - 20.0 * d
    l1, l2, gam = _front_links(b, fr["add"])
    hh = b.lengths["hip_half"] * np.sin(np.radians(fr["roll"]))
    cols = {k: np.zeros((n, 2)) for k in ("thigh", "knee", "foot", "hip_add", "knee_valgus")}
    for i, side in enumerate(("left", "right")):
        hip = pelvis + np.stack([np.zeros(n), SIDE_SIGN[side] * hh], axis=-1)
        if side == lead:
            th, kn = two_link(hip, np.broadcast_to(ankle_f, (n, 2)), l1, l2)
            cols["hip_add"][:, i] = fr["add"]
            cols["knee_valgus"][:, i] = fr["add"] - np.degrees(gam)
        else:
            ankle_b = _toe_to_ankle(np.broadcast_to(toe_b, (n, 2)), pitch_b, b)
            th, kn = two_link(hip, ankle_b, b.thigh, b.shank)
            cols["foot"][:, i] = pitch_b
        cols["thigh"][:, i], cols["knee"][:, i] = th, kn
    return Pose(
        trunk=1.0 + (trunk - 1.0) * d,
        trunk_side=fr["side"],
        pelvis_roll=fr["roll"],
        shoulder=np.ones((n, 2)) * (6.0 + 6.0 * d[:, None]),
        elbow=np.ones((n, 2)) * (12.0 + 10.0 * d[:, None]),
        root_fwd=pelvis[:, 0],
        **cols,
    )

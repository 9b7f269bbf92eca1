"""Joint-angle curves over time for each motion, and the table of motions and faults.

Each motion function takes ``t`` (T,) seconds, a :class:`Build` and keyword parameters, and
returns a :class:`Pose` (degrees; axis 0 = time). ``FAULTS`` maps (motion, fault) to the
keyword parameters that make the fault.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from .lunge import lunge
from .skeleton import Build, Pose


def periodic(knots: list[tuple[float, float]], phase: np.ndarray) -> np.ndarray:
    """Smooth periodic curve through (phase, value) knots on [0, 1); evaluated at ``phase``."""
    x = np.array([k[0] for k in knots] + [1.0])
    y = np.array([k[1] for k in knots] + [knots[0][1]])
    return CubicSpline(x, y, bc_type="periodic")(np.mod(phase, 1.0))


def rep_depth(t: np.ndarray, period: float) -> np.ndarray:
    """0 at the top of a rep, 1 at the bottom; smooth, starting at the top at t = 0."""
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * t / period)


def _sprint_leg(phase: np.ndarray, peak: float) -> tuple[np.ndarray, ...]:
    """Thigh, knee and plantarflexion curves for one leg; phase 0 = toe-off, 0.75 = touchdown."""
    scale = (peak + 18.0) / 88.0
    swing = [(0.12, 8.0), (0.3, 52.0), (0.45, 70.0)]
    thigh = periodic(
        [(0.0, -18.0)]
        + [(p, -18.0 + (v + 18.0) * scale) for p, v in swing]
        + [(0.6, 62.0 + 0.5 * (peak - 70.0)), (0.75, 35.0), (0.87, 10.0)],
        phase,
    )
    knee_peak = 125.0 if peak < 90 else 118.0
    knee = periodic(
        [
            (0.0, 22.0),
            (0.15, 80.0),
            (0.3, knee_peak),
            (0.45, 100.0 + 0.2 * (peak - 70.0)),
            (0.6, 50.0 + 0.9 * (peak - 70.0)),
            (0.72, 20.0),
            (0.8, 35.0),
            (0.88, 38.0),
        ],
        phase,
    )
    plantar = periodic(
        [(0.0, 30.0), (0.15, 15.0), (0.35, 0.0), (0.55, -5.0), (0.72, 0.0), (0.82, -10.0)],
        phase,
    )
    return thigh, knee, plantar


def gait(t: np.ndarray, stride_hz: float, phase0: float, legs, *, arms) -> dict[str, np.ndarray]:
    """Per-side (T, 2) thigh, knee, foot, shoulder and elbow of a gait: each leg's
    ``legs[i](phase) -> (thigh, knee, plantarflexion)`` half a cycle apart, and arms
    swinging as ``((shoulder mean, swing), (elbow mean, swing), phase of the swing)``."""
    (sh_mean, sh_swing), (el_mean, el_swing), arm_phase = arms
    cols = {k: np.zeros((len(t), 2)) for k in ("thigh", "knee", "foot", "shoulder", "elbow")}
    for i, leg in enumerate(legs):
        ph = t * stride_hz + phase0 + 0.5 * i
        thigh, knee, plantar = leg(ph)
        cols["thigh"][:, i], cols["knee"][:, i] = thigh, knee
        cols["foot"][:, i] = thigh - knee - plantar
        arm = np.cos(2.0 * np.pi * (ph - arm_phase))
        cols["shoulder"][:, i] = sh_mean - sh_swing * arm
        cols["elbow"][:, i] = el_mean - el_swing * arm
    return cols


def sprint(
    t: np.ndarray,
    build: Build,
    *,
    peak_thigh: float = 70.0,
    trunk: float = 7.0,
    stride_hz: float = 2.0,
    phase0: float = 0.1,
    asym: float = 0.0,
    trunk_drift: float = 0.0,
) -> Pose:
    """Sprinting in place (treadmill style): the pelvis does not travel.

    ``asym``: the left leg's peak thigh angle minus the right's (degrees); ``trunk_drift``:
    how much more the trunk leans at the end of the clip than at its start (degrees).
    """
    del build
    legs = [lambda ph, i=i: _sprint_leg(ph, peak_thigh + (0.5 - i) * asym) for i in range(2)]
    cols = gait(t, stride_hz, phase0, legs, arms=((10.0, 60.0), (90.0, 15.0), 0.45))
    lean = trunk + 1.5 * np.sin(4.0 * np.pi * (t * stride_hz + phase0))
    lean = lean + trunk_drift * t / max(float(t[-1]), 1e-9)
    return Pose(trunk=lean, **cols)


def hinge(
    t: np.ndarray,
    build: Build,
    *,
    knee: float = 18.0,
    shank: float = -2.0,
    trunk: float = 69.0,
    period: float = 1.6,
) -> Pose:
    """Hip hinge with feet planted (ankles at F = 0); values are reached at the bottom.

    ``shank`` is the shank's sagittal angle (knee->ankle from straight down; negative = knee
    ahead of the ankle); the thigh angle follows as ``shank + knee``.
    """
    d = rep_depth(t, period)
    n = len(t)
    k = knee * d
    sh = shank * d
    th = sh + k
    two = np.ones((n, 2))
    arm = np.ones((n, 2))
    root = -(build.thigh * np.sin(np.radians(th)) + build.shank * np.sin(np.radians(sh)))
    return Pose(
        trunk=1.0 + (trunk - 1.0) * d,
        thigh=th[:, None] * two,
        knee=k[:, None] * two,
        foot=np.zeros((n, 2)),
        shoulder=arm * 2.0,
        elbow=arm * 8.0,
        root_fwd=root,
    )


MOTIONS = {"sprint": sprint, "lunge": lunge, "hinge": hinge}

FAULTS: dict[tuple[str, str], dict] = {
    ("sprint", "none"): {},
    ("sprint", "knee_drive"): {"peak_thigh": 103.0},
    ("sprint", "trunk_lean"): {"trunk": 28.0},
    ("lunge", "none"): {},
    ("lunge", "trunk_lean"): {"trunk": 28.0},
    ("lunge", "valgus"): {"valgus": True},
    ("hinge", "none"): {},
    ("hinge", "squat"): {"knee": 80.0, "shank": -28.0, "trunk": 40.0},
    ("single_leg_squat", "none"): {},
    ("single_leg_squat", "drop"): {"drop": 9.0, "adduction": 6.0, "lean": 6.0},
}


def make_pose(motion: str, fault: str, t: np.ndarray, build: Build, **extra) -> Pose:
    """The pose over time for a motion with a fault ('none' = clean; the drawn clips of
    `draw` give their fault as parameters in ``extra``)."""
    from .others import OTHER_MOTIONS  # they build on the motions here
    from .single_leg_squat import single_leg_squat

    params = dict(FAULTS.get((motion, fault), {}))
    params.update(extra)
    every = {**MOTIONS, **OTHER_MOTIONS, "single_leg_squat": single_leg_squat}
    return every[motion](t, build, **params)

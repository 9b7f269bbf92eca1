"""Motions that are none of the screened movements (walking, standing, squatting, balancing on
one leg), and jogging, a slow running gait. Same form as `motions`: ``t`` (T,) seconds and a
:class:`Build` in, a :class:`Pose` (degrees, axis 0 = time) out.
"""

from __future__ import annotations

import numpy as np

from .motions import gait, hinge, periodic, sprint
from .skeleton import Build, Pose


def _walk_leg(phase: np.ndarray, stride: float) -> tuple[np.ndarray, ...]:
    """Thigh, knee and plantarflexion of one leg; phase 0 = toe-off, 0.4 = heel strike."""
    s = stride / 35.0  # thigh excursion, degrees: about 35 at a normal pace
    thigh = periodic(
        [
            (0.0, -10 * s),
            (0.15, 12 * s),
            (0.33, 25 * s),
            (0.42, 22 * s),
            (0.7, 2 * s),
            (0.9, -12 * s),
        ],
        phase,
    )
    knee = periodic(
        [(0.0, 40.0), (0.12, 62.0), (0.3, 20.0), (0.4, 4.0), (0.5, 15.0), (0.75, 5.0), (0.9, 25.0)],
        phase,
    )
    plantar = periodic([(0.0, 15.0), (0.2, 0.0), (0.4, -5.0), (0.6, 0.0), (0.88, 8.0)], phase)
    return thigh, knee, plantar


def walk(
    t: np.ndarray,
    build: Build,
    *,
    stride_hz: float = 0.9,
    stride: float = 35.0,
    trunk: float = 3.0,
    phase0: float = 0.0,
) -> Pose:
    """Walking in place (treadmill style): legs in turn, little knee bend, an upright trunk."""
    del build
    legs = [lambda ph: _walk_leg(ph, stride)] * 2
    cols = gait(t, stride_hz, phase0, legs, arms=((2.0, 18.0), (20.0, 5.0), 0.3))
    return Pose(trunk=trunk + 1.0 * np.sin(4.0 * np.pi * (t * stride_hz + phase0)), **cols)


def jog(t: np.ndarray, build: Build, *, stride_hz: float = 1.4, peak_thigh: float = 45.0, **kw):
    """A slow run: the sprint's leg pattern with less knee drive, at a lower cadence."""
    return sprint(t, build, stride_hz=stride_hz, peak_thigh=peak_thigh, **kw)


def stand(t: np.ndarray, build: Build, *, sway: float = 1.5, trunk: float = 2.0) -> Pose:
    """Standing still: a slow postural sway of a degree or two."""
    del build
    n = len(t)
    slow = np.sin(2.0 * np.pi * 0.23 * t)
    two = np.ones((n, 2))
    return Pose(
        trunk=trunk + sway * slow,
        thigh=(sway * 0.6 * slow)[:, None] * two,
        knee=np.full((n, 2), 4.0),
        foot=(sway * 0.6 * slow - 4.0)[:, None] * two,
        shoulder=np.full((n, 2), 3.0),
        elbow=np.full((n, 2), 12.0),
    )


def squat(
    t: np.ndarray,
    build: Build,
    *,
    knee: float = 115.0,
    shank: float = -33.0,
    trunk: float = 38.0,
    period: float = 2.6,
) -> Pose:
    """A bodyweight squat: the knees bend far and the trunk stays fairly upright."""
    return hinge(t, build, knee=knee, shank=shank, trunk=trunk, period=period)


def single_leg(
    t: np.ndarray,
    build: Build,
    *,
    stance: str = "left",
    free_thigh: float = 40.0,
    free_knee: float = 80.0,
    reach: float = 15.0,
    period: float = 3.0,
    trunk: float = 6.0,
) -> Pose:
    """Balancing on one leg: the free knee held up in front, reaching slowly forward and back."""
    del build
    n = len(t)
    d = 0.5 - 0.5 * np.cos(2.0 * np.pi * t / period)
    s, f = (0, 1) if stance == "left" else (1, 0)
    thigh, knee = np.zeros((n, 2)), np.zeros((n, 2))
    thigh[:, s], knee[:, s] = 3.0 * d, 6.0 + 12.0 * d
    thigh[:, f], knee[:, f] = free_thigh + reach * d, free_knee - 0.5 * reach * d
    foot = thigh - knee
    foot[:, s] = 0.0
    return Pose(
        trunk=trunk + 4.0 * d,
        thigh=thigh,
        knee=knee,
        foot=foot,
        shoulder=np.full((n, 2), 25.0) + 10.0 * d[:, None],
        elbow=np.full((n, 2), 30.0),
    )


OTHER_MOTIONS = {"walk": walk, "jog": jog, "stand": stand, "squat": squat, "single_leg": single_leg}

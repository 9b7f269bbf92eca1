"""The hip hinge (Romanian deadlift, good morning), filmed from the side: reps."""

from __future__ import annotations

import numpy as np

from movement_screen.classify import feet_planted, ramp
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.events import CycleOptions, cycles
from movement_screen.metrics import Metric, angle_at, both_legs
from movement_screen.movements import MovementSpec

REP = CycleOptions(prominence=20.0, min_gap_s=0.8)  # hip flexion, deg

METRICS: dict[str, Metric] = {
    "peak_hip_flexion": Metric(
        "deg",
        lambda a, p, e: both_legs(a, "hip_flexion", e.moments["deepest"]),
        "deepest",
        "hip_flexion",
    ),  # fmt: skip
    "trunk_lean_deepest": angle_at("trunk_lean", "deepest"),
    "knee_flexion_deepest": Metric(
        "deg",
        lambda a, p, e: both_legs(a, "knee_flexion", e.moments["deepest"]),
        "deepest",
        "knee_flexion",
        band=True,
    ),  # fmt: skip
}


def reps(angles: Angles, pose: Pose) -> list[Event]:
    """Reps by hip flexion (mean of the legs); the deepest point is its peak."""
    flexion = np.nanmean(
        [angles.values["hip_flexion_left"], angles.values["hip_flexion_right"]], axis=0
    )
    return [
        Event("rep", n, None, start, end, {"deepest": key})
        for n, (start, key, end) in enumerate(cycles(flexion, angles.time, REP), 1)
    ]


def side_score(f: dict[str, float]) -> float:
    """The trunk tipping forward and back with the legs side by side, the knees bending
    less than a squat's (squats bend 100 deg or more; hinges with squatting about 80)."""
    trunk = ramp(f["trunk_range"], 20, 45) * (1 - ramp(f["leg_split"], 20, 35))
    return trunk * (1 - ramp(f["knee_range"], 90, 100))


def front_score(f: dict[str, float]) -> float:
    """The torso looking shorter as it tips toward the camera, hips not dropping much, both
    feet on the floor (a reach forward on one leg, as in the real lab clips, shortens the
    torso too)."""
    tips = ramp(f["torso_shrink"], 0.2, 0.4) * (1 - ramp(f["hip_drop"], 0.2, 0.3))
    return tips * feet_planted(f)


SPEC = MovementSpec(
    movement=Movement.HINGE,
    noun="a hip hinge",
    button="Hinge",
    unit="rep",
    sides={},  # both legs together
    metrics={View.SIDE: METRICS},
    finder=reps,
    scores={View.SIDE: side_score, View.FRONT: front_score},
    panels={View.SIDE: ("hip_flexion", "knee_flexion", "trunk_lean")},
)

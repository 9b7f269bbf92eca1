"""The single-leg squat or step-down, filmed from the front (or behind), or from the side:
reps, each standing on one leg. The screen a therapist runs first for hip pain: does the
pelvis stay level, does the knee stay over the foot, does the trunk stay upright."""

from __future__ import annotations

import numpy as np

from movement_screen.classify import ramp
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.events import CycleOptions, cycles, hip_depth
from movement_screen.metrics import PELVIC_DROP, Metric, angle_at
from movement_screen.movements import MovementSpec

REP = CycleOptions(prominence=0.05, min_gap_s=1.0)  # hip drop, leg lengths

DEPTH = Metric("ratio", lambda a, p, e: depth(p, e), "bottom")
FRONT_METRICS: dict[str, Metric] = {
    "pelvic_drop_bottom": PELVIC_DROP,  # + the free side drops (contralateral pelvic drop)
    "stance_knee_fppa_bottom": angle_at("knee_fppa", "bottom", leg_of="event"),
    "trunk_lean_frontal_bottom": angle_at("trunk_lean_frontal", "bottom", size=True),
    "squat_depth": DEPTH,
}
SIDE_METRICS: dict[str, Metric] = {
    "stance_knee_flexion_bottom": angle_at("knee_flexion", "bottom", leg_of="event"),
    "trunk_lean_bottom": angle_at("trunk_lean", "bottom"),
    "squat_depth": DEPTH,
}


def depth(pose: Pose, event: Event) -> float:
    """How far the hips go down from the rep's start to its bottom, in leg lengths."""
    sink = hip_depth(pose)
    return float(sink[event.moments["bottom"]] - sink[event.start])


def reps(angles: Angles, pose: Pose) -> list[Event]:
    """Reps found by the hips going down; each rep's side is the standing leg."""
    events = []
    for number, (start, key, end) in enumerate(cycles(hip_depth(pose), angles.time, REP), 1):
        events.append(Event("rep", number, stance_leg(pose, start, end), start, end,
                            {"bottom": key}))  # fmt: skip
    return events


def stance_leg(pose: Pose, start: int, end: int) -> str | None:
    """The leg standing through a rep: its knee is the lower one (the free thigh is held
    forward, its knee up), over most of the rep, from the front, from behind or the side."""
    rise = (
        pose.point("left_knee")[start : end + 1, 1] - pose.point("right_knee")[start : end + 1, 1]
    )
    if np.isfinite(rise).sum() < 3 or np.nanmedian(rise) == 0:
        return None
    return "right" if np.nanmedian(rise) > 0 else "left"


def front_score(f: dict[str, float]) -> float:
    """Seen from the front or behind: the hips sinking and rising less than in a lunge or a
    squat, the knees moving together (walking alternates them), one foot a little higher
    than the other, the torso upright. Chosen on the `train` clips (`recognition_features
    --set pelvis-train` and `--set train`): single-leg squats sink 0.08-0.20 leg lengths,
    lunges 0.27-0.36, squats 0.45-0.56, balancing on one leg 0.02, walking 0.09 with its
    knees in turn."""
    sinks = ramp(f["hip_drop"], 0.06, 0.08) * (1 - ramp(f["hip_drop"], 0.22, 0.26))
    together = 1 - ramp(f["knee_antiphase"], 0.3, 0.6)
    upright = 1 - ramp(f["torso_shrink"], 0.2, 0.3)
    return sinks * together * upright * ramp(f["one_foot_up"], 0.03, 0.05)


SPEC = MovementSpec(
    movement=Movement.SINGLE_LEG_SQUAT,
    noun="a single-leg squat",
    button="Single-leg squat",
    unit="rep",
    sides={"left": "left leg standing", "right": "right leg standing"},
    metrics={View.FRONT: FRONT_METRICS, View.SIDE: SIDE_METRICS},
    finder=reps,
    scores={View.FRONT: front_score},  # from the side: choose it (no side clips to tune on)
    panels={
        View.FRONT: ("pelvic_obliquity", "knee_fppa", "trunk_lean_frontal"),
        View.SIDE: ("knee_flexion", "hip_flexion", "trunk_lean"),
    },
    event_leg_only=frozenset({"knee_fppa", "knee_flexion", "hip_flexion"}),
)

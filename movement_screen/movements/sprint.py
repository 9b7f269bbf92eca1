"""Sprinting and running, filmed from the side (or the front): strides per leg."""

from __future__ import annotations

import numpy as np

from movement_screen import finite
from movement_screen.classify import ramp, running_knees, running_rhythm, swinging
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.events import CycleOptions, peaks
from movement_screen.metrics import Metric, angle_at, leg, span
from movement_screen.movements import MovementSpec

STRIDE = CycleOptions(prominence=15.0, min_gap_s=0.25)  # thigh angle, deg

METRICS: dict[str, Metric] = {
    "peak_thigh_angle": angle_at("thigh_angle", "peak_knee_drive", leg_of="event"),
    "peak_knee_height": Metric(
        "ratio",
        lambda a, p, e: finite.maximum(span(leg(a, "knee_height", e.side), e)),
        "peak_knee_drive",
        "knee_height",
        "event",
    ),
    "hip_extension_toe_off": angle_at("thigh_angle", "toe_off", leg_of="event", sign=-1.0),
    "trunk_lean_mean": Metric(
        "deg",
        lambda a, p, e: finite.mean(span(a.values["trunk_lean"], e)),
        None,
        "trunk_lean",
        band=True,
    ),  # fmt: skip
    "trunk_lean_foot_strike": angle_at("trunk_lean", "foot_strike"),
}


def strides(angles: Angles, pose: Pose) -> list[Event]:
    """Per leg: toe-off to next toe-off, with peak knee drive and foot strike between."""
    events: list[Event] = []
    for side in ("left", "right"):
        thigh = angles.values[f"thigh_angle_{side}"]
        toe_offs = peaks(-thigh, angles.time, STRIDE)
        for number, (a, b) in enumerate(zip(toe_offs[:-1], toe_offs[1:], strict=True), start=1):
            drive = a + int(np.nanargmax(thigh[a : b + 1]))
            moments = {"toe_off": int(a), "peak_knee_drive": drive}
            strike = foot_strike(pose, angles.facing, side, drive, int(b))
            if strike is not None:
                moments["foot_strike"] = strike
            events.append(Event("stride", number, side, int(a), int(b), moments))
    return events


def foot_strike(pose: Pose, facing: np.ndarray, side: str, after: int, before: int) -> int | None:
    """Heel furthest ahead of the hips (Zeni et al. 2008), between knee drive and toe-off."""
    heel = pose.point(f"{side}_heel")[after : before + 1, 0]
    hips = pose.mid("left_hip", "right_hip")[after : before + 1, 0]
    ahead = (heel - hips) * facing[after : before + 1]
    if not np.isfinite(ahead).any():
        return None
    return after + int(np.nanargmax(ahead))


def _running(f: dict[str, float]) -> float:
    """A running rhythm with running knees: walking has neither. Where the knees' bend is
    never seen (the feet out of the picture) the rhythm alone tells."""
    knees = running_knees(f) if np.isfinite(f["knee_peak"]) else 1.0
    return running_rhythm(f) * knees


def side_score(f: dict[str, float]) -> float:
    """Legs swinging in turn through a wide range, at a running rhythm."""
    return swinging(f, 30, 60) * _running(f)


def front_score(f: dict[str, float]) -> float:
    """Knees rising in turn at a running rhythm, hips at a steady height."""
    turns = ramp(f["knee_antiphase"], 0.3, 0.7) * (1 - ramp(f["hip_drop"], 0.2, 0.3))
    return turns * running_rhythm(f)


SPEC = MovementSpec(
    movement=Movement.SPRINT,
    noun="a sprint or run",
    button="Sprint",
    unit="stride",
    sides={"left": "left leg", "right": "right leg"},
    metrics={View.SIDE: METRICS},
    finder=strides,
    scores={View.SIDE: side_score, View.FRONT: front_score},
    panels={View.SIDE: ("thigh_angle", "trunk_lean")},
)

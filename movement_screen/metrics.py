"""Measurements per stride or rep and per side, then medians, left-right and drift.

Each movement's per-event metrics are a table of small named functions of
(angles, pose, event) -> value; `measure` runs the table and summarises.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from movement_screen.core import Angles, Event, Measurement, Movement, Pose

DRIFT_MIN_EVENTS = 4  # per side, to compare the first events with the last
DRIFT_SHARE = 1 / 3  # the first and last third of the events (at least one each)
SIDE_MIN_EVENTS = 2  # per side, to test a left-right difference against the events' spread


@dataclass(frozen=True)
class Metric:
    """How one metric is measured on one event; `per_side` metrics use the event's leg."""

    unit: str
    fn: Callable[[Angles, Pose, Event], float]


def _at(series: np.ndarray, frame: int | None) -> float:
    return float(series[frame]) if frame is not None else float("nan")


def _other(side: str | None) -> str | None:
    return {"left": "right", "right": "left"}.get(side or "")


def _leg(angles: Angles, name: str, side: str | None) -> np.ndarray:
    """(T,) angle `name` of one leg; all NaN where the leg is not known (a rep whose
    front leg could not be told), so nothing is measured on the wrong leg."""
    if side is None:
        return np.full(len(angles.time), np.nan)
    return angles.values[f"{name}_{side}"]


def _span(series: np.ndarray, event: Event) -> np.ndarray:
    return series[event.start : event.end + 1]


def _nanmax(x: np.ndarray) -> float:
    return float(np.nanmax(x)) if np.isfinite(x).any() else float("nan")


def _nanmean(x: np.ndarray) -> float:
    return float(np.nanmean(x)) if np.isfinite(x).any() else float("nan")


SPRINT: dict[str, Metric] = {
    "peak_thigh_angle": Metric(
        "deg", lambda a, p, e: _at(_leg(a, "thigh_angle", e.side), e.moments["peak_knee_drive"])
    ),
    "peak_knee_height": Metric(
        "ratio", lambda a, p, e: _nanmax(_span(_leg(a, "knee_height", e.side), e))
    ),
    "hip_extension_toe_off": Metric(
        "deg", lambda a, p, e: -_at(_leg(a, "thigh_angle", e.side), e.moments["toe_off"])
    ),
    "trunk_lean_mean": Metric("deg", lambda a, p, e: _nanmean(_span(a.values["trunk_lean"], e))),
    "trunk_lean_foot_strike": Metric(
        "deg", lambda a, p, e: _at(a.values["trunk_lean"], e.moments.get("foot_strike"))
    ),
}
LUNGE_SIDE: dict[str, Metric] = {
    "trunk_lean_bottom": Metric(
        "deg", lambda a, p, e: _at(a.values["trunk_lean"], e.moments["bottom"])
    ),
    "front_knee_flexion_bottom": Metric(
        "deg", lambda a, p, e: _at(_leg(a, "knee_flexion", e.side), e.moments["bottom"])
    ),
    "trail_hip_extension_bottom": Metric(
        "deg", lambda a, p, e: -_at(_leg(a, "hip_flexion", _other(e.side)), e.moments["bottom"])
    ),
}
LUNGE_FRONT: dict[str, Metric] = {
    # Change of pelvic obliquity from standing to the bottom; + the trail side dropped.
    "pelvic_drop_bottom": Metric("deg", lambda a, p, e: _pelvic_drop(a, e)),
    "front_knee_fppa_bottom": Metric(
        "deg", lambda a, p, e: _at(_leg(a, "knee_fppa", e.side), e.moments["bottom"])
    ),
    "trunk_lean_frontal_bottom": Metric(
        "deg", lambda a, p, e: abs(_at(a.values["trunk_lean_frontal"], e.moments["bottom"]))
    ),
}
HINGE: dict[str, Metric] = {
    "peak_hip_flexion": Metric(
        "deg", lambda a, p, e: _both_legs(a, "hip_flexion", e.moments["deepest"])
    ),
    "trunk_lean_deepest": Metric(
        "deg", lambda a, p, e: _at(a.values["trunk_lean"], e.moments["deepest"])
    ),
    "knee_flexion_deepest": Metric(
        "deg", lambda a, p, e: _both_legs(a, "knee_flexion", e.moments["deepest"])
    ),
}


def _both_legs(angles: Angles, name: str, frame: int) -> float:
    """Mean of the left and right values of an angle at one frame."""
    return _nanmean(np.array([_at(angles.values[f"{name}_{s}"], frame) for s in ("left", "right")]))


def _pelvic_drop(angles: Angles, event: Event) -> float:
    """Obliquity change from standing to the bottom, signed so + means the trail side drops."""
    tilt = angles.values["pelvic_obliquity"]
    change = _at(tilt, event.moments["bottom"]) - _at(tilt, event.start)
    # pelvic_obliquity is + when the athlete's left hip is higher.
    if event.side is None:
        return float("nan")
    return change if event.side == "left" else -change


def names(movement: Movement) -> set[str]:
    """Every metric the movement has in any view: what its protocol may name."""
    tables = {
        Movement.SPRINT: (SPRINT,),
        Movement.LUNGE: (LUNGE_SIDE, LUNGE_FRONT),
        Movement.HINGE: (HINGE,),
    }
    return {name for table in tables[movement] for name in table}


def table_for(movement: Movement, angles: Angles) -> dict[str, Metric]:
    """The metric table for a movement in the clip's view."""
    if movement is Movement.LUNGE:
        return LUNGE_SIDE if angles.view.value == "side" else LUNGE_FRONT
    if angles.view.value != "side":
        return {}
    return SPRINT if movement is Movement.SPRINT else HINGE


def measure(
    movement: Movement,
    angles: Angles,
    pose: Pose,
    events: list[Event],
    *,
    drift_min_s: float = 0.0,
) -> list[Measurement]:
    """Per-event values, then per-side medians, left-right differences and drift.

    Drift is measured only when the events span at least `drift_min_s` seconds: a few
    seconds of movement cannot show fatigue.
    """
    table = table_for(movement, angles)
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for event in events:
            for name, metric in table.items():
                value = metric.fn(angles, pose, event)
                values.append(Measurement(name, value, metric.unit, event.side, event.number))
    return values + summarise(values, drift=span_s(angles, events) >= drift_min_s)


def span_s(angles: Angles, events: list[Event]) -> float:
    """Seconds from the first event's start to the last event's end (0 without events)."""
    if not events:
        return 0.0
    first, last = min(e.start for e in events), max(e.end for e in events)
    return float(angles.time[min(last, len(angles.time) - 1)] - angles.time[first])


def summarise(values: list[Measurement], *, drift: bool = True) -> list[Measurement]:
    """Medians per metric and side; left minus right; last events minus first events
    (`drift` False: not measured). Each change carries its `p` against the events' spread."""
    out: list[Measurement] = []
    groups: dict[tuple[str, str | None], np.ndarray] = {}
    units: dict[str, str] = {}
    for m in values:
        if np.isfinite(m.value):
            key = (m.metric, m.side)
            groups[key] = np.append(groups.get(key, np.empty(0)), m.value)
            units[m.metric] = m.unit
    for (metric, side), series in groups.items():
        unit = units[metric]
        out.append(Measurement(metric, float(np.median(series)), unit, side, None, "median"))
        if drift and len(series) >= DRIFT_MIN_EVENTS:
            k = max(int(len(series) * DRIFT_SHARE), 1)
            change = float(np.median(series[-k:]) - np.median(series[:k]))
            out.append(Measurement(metric, change, unit, side, None, "drift", trend_p(series)))
    for (metric, side), left in groups.items():
        right = groups.get((metric, "right"))
        if side == "left" and right is not None:
            change = float(np.median(left) - np.median(right))
            p = sides_p(left, right)
            out.append(
                Measurement(metric, change, units[metric], "left-right", None, "asymmetry", p)
            )
    return out


def trend_p(series: np.ndarray) -> float:
    """Spearman's test of a monotonic trend over the events, in order (NaN if flat)."""
    if len(series) < 3 or np.ptp(series) == 0:
        return float("nan")
    return float(stats.spearmanr(np.arange(len(series)), series).pvalue)


def sides_p(left: np.ndarray, right: np.ndarray) -> float:
    """Welch's t-test of left against right events (NaN with too few events or no spread)."""
    if min(len(left), len(right)) < SIDE_MIN_EVENTS:
        return float("nan")
    if np.ptp(np.concatenate([left, right])) == 0:
        return float("nan")
    if np.std(left) == 0 and np.std(right) == 0:
        return 0.0 if np.median(left) != np.median(right) else 1.0
    with warnings.catch_warnings():  # nearly equal events: the test says so with a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.ttest_ind(left, right, equal_var=False).pvalue)

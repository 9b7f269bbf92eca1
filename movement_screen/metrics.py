"""Measurements per stride or rep and per side, then medians, left-right and drift.

Each movement's per-event metrics are a table of small named functions of
(angles, pose, event) -> value, defined with the movement (`movement_screen.movements`);
`measure` runs a table and summarises. The helpers here read an angle at a moment, over
an event, or on one leg.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from movement_screen import finite
from movement_screen.core import Angles, Event, Measurement, Pose
from movement_screen.landmarks import SIDES

DRIFT_MIN_EVENTS = 4  # per side, to compare the first events with the last
DRIFT_SHARE = 1 / 3  # the first and last third of the events (at least one each)
SIDE_MIN_EVENTS = 2  # per side, to test a left-right difference against the events' spread


@dataclass(frozen=True)
class Metric:
    """How one metric is measured on one event, and what it is read from.

    moment: the event's key moment it is read at (None: over the whole event). angle: the
    angle (base name) it is read from, for marking it on a picture (None: not one angle).
    leg: "event" (the event's leg), "other" (the other leg) or None (not one leg). band:
    it is that angle itself (same unit and sign), so its thresholds can be drawn on the
    angle's plot; both_ways: judged on the angle's size, either sign.
    """

    unit: str
    fn: Callable[[Angles, Pose, Event], float]
    moment: str | None = None
    angle: str | None = None
    leg: str | None = None
    band: bool = False
    both_ways: bool = False


def angle_at(
    angle: str, moment: str, *, leg_of: str | None = None, sign: float = 1.0, size=False
) -> Metric:
    """The angle `angle` at the event's `moment`: unsided, or on the event's leg (`leg_of`
    "event") or the other one ("other"); `sign` -1 reads flexion as extension; `size`: its
    size whichever way it leans."""

    def fn(a: Angles, p: Pose, e: Event) -> float:
        side = {"event": e.side, "other": other(e.side)}.get(leg_of or "")
        series = leg(a, angle, side) if leg_of else a.values[angle]
        value = sign * at(series, e.moments.get(moment))
        return abs(value) if size else value

    return Metric("deg", fn, moment, angle, leg_of, band=sign > 0, both_ways=size)


def at(series: np.ndarray, frame: int | None) -> float:
    return float(series[frame]) if frame is not None else float("nan")


def other(side: str | None) -> str | None:
    return {"left": "right", "right": "left"}.get(side or "")


def leg(angles: Angles, name: str, side: str | None) -> np.ndarray:
    """(T,) angle `name` of one leg; all NaN where the leg is not known (a rep whose
    front leg could not be told), so nothing is measured on the wrong leg."""
    if side is None:
        return np.full(len(angles.time), np.nan)
    return angles.values[f"{name}_{side}"]


def span(series: np.ndarray, event: Event) -> np.ndarray:
    return series[event.start : event.end + 1]


def both_legs(angles: Angles, name: str, frame: int) -> float:
    """Mean of the left and right values of an angle at one frame."""
    return finite.mean(np.array([at(angles.values[f"{name}_{s}"], frame) for s in SIDES]))


def pelvic_drop(angles: Angles, event: Event, moment: str) -> float:
    """Obliquity change from the event's start to its `moment`, + when the side opposite the
    event's leg drops (a lunge's trail side, a single-leg squat's free side);
    pelvic_obliquity is + when the athlete's left side is higher."""
    if event.side is None:
        return float("nan")
    tilt = angles.values["pelvic_obliquity"]
    change = at(tilt, event.moments[moment]) - at(tilt, event.start)
    return change if event.side == "left" else -change


# Change of pelvic obliquity from the event's start to its bottom, + the other side dropping.
PELVIC_DROP = Metric(
    "deg", lambda a, p, e: pelvic_drop(a, e, "bottom"), "bottom", "pelvic_obliquity", "event"
)


def measure(
    table: dict[str, Metric],
    angles: Angles,
    pose: Pose,
    events: list[Event],
    *,
    drift_min_s: float = 0.0,
) -> list[Measurement]:
    """Per-event values of each metric in `table` (a movement's, for the clip's view), then
    per-side medians, left-right differences and drift.

    Drift is measured only when the events span at least `drift_min_s` seconds: a few
    seconds of movement cannot show fatigue.
    """
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

"""Left against right from both sides: the camera's side taken out of a side view's
left-right differences.

Seen from one side, MediaPipe does not draw the near leg and the far leg alike: on
symmetric test athletes the near leg's hip extension at toe-off reads about a degree more
than the far leg's, and up to 6.5 (`benchmarks/near_far.py`), so one clip can show a
difference the athlete does not have. Two clips of one movement filmed from opposite
sides see each leg once near and once far: the mean of their left-right differences is
the athlete's own, and half their difference is what the camera's side added. The mean
is judged by the protocol's own asymmetry rule, its p against both clips' spread of
strides or reps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from movement_screen.core import Measurement, View
from movement_screen.metrics import SIDE_MIN_EVENTS
from movement_screen.rules import Finding, Protocol, judge

ONE_WAY = 0.8  # share of its frames the athlete faces one way in a clip seen from one side


@dataclass(frozen=True)
class Reading:
    """One asymmetry rule read from both sides (degrees or the metric's unit)."""

    metric: str
    unit: str
    left_near: float  # left minus right median, the clip with the left leg nearer the camera
    right_near: float  # the same, the right leg nearer
    value: float  # their mean: the athlete's own left-right difference
    camera: float  # half of left_near minus right_near: what the camera's side added
    finding: Finding  # `value` judged by the protocol's rule


def near_leg(view: View, facing: np.ndarray) -> str | None:
    """The leg nearer the camera in a side view, from (T,) `facing` (+1 image-right): a side
    view of an athlete facing image-right sees their right side. None in other views, and
    where the athlete faces each way for more than a fifth of the clip (turning back)."""
    if view is not View.SIDE or len(facing) == 0:
        return None
    right = float(np.mean(facing > 0))
    if right >= ONE_WAY:
        return "right"
    return "left" if right <= 1 - ONE_WAY else None


def read(protocol: Protocol, left_near: list[Measurement], right_near: list[Measurement]):
    """Every asymmetry rule of `protocol` whose metric both clips measured on both legs,
    from their per-event values (kind 'value'): a list of Reading."""
    readings = []
    for rule in protocol.rules:
        if rule.kind != "asymmetry":
            continue
        a, b = _legs(left_near, rule.metric), _legs(right_near, rule.metric)
        if a is None or b is None:
            continue
        d_a, d_b = _difference(a), _difference(b)
        value = (d_a + d_b) / 2
        unit = next(m.unit for m in left_near if m.metric == rule.metric)
        measured = Measurement(rule.metric, value, unit, "left-right", None, "asymmetry", _p(a, b))
        found = next(f for f in judge(protocol, [measured]) if f.rule == rule.id)
        readings.append(Reading(rule.metric, unit, d_a, d_b, value, (d_a - d_b) / 2, found))
    return readings


def _legs(values: list[Measurement], metric: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(left, right) per-event values of `metric`, or None with none on a leg."""
    legs = tuple(
        np.array(
            [m.value for m in values if m.metric == metric and m.kind == "value" and m.side == s]
        )
        for s in ("left", "right")
    )
    legs = tuple(leg[np.isfinite(leg)] for leg in legs)
    return legs if all(len(leg) for leg in legs) else None


def _difference(legs: tuple[np.ndarray, np.ndarray]) -> float:
    return float(np.median(legs[0]) - np.median(legs[1]))


def _p(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Welch's t-test of the mean of the two clips' left-right differences (of the events'
    means) against zero; NaN with under SIDE_MIN_EVENTS events on a leg of a clip."""
    groups = (*a, *b)
    if min(len(g) for g in groups) < SIDE_MIN_EVENTS:
        return math.nan
    mean = (np.mean(a[0]) - np.mean(a[1]) + np.mean(b[0]) - np.mean(b[1])) / 2
    shares = [np.var(g, ddof=1) / len(g) / 4 for g in groups]
    variance = sum(shares)
    if variance == 0:
        return 0.0 if mean != 0 else 1.0
    freedom = variance**2 / sum(s**2 / (len(g) - 1) for s, g in zip(shares, groups, strict=True))
    return float(2 * stats.t.sf(abs(mean) / math.sqrt(variance), freedom))

"""Asymmetry and drift are read only where the strides or reps show them (constructed series)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from movement_screen import metrics, movements, rules, screening
from movement_screen.core import Measurement, Movement
from tests.fixtures import screening_from_truth


def _events(left: list[float], right: list[float]) -> list[Measurement]:
    rows = [Measurement("peak_thigh_angle", v, "deg", "left", i + 1) for i, v in enumerate(left)]
    rows += [Measurement("peak_thigh_angle", v, "deg", "right", i + 1) for i, v in enumerate(right)]
    return rows


def _kind(out: list[Measurement], kind: str, side: str | None = None) -> Measurement:
    (found,) = [m for m in out if m.kind == kind and (side is None or m.side == side)]
    return found


def test_a_real_side_difference_is_shown_by_every_stride():
    out = metrics.summarise(_events([80, 81, 79, 80, 82], [70, 71, 69, 70, 72]))
    asym = _kind(out, "asymmetry")
    assert asym.value == 10.0 and asym.p < 0.001


def test_swapped_strides_make_a_difference_the_strides_do_not_show():
    """Medians 80 and 70 from legs swapped in turn: the same 10 degrees, but no evidence."""
    out = metrics.summarise(_events([80, 70, 80, 70, 80], [70, 80, 70, 80, 70]))
    asym = _kind(out, "asymmetry")
    assert asym.value == 10.0 and asym.p > 0.5
    assert math.isnan(_kind(metrics.summarise(_events([80], [70])), "asymmetry").p)


def test_drift_needs_a_trend_and_enough_time():
    steady_rise = list(np.linspace(60.0, 72.0, 9))
    out = metrics.summarise(_events(steady_rise, [60.0] * 9))
    rise = _kind(out, "drift", "left")
    assert rise.value == pytest.approx(12.0 * 7 / 8 - 0.0, abs=1.6) and rise.p < 0.01
    wobble = [60, 72, 61, 71, 60, 72, 61, 71, 66]
    assert _kind(metrics.summarise(_events(wobble, [60.0] * 9)), "drift", "left").p > 0.3
    assert not [m for m in metrics.summarise(_events(steady_rise, steady_rise), drift=False)
                if m.kind == "drift"]  # fmt: skip


def test_judging_reads_only_changes_with_evidence():
    sprint = rules.load(rules.default_path(Movement.SPRINT))
    shown = Measurement("trunk_lean_mean", 9.0, "deg", "left", None, "drift", 0.001)
    unshown = Measurement("trunk_lean_mean", 9.0, "deg", "right", None, "drift", 0.4)
    found = {f.side: f for f in rules.judge(sprint, [shown, unshown]) if f.kind == "drift"}
    assert found["left"].severity.value == "flag" and not found["left"].within_noise
    assert found["right"].severity.value == "ok" and found["right"].within_noise


def test_rising_knee_drive_is_acceleration_not_fatigue():
    sprint = rules.load(rules.default_path(Movement.SPRINT))
    rising = Measurement("peak_thigh_angle", 12.0, "deg", "left", None, "drift", 0.001)
    fading = Measurement("peak_thigh_angle", -12.0, "deg", "right", None, "drift", 0.001)
    found = {f.side: f for f in rules.judge(sprint, [rising, fading]) if f.kind == "drift"}
    assert found["left"].severity.value == "ok" and found["right"].severity.value == "flag"


def test_a_few_seconds_of_reps_say_fatigue_is_not_judged():
    result = screening_from_truth("lunge_side_clean")
    seconds = metrics.span_s(result.angles, result.events)
    assert 0 < seconds < result.protocol.drift_min_s == 20.0
    notes = screening.not_measured(result.protocol, result.angles, result.events)
    assert f"fatigue is not judged: the reps span {seconds:.0f} s" in " ".join(notes)
    assert not [m for m in result.measurements if m.kind == "drift"]


def test_a_rep_whose_front_leg_is_unknown_measures_nothing_per_leg():
    """A lunge rep with no front leg told (side None) gives NaN, not a crash or the wrong leg."""
    from dataclasses import replace

    result = screening_from_truth("lunge_side_clean")
    unknown = [replace(e, side=None) for e in result.events[:2]]
    values = metrics.measure(
        movements.get(Movement.LUNGE).table(result.angles.view),
        result.angles,
        result.clean.pose,
        unknown,
    )
    per_leg = [m for m in values if m.kind == "value" and m.metric != "trunk_lean_bottom"]
    assert per_leg and all(math.isnan(m.value) for m in per_leg)
    assert any(m.metric == "trunk_lean_bottom" and np.isfinite(m.value) for m in values)

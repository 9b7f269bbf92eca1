"""Left against right from both sides: the camera's side taken out (constructed strides)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from movement_screen import both_sides, rules, screening
from movement_screen.core import Measurement, Movement, Severity, View

SPRINT = rules.load(rules.default_path(Movement.SPRINT))
METRIC = "hip_extension_toe_off"  # watch at 8 degrees left-right, noise 3


def strides(left: list[float], right: list[float], metric: str = METRIC) -> list[Measurement]:
    """One clip's per-stride values of `metric`, left and right strides in turn."""
    sides = [("left", v) for v in left] + [("right", v) for v in right]
    return [Measurement(metric, v, "deg", side, n) for n, (side, v) in enumerate(sides, 1)]


def reading(left_near, right_near) -> both_sides.Reading:
    (found,) = [r for r in both_sides.read(SPRINT, left_near, right_near) if r.metric == METRIC]
    return found


def test_a_symmetric_athlete_read_8_degrees_apart_from_one_side_is_even_from_both():
    # the near leg reads 4 degrees more extension than the far leg, whichever leg it is
    one = strides([22.0, 22.4, 21.6], [14.0, 14.3, 13.7])  # left near: left - right = +8
    other = strides([14.1, 13.8, 14.1], [22.1, 21.8, 22.1])  # right near: -8
    got = reading(one, other)
    assert got.left_near == pytest.approx(8.0) and got.right_near == pytest.approx(-8.0)
    assert got.value == pytest.approx(0.0) and got.camera == pytest.approx(8.0)
    assert got.finding.severity is Severity.OK and got.finding.within_noise


def test_a_real_difference_stays_and_the_camera_part_is_told_apart():
    # the athlete's left opens 10 degrees more; the camera adds 3 to the near leg
    one = strides([28.0, 28.5, 27.5], [15.0, 15.5, 14.5])  # +13
    other = strides([25.0, 25.4, 24.6], [18.0, 18.4, 17.6])  # +7
    got = reading(one, other)
    assert got.value == pytest.approx(10.0) and got.camera == pytest.approx(3.0)
    assert got.finding.severity is Severity.WATCH and not got.finding.within_noise
    assert got.finding.cue == "even_sides" and got.finding.side == "left-right"


def test_a_difference_the_strides_do_not_show_clearly_is_not_read():
    # a 9 degree mean made by scattered strides: p well above 5 %
    one = strides([30.0, 10.0, 35.0], [12.0, 25.0, 8.0])
    other = strides([28.0, 9.0, 33.0], [11.0, 24.0, 9.0])
    got = reading(one, other)
    assert abs(got.value) >= 8.0
    assert got.finding.within_noise and got.finding.severity is Severity.OK


def test_the_p_is_welchs_on_the_mean_of_the_two_differences():
    one = strides([20.0, 22.0, 24.0], [10.0, 11.0, 12.0])
    other = strides([15.0, 16.0, 17.0], [12.0, 14.0, 16.0])
    groups = [np.array(g) for g in ([20, 22, 24], [10, 11, 12], [15, 16, 17], [12, 14, 16])]
    shares = [g.var(ddof=1) / len(g) / 4 for g in groups]
    t = ((22 - 11) + (16 - 14)) / 2 / math.sqrt(sum(shares))
    freedom = sum(shares) ** 2 / sum(s**2 / 2 for s in shares)  # 3 strides a leg: 2 each
    assert both_sides._p((groups[0], groups[1]), (groups[2], groups[3])) == pytest.approx(
        2 * stats.t.sf(t, freedom)
    )
    assert reading(one, other).finding.severity is Severity.OK  # 6.5 degrees: under watch


def test_a_metric_one_clip_did_not_measure_on_both_legs_is_not_read():
    one = strides([22.0, 22.4], [14.0, 14.3])
    other = strides([14.1, 13.8], [])
    assert [r for r in both_sides.read(SPRINT, one, other) if r.metric == METRIC] == []


def test_the_near_leg_is_the_side_the_camera_sees():
    assert both_sides.near_leg(View.SIDE, np.ones(50)) == "right"  # faces image-right
    assert both_sides.near_leg(View.SIDE, -np.ones(50)) == "left"
    assert both_sides.near_leg(View.SIDE, np.r_[np.ones(45), -np.ones(5)]) == "right"
    assert both_sides.near_leg(View.SIDE, np.r_[np.ones(30), -np.ones(20)]) is None  # turns
    assert both_sides.near_leg(View.FRONT, np.ones(50)) is None
    assert both_sides.near_leg(View.SIDE, np.zeros(0)) is None


def test_a_clip_with_a_left_right_difference_past_a_line_says_how_to_take_the_camera_out():
    measured = [Measurement(METRIC, 8.1, "deg", "left-right", None, "asymmetry", 0.001)]
    (past,) = rules.judge(SPRINT, measured)
    assert past.severity is Severity.WATCH
    (note,) = screening.one_side_note([past], View.SIDE, -np.ones(40))
    assert "the left leg nearer the camera" in note and "other side" in note
    assert screening.one_side_note([past], View.FRONT, -np.ones(40)) == []
    within = rules.judge(SPRINT, [replace(measured[0], value=2.0)])
    assert screening.one_side_note(within, View.SIDE, -np.ones(40)) == []

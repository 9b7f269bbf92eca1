"""A value set by hand: the medians, findings and cues follow it, and the report says so."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from movement_screen.core import InputError
from movement_screen.report import data, view
from movement_screen.report import html as report_html
from movement_screen.screening import Correction, correct
from tests.fixtures import screening_from_truth

METRIC = "knee_flexion_deepest"


def _values(screening) -> dict[int, float]:
    return {m.rep: m.value for m in screening.measurements
            if m.metric == METRIC and m.kind == "value"}  # fmt: skip


def _median(screening) -> float:
    return next(m.value for m in screening.measurements
                if m.metric == METRIC and m.kind == "median")  # fmt: skip


def test_setting_values_by_hand_moves_the_median_and_the_finding():
    squat = screening_from_truth("hinge_side_squat")  # knees bent about 80 deg: a flag
    before = _values(squat)
    first = correct(squat, Correction(METRIC, None, 1, 24, before[1], 10.0))
    assert _values(first) == {**before, 1: 10.0}
    assert _median(first) == pytest.approx(float(np.median([10.0, before[2], before[3]])))
    both = correct(first, Correction(METRIC, None, 2, 72, before[2], 12.0))
    assert _median(both) == pytest.approx(12.0)
    finding = next(f for f in both.findings if f.metric == METRIC)
    assert finding.severity.value == "ok" and finding.value == pytest.approx(12.0)
    assert [c.rep for c in both.corrections] == [1, 2]
    assert squat.corrections == () and _values(squat) == before  # the screening is unchanged


def test_setting_a_value_twice_keeps_the_tools_first_reading():
    squat = screening_from_truth("hinge_side_squat")
    tool = _values(squat)[1]
    once = correct(squat, Correction(METRIC, None, 1, 24, tool, 10.0))
    twice = correct(once, Correction(METRIC, None, 1, 24, 10.0, 20.0))
    assert [(c.tool, c.value) for c in twice.corrections] == [(tool, 20.0)]


def test_only_a_measured_value_can_be_set():
    squat = screening_from_truth("hinge_side_squat")
    with pytest.raises(InputError, match="no knee_flexion_deepest of both legs rep 9"):
        correct(squat, Correction(METRIC, None, 9, 24, 1.0, 10.0))


def test_the_report_marks_the_finding_and_lists_the_value_set_by_hand():
    squat = screening_from_truth("hinge_side_squat")
    tool = _values(squat)[1]
    fixed = correct(squat, Correction(METRIC, None, 1, 24, tool, 10.0))
    doc = data.to_dict(fixed)
    (row,) = [r for r in view.finding_rows(doc) if r.measure == "Knee bend"]
    assert row.value.endswith(view.HAND_MARK)
    line = (
        f"Knee bend, rep 1 (both legs) at 0.80 s: the tool read {tool:.1f}°, set by hand to 10.0°"
    )
    assert view.hand_lines(doc) == [line]
    page = report_html.render(fixed)
    assert "Set by hand" in page and line in page
    untouched = data.to_dict(squat)
    assert view.hand_lines(untouched) == [] and "Set by hand" not in report_html.render(squat)
    assert dataclasses.asdict(fixed.corrections[0])["frame"] == 24


def test_the_one_side_note_follows_a_left_right_difference_set_by_hand():
    screening = screening_from_truth("sprint_side_knee_drive")  # left leg nearer the camera
    values = [m for m in screening.measurements if m.kind == "value"]
    left = [m for m in values if m.metric == "hip_extension_toe_off" and m.side == "left"]
    assert not [n for n in screening.notes if "read from one side" in n]
    for m in left:  # each left stride opens 10 degrees more: an asymmetry past the line
        screening = correct(
            screening, Correction(m.metric, "left", m.rep, 0, m.value, m.value + 10)
        )
    (note,) = [n for n in screening.notes if "read from one side" in n]
    assert "with the left leg nearer the camera" in note
    assert "even_sides" in [c.id for c in screening.cues]
    for m in left:  # and back
        screening = correct(screening, Correction(m.metric, "left", m.rep, 0, m.value, m.value))
    assert not [n for n in screening.notes if "read from one side" in n]

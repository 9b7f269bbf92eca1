"""The key-moment list a reviewer jumps through, built from constructed screenings."""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from movement_screen.core import Event, Measurement, Severity
from movement_screen.report import data, moments
from movement_screen.rules import Finding
from tests.fixtures import screening_from_truth


def _finding(metric: str, side: str | None, value: float, kind: str = "median") -> Finding:
    return Finding("r", metric, kind, side, Severity.FLAG, value, "deg", 1.0, 1.0, 2.0,
                   "above", False, "c")  # fmt: skip


def _lunge(events, measurements, findings):
    base = screening_from_truth("lunge_side_clean")
    return dataclasses.replace(base, events=events, measurements=measurements, findings=findings)


def test_each_rep_bottom_and_the_finding_at_its_typical_rep_in_frame_order():
    events = [
        Event("rep", 1, "left", 0, 40, {"bottom": 20}),
        Event("rep", 2, "left", 40, 80, {"bottom": 61}),
        Event("rep", 3, "left", 80, 120, {"bottom": 99}),
    ]
    knee = [Measurement("front_knee_flexion_bottom", v, "deg", "left", n)
            for n, v in ((1, 80.0), (2, 95.0), (3, 90.0))]  # fmt: skip
    screening = _lunge(events, knee, [_finding("front_knee_flexion_bottom", "left", 90.0)])
    found = moments.key_moments(screening)
    assert [(m.frame, m.kind) for m in found] == [
        (20, "moment"), (61, "moment"), (99, "finding"), (99, "moment")
    ]  # fmt: skip
    assert found[0].key == "rep:left:1:bottom"
    assert found[0].label == "Rep 1, left leg in front: bottom (Front knee bend 80.0°)"
    assert found[0].time_s == round(float(screening.angles.time[20]), 4)
    typical = found[2]
    assert (typical.key, typical.value, typical.severity) == (
        "finding:front_knee_flexion_bottom:left", 90.0, "flag"
    )  # fmt: skip
    assert typical.label.startswith("Flag: Front knee bend, left leg in front: 90.0° typical")
    assert "rep 3" in typical.label


def test_a_metric_over_the_whole_event_is_shown_at_its_middle_and_other_kinds_are_left_out():
    events = [Event("rep", 1, "left", 10, 50, {"bottom": 30})]
    trunk = [Measurement("trunk_lean_bottom", 3.0, "deg", "left", 1)]
    findings = [
        _finding("not_a_moment_metric", "left", 1.0),
        _finding("trunk_lean_bottom", "left", 3.0, kind="drift"),
    ]
    screening = _lunge(events, trunk, findings)
    assert [m.kind for m in moments.key_moments(screening)] == ["moment"]
    assert moments.typical_frame(events[0], "not_a_moment_metric") == 30
    assert moments.typical_frame(events[0], "trunk_lean_bottom") == 30
    assert moments.typical_frame(Event("rep", 1, None, 10, 50, {}), "trunk_lean_bottom") == 30


def test_a_finding_without_an_event_value_has_no_moment_and_nothing_is_unmeasured_in_words():
    events = [Event("rep", 1, "left", 0, 40, {"bottom": 20})]
    screening = _lunge(events, [], [_finding("front_knee_flexion_bottom", "left", 90.0)])
    (only,) = moments.key_moments(screening)
    assert only.label == "Rep 1, left leg in front: bottom"


def test_report_json_carries_the_key_moments_of_a_sprint():
    screening = screening_from_truth("sprint_side_knee_drive")
    doc = data.to_dict(screening)
    keys = [m["key"] for m in doc["key_moments"]]
    frames = [m["frame"] for m in doc["key_moments"]]
    assert frames == sorted(frames)
    per_stride = {(e.side, e.number) for e in screening.events}
    drives = {k for k in keys if k.endswith(":peak_knee_drive")}
    assert drives == {f"stride:{s}:{n}:peak_knee_drive" for s, n in per_stride}
    assert "finding:peak_thigh_angle:left" in keys and "finding:peak_thigh_angle:right" in keys
    assert all(None not in m.values() for m in doc["key_moments"])


def test_key_moments_from_numpy_frames_are_plain_json():
    events = [Event("rep", 1, "left", np.int64(0), np.int64(40), {"bottom": np.int64(20)})]
    knee = [Measurement("front_knee_flexion_bottom", np.float64(80.0), "deg", "left", 1)]
    screening = _lunge(events, knee, [_finding("front_knee_flexion_bottom", "left", 80.0)])
    json.dumps(data.to_dict(screening)["key_moments"])

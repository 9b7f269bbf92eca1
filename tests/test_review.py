"""What the review player is given: the angle from three points, frame times and joints,
and a follow-up paired with its baseline moment by moment."""

from __future__ import annotations

import math

import pytest

from movement_screen import review
from tests.fixtures import read_joints, screening_from_truth


@pytest.mark.parametrize(
    ("a", "b", "c", "angle"),
    [
        ((1, 0), (0, 0), (0, 1), 90.0),
        ((2, 0), (0, 0), (-3, 0), 180.0),
        ((1, 0), (0, 0), (5, 0), 0.0),
        ((1, 0), (0, 0), (1, math.sqrt(3)), 60.0),
        ((10, 10), (10, 20), (20, 30), 135.0),
    ],
)
def test_the_angle_three_points_make_at_the_middle_one(a, b, c, angle):
    assert review.three_point_angle(a, b, c) == pytest.approx(angle, abs=1e-9)


def test_no_angle_where_two_points_coincide():
    assert math.isnan(review.three_point_angle((1, 1), (1, 1), (0, 5)))


def test_a_clip_for_the_player_has_its_frames_joints_and_the_tools_bends():
    screening = screening_from_truth("lunge_side_clean")
    clip = review.clip_data(screening, {"key_moments": []}, "/media/x.mp4", "This clip")
    assert len(clip["times"]) == len(screening.angles.time) and clip["times"][0] == 0.0
    assert (clip["width"], clip["height"]) == (960, 540) and clip["every"] == 1
    slow = {"fps": 240.0, "frame_count": 9, "width": 960, "height": 540, "annotated_every": 4}
    stored = review.stored_clip({"video": slow}, "/m", "Then")
    assert stored["every"] == 4  # the player steps by the frames drawn
    _, truth = read_joints("lunge_side_clean")
    knee = clip["joints"]["left_knee"]
    assert knee[2 * 30 : 2 * 30 + 2] == pytest.approx(truth["left_knee"][30], abs=0.06)
    bend = clip["bends"]["left_knee"]
    assert bend["name"] == "Knee flexion, left leg"
    assert bend["values"][30] == pytest.approx(
        screening.angles.values["knee_flexion_left"][30], abs=0.06
    )


def test_the_tools_knee_bend_is_the_angle_the_three_joints_make_taken_from_straight():
    screening = screening_from_truth("lunge_side_clean")
    _, truth = read_joints("lunge_side_clean")
    frame = 21  # the first rep's bottom
    points = [truth[f"left_{j}"][frame] for j in ("hip", "knee", "ankle")]
    tool = screening.angles.values["knee_flexion_left"][frame]
    assert 180 - review.three_point_angle(*points) == pytest.approx(tool, abs=0.5)


def _doc(moments, median=None):
    """A report with these key moments and the left knee drive's median."""
    rules = [
        {"metric": "peak_thigh_angle", "kind": "median", "noise": 3.0, "direction": "above"},
        {"metric": "peak_thigh_angle", "kind": "asymmetry", "noise": 9.0},
    ]
    drive = {"metric": "peak_thigh_angle", "side": "left", "kind": "median", "unit": "deg"}
    measured = [{**drive, "value": median}] if median is not None else []
    return {"key_moments": moments, "protocol": {"rules": rules}, "measurements": measured}


def _finding(frame, value):
    return {
        **_moment(frame, "finding:peak_thigh_angle:left"),
        "label": "Flag: Knee drive",
        "kind": "finding",
        "severity": "flag",
        "metric": "peak_thigh_angle",
        "side": "left",
        "value": value,
        "unit": "deg",
    }


def _moment(frame, key):
    return {"frame": frame, "time_s": frame / 30, "key": key, "label": key, "kind": "moment"}


def test_pairs_are_the_moments_in_both_clips_with_the_change_against_noise():
    base = _doc(
        [_moment(10, "rep:left:1:bottom"), _finding(40, 92.0), _moment(70, "rep:left:3:bottom")],
        92.0,
    )
    today = _doc(
        [_moment(12, "rep:left:1:bottom"), _finding(33, 85.0), _moment(50, "rep:left:2:bottom")],
        85.0,
    )
    found = review.pairs(base, today)
    assert [(p.key, p.frames) for p in found] == [
        ("rep:left:1:bottom", (10, 12)),
        ("finding:peak_thigh_angle:left", (40, 33)),
    ]
    change = found[1]
    assert change.beyond_noise is True
    assert change.change == "92.0° then, 85.0° now (-7.0°; noise ±3.0°): improved"
    assert found[0].change == "" and found[0].beyond_noise is False
    small = review.pairs(_doc([_finding(40, 92.0)], 92.0), _doc([_finding(33, 90.0)], 90.0))
    assert small[0].beyond_noise is False and small[0].change.endswith("within noise")
    items = review.pair_items(found)
    assert items[1]["frames"] == [40, 33] and items[1]["severity"] == "flag"
    assert items[1]["label"] == (
        "Flag: Knee drive, left: 92.0° then, 85.0° now (-7.0°; noise ±3.0°): improved"
    )


def test_a_kept_reading_in_words_uses_its_own_points_not_the_number_sent():
    kept = {"frame": 21, "time_s": 0.7, "points": [[1, 0], [0, 0], [0, 1]], "angle": 12.0,
            "tool": 88.04, "tool_name": "Knee flexion, left leg"}  # fmt: skip
    assert review.reading_text(kept) == (
        "Your reading on frame 21 (0.70 s): 90.0° at the middle point, a bend of 90.0° from "
        "straight; the tool at that frame: Knee flexion, left leg: 88.0°. "
        "Nothing is changed by a reading."
    )


def _reading(name: str, frame: int, side: str, joint: str = "knee") -> dict:
    """A kept reading of three clicks on the true hip, knee and ankle of a sample frame."""
    _, truth = read_joints(name)
    points = [list(truth[f"{side}_{j}"][frame]) for j in ("hip", "knee", "ankle")]
    return {"frame": frame, "time_s": frame / 30, "points": points, "joint": f"{side}_{joint}"}


def test_a_reading_on_a_reps_bottom_offers_that_reps_values_with_the_reading_for_its_knee():
    screening = screening_from_truth("lunge_side_clean")
    offered = review.correctable(screening, _reading("lunge_side_clean", 21, "left"))
    assert [(o.fix.metric, o.fix.rep, o.fix.side, o.from_reading) for o in offered] == [
        ("front_knee_flexion_bottom", 1, "left", True),  # the knee the reading was taken at
        ("trunk_lean_bottom", 1, "left", False),
        ("trail_hip_extension_bottom", 1, "left", False),
    ]
    knee = offered[0]
    assert knee.label.startswith("Front knee bend, rep 1 (left leg in front): the tool read 92.0°")
    assert knee.label.endswith(f", your reading {knee.fix.value:.1f}°")
    assert knee.fix.value == pytest.approx(knee.fix.tool, abs=0.5)  # the true knee, clicked
    assert offered[1].fix.value == round(offered[1].fix.tool, 1)  # not the knee: the tool's


def test_a_reading_on_another_frame_or_the_other_knee_offers_no_reading_of_its_own():
    screening = screening_from_truth("lunge_side_clean")
    assert review.correctable(screening, _reading("lunge_side_clean", 30, "left")) == []
    other = review.correctable(screening, _reading("lunge_side_clean", 21, "right"))
    knee = next(o for o in other if o.fix.metric == "front_knee_flexion_bottom")
    assert knee.fix.value == round(knee.fix.tool, 1)


def test_a_reading_offers_angles_only_not_a_ratio_read_on_the_same_frame():
    screening = screening_from_truth("sprint_side_knee_drive")
    event = next(e for e in screening.events if e.side == "left")
    frame = event.moments["peak_knee_drive"]
    reading = _reading("sprint_side_knee_drive", frame, "left")
    metrics = {o.fix.metric for o in review.correctable(screening, reading)}
    assert "peak_thigh_angle" in metrics and "peak_knee_height" not in metrics

"""The accuracy benchmark: exact tests of its comparison functions, and a smoke run.

The smoke run checks that the benchmark runs and reports (tables, PASS/MISS lines);
it never fails because a target is missed: reporting that honestly is its job.
"""

import dataclasses
import fcntl
import json
import math
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from benchmarks import accuracy, clipdata, engine_run, tables, targets
from benchmarks.accuracy import SMOKE
from benchmarks.accuracy_lib import (
    check_cues,
    count_target,
    error_stats,
    event_distance,
    event_values,
    join,
    limit_target,
    listing,
    match_events,
    rekey,
    share,
    swapped_labels,
    with_errors,
)
from movement_screen import pipeline, video
from movement_screen.core import Event, Measurement, View
from movement_screen.landmarks import INDEX
from tests.fixtures import SAMPLES, track_from_truth

ROOT = Path(__file__).parents[1]
NAN = float("nan")


def test_error_stats_over_frames_where_both_are_defined():
    stats = error_stats(np.array([1.0, 2.0, NAN, 4.0, 9.0]), np.array([0.0, 4.0, 1.0, 4.0]))
    assert stats.n == 3  # the estimate's fifth frame has no truth; the third is NaN
    assert stats.mae == pytest.approx(1.0)  # |1| + |-2| + |0|
    assert stats.bias == pytest.approx(-1 / 3)
    assert stats.max == pytest.approx(2.0)


def test_error_stats_with_nothing_to_compare_is_nan():
    stats = error_stats(np.array([NAN, 1.0]), np.array([0.0, NAN]))
    assert stats.n == 0 and math.isnan(stats.mae) and math.isnan(stats.max)


def test_swapped_labels_judges_only_frames_with_the_points_apart():
    true_left = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    true_right = np.array([[10.0, 0.0], [10.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    left = np.array([[1.0, 0.0], [9.0, 0.0], [0.0, 0.0], [NAN, NAN]])
    right = np.array([[9.0, 0.0], [1.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    flags = swapped_labels(left, right, true_left, true_right, min_apart=5.0)
    np.testing.assert_array_equal(flags, [0.0, 1.0, NAN, NAN])
    assert share(flags) == (0.5, 2)
    assert math.isnan(share(np.array([NAN]))[0])


def _stride(side, number, toe_off, drive, end):
    return Event(
        "stride", number, side, toe_off, end, {"toe_off": toe_off, "peak_knee_drive": drive}
    )


def test_event_distance_needs_the_same_kind_and_leg():
    a, b = _stride("left", 1, 10, 20, 30), _stride("left", 1, 12, 21, 32)
    assert event_distance(a, b) == pytest.approx(1.5)  # toe-offs 2 apart, drives 1
    assert event_distance(a, _stride("right", 1, 10, 20, 30)) == math.inf
    rep = Event("rep", 1, "left", 10, 30, {"bottom": 20})
    assert event_distance(rep, Event("rep", 1, "right", 10, 30, {"bottom": 22})) == 2.0
    assert event_distance(a, rep) == math.inf


def test_match_events_pairs_nearest_one_to_one_within_tolerance():
    engine = [_stride("left", 1, 10, 20, 30), _stride("left", 2, 30, 40, 50)]
    truth = [_stride("left", 1, 11, 21, 31), _stride("left", 2, 36, 46, 56)]
    assert match_events(engine, truth) == {0: 0}  # 6 frames off > 0.25 * 20
    assert match_events(engine, truth, tolerance=0.5) == {0: 0, 1: 1}
    assert match_events(engine, [truth[0]], tolerance=5.0) == {0: 0}  # one truth, one pair


def test_per_event_rows_rekey_join_and_errors():
    engine = [_stride("left", 1, 10, 20, 30), _stride("right", 1, 15, 25, 35)]
    truth = [_stride("right", 1, 15, 25, 35), _stride("left", 2, 10, 20, 30)]
    measured = [
        Measurement("peak_thigh_angle", 70.0, "deg", "left", 1),
        Measurement("peak_thigh_angle", 72.0, "deg", "right", 1),
        Measurement("peak_thigh_angle", 71.0, "deg", "left", None, "median"),
    ]
    true_values = event_values(
        [
            Measurement("peak_thigh_angle", 69.0, "deg", "left", 2),
            Measurement("peak_thigh_angle", 75.0, "deg", "right", 1),
        ]
    )
    engine_values = event_values(measured)
    assert engine_values == {("peak_thigh_angle", "left", 1): 70.0,
                             ("peak_thigh_angle", "right", 1): 72.0}  # fmt: skip
    own = rekey(true_values, engine, truth, match_events(engine, truth))
    assert own == {("peak_thigh_angle", "left", 1): 69.0, ("peak_thigh_angle", "right", 1): 75.0}
    rows = with_errors(join({"engine": engine_values, "truth_own": own}), ["truth_own"])
    assert [(r["side"], r["rep"], r["err_truth_own"]) for r in rows] == [
        ("left", 1, 1.0),
        ("right", 1, -3.0),
    ]
    rows = join({"engine": engine_values, "truth_own": {}})
    assert all(math.isnan(r["truth_own"]) for r in rows)


def test_check_cues_names_missed_and_unexpected_fault_cues_only():
    check = check_cues(["stay_tall", "knee_over_foot"], ["stay_tall", "hinge_from_hips", "x"])
    assert check.missed == ("knee_over_foot",)
    assert check.unexpected == ("hinge_from_hips",)  # "x" is not a fault cue
    assert not check.ok
    assert check_cues([], ["all_clear"]).ok


def test_limit_target_shows_the_worst_value_and_what_is_over():
    target = limit_target("thigh", {"a": 1.0, "b": 4.0, "c": NAN}, limit=3.0)
    assert target.status == "MISS"
    assert target.value == "4.00 deg (b)"
    assert target.detail == "1/3 within; over: b; not measured: c"
    assert limit_target("thigh", {"a": 3.0}, limit=3.0).status == "PASS"
    assert limit_target("thigh", {}, limit=3.0).status == "N/A"


def test_count_target_and_listing():
    assert count_target("cues", {"a": True, "b": False}, rule="all").value == "1/2"
    assert count_target("cues", {"a": True}, rule="all").status == "PASS"
    assert count_target("cues", {}, rule="all").status == "N/A"
    assert listing(["a", "b", "c"], most=2) == "a, b and 1 more"


def _clip(name, view, maes, *, motion="lunge", expected=(), fired=()):
    rows = [{"angle": a, "mae": m, "n": 5} for a, m in maes.items()]
    cues = check_cues(expected, fired).as_dict()
    return {"clip": name, "view": view, "motion": motion, "angles": rows, "cues": cues,
            "found": 10, "frames": 10, "decoded": 10, "per_event": [], "swaps": None}  # fmt: skip


def test_targets_from_clip_results():
    side = _clip("s", "side", {"trunk_lean": 1.0, "thigh_angle_left": 2.0,
                               "thigh_angle_right": 3.5}, expected=["stay_tall"])  # fmt: skip
    front = _clip("f", "front", {"pelvic_obliquity": 1.5}, fired=["knee_over_foot"])
    assert targets.worst_mae(side, ("thigh_angle_left", "thigh_angle_right")) == 3.5
    assert targets.worst_mae(side, ("thigh_angle_left", "hip_flexion_left")) == 2.0
    assert math.isnan(targets.worst_mae(side, ("hip_flexion_left",)))
    assert targets.unmeasured(side, ("trunk_lean", "hip_flexion_left")) == ["hip_flexion_left"]
    by_name = {t.name: t for t in targets.all_targets([side, front])}
    assert by_name["athlete found in every frame"].value == "20/20 frames"
    assert by_name["trunk_lean MAE per clip (side view)"].status == "PASS"
    assert by_name["thigh_angle MAE per clip (side view)"].status == "MISS"
    hips = by_name["hip_flexion MAE per clip (side view)"]
    assert hips.status == "MISS" and "no value at all: s hip_flexion_left" in hips.detail
    assert by_name["pelvic_obliquity MAE per clip (front view)"].status == "PASS"
    assert by_name["fault clips get their expected cues"].value == "0/1"
    assert by_name["clean clips get no fault cue"].detail == "not met: f"
    assert by_name["peak_thigh_angle per stride, abs. error"].status == "N/A"


def test_swap_target_uses_angles_both_runs_measured():
    def stats(mae):
        return {"mae": mae}

    clip = _clip("s", "side", {})
    clip["swaps"] = {"angles": {
        "thigh_angle_left": {"raw": stats(NAN), "corrected": stats(1.9)},  # far leg: raw had none
        "thigh_angle_right": {"raw": stats(2.0), "corrected": stats(2.05)},
    }}  # fmt: skip
    target = targets.swap_target([clip])
    assert target.status == "PASS" and target.value == "0.05 deg (s)"


def test_stride_error_falls_back_to_the_engine_frame():
    assert targets.stride_error({"err_truth_own": -2.0, "err_truth_same": 9.0}) == 2.0
    assert targets.stride_error({"err_truth_own": NAN, "err_truth_same": -9.0}) == 9.0


def test_render_text_and_markdown():
    table = tables.Table("T", ("a", "bb"), [("1", "x|y")], "note")
    assert tables.render(table) == "T\n=\na  bb \n-  ---\n1  x|y\n\nnote\n"
    assert "| 1 | x\\|y |" in tables.render(table, markdown=True)
    assert tables.num(NAN) == "-" and tables.num(1.25, "+.1f") == "+1.2"
    assert tables.percent(0.125) == "12.5%" and tables.percent(NAN) == "-"


def test_front_knee_fppa_is_the_lunge_lead_leg():
    clip = _clip("f", "front", {"knee_fppa_left": 30.0, "knee_fppa_right": 2.0})
    clip["lead"] = "right"
    assert tables.front_fppa(clip)["mae"] == 2.0
    assert tables._angle_label(clip, "knee_fppa_left") == "knee_fppa_left (trail)"
    assert tables._angle_label(clip, "knee_fppa_right") == "knee_fppa_right"
    assert tables.front_fppa({**clip, "lead": None}) == {}
    clip["angles"][1]["n"] = 4  # of 10 frames; the trail leg's count does not matter
    assert tables.coverage(clip) == "40.0%"


def test_clip_files_become_angles_and_y_up_pose(tmp_path):
    (tmp_path / "c_truth.csv").write_text("frame,time_s,trunk_lean\n0,0.0,1.5\n1,0.5,\n")
    table = clipdata.read_table(tmp_path / "c_truth.csv")
    angles = clipdata.truth_angles(table, {"view": "side", "facing": "left"})
    assert angles.view is View.SIDE
    np.testing.assert_array_equal(angles.values["trunk_lean"], [1.5, NAN])
    assert np.isnan(angles.values["pelvic_obliquity"]).all()
    np.testing.assert_array_equal(angles.facing, [-1.0, -1.0])
    joints = {"time_s": np.array([0.0]), "left_knee_x": np.array([3.0]),
              "left_knee_y": np.array([100.0])}  # fmt: skip
    pose = clipdata.joints_pose(joints, height=540)
    np.testing.assert_array_equal(pose.point("left_knee"), [[3.0, 440.0]])
    assert np.isnan(pose.point("nose")).all()


def test_compare_on_a_perfect_track_lines_everything_up():
    """The clip's own joint centres as the 'pose': no swaps, small errors, events all matched."""
    name = "sprint_side_knee_drive"
    info = video.probe(str(SAMPLES / f"{name}.mp4"))
    track = track_from_truth(name, info.height, info.width)
    truth = engine_run.load_truth(SAMPLES, name)
    result = engine_run.compare(
        truth, track, pipeline.screen(info, track), pipeline.screen(info, track, engine_run.RAW)
    )
    assert result["found"] == result["frames"] == 90
    assert all(row["mae_2d"] < 2.0 for row in result["angles"])
    assert result["swaps"]["raw_swapped_share"] == 0.0
    events = result["events"]
    assert events["engine"] == events["truth_events"] == events["truth_matched"]
    for row in result["per_event"]:
        assert row["err_truth_same"] == pytest.approx(row["engine"] - row["truth_same"])


def test_smoke_run_reports_tables_and_targets(tmp_path):
    out_json, out_md = tmp_path / "a.json", tmp_path / "a.md"
    command = [sys.executable, "benchmarks/accuracy.py", "--set", "smoke",
               "--json", str(out_json), "--markdown", str(out_md)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for title in ("Per clip and angle", "Per stride / rep", "Leg swaps", "Summary of targets"):
        assert title in done.stdout
    statuses = [
        line.split()[0] for line in done.stdout.splitlines() if line[:4] in ("PASS", "MISS")
    ]
    assert len(statuses) >= 8
    assert "not accuracy figures on real people" in done.stdout
    report = json.loads(out_json.read_text())
    assert {c["clip"] for c in report["clips"]} == set(SMOKE)
    assert "| status | target |" in out_md.read_text()


def test_a_cached_clip_from_an_older_draw_is_rendered_again():
    spec = {"seed": 7, "fps": 30, "others": ({"motion": "walk", "x": 3.0, "motion_args": ()},)}
    stored = {"seed": 7, "fps": 30, "camera": {}, "others": [{"motion": "walk", "x": 3.0,
              "motion_args": [], "speed": 0.0}]}  # fmt: skip
    assert clipdata.renders(stored, spec)
    assert clipdata.renders(stored, {**spec, "top": "fitted"})  # a field added since: its default
    assert clipdata.renders(stored, {**spec, "roll": 0.0})
    assert not clipdata.renders(stored, {**spec, "roll": 1.5})  # added since, not its default
    assert not clipdata.renders({**stored, "fps": 25}, spec)
    moved = {**stored, "others": [{**stored["others"][0], "x": 2.5}]}
    assert not clipdata.renders(moved, spec)
    assert not clipdata.renders({**stored, "others": []}, spec)


def test_a_second_run_waits_for_the_one_rendering_into_the_cache(tmp_path):
    done = threading.Event()
    with open(tmp_path / ".rendering.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run is rendering here
        waiting = threading.Thread(
            target=lambda: (accuracy.ensure_rendered(tmp_path, {}, workers=1), done.set())
        )
        waiting.start()
        assert not done.wait(0.5)
    assert done.wait(10)
    waiting.join()


def test_the_choice_is_judged_at_the_tracked_frame_nearest_the_seed():
    rows = np.array([0, 2, 4, 6, 8])  # posed every other frame
    seen = np.array([True, False, False, True, True])
    on = np.array([True, False, False, False, True])
    assert not engine_run._chosen_right(rows, seen, on, 4)  # row 6 is tracked, on someone else
    assert engine_run._chosen_right(rows, seen, on, 1)  # row 0
    assert engine_run._chosen_right(rows, seen, on, 8)
    assert not engine_run._chosen_right(rows, np.zeros(5, bool), on, 0)  # never tracked


def test_measures_taken_off_someone_else_are_counted_where_the_user_reads_them():
    """Hips off the athlete with any angle measured, or a leg's knee off with that leg's
    angle measured; a leg the cleaning left unmeasured is not counted."""
    name = "sprint_side_knee_drive"
    info = video.probe(str(SAMPLES / f"{name}.mp4"))
    track = track_from_truth(name, info.height, info.width)
    truth = engine_run.load_truth(SAMPLES, name)
    screened = pipeline.screen(info, track)
    thigh = clipdata.thigh_length_px(truth.joints)
    assert not engine_run._measured_off(screened, truth, thigh).any()
    xy = screened.clean.pose.xy.copy()
    values = {k: v.copy() for k, v in screened.angles.values.items()}
    hips = [INDEX["left_hip"], INDEX["right_hip"]]
    xy[10:13, hips, 0] += 2 * thigh  # someone beside the athlete
    xy[20:22, INDEX["left_knee"], 0] += 2 * thigh  # a knee drawn on someone else
    for key in [k for k in values if k.endswith("left")]:
        values[key][21] = np.nan  # ... where the left leg was left unmeasured
    pose = dataclasses.replace(screened.clean.pose, xy=xy)
    moved = dataclasses.replace(
        screened,
        clean=dataclasses.replace(screened.clean, pose=pose),
        angles=dataclasses.replace(screened.angles, values=values),
    )
    off = engine_run._measured_off(moved, truth, thigh)
    assert np.flatnonzero(off).tolist() == [10, 11, 12, 20]


def test_a_part_drawn_on_someone_else_mixes_two_people_and_one_on_no_one_is_a_slip(monkeypatch):
    truth = engine_run.load_truth(SAMPLES, "sprint_side_knee_drive")
    thigh = clipdata.thigh_length_px(truth.joints)
    athlete = {
        n: clipdata.joint_xy(truth.joints, n, truth.meta["height"]) for n in engine_run.PARTS
    }
    beside = {n: xy + [3 * thigh, 0.0] for n, xy in athlete.items()}  # someone walking by
    monkeypatch.setattr(clipdata, "others_xy", lambda meta: [beside])
    xy = truth.pose.xy.copy()
    xy[5, INDEX["nose"]] = beside["nose"][5]
    xy[9, INDEX["left_ankle"]] = beside["right_ankle"][9]
    xy[8, INDEX["left_ankle"], 1] += 1.5 * thigh  # nobody there
    pose = dataclasses.replace(truth.pose, xy=xy)
    rows = np.arange(len(xy))
    on = np.ones(len(xy), bool)
    assert engine_run._parts_off(pose, truth, rows, on, thigh) == {
        "frames_mixed": 2,
        "frames_slipped": 1,
    }
    on[5] = False  # the hips were off the athlete there: counted as on someone else instead
    assert engine_run._parts_off(pose, truth, rows, on, thigh) == {
        "frames_mixed": 1,
        "frames_slipped": 1,
    }
    monkeypatch.setattr(clipdata, "others_xy", lambda meta: [])  # alone: every part off slips
    assert engine_run._parts_off(pose, truth, rows, on, thigh) == {
        "frames_mixed": 0,
        "frames_slipped": 2,
    }


def _swaps(raw_share, judged, corrected_share, judged_corrected):
    return {"clip": f"c{judged}", "swaps": {
        "frames_judged": judged, "raw_swapped_share": raw_share,
        "corrected_swapped_share": corrected_share, "frames_judged_corrected": judged_corrected,
    }}  # fmt: skip


def test_wrong_leg_frames_are_pooled_over_each_run_own_judged_frames():
    from benchmarks import generalisation

    clips = [_swaps(0.1, 100, 0.05, 100), _swaps(0.5, 50, math.nan, 0)]  # a leg dropped
    pooled, never, _ = generalisation.leg_targets(clips)
    assert pooled.value == "5.0% of 100 frames (raw 23.3% of 150)"
    assert never.value == "2/2"


def test_correction_is_set_beside_raw_on_the_frames_raw_labelled():
    from benchmarks import generalisation

    fast = _swaps(0.02, 100, 0.03, 200)  # posed every other frame; more wrong in between
    fast["swaps"]["corrected_posed_swapped_share"] = 0.02
    worse = _swaps(0.02, 101, 0.03, 202)
    worse["swaps"]["corrected_posed_swapped_share"] = 0.03
    older = _swaps(0.02, 102, 0.03, 204)  # a run from before the posed share was kept
    never = generalisation.leg_targets([fast, worse, older])[1]
    assert never.value == "1/3"
    assert never.detail == "worse: c101, c102"


def test_wrong_legs_are_counted_on_the_frames_both_runs_judged():
    nan = math.nan
    raw = np.array([0.0, 1.0, 0.0, 0.0, nan, 1.0])
    corrected = np.array([0.0, 1.0, nan, nan, 1.0, 0.0])  # a far leg dropped on two frames
    assert engine_run.wrong_on_shared(raw, corrected) == {"frames": 3, "raw": 2, "corrected": 1}


def test_a_clip_is_worse_than_raw_only_with_more_wrong_frames_on_shared_ones():
    from benchmarks import generalisation

    same = _swaps(1 / 188, 188, 1 / 183, 183)  # one wrong frame; five far legs dropped
    same["swaps"]["corrected_posed_swapped_share"] = 1 / 183
    for counts in ("wrong_on_shared", "wrong_on_measured"):
        same["swaps"][counts] = {"frames": 183, "raw": 1, "corrected": 1}
    worse = _swaps(0.0, 189, 1 / 189, 189)
    for counts in ("wrong_on_shared", "wrong_on_measured"):
        worse["swaps"][counts] = {"frames": 189, "raw": 0, "corrected": 1}
    never = generalisation.leg_targets([same, worse])[1]
    assert never.value == "1/2"
    assert never.detail == "worse: c189"


def test_frames_someone_passed_over_are_judged_apart_from_the_measured_ones():
    from benchmarks import generalisation

    passed = _swaps(0.02, 200, 0.05, 200)  # worse only where nothing was measured
    passed["swaps"]["wrong_on_shared"] = {"frames": 200, "raw": 4, "corrected": 10}
    passed["swaps"]["wrong_on_measured"] = {"frames": 180, "raw": 0, "corrected": 0}
    _, never, tracked = generalisation.leg_targets([passed])
    assert (never.value, never.status) == ("1/1", "PASS")
    assert (tracked.value, tracked.status, tracked.detail) == ("0/1", "INFO", "worse: c200")


def test_measured_frames_are_those_with_any_angle():
    nan = math.nan
    values = {"a": np.array([1.0, nan, nan, 2.0]), "b": np.array([nan, nan, 3.0, 4.0])}
    screening = SimpleNamespace(angles=SimpleNamespace(values=values))
    assert engine_run.measured_frames(screening).tolist() == [True, False, True, True]


def test_a_leg_never_measured_is_counted_as_over_and_named():
    from benchmarks import generalisation

    def clip(name, right_n):
        cols = [c for cs in targets.SAGITTAL.values() for c in cs]
        n = {c: right_n if c.endswith("right") else 9 for c in cols}
        rows = [{"angle": c, "mae": 1.0 if n[c] else math.nan, "n": n[c]} for c in cols]
        return {"clip": name, "view": "side", "angles": rows}

    *shares, info, measured = generalisation.angle_share_targets(
        [clip("seen", 9), clip("hidden", 0)]
    )
    assert [t.value for t in shares] == ["50% (1/2)"] * 3 + ["100% (2/2)"]  # trunk: both seen
    assert info.value == "1/2" and "hidden" in info.detail
    assert measured.value.startswith("thigh_angle 2/2, hip_flexion 2/2, knee_flexion 2/2")


def test_other_clips_named_and_the_easy_pace_said_only_for_jogs():
    from benchmarks import generalisation

    def clip(name, motion, movement, seen=None, easy=False):
        expected = "sprint" if motion in ("sprint", "jog") else None
        engine = {"engine_movement": movement, "engine_seen": seen, "engine_easy_pace": easy}
        return {"clip": name, "motion": motion, "expected_movement": expected, **engine}

    clips = [
        clip("walk", "walk", None, "walking"),
        clip("squat", "squat", None, "standing"),  # named wrongly
        clip("jog", "jog", "sprint", easy=True),
        clip("sprint", "sprint", "sprint", easy=True),  # told it is slow: wrong
        clip("sprint2", "sprint", "sprint"),
        clip("missed", "sprint", None),  # not screened as a sprint: no pace to judge
        clip("missed2", "sprint", None, "walking"),  # and named as something else
    ]
    named, misnamed, pace = generalisation.said_what_it_saw(clips)
    assert misnamed.value == "1/2" and misnamed.detail == "missed2"
    assert named.value == "50% (1/2)" and "squat" in named.detail
    assert pace.value == "67% (2/3)" and "sprint" in pace.detail and "sprint2" not in pace.detail
    old = [{k: v for k, v in c.items() if not k.startswith("engine_")} for c in clips]
    assert generalisation.said_what_it_saw(old) == []  # a run from before: no rows


def test_the_camera_roll_is_counted_where_it_was_read():
    from benchmarks import generalisation

    def clip(name, drawn, read):
        return {"clip": name, "level": {"drawn": drawn, "read": read}}

    clips = [clip("a", 2.5, 2.4), clip("b", -1.0, -1.6), clip("c", 0.4, None), {"clip": "old"}]
    row = generalisation.level_target(clips)
    assert row.value == "1/2 read of 3" and row.status == "INFO" and row.detail == "off: b"


def _strides(metric: str, side: str, errors: list[float], truth: float) -> list[dict]:
    return [
        {"metric": metric, "side": side, "err_truth_own": e, "truth_own": truth} for e in errors
    ]


def test_near_far_takes_the_near_legs_error_minus_the_far_legs_on_symmetric_clips():
    from benchmarks import near_far

    rows = _strides("hip_extension_toe_off", "left", [3.0, 4.0, 5.0], 15.0)
    rows += _strides("hip_extension_toe_off", "right", [1.0, 1.0, float("nan")], 15.0)
    rows += _strides("peak_thigh_angle", "left", [0.0, 0.0], 80.0)
    rows += _strides("peak_thigh_angle", "right", [0.0, 0.0], 70.0)  # made asymmetric
    facing_left = {"clip": "a", "view": "side", "facing": "left", "per_event": rows}
    assert near_far.near_minus_far(facing_left, "hip_extension_toe_off") == (3.0, 0.0)
    facing_right = facing_left | {"facing": "right"}
    assert near_far.near_minus_far(facing_right, "hip_extension_toe_off") == (-3.0, 0.0)
    per_clip, summary = near_far.report([facing_left, facing_right])
    assert [r[2:] for r in per_clip.rows] == [["-", "+3.0"], ["-", "-3.0"]]
    assert summary.rows == [["hip_extension_toe_off", "2", "+0.00", "+0.00", "3.00", "3.0", "0"]]


def _stride_rows(left: list[float], right: list[float], truth: float) -> list[dict]:
    """An accuracy run's per-stride rows of hip extension: engine values, truth `truth`."""
    sides = [("left", v) for v in left] + [("right", v) for v in right]
    return [{"metric": "hip_extension_toe_off", "side": s, "rep": n, "engine": v,
             "truth_own": truth} for n, (s, v) in enumerate(sides, 1)]  # fmt: skip


def test_both_sides_benchmark_counts_each_clip_alone_against_the_pair():
    from benchmarks import both_sides as bench

    # symmetric athlete; the near leg reads 5 degrees more, which is 10 apart from one side
    near_left = _stride_rows([25, 25.5, 24.5], [15, 15.5, 14.5], 20)
    near_right = _stride_rows([15, 15.2, 14.8], [25, 25.2, 24.8], 20)
    drawn = {"clip": "a", "facing": "left", "per_event": near_left}
    flipped = {"clip": "a_otherside", "facing": "right", "per_event": near_right}
    (row,) = [
        r for r in bench.rows_of([(drawn, flipped)]) if r["metric"] == "hip_extension_toe_off"
    ]
    assert row["truth"] == 0.0 and row["own_past"] == [True, True]
    assert row["reading"].value == pytest.approx(0.0) and row["reading"].camera == pytest.approx(
        10.0
    )
    clip_table, summary = bench.report([row])
    assert summary.rows == [
        ("symmetric (truth under 2 deg)", "1", "2/2", "0/1", "10.0", "0.0", "10.0", "0.0")
    ]


def test_crowded_clips_count_mixed_frames_and_the_model_s_slips_apart():
    from benchmarks import generalisation

    def clip(name, others, mixed, slipped):
        counts = {"frames_mixed": mixed, "frames_slipped": slipped, "frames_measured_off": 0}
        chosen = {"others": others, "right": True, "unsure": False, "frames_on_other": 0}
        return {"clip": name, "athlete": {**chosen, **counts}}

    clips = [clip("a", 2, 0, 3), clip("b", 1, 1, 0), clip("alone", 0, 0, 9)]
    found = {t.name: t for t in generalisation.athlete_targets(clips)}
    assert found["no frame mixing two people in one skeleton"].value == "50% (1/2)"
    slips = found["frames with the nose or an ankle drawn on no one (information)"]
    assert (slips.value, slips.status) == ("1/2 (3 frames)", "INFO")


def test_the_swap_table_shows_wrong_legs_where_measured():
    from benchmarks import tables

    angles = {n: {r: {"mae": 1.0, "max": 2.0} for r in ("raw", "corrected")}
              for n in ("thigh_angle_left", "thigh_angle_right", "knee_flexion_left",
                        "knee_flexion_right")}  # fmt: skip
    new = _swaps(0.02, 200, 0.05, 200)
    new["swaps"] |= {"engine_relabelled_frames": 3, "angles": angles,
                     "wrong_on_measured": {"frames": 180, "raw": 2, "corrected": 1}}  # fmt: skip
    old = _swaps(0.02, 201, 0.05, 201)
    old["swaps"] |= {"engine_relabelled_frames": 0, "angles": angles}
    rows = tables.swap_table([new, old]).rows
    column = tables.swap_table([]).headers.index("wrong where measured, raw -> corrected")
    assert [row[column] for row in rows] == ["2 -> 1 of 180", "-"]

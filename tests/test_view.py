"""The report's view model on a constructed report.json: the rows both renderers show."""

from movement_screen.report import names, view
from movement_screen.report.data import to_dict
from tests.fixtures import screening_from_truth

DOC = {
    "movement": {"value": "sprint"},
    "notes": [],
    "findings": [
        {"metric": "peak_thigh_angle", "kind": "median", "side": "left", "severity": "ok",
         "value": 70.44, "unit": "deg", "watch": 80.0, "flag": 90.0, "direction": "above",
         "within_noise": False},
        {"metric": "peak_thigh_angle", "kind": "median", "side": "right", "severity": "flag",
         "value": 92.0, "unit": "deg", "watch": 80.0, "flag": 90.0, "direction": "above",
         "within_noise": False},
        {"metric": "peak_thigh_angle", "kind": "asymmetry", "side": "left-right",
         "severity": "ok", "value": -21.56, "unit": "deg", "watch": 8.0, "flag": 12.0,
         "direction": "either", "within_noise": True},
    ],
    "measurements": [
        {"metric": "peak_thigh_angle", "kind": "asymmetry", "side": "left-right",
         "value": -21.56, "unit": "deg"},
        {"metric": "hip_extension_toe_off", "kind": "drift", "side": "right", "value": 1.5,
         "unit": "deg"},
        {"metric": "peak_thigh_angle", "kind": "drift", "side": "right", "value": -0.5,
         "unit": "deg"},
        {"metric": "peak_thigh_angle", "kind": "drift", "side": "left", "value": 2.0,
         "unit": "deg"},
    ],
}  # fmt: skip


def test_findings_worst_first_in_words_with_the_metric_explained_once():
    rows = view.finding_rows(DOC)
    assert [(r.side, r.severity) for r in rows] == [
        ("right leg", "flag"), ("left leg", "ok"), ("left minus right", "ok"),
    ]  # fmt: skip
    assert rows[0].measure == "Knee drive" and rows[0].kind == "typical"
    assert rows[0].explain and not rows[1].explain and not rows[2].explain
    assert rows[0].limits == "watch ≥ 80°, flag ≥ 90°" and rows[2].limits.startswith(
        "watch beyond ±"
    )
    assert rows[0].status == "Flag" and rows[2].status == "OK (within noise)"
    assert rows[2].value.startswith("-21.6")  # a difference keeps its sign


def test_left_right_and_drift_rows_in_measured_order_with_not_judged():
    (asym,) = view.summary_rows(DOC, "asymmetry")
    assert (asym.measure, asym.side, asym.status) == ("Knee drive", "left minus right",
                                                      "OK (within noise)")  # fmt: skip
    drift = view.summary_rows(DOC, "drift")
    assert [(r.measure, r.side) for r in drift] == [  # knee drive was measured first
        ("Knee drive", "left leg"), ("Knee drive", "right leg"),
        ("Hip extension at push-off", "right leg"),
    ]  # fmt: skip
    assert {r.status for r in drift} == {"not judged"}


def test_a_signed_value_says_which_way_it_points_and_a_difference_keeps_its_sign():
    assert names.metric_value("trunk_lean_bottom", -4.32, "deg") == "4.3° back"
    assert names.metric_value("trunk_lean_bottom", 7.0, "deg") == "7.0° forward"
    assert names.metric_value("pelvic_drop_bottom", -2.1, "deg") == "2.1° raised"
    assert names.metric_value("pelvic_drop_bottom", 6.8, "deg") == "6.8°"  # the name says it
    assert names.metric_value("stance_knee_fppa_bottom", -5.0, "deg") == "5.0° outward"
    assert names.metric_value("trunk_lean_bottom", -0.04, "deg") == "0.0°"  # no way to point
    assert names.metric_value("peak_thigh_angle", 80.0, "deg") == "80.0°"  # never negative
    assert names.metric_value("trunk_lean_bottom", float("nan"), "deg") == "–"
    rows = view.finding_rows(
        {"movement": {"value": "lunge"}, "findings": [
            {"metric": "trunk_lean_bottom", "kind": kind, "side": side, "value": -4.3,
             "unit": "deg", "severity": "ok", "within_noise": False, "direction": "either",
             "watch": 15.0, "flag": 20.0} for kind, side in (("median", None),
                                                             ("asymmetry", "left-right"))]}
    )  # fmt: skip
    assert [r.value for r in rows] == ["4.3° back", "-4.3°"]


def test_a_chosen_movement_the_clip_does_not_look_like_says_so_in_its_fact():
    move = {"value": "lunge", "source": "given", "detected": None, "seen": "walking"}
    assert view.movement_fact(move) == "Lunge (given; the clip looks like walking)"
    move = {**move, "detected": "sprint", "seen": None}
    assert view.movement_fact(move) == "Lunge (given; the clip looks like a sprint or run)"
    assert view.movement_fact({**move, "detected": "lunge"}) == "Lunge (given)"
    assert view.movement_fact({**move, "source": "detected"}) == "Lunge (detected)"
    assert view.movement_caveat({"movement": move}) == (
        "Screened as a lunge, as chosen, but the clip looks like a sprint or run: read the "
        "cues with that in mind."
    )
    assert view.movement_caveat({"movement": {**move, "detected": "lunge"}}) is None
    guessed = {"value": None, "source": "detected", "detected": "lunge", "seen": None}
    assert view.movement_fact(guessed) == (
        "not screened: looks like a lunge, with no complete rep (detected)"
    )


def test_the_header_and_data_quality_facts_come_from_the_document():
    doc = to_dict(screening_from_truth("lunge_front_valgus"))
    facts = dict(view.clip_facts(doc))
    assert facts["Movement"] == "Lunge (detected)" and facts["View"] == "front (detected)"
    assert facts["Clip"] == "lunge_front_valgus.mp4" and facts["Reps found"] == str(
        len(doc["events"])
    )
    quality = dict(view.quality_facts(doc))
    assert quality["Protocol"] == "the tool's own, for a lunge"
    assert quality["Camera view"].startswith("front")
    mine = {**doc["protocol"], "path": "/home/coach/strict lunge.toml"}
    assert view.protocol_words(mine) == "your own file strict lunge.toml"
    assert view.trust_limits(doc) == [*doc["quality"]["limits"], *doc["notes"]]
    assert "annotated" not in facts["Clip facts"] and doc["video"]["annotated_every"] == 1


def test_the_camera_fact_says_how_far_off_square_a_side_view_was_corrected_for():
    doc = to_dict(screening_from_truth("lunge_front_valgus"))
    assert doc["view"]["off_square_deg"] == 0.0  # a front view is not corrected
    doc["view"] |= {"value": "side", "oblique": True, "off_square_deg": 18.4}
    assert dict(view.quality_facts(doc))["Camera view"] == (
        "side (detected; not square to the athlete, about 18° off: side angles corrected for it)"
    )


def test_the_camera_fact_says_how_far_a_front_view_s_athlete_stood_turned_by_the_feet():
    doc = to_dict(screening_from_truth("lunge_front_valgus"))
    assert abs(doc["view"]["feet_turn_deg"]) < 5  # drawn square to the camera
    assert dict(view.quality_facts(doc))["Camera view"] == "front (detected; square to the athlete)"
    doc["view"] |= {"feet_turn_deg": -25.8}
    assert dict(view.quality_facts(doc))["Camera view"] == (
        "front (detected; the athlete turned about 26° from it, by the feet)"
    )


def test_no_view_is_named_where_the_athlete_lies_across_the_picture():
    doc = to_dict(screening_from_truth("lunge_front_valgus"))
    assert doc["view"]["upright"] and dict(view.clip_facts(doc))["View"] == "front (detected)"
    doc["view"] |= {"upright": False, "body_turn_deg": -88.0}
    said = "not read: the athlete lies across the picture"
    assert dict(view.clip_facts(doc))["View"] == said
    assert dict(view.quality_facts(doc))["Camera view"] == said


def test_the_facts_say_a_slow_motion_clip_is_drawn_on_every_nth_frame():
    doc = to_dict(screening_from_truth("lunge_front_valgus"))
    doc["video"] |= {"fps": 240.0, "annotated_every": 4}
    assert dict(view.clip_facts(doc))["Clip facts"].endswith(
        "; the annotated video shows one frame in 4 (60 a second)"
    )


def test_the_notes_under_no_findings_read_as_sentences():
    doc = {"notes": ["not one of the movements screened here (sprint, lunge or hinge)",
                     "it looks like a lunge, but not clearly."]}  # fmt: skip
    assert view.no_findings(doc) == [
        "Nothing was measured against the protocol in this clip.",
        "Not one of the movements screened here (sprint, lunge or hinge).",
        "It looks like a lunge, but not clearly.",
    ]


def test_why_a_clip_has_no_comparison_drift_or_key_frame_is_its_own():
    none = {"movement": {"value": None}, "events": []}
    assert view.no_pairs(none) == "Not compared: nothing was screened in this clip."
    assert view.no_drift(none) == "Drift is not judged: nothing was screened in this clip."
    assert view.no_key_frames(None, "key moment") == (
        "Nothing was screened in this clip, so there is no key moment to show."
    )
    hinge = {"movement": {"value": "hinge"}, "events": []}
    assert "uses both legs together" in view.no_pairs(hinge)
    lunge = {"movement": {"value": "lunge"}, "events": [{"side": "left"}, {"side": "left"}]}
    assert view.no_pairs(lunge).startswith("Only reps with the left leg in front")
    sprint = {"movement": {"value": "sprint"}, "events": []}
    assert view.no_pairs(sprint) == "Not enough strides or reps on both legs to compare them."
    assert "at least 4 strides or reps" in view.no_drift(sprint)
    assert view.no_key_frames("sprint") == (
        "No stride was judged in this clip, so there is no key frame to show."
    )

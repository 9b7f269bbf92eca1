"""The movement registry: one definition per movement, complete, and the single-leg squat."""

from __future__ import annotations

import math

import numpy as np
import pytest

from movement_screen import metrics, movements, rules
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.landmarks import INDEX, N_LANDMARKS
from movement_screen.movements import lunge, single_leg_squat
from movement_screen.report import names


@pytest.mark.parametrize("movement", list(Movement))
def test_every_movement_is_defined_once_and_completely(movement):
    """A spec, a protocol naming only its metrics, words for every metric, a key moment."""
    spec = movements.get(movement)
    assert spec.movement is movement and spec.unit in ("stride", "rep")
    assert spec.noun and spec.button and spec.scores and spec.metrics
    protocol = rules.check_metrics(rules.load(rules.default_path(movement)), spec.metric_names())
    assert {r.metric for r in protocol.rules} <= spec.metric_names()
    for name in spec.metric_names():
        assert name in names.METRICS, f"{name} has no words for people"
        read_from = movements.metric(name).angle
        assert read_from is None or read_from in names.ANGLES, f"{name}: unknown angle"
    for panel in spec.panels.values():
        assert set(panel) <= set(names.ANGLES)  # every plotted angle has a name


def test_the_movements_in_words():
    assert movements.one_of() == ("a sprint or run, a lunge, a hip hinge or a single-leg squat")


def _angles(obliquity: list[float]) -> Angles:
    n = len(obliquity)
    return Angles(np.arange(n) / 30.0, {"pelvic_obliquity": np.array(obliquity)}, View.FRONT)


@pytest.mark.parametrize(("side", "expected"), [("left", 5.0), ("right", -5.0)])
def test_pelvic_drop_is_positive_when_the_other_side_drops(side, expected):
    """+ obliquity is the athlete's left higher: standing on (or leading with) the left, the
    right side dropping 5 degrees is a drop of +5."""
    event = Event("rep", 1, side, 0, 4, {"bottom": 2})
    assert metrics.pelvic_drop(_angles([0, 2, 5, 2, 0]), event, "bottom") == expected


def test_pelvic_drop_of_a_rep_without_a_leg_is_not_measured():
    event = Event("rep", 1, None, 0, 4, {"bottom": 2})
    assert math.isnan(metrics.pelvic_drop(_angles([0, 2, 5, 2, 0]), event, "bottom"))


def _knees(left_y: float, right_y: float, n: int = 10) -> Pose:
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    xy[:, INDEX["left_knee"]] = (560.0, left_y)
    xy[:, INDEX["right_knee"]] = (500.0, right_y)
    return Pose(np.arange(n) / 30.0, xy, np.ones((n, N_LANDMARKS)))


def test_the_standing_leg_is_the_lower_knee():
    assert single_leg_squat.stance_leg(_knees(200.0, 240.0), 0, 9) == "left"
    assert single_leg_squat.stance_leg(_knees(240.0, 200.0), 0, 9) == "right"
    assert single_leg_squat.stance_leg(_knees(np.nan, 200.0), 0, 9) is None


SLS = {"hip_drop": 0.14, "knee_antiphase": -0.9, "torso_shrink": 0.05, "one_foot_up": 0.08,
       "foot_lift": 0.1, "knee_gap": 0.15, "feet_split": 2.0, "trunk_fold": 0.03}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "is_sls"),
    [
        ({}, True),
        ({"hip_drop": 0.3}, False),  # a lunge sinks further
        ({"hip_drop": 0.5}, False),  # a squat
        ({"hip_drop": 0.02}, False),  # balancing on one leg
        ({"knee_antiphase": 0.9}, False),  # walking: the knees in turn
        ({"torso_shrink": 0.4}, False),  # a hinge toward the camera
    ],
)
def test_single_leg_squat_is_told_from_a_lunge_a_squat_and_a_walk(change, is_sls):
    f = SLS | change
    assert (single_leg_squat.front_score(f) > 0.5) is is_sls
    if is_sls:
        assert lunge.front_score(f) == 0.0


@pytest.mark.parametrize(
    ("knee_gap", "feet_split", "expected"),
    [
        (0.3, np.nan, 1.0),  # one knee near the floor, filmed from low down
        (0.03, 2.0, 1.0),  # filmed from high up: the knees level, one foot behind in depth
        (0.03, 1.125, 0.5),  # halfway up the depth's ramp
        (0.03, 0.4, 0.0),  # a squat: knees level, feet side by side
        (0.03, np.nan, 0.0),  # no depth: only the knees tell
    ],
)
def test_a_lunge_from_the_front_shows_one_knee_lower_or_one_foot_behind(
    knee_gap, feet_split, expected
):
    f = {"hip_drop": 0.33, "torso_shrink": 0.05, "knee_gap": knee_gap, "feet_split": feet_split,
         "trunk_fold": 0.03}  # fmt: skip
    assert lunge.front_score(f) == pytest.approx(expected)


def test_a_foot_reaching_back_with_the_trunk_tipped_forward_is_no_lunge():
    """A balance and reach on one leg: the hips sink, the free foot reaches back in the
    air (one foot behind in depth) or its knee rises above the other (one knee lower),
    and the trunk tips toward the camera (the real lab clip seen from behind at an angle
    read `knee_gap` 0.10 with a shrink of 0.31, and was called a lunge)."""
    reach = {"hip_drop": 0.33, "torso_shrink": 0.16, "knee_gap": 0.03, "feet_split": 3.0,
             "trunk_fold": 0.0}  # fmt: skip
    assert lunge.front_score(reach) == 0.0
    assert lunge.front_score(reach | {"knee_gap": 0.3}) == 0.0  # a knee lifted high
    assert lunge.front_score(reach | {"torso_shrink": 0.125}) == pytest.approx(0.5)
    upright = reach | {"torso_shrink": 0.05, "feet_split": 0.4}
    assert lunge.front_score(upright | {"knee_gap": 0.3}) == 1.0  # a knee near the floor


def test_left_and_right_have_one_colour_everywhere():
    """Orange left, blue right in the report, the history plots and the video."""
    from movement_screen import overlay
    from movement_screen.records import plots as history
    from movement_screen.report import plots as report

    for side in ("left", "right"):
        colour = names.SIDE_COLOURS[side]
        assert report.SIDE_COLOUR[side] == history.SIDE_STYLE[side][0] == colour
        assert overlay.SIDE_COLOUR[side] == names.rgb(colour)
    assert names.rgb("#e8820c") == (232, 130, 12)


def _fppa(values):
    from movement_screen.core import Measurement

    return [Measurement("stance_knee_fppa_bottom", v, "deg", "right", i, "value")
            for i, v in enumerate(values, 1)]  # fmt: skip


def test_a_judged_metric_read_at_no_rep_is_said_with_its_reason():
    from movement_screen import screening

    protocol = rules.load(rules.default_path(Movement.SINGLE_LEG_SQUAT))
    table = movements.get(Movement.SINGLE_LEG_SQUAT).table(View.FRONT)
    (note,) = screening.unread_notes(protocol, table, _fppa([math.nan, math.nan]))
    assert note.startswith("standing knee caving in is not read at any rep: the thigh points")
    assert screening.unread_notes(protocol, table, _fppa([math.nan, 12.0])) == []
    assert screening.unread_notes(protocol, table, []) == []  # no rep: said elsewhere


def test_a_chosen_movement_the_clip_does_not_look_like_is_said_without_a_flag():
    from movement_screen import screening
    from movement_screen.classify import MovementEstimate

    estimate = MovementEstimate(Movement.SPRINT, 1.0, {Movement.SPRINT: 1.0})
    (note,) = screening.movement_notes(estimate, Movement.LUNGE, True, None)
    assert note == "screened as a lunge, as chosen, but the clip looks like a sprint or run"


def test_a_movement_chosen_for_a_clip_that_looks_like_none_says_what_it_looked_like():
    from movement_screen import screening
    from movement_screen.classify import MovementEstimate

    walk = MovementEstimate(None, 0.0, {"lunge": 0.1, "sprint": 0.2}, {"cadence": 0.9}, "walking")
    (lunge,) = screening.movement_notes(walk, Movement.LUNGE, True, None)
    assert lunge == "screened as a lunge, as chosen, but the clip looks like walking"
    (sprint,) = screening.movement_notes(walk, Movement.SPRINT, True, None)  # a gait: its pace
    assert sprint.startswith("the strides come about 0.9 a second, slower than a sprint's")
    reach = MovementEstimate(None, 0.0, {"single_leg_squat": 0.2})
    (squat,) = screening.movement_notes(reach, Movement.SINGLE_LEG_SQUAT, True, None)
    assert squat.startswith(
        "screened as a single-leg squat, as chosen, but the clip does not look like one "
        "(a match of 20%)"
    )
    assert screening.movement_notes(walk, None, False, None)[0].startswith("it looks like walk")


def test_the_movement_notes_name_each_movement_in_words():
    from movement_screen import screening
    from movement_screen.classify import MovementEstimate

    squat, hinge = Movement.SINGLE_LEG_SQUAT, Movement.HINGE
    estimate = MovementEstimate(hinge, 0.4, {hinge: 0.4, squat: 0.3})
    assert estimate.unsure
    (given,) = screening.movement_notes(estimate, squat, True, None)
    assert given == "screened as a single-leg squat, as chosen, but the clip looks like a hip hinge"
    (unsure,) = screening.movement_notes(estimate, hinge, False, None)
    assert unsure.startswith("it looks like a hip hinge, but not clearly (a match of 40%)")
    (guess,) = screening.movement_notes(estimate, None, False, squat)
    assert guess.startswith("it looks most like a single-leg squat, but the clip holds no")


def test_a_metric_read_at_no_rep_because_someone_passed_at_every_one_says_so():
    from movement_screen import screening
    from movement_screen.core import Measurement

    reps = [
        Event("rep", 1, "right", 0, 20, {"bottom": 10}),
        Event("rep", 2, "right", 20, 40, {"bottom": 30}),
    ]
    left_out = np.zeros(41, dtype=bool)
    left_out[5:15] = True
    assert screening.passed_at_every(reps, left_out, "rep") is None  # the second rep was read
    left_out[25:35] = True
    why = screening.passed_at_every(reps, left_out, "rep")
    assert why == "someone passed close to the athlete at every rep, and nothing is measured there"
    assert screening.passed_at_every(reps, None, "rep") is None
    protocol = rules.load(rules.default_path(Movement.LUNGE))
    table = movements.get(Movement.LUNGE).table(View.SIDE)
    unread = [Measurement("trail_hip_extension_bottom", math.nan, "deg", "right", i, "value")
              for i in (1, 2)]  # fmt: skip
    assert screening.unread_notes(protocol, table, unread) == []  # no reason known: not said
    (note,) = screening.unread_notes(protocol, table, unread, why)
    assert note.endswith(f"is not read at any rep: {why}")

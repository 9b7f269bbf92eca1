import numpy as np
import pytest

from movement_screen import classify, metrics, movements
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.movements import hinge, lunge, sprint
from tests.synthetic import side_pose

FPS = 30.0


def _angles(pose, view=View.SIDE):
    from movement_screen import kinematics

    return kinematics.angles(pose, view=view, facing=np.ones(len(pose)))


def _detect(pose, view=View.SIDE):
    return classify.detect_movement(_angles(pose, view), pose, movements.scores(view))


def test_running_is_a_sprint():
    assert _detect(_running(90)).movement is Movement.SPRINT


def _running(n):
    t = np.arange(n) / FPS
    phase = 2 * np.pi * 1.5 * t
    thigh = {"left": 30 + 40 * np.sin(phase), "right": 30 - 40 * np.sin(phase)}
    knee = {"left": 60 + 30 * np.cos(phase), "right": 60 - 30 * np.cos(phase)}
    return side_pose(t, trunk=np.full(n, 8.0), thigh=thigh, knee=knee)


@pytest.mark.parametrize("tracked", [29, 30])
def test_a_movement_is_told_only_from_a_second_of_the_athlete(tracked):
    """Running, but the athlete tracked on `tracked` frames (30 fps) of 90: under 1 s, a
    few strides' frames could be anything, and the tool says it saw too little."""
    from movement_screen import screening

    pose = _running(90)
    pose.xy[tracked:] = np.nan
    estimate = _detect(pose)
    assert estimate.tracked_s == round(tracked / FPS, 3)
    if tracked < 30:
        assert estimate.movement is None and estimate.too_little
        assert screening.movement_notes(estimate, None, False, None) == [
            "the athlete was tracked for only 1.0 s, too little to tell the movement, so "
            "nothing was screened: film a longer stretch, or choose the movement"
        ]
    else:
        assert estimate.movement is Movement.SPRINT and not estimate.too_little


def test_hinge_is_a_hinge():
    t = np.arange(120) / FPS
    lean = 35 - 35 * np.cos(2 * np.pi * t / 2.0)
    thigh = {"left": np.full(120, 5.0), "right": np.full(120, 5.0)}
    knee = {"left": np.full(120, 15.0), "right": np.full(120, 15.0)}
    pose = side_pose(t, trunk=lean, thigh=thigh, knee=knee)
    estimate = _detect(pose)
    assert estimate.movement is Movement.HINGE and estimate.confidence > 0.9


def test_standing_still_is_not_recognised():
    t = np.arange(60) / FPS
    still = {"left": np.zeros(60), "right": np.zeros(60)}
    pose = side_pose(t, trunk=np.zeros(60), thigh=still, knee=still)
    assert _detect(pose).movement is None


def test_summaries_median_asymmetry_and_drift():
    values = [
        metrics.Measurement("peak_thigh_angle", v, "deg", side, i + 1)
        for side, series in (
            ("left", [70, 72, 74, 80, 82, 84]),
            ("right", [60, 61, 62, 63, 64, 65]),
        )
        for i, v in enumerate(series)
    ]
    out = {(m.kind, m.side): m.value for m in metrics.summarise(values)}
    assert out[("median", "left")] == pytest.approx(77.0)
    assert out[("median", "right")] == pytest.approx(62.5)
    assert out[("asymmetry", "left-right")] == pytest.approx(14.5)
    assert out[("drift", "left")] == pytest.approx(83.0 - 71.0)  # last two minus first two


def test_hinge_metrics_at_the_deepest_frame():
    t = np.arange(10) / FPS
    thigh = {"left": np.full(10, 20.0), "right": np.full(10, 20.0)}
    knee = {"left": np.full(10, 30.0), "right": np.full(10, 40.0)}
    pose = side_pose(t, trunk=np.full(10, 50.0), thigh=thigh, knee=knee)
    event = Event("rep", 1, None, 0, 9, {"deepest": 5})
    got = {
        m.metric: m.value
        for m in metrics.measure(
            movements.get(Movement.HINGE).table(View.SIDE), _angles(pose), pose, [event]
        )
        if m.rep
    }
    assert got["peak_hip_flexion"] == pytest.approx(70.0)
    assert got["trunk_lean_deepest"] == pytest.approx(50.0)
    assert got["knee_flexion_deepest"] == pytest.approx(35.0)


def test_front_view_has_no_sprint_metrics():
    t = np.arange(5) / FPS
    empty = Angles(t, {}, View.FRONT, np.ones(5))
    assert movements.get(Movement.SPRINT).table(empty.view) == {}


def test_walking_is_none_of_the_three():
    """Legs in turn, but at a walking rhythm and with a walking knee: not a sprint."""
    t = np.arange(120) / FPS
    phase = 2 * np.pi * 0.85 * t
    thigh = {"left": 8 + 18 * np.sin(phase), "right": 8 - 18 * np.sin(phase)}
    knee = {"left": 30 + 30 * np.cos(phase), "right": 30 - 30 * np.cos(phase)}
    pose = side_pose(t, trunk=np.full(120, 3.0), thigh=thigh, knee=knee)
    estimate = _detect(pose)
    assert estimate.movement is None, estimate.scores


def test_cadence_of_a_known_rhythm():
    t = np.arange(90) / FPS
    assert classify.cadence(t, np.sin(2 * np.pi * 1.7 * t)) == pytest.approx(1.7, abs=0.13)
    assert np.isnan(classify.cadence(t, np.zeros(90)))


def test_one_foot_held_up_is_told_from_feet_taking_turns():
    t = np.arange(60) / FPS
    up = {"left": np.full(60, 0.0), "right": np.full(60, 60.0)}
    bent = {"left": np.full(60, 5.0), "right": np.full(60, 90.0)}
    balance = side_pose(t, trunk=np.zeros(60), thigh=up, knee=bent)
    assert classify.one_foot_up(balance) > 0.3
    swing = 30 * np.sin(2 * np.pi * 1.0 * t)
    walking = side_pose(t, trunk=np.zeros(60), thigh={"left": swing, "right": -swing},
                        knee={"left": np.full(60, 10.0), "right": np.full(60, 10.0)})  # fmt: skip
    assert classify.one_foot_up(walking) == 0.0


def test_the_same_leg_held_ahead_is_told_from_legs_taking_turns():
    """A split stance with its labels swapped on 8 of 100 frames (someone passing in front)
    holds the same thigh ahead on 92 %; running thighs lead in turn, half the time each."""
    t = np.arange(100) / FPS
    sink = np.sin(2 * np.pi * 0.6 * t) ** 2
    front, back = 50 + 25 * sink, -25 + 10 * sink
    swapped = (t >= 2.0) & (t < 2.0 + 8 / FPS)
    thigh = {"left": np.where(swapped, back, front), "right": np.where(swapped, front, back)}
    knee = {"left": np.full(100, 40.0), "right": np.full(100, 20.0)}
    split = side_pose(t, trunk=np.zeros(100), thigh=thigh, knee=knee)
    assert classify.features(_angles(split), split)["same_leg_ahead"] == pytest.approx(0.92)
    swing = 40 * np.sin(2 * np.pi * 1.5 * t + 0.1)
    legs = {"left": 30 + swing, "right": 30 - swing}
    running = side_pose(t, trunk=np.zeros(100), thigh=legs, knee=knee)
    assert classify.features(_angles(running), running)["same_leg_ahead"] == pytest.approx(
        0.5, abs=0.02
    )


SPRINT_LIKE = {
    "thigh_antiphase": 0.8, "thigh_range": 74.0, "cadence": 1.8, "knee_peak": 110.0,
    "same_leg_ahead": 0.52,
}  # fmt: skip


@pytest.mark.parametrize(
    "change, expected",
    [({}, True), ({"same_leg_ahead": 0.92}, False), ({"same_leg_ahead": float("nan")}, True)],
)
def test_a_sprint_takes_turns_with_its_legs(change, expected):
    """The thighs swinging in antiphase through a wide range, with one held ahead in all but
    a few frames, are a split stance whose labels were swapped there, not strides."""
    assert (sprint.side_score({**SPRINT_LIKE, **change}) > 0.5) is expected


LUNGE_LIKE = {
    "hip_drop": 0.25, "leg_split": 60.0, "cadence": 0.7, "one_foot_up": 0.05,
    "torso_shrink": 0.05, "knee_gap": 0.3, "trunk_range": 50.0, "knee_range": 80.0,
    "hip_rhythm": 1.0, "foot_lift": 0.2, "same_leg_ahead": 1.0, "feet_split": np.nan,
    "trunk_fold": 0.03,
}  # fmt: skip

HINGE_FRONT = {"torso_shrink": 0.5, "hip_drop": 0.1, "foot_lift": 0.03}


@pytest.mark.parametrize(
    "score, change, expected",
    [
        (lunge.side_score, {}, True),
        # balancing on one leg: the free foot up, the hips still
        (lunge.side_score, {"one_foot_up": 0.3, "foot_lift": 0.33, "hip_drop": 0.02}, False),
        (lunge.side_score, {"one_foot_up": 0.3, "foot_lift": 0.32}, True),  # filmed off square
        (lunge.side_score, {"cadence": 1.8, "same_leg_ahead": 0.55}, False),  # running
        (lunge.side_score, {"hip_rhythm": 2.0, "cadence": 0.85}, False),  # walking
        # a stride's rhythm in the thighs from a few swapped frames, the same leg ahead in
        # all the others (a crowded `train` lunge called a sprint)
        (lunge.side_score, {"cadence": 1.13, "same_leg_ahead": 0.92}, True),
        (lunge.side_score, {"cadence": 1.13, "same_leg_ahead": 0.55}, False),
        (lunge.front_score, {}, True),
        (lunge.front_score, {"knee_gap": 0.01}, False),  # a squat: knees level
        (lunge.front_score, {"knee_gap": 0.01, "feet_split": 0.4}, False),  # side by side
        (lunge.front_score, {"knee_gap": 0.01, "feet_split": 3.0}, True),  # one behind
        (lunge.side_score, {"foot_lift": 0.3}, True),  # the rear heel up
        (lunge.side_score, {"foot_lift": 0.7}, False),  # a foot off the floor: a reach
        (lunge.front_score, {"foot_lift": 0.7}, True),  # the rear foot, further away
        # a squat from behind, turned, one knee drawn lower: the trunk leans in at the bottom
        (lunge.front_score, {"knee_gap": 0.13, "trunk_fold": 0.15}, False),
        (lunge.front_score, {"knee_gap": 0.13, "trunk_fold": 0.07}, True),  # a lunge's most
        (hinge.side_score, {"leg_split": 5.0}, True),
        (hinge.side_score, {"leg_split": 5.0, "knee_range": 115.0}, False),  # a squat
        # a hinge from the front: the torso shortens, the hips stay up, both feet down
        (hinge.front_score, HINGE_FRONT, True),
        (hinge.front_score, {**HINGE_FRONT, "foot_lift": np.nan}, True),  # a foot hidden
        (hinge.front_score, {**HINGE_FRONT, "foot_lift": 0.9}, False),  # a reach on one leg
        (hinge.front_score, {**HINGE_FRONT, "hip_drop": 0.5}, False),  # a squat
    ],
)
def test_other_movements_score_nothing(score, change, expected):
    assert (score({**LUNGE_LIKE, **change}) > 0.5) is expected


def _front_split(ankles: float, hips: float, n: int = 40):
    """A front view, still, with MediaPipe's depth (pixels): the left ankle `ankles` leg
    lengths farther than the right beyond the hips' own difference of `hips` (a body
    turned from the camera)."""
    from movement_screen.landmarks import INDEX
    from tests.synthetic import SHANK, THIGH, front_pose

    zeros = np.zeros(n)
    drawn = front_pose(np.arange(n) / FPS, obliquity=zeros, trunk=zeros,
                       knee_in={"left": zeros, "right": zeros})  # fmt: skip
    leg, depth = THIGH + SHANK, np.zeros((n, 33))
    for side, sign in (("left", 0.5), ("right", -0.5)):
        depth[:, INDEX[f"{side}_hip"]] = sign * hips * leg
        depth[:, INDEX[f"{side}_ankle"]] = sign * hips * leg
    depth[:, INDEX["left_ankle"]] += ankles * leg
    return Pose(drawn.time, drawn.xy, drawn.visibility, depth)


def test_feet_split_in_depth_is_one_foot_behind_the_other_beyond_a_turned_body():
    assert classify.feet_split_in_depth(_front_split(1.0, 0.0)) == pytest.approx(1.0)
    assert classify.feet_split_in_depth(_front_split(0.0, 0.6)) == pytest.approx(0.0)
    assert classify.feet_split_in_depth(_front_split(0.8, 0.6)) == pytest.approx(0.8)
    split = _front_split(1.0, 0.0)
    no_depth = Pose(split.time, split.xy, split.visibility)
    assert np.isnan(classify.feet_split_in_depth(no_depth))


def test_a_rhythm_is_read_across_a_long_gap_without_drawing_a_line_over_it():
    """2.7 s of a sprint at 240 fps, 1.875 strides a second, a stride lost from one trough
    to the next (as where someone passed): a line drawn across it holds the trough for
    half a second, and read 0.75 strides a second."""
    t = np.arange(650) / 240.0
    strides = -60.0 * np.cos(2 * np.pi * 1.875 * (t - t[312]))
    strides[312:440] = np.nan
    assert classify.cadence(t, strides) == pytest.approx(1.875)


def test_frames_someone_passed_close_on_are_not_read_where_enough_remain():
    """A foot drawn high on a passer, over frames left out, does not lift the foot; where
    leaving them out would leave under KEEP_S of the athlete, every frame is read."""
    clean = _running(180)  # 6 s
    drawn = clean.with_xy(clean.xy.copy())
    from movement_screen.landmarks import INDEX

    drawn.xy[60:90, INDEX["left_ankle"], 1] += 100.0
    table = movements.scores(View.SIDE)
    passing = np.zeros(180, dtype=bool)
    passing[60:90] = True

    def lift(pose, left_out=None):
        estimate = classify.detect_movement(_angles(pose), pose, table, left_out=left_out)
        return estimate.features["foot_lift"]

    assert lift(drawn, passing) == pytest.approx(lift(clean), abs=0.01)
    assert lift(drawn) > lift(clean) + 0.2
    most = np.arange(180) >= 30  # 1 s would remain, under KEEP_S
    assert lift(drawn, most) == lift(drawn)


def test_trunk_fold_is_how_much_shorter_the_trunk_looks_at_the_bottom_than_standing():
    """Hips 0.3 leg lengths lower in the last fifth of frames, the trunk drawn 15 % shorter
    there (leaning toward the camera) and 5 % longer in one standing frame (a spike the
    90th percentile leaves out)."""
    from tests.synthetic import SHANK, THIGH, front_pose

    n = 40
    zeros = np.zeros(n)
    pose = front_pose(np.arange(n) / FPS, obliquity=zeros, trunk=zeros,
                      knee_in={"left": zeros, "right": zeros})  # fmt: skip
    torso = np.full(n, 100.0)
    torso[32:], torso[3] = 85.0, 105.0
    pose.xy[32:, :, 1] -= 0.3 * (THIGH + SHANK)  # the whole body lower: the hips' depth
    assert classify.trunk_fold(pose, torso) == pytest.approx(0.15)
    assert classify.trunk_fold(pose, np.full(n, 100.0)) == pytest.approx(0.0)
    assert np.isnan(classify.trunk_fold(pose, np.full(n, np.nan)))

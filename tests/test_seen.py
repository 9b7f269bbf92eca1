"""What a clip that is not screened looks like, and a run too easy for sprint thresholds."""

import math

import numpy as np
import pytest

from movement_screen import classify, kinematics, movements, screening, seen
from movement_screen.classify import MovementEstimate
from movement_screen.core import Movement, Pose, View
from movement_screen.report import names
from tests.synthetic import side_pose

FPS = 30.0
NAN = math.nan


def _gait(stride_hz: float, swing: float, knee_top: float, bob: float, n: int = 150) -> Pose:
    """Legs swinging in turn at `stride_hz`, thighs ±`swing` deg, knees bending to
    `knee_top` in the swing, the whole body `bob` pixels lower where the legs are apart
    (twice a stride, as the hips of a walker or a runner)."""
    t = np.arange(n) / FPS
    phase = 2 * np.pi * stride_hz * t
    thigh = {"left": 5 + swing * np.sin(phase), "right": 5 - swing * np.sin(phase)}
    bend = {
        "left": 5 + (knee_top - 5) * np.clip(np.cos(phase), 0, 1),
        "right": 5 + (knee_top - 5) * np.clip(-np.cos(phase), 0, 1),
    }
    pose = side_pose(t, trunk=np.full(n, 5.0), thigh=thigh, knee=bend)
    xy = pose.xy.copy()
    xy[..., 1] -= bob * np.abs(np.sin(phase))[:, None]  # y up: lower where the legs split
    return Pose(pose.time, xy, pose.visibility)


def _estimate(pose: Pose) -> MovementEstimate:
    angles = kinematics.angles(pose, view=View.SIDE, facing=np.ones(len(pose)))
    return classify.detect_movement(
        angles, pose, movements.scores(View.SIDE), seen.scores(View.SIDE)
    )


def test_a_walk_is_not_screened_but_named():
    estimate = _estimate(_gait(0.9, swing=20, knee_top=60, bob=8))
    assert estimate.movement is None
    assert estimate.seen == "walking"


@pytest.mark.parametrize("stride_hz", [0.5, 0.9])
def test_a_run_played_slowly_is_named_so_not_walking(stride_hz):
    """A sprint's legs and knees at a walk's rhythm: a sprint written at half or a quarter of
    its frame rate (the sample sprint read as walking so)."""
    estimate = _estimate(_gait(stride_hz, swing=45, knee_top=120, bob=8))
    assert estimate.movement is None and estimate.seen == "slow_run"
    said = screening.not_screened("slow_run")
    assert said.startswith("it looks like a run in slow motion (") and "save it at" in said
    assert "not one of the movements screened" not in said  # a run is one


def test_legs_swinging_without_the_hips_bobbing_are_not_named_walking():
    estimate = _estimate(_gait(0.9, swing=20, knee_top=60, bob=0))
    assert estimate.movement is None and estimate.seen is None


def test_a_jog_is_a_sprint_said_to_be_at_an_easy_pace():
    estimate = _estimate(_gait(1.4, swing=40, knee_top=110, bob=8))
    assert estimate.movement is Movement.SPRINT and estimate.seen is None
    assert screening.easy_pace(estimate, Movement.SPRINT)
    notes = screening.movement_notes(estimate, Movement.SPRINT, False, None)
    assert notes == [screening.slow_strides(estimate.features["cadence"])]
    assert "about 1.4 a second" in notes[0] and "sprinting speed" in notes[0]


def test_a_sprint_rhythm_gets_no_easy_pace_note():
    estimate = _estimate(_gait(2.0, swing=45, knee_top=120, bob=8))
    assert estimate.movement is Movement.SPRINT
    assert not screening.easy_pace(estimate, Movement.SPRINT)
    assert screening.movement_notes(estimate, Movement.SPRINT, False, None) == []


def test_the_easy_pace_boundary_and_only_for_sprints():
    below = MovementEstimate(Movement.SPRINT, 1.0, {}, {"cadence": 1.6})
    at = MovementEstimate(Movement.SPRINT, 1.0, {}, {"cadence": seen.EASY_RUN_CADENCE})
    assert screening.easy_pace(below, Movement.SPRINT)
    assert not screening.easy_pace(at, Movement.SPRINT)
    assert not screening.easy_pace(below, Movement.LUNGE)
    assert not screening.easy_pace(MovementEstimate(Movement.SPRINT, 1.0, {}), Movement.SPRINT)


def _features(**given: float) -> dict[str, float]:
    keys = ("hip_drop", "thigh_antiphase", "thigh_range", "same_leg_ahead", "trunk_range")
    rest = ("hip_rhythm", "one_foot_up", "foot_lift", "knee_gap", "feet_split", "knee_peak")
    rest += ("cadence",)
    return {k: NAN for k in (*keys, *rest)} | given


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        (dict(hip_drop=0.015, thigh_range=3, trunk_range=4, one_foot_up=0.0), "standing"),
        (
            dict(hip_drop=0.02, thigh_range=3, trunk_range=5, one_foot_up=0.2, foot_lift=0.2),
            "balancing",
        ),
        (dict(hip_drop=0.5, knee_gap=0.01, one_foot_up=0.0), "squat"),
        (dict(hip_drop=0.5, knee_gap=0.01, foot_lift=0.02), "squat"),
        (dict(hip_drop=0.4, knee_gap=0.03, foot_lift=0.3), None),  # a foot lifted: a reach
        (dict(hip_drop=0.015, thigh_range=3, trunk_range=4, foot_lift=0.2), None),
        (dict(hip_drop=0.3, knee_gap=0.3, one_foot_up=0.0), None),  # knees apart: a lunge's
        (dict(hip_drop=0.5, knee_gap=0.01, feet_split=0.5, foot_lift=0.02), "squat"),
        (dict(hip_drop=0.5, knee_gap=0.01, feet_split=2.0, foot_lift=0.02), None),  # a stride
        (dict(hip_drop=0.08, thigh_antiphase=0.9, thigh_range=35, hip_rhythm=2.1), "walking"),
        (dict(hip_drop=0.08, thigh_antiphase=0.9, thigh_range=35, hip_rhythm=1.0), None),
        (dict(hip_drop=0.08, trunk_range=70), None),  # a hinge's trunk: not standing
    ],
)
def test_what_other_clips_look_like(features, expected):
    assert classify.looks_like(_features(**features), seen.scores(View.SIDE)) == expected


def test_a_front_view_walk_bobs_twice_a_stride():
    walk = _features(hip_drop=0.09, hip_rhythm=2.0, one_foot_up=0.0)
    stand = _features(hip_drop=0.018, hip_rhythm=1.0, one_foot_up=0.0, thigh_range=NAN)
    table = seen.scores(View.FRONT)
    assert classify.looks_like(walk, table) == "walking"
    assert classify.looks_like(stand, table) == "standing"


def test_the_words_for_a_clip_not_screened():
    said = screening.not_screened("walking")
    assert said.startswith("it looks like walking, not one of the movements screened here")
    assert "choose a sprint or run" in said
    assert screening.not_screened(None).startswith("not one of the movements screened here")
    assert "choose the movement" in screening.not_screened("standing")
    assert names.movement_word(None, "squat") == "not screened: looks like a squat on both feet"
    assert names.movement_word(None) == "not recognised"
    assert names.movement_word(None, None, "lunge") == (
        "not screened: looks like a lunge, with no complete rep"
    )
    assert names.movement_word("lunge", "walking") == "Lunge"


def test_a_clip_not_recognised_says_what_it_looks_like_in_its_notes():
    estimate = MovementEstimate(None, 0.0, {}, {}, "balancing")
    notes = screening.movement_notes(estimate, None, False, None)
    assert notes == [screening.not_screened("balancing")]
    assert "balancing on one leg" in notes[0]

"""The athlete's size in the picture: a nearer person is bigger, bending is not."""

import numpy as np
import pytest

from movement_screen.landmarks import INDEX
from movement_screen.stature import (
    MEMORY_S,
    SHARE_OF_HEIGHT,
    Stature,
    bone_lengths,
    standing_height,
)
from tests.synthetic import side_pose


def _body(thigh: float = 10.0, knee: float = 5.0, trunk: float = 5.0) -> np.ndarray:
    """(33, 2) landmarks of a side-view body (elbows on the shoulders: no upper arm)."""
    one = np.ones(1)
    pose = side_pose(one, trunk=trunk * one, thigh={"left": thigh * one, "right": -thigh * one},
                     knee={"left": knee * one, "right": knee * one})  # fmt: skip
    return pose.xy[0]


def _scaled(xy: np.ndarray, by: float) -> np.ndarray:
    return (xy - xy.mean(axis=0)) * by + [400.0, 100.0]


def test_a_body_scaled_up_is_that_many_times_bigger_wherever_it_is():
    athlete = Stature(_body())
    assert athlete.ratio(_body()) == pytest.approx(1.0)
    assert athlete.ratio(_scaled(_body(), 1.3)) == pytest.approx(1.3)
    assert athlete.ratio(_scaled(_body(), 0.7)) == pytest.approx(0.7)


def test_bending_shortens_no_bone_in_a_side_view():
    athlete = Stature(_body())
    assert athlete.ratio(_body(thigh=80.0, knee=100.0, trunk=60.0)) == pytest.approx(1.0)


def test_one_body_s_bones_tell_its_standing_height_bent_or_not():
    """The test body's thigh is 45 pixels long (elbows on the shoulders: no upper arm)."""
    height = standing_height(_body())
    assert height == pytest.approx(45.0 / SHARE_OF_HEIGHT[("hip", "knee")], rel=0.05)
    assert standing_height(_body(thigh=80.0, knee=100.0, trunk=60.0)) == pytest.approx(height)
    assert standing_height(_scaled(_body(), 1.3)) == pytest.approx(1.3 * height)


def test_a_bone_with_no_length_is_left_out():
    assert np.all(bone_lengths(_body())[[3, 7]] == 0)  # shoulder-elbow: the test body has none
    assert np.isfinite(Stature(_body()).ratio(_body()))
    with_arms = _body()
    with_arms[[INDEX["left_elbow"], INDEX["right_elbow"]]] += [0.0, 0.188 * 180]
    assert standing_height(_body()) == pytest.approx(standing_height(with_arms), rel=0.02)


def test_a_body_growing_past_the_athlete_is_not_remembered():
    athlete = Stature(_body())
    for k in range(30):  # a second of the athlete
        athlete.add(_body(), k / 30)
    for k in range(10):  # then one skeleton sliding onto a nearer person, more each frame
        athlete.add(_scaled(_body(), 1.0 + 0.04 * (k + 1)), 1 + k / 30)
    assert athlete.ratio(_scaled(_body(), 1.4)) == pytest.approx(1.4)


def test_someone_farther_away_taken_for_a_few_frames_does_not_shrink_the_athlete():
    """Chosen at one frame, the athlete is followed onto a walker passing behind them, 0.6
    times their size, for four frames: found again, they are still their own size."""
    athlete = Stature(_body())
    for k in range(4):
        athlete.add(_scaled(_body(), 0.6), (k + 1) / 25)
    assert athlete.ratio(_body()) == pytest.approx(1.0)
    assert athlete.ratio(_scaled(_body(), 0.6)) == pytest.approx(0.6)


def test_the_athlete_coming_nearer_slowly_is_followed_and_the_old_size_forgotten():
    athlete = Stature(_body())
    times = np.arange(0, 3 * MEMORY_S, 1 / 30)
    for t in times:  # 2 % bigger per second
        athlete.add(_scaled(_body(), 1.0 + 0.02 * t), t)
    now = 1.0 + 0.02 * times[-1]
    assert athlete.ratio(_scaled(_body(), now)) == pytest.approx(1.0, abs=0.01)
    assert len(athlete.times) == len(athlete.lengths) <= MEMORY_S * 30 + 2


def test_a_bone_first_seen_foreshortened_does_not_make_the_athlete_look_bigger_later():
    deep = _body()
    for side in ("left", "right"):  # thighs pointing at the camera: 5 px of 45, shins as they were
        hip, knee, ankle = (INDEX[f"{side}_{j}"] for j in ("hip", "knee", "ankle"))
        moved = deep[hip] + [0.0, -5.0]
        deep[ankle] += moved - deep[knee]
        deep[knee] = moved
    athlete = Stature(deep)
    assert athlete.ratio(_body()) == pytest.approx(1.0, abs=0.05)  # standing up
    assert athlete.ratio(_scaled(_body(), 1.3)) > 1.25  # a nearer person still is bigger


def _with_arms(xy: np.ndarray, length: float = 30.0) -> np.ndarray:
    out = xy.copy()
    for side in ("left", "right"):
        out[INDEX[f"{side}_elbow"]] = out[INDEX[f"{side}_shoulder"]] - [0.0, length]
    return out


def test_bones_seen_only_foreshortened_are_taken_at_their_share_of_the_body():
    """Chosen at the bottom of a squat filmed from the front, the athlete has thighs, upper
    arms and a shin pointing at the camera; standing up, they are their own size."""
    standing = _with_arms(_body())
    deep = standing.copy()
    for side in ("left", "right"):
        hip, knee, ankle = (INDEX[f"{side}_{j}"] for j in ("hip", "knee", "ankle"))
        deep[ankle] += deep[hip] + [0.0, -5.0] - deep[knee]
        deep[knee] = deep[hip] + [0.0, -5.0]
        deep[INDEX[f"{side}_elbow"]] = deep[INDEX[f"{side}_shoulder"]] - [0.0, 5.0]
    knee, ankle = INDEX["left_knee"], INDEX["left_ankle"]
    deep[ankle] = deep[knee] + (deep[ankle] - deep[knee]) / 2
    athlete = Stature(deep)
    assert athlete.ratio(standing) <= 1.05
    assert athlete.ratio(_scaled(standing, 1.3)) > 1.2  # a nearer person still is bigger


def test_a_body_checked_then_remembered_is_measured_once_and_afresh_once_remembered(
    monkeypatch,
):
    """Tracking measures the body it accepts twice (to check it, then to remember it): the
    second time costs nothing; once a body is remembered, the athlete's size is new."""
    from movement_screen import stature

    athlete = Stature(_body())
    bigger = _scaled(_body(), 1.04)
    counted = []
    lengths = stature.bone_lengths
    monkeypatch.setattr(stature, "bone_lengths", lambda xy: counted.append(1) or lengths(xy))
    first = athlete.measure(bigger)
    assert athlete.measure(bigger) == first and len(counted) == 1
    athlete.add(bigger, 0.1)  # the athlete's size, as remembered, grows toward it
    assert athlete.measure(bigger)[0] < first[0] and len(counted) == 3  # the add's own row
    assert athlete.measure(bigger.copy())[0] == pytest.approx(athlete.measure(bigger)[0])

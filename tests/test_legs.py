import numpy as np
import pytest

from movement_screen import legs
from movement_screen.landmarks import INDEX
from tests.synthetic import side_pose


def _gait(n=90, fps=30.0):
    """Two legs swinging in antiphase (running in place): thighs ±35 deg at 1.5 Hz."""
    t = np.arange(n) / fps
    phase = 2 * np.pi * 1.5 * t
    thigh = {"left": 35 * np.sin(phase), "right": 35 * np.sin(phase + np.pi)}
    knee = {"left": 40 + 30 * np.cos(phase), "right": 40 + 30 * np.cos(phase + np.pi)}
    return side_pose(t, trunk=np.full(n, 5.0), thigh=thigh, knee=knee)


def _swap(xy, frames):
    out = xy.copy()
    order = legs.swap_permutation()
    out[frames] = out[frames][:, order]
    return out


def test_no_swaps_found_in_clean_gait():
    pose = _gait()
    assert not legs.find_swaps(pose.xy).any()


def test_bursts_of_swapped_frames_are_found_exactly():
    pose = _gait()
    truth = np.zeros(len(pose), dtype=bool)
    truth[10:18] = True
    truth[40:41] = True
    truth[60:75] = True
    swapped = _swap(pose.xy, truth)
    found = legs.find_swaps(swapped)
    assert np.array_equal(found, truth)
    fixed, _, flags = legs.undo_swaps(swapped, pose.visibility)
    assert np.allclose(fixed, pose.xy)
    assert flags.sum() == truth.sum()


def test_missing_points_do_not_break_swap_finding():
    pose = _gait()
    xy = pose.xy.copy()
    xy[30:33, INDEX["left_knee"]] = np.nan
    truth = np.zeros(len(pose), dtype=bool)
    truth[50:58] = True
    assert np.array_equal(legs.find_swaps(_swap(xy, truth)), truth)


def test_overlap_and_far_side():
    pose = _gait()
    xy = pose.xy.copy()
    xy[20:26, list(legs.RIGHT_LEG)] = xy[20:26, list(legs.LEFT_LEG)]  # both legs drawn on one
    overlap = legs.legs_overlap(xy)
    assert overlap[20:26].all() and overlap.sum() == 6
    vis = pose.visibility.copy()
    vis[:, [INDEX["right_hip"], INDEX["right_knee"], INDEX["right_ankle"]]] = 0.6
    assert legs.far_side(vis) == "right"


@pytest.mark.parametrize("name", ["sprint_side_clean", "sprint_side_knee_drive"])
@pytest.mark.parametrize("noise", [0.0, 4.0])
def test_swaps_from_one_knee_crossing_to_the_next_are_undone(name, noise):
    """Labels swapped for whole half-strides (crossing to crossing, through the swing
    phase), the bursts a least-acceleration path is said to miss: all undone, with or
    without 4 px of landmark noise."""
    from tests.fixtures import track_from_truth

    xy = track_from_truth(name, 540, 960).pose.xy
    knees = xy[:, INDEX["left_knee"], 0] - xy[:, INDEX["right_knee"], 0]
    crossings = np.flatnonzero(np.diff(np.sign(knees)) != 0)
    truth = np.zeros(len(xy), dtype=bool)
    for a, b in list(zip(crossings[:-1], crossings[1:], strict=True))[1::3]:
        truth[a + 1 : b + 1] = True
    swapped = xy.copy()
    swapped[truth] = swapped[truth][:, legs.swap_permutation()]
    swapped += np.random.default_rng(0).normal(0.0, noise, swapped.shape)
    assert truth.mean() > 0.1
    assert np.array_equal(legs.find_swaps(swapped), truth)


def _held_split(n=40, fps=25.0):
    """A lunge held at the bottom: one thigh forward, one back, barely moving."""
    t = np.arange(n) / fps
    drift = np.linspace(0, 4, n)
    thigh = {"left": 48 + drift, "right": -25 - drift}
    knee = {"left": np.full(n, 45.0), "right": np.full(n, 30.0)}
    return side_pose(t, trunk=np.full(n, 3.0), thigh=thigh, knee=knee)


def test_single_glitched_frames_do_not_relabel_the_frames_between_them():
    pose = _held_split()
    xy = pose.xy.copy()
    for frame in (15, 20):  # both legs drawn between the two, as MediaPipe sometimes does
        middle = (xy[frame, list(legs.LEFT_LEG)] + xy[frame, list(legs.RIGHT_LEG)]) / 2
        xy[frame, list(legs.LEFT_LEG)] = middle + [4.0, 0.0]
        xy[frame, list(legs.RIGHT_LEG)] = middle - [4.0, 0.0]
    assert legs.glitches(xy, spike=0.3 * legs.torso_length(xy)).nonzero()[0].tolist() == [15, 20]
    assert not legs.find_swaps(xy, spike=0.3).any()
    assert legs.find_swaps(xy).any()  # the glitches would pull the frames between them


def test_a_swapped_frame_is_not_a_glitch():
    pose = _gait()
    truth = np.zeros(len(pose), dtype=bool)
    truth[40] = True
    swapped = _swap(pose.xy, truth)
    assert not legs.glitches(swapped, spike=0.3 * legs.torso_length(swapped)).any()
    assert np.array_equal(legs.find_swaps(swapped, spike=0.3), truth)

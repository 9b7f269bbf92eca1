import numpy as np
import pytest

from movement_screen import events, movements
from movement_screen.core import Angles, Movement, View
from movement_screen.movements import hinge, lunge
from tests.synthetic import side_pose

FPS = 60.0


def _sine_reps(n_reps=4, period=1.5, amplitude=40.0, fps=FPS):
    """A signal with peaks at known times: (time, signal, peak times)."""
    t = np.arange(int(n_reps * period * fps)) / fps
    signal = amplitude * (1 - np.cos(2 * np.pi * t / period)) / 2  # lows at k*period
    peak_times = (np.arange(n_reps) + 0.5) * period
    return t, signal, peak_times


def test_cycles_find_each_rep_at_its_known_time():
    t, signal, peak_times = _sine_reps()
    found = events.cycles(signal, t, hinge.REP)
    assert len(found) == 4
    for (start, key, end), expected in zip(found, peak_times, strict=True):
        assert t[key] == pytest.approx(expected, abs=1 / FPS)
        assert start < key < end
        assert signal[start] < 1.0 and signal[end] < 1.0  # starts and ends standing


def test_a_rep_cut_by_the_clip_end_does_not_count():
    t, signal, _ = _sine_reps(n_reps=3)
    cut = int(2.6 * 1.5 * FPS)  # the third rep stops just past its peak
    found = events.cycles(signal[:cut], t[:cut], hinge.REP)
    assert len(found) == 2


def test_small_wiggles_are_not_reps():
    t = np.arange(300) / FPS
    assert events.cycles(5 * np.sin(2 * np.pi * t), t, hinge.REP) == []


def test_peaks_skip_gaps():
    t, signal, _ = _sine_reps()
    signal = signal.copy()
    signal[40:50] = np.nan  # around the first peak
    keys = events.peaks(signal, t, hinge.REP)
    assert all(np.isfinite(signal[k]) for k in keys)


def _running(fps=FPS, seconds=3.0, stride_hz=1.5, facing=1.0):
    t = np.arange(int(seconds * fps)) / fps
    phase = 2 * np.pi * stride_hz * t
    thigh = {"left": 30 + 45 * np.sin(phase), "right": 30 + 45 * np.sin(phase + np.pi)}
    knee = {"left": 60 + 40 * np.cos(phase), "right": 60 + 40 * np.cos(phase + np.pi)}
    pose = side_pose(t, trunk=np.full(len(t), 8.0), thigh=thigh, knee=knee, facing=facing)
    values = {
        "thigh_angle_left": thigh["left"],
        "thigh_angle_right": thigh["right"],
        "trunk_lean": np.full(len(t), 8.0),
    }
    return Angles(t, values, View.SIDE, np.full(len(t), facing)), pose


@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_sprint_strides_per_leg_with_known_moments(facing):
    angles, pose = _running(facing=facing)
    strides = movements.get(Movement.SPRINT).find_events(angles, pose)
    left = [s for s in strides if s.side == "left"]
    right = [s for s in strides if s.side == "right"]
    # 3 s at 1.5 Hz: left toe-offs at 0.5, 1.17, 1.83, 2.5 s; right at 0.17 ... 2.83 s.
    assert (len(left), len(right)) == (3, 4)
    t = angles.time
    for s in left:
        # toe-off at the thigh's minimum (sin = -1), peak knee drive at its maximum (sin = +1)
        assert np.sin(2 * np.pi * 1.5 * t[s.moments["toe_off"]]) == pytest.approx(-1, abs=0.01)
        assert np.sin(2 * np.pi * 1.5 * t[s.moments["peak_knee_drive"]]) == pytest.approx(
            1, abs=0.01
        )
        assert (
            s.moments["toe_off"] < s.moments["peak_knee_drive"] < s.moments["foot_strike"] <= s.end
        )
        assert (t[s.end] - t[s.start]) == pytest.approx(1 / 1.5, abs=1 / FPS)


def _front_pose(*, facing_camera: bool, left_ankle_y: float, right_ankle_y: float):
    """One frame seen from the front (or behind): hips 60 px apart, ankles at given heights
    (y up, pixels)."""
    from movement_screen.core import Pose
    from movement_screen.landmarks import INDEX, N_LANDMARKS

    xy = np.full((1, N_LANDMARKS, 2), np.nan)
    left_x, right_x = (560.0, 500.0) if facing_camera else (500.0, 560.0)
    xy[0, INDEX["left_hip"]] = (left_x, 300.0)
    xy[0, INDEX["right_hip"]] = (right_x, 300.0)
    xy[0, INDEX["left_ankle"]] = (left_x, left_ankle_y)
    xy[0, INDEX["right_ankle"]] = (right_x, right_ankle_y)
    pose = Pose(np.zeros(1), xy, np.ones((1, N_LANDMARKS)))
    return Angles(pose.time, {}, View.FRONT), pose


@pytest.mark.parametrize(
    ("facing_camera", "left_y", "right_y", "front"),
    [
        (True, 40.0, 90.0, "left"),  # facing the camera: the nearer (lower) foot leads
        (True, 90.0, 40.0, "right"),
        (False, 40.0, 90.0, "right"),  # from behind: the nearer foot is the trail one
        (True, np.nan, 40.0, "right"),  # facing: the hidden foot is the far, trail one
        (False, np.nan, 40.0, "left"),  # from behind: the hidden foot is the far, front one
        (True, np.nan, np.nan, None),
    ],
)
def test_front_leg_of_a_lunge_seen_from_the_front_or_behind(facing_camera, left_y, right_y, front):
    angles, pose = _front_pose(
        facing_camera=facing_camera, left_ankle_y=left_y, right_ankle_y=right_y
    )
    assert lunge.front_leg(angles, pose, 0) == front

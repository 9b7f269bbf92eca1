"""The camera's roll from the background's straight edges: constructed edges, then the
sample sprint's own frames turned by a known angle."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from movement_screen import kinematics, level, pipeline, video
from movement_screen.core import Pose, Track
from movement_screen.landmarks import INDEX, N_LANDMARKS
from tests.fixtures import sample_path, track_from_truth


def _edges(turn_deg: float, n: int, length: float = 100.0, upright: bool = False) -> np.ndarray:
    """`n` edges turned `turn_deg` clockwise in the picture (y down) from level or upright."""
    a = np.radians(turn_deg + (90.0 if upright else 0.0))
    x0 = np.arange(n, dtype=float) * 10
    return np.stack([x0, x0, x0 + length * np.cos(a), x0 + length * np.sin(a)], axis=1)


def test_an_edge_is_read_for_its_turn_from_level_or_upright_only():
    down_right = np.degrees(np.arctan2(5, 100))
    assert level.turn(0, 0, 100, 5) == pytest.approx(down_right)  # turned clockwise: +
    assert level.turn(0, 0, -5, 100) == pytest.approx(down_right)  # its bottom to the left
    assert level.turn(0, 0, 5, 100) == pytest.approx(-down_right)
    assert level.turn(0, 0, 100, 100) is None  # 45 degrees: a floor line in perspective


def test_the_roll_is_the_turn_most_edge_length_agrees_on():
    turned = np.concatenate([_edges(5.0, 20), _edges(5.0, 10, upright=True), _edges(-12.0, 8)])
    found = level.from_edges(turned)
    assert found.roll == 5.0 and found.trusted and found.edges == 38
    assert found.note().startswith("the camera looks tilted 5 degrees clockwise (")
    assert level.from_edges(_edges(1.0, 20)).note() is None  # under 2 degrees: not said


def test_edges_that_do_not_agree_give_no_roll():
    rng = np.random.default_rng(0)
    scattered = np.concatenate([_edges(t, 1) for t in rng.uniform(-18, 18, 40)])
    found = level.from_edges(scattered)
    assert not found.trusted and found.note() is None
    assert not level.from_edges(np.zeros((0, 4))).trusted


def _turned_points(track, spin: np.ndarray, height: int):
    """`track` with its points moved as `spin` (2 x 3, pixels, y down) moves the picture."""
    xy = track.pose.xy.copy()
    xy[..., 1] = height - xy[..., 1]
    xy = xy @ spin[:, :2].T + spin[:, 2]
    xy[..., 1] = height - xy[..., 1]
    return dataclasses.replace(track, pose=dataclasses.replace(track.pose, xy=xy))


@pytest.fixture(scope="module")
def turned_sprint(tmp_path_factory):
    """The sample sprint as filmed (level) and with its frames and its athlete's true points
    turned 6 degrees anticlockwise (as a camera rolled the other way films them): (info,
    track) of each."""
    info = video.probe(str(sample_path("sprint_side_clean")))
    turned = tmp_path_factory.mktemp("level") / "turned.mp4"
    writer = cv2.VideoWriter(str(turned), cv2.VideoWriter_fourcc(*"mp4v"), info.fps,
                             (info.width, info.height))  # fmt: skip
    spin = cv2.getRotationMatrix2D((info.width / 2, info.height / 2), 6.0, 1.0)
    for _, _, rgb in video.frames(info.path):
        frame = cv2.warpAffine(
            rgb, spin, (info.width, info.height), borderMode=cv2.BORDER_REPLICATE
        )
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    track = track_from_truth("sprint_side_clean", info.height, info.width)
    return (info, track), (video.probe(str(turned)), _turned_points(track, spin, info.height))


def test_the_sample_sprint_turned_in_its_picture_is_said_to_be_tilted(turned_sprint):
    """Its brick wall and floor give the roll back; as filmed, the camera is level."""
    level_clip, tilted = (pipeline.screen(info, track) for info, track in turned_sprint)
    assert level_clip.quality.camera_tilt_deg == 0.0
    assert not any("looks tilted" in line for line in level_clip.quality.limits)
    assert abs(tilted.quality.camera_tilt_deg + 6.0) <= 0.5
    (said,) = [line for line in tilted.quality.limits if "looks tilted" in line]
    assert "tilted 6 degrees anticlockwise" in said
    for name in ("trunk_lean", "thigh_angle_left", "thigh_angle_right", "knee_flexion_left"):
        off = tilted.angles.values[name] - level_clip.angles.values[name]
        assert np.nanmax(np.abs(off)) <= 0.5, name  # read against the background, not 6 off


def test_a_level_pelvis_in_a_turned_picture_reads_level_once_the_turn_is_added_back():
    """The athlete facing the camera (their left on the picture's right) and facing away,
    their hips level, filmed by a camera turned 3 degrees clockwise."""
    spin = cv2.getRotationMatrix2D((500.0, 300.0), -3.0, 1.0)  # clockwise, y down
    for left_x in (520.0, 480.0):
        xy = np.full((1, N_LANDMARKS, 2), np.nan)
        xy[0, INDEX["left_hip"]], xy[0, INDEX["right_hip"]] = (
            (left_x, 300.0),
            (1000 - left_x, 300.0),
        )
        track = Track(
            Pose(np.zeros(1), xy, np.ones((1, N_LANDMARKS))), np.ones(1, bool), None, (1000, 600)
        )
        pose = _turned_points(track, spin, 600).pose
        seen = kinematics.pelvic_obliquity(pose, np.ones(1))
        assert seen[0] == pytest.approx(-3.0 if left_x > 500 else 3.0)  # the picture's right dips
        assert seen[0] + level.left_lowered(pose, 3.0)[0] == pytest.approx(0.0, abs=1e-9)
        assert kinematics.pelvic_obliquity(level.levelled(pose, 3.0), np.ones(1))[0] == (
            pytest.approx(0.0, abs=1e-9)
        )

"""The camera's roll from the background's straight edges: constructed edges, then the
sample sprint's own frames turned by a known angle."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from movement_screen import level, pipeline, video
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


def test_the_sample_sprint_turned_in_its_picture_is_said_to_be_tilted(tmp_path):
    """The frames turned 6 degrees anticlockwise (as a camera rolled the other way films
    them): its brick wall and floor give the roll back; as filmed, the camera is level."""
    info = video.probe(str(sample_path("sprint_side_clean")))
    turned = tmp_path / "turned.mp4"
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
    level_clip = pipeline.screen(info, track)
    tilted = pipeline.screen(video.probe(str(turned)), track)
    assert level_clip.quality.camera_tilt_deg == 0.0
    assert not any("looks tilted" in line for line in level_clip.quality.limits)
    assert abs(tilted.quality.camera_tilt_deg + 6.0) <= 0.5
    (said,) = [line for line in tilted.quality.limits if "looks tilted" in line]
    assert "tilted 6 degrees anticlockwise" in said

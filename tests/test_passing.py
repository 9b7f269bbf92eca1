"""Someone passing over the athlete: told from the person detector's bodies, and the frames
around it left unmeasured and said so."""

import dataclasses

import numpy as np

from movement_screen import filtering, passing, pipeline, video
from movement_screen.bodies import Body
from movement_screen.landmarks import INDEX
from movement_screen.pose import Detection
from movement_screen.report import data, names
from tests.fixtures import sample_path, track_from_truth

BOX = (260.0, 100.0, 340.0, 500.0)  # the athlete's box from the shoulders down: 400 px tall
HIPS = (300.0, 300.0)


def _athlete() -> Detection:
    xy = np.tile(np.array(HIPS), (33, 1))
    xy[INDEX["left_shoulder"]] = (BOX[0], BOX[1])
    xy[INDEX["right_ankle"]] = (BOX[2], BOX[3])
    xy[INDEX["nose"]] = (300.0, 20.0)  # the face is not part of the box
    return Detection(xy, np.ones(33))


def _body(x: float, side: float, y: float = 300.0) -> Body:
    """A body the detector found, hips at (x, y), its region `side` pixels square."""
    half = side / 2
    return Body(0.9, (x - half, y - half, x + half, y + half), (x, y), (x, y - side / 3))


def test_how_far_a_body_reaches_over_the_box():
    assert passing.body_box(_athlete()) == BOX
    # 500 px region: 400 px tall, 80 px each side of its hips; from x 320, 20 px into the box
    assert passing.over(_body(400.0, 500.0), BOX) == 20.0
    assert passing.over(_body(700.0, 500.0), BOX) == -280.0  # apart
    assert passing.over(_body(300.0, 500.0, y=900.0), BOX) < 0  # below the box


def test_someone_as_near_or_nearer_over_the_athlete_is_passing():
    own = _body(300.0, 656.0)  # the athlete's own body: their size, 1.64 box heights
    assert passing.Near().passing(_athlete(), [own, _body(420.0, 800.0)])  # 48 px over them
    assert passing.Near().passing(_athlete(), [own, _body(400.0, 656.0)])  # as near: 45 px


def test_someone_farther_away_or_clear_of_the_athlete_is_not():
    own = _body(300.0, 656.0)
    assert not passing.Near().passing(_athlete(), [own])
    assert not passing.Near().passing(_athlete(), [own, _body(420.0, 500.0)])  # smaller
    assert not passing.Near().passing(_athlete(), [own, _body(700.0, 900.0)])  # clear
    assert not passing.Near().passing(_athlete(), [own, _body(380.0, 800.0, y=1000.0)])


def test_a_body_the_detector_finds_upside_down_is_not_someone_passing():
    """The athlete alone with their arms spread: the detector may give them a second, bigger
    box turned upside down (its shoulders below its hips), over them."""
    own, big = _body(300.0, 656.0), _body(310.0, 900.0, y=250.0)
    assert passing.Near().passing(_athlete(), [own, big])
    turned = dataclasses.replace(big, shoulders=(310.0, 250.0 + 300.0))
    assert not passing.upright(turned) and passing.upright(big)
    assert not passing.Near().passing(_athlete(), [own, turned])
    near = passing.Near()
    assert not near.passing(_athlete(), [turned]) and not near.sides  # nor taken for theirs


def test_the_athlete_s_own_size_is_remembered_and_a_slide_does_not_change_it():
    near = passing.Near()
    for _ in range(5):  # seen alone, their body's region 300 px: far from the camera
        assert not near.passing(_athlete(), [_body(300.0, 300.0)])
    # the skeleton slid onto a big passer (their hips nearest): the athlete's own body,
    # their size, is now the one beside the hips, over the box
    assert near.passing(_athlete(), [_body(305.0, 900.0), _body(330.0, 310.0)])
    assert list(near.sides) == [300.0] * 5
    assert not near.passing(_athlete(), [_body(300.0, 300.0), _body(380.0, 250.0)])


def _lunge_with_passing(frame: int):
    info = video.probe(str(sample_path("lunge_side_clean")))
    track = track_from_truth("lunge_side_clean", info.height, info.width)
    flags = np.zeros(len(track.found), dtype=bool)
    flags[frame] = True
    return info, dataclasses.replace(track, passing=flags)


def test_nothing_is_measured_near_someone_passing_and_the_report_says_so():
    info, track = _lunge_with_passing(60)
    margin = filtering.CleanOptions().passing_margin_s
    near = np.abs(track.pose.time - track.pose.time[60]) <= margin + 1e-9
    assert 10 <= near.sum() <= 14  # 0.2 s each side at 30 fps
    raw = filtering.prepare(track)
    np.testing.assert_array_equal(raw.passing, near)
    assert np.isfinite(raw.xy[:, INDEX["left_hip"]]).all()  # the landmarks stay
    result = pipeline.screen(info, track)
    alone = pipeline.screen(info, dataclasses.replace(track, passing=None))
    np.testing.assert_array_equal(result.clean.passing, near)
    assert result.movement is alone.movement and result.events == alone.events
    measured = np.any([np.isfinite(v) for v in result.angles.values.values()], axis=0)
    assert not measured[near].any()
    for name, values in alone.angles.values.items():
        np.testing.assert_array_equal(result.angles.values[name][~near], values[~near])
    assert result.quality.passing_s == round(near.sum() / info.fps, 2)
    said = [line for line in result.quality.limits if "passed close" in line]
    assert said and f"{near.sum() / info.fps:.1f} s" in said[0]
    facts = dict(names.quality_facts(data.to_dict(result)["quality"]))
    assert facts["Someone passing close"] == f"{near.sum() / info.fps:.1f} s, not measured"


def test_nothing_is_left_out_where_nobody_passed():
    info = video.probe(str(sample_path("lunge_side_clean")))
    track = track_from_truth("lunge_side_clean", info.height, info.width)
    result = pipeline.screen(info, track)
    assert result.clean.passing is None and result.quality.passing_s == 0.0
    assert not any("passed close" in line for line in result.quality.limits)
    assert "Someone passing close" not in dict(names.quality_facts(data.to_dict(result)["quality"]))


def test_the_athlete_found_twice_is_not_someone_passing():
    """The detector may keep two boxes of the athlete a little apart (a real lab clip):
    a second body beside their hips and of their own body's size is them."""
    own = _body(300.0, 656.0)
    assert not passing.Near().passing(_athlete(), [own, _body(360.0, 700.0)])  # 0.15 apart
    assert passing.Near().passing(_athlete(), [own, _body(360.0, 800.0)])  # bigger: someone
    assert passing.Near().passing(_athlete(), [own, _body(400.0, 700.0)])  # 0.25 apart

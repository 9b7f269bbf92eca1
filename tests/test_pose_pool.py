"""Pose models kept warm between passes: a model lent again finds exactly what a new one
finds, and a model stopped part-way or built by another process is never lent."""

import os
from pathlib import Path

import numpy as np
import pytest

from movement_screen import pose, video
from movement_screen.landmarker import GAIT, Following

CLIP = Path(__file__).resolve().parents[1] / "sample_videos" / "sprint_side_clean.mp4"


@pytest.fixture(scope="module")
def frames():
    return [(t, rgb) for _, t, rgb in video.frames(str(CLIP), start=0, stop=30)]


@pytest.fixture(autouse=True)
def no_warm_models():
    pose.release_idle()
    yield
    pose.release_idle()


IN_PLACE = Following(turn_as_drawn=True, mirrored=True)


def _run(frames, *, static: bool, following: Following = GAIT) -> list:
    with pose.open_detector(static=static, following=following) as detect:
        return [detect(rgb, t) for t, rgb in frames]


def _idle() -> list:
    return pose._idle.get(os.getpid(), [])


def _same(a: list, b: list) -> bool:
    return all(
        (x is None and y is None)
        or (x is not None and y is not None and np.array_equal(x.xy, y.xy))
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("static", [False, True])
def test_a_model_lent_again_finds_what_a_new_one_finds(frames, static):
    later = frames[15:]
    _run(frames[:15][::-1], static=static)  # a pass that ends on someone found
    (warm,) = _idle()
    with pose.open_detector(static=static) as detect:
        assert _idle() == []  # the warm model is the one lent
        again = [detect(rgb, t) for t, rgb in later]
    pose.release_idle()
    new = _run(later, static=static)
    assert sum(d is not None for d in new) == len(later)
    assert _same(again, new)
    assert _idle() != [warm]


def test_a_model_lent_for_a_body_in_place_follows_it_so_whatever_it_followed_before(frames):
    """The scan's models are lent to tracking: a model that followed a gait, lent to follow
    a body bending in place (region turned as drawn, looked at mirrored too), finds what a
    new model for that finds, and back to a gait what a new one for a gait finds."""
    gait = _run(frames[:10], static=False)
    (warm,) = _idle()
    in_place = _run(frames[:10], static=False, following=IN_PLACE)
    assert _idle() == [warm] and warm.following == IN_PLACE
    gait_again = _run(frames[:10], static=False)
    assert _idle() == [warm] and warm.following == GAIT
    pose.release_idle()
    assert _same(in_place, _run(frames[:10], static=False, following=IN_PLACE))
    assert _same(gait_again, gait)
    assert all(a is not None and b is not None for a, b in zip(in_place, gait, strict=True))
    assert not any(_same([a], [b]) for a, b in zip(in_place, gait, strict=True))


def test_a_model_stopped_part_way_is_not_lent_again(frames):
    with pytest.raises(KeyboardInterrupt), pose.open_detector(static=False) as detect:
        detect(frames[0][1], frames[0][0])
        raise KeyboardInterrupt
    assert _idle() == []


def test_another_process_builds_its_own(frames, monkeypatch):
    _run(frames[:1], static=True)
    (parents,) = _idle()
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a forked child
    _run(frames[:1], static=True)
    (childs,) = _idle()
    pose.release_idle()
    monkeypatch.undo()
    assert childs is not parents
    assert _idle() == [parents]


def test_the_app_s_warm_up_leaves_a_static_model_for_each_thread_of_the_scan(monkeypatch):
    from movement_screen import tracking, webapp
    from movement_screen.report import worker

    monkeypatch.setattr(worker, "start", lambda: None)  # no report process in a test
    webapp.warm_up()
    assert len(_idle()) == tracking.DEFAULT_WORKERS


def test_a_warm_up_that_fails_leaves_the_error_to_the_scan(tmp_path, monkeypatch):
    from movement_screen import webapp
    from movement_screen.report import worker

    monkeypatch.setattr(worker, "start", lambda: None)
    (tmp_path / "pose_landmarker_lite.task").write_bytes(b"not a model")
    webapp.warm_up(str(tmp_path))  # no exception: the scan says what is wrong
    assert _idle() == []

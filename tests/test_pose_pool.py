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


def _idle(static: bool, following: Following = GAIT) -> list:
    return pose._idle.get((os.getpid(), (static, following)), [])


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
    (warm,) = _idle(static)
    with pose.open_detector(static=static) as detect:
        assert _idle(static) == []  # the warm model is the one lent
        again = [detect(rgb, t) for t, rgb in later]
    pose.release_idle()
    new = _run(later, static=static)
    assert sum(d is not None for d in new) == len(later)
    assert _same(again, new)
    assert _idle(static) != [warm]


def test_a_body_in_place_is_followed_only_by_a_model_lent_for_that(frames):
    """A pass that follows a body bending in place (region turned as drawn, every frame
    also looked at mirrored) never gets a model that follows a gait, and gives its model
    back to its own pool."""
    in_place = _run(frames[:10], static=False, following=IN_PLACE)
    assert _idle(False) == []
    (warm,) = _idle(False, IN_PLACE)
    assert warm.following == IN_PLACE
    gait = _run(frames[:10], static=False)
    assert _idle(False, IN_PLACE) == [warm]
    assert _idle(False)[0] is not warm
    assert all(a is not None and b is not None for a, b in zip(in_place, gait, strict=True))
    assert not any(_same([a], [b]) for a, b in zip(in_place, gait, strict=True))


def test_a_model_stopped_part_way_is_not_lent_again(frames):
    with pytest.raises(KeyboardInterrupt), pose.open_detector(static=False) as detect:
        detect(frames[0][1], frames[0][0])
        raise KeyboardInterrupt
    assert _idle(False) == []


def test_another_process_builds_its_own(frames, monkeypatch):
    _run(frames[:1], static=True)
    (parents,) = _idle(True)
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a forked child
    _run(frames[:1], static=True)
    (childs,) = _idle(True)
    pose.release_idle()
    monkeypatch.undo()
    assert childs is not parents
    assert _idle(True) == [parents]


def test_the_app_s_warm_up_leaves_a_static_model_for_each_thread_of_the_scan(monkeypatch):
    from movement_screen import tracking, webapp
    from movement_screen.report import worker

    monkeypatch.setattr(worker, "start", lambda: None)  # no report process in a test
    webapp.warm_up()
    assert len(_idle(True)) == tracking.DEFAULT_WORKERS
    assert _idle(False) == []


def test_a_warm_up_that_fails_leaves_the_error_to_the_scan(tmp_path, monkeypatch):
    from movement_screen import webapp
    from movement_screen.report import worker

    monkeypatch.setattr(worker, "start", lambda: None)
    (tmp_path / "pose_landmarker_lite.task").write_bytes(b"not a model")
    webapp.warm_up(str(tmp_path))  # no exception: the scan says what is wrong
    assert _idle(True) == []

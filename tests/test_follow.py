"""Following one athlete: a frame whose landmarks mix two people is not taken."""

import numpy as np

from movement_screen.follow import _HEAD, _LEGS, one_body
from movement_screen.pose import Detection
from tests.synthetic import side_pose


def _body() -> Detection:
    t = np.zeros(1)
    pose = side_pose(t, trunk=np.full(1, 5.0), thigh={"left": np.full(1, 20.0),
                     "right": np.full(1, -10.0)}, knee={"left": np.full(1, 30.0),
                     "right": np.full(1, 10.0)})  # fmt: skip
    xy = pose.xy[0].copy()
    xy[:, 1] = 600 - xy[:, 1]  # image pixels, y down
    return Detection(xy, np.ones(33))


def _moved(body: Detection, parts: list[int], by: tuple[float, float]) -> Detection:
    xy = body.xy.copy()
    xy[parts] += by
    return Detection(xy, body.visibility)


def test_a_body_moved_whole_or_with_its_legs_swinging_is_one_body():
    body = _body()
    height = body.box()[3] - body.box()[1]
    assert one_body(_moved(body, list(range(33)), (0.6 * height, 0.0)), body, 1)
    assert one_body(_moved(body, _LEGS, (0.2 * height, 0.0)), body, 1)


def test_a_head_jumping_onto_someone_else_is_a_mixed_skeleton():
    body = _body()
    height = body.box()[3] - body.box()[1]
    assert not one_body(_moved(body, _HEAD, (0.6 * height, 0.0)), body, 1)
    assert not one_body(_moved(body, _LEGS, (0.0, 0.5 * height)), body, 1)
    assert one_body(_moved(body, _HEAD, (0.6 * height, 0.0)), body, 2)  # two frames: may be

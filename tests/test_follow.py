"""Following one athlete: a frame whose landmarks mix two people is not taken, nor a
person passing nearer the camera."""

from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np

from movement_screen import follow, pose
from movement_screen.bodies import Body
from movement_screen.boxes import MASK_GRAY
from movement_screen.follow import _HEAD, _LEGS, one_body
from movement_screen.landmarks import INDEX
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


def _beside(body: Detection, heights: float, scale: float = 1.0) -> Detection:
    """`body` `scale` times as big, moved sideways by `heights` of its height."""
    x0, y0, x1, y1 = body.box()
    mean = body.xy.mean(axis=0)
    return Detection((body.xy - mean) * scale + mean + [heights * (y1 - y0), 0.0], np.ones(33))


class _Scene:
    """A fake detector: the athlete in place, and in frames `passing` a person `scale` times
    their size in front of them (or `beside` them by that many body heights), whom the
    detector finds first; with that person greyed out it finds the athlete, unless
    `hidden` (the athlete wholly behind them)."""

    def __init__(self, passing: range, hidden: bool, scale=1.3, beside=0.0) -> None:
        self.athlete = _body()
        self.nearer = _beside(self.athlete, beside, scale)
        self.passing, self.hidden, self.frame = passing, hidden, 0

    def detect(self, rgb: np.ndarray, time_s: float) -> Detection | None:
        crop_x, crop_y = self.offset
        x, y = self.nearer.xy.mean(axis=0) - [crop_x, crop_y]
        greyed = np.all(rgb[int(y), int(x)] == MASK_GRAY)  # the nearer person greyed out
        if self.frame in self.passing and not greyed:
            body = self.nearer
        elif self.frame in self.passing and self.hidden:
            return None
        else:
            body = self.athlete
        return Detection(body.xy - [crop_x, crop_y], body.visibility)


def _follow(scene: _Scene, frames: int, monkeypatch, near=False) -> list[Detection | None]:
    @contextmanager
    def opened(**_):
        yield scene.detect

    def detect_in(detect, rgb, box, time_s):
        scene.offset = (int(box[0]), int(box[1]))
        return pose.detect_in(detect, rgb, box, time_s)

    def each():
        for i in range(frames):
            scene.frame = i
            yield i, i / 30, np.zeros((600, 800, 3), np.uint8)

    monkeypatch.setattr(follow, "open_detector", opened)
    monkeypatch.setattr(follow, "detect_in", detect_in)
    result = follow.follow(
        each(), follow.Motion.of(scene.athlete, 0), models_dir="", counter=follow.Counter(frames),
        near=near,
    )  # fmt: skip
    return result.detections


def test_someone_passing_nearer_the_camera_is_looked_past(monkeypatch):
    found = _follow(_Scene(range(5, 10), hidden=False), 15, monkeypatch)
    assert all(d is not None and np.allclose(d.xy, _body().xy) for d in found)


def test_someone_of_their_size_beside_the_athlete_is_looked_past(monkeypatch):
    """The landmark model, shown a window holding two people, draws the other one first:
    they are out of the athlete's reach, so they are greyed out and it looks again."""
    scene = _Scene(range(5, 10), hidden=False, scale=1.0, beside=0.45)
    found = _follow(scene, 15, monkeypatch)
    assert all(d is not None and np.allclose(d.xy, _body().xy) for d in found)


def test_the_athlete_hidden_behind_someone_nearer_is_not_found_there(monkeypatch):
    found = _follow(_Scene(range(5, 10), hidden=True), 15, monkeypatch)
    assert [d is None for d in found] == [False] * 5 + [True] * 5 + [False] * 5
    assert all(np.allclose(d.xy, _body().xy) for d in found if d is not None)


class _Following:
    """A fake video-mode detector, as MediaPipe's: it follows whom it found last and, having
    lost them, searches afresh on the next call, finding the first of `people` (body, the
    frames they are in view) in view and not greyed out."""

    def __init__(self, people: list[tuple[Detection, Sequence[int]]]) -> None:
        self.people, self.frame, self.following = people, 0, None
        self.athlete = _body()

    def detect(self, rgb: np.ndarray, time_s: float) -> Detection | None:
        crop = np.array(self.offset, dtype=float)

        def seen(body: Detection, frames: Sequence[int]) -> bool:
            x, y = body.xy.mean(axis=0) - crop
            return self.frame in frames and not np.all(rgb[int(y), int(x)] == MASK_GRAY)

        if self.following is not None and not seen(*self.following):
            self.following = None
            return None
        if self.following is None:
            self.following = next(((b, f) for b, f in self.people if seen(b, f)), None)
        if self.following is None:
            return None
        body = self.following[0]
        return Detection(body.xy - crop, body.visibility)


def test_a_detector_following_someone_else_searches_afresh_for_the_athlete(monkeypatch):
    """The pass starts with someone beside the athlete, whom the detector finds first:
    greyed out, the detector loses them, and the look after finds the athlete and follows
    them on (else on every frame the same other person is found first)."""
    athlete = _body()
    scene = _Following([(_beside(athlete, 0.45), range(10)), (athlete, range(15))])
    found = _follow(scene, 15, monkeypatch)
    assert all(d is not None and np.allclose(d.xy, athlete.xy) for d in found)


def test_at_the_frame_of_the_choice_only_the_body_chosen_is_taken(monkeypatch):
    """Someone of the athlete's size, near enough to be within their reach, is found first
    on the frame the athlete was chosen on: not the body chosen there, so greyed out, and
    the athlete is found and followed (without that, the pass went on with the other)."""
    athlete = _body()
    beside = _beside(athlete, 0.33)
    x0, y0, x1, y1 = athlete.box()
    assert follow.same_athlete(beside.box(), athlete.box(), follow.WINDOW_MARGIN * (y1 - y0))
    assert not follow.held(beside, athlete)
    scene = _Following([(beside, range(3)), (athlete, range(15))])
    found = _follow(scene, 15, monkeypatch)
    assert all(d is not None and np.allclose(d.xy, athlete.xy) for d in found)


def test_while_the_athlete_is_hidden_nobody_else_is_searched_for(monkeypatch):
    """Hidden behind someone nearer the camera (frames 5-9), the athlete is not found there,
    and the search does not go past the nearer person to someone of their size close by:
    the track would go on with them."""
    athlete = _body()
    scene = _Following([
        (_beside(athlete, -0.3, scale=1.3), range(5, 10)),
        (_beside(athlete, 0.3), range(5, 10)),
        (athlete, [*range(5), *range(10, 15)]),
    ])  # fmt: skip
    found = _follow(scene, 15, monkeypatch)
    assert [d is None for d in found] == [False] * 5 + [True] * 5 + [False] * 5
    assert all(np.allclose(d.xy, athlete.xy) for d in found if d is not None)


def _bodies_around(scene: _Scene, looked: list):
    """The person detector: the athlete's own body, and on the passing frames the nearer
    person's too, over the athlete."""

    def region(body: Detection, side: float) -> Body:  # upright: shoulders above the hips
        x, y = body.xy[[INDEX["left_hip"], INDEX["right_hip"]]].mean(axis=0)
        box = (x - side / 2, y - side / 2, x + side / 2, y + side / 2)
        return Body(0.9, box, (x, y), (x, y - side / 3))

    def find_near(rgb, box):
        looked.append(scene.frame)
        height = box[3] - box[1]
        own = [region(scene.athlete, 1.6 * height)]
        if scene.frame in scene.passing:
            return [*own, region(scene.nearer, 1.6 * 1.3 * height)]
        return own

    return find_near


def test_on_frames_where_someone_nearer_passes_over_the_athlete_the_detection_says_so(
    monkeypatch,
):
    scene = _Scene(range(5, 10), hidden=False, beside=0.1)
    looked: list[int] = []
    monkeypatch.setattr(follow, "find_near", _bodies_around(scene, looked))
    found = _follow(scene, 15, monkeypatch, near=True)
    assert [d.passing for d in found] == [5 <= i < 10 for i in range(15)]
    assert looked == list(range(15))
    looked.clear()
    found = _follow(_Scene(range(5, 10), hidden=False, beside=0.1), 15, monkeypatch)
    assert not any(d.passing for d in found) and looked == []  # nobody else seen: no look

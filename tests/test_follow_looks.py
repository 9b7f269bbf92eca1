"""Following each person through a moment's looks (`tracking.follow_looks`) while someone
bigger stands beside them: a stand-in landmark model that, like MediaPipe's, takes the body
that fills most of the square it is given."""

import numpy as np

from movement_screen import choose, tracking
from movement_screen.pose import Detection
from tests.test_choose import HEIGHT, WIDTH, _hinging, _standing

COLOURS = ((255, 0), (0, 255))  # red and blue of each body; green holds the look's number


def _frames(people: list[list[Detection]]) -> list[np.ndarray]:
    """(H, W, 3) frames, one per look, each body painted as its box in its own colour."""
    frames = []
    for k in range(len(people[0])):
        rgb = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
        for (red, blue), looks in zip(COLOURS, people, strict=True):
            x0, y0, x1, y1 = (int(v) for v in looks[k].box())
            rgb[y0:y1, x0:x1] = (red, k, blue)
        frames.append(rgb)
    return frames


def _model(people: list[list[Detection]]):
    """The body showing the most pixels in the crop, as it is at the look painted there, in
    the crop's pixels (None when nobody shows)."""

    def detect(part: np.ndarray, time_s: float) -> Detection | None:
        shown = [(part[..., 0] == red) & (part[..., 2] == blue) for red, blue in COLOURS]
        best = int(np.argmax([s.sum() for s in shown]))
        if not shown[best].any():
            return None
        rows, cols = np.nonzero(shown[best])
        body = people[best][int(part[rows[0], cols[0], 1])]
        x0, y0, _, _ = body.box()
        offset = np.array([int(x0) - cols.min(), int(y0) - rows.min()])
        return Detection(body.xy - offset, body.visibility)

    return detect


def _follow(people, others):
    later = _frames(people)[1:]
    return tracking.follow_looks(people[0][0], _model(people), frames=later, others=others)


def test_the_others_are_greyed_out_so_a_bigger_body_beside_is_not_taken():
    hinger, stander = _hinging(600, 1.0), _standing(700, 2.0)
    people = [hinger, stander]
    alone = _follow(people, [])
    assert alone[1:] == [None] * 5  # the stander fills most of the hinger's square
    assert choose.activity(alone).kind() == "seen once"
    looks = _follow(people, [hinger[0], stander[0]])
    assert all(found is not None for found in looks)
    assert choose.activity(looks).kind() == "bending and rising in place"


def test_only_someone_taller_and_clear_of_the_person_is_greyed_out():
    hinger = _hinging(600, 1.0)[0]
    shape = (HEIGHT, WIDTH, 3)
    touching, beside = _standing(610, 2.0)[0], _standing(1100, 2.0)[0]
    smaller = _standing(300, 0.9)[0]
    (box,) = tracking._taller_beside(hinger, [hinger, touching, beside, smaller], shape)
    x0, y0, x1, y1 = beside.box()
    assert box[0] < x0 and box[2] > x1 and box[1] < y0  # grown by a tenth

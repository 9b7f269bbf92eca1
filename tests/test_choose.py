"""Choosing the athlete on constructed people: the mover among standing people, and 'unsure'."""

from __future__ import annotations

import numpy as np

from movement_screen import choose
from movement_screen.pose import Detection

HEIGHT, WIDTH = 720, 1280


def _person(cx: float, height: float, shift: float = 0.0) -> Detection:
    """A body of `height` pixels centred at x = `cx`, its landmarks moved by `shift` pixels."""
    rng = np.random.default_rng(int(cx))
    xy = np.column_stack([cx + rng.uniform(-0.15, 0.15, 33) * height,
                          400 + rng.uniform(-0.5, 0.5, 33) * height])  # fmt: skip
    xy[:, 0] += shift
    return Detection(xy, np.ones(33))


def _moment(people: list[tuple[float, float, float]], t: float = 1.0) -> choose.Moment:
    """(centre x, body height, how far each moves in pixels) per person."""
    now = [_person(cx, h) for cx, h, _ in people]
    later = [_person(cx, h, moved) for cx, h, moved in people]
    motion = [choose.motion(p, later) for p in now]
    return choose.Moment(int(t * 30), t, now, motion, np.zeros((HEIGHT, WIDTH, 3), np.uint8))


def test_the_mover_is_chosen_over_bigger_people_standing_still():
    moment = _moment([(200, 420, 0.0), (640, 300, 40.0), (1100, 400, 0.5)])
    picked = choose.choose([moment], HEIGHT)
    assert picked.chosen == 1 and not picked.unsure
    assert (
        picked.reason
        == "the person in the centre, moving; 2 others in view (2 standing still) (at 1.0 s)"
    )


def test_two_movers_of_a_size_make_an_unsure_choice():
    picked = choose.choose([_moment([(300, 400, 40.0), (900, 390, 38.0)])], HEIGHT)
    assert picked.unsure and picked.reason.endswith(
        "; unsure: another person moves about as much (at 1.0 s)"
    )


def test_the_moment_with_the_most_people_is_the_one_judged():
    alone = _moment([(640, 400, 40.0)], t=0.0)
    crowd = _moment([(200, 300, 0.0), (700, 380, 30.0)], t=2.0)
    picked = choose.choose([alone, crowd], HEIGHT)
    assert picked.moment.time_s == crowd.time_s and picked.chosen == 1
    assert choose.choose([_moment([], t=0.0)], HEIGHT) is None


def test_a_person_not_seen_again_at_once_is_judged_by_the_moments_around():
    """At 2.0 s nobody is found 0.2 s later; at 2.5 s the walker is found further on."""
    crowd = _moment([(200, 400, 0.0), (700, 380, 0.0)], t=2.0)
    crowd = choose.Moment(crowd.index, 2.0, crowd.people, [float("nan")] * 2, crowd.rgb)
    later = _moment([(800, 385, 0.0)], t=2.5)
    picked = choose.choose([crowd, later], HEIGHT)
    assert picked.moment.time_s == 2.0 and picked.chosen == 1 and not picked.unsure
    assert picked.reason.startswith("the person in the centre, moving")

"""Where the hips jump across the picture, the track stops: past it may be someone else."""

import numpy as np

from movement_screen import identity
from movement_screen.pose import Detection
from tests.test_follow import _body

HEIGHT = _body().box()[3] - _body().box()[1]


def _track(shifts: list[tuple[float, float] | None]) -> list[Detection | None]:
    """One body per frame moved by (x, y) body heights; None: not found."""
    body = _body()
    return [
        None if s is None else Detection(body.xy + np.array(s) * HEIGHT, body.visibility)
        for s in shifts
    ]


def _kept(shifts, seed=0):
    kept, jumps = identity.keep_one_body(_track(shifts), seed)
    return [d is not None for d in kept], jumps


def test_an_athlete_running_across_at_an_even_pace_is_kept_whole():
    shifts = [(0.05 * i, 0.0) for i in range(20)]
    assert _kept(shifts) == ([True] * 20, [])


def test_hips_bouncing_up_and_down_are_not_a_jump():
    shifts = [(0.0, 0.3 * (i % 2)) for i in range(20)]  # a sprinter landing every stride
    assert _kept(shifts) == ([True] * 20, [])


def test_past_a_jump_across_the_picture_the_track_stops():
    shifts = [(0.0, 0.0)] * 10 + [(0.4, 0.0)] * 10  # onto someone beside them at frame 10
    assert _kept(shifts, seed=0) == ([True] * 10 + [False] * 10, [10])
    assert _kept(shifts, seed=19) == ([False] * 10 + [True] * 10, [9])  # walking back from 19


def test_a_jump_just_over_the_limit_stops_it_and_one_just_under_does_not():
    over = [(0.0, 0.0)] * 5 + [(identity.JUMP * 1.05, 0.0)] * 5
    under = [(0.0, 0.0)] * 5 + [(identity.JUMP * 0.95, 0.0)] * 5
    assert _kept(over)[1] == [5] and _kept(under)[1] == []


def test_a_glitch_that_lands_back_on_the_pace_drops_only_its_frames():
    shifts = [(0.0, 0.0)] * 8 + [(0.5, 0.0)] * identity.GLITCH + [(0.0, 0.0)] * 8
    kept, jumps = _kept(shifts)
    assert jumps == [] and kept == [True] * 8 + [False] * identity.GLITCH + [True] * 8


def test_no_pace_is_read_across_a_missing_frame():
    shifts = [(0.0, 0.0)] * 5 + [None] + [(0.4, 0.0)] * 5  # found again elsewhere: not judged
    assert _kept(shifts) == ([True] * 5 + [False] + [True] * 5, [])


def test_a_body_found_for_a_moment_while_the_athlete_is_lost_is_dropped():
    lost = [None] * 4
    moment = [(0.6, 0.0)] * identity.ISLAND  # someone passing, found where the athlete is hidden
    shifts = [(0.0, 0.0)] * 5 + lost + moment + lost + [(0.0, 0.0)] * 5
    kept, jumps = _kept(shifts)
    assert jumps == [] and kept == [True] * 5 + [False] * (8 + identity.ISLAND) + [True] * 5


def test_a_longer_run_the_chosen_run_and_runs_at_the_ends_stay():
    longer = [(0.0, 0.0)] * (identity.ISLAND + 1)
    assert _kept([(0.0, 0.0)] * 3 + [None] + longer + [None] + [(0.0, 0.0)] * 3)[0] == (
        [True] * 3 + [False] + [True] * len(longer) + [False] + [True] * 3
    )
    short = [(0.0, 0.0)] * 2
    assert _kept([None] + short + [None], seed=1)[0] == [False, True, True, False]
    assert _kept(short + [None] * 3 + short)[0] == [True, True, False, False, False, True, True]

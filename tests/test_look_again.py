"""Past a stop of the track, a fresh pass looks for the athlete at their place again."""

import math
import threading
from types import SimpleNamespace

import numpy as np

from movement_screen import choose, chunks, identity, tracking, video
from movement_screen.core import VideoInfo
from movement_screen.follow import PassResult
from tests.test_identity import FPS, HEIGHT, NEED, _found, _scaled

ROWS = list(range(0, 2 * 60, 2))  # pose on every 2nd frame of the clip
TIMES = np.array(ROWS) / FPS
GRID = video.Grid(0, 2)
PASSING_ROWS = 12  # rows (0.8 s) the person passing stays over the athlete's place


class FreshPass:
    """Stands in for `chunks.track_from`: the athlete at `shift` body heights across on
    every frame it is given, and a record of where it was started."""

    def __init__(self, shift: float = 0.0, frames: int | None = None) -> None:
        self.shift, self.frames, self.calls = shift, frames, []

    def __call__(self, start, step, motion, grid) -> PassResult:
        self.calls.append((start, step, motion.box, grid))
        span = range(start, ROWS[-1] + 1) if step == 1 else range(start, -1, -1)
        frames = [i for i in span if grid.holds(i)]
        result = PassResult()
        for k, index in enumerate(frames):
            there = self.frames is None or k < self.frames
            result.indices.append(index)
            result.times.append(index / FPS)
            result.detections.append(_scaled(1.0, self.shift if there else 0.6 + 0.05 * k))
        return result


def _first_pass(seed: int) -> list:
    """The athlete on the first 20 rows, then the person passing (a jump), who the first
    pass follows away out of the picture."""
    away = [_scaled(1.0, 0.6 + 0.1 * k) for k in range(len(ROWS) - 20)]
    frames = [_scaled(1.0, 0.0)] * 20 + away
    return frames if seed == 0 else frames[::-1]


def _again(seed: int, fresh: FreshPass, place=None):
    kept = identity.keep_one_body(_first_pass(seed), seed, TIMES)
    return kept, tracking.look_again(ROWS, TIMES, kept, seed, fresh, GRID, place)[0]


def test_past_a_stop_a_fresh_pass_finds_the_athlete_back_at_their_place():
    fresh = FreshPass()
    before, after = _again(0, fresh)
    assert before.jumps == [20] and not any(_found(before)[20:])
    settled = next(i for i in range(20, len(ROWS)) if TIMES[i] - TIMES[20] >= identity.SETTLE_S)
    ((start, step, box, grid),) = fresh.calls
    assert (start, step, grid) == (ROWS[settled], 1, GRID)
    assert box == _scaled(1.0, 0.0).box()  # where the athlete was last kept
    assert after.jumps == [20] and after.again == [settled]
    assert _found(after) == [True] * 20 + [False] * (settled - 20) + [True] * (len(ROWS) - settled)


def test_walking_back_from_the_chosen_frame_the_fresh_pass_runs_backward():
    fresh = FreshPass()
    seed = len(ROWS) - 1
    before, after = _again(seed, fresh)
    ((start, step, _, _),) = fresh.calls
    assert step == -1 and start < ROWS[before.jumps[0]]
    jump = before.jumps[0]
    settled = next(i for i in range(jump, -1, -1) if TIMES[jump] - TIMES[i] >= identity.SETTLE_S)
    assert ROWS[settled] == start and after.again == [settled]  # the nearest to the stop
    assert sum(_found(after)) > sum(_found(before)) + NEED


def test_a_fresh_pass_that_finds_someone_away_from_the_athletes_place_adds_nothing():
    beside = FreshPass(shift=0.6)  # as far off as the person passing
    before, after = _again(0, beside)
    assert len(beside.calls) == tracking.FRESH_PASSES and _found(after) == _found(before)
    place = choose.Place(*[_scaled(1.0, 0.0).xy[identity._HIPS, 0].mean()] * 2, HEIGHT)
    near = FreshPass(shift=identity.AT_PLACE * 1.5)  # outside where the choice saw them
    assert _found(_again(0, near, place)[1]) == _found(before)


class Passes:
    """Stands in for `chunks.track_from`: each call given to the next of `fakes`."""

    def __init__(self, *fakes: FreshPass) -> None:
        self.fakes, self.calls = list(fakes), []

    def __call__(self, start, step, motion, grid) -> PassResult:
        self.calls.append(start)
        return self.fakes[len(self.calls) - 1](start, step, motion, grid)


def test_a_fresh_pass_gone_away_with_someone_passing_is_started_again_later():
    """The first fresh pass starts on the person passing, still over the athlete's place,
    and goes away with them; one started SETTLE_S past where it went finds the athlete."""
    passes = Passes(FreshPass(shift=0.6), FreshPass())
    before, after = _again(0, passes)
    settled = next(i for i in range(20, len(ROWS)) if TIMES[i] - TIMES[20] >= identity.SETTLE_S)
    later = next(
        i for i in range(settled, len(ROWS)) if TIMES[i] - TIMES[settled] >= identity.SETTLE_S
    )
    assert passes.calls == [ROWS[settled], ROWS[later]]
    assert _found(after) == [True] * 20 + [False] * (later - 20) + [True] * (len(ROWS) - later)


def test_a_fresh_pass_at_the_place_for_too_short_a_while_adds_nothing():
    need = max(identity.ISLAND + 1, math.ceil(identity.BACK_S * FPS / GRID.every))
    passer = FreshPass(frames=need - 1)  # the person passing, still there, then walking on
    before, after = _again(0, passer)
    assert _found(after) == _found(before)
    assert _found(_again(0, FreshPass(frames=need))[1]).count(True) == 20 + need


def test_frames_the_first_pass_found_again_stay_whatever_their_pace():
    frames = _first_pass(0)
    back = 20 + PASSING_ROWS
    frames[back:] = [_scaled(1.0, 0.0)] * 10 + [_scaled(1.0, identity.JUMP * 1.1)] * 10
    frames[back + 20 :] = [None] * (len(ROWS) - back - 20)
    kept = identity.keep_one_body(frames, 0, TIMES)
    assert _found(kept)[back : back + 20] == [True] * 20  # back at their place: a stop before
    after = tracking.look_again(ROWS, TIMES, kept, 0, FreshPass(), GRID, None)[0]
    assert all(a for a, k in zip(_found(after), _found(kept), strict=True) if k)
    assert all(_found(after)[back:])


def test_frames_dropped_before_a_stop_stay_out():
    frames = _first_pass(0)
    frames[5:8] = [_scaled(1.0, 0.6)] * 3  # a glitch: dropped
    kept = identity.keep_one_body(frames, 0, TIMES)
    after = tracking.look_again(ROWS, TIMES, kept, 0, FreshPass(), GRID, None)[0]
    assert _found(after)[5:8] == [False] * 3 and _found(after)[:5] == [True] * 5


def test_without_a_stop_nothing_is_looked_at_again():
    fresh = FreshPass()
    frames = [_scaled(1.0, 0.0)] * len(ROWS)
    kept = identity.keep_one_body(frames, 0, TIMES)
    after, passing = tracking.look_again(ROWS, TIMES, kept, 0, fresh, GRID, None)
    assert fresh.calls == [] and _found(after) == [True] * len(ROWS) and not passing.any()


def test_a_track_lost_for_good_is_looked_at_again_from_where_it_was_lost():
    """No jump: the pass lost the athlete behind someone passing at row 20 and found
    nobody from there to the end."""
    fresh = FreshPass()
    frames = [_scaled(1.0, 0.0)] * 20 + [None] * (len(ROWS) - 20)
    kept = identity.keep_one_body(frames, 0, TIMES)
    assert kept.jumps == [] and tracking.stops(kept, 0) == [20]
    after = tracking.look_again(ROWS, TIMES, kept, 0, fresh, GRID, None)[0]
    settled = next(i for i in range(20, len(ROWS)) if TIMES[i] - TIMES[20] >= identity.SETTLE_S)
    assert [(start, step) for start, step, _, _ in fresh.calls] == [(ROWS[settled], 1)]
    assert _found(after) == [True] * 20 + [False] * (settled - 20) + [True] * (len(ROWS) - settled)


def test_the_passes_past_stops_on_both_sides_run_at_once():
    """Lost before row 20 and from row 40: a fresh pass on each side, each in a thread of
    its own (each waits at a barrier for the other: one after the other, the first would
    time out), and the athlete found again on both sides from SETTLE_S past the stop."""
    seed, n = 30, len(ROWS)
    frames = [None] * 20 + [_scaled(1.0, 0.0)] * 20 + [None] * (n - 40)
    kept = identity.keep_one_body(frames, seed, TIMES)
    assert tracking.stops(kept, seed) == [19, 40]
    meet, fresh = threading.Barrier(2, timeout=10), FreshPass()

    def together(start, step, motion, grid):
        meet.wait()
        return fresh(start, step, motion, grid)

    after = tracking.look_again(ROWS, TIMES, kept, seed, together, GRID, None)[0]
    assert sorted(step for _, step, _, _ in fresh.calls) == [-1, 1]
    back = max(i for i in range(20) if TIMES[19] - TIMES[i] >= identity.SETTLE_S)
    ahead = min(i for i in range(40, n) if TIMES[i] - TIMES[40] >= identity.SETTLE_S)
    assert _found(after) == (
        [True] * (back + 1) + [False] * (19 - back) + [True] * 20
        + [False] * (ahead - 40) + [True] * (n - ahead)
    )  # fmt: skip


def test_a_track_stops_at_its_jump_or_where_it_is_lost_to_the_end():
    n, seed = len(ROWS), 30
    body = _scaled(1.0, 0.0)

    def kept(found: list[bool], jumps: list[int]) -> identity.Kept:
        return identity.Kept([body if f else None for f in found], jumps, [])

    everywhere = [True] * n
    assert tracking.stops(kept(everywhere, []), seed) == []
    gap = [not 40 <= i < 45 for i in range(n)]  # lost, then found again: no stop
    assert tracking.stops(kept(gap, []), seed) == []
    lost = [10 <= i < 50 for i in range(n)]  # lost to the start and to the end
    assert tracking.stops(kept(lost, []), seed) == [9, 50]
    assert tracking.stops(kept(lost, [45]), seed) == [9, 45]  # a jump is the stop on its side


def _track_one_seen(monkeypatch, kind: str):
    """`track_athlete` on a clip where the choice saw one person only, doing `kind`; the
    first pass loses them at row 20 for good (`_first_pass` without its walker), and a
    fresh pass would find them at their place."""
    fresh = FreshPass()
    body = _scaled(1.0, 0.0)
    first = [body] * 20 + [None] * (len(ROWS) - 20)
    monkeypatch.setattr(tracking, "track_chunks", lambda *a, **k: (ROWS, first, list(TIMES)))
    monkeypatch.setattr(chunks, "track_from", lambda info, *a, **k: fresh(*a))
    activity = SimpleNamespace(kind=lambda: kind)
    moment = choose.Moment(0, 0.0, [body], [activity], np.zeros((8, 8, 3), np.uint8))
    picked = choose.Choice(moment, 0, [1.0], False, "the one person", most_people=1)
    info = VideoInfo("clip.mp4", FPS, 1000, 1000, ROWS[-1] + 1, 0)
    return tracking.track_athlete(info, picked=picked, workers=1), fresh


def test_an_athlete_in_place_lost_for_good_is_looked_for_again_with_no_one_else_seen(monkeypatch):
    """A walker hid a hinge at the one moment he was in view, seen alone there."""
    track, fresh = _track_one_seen(monkeypatch, tracking.SLOW_KIND)
    assert len(fresh.calls) == 1 and track.found[-1] and track.found_again_s
    assert track.passing is None  # no one else seen: nobody passing is judged


def test_an_athlete_running_across_and_lost_is_not_looked_for_again(monkeypatch):
    """Lost at the picture's edge, a runner is gone, not hidden."""
    track, fresh = _track_one_seen(monkeypatch, "walking or running")
    assert fresh.calls == [] and not track.found[20:].any()

"""Where the hips jump across the picture, the track stops: past it may be someone else."""

from dataclasses import replace

import numpy as np

from movement_screen import choose, identity
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


def _kept(shifts, seed=0, fps=30.0):
    kept = identity.keep_one_body(_track(shifts), seed, np.arange(len(shifts)) / fps)
    return [d is not None for d in kept.detections], kept.jumps


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


def _scaled(scale: float, shift: float) -> Detection:
    """The test body `scale` times as big about its hips, moved `shift` body heights across."""
    body = _body()
    hips = body.xy[identity._HIPS].mean(axis=0)
    return Detection(hips + (body.xy - hips) * scale + (shift * HEIGHT, 0.0), body.visibility)


FPS = 30.0
NEED = int(identity.BACK_S * FPS) + 1  # frames back at their place that are enough
PASSING = int(identity.SETTLE_S * FPS) + 1  # frames someone passing stays past the jump


def _back(passer: list[Detection], back: list[Detection]) -> identity.Kept:
    """The athlete for 10 frames, then `passer` (a jump), then `back`."""
    frames = [_scaled(1.0, 0.0)] * 10 + passer + back
    return identity.keep_one_body(frames, 0, np.arange(len(frames)) / FPS)


def _found(kept: identity.Kept) -> list[bool]:
    return [d is not None for d in kept.detections]


def test_past_a_stop_the_athlete_back_at_their_place_is_kept_again():
    passer = [_scaled(1.0, 0.6)] * PASSING  # someone beside them: the track stops
    kept = _back(passer, [_scaled(1.0, identity.PLACE * 0.9)] * NEED)
    assert kept.jumps == [10] and kept.again == [10 + PASSING]
    assert _found(kept) == [True] * 10 + [False] * PASSING + [True] * NEED


def test_right_after_a_stop_the_athlete_is_not_taken_back_while_the_passer_is_close():
    passer = [_scaled(1.0, 0.6)] * (identity.GLITCH + 1)  # a stop, not a glitch
    kept = _back(passer, [_scaled(1.0, 0.0)] * (PASSING + NEED))
    settled = 10 + int(np.ceil(identity.SETTLE_S * FPS))  # the first frame SETTLE_S on
    assert kept.again == [settled] and _found(kept)[10:settled] == [False] * (settled - 10)


def test_past_a_stop_someone_else_at_the_athletes_place_is_not_taken_for_them():
    passer = [_scaled(1.0, 0.6)] * PASSING
    too_short = _back(passer, [_scaled(1.0, 0.0)] * (NEED - 2) + [_scaled(1.0, 0.6)] * 5)
    beside = _back(passer, [_scaled(1.0, identity.PLACE * 1.1)] * NEED)
    bigger = _back(passer, [_scaled(1.1, 0.0)] * NEED)  # nearer the camera
    for kept in (too_short, beside, bigger):
        assert kept.again == [] and not any(_found(kept)[10:])


def test_walking_back_from_the_chosen_frame_the_athlete_is_found_again_before_a_stop():
    passer = [_scaled(1.0, 0.6)] * PASSING
    frames = [_scaled(1.0, 0.0)] * NEED + passer + [_scaled(1.0, 0.0)] * 10
    kept = identity.keep_one_body(frames, len(frames) - 1, np.arange(len(frames)) / FPS)
    assert kept.jumps == [NEED + PASSING - 1] and kept.again == [NEED - 1]
    assert _found(kept) == [True] * NEED + [False] * PASSING + [True] * 10


def _turned(degrees: float) -> Detection:
    """The test body rotated `degrees` about its hips (in the picture)."""
    body = _body()
    hips = body.xy[identity._HIPS].mean(axis=0)
    a = np.radians(degrees)
    turn = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return Detection(hips + (body.xy - hips) @ turn.T, body.visibility)


def test_a_body_drawn_upside_down_for_a_few_frames_is_not_kept():
    frames = [_turned(0.0)] * 10 + [_turned(150.0)] * 5 + [_turned(0.0)] * 10
    kept = identity.keep_one_body(frames, 0, np.arange(len(frames)) / FPS)
    assert _found(kept) == [True] * 10 + [False] * 5 + [True] * 10
    assert kept.jumps == []


def test_a_trunk_leaning_far_but_not_turned_over_is_kept():
    deep = [_turned(0.0)] * 10 + [_turned(100.0)] * 10  # a hinge's deepest lean, half the clip
    assert not identity.turned_over(deep).any()
    upright = [_turned(0.0)] * 40
    assert identity.turned_over([*upright, _turned(identity.TURNED_DEG + 5)]).tolist()[-1]
    assert not identity.turned_over([*upright, _turned(identity.TURNED_DEG - 5)]).any()
    assert not identity.turned_over([None, *upright[:3], None]).any()
    assert identity.turned_over([None, None]).tolist() == [False, False]


def _in_place_then(after: list[tuple[float, float] | None], frames: int = 40):
    """An athlete swaying 0.1 body heights side to side in place for `frames` frames (seed
    at the first), lost for 5 frames, then `after`."""
    sway = [(0.05 * (1 - np.cos(2 * np.pi * i / frames)), 0.0) for i in range(frames)]
    return sway + [None] * 5 + after


def test_past_a_loss_a_body_outside_the_strip_an_athlete_trained_in_place_on_is_dropped():
    walker = [(0.12 + 0.05 * k, 0.0) for k in range(15)]  # someone walking off past the loss
    kept, jumps = _kept(_in_place_then(walker))
    assert jumps == [] and kept[:40] == [True] * 40
    margin = 0.1 + identity.PLACE  # the strip's edge plus PLACE
    assert kept[45:] == [0.12 + 0.05 * k <= margin for k in range(15)]
    assert kept[45:] == [True] * 4 + [False] * 11


def test_the_athlete_back_in_their_strip_past_a_loss_is_kept():
    back = [(0.1 + identity.PLACE * 0.95, 0.0)] * 10
    assert _kept(_in_place_then(back))[0] == [True] * 40 + [False] * 5 + [True] * 10
    beyond = [(0.1 + identity.PLACE * 1.05, 0.0)] * 10
    assert _kept(_in_place_then(beyond))[0] == [True] * 40 + [False] * 15


def test_no_strip_is_read_off_an_athlete_moving_across_or_seen_too_briefly():
    across = [(0.05 * i, 0.0) for i in range(40)] + [None] * 5 + [(3.0, 0.0)] * 10
    assert _kept(across)[0] == [True] * 40 + [False] * 5 + [True] * 10
    brief = int(identity.STRIP_S * 30) - 2  # frames at 30 a second: under STRIP_S in a row
    walker = [(0.12 + 0.05 * k, 0.0) for k in range(15)]
    assert (
        _kept(_in_place_then(walker, frames=brief))[0] == [True] * brief + [False] * 5 + [True] * 15
    )


def _passed_over(after: list[tuple[float, float]], passing: int = 5, frames: int = 40):
    """An athlete swaying in place for `frames` frames (seed at the first), someone passing
    over them for the next `passing` frames, then the track goes on as `after` (no loss)."""
    sway = [(0.05 * (1 - np.cos(2 * np.pi * i / frames)), 0.0) for i in range(frames)]
    track = _track(sway + [(0.1, 0.0)] * passing + after)
    for i in range(frames, frames + passing):
        track[i] = replace(track[i], passing=True)
    return track


def _kept_detections(track, seed=0, fps=30.0):
    kept = identity.keep_one_body(track, seed, np.arange(len(track)) / fps)
    return [d is not None for d in kept.detections]


def test_a_track_that_leaves_the_athletes_place_after_someone_passed_over_them_goes():
    away = [(0.1 + 0.04 * k, 0.0) for k in range(15)]  # smooth: no jump, the passer walks off
    track = _passed_over(away)
    assert _kept_detections(track) == [True] * 40 + [False] * 20
    assert _kept_detections(track[::-1], seed=59) == [False] * 20 + [True] * 40  # backward too
    unflagged = [replace(d, passing=False) for d in track]  # nobody seen passing: kept as before
    assert _kept_detections(unflagged) == [True] * 60


def test_a_track_that_stays_at_the_athletes_place_after_someone_passed_is_kept():
    stays = [(0.1 + min(0.04 * k, identity.PLACE * 0.95), 0.0) for k in range(15)]
    assert _kept_detections(_passed_over(stays)) == [True] * 60


def test_chosen_while_someone_passed_over_them_the_place_is_read_beside_that_pass():
    """Seed at the last frame of the pass (as in `150013`): the strip is the athlete's
    frames before the pass, and the run on from the seed that leaves it goes; the seed and
    the frames of the pass before it stay (nothing is measured there anyway)."""
    away = [(0.1 + 0.04 * k, 0.0) for k in range(15)]
    track = _passed_over(away)
    assert _kept_detections(track, seed=44) == [True] * 45 + [False] * 15
    assert _kept_detections(track[::-1], seed=15) == [False] * 15 + [True] * 45  # backward
    stays = [(0.1 + min(0.04 * k, identity.PLACE * 0.95), 0.0) for k in range(15)]
    assert _kept_detections(_passed_over(stays), seed=44) == [True] * 60


def test_no_place_is_read_off_an_athlete_moving_across_or_seen_too_briefly_before_a_pass():
    across = _track([(0.05 * i, 0.0) for i in range(60)])
    for i in range(40, 45):
        across[i] = replace(across[i], passing=True)
    assert _kept_detections(across) == [True] * 60
    brief = int(identity.STRIP_S * 30) - 2
    away = [(0.1 + 0.04 * k, 0.0) for k in range(15)]
    assert _kept_detections(_passed_over(away, frames=brief)) == [True] * (brief + 20)


def test_hips_outside_the_place_the_choice_saw_the_athlete_at_are_not_theirs():
    place = choose.Place(lo=0.0, hi=0.2 * HEIGHT, height=HEIGHT)
    edge = identity.AT_PLACE
    shifts = [
        (0.1, 0.0),
        (0.2 + edge * 0.9, 0.0),
        (0.2 + edge * 1.1, 0.0),
        (-edge * 1.1, 0.0),
        None,
    ]
    base = _body().xy[identity._HIPS, 0].mean()
    track = [None if s is None else replace(d, xy=d.xy - [base, 0.0]) for s, d in
             zip(shifts, _track(shifts), strict=True)]  # fmt: skip
    across = np.array([np.nan if d is None else d.xy[identity._HIPS, 0].mean() for d in track])
    assert identity.off_place(across, place, 0).tolist() == [False, False, True, True, False]
    assert identity.off_place(across, place, 2).tolist() == [False, False, False, True, False]
    assert not identity.off_place(across, None, 0).any()


def test_past_the_first_frame_outside_the_athletes_place_the_track_stops_like_at_a_jump():
    out = [(0.045 * k, 0.0) for k in range(1, 11)]  # smooth, 0.045 body heights a frame
    track = _track([(0.0, 0.0)] * 20 + out + out[::-1])  # out past the place and back
    base = _body().xy[identity._HIPS, 0].mean()
    place = choose.Place(base - 0.05 * HEIGHT, base + 0.05 * HEIGHT, HEIGHT)
    assert 4 * 0.045 < 0.05 + identity.AT_PLACE < 5 * 0.045  # frame 24 is the first outside
    kept = identity.keep_one_body(track, 0, np.arange(len(track)) / 30.0, place)
    assert [d is not None for d in kept.detections] == [True] * 24 + [False] * 16
    assert kept.jumps == [24]  # back at the place within SETTLE_S: not taken back
    unplaced = identity.keep_one_body(track, 0, np.arange(len(track)) / 30.0)
    assert all(d is not None for d in unplaced.detections) and unplaced.jumps == []

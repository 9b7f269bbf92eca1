import numpy as np
import pytest

from movement_screen import legs, periodic
from movement_screen.landmarks import INDEX
from tests.synthetic import side_hinge, side_pose


def _gait(n=90, fps=30.0):
    """Two legs swinging in antiphase (running in place): thighs ±35 deg at 1.5 Hz."""
    t = np.arange(n) / fps
    phase = 2 * np.pi * 1.5 * t
    thigh = {"left": 35 * np.sin(phase), "right": 35 * np.sin(phase + np.pi)}
    knee = {"left": 40 + 30 * np.cos(phase), "right": 40 + 30 * np.cos(phase + np.pi)}
    return side_pose(t, trunk=np.full(n, 5.0), thigh=thigh, knee=knee)


def _swap(xy, frames):
    out = xy.copy()
    order = legs.swap_permutation()
    out[frames] = out[frames][:, order]
    return out


def test_no_swaps_found_in_clean_gait():
    pose = _gait()
    assert not legs.find_swaps(pose.xy).any()


def test_bursts_of_swapped_frames_are_found_exactly():
    pose = _gait()
    truth = np.zeros(len(pose), dtype=bool)
    truth[10:18] = True
    truth[40:41] = True
    truth[60:75] = True
    swapped = _swap(pose.xy, truth)
    found = legs.find_swaps(swapped)
    assert np.array_equal(found, truth)
    fixed, visibility = legs.exchange(swapped, pose.visibility, found)
    assert np.allclose(fixed, pose.xy) and np.array_equal(visibility, pose.visibility)


def test_missing_points_do_not_break_swap_finding():
    pose = _gait()
    xy = pose.xy.copy()
    xy[30:33, INDEX["left_knee"]] = np.nan
    truth = np.zeros(len(pose), dtype=bool)
    truth[50:58] = True
    assert np.array_equal(legs.find_swaps(_swap(xy, truth)), truth)


def test_overlap_and_far_side():
    pose = _gait()
    xy = pose.xy.copy()
    xy[20:26, list(legs.RIGHT_LEG)] = xy[20:26, list(legs.LEFT_LEG)]  # both legs drawn on one
    overlap = legs.legs_overlap(xy)
    assert overlap[20:26].all() and overlap.sum() == 6
    vis = pose.visibility.copy()
    vis[:, [INDEX["right_hip"], INDEX["right_knee"], INDEX["right_ankle"]]] = 0.6
    assert legs.far_side(vis) == "right"


@pytest.mark.parametrize("name", ["sprint_side_clean", "sprint_side_knee_drive"])
@pytest.mark.parametrize("noise", [0.0, 4.0])
def test_swaps_from_one_knee_crossing_to_the_next_are_undone(name, noise):
    """Labels swapped for whole half-strides (crossing to crossing, through the swing
    phase), the bursts a least-acceleration path is said to miss: all undone, with or
    without 4 px of landmark noise."""
    from tests.fixtures import track_from_truth

    xy = track_from_truth(name, 540, 960).pose.xy
    knees = xy[:, INDEX["left_knee"], 0] - xy[:, INDEX["right_knee"], 0]
    crossings = np.flatnonzero(np.diff(np.sign(knees)) != 0)
    truth = np.zeros(len(xy), dtype=bool)
    for a, b in list(zip(crossings[:-1], crossings[1:], strict=True))[1::3]:
        truth[a + 1 : b + 1] = True
    swapped = xy.copy()
    swapped[truth] = swapped[truth][:, legs.swap_permutation()]
    swapped += np.random.default_rng(0).normal(0.0, noise, swapped.shape)
    assert truth.mean() > 0.1
    assert np.array_equal(legs.find_swaps(swapped), truth)


def _held_split(n=40, fps=25.0):
    """A lunge held at the bottom: one thigh forward, one back, barely moving."""
    t = np.arange(n) / fps
    drift = np.linspace(0, 4, n)
    thigh = {"left": 48 + drift, "right": -25 - drift}
    knee = {"left": np.full(n, 45.0), "right": np.full(n, 30.0)}
    return side_pose(t, trunk=np.full(n, 3.0), thigh=thigh, knee=knee)


def _both_legs_between(xy, frames):
    """Draw both legs of `frames` between the two, 8 px apart (in place)."""
    for frame in frames:
        middle = (xy[frame, list(legs.LEFT_LEG)] + xy[frame, list(legs.RIGHT_LEG)]) / 2
        xy[frame, list(legs.LEFT_LEG)] = middle + [4.0, 0.0]
        xy[frame, list(legs.RIGHT_LEG)] = middle - [4.0, 0.0]


def test_per_frame_costs_keep_their_weight_per_second_above_the_rate_they_were_chosen_at():
    """Up to 100 poses a second a frame carries its whole cost; a 240 fps clip posed at
    120 a second, five sixths of it, so that a burst lasting as long costs as much."""
    assert legs.per_frame_share(np.arange(10) / 60.0) == 1.0
    assert legs.per_frame_share(np.arange(10) / 100.0) == 1.0
    assert legs.per_frame_share(np.arange(10) / 120.0) == pytest.approx(100 / 120)
    assert legs.per_frame_share(None) == 1.0
    assert legs.per_frame_share(_posed_times(61, 120.0, 1.2)) == pytest.approx(1.0)  # 100 a second
    assert legs.per_frame_share(_posed_times(61, 240.0, 1.6)) == pytest.approx(100 / 150)
    for fps in (240.0, 60.0):  # the same 0.1 s of legs drawn swapped, mid-swing, found
        pose = _gait(n=int(fps), fps=fps)
        stretch = (pose.time >= 0.4) & (pose.time < 0.5)
        found = legs.find_swaps(_swap(pose.xy, stretch), time=pose.time)
        assert np.array_equal(found, stretch)


def _posed_times(n, fps, every):
    """(n,) times of the frames posed `every` frames apart on average (1.2: five of six)."""
    return np.floor(np.arange(n) * every + 0.5) / fps


def test_grid_stamps_count_typical_steps_and_ignore_jitter():
    assert legs.grid_stamps(_posed_times(7, 120.0, 1.2), 7).tolist() == [0, 1, 2, 4, 5, 6, 7]
    assert legs.grid_stamps(_posed_times(7, 240.0, 2.4), 7).tolist() == [0, 1, 2.5, 3.5, 5, 6, 7]
    jitter = np.random.default_rng(1).uniform(-0.001, 0.001, 30) / 30
    assert legs.grid_stamps(np.arange(30) / 30 + jitter, 30).tolist() == list(range(30))
    assert legs.grid_stamps(None, 4).tolist() == [0, 1, 2, 3]
    assert legs.grid_stamps(np.array([0, 1, 1, 2, 3]) / 30, 5).tolist() == [0, 1, 1.5, 2.5, 3.5]


@pytest.mark.parametrize("every", [1.0, 1.2, 2.4])
def test_legs_moving_steadily_cost_nothing_however_the_poses_are_spaced(every):
    """The path cost is acceleration: legs gliding at a steady speed cost nothing on an
    uneven grid of poses too, where differences of frame-to-frame steps would charge the
    longer steps as if the legs had sped up. A jump costs its second divided difference
    in typical steps: its size on even steps, less across a longer step."""
    time = _posed_times(40, 240.0, every)
    xy = _gait(n=40).xy[:1].repeat(40, axis=0) + (300.0 * time)[:, None, None]
    stamps = legs.grid_stamps(time, 40)
    costs = legs._acceleration_costs(xy, stamps)
    assert np.abs(costs[2:, 0, 0, 0]).max() < 1e-9
    jumped = xy.copy()
    jumped[20:, INDEX["left_knee"], 0] += 10.0  # the knee jumps 10 px from frame 19 to 20
    costs = legs._acceleration_costs(jumped, stamps)[:, 0, 0, 0]
    before, jump, after = np.diff(stamps)[18:21]  # the jump's step and those either side
    weights = [2 / (jump * (before + jump)), 2 / (jump * (jump + after))]
    assert costs[20:22] == pytest.approx(10.0 * np.array(weights))
    assert every != 1.0 or costs[20:22].tolist() == [10.0, 10.0]


def test_single_glitched_frames_do_not_relabel_the_frames_between_them():
    pose = _held_split()
    xy = pose.xy.copy()
    _both_legs_between(xy, (15, 20))  # as MediaPipe sometimes draws them
    assert legs.glitches(xy, spike=0.3 * legs.torso_length(xy)).nonzero()[0].tolist() == [15, 20]
    assert not legs.find_swaps(xy, spike=0.3).any()
    assert legs.find_swaps(xy).any()  # the glitches would pull the frames between them


def test_two_glitched_frames_in_a_row_are_both_found():
    """Both legs drawn between the two for two frames running, as MediaPipe did on a sprint
    restarted mid-clip: the pair agree with each other, so each alone lies on the line
    between its neighbours; judged against the frames either side of the pair, both are
    off."""
    pose = _held_split()
    xy = pose.xy.copy()
    _both_legs_between(xy, (15, 16))
    assert legs.glitches(xy, spike=0.3 * legs.torso_length(xy)).nonzero()[0].tolist() == [15, 16]
    assert not legs.glitches(pose.xy, spike=0.3 * legs.torso_length(pose.xy)).any()


def test_one_knee_drawn_off_is_a_glitch():
    """The other nine leg points right: judged point by point, not on their mean."""
    pose = _held_split()
    xy = pose.xy.copy()
    xy[20, INDEX["right_knee"]] += [0.0, -0.5 * legs.torso_length(xy)]
    assert legs.glitches(xy, spike=0.3 * legs.torso_length(xy)).nonzero()[0].tolist() == [20]


def test_glitches_every_other_frame_are_found_and_the_frames_between_kept():
    """Both legs drawn between the two on frames 15, 17 and 19: the good frames 16 and
    18 are off the line between their glitched neighbours too, so the glitches are judged
    against frames 14 and 20, five frames away."""
    pose = _held_split()
    xy = pose.xy.copy()
    _both_legs_between(xy, (15, 17, 19))
    found = legs.glitches(xy, spike=0.3 * legs.torso_length(xy))
    assert found.nonzero()[0].tolist() == [15, 17, 19]


def _sprint(n=60, fps=100.0):
    """Legs swinging in antiphase at sprint range: thighs -20 to 100 deg at 1.6 Hz; the
    right thigh peaks at frame 16 (at 100 fps)."""
    t = np.arange(n) / fps
    phase = 2 * np.pi * 1.6 * t
    thigh = {"left": 40 - 60 * np.sin(phase), "right": 40 + 60 * np.sin(phase)}
    knee = {"left": 60 + 40 * np.cos(phase), "right": 60 - 40 * np.cos(phase)}
    return side_pose(t, trunk=np.full(n, 5.0), thigh=thigh, knee=knee)


def _lowered(pose, frames: list[int]) -> np.ndarray:
    """The pose's xy with the right leg drawn 60 deg lower (thigh 40, knee 60) on `frames`."""
    t, xy = pose.time, pose.xy.copy()
    drawn = side_pose(t, trunk=np.full(len(t), 5.0),
                      thigh={"left": np.zeros(len(t)), "right": 40 + 0 * t},
                      knee={"left": np.zeros(len(t)), "right": np.full(len(t), 60.0)})  # fmt: skip
    right = legs.below_hip("right")
    xy[np.ix_(frames, right)] = drawn.xy[np.ix_(frames, right)]
    return xy


def test_a_burst_of_lowered_knees_is_found_and_the_fast_swing_is_not():
    """At the top of the knee drive the right leg is drawn 60 deg lower on frames 12-14
    and 16-18 (as MediaPipe did on the train sprints): the wrong frames agree with each
    other, so no frame is off its neighbours' line, but the knee jumps away and back
    faster than any knee moves. All seven go, the lone frame between them included
    (MediaPipe's tracking draws legs wrong in runs; a lone frame is not worth keeping)."""
    pose = _sprint()
    assert not legs.bursts(pose.xy, pose.time).any()  # a real swing: at most 10 torso/s
    lowered, t = _lowered(pose, [12, 13, 14, 16, 17, 18]), pose.time
    assert legs.bursts(lowered, t).nonzero()[0].tolist() == list(range(12, 19))
    found = legs.glitches(lowered, spike=0.3 * legs.torso_length(lowered), time=t)
    assert found[12:19].all()
    assert not legs.find_swaps(lowered, spike=0.3, time=t).any()


def test_the_right_frames_between_two_short_bursts_stay():
    """Two wrong frames 7 frames apart (0.07 s at 100 fps, within BURST_S): the jump back
    after the first and the jump away before the second bound right frames, which stay
    (taking them cut the top of a train sprint's knee drive by 15-20 deg)."""
    pose = _sprint()
    lowered, t = _lowered(pose, [14, 21]), pose.time
    assert legs.bursts(lowered, t).nonzero()[0].tolist() == [14, 21]


def test_a_swapped_frame_is_not_a_glitch():
    pose = _gait()
    truth = np.zeros(len(pose), dtype=bool)
    truth[40] = True
    swapped = _swap(pose.xy, truth)
    assert not legs.glitches(swapped, spike=0.3 * legs.torso_length(swapped)).any()
    assert np.array_equal(legs.find_swaps(swapped, spike=0.3), truth)


def _hinge_seen(share: float, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """A hinge from the side, the legs side by side: the right (far) knee is seen, with
    good visibility, on the first `share` of the frames only."""
    pose = side_hinge(n)
    xy, vis = pose.xy.copy(), pose.visibility.copy()
    hidden = np.arange(n) >= round(share * n)
    xy[np.ix_(hidden, legs.below_hip("right"))] = np.nan
    vis[:, list(legs.RIGHT_LEG)] = 0.7
    return xy, vis


@pytest.mark.parametrize(("share", "hidden"), [(0.0, "right"), (0.25, "right"), (0.5, None)])
def test_a_far_leg_seen_in_under_a_third_of_the_frames_is_hidden(share, hidden):
    xy, vis = _hinge_seen(share)
    assert legs.hidden_far_leg(xy, vis) == hidden


def test_frames_without_the_hips_do_not_count_towards_the_far_leg_seen():
    xy, vis = _hinge_seen(0.25)
    xy[30:, [INDEX["left_hip"], INDEX["right_hip"]]] = np.nan  # the athlete lost halfway
    assert legs.hidden_far_leg(xy, vis) is None  # seen on half of the tracked frames


def test_below_hip_is_the_leg_from_the_knee_down():
    names = {INDEX[f"right_{p}"] for p in ("knee", "ankle", "heel", "foot_index")}
    assert set(legs.below_hip("right")) == names


def _clean(xy, vis):
    from movement_screen.core import CleanPose, Pose

    n = len(xy)
    pose = Pose(np.arange(n) / 30.0, xy, vis)
    flags = np.zeros(n, dtype=bool)
    return CleanPose(pose, np.zeros(vis.shape, dtype=bool), flags, flags, flags, 0, 6.0)


def test_a_hidden_far_leg_is_said_in_words_in_a_side_view_only():
    from movement_screen import screening
    from movement_screen.core import View

    clean = _clean(*_hinge_seen(0.0))
    (note,) = screening.far_leg_note(clean, View.SIDE)
    assert note.startswith("the right leg, the far one, is hidden behind the left leg")
    assert note.endswith("only the left leg is measured")
    assert screening.far_leg_note(clean, View.FRONT) == []
    assert screening.far_leg_note(_clean(*_hinge_seen(0.5)), View.SIDE) == []


def _depth_near_left(n: int) -> np.ndarray:
    """(n, 33) MediaPipe-like depth: the left leg nearer the camera than the right."""
    depth = np.zeros((n, 33))
    depth[:, legs.below_hip("left")] = -0.1
    depth[:, legs.below_hip("right")] = 0.1
    return depth


def _legs_apart(xy: np.ndarray) -> np.ndarray:
    """(T,) how far apart across the picture the two lower legs are, in torso lengths."""
    left, right = (xy[:, legs.below_hip(side), 0].mean(axis=1) for side in ("left", "right"))
    return np.abs(left - right) / legs.torso_length(xy)


def test_depth_says_swapped_where_the_near_leg_is_drawn_behind():
    depth = _depth_near_left(20)
    depth[5] *= -1  # this frame's labels put the near (left) leg behind
    costs = legs.depth_costs(depth)
    assert costs[5].tolist() == [legs.DEPTH_COST, 0.0]
    assert costs[6].tolist() == [0.0, legs.DEPTH_COST]


def test_depth_is_not_heard_where_the_legs_are_far_apart_across_the_picture():
    pose = _gait()
    apart = _legs_apart(pose.xy)
    wide, close = int(np.argmax(apart)), int(np.argmin(apart))
    assert apart[wide] >= legs.DEPTH_APART > apart[close]
    depth = _depth_near_left(len(pose))
    depth[[wide, close]] *= -1  # off square, a leg swung far forward can read nearer
    costs = legs.depth_costs(depth, pose.xy)
    assert costs[wide].tolist() == [0.0, 0.0]  # not heard
    assert costs[close].tolist() == [legs.DEPTH_COST, 0.0]  # heard: likely swapped
    assert np.array_equal(legs.depth_costs(depth)[wide], [legs.DEPTH_COST, 0.0])  # no xy


def test_depth_is_heard_at_any_gap_in_a_split_stance_held_through_the_clip():
    n = 40
    t = np.arange(n) / 30.0
    split = {"left": np.full(n, 60.0), "right": np.full(n, -25.0)}  # a lunge held low
    pose = side_pose(t, trunk=np.full(n, 5.0), thigh=split, knee=split)
    assert np.all(_legs_apart(pose.xy) >= legs.DEPTH_APART)  # never passing each other
    depth = _depth_near_left(n)
    depth[7] *= -1
    assert legs.depth_costs(depth, pose.xy)[7].tolist() == [legs.DEPTH_COST, 0.0]


def test_a_split_stance_held_through_the_clip_keeps_its_front_leg_in_front():
    """Someone passing in front hides a held lunge's legs for 4 frames (no path runs across
    them), then MediaPipe draws them exchanged to the end of the clip, its depth saying
    nothing either way. The leg in front on all the other frames is put back in front."""
    wrong = _swap(_held_split().xy, list(range(34, 40)))
    wrong[30:34, legs.LEFT_LEG + legs.RIGHT_LEG] = np.nan
    depth = _depth_near_left(len(wrong))
    depth[30:] = 0.0
    found = legs.find_swaps(wrong, depth)
    assert np.flatnonzero(found).tolist() == list(range(34, 40))


def test_a_held_stance_drawn_exchanged_on_long_stretches_keeps_its_front_leg():
    """MediaPipe exchanges a held lunge's legs on two bursts the paths show, and on a long
    stretch it enters and leaves through frames drawing both legs on one, where no path
    tells: 22 of 50 frames, so as drawn the front leg is in front on barely half. Once the
    first search has put the bursts right, it is in front on 71 %, and the stretch too is
    put back. Its depth says nothing either way."""
    exchanged = [*range(5, 9), *range(14, 18), *range(28, 42)]
    wrong = _swap(_held_split(n=50).xy, exchanged)
    for frame in (27, 42):
        wrong[frame, legs.RIGHT_LEG] = wrong[frame, legs.LEFT_LEG]
    ahead = legs._ahead(wrong)
    assert np.mean(ahead[np.abs(ahead) >= legs.DEPTH_APART] > 0) < 0.55
    found = legs.find_swaps(wrong, np.zeros((50, 33)))
    assert np.flatnonzero(found).tolist() == exchanged


def test_in_a_held_stance_no_path_runs_through_legs_drawn_together():
    """The same held lunge, its long stretch entered and left through frames drawing both
    legs midway between the two: as drawn, the legs then cross there as smoothly as
    running legs, which held legs cannot do. The stretch is put back all the same."""
    exchanged = [*range(5, 9), *range(14, 18), *range(28, 42)]
    wrong = _swap(_held_split(n=50).xy, exchanged)
    _both_legs_between(wrong, (27, 42))
    assert not legs.find_swaps(wrong)[28:42].any()  # the paths alone keep the crossing
    found = legs.find_swaps(wrong, np.zeros((50, 33)))
    assert np.flatnonzero(found).tolist() == exchanged


def test_the_held_stance_is_not_heard_where_the_legs_take_turns_or_stay_together():
    assert not legs.stance_costs(_gait().xy).any()
    assert not legs.stance_costs(side_hinge().xy).any()
    costs = legs.stance_costs(_swap(_held_split().xy, [5]))
    assert costs[5].tolist() == [legs.STANCE_COST, 0.0]
    assert costs[6].tolist() == [0.0, legs.STANCE_COST]


def _looks(n: int, frames: list[int], says: int) -> np.ndarray:
    """(n,) second looks: `says` (+1 the labels as drawn, -1 the other way) on `frames`."""
    looks = np.zeros(n, np.int8)
    looks[frames] = says
    return looks


def test_a_held_stance_drawn_mirrored_throughout_is_turned_round_by_the_looks():
    """MediaPipe draws a whole held lunge with the legs the other way round, its depth
    following its labels: no path and no depth can tell. Six looks at frames alone, one
    of them wrong, put the front leg on the other side: every frame is turned round."""
    n = 40
    mirrored = _swap(_held_split(n=n).xy, list(range(n)))
    depth = _depth_near_left(n)[:, legs.swap_permutation()]  # depth follows the labels
    frames = [2, 9, 16, 23, 30, 37]
    looks = _looks(n, frames, -1)
    looks[16] = 1  # one look is wrong
    assert not legs.swaps_and_doubt(mirrored, depth)[0].any()  # without looks: kept
    swapped, _ = legs.swaps_and_doubt(mirrored, depth, looks=looks)
    assert swapped.all()
    agreeing = legs.swaps_and_doubt(mirrored, depth, looks=_looks(n, frames, 1))[0]
    assert not agreeing.any()


@pytest.mark.parametrize(
    "against, looked",
    [(4, 6), (3, 5)],  # 2/3 of the looks against the labels: turned; 3 of 5: not
)
def test_the_looks_turn_a_held_stance_only_when_enough_of_them_agree(against, looked):
    n = 40
    xy = _held_split(n=n).xy
    frames = list(range(0, 4 * looked, 4))
    looks = _looks(n, frames, 1)
    looks[frames[:against]] = -1
    turned = legs.turned_by_looks(xy, np.zeros(n, dtype=bool), looks)
    assert turned == (against / looked >= legs.STANCE_HELD)
    few = _looks(n, frames[: legs.LOOKS_MIN - 1], -1)
    assert not legs.turned_by_looks(xy, np.zeros(n, dtype=bool), few)


def test_the_looks_turn_no_clip_whose_legs_take_turns_or_stay_together():
    for pose in (_gait(), side_hinge()):
        looks = _looks(len(pose), list(range(0, len(pose), 3)), -1)
        assert not legs.turned_by_looks(pose.xy, np.zeros(len(pose), dtype=bool), looks)
    assert not legs.turned_by_looks(_held_split().xy, np.zeros(40, dtype=bool), None)


def test_the_swap_margins_agree_with_the_search_and_are_wide_on_clear_legs():
    pose = _gait()
    truth = np.zeros(len(pose), dtype=bool)
    truth[40:48] = True
    xy = _swap(pose.xy, truth)
    margins = legs.swap_margins(xy)
    assert margins.shape == (len(pose),)
    assert margins.min() > legs.DOUBT_MARGIN  # a swapped burst is found, not doubted
    swapped, doubt = legs.swaps_and_doubt(xy, time=pose.time)  # one search, the same labels
    assert np.array_equal(swapped, legs.find_swaps(xy)) and not doubt.any()


def test_a_few_frames_seen_between_losses_of_the_athlete_are_in_doubt():
    """Tracked for two frames between two losses: no path to check their leg labels
    against, so relabelling them costs only the prior. Eight frames have a path."""
    pose = _gait(n=150)
    xy = pose.xy.copy()
    for lost in (slice(30, 50), slice(52, 70), slice(100, 110), slice(118, 130)):
        xy[lost] = np.nan
    margins = legs.swap_margins(xy)
    assert np.allclose(margins[[50, 51]], legs.SWAP_PRIOR)  # a frame alone: only the prior
    assert margins[110:118].min() > legs.DOUBT_MARGIN
    doubt = legs.swaps_and_doubt(xy, time=pose.time)[1]
    assert np.flatnonzero(doubt).tolist() == [50, 51]  # lost frames: nothing drawn to doubt


def test_legs_together_are_not_in_doubt():
    """Side by side (a hinge seen from the side), either labelling measures the same."""
    pose = side_hinge(60)
    assert np.allclose(legs.swap_margins(pose.xy), legs.SWAP_PRIOR)
    assert not legs.swaps_and_doubt(pose.xy, time=pose.time)[1].any()


def _half_stride_apart(pose) -> list[int]:
    """The frames of one half-stride mid-clip (knee crossing to knee crossing) whose legs
    are DEPTH_APART or more apart across the picture."""
    ahead = legs._ahead(pose.xy)
    crossings = np.flatnonzero(np.diff(np.sign(ahead)) != 0)
    start, stop = crossings[len(crossings) // 2 : len(crossings) // 2 + 2] + 1
    return [i for i in range(start, stop) if abs(ahead[i]) >= legs.DEPTH_APART]


def test_legs_that_take_turns_repeat_every_stride():
    pose = _gait(n=120)  # 1.5 strides a second at 30 fps: 20 frames a stride
    ahead = legs._ahead(pose.xy)
    assert periodic.alternation_lag(ahead, pose.time, least=legs.PERIODIC) == 20
    held = legs._ahead(_held_split(n=120).xy)
    assert periodic.alternation_lag(held, pose.time, least=legs.PERIODIC) is None
    short = _gait(n=30)  # a stride and a half: two strides are not seen
    assert periodic.alternation_lag(legs._ahead(short.xy), short.time, least=legs.PERIODIC) is None
    unseen = np.full(120, np.nan)
    assert periodic.alternation_lag(unseen, pose.time, least=legs.PERIODIC) is None


def test_the_leg_in_front_a_stride_before_and_after_says_which_leg_is_in_front():
    """Half a stride drawn exchanged: there the legs a stride before and after put the
    other leg in front, so keeping the labels costs PERIOD_COST; a frame a stride away
    from it is not told (the two strides around it disagree), nor is any other."""
    pose = _gait(n=120)
    stretch = _half_stride_apart(pose)
    wrong = _swap(pose.xy, stretch)
    costs = legs.period_costs(wrong, np.zeros(len(pose), dtype=bool), pose.time)
    assert costs[stretch].tolist() == [[legs.PERIOD_COST, 0.0]] * len(stretch)
    others = np.setdiff1d(np.arange(len(pose)), stretch)
    assert not costs[others, 0].any()  # no labels kept elsewhere are said wrong
    assert costs[[i + 20 for i in stretch] + [i - 20 for i in stretch]].sum() == 0
    assert not legs.period_costs(wrong, np.zeros(len(pose), dtype=bool), None).any()


def test_half_a_stride_exchanged_between_two_gaps_is_put_back_by_the_strides_around_it():
    """MediaPipe loses the legs for three frames either side of half a stride it then draws
    exchanged: no path runs across the gaps, so only the prior (keep MediaPipe's labels)
    and the strides before and after speak. Seen from the side (depth given), the strides
    win; without the time between frames there is no stride to read, and the labels stay."""
    pose = _gait(n=120)
    stretch = _half_stride_apart(pose)
    wrong = _swap(pose.xy, stretch)
    for gap in (range(stretch[0] - 3, stretch[0]), range(stretch[-1] + 1, stretch[-1] + 4)):
        wrong[np.ix_(list(gap), legs.LEFT_LEG + legs.RIGHT_LEG)] = np.nan
    depth = np.zeros((len(pose), 33))
    assert not legs.find_swaps(wrong, depth).any()
    found = legs.find_swaps(wrong, depth, time=pose.time)
    assert np.flatnonzero(found).tolist() == stretch


def test_a_burst_of_swapped_legs_between_glitched_frames_is_put_back():
    """MediaPipe at 240 fps (posed at 120 a second) swapped the legs for frames 20-30 of a
    stride with a half-drawn frame at each end (the right knee drawn lower): the search
    bridges those two over, and a bridge from the right labels to the swapped ones would
    hide the burst's jumps (a train sprint kept such bursts). Bridged as one labelling,
    the burst is put back, and each glitched frame keeps the labels of the legs drawn
    there, nearer the path the search chose."""
    pose = _sprint(n=72, fps=120.0)
    burst = np.zeros(len(pose), dtype=bool)
    burst[20:31] = True
    drawn = _lowered(pose, [19, 31])
    drawn = _swap(drawn, burst)
    t = pose.time
    glitched = legs.glitches(drawn, spike=0.3 * legs.torso_length(drawn), time=t)
    assert glitched[[19, 31]].all() and not glitched[burst].any()
    assert np.array_equal(legs.find_swaps(drawn, spike=0.3, time=t), burst)

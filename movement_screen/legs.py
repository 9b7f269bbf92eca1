"""Leg identity: undo MediaPipe's left-right leg swaps, and say when the far leg is doubtful.

In side views MediaPipe often swaps the legs for a few frames or draws both on
one. A swap makes each leg's path jump; a real crossing keeps both smooth. So
the labelling of every frame (kept or swapped) is chosen by dynamic programming
to make both legs' paths the smoothest (least acceleration), with a cost for
every frame that disagrees with MediaPipe, so that its labels stand where the
paths cannot tell.

Arrays: xy (T, 33, 2) pixels, y up, NaN where missing; time is axis 0.
"""

from __future__ import annotations

import numpy as np

from movement_screen import finite, periodic
from movement_screen.core import runs, sampling_rate
from movement_screen.landmarks import (
    INDEX,
    LEFT_LEG,
    LEG_PARTS,
    N_LANDMARKS,
    RIGHT_LEG,
    swap_sides,
)

# Cost of overruling MediaPipe for one frame, in torso lengths. Relabelling a whole
# stretch changes the legs' acceleration only at its ends, so without a real cost
# per frame a small gain there would relabel long stretches MediaPipe had right
# (measured on the synthetic sprints: 0.1 gave 17-37 deg thigh errors, 0.5-2 gave 2-3).
SWAP_PRIOR = 0.5
# The per-frame costs (the prior, the depth and stance cues) were chosen on clips posed at
# 24-100 frames a second. Above that a burst of wrong legs lasting as long holds more
# frames, so it would cost more to relabel, while the jumps at its ends cost as much: at
# 240 fps (posed at 120 a second) two train sprints kept 8 and 12 % of their frames' legs
# swapped, against 1 % and 0.7 % drawn at 100 and 60 fps. Above TUNED_RATE the costs are
# scaled to one frame at it (`per_frame_share`); at and below it nothing changes.
TUNED_RATE = 100.0
DEPTH_COST = 1.0  # cost (torso lengths) of a labelling that puts the near leg behind the far one
DEPTH_MIN = 0.02  # MediaPipe depth difference below this says nothing about which leg is near
# In a clip whose legs pass each other, the depth cue is not heard where the feet and knees
# are this far apart across the picture (torso lengths). On the train side views filmed
# 15-25 degrees off square, it disagreed with right labels on 16 % of the frames with the
# knees over 0.6 torso lengths apart, against 0-3 % nearer (2 % at any gap filmed square).
DEPTH_APART = 0.5
# The legs pass each other when they are under DEPTH_APART apart on at least this share of
# frames (train gaits 0.20-0.32). A split stance held through the clip (train side lunges
# 0.01-0.06) keeps one leg in front, so the depth's forward part is the same all along and
# the clip's near side takes it in; there the depth at the bottom is what puts MediaPipe's
# swapped lunges right (one 48 % wrong raw: 3 % with it heard, 49 % without). Chosen on
# train (DEPTH_APART 0.4-0.8 and PASSING 0.1-0.2 alike): knee labels wrong 5.6 % of judged
# frames -> 5.0 % on the train side views, 8 clips better, none worse; 0.09 % on 56 more
# train side lunges, as before.
PASSING = 0.12
# In a split stance held through the clip, the leg in front on at least this share of the
# frames with the legs apart is the front leg; a labelling putting it behind costs
# STANCE_COST. MediaPipe's depth can follow its swapped labels or say nothing where someone
# passes in front. The share is read from the labels of a first search without this cue:
# legs that never pass each other cannot change which is in front, but MediaPipe can
# exchange them on long stretches, joined through frames where it draws both legs
# together (where no path tells). Chosen on train: on 147 saved side-view tracks two
# crowded lunges gain (knee labels wrong on 9 -> 1 and 3 -> 0 frames, thigh MAE 8.0/9.0
# -> 4.1/3.8 and 3.8/3.3 -> 3.2/1.4 deg), the same at 0.75 and 0.9, a third 0.1-0.9 deg.
# On 40 more train side lunges (seeds 130000-130039), one held stance drawn exchanged on
# 44 % of its frames (front share 0.56 as drawn, 0.73 after the first search): knee labels
# wrong on 30 % of its frames at 0.75, 1.7 % at 0.55 and 2/3 (thigh MAE 28/30 -> 4.4/8.9
# deg); of the other 175 saved train tracks one moves by 0.1 deg or less. 2/3 leaves
# without the cue a lunge whose legs take turns but are seldom seen together (each leg
# in front about half the time).
STANCE_HELD = 2 / 3
STANCE_COST = 1.0  # as DEPTH_COST
# Legs that take turns in front (running, walking) repeat every stride: the leg in front
# one stride before and one stride after a frame is the leg in front at it. Where both
# are known they must agree (near the ends of the track one is enough), and the legs must
# be at least DEPTH_APART apart at each frame heard; a labelling that puts the other leg
# in front then costs PERIOD_COST. The stride is read from the labels of a first search
# (`periodic.alternation_lag`, correlation at least PERIODIC); MediaPipe's swaps come in
# bursts a few frames long, seldom a stride apart, so the frames either side tell where
# the first search kept a burst that the legs' smoothness could not. Chosen on saved
# tracks of the train and train-crowd side views: knee labels wrong 1.1 -> 0.7 % and
# 1.0 -> 0.4 % of judged frames, 7 crowded sprints better, none worse in labels (one
# measures 18 frames it had left in doubt, thigh MAE +0.5-0.8 deg); PERIOD_COST 0.5 left
# two sprints' half-strides wrong, 2.0 put two worse; PERIODIC 0.3 alike, 0.7 missed one.
PERIODIC = 0.5
PERIOD_COST = 1.0  # as DEPTH_COST
# The looks at frames alone that may turn a held stance's labels round (`turned_by_looks`).
LOOKS_MIN = 5
# In such a clip no path runs through a frame with the legs drawn together (`_cut_at`):
# held legs cannot cross, and as drawn there they would cross as smoothly as running legs.
# Chosen on train (the 176 saved tracks above): knee labels wrong 3.8 -> 1.0 %, 6.5 -> 0 %,
# 3.3 -> 0 % and 2.2 -> 1.5 % of frames on four lunges (three crowded), thigh MAE better
# by 0.3-4.1 deg on eight; worse on one crowded lunge (thigh 2.0/2.6 -> 2.9/3.5, knee
# 1.4/6.4 -> 3.4/9.0 deg: two frames between legs drawn together and a glitch keep their
# exchanged labels). Then on 40 more train side lunges (seeds 130040-130079): no frame
# wrong with it or without, one clip within 0.3 deg.
# A stretch of frames whose labels the search would change for less than DOUBT_MARGIN
# (torso lengths of cost) and that lasts DOUBT_S seconds or more is in doubt: its legs
# are not measured (a wrong side is the worst answer). Shorter stretches are the legs
# passing each other, where the cues are weak by nature and the fill between frames
# would be worse than the labels. On the train clips: 34 frames of 12 crowded clips, 27
# of them within 3 frames of one where the athlete was lost (no path on that side to
# check their labels against).
# Chosen on train (saved tracks of the 64 side-view clips; 1-4 and 0.1 or 0.2 s tried):
# knee labels wrong 1.2 % -> 1.1 % of judged frames, correction never worse than raw on
# 43 -> 44 of 44 clips, thigh within 3 deg on 20 -> 21 clips, hip 8 -> 9; only crowded
# clips change. A margin of 3 lost two recognised lunges; marking stretches under 0.2 s
# and filling them broke clean sprints.
DOUBT_MARGIN = 2.0
DOUBT_S = 0.2
MIN_STEP = 0.5  # typical steps: the least time between two poses the swap search reads
OVERLAP = 0.12  # knees and ankles closer than this (torso lengths) cannot be told apart
_LEGS = np.array(LEFT_LEG + RIGHT_LEG)
_SWAPPED_LEGS = np.array(RIGHT_LEG + LEFT_LEG)
_SWAP_ORDER = np.r_[len(LEFT_LEG) : 2 * len(LEFT_LEG), 0 : len(LEFT_LEG)]  # within _LEGS
# A glitch's legs are put on the line between the nearest good frames for the search
# (`_bridge`). Where those two are drawn with the legs the other way round, a line from one
# labelling to the other hides the jumps at the ends of a burst of swapped legs, and keeping
# the burst costs nothing: a 240 fps train sprint kept MediaPipe's bursts of 6-11 wrong
# frames through its swings that way, entering and leaving through a frame drawn half
# wrong. Across a gap of BRIDGED_AS_ONE frames or fewer the line runs between the same legs,
# so a change of labels there costs its jump. Over a longer gap MediaPipe may have put its
# labels right within it (a crowded train sprint's six glitched frames: bridged as one,
# the wrong labels before them were kept for 11 frames after). Chosen on train (saved
# tracks of the 64 side views): knee labels wrong on 142 -> 32 of 9,792 judged frames at 2-5
# frames alike (50 at 1; with any gap bridged so, 92 and the crowded sprint 0 -> 16), no
# clip worse than raw, the "even sides" cue gone from the two steady sprints that had it;
# each glitch's labels then read off the search's path (`_settled`): 73 without.
BRIDGED_AS_ONE = 3
# Frames: a glitch is judged against good frames at most this far away. MediaPipe's
# tracking mode carries a wrong leg from frame to frame, so its glitches come in runs of
# frames, not of seconds. Chosen on the one-person train side clips (3 -> 5 put a 30 fps
# lunge's first frames right, 5-12 alike).
GLITCH_RUN = 8
# A knee moving faster than this across the picture, relative to the hip midpoint (torso
# lengths per second), has been drawn somewhere else: the fastest knee of the train clips'
# truth moves 11.8, a sprinter's thigh at 1000 deg/s about 15. Where a knee jumps away and
# back within BURST_S, the frames between are a burst of wrong legs that agree with each
# other (MediaPipe drawing a high knee lowered for a few frames running). Chosen on the
# one-person train side clips: 30-40 alike; 20-25 also took right frames of a sprint and
# gave it an asymmetry cue.
KNEE_SPEED_MAX = 30.0
BURST_S = 0.1  # seconds (0.05-0.2 alike on train)
# Frames between two bursts that a knee could have reached from before them stay when
# there are this many or more (a lone frame between two bursts goes with them): taking
# five right frames between two wrong ones cut a train sprint's knee drive by 15-20 deg.
SETTLED_FRAMES = 3
_KNEES = np.array([INDEX["left_knee"], INDEX["right_knee"]])
# The points a glitch is judged on: within _LEGS, the knees and ankles, which the angles
# use (the heel and toe points are the noisiest), each on its own, so that one knee drawn
# far off counts even where the other points are right.
_JUDGED = np.array([k for k, i in enumerate(_LEGS) if i in _KNEES or i in
                    (INDEX["left_ankle"], INDEX["right_ankle"])])  # fmt: skip
# A far knee seen on less than this share of the frames the hips are tracked on is hidden
# behind the near leg nearly all the time (a hinge or a squat from the side, the feet side
# by side). On the train clips the far knee of such legs was seen on 0-27 % of the frames
# and the points offered for it were mostly off the leg (111 of 141 judged frames, often on
# someone beside the athlete); every leg seen more (48 % and up) was mostly right.
FAR_SEEN_MIN = 1 / 3


def _midpoint(xy: np.ndarray, part: str) -> np.ndarray:
    """(T, 2) the midpoint of the left and right `part` (hip, shoulder)."""
    return (xy[:, INDEX[f"left_{part}"]] + xy[:, INDEX[f"right_{part}"]]) / 2


def torso_length(xy: np.ndarray) -> float:
    """Median distance from the hip midpoint to the shoulder midpoint, pixels."""
    lengths = np.linalg.norm(_midpoint(xy, "shoulder") - _midpoint(xy, "hip"), axis=1)
    return float(np.nanmedian(lengths)) if np.isfinite(lengths).any() else 1.0


def swap_permutation() -> np.ndarray:
    """(33,) landmark order that exchanges the legs' landmarks and keeps the rest."""
    order = np.arange(N_LANDMARKS)
    leg_set = set(LEFT_LEG + RIGHT_LEG)
    for i in leg_set:
        order[i] = swap_sides(i)
    return order


def _acceleration_costs(xy: np.ndarray, stamps: np.ndarray) -> np.ndarray:
    """(T, 2, 2, 2) cost of labellings (a, b, c) at frames t-2, t-1, t (0 kept, 1 swapped):
    the legs' acceleration in pixels per typical step squared (`grid_stamps`). On even
    steps that is c - 2b + a; where steps differ (pose run on 5 of every 6 frames, say)
    a leg moving steadily costs nothing, as it does on even ones."""
    legs = np.stack([xy[:, _LEGS], xy[:, _SWAPPED_LEGS]], axis=1)  # (T, 2, 10, 2)
    t = xy.shape[0]
    costs = np.zeros((t, 2, 2, 2))
    if t < 3:
        return costs
    a = legs[:-2, :, None, None]
    b = legs[1:-1, None, :, None]
    c = legs[2:, None, None, :]
    steps = np.diff(stamps)
    before, after = steps[:-1], steps[1:]
    w_a, w_c = (2 / (step * (before + after)) for step in (before, after))
    w_a, w_c = (w.reshape(-1, 1, 1, 1, 1, 1) for w in (w_a, w_c))
    accel = np.linalg.norm(w_c * c - (w_a + w_c) * b + w_a * a, axis=-1)  # (T-2, 2, 2, 2, 10)
    costs[2:] = np.nansum(accel, axis=-1)
    return costs


def grid_stamps(time: np.ndarray | None, count: int) -> np.ndarray:
    """(T,) where each of `count` frames lies, in typical steps (the median) from the
    first: 0, 1, 2, ... on even steps (or without `time`), 0, 1, 2, 4, 5, ... where pose
    ran on 5 of every 6 frames. Each step rounded to a hundredth, so that the jitter of a
    steady clip's times changes nothing, and at least MIN_STEP (two frames of one time in
    a damaged file stay apart)."""
    if time is None or count < 2:
        return np.arange(count, dtype=float)
    steps = np.maximum(np.round(np.diff(time) * sampling_rate(time), 2), MIN_STEP)
    return np.concatenate([[0.0], np.cumsum(steps)])


def labels_disagree(a: np.ndarray, b: np.ndarray) -> bool:
    """Do two (33, 2) landmark sets of the same person put the legs the other way round?"""
    kept = np.nansum(np.linalg.norm(a[_LEGS] - b[_LEGS], axis=-1))
    swapped = np.nansum(np.linalg.norm(a[_LEGS] - b[_SWAPPED_LEGS], axis=-1))
    return bool(swapped < kept)


def depth_costs(depth: np.ndarray, xy: np.ndarray | None = None) -> np.ndarray:
    """(T, 2) cost of keeping (0) or swapping (1) each frame's legs, from MediaPipe's depth.

    Seen from the side, one leg is always the near one. Which side is near is
    read from the whole clip (the median depth difference); a frame whose
    labels put that leg behind the other is likely swapped. Zero without depth.

    With `xy` (T, 33, 2), in a clip whose legs pass each other (PASSING), the cue is
    heard only where the feet and knees are less than DEPTH_APART torso lengths apart
    across the picture: filmed off square, a leg swung far forward is also nearer the
    camera (or farther), by more than the legs are apart side to side, and there the
    depth disagreed with labels that were right.
    """
    if not np.isfinite(depth).any():
        return np.zeros((depth.shape[0], 2))
    with np.errstate(invalid="ignore"):
        diff = _left_minus_right(depth)
        near_left = finite.median(diff) < 0
        sure = np.abs(diff) > DEPTH_MIN
        if xy is not None:
            apart = np.abs(_ahead(xy))
            if _legs_pass(apart):
                sure &= ~(apart >= DEPTH_APART)
    return _label_costs(sure, (diff < 0) == near_left, DEPTH_COST)


def stance_costs(xy: np.ndarray, swapped: np.ndarray | None = None) -> np.ndarray:
    """(T, 2) cost of keeping (0) or swapping (1) each frame's legs in a split stance held
    through the clip (the legs apart across the picture on all but PASSING of the frames,
    so they never pass each other): a labelling that puts behind the leg in front on at
    least STANCE_HELD of those frames is likely swapped. Which leg that is, is read with
    the frames' labels exchanged where `swapped` (T,) bool says (a first search's answer).
    Zero in any other clip."""
    none = np.zeros((xy.shape[0], 2))
    ahead, apart = _held_stance(xy)
    if apart is None:
        return none
    labelled = ahead if swapped is None else np.where(swapped, -ahead, ahead)
    left_front = np.mean(labelled[apart] > 0)
    if max(left_front, 1 - left_front) < STANCE_HELD:
        return none
    return _label_costs(apart, (ahead > 0) == (left_front > 0.5), STANCE_COST)


def _held_stance(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """`_ahead` of the legs (T,), and (T,) bool the frames with the legs apart across the
    picture in a split stance held through the clip (None in any other clip: the legs pass
    each other, or are apart on fewer than 10 frames)."""
    with np.errstate(invalid="ignore"):
        ahead = _ahead(xy)
        distance = np.abs(ahead)
        apart = distance >= DEPTH_APART
    if _legs_pass(distance) or apart.sum() < 10:
        return ahead, None
    return ahead, apart


def period_costs(xy: np.ndarray, swapped: np.ndarray, time: np.ndarray | None) -> np.ndarray:
    """(T, 2) cost of keeping (0) or swapping (1) each frame's legs where the legs take
    turns in front: PERIOD_COST on the labelling that disagrees with the leg in front one
    stride before and after (see PERIOD_COST), read with the frames' labels exchanged where
    `swapped` (T,) bool says. Zero where the legs do not repeat so, or without `time`."""
    none = np.zeros((xy.shape[0], 2))
    if time is None:
        return none
    ahead = _ahead(xy)
    labelled = np.where(swapped, -ahead, ahead)
    lag = periodic.alternation_lag(labelled, time, least=PERIODIC)
    if lag is None:
        return none
    with np.errstate(invalid="ignore"):
        sides = np.where(np.abs(labelled) >= DEPTH_APART, np.sign(labelled), np.nan)
    before, after = np.full_like(sides, np.nan), np.full_like(sides, np.nan)
    before[lag:], after[:-lag] = sides[:-lag], sides[lag:]
    expected = np.where(np.isfinite(before), before, after)
    told = np.isfinite(expected) & ~(before == -after) & (np.abs(ahead) >= DEPTH_APART)
    return _label_costs(told, (ahead > 0) == (expected > 0), PERIOD_COST)


def turned_by_looks(xy: np.ndarray, swapped: np.ndarray, looks: np.ndarray | None) -> bool:
    """In a split stance held through the clip, do the second looks (`Track.looks`, (T,)
    +1/-1/0 against the labels of `xy`) put the front leg on the other side from the
    labels exchanged where `swapped` (T,) says: on at least STANCE_HELD of the frames with
    the legs apart that were looked at, and at least LOOKS_MIN of them?

    Held legs never pass each other, so no path tells which is which: the search keeps
    MediaPipe's, and its depth follows its labels. In video mode MediaPipe can draw a
    whole clip mirrored; a look at a frame alone is wrong on a frame here and there, each
    on its own."""
    if looks is None:
        return False
    ahead, apart = _held_stance(xy)
    if apart is None:
        return False
    judged = apart & (looks != 0)
    if judged.sum() < LOOKS_MIN:
        return False
    labelled = np.where(swapped, -ahead, ahead)[judged] > 0
    looked = (ahead * looks)[judged] > 0
    return bool(np.mean(labelled != looked) >= STANCE_HELD)


def _label_costs(heard: np.ndarray, agrees: np.ndarray, cost: float) -> np.ndarray:
    """(T, 2) a cue's cost of keeping (0) or swapping (1) each frame's legs: `cost` on the
    labelling it disagrees with, on the frames where it is `heard` (T,) bool; `agrees`
    (T,) bool: the labels as given agree with it."""
    costs = np.zeros((len(heard), 2))
    costs[heard & ~agrees, 0] = cost
    costs[heard & agrees, 1] = cost
    return costs


def _ahead(xy: np.ndarray) -> np.ndarray:
    """(T,) how far the left lower leg is to the right of the right one across the picture
    (T, 33, 2), in torso lengths (NaN where one is not seen)."""
    return _left_minus_right(xy[..., 0]) / torso_length(xy)


def _legs_pass(apart: np.ndarray) -> bool:
    """Do the legs pass each other in the clip: `apart` (T,) under DEPTH_APART torso lengths
    on at least PASSING of the frames?"""
    return bool(np.mean(apart < DEPTH_APART) >= PASSING)


def _left_minus_right(values: np.ndarray) -> np.ndarray:
    """(T,) the mean of (T, 33) `values` over the left knee, ankle, heel and toe, minus
    the right's."""
    left, right = (finite.mean(values[:, below_hip(side)], axis=1) for side in ("left", "right"))
    return left - right


def _worst(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N,) the largest distance between two sets of leg points (N, 10, 2), over the judged
    ones (NaN where none is seen in both)."""
    return finite.maximum(np.linalg.norm(a[:, _JUDGED] - b[:, _JUDGED], axis=-1), axis=1)


def _off(legs_now: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """(N,) how far frames' leg points (N, 10, 2) sit from `expected`, the nearer labelling."""
    return np.fmin(_worst(legs_now, expected), _worst(legs_now[:, _SWAP_ORDER], expected))


def glitches(xy: np.ndarray, *, spike: float, time: np.ndarray | None = None) -> np.ndarray:
    """(T,) bool: frames whose legs MediaPipe drew off their path.

    A frame whose knee or ankle sits more than `spike` pixels off the line between the
    nearest good frames, under either labelling (both legs drawn on one, say), while
    those frames agree with each other. A swapped frame is not a glitch. Candidates are
    first judged against their two neighbours, or, where both frames of a pair lie off
    the line across it, as one of two glitched frames in a row; then again against the
    nearest non-candidates (up to GLITCH_RUN frames away), so that a good frame between
    two glitches is not taken for one. With `time` (T,) seconds, the frames of a burst
    (`bursts`) too."""
    t = xy.shape[0]
    out = np.zeros(t, dtype=bool)
    legs = xy[:, _LEGS]
    stamps = grid_stamps(time, t)
    candidates = np.flatnonzero(_candidates(legs, spike, stamps))
    bad = set(candidates.tolist())
    for i in candidates:
        before = [j for j in range(i - 1, max(i - GLITCH_RUN, 0) - 1, -1) if j not in bad]
        after = [j for j in range(i + 1, min(i + GLITCH_RUN, t - 1) + 1) if j not in bad]
        off = before and after and _is_off(legs, [i], [before[0]], [after[0]], spike, stamps)[0]
        out[i] = bool(off)
    if time is not None:
        out |= bursts(xy, time, known=out)
    return out


def bursts(xy: np.ndarray, time: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """(T,) bool: the frames between two jumps of a knee (faster than KNEE_SPEED_MAX,
    relative to the hip midpoint, under the nearer labelling) less than BURST_S apart,
    but for a stretch of SETTLED_FRAMES or more whose jump in came back toward the last
    frame before the jumps began, from where a knee could have reached it. Frames
    already `known` (T,) to be glitches are stepped over."""
    out = np.zeros(xy.shape[0], dtype=bool)
    frames = np.flatnonzero(~known) if known is not None else np.arange(xy.shape[0])
    if len(frames) < 3:
        return out
    knees = xy[:, _KNEES] - _midpoint(xy, "hip")[:, None]  # (T, 2, 2)
    scale = torso_length(xy)

    def step(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # from frames a to frames b
        steps = [np.linalg.norm(knees[b] - knees[a][:, order], axis=-1).max(axis=1)
                 for order in ([0, 1], [1, 0])]  # fmt: skip
        return np.fmin(*steps) / scale

    def came_back(anchor: int, start: int) -> bool:  # positions in `frames`
        a, s, before = frames[[anchor]], frames[[start]], frames[[start - 1]]
        moved = step(a, s)[0]
        fast = moved / (time[s[0]] - time[a[0]]) > KNEE_SPEED_MAX
        return bool(not fast and moved < step(a, before)[0])

    speeds = step(frames[:-1], frames[1:]) / np.diff(time[frames])
    jumps = np.flatnonzero(speeds > KNEE_SPEED_MAX) + 1
    anchor = None  # the last good frame before the jumps began (positions in `frames`)
    for start, stop in zip(jumps[:-1], jumps[1:], strict=True):
        if time[frames[stop]] - time[frames[start]] > BURST_S + 1e-9:
            anchor = None
            continue
        anchor = start - 1 if anchor is None else anchor
        if stop - start >= SETTLED_FRAMES and came_back(anchor, start):
            anchor = stop - 1
        else:
            out[frames[start] : frames[stop]] = True
    return out


def _candidates(legs: np.ndarray, spike: float, stamps: np.ndarray) -> np.ndarray:
    """(T,) bool: frames off the line between their two neighbours, or one of a pair
    (i, i + 1) or (i - 1, i) both off the line across the pair (`stamps`: `grid_stamps`)."""
    t = legs.shape[0]
    out = np.zeros(t, dtype=bool)
    i = np.arange(1, t - 1)
    out[i] = _is_off(legs, i, i - 1, i + 1, spike, stamps)
    first = np.arange(1, t - 2)  # the pairs (first, first + 1)
    pair = _is_off(legs, first, first - 1, first + 2, spike, stamps)
    pair &= _is_off(legs, first + 1, first - 1, first + 2, spike, stamps)
    out[first] |= pair
    out[first + 1] |= pair
    return out


Frames = np.ndarray | list[int]  # frame indices, one per judged frame


def _is_off(
    legs: np.ndarray, i: Frames, before: Frames, after: Frames, spike: float, stamps: np.ndarray
) -> np.ndarray:
    """(N,) bool: frames `i` whose legs sit more than `spike` off the line from frames
    `before` to `after` (index arrays), while those two agree better than that."""
    i, before, after = (np.asarray(k) for k in (i, before, after))
    off = _off(legs[i], _between(legs, stamps, i, before, after))
    return (off > spike) & (_worst(legs[after], legs[before]) < off)


def _between(
    legs: np.ndarray, stamps: np.ndarray, i: Frames, before: Frames, after: Frames
) -> np.ndarray:
    """The leg points at frames i on the straight lines from frames `before` to `after`,
    as far along as their `stamps` (`grid_stamps`) are."""
    share = np.reshape(_share(stamps, i, before, after), (-1, 1, 1))
    return _on_line(legs[before], legs[after], share)


def _share(stamps: np.ndarray, i: Frames, before: Frames, after: Frames) -> np.ndarray | float:
    """How far frames i lie from frames `before` to `after` by their `stamps`."""
    return (stamps[i] - stamps[before]) / (stamps[after] - stamps[before])


def _on_line(start: np.ndarray, end: np.ndarray, share: np.ndarray | float) -> np.ndarray:
    """The points `share` of the way from `start` to `end` (0: start, 1: end)."""
    return start + share * (end - start)


def _bridge(xy: np.ndarray, bad: np.ndarray, stamps: np.ndarray) -> np.ndarray:
    """A copy of xy with the legs of `bad` frames on the line between the nearest good ones:
    between the same legs where the gap is BRIDGED_AS_ONE frames or fewer (the far end's
    labels exchanged where they are the other way round, `_exchanged_across`). The search
    labels these legs, not the ones drawn there (`_settled`)."""
    out = xy.copy()
    legs = xy[:, _LEGS]
    good = np.flatnonzero(~bad)
    for i in np.flatnonzero(bad):
        before, after = good[good < i][-1], good[good > i][0]
        ends = legs[[before, after]]
        if after - before - 1 <= BRIDGED_AS_ONE and _exchanged_across(ends):
            ends[1] = ends[1, _SWAP_ORDER]
        out[i, _LEGS] = _on_line(ends[0], ends[1], _share(stamps, i, before, after))
    return out


def _exchanged_across(ends: np.ndarray) -> bool:
    """Are the leg points (2, 10, 2) of a gap's two ends labelled the other way round from
    each other (nearer with the far end's labels exchanged)?"""
    return bool(_worst(ends[1:, _SWAP_ORDER], ends[:1])[0] < _worst(ends[1:], ends[:1])[0])


def find_swaps(
    xy: np.ndarray,
    depth: np.ndarray | None = None,
    *,
    spike: float = np.inf,
    time: np.ndarray | None = None,
) -> np.ndarray:
    """(T,) bool: frames whose leg labels should be exchanged (Viterbi over label pairs).

    `depth` (T, 33), MediaPipe's relative depth, adds the near-leg cue and the held
    split stance's (`stance_costs`); pass it for side views only (from the front, either
    leg may be the nearer, and the legs stand side by side across the picture). A glitch
    (`glitches`, `spike` in torso lengths) would pull the labels of the frames
    around it, so its legs are put on the line between the nearest good frames for the
    search (`_bridge`), and its depth cue is ignored; with `time`, so are bursts.
    """
    if len(xy) < 3:
        return np.zeros(len(xy), dtype=bool)
    return _labelled(xy, _search_costs(xy, depth, spike=spike, time=time))


def _labelled(xy: np.ndarray, search: tuple[np.ndarray, ...]) -> np.ndarray:
    """(T,) bool: the labels the search (`_search_costs`) settles on, its glitched frames'
    read off the legs drawn there (`_settled`)."""
    first, costs, bad, path = search
    return _settled(xy, bad, path, _best_labels(first, costs))


def _best_labels(first: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """(T,) bool: the labels of the cheapest path through the search's costs (Viterbi)."""
    t = len(costs)
    score = first  # score[b, c]: best cost of a path ending with labels b at t-1 and c at t
    back = np.zeros((t, 2, 2), dtype=np.int8)
    for i in range(2, t):
        total = score[:, :, None] + costs[i]  # (a, b, c)
        back[i] = np.argmin(total, axis=0)
        score = np.min(total, axis=0)
    labels = np.zeros(t, dtype=np.int8)
    labels[-2], labels[-1] = np.unravel_index(np.argmin(score), score.shape)
    for i in range(t - 1, 1, -1):
        labels[i - 2] = back[i, labels[i - 1], labels[i]]
    return labels.astype(bool)


def swap_margins(
    xy: np.ndarray,
    depth: np.ndarray | None = None,
    *,
    spike: float = np.inf,
    time: np.ndarray | None = None,
) -> np.ndarray:
    """(T,) how much worse (torso lengths) the best labelling of all frames gets if this
    frame's labels are the other way round: small (down to SWAP_PRIOR) where nothing tells.

    The same search as `find_swaps`, run forward and backward (min-marginals).
    """
    if len(xy) < 3:
        return np.full(len(xy), np.inf)
    return _margins(*_search_costs(xy, depth, spike=spike, time=time)[:2])


def _margins(first: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """(T,) `swap_margins` from the search's costs."""
    t = len(costs)
    ahead = np.zeros((t, 2, 2))  # best cost of frames 0..i with labels (b, c) at (i-1, i)
    behind = np.zeros((t, 2, 2))  # best cost of the frames after i, given (b, c)
    ahead[1] = first
    for i in range(2, t):
        ahead[i] = np.min(ahead[i - 1][:, :, None] + costs[i], axis=0)
    for i in range(t - 2, 0, -1):
        behind[i] = np.min(costs[i + 1] + behind[i + 1][None, :, :], axis=2)
    best = np.min(ahead[1:] + behind[1:], axis=1)  # (T-1, 2): frames 1.., by their label
    best = np.vstack([np.min(ahead[1] + behind[1], axis=1), best])  # frame 0 by its label
    return np.abs(best[:, 1] - best[:, 0])


def swaps_and_doubt(
    xy: np.ndarray,
    depth: np.ndarray | None = None,
    *,
    spike: float = np.inf,
    time: np.ndarray | None = None,
    looks: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`find_swaps` of the legs, and (T,) bool: frames of a stretch at least DOUBT_S long
    whose leg labels the search cannot tell (`swap_margins` under DOUBT_MARGIN), from one
    computation of the search's costs. The legs there are better not measured than
    measured as the wrong side; shorter stretches are where the legs pass each other. Only
    frames with a leg drawn below the hip are in doubt, and not where the legs overlap:
    either labelling measures the same there. In a held split stance the second `looks`
    (T,) may turn every frame's labels round (`turned_by_looks`)."""
    if len(xy) < 3:
        return np.zeros(len(xy), dtype=bool), np.zeros(len(xy), dtype=bool)
    search = _search_costs(xy, depth, spike=spike, time=time)
    swapped = _labelled(xy, search)
    if turned_by_looks(xy, swapped, looks):
        swapped = ~swapped
    return swapped, _doubt(_margins(*search[:2]), xy, time)


def _doubt(margins: np.ndarray, xy: np.ndarray, time: np.ndarray | None) -> np.ndarray:
    """(T,) frames in doubt (`swaps_and_doubt`) from the swap margins."""
    stamps = np.arange(len(xy), dtype=float) if time is None else time
    doubt = np.zeros(len(xy), dtype=bool)
    for start, stop in runs(margins < DOUBT_MARGIN):
        if stamps[stop - 1] - stamps[start] >= DOUBT_S - 1e-9:
            doubt[start:stop] = True
    drawn = np.isfinite(xy[:, BELOW_HIPS, 0]).any(axis=1)
    return doubt & drawn & ~legs_overlap(xy)


def _search_costs(
    xy: np.ndarray, depth: np.ndarray | None, *, spike: float, time: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The swap search's costs: (2, 2) for the labels of frames 0 and 1, and (T, 2, 2, 2)
    for labels (a, b, c) of frames i-2, i-1, i (frame i's unary cost and prior included);
    with the (T,) glitched frames and the legs the search ran on (theirs bridged).
    With depth (a side view), the held stance's cost (`stance_costs`) reads the front leg,
    or else the strides' (`period_costs`) the leg in front a stride away, from the labels
    of a first search without them."""
    unary = np.zeros((len(xy), 2)) if depth is None else depth_costs(depth, xy)
    bad = glitches(xy, spike=spike * torso_length(xy), time=time)
    unary[bad] = 0.0
    stamps = grid_stamps(time, len(xy))
    path = _bridge(xy, bad, stamps) if bad.any() else xy
    moves = _acceleration_costs(path, stamps) / torso_length(xy)
    share = per_frame_share(time)
    first, costs = _with_unary(moves, unary, share)
    if depth is None:
        return first, costs, bad, path
    labels = _labelled(xy, (first, costs, bad, path))
    stance = stance_costs(xy, labels)
    stance[bad] = 0.0
    if stance.any():  # a held stance: no path runs through legs drawn together
        return *_with_unary(_cut_at(moves, _together(xy)), unary + stance, share), bad, path
    strides = period_costs(xy, labels, time)
    strides[bad] = 0.0
    if strides.any():
        first, costs = _with_unary(moves, unary + strides, share)
    return first, costs, bad, path


def _settled(xy: np.ndarray, bad: np.ndarray, path: np.ndarray, swapped: np.ndarray) -> np.ndarray:
    """`swapped` (T,) with the labels of the `bad` frames read off the search's `path`: the
    search labelled their bridged legs (`_bridge`), not the legs MediaPipe drew there, so
    each takes the labelling of its drawn legs nearer the path as labelled."""
    out = swapped.copy()
    for i in np.flatnonzero(bad):
        chosen = path[i, _SWAPPED_LEGS if swapped[i] else _LEGS][None]
        kept, other = (_worst(xy[i, order][None], chosen)[0] for order in (_LEGS, _SWAPPED_LEGS))
        if np.isfinite(kept) and np.isfinite(other):
            out[i] = other < kept
    return out


def _together(xy: np.ndarray) -> np.ndarray:
    """(T,) bool: frames whose lower legs are drawn under DEPTH_APART apart across the
    picture (False where one is not seen)."""
    with np.errstate(invalid="ignore"):
        return np.abs(_ahead(xy)) < DEPTH_APART


def _cut_at(moves: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """A copy of the acceleration costs (T, 2, 2, 2) with every term that takes in one of
    `frames` (T,) bool set to zero: the labels on either side are then told apart by the
    other cues alone."""
    hit = frames.copy()
    hit[1:] |= frames[:-1]
    hit[2:] |= frames[:-2]
    out = moves.copy()
    out[hit] = 0.0
    return out


def per_frame_share(time: np.ndarray | None) -> float:
    """The share of the per-frame costs a frame carries at the track's rate (poses a second
    over the track, its steps even or not): 1 up to TUNED_RATE poses a second, less above
    it, so that a burst of wrong legs lasting as long costs as much to relabel (a jump's
    acceleration does not grow with the rate)."""
    if time is None or len(time) < 2:
        return 1.0
    steps = grid_stamps(time, len(time))[-1] / (len(time) - 1)  # typical steps per pose
    return min(1.0, TUNED_RATE / (sampling_rate(time) / steps))


def _with_unary(
    moves: np.ndarray, unary: np.ndarray, share: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """`_search_costs` from the acceleration costs (T, 2, 2, 2) and the cues' (T, 2),
    those carrying `share` of their weight (`per_frame_share`)."""
    unary = (unary + np.array([0.0, SWAP_PRIOR])) * share
    return unary[0][:, None] + unary[1][None, :], moves + unary[:, None, None, :]


def exchange(
    xy: np.ndarray, visibility: np.ndarray, swapped: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(xy, visibility) copies with the legs' labels exchanged on the `swapped` frames."""
    return exchanged(xy, swapped), exchanged(visibility, swapped)


def exchanged(per_landmark: np.ndarray, swapped: np.ndarray) -> np.ndarray:
    """A copy of (T, 33, ...) `per_landmark` with the legs' labels exchanged on the
    `swapped` frames."""
    out = per_landmark.copy()
    out[swapped] = out[swapped][:, swap_permutation()]
    return out


def far_side(visibility: np.ndarray) -> str:
    """The leg seen less well over the clip ('left' or 'right'): the far one in a side view."""
    left = np.nanmean(visibility[:, list(LEFT_LEG[:3])])
    right = np.nanmean(visibility[:, list(RIGHT_LEG[:3])])
    return "left" if left < right else "right"


def hidden_far_leg(xy: np.ndarray, visibility: np.ndarray) -> str | None:
    """The far leg ('left' or 'right') when its knee is seen (finite in `xy`) on under
    FAR_SEEN_MIN of the frames both hips are, else None."""
    hips = np.isfinite(xy[:, [INDEX["left_hip"], INDEX["right_hip"]], 0]).all(axis=1)
    if not hips.any():
        return None
    side = far_side(visibility)
    seen = np.isfinite(xy[hips, INDEX[f"{side}_knee"], 0]).mean()
    return side if seen < FAR_SEEN_MIN else None


def below_hip(side: str) -> list[int]:
    """Landmark indices of one leg from the knee down."""
    return [INDEX[f"{side}_{part}"] for part in LEG_PARTS[1:]]


BELOW_HIPS = below_hip("left") + below_hip("right")  # both legs from the knee down


def legs_overlap(xy: np.ndarray) -> np.ndarray:
    """(T,) bool: knees and ankles both so close that the two legs cannot be told apart."""
    scale = torso_length(xy)
    close = []
    for part in ("knee", "ankle"):
        gap = np.linalg.norm(xy[:, INDEX[f"left_{part}"]] - xy[:, INDEX[f"right_{part}"]], axis=1)
        close.append(gap < OVERLAP * scale)
    return close[0] & close[1]

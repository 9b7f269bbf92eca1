"""Follow ONE athlete through a clip, never anyone else.

MediaPipe's legacy pose follows one person and locks onto whoever it finds
first. Here the athlete is chosen first (a pixel on them at a time, or the person
whose body moves most like a screened movement, `choose`), then followed forward
and backward from that frame (`chunks`, `follow`) with the detector seeing only a
window around where the athlete should be. A detection is accepted only if it is
where the athlete could be (same size, within reach of the last box moved on by
its velocity) and is one body (`follow.one_body`). Frames where the athlete is out
of view or lost stay empty.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from movement_screen import choose, chunks, identity, legs, video
from movement_screen.boxes import Box, centre, contains, covered_share, expand, mask_inside
from movement_screen.chunks import track_chunks
from movement_screen.core import AthleteChoice, InputError, Track, VideoInfo, runs
from movement_screen.follow import Counter, Motion, held
from movement_screen.identity import SETTLE_S
from movement_screen.landmarker import Following
from movement_screen.landmarks import TRUNK
from movement_screen.pose import (
    GREY_MARGIN,
    Detection,
    detect_in,
    find_people,
    open_detector,
    to_pose,
)

DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))  # pose instances at once
AUTO_SAMPLES = 4  # frames spread through the clip looked at to choose the athlete
EARLY_S = (1.0, 2.0)  # and these moments: a clip often starts before everyone is in view
LOOK_S = 1.0  # seconds each person in view is followed for, at each moment
LOOK_STEP_S = 0.2  # seconds between looks
HINT_CROPS = (0.9, 0.6, 0.4)  # crops around a --person pixel: shares of the short side
# Poses per second the movement needs (frames of faster clips are skipped, then filled in
# by the same zero-lag filter): running gait has its peaks at 10-12 Hz of cut-off, lunges,
# hinges and squats are slow. The slow rate is used only when the choice saw the athlete
# bending and rising in place; then too the model's region turns as the model drew the
# trunk the frame before, not smoothed as MediaPipe's graph smooths it, which turns the
# region, and the trunk drawn in it, late as the trunk turns (`landmarker`). The fast rate
# takes a fraction of the frames where need be (five of every six of a 120 fps clip:
# `video.Grid`); the slow one every n-th frame.
POSE_RATE_FAST = 100.0
POSE_RATE_SLOW = 30.0
SLOW_KIND = "bending and rising in place"
# The person detector looks at the whole picture letterboxed to 224 px: the sample sprint
# shrunk into a 1920 x 1080 picture is found with the athlete 15 % of its height tall (8 %
# of its width), not at 13.5 % (7.6 %).
SMALLEST_FOUND = 0.08
LOOK_MATCH = 0.15  # leg lengths: a look's trunk points this near the tracked body's: the same body
FRESH_PASSES = 3  # past a stop: a fresh pass that went away with someone passing, again from later


@dataclass(frozen=True)
class PersonHint:
    """A pixel (x, y, image coordinates) on the athlete at `time_s` seconds."""

    x: float
    y: float
    time_s: float


def parse_person(text: str) -> PersonHint:
    """Parse 'X,Y@SECONDS' as given to --person."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*@\s*(\d+(?:\.\d+)?)\s*", text)
    if not match:
        raise InputError(f"--person expects X,Y@SECONDS (pixels and seconds), got {text!r}")
    x, y, t = (float(g) for g in match.groups())
    return PersonHint(x, y, t)


def check_hint(hint: PersonHint, info: VideoInfo) -> None:
    """InputError when the hint's time or pixel lies outside the clip."""
    last = (info.frame_count - 1) / info.fps
    if hint.time_s > last + 0.5 / info.fps:
        raise InputError(
            f"--person time {hint.time_s:g} s is past the end of the clip "
            f"(its last frame is at {last:.2f} s)"
        )
    if hint.x > info.width or hint.y > info.height:
        raise InputError(
            f"--person pixel {hint.x:g},{hint.y:g} is outside the {info.width}x{info.height} frame"
        )


def track_athlete(
    info: VideoInfo,
    hint: PersonHint | None = None,
    *,
    models_dir: str = "models",
    workers: int = DEFAULT_WORKERS,
    progress: Callable[[float], None] | None = None,
    picked: choose.Choice | None = None,
) -> Track:
    """Choose the athlete and follow them through the whole clip.

    Up to `workers` pose instances run at once on chunks of the clip (MediaPipe
    releases the GIL); `progress` is called with the share of frames done. `picked`: the
    automatic choice, when it was already made (`auto_choice`); `hint` overrides it, and
    its looks at single frames still check the leg labels (`second_looks`).
    """
    kind, crowd = None, True  # a hint: the user picked the athlete among others
    if hint is None:
        picked = picked or auto_choice(info, models_dir)
        seed_index, seed, choice = _choose_auto(picked)
        kind = picked.moment.activity[picked.chosen].kind()
        crowd = picked.most_people > 1
    else:
        seed_index, seed, choice = _choose_given(info, hint, models_dir)
    every = pose_every(info.fps, kind)
    in_place = kind == SLOW_KIND  # bending and rising in place (`following_for`)
    following = following_for(in_place, crowd)
    counter = Counter(math.ceil(info.frame_count / every), progress)
    rows, detections, times = track_chunks(
        info, seed_index, seed, workers=workers, models_dir=models_dir, counter=counter,
        every=every, near=crowd, following=following,
    )  # fmt: skip
    seed_row = int(np.argmin(np.abs(np.array(rows) - seed_index)))
    place = picked.place if hint is None else _place_picked(picked, hint, info.fps)
    place = place if crowd else None
    times_s = np.array(times)
    kept = identity.keep_one_body(detections, seed_row, times_s, place)
    passing = identity.passing_mask(detections) if crowd else None
    if crowd or in_place:  # lost in place: hidden, not gone (`look_again`)
        fresh = partial(
            chunks.track_from, info, models_dir=models_dir, counter=counter, near=crowd,
            following=following,
        )  # fmt: skip
        grid = video.Grid(seed_index, every)
        kept, passed = look_again(rows, times_s, kept, seed_row, fresh, grid, place)
        passing = passing | passed if crowd else None
    if not held(kept.detections[seed_row], seed):
        choice = lost_at_seed(choice)
    found = identity.found_mask(kept.detections)
    pose = to_pose(times_s, kept.detections, info.height)
    sampled = every > 1
    return Track(
        pose=pose, found=found, choice=choice, frame_size=(info.width, info.height),
        rows=np.array(rows) if sampled else None, frame_count=info.frame_count,
        stopped_s=tuple(round(times[i], 3) for i in kept.jumps),
        found_again_s=tuple(round(times[i], 3) for i in kept.again),
        passing=passing,
        looks=second_looks(picked.looks, rows, kept.detections) if picked else None,
    )  # fmt: skip


def look_again(
    rows: list[int],
    times: np.ndarray,
    kept: identity.Kept,
    seed_row: int,
    track_from: Callable,
    grid: video.Grid,
    place: choose.Place | None,
) -> tuple[identity.Kept, np.ndarray]:
    """The track `kept` with, past each stop (`stops`), a fresh pass's bodies where
    none was kept, and (T,) True where that pass or the kept track had someone passing
    close (`Detection.passing`).

    The pass a stop came from went on with whoever it was on (often the person passing)
    and finds the athlete again only where that person leaves the landmark model looking at
    their place. A fresh pass from SETTLE_S past the stop outward, started where the
    athlete was last kept with their size then (`track_from(frame, step, motion, grid)`),
    looks there afresh. Its bodies are the athlete's where they are back at their place
    for a while (`identity.found_again`) and `identity.checked` (at `place`) keeps them
    with the rest; what was kept or dropped before stays so. Without a stop, `kept`
    as it is. Where someone passing was still over the place when the fresh pass started,
    it goes away with them: then, with no run of the athlete back, a pass starts again
    SETTLE_S past where it left the place, up to FRESH_PASSES in all (a `train` front lunge,
    `150015`: two walkers passing in front took the backward pass, and the lunger alone in
    view for the two seconds before was never looked at).

    It runs where others were seen, and for an athlete bending and rising in place even
    where no one else was: a walker passing in front of a `train` hinge (`150034`) was
    seen alone at the one moment of the choice he was in view, and the pass, lost behind
    him, never found the hinge again (56 of 126 frames tracked). An athlete running across
    the picture and lost at its edge is gone, not hidden: no second pass for them."""
    todo = stops(kept, seed_row)
    if not todo:
        return kept, identity.passing_mask(kept.detections)
    looked, seen = list(kept.detections), list(kept.detections)
    look = partial(_look_past, rows, times, kept, seed_row, track_from, grid, looked, seen)
    sides = [[j for j in todo if j < seed_row], [j for j in todo if j > seed_row]]
    sides = [side for side in sides if side]
    # The two sides share no row: each side's passes run in a thread of their own (pose
    # releases the GIL), the stops of one side one after another, as each looks past the last.
    with ThreadPoolExecutor(len(sides)) as pool:
        list(pool.map(lambda side: [look(jump) for jump in side], sides))
    checked = identity.checked(looked, seed_row, times, place)
    final = [old or new for old, new in zip(kept.detections, checked, strict=True)]
    added = identity.found_mask(final) & ~identity.found_mask(kept.detections)
    nearest = (a if a > seed_row else b - 1 for a, b in runs(added))  # to the stop
    again = sorted({*kept.again, *nearest})
    return identity.Kept(final, kept.jumps, again), identity.passing_mask(seen)


def _look_past(
    rows: list[int],
    times: np.ndarray,
    kept: identity.Kept,
    seed_row: int,
    track_from: Callable,
    grid: video.Grid,
    looked: list[Detection | None],
    seen: list[Detection | None],
    jump: int,
) -> None:
    """`look_again` past one stop `jump`: fill `seen` with what fresh passes find past it and
    `looked` with the runs where the athlete is back; only rows on the stop's side of
    `seed_row` are read or written."""
    step = 1 if jump > seed_row else -1
    before = [i for i in range(seed_row, jump, step) if kept.detections[i] is not None]
    past = list(range(jump, len(rows) if step == 1 else -1, step))
    later = [i for i in past if abs(times[i] - times[jump]) >= SETTLE_S]
    if not before or all(kept.detections[i] is not None for i in later):
        return
    box, start = kept.detections[before[-1]].box(), later[0]
    for _ in range(FRESH_PASSES):
        size = identity.stature_before(kept.detections, before, times)
        found = track_from(rows[start], step, Motion(box, size), grid).by_frame()
        tried = [i for i in later if (i - start) * step >= 0]
        for i in tried:
            seen[i] = kept.detections[i] or found.get(rows[i])
        back = identity.found_again(seen, past, before, times)
        away = identity.first_away(seen, tried, before)
        if back or away is None:
            break
        outward = tried[tried.index(away) :]
        start = next((i for i in outward if abs(times[i] - times[away]) >= SETTLE_S), None)
        if start is None:
            break
    for run in back:
        for i in run:
            looked[i] = seen[i]


def stops(kept: identity.Kept, seed_row: int) -> list[int]:
    """The rows where the track stops on each side of `seed_row`: its jump (`kept.jumps`),
    or else the row past the last body kept when none is kept from there to the clip's
    end (the pass lost the athlete behind someone passing and never found them again: a
    `train` hinge tracked from its first frame kept 65 of 136)."""
    found = identity.found_mask(kept.detections)
    out = list(kept.jumps)
    for step in (1, -1):
        side = found[seed_row::step]  # from the seed outward
        if side[-1] or not side.any() or any((j - seed_row) * step > 0 for j in out):
            continue
        out.append(seed_row + step * (int(np.flatnonzero(side).max()) + 1))
    return sorted(out)


def second_looks(
    looks: tuple[choose.Look, ...], rows: list[int], detections: list[Detection | None]
) -> np.ndarray:
    """(T,) int8 per track row: +1 where one of the choice's `looks` (the landmark model
    given that frame alone) drew the tracked body with the same leg labels, -1 with the
    legs the other way round, 0 where none looked at it. A look is matched to the row
    nearest its frame, within half the rows' step, and to the body whose trunk points lie
    within LOOK_MATCH of its leg length. In video mode MediaPipe carries its labels from
    frame to frame and can hold them the wrong way round for a whole clip; a look carries
    nothing over."""
    out = np.zeros(len(rows), np.int8)
    if not looks or not rows:
        return out
    at = np.asarray(rows)
    step = int(np.median(np.diff(at))) if len(at) > 1 else 1
    for index, look in looks:
        k = int(np.argmin(np.abs(at - index)))
        body = detections[k]
        if out[k] or body is None or 2 * abs(int(at[k]) - index) > step:
            continue
        leg = choose.leg_length(body.xy[None])
        if np.nanmedian(np.hypot(*(look.xy - body.xy)[TRUNK].T)) <= LOOK_MATCH * leg:
            out[k] = -1 if legs.labels_disagree(body.xy, look.xy) else 1
    return out


def following_for(in_place: bool, crowd: bool) -> Following:
    """How the model follows the athlete (`landmarker.Following`): a body bending and rising
    in place with its region turned as drawn and, with nobody else in view, every frame
    looked at mirrored too (among others, that second look led to frames tracked on
    someone else more often on `train`: benchmarks/HISTORY.md, session 53)."""
    return Following(turn_as_drawn=in_place, mirrored=in_place and not crowd)


def pose_every(fps: float, kind: str | None) -> float:
    """Frames per pose (`video.Grid`): as often as the movement needs, and at least that.
    The slow rate keeps to every n-th frame (a 50 fps lunge is posed on every frame)."""
    if kind == SLOW_KIND:
        return float(video.every_nth(fps, POSE_RATE_SLOW))
    return video.frames_per(fps, POSE_RATE_FAST)


def _frames_at(
    info: VideoInfo, time_s: float, count: int = 1, step: int = 1
) -> list[tuple[int, float, np.ndarray]]:
    """`count` frames `step` apart from the one nearest `time_s`."""
    index = int(round(min(max(time_s, 0.0), info.duration) * info.fps))
    index = min(index, info.frame_count - 1)
    stop = index + (count - 1) * step + 1
    got = list(video.frames(info.path, start=index, stop=stop, step=step))
    if not got:
        raise InputError(f"{info.path}: no frame could be decoded at {time_s:g} s")
    return got


def _choose_given(
    info: VideoInfo, hint: PersonHint, models_dir: str
) -> tuple[int, Detection, AthleteChoice]:
    check_hint(hint, info)
    ((index, t, rgb),) = _frames_at(info, hint.time_s)
    with open_detector(static=True, models_dir=models_dir) as detect:
        people = find_people(rgb, detect, regions=_regions_around(hint, rgb.shape))
    hits = [p for p in people if contains(expand(p.box(), 0.1, rgb.shape), hint.x, hint.y)]
    if not hits:
        seen = ", ".join(f"({centre(p.box())[0]:.0f},{centre(p.box())[1]:.0f})" for p in people)
        raise InputError(
            f"{info.path}: no person at {hint.x:g},{hint.y:g} at {t:.2f} s "
            f"(people seen at: {seen or 'none'})"
        )
    best = min(hits, key=lambda p: _distance_to_body(p, hint.x, hint.y))
    reason = f"the person you picked, {choose.where(hint.x, rgb.shape[1])} (at {t:.1f} s)"
    return index, best, AthleteChoice("given", t, hint.x, hint.y, index, len(people), reason)


def _place_picked(
    picked: choose.Choice | None, hint: PersonHint, fps: float
) -> choose.Place | None:
    """Where the person the user picked trains (`choose.Choice.places`), when they picked
    them at the moment the scan judged (as in the app's picker); else None."""
    if picked is None or abs(hint.time_s - picked.moment.time_s) > 0.5 / fps:
        return None
    people = picked.moment.people
    hits = [i for i, p in enumerate(people) if contains(p.box(), hint.x, hint.y)]
    if not hits or not picked.places:
        return None
    return picked.places[min(hits, key=lambda i: _distance_to_body(people[i], hint.x, hint.y))]


def _regions_around(hint: PersonHint, shape: tuple[int, ...]) -> tuple[Box, ...]:
    """Square crops of a few sizes around the hinted pixel, for people small in the frame."""
    side = min(shape[:2])
    boxes = []
    for share in HINT_CROPS:
        half = side * share / 2
        boxes.append((hint.x - half, hint.y - half, hint.x + half, hint.y + half))
    return tuple(boxes)


def _distance_to_body(person: Detection, x: float, y: float) -> float:
    return float(np.min(np.hypot(person.xy[:, 0] - x, person.xy[:, 1] - y)))


Seen = Callable[[int, float, np.ndarray, list[Detection]], None]
"""(frame index, time in seconds, (H, W, 3) uint8 RGB frame, everyone found in it)"""


def moments(
    info: VideoInfo, models_dir: str, workers: int = DEFAULT_WORKERS, seen: Seen | None = None
) -> list[choose.Moment]:
    """Everyone seen at a few moments spread through the clip, each followed for LOOK_S
    seconds (a look every LOOK_STEP_S) to tell what their body does. The frames are
    decoded in one pass (near ones grabbed through, far ones reached by a seek); up to
    `workers` pose instances (MediaPipe and the decoder release the GIL) take, as soon as
    a moment's frames are in, the search for everyone in its first frame, then each
    person's follow through the rest as a job of its own: the last moment's people are
    followed side by side instead of by one instance while the other waits. `seen` is
    told each moment's people as soon as they are found (from a worker thread), before
    anyone is followed: the app shows them while the scan goes on."""
    step = max(int(round(LOOK_STEP_S * info.fps)), 1)
    looks = int(round(LOOK_S / LOOK_STEP_S))
    plans = [[min(s + k * step, info.frame_count - 1) for k in range(looks + 1)]
             for s in _look_starts(info)]  # fmt: skip
    workers = max(1, min(workers, len(plans)))
    with _Detectors(models_dir) as lend, ThreadPoolExecutor(workers) as pool:

        def search(frames: list[tuple[int, float, np.ndarray]]):
            people = lend(lambda detect: find_people(frames[0][2], detect))
            if seen is not None:
                seen(*frames[0], people)
            later = [f[2] for f in frames[1:]]
            follow = partial(follow_looks, frames=later, others=people)
            follows = [pool.submit(lend, partial(follow, p)) for p in people]
            return frames[0], [f[0] for f in frames], people, follows

        searches: list = []
        try:
            _decode_moments(
                info.path, plans, lambda frames: searches.append(pool.submit(search, frames))
            )
            found = [_moment(*s.result()) for s in searches]
        except BaseException:
            pool.shutdown(cancel_futures=True)  # a failure or an interruption: start nothing more
            raise
    if not found:
        raise InputError(f"{info.path}: no frame could be decoded")
    return sorted(found, key=lambda m: m.index)


class _Detectors:
    """One static pose instance for each thread of a pool, opened by the first job that
    thread runs (so they are built side by side) and closed when the pool is done. A job
    never waits for another's instance: one that cannot be opened fails its own job."""

    def __init__(self, models_dir: str) -> None:
        self._mine = threading.local()
        self._stack = ExitStack()
        self._lock = threading.Lock()
        self._models_dir = models_dir

    def __enter__(self) -> Callable:
        return self.lend

    def __exit__(self, *exc) -> None:
        self._stack.__exit__(*exc)

    def lend(self, job: Callable):
        """`job(detect)` with this thread's instance."""
        detect = getattr(self._mine, "detect", None)
        if detect is None:
            opened = open_detector(static=True, models_dir=self._models_dir)
            detect = opened.__enter__()
            with self._lock:
                self._stack.push(opened.__exit__)
            self._mine.detect = detect
        return job(detect)


def _decode_moments(path: str, plans: list[list[int]], ready: Callable) -> None:
    """Decode the frames of every plan in one pass; hand each plan's frames to `ready` as
    soon as they are all in (those decoded, if the clip ends early), and keep a frame only
    while a plan still waits for it."""
    decoded: dict[int, tuple[int, float, np.ndarray]] = {}
    waiting = sorted(plans, key=max)

    def hand(plan: list[int]) -> None:
        frames = [decoded[i] for i in dict.fromkeys(plan) if i in decoded]
        if frames:
            ready(frames)

    for frame in video.frames_at(path, sorted({i for plan in plans for i in plan})):
        decoded[frame[0]] = frame
        while waiting and max(waiting[0]) <= frame[0]:
            hand(waiting.pop(0))
            decoded = {i: f for i, f in decoded.items() if any(i in p for p in waiting)}
    for plan in waiting:
        hand(plan)


def _moment(
    first: tuple[int, float, np.ndarray], indices: list[int], people: list[Detection], follows
) -> choose.Moment:
    """Everyone in a moment's `first` frame, with what each did (`follows`: futures of
    their looks through the frames at `indices`, the first one's included)."""
    index, t, rgb = first
    followed = [f.result() for f in follows]
    looks = tuple(
        (i, d) for person in followed for i, d in zip(indices, person, strict=True) if d is not None
    )
    return choose.Moment(index, t, people, [choose.activity(f) for f in followed], rgb, looks)


def _look_starts(info: VideoInfo) -> list[int]:
    """The first frame of each look: spread through the clip, and early moments."""
    span = max(info.duration - LOOK_S, 0.0)
    spread = {span * k / max(AUTO_SAMPLES - 1, 1) for k in range(AUTO_SAMPLES)}
    times = sorted(spread | {t for t in EARLY_S if t < span})
    frames = [min(int(round(min(max(t, 0.0), info.duration) * info.fps)), info.frame_count - 1)
              for t in times]  # fmt: skip
    return list(dict.fromkeys(frames))


def follow_looks(
    person: Detection, detect, *, frames: list[np.ndarray], others: list[Detection] = ()
) -> list[Detection | None]:
    """One person through later frames: the landmark model on a square twice their height
    around where they should be (moved on by their last step); None where the body found
    there is not theirs. The `others` seen with them in the first frame who stand taller in
    the picture are greyed out where they stood there (those clear of this person's box),
    as `find_people` greys out the people it has found: given a square that also holds a
    bigger body, the landmark model takes that one."""
    looks: list[Detection | None] = [person]
    last, step = person, np.zeros(2)
    leg = choose.leg_length(person.xy[None])
    hide = _taller_beside(person, others, frames[0].shape) if frames else []
    for rgb in frames:
        x0, y0, x1, y1 = last.box()
        (cx, cy), half = np.add(centre(last.box()), step), (y1 - y0)
        square = (cx - half, cy - half, cx + half, cy + half)
        found = detect_in(detect, mask_inside(rgb, *hide) if hide else rgb, square, 0.0)
        if found is not None and choose.same_body(last, found, leg):
            step = np.subtract(centre(found.box()), centre(last.box()))
            last = found
        else:
            found = None
        looks.append(found)
    return looks


def _taller_beside(person: Detection, others: list[Detection], shape: tuple[int, ...]) -> list[Box]:
    """The boxes of `others` taller than `person`, grown as `pose.greyed_out` grows them,
    that do not touch `person`'s. Only the taller: a place greyed out stays grey for the
    whole look, and a hinging or lunging athlete may bend into a neighbour's (on the 96
    crowded clips drawn from train seeds, greying out everyone clear of the person described
    4 more athletes as merely moving; greying out the taller, 1 fewer)."""
    height = choose.body_height(person)
    grown = [expand(o.box(), GREY_MARGIN, shape) for o in others if choose.body_height(o) > height]
    return [box for box in grown if covered_share(person.box(), box) == 0]


def auto_choice(
    info: VideoInfo, models_dir: str = "models", seen: Seen | None = None
) -> choose.Choice:
    """The athlete as the command line and the app both choose them; InputError if nobody.
    `seen`: as in `moments`."""
    picked = choose.choose(moments(info, models_dir, seen=seen), info.height)
    if picked is None:
        smallest = SMALLEST_FOUND * max(info.width, info.height) / max(info.height, 1)
        raise InputError(
            f"{info.path}: no person found in the clip: nobody in view, or too small to find "
            f"(someone under about {smallest:.0%} of the picture's height is missed); film closer"
        )
    return picked


LOST = "the tracking slipped off them at that moment, as onto someone passing"


def lost_at_seed(choice: AthleteChoice) -> AthleteChoice:
    """`choice`, unsure: at the very frame they were chosen on, the tracking was on someone
    else or on nobody (the crowded hinge `950010`: a walker passing behind the athlete took
    the tracking there, and the athlete was lost for the whole clip, with nothing said)."""
    if choice.unsure:
        return choice
    return replace(choice, reason=f"{choice.reason}; unsure: {LOST}", unsure=True)


def _choose_auto(picked: choose.Choice) -> tuple[int, Detection, AthleteChoice]:
    """The seed frame, the athlete's detection there and the choice in words."""
    moment = picked.moment
    person = moment.people[picked.chosen]
    x, y = centre(person.box())
    others = tuple(
        tuple(round(v) for v in centre(p.box()))
        for i, p in enumerate(moment.people)
        if i != picked.chosen
    )
    choice = AthleteChoice(
        "auto", moment.time_s, x, y, moment.index, len(moment.people), picked.reason,
        picked.unsure, others,
    )  # fmt: skip
    return moment.index, person, choice

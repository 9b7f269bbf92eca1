"""One tracking pass: follow the athlete frame by frame in one direction.

The detector sees only a window around where the athlete should be (the last
box moved on by its velocity, grown while the athlete is lost), and a detection
counts only if it lies within reach and has the athlete's size (`stature`); a body
bigger than the athlete is someone passing nearer the camera, and the detector looks
again with them greyed out (where the athlete is wholly behind them, they are not
found). Frames come as (index, time in seconds, RGB frame); boxes are image pixels
(x0, y0, x1, y1).
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from movement_screen import legs, passing
from movement_screen.bodies import find_near
from movement_screen.boxes import Box, centre, expand, mask_inside
from movement_screen.landmarker import GAIT, Following
from movement_screen.landmarks import INDEX, LEFT_LEG, RIGHT_LEG, TRUNK
from movement_screen.pose import MOST_PEOPLE, Detection, detect_in, open_detector
from movement_screen.stature import Stature

WINDOW_MARGIN = 0.35  # body heights of room around the expected box: one frame of motion
LOST_SPEED = 1.0  # body heights per second the search grows by around the expected place
MAX_LOST_S = 1.5  # the expected place and the search stop moving on after this long
VELOCITY_MEMORY_S = 0.15  # the box centre's velocity is averaged over about this long
# A body is the athlete's size (`stature`) when its size against the athlete's is at most
# BIGGER (on the one-person `train` clips the athlete is at most 1.027 times their own
# size, 99.9th percentile; people passing nearer the camera on the `train` crowd clips
# were 1.1-1.9 times as big) and its longest bone for its kind at least SMALLER (bending
# and turning shorten most bones, but a person farther away is smaller in all of them).
BIGGER = 1.1
SMALLER = 0.6
OTHERS_LOOKED_PAST = MOST_PEOPLE - 1  # others greyed out, one after another, to find the athlete
MIXED = 0.35  # body heights per frame the head or the legs may move apart from the trunk
HELD = 0.5  # trunk lengths: hips this near the chosen person's are theirs
PROGRESS_EVERY = 10  # frames between progress reports

Frames = Iterable[tuple[int, float, np.ndarray]]
_HEAD = [INDEX[p] for p in ("nose", "left_eye", "right_eye", "left_ear", "right_ear")]
_LEGS = [i for i in LEFT_LEG + RIGHT_LEG if i not in TRUNK]


@dataclass
class Motion:
    """The athlete's last accepted box and how its centre was moving (pixels, seconds)."""

    box: Box
    stature: Stature
    time_s: float | None = None  # None: not yet placed in time (set by the first frame)
    velocity: tuple[float, float] = (0.0, 0.0)
    chosen: tuple[int, Detection] | None = None  # the frame the athlete was chosen on, and them

    @classmethod
    def of(cls, body: Detection, index: int) -> Motion:
        """Starting from the athlete's body as chosen at frame `index`."""
        return cls(body.box(), Stature(body.xy), chosen=(index, body))

    def fits(self, found: Detection) -> bool:
        """Is `found` the athlete's size (not someone nearer the camera, or farther)?"""
        size, longest = self.stature.measure(found.xy)
        return size <= BIGGER and longest >= SMALLER  # False for NaN: no bone to compare

    def athletes(self, expected: Box, reach: float, index: int) -> Callable[[Detection], bool]:
        """Could a body at frame `index` be the athlete: their size, within `reach` of where
        expected, and on the frame they were chosen on, the body chosen there (`held`)? In
        video mode the detector, given the window around a lunger with someone beside them,
        can take that person at the very frame of the choice (a `train` crowded lunge,
        `150117`: the track stayed with them and the lunger was measured in no frame)."""
        chosen = self.chosen[1] if self.chosen and self.chosen[0] == index else None
        return lambda found: (
            self.fits(found)
            and same_athlete(found.box(), expected, reach)
            and (chosen is None or held(found, chosen))
        )

    def accept(self, found: Detection, time_s: float) -> None:
        """The athlete is `found` at `time_s`: move on, learn their speed and size."""
        self.stature.add(found.xy, time_s)
        box = found.box()
        dt = abs(time_s - self.time_s) if self.time_s is not None else 0.0
        if dt > 0:
            (cx, cy), (lx, ly) = centre(box), centre(self.box)
            new = ((cx - lx) / dt, (cy - ly) / dt)
            keep = np.exp(-dt / VELOCITY_MEMORY_S)
            self.velocity = tuple(
                keep * v + (1 - keep) * n for v, n in zip(self.velocity, new, strict=True)
            )
        self.box, self.time_s = box, time_s

    def expected(self, time_s: float) -> tuple[Box, float]:
        """Where the athlete should be at `time_s`, and how far off (pixels) they may be."""
        if self.time_s is None:
            self.time_s = time_s
        lost = min(abs(time_s - self.time_s), MAX_LOST_S)
        dx, dy = (v * lost for v in self.velocity)
        x0, y0, x1, y1 = self.box
        height = y1 - y0
        return (x0 + dx, y0 + dy, x1 + dx, y1 + dy), height * (WINDOW_MARGIN + LOST_SPEED * lost)


class Counter:
    """Frames done across passes (thread-safe), reported as a share of the clip."""

    def __init__(self, total: int, report: Callable[[float], None] | None = None) -> None:
        self.total, self.done, self.report = max(total, 1), 0, report
        self.lock = threading.Lock()

    def add(self) -> None:
        with self.lock:
            self.done += 1
            if self.report and self.done % PROGRESS_EVERY == 0:
                self.report(min(self.done / self.total, 1.0))


@dataclass
class PassResult:
    """Per processed frame, in processing order: frame index, time, detection (or None)."""

    indices: list[int] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    detections: list[Detection | None] = field(default_factory=list)
    checkpoint: Motion | None = None  # the motion state after `checkpoint_after` frames

    def by_frame(self) -> dict[int, Detection | None]:
        """The detection of each processed frame, by frame index."""
        return dict(zip(self.indices, self.detections, strict=True))


def follow(
    frames: Frames,
    motion: Motion,
    *,
    models_dir: str,
    counter: Counter,
    checkpoint_after: int | None = None,
    near: bool = False,
    following: Following = GAIT,
) -> PassResult:
    """Track through `frames` in the order they come, starting from `motion`. `near`: on
    each frame the athlete is found, look for others close to them (`passing`);
    `following`: as in `pose.open_detector`."""
    result = PassResult()
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        result.checkpoint = copy.deepcopy(motion)
        return result
    start = first[1]
    last: tuple[int, Detection] | None = None  # the last accepted frame's index and body
    close = passing.Near() if near else None
    with open_detector(static=False, models_dir=models_dir, following=following) as detect:
        for index, time_s, rgb in itertools.chain([first], frames):
            if len(result.indices) == checkpoint_after:
                result.checkpoint = copy.deepcopy(motion)
            box, reach = motion.expected(time_s)
            window = around(box, reach, rgb.shape)
            seen = not result.detections or result.detections[-1] is not None
            found = _look(
                detect, rgb, window, abs(time_s - start), motion.athletes(box, reach, index),
                past=OTHERS_LOOKED_PAST if seen else 0,
            )  # fmt: skip
            apart = abs(index - last[0]) if last else 0
            if found is not None and (last is None or one_body(found, last[1], apart)):
                motion.accept(found, time_s)
                last = (index, found)
                if close is not None and close.passing(found, find_near(rgb, found.box())):
                    found = replace(found, passing=True)
            else:
                found = None
            result.indices.append(index)
            result.times.append(time_s)
            result.detections.append(found)
            counter.add()
    if result.checkpoint is None:
        result.checkpoint = copy.deepcopy(motion)
    return result


def _look(
    detect,
    rgb: np.ndarray,
    window: Box,
    time_s: float,
    athletes: Callable[[Detection], bool],
    past: int,
) -> Detection | None:
    """The athlete's body as the detector finds it in `window`: when a body found is not
    theirs (someone passing nearer the camera, or beside them where the athlete should
    be), it looks again with that person greyed out, and past up to `past` more people.

    In video mode MediaPipe first follows whom it found last: greyed out, they are lost
    (None), and only the look after that searches the window afresh. Without that look the
    detector searches from scratch on the next frame, finds the same other person first
    again, and the athlete beside them is never found. It is made only where the athlete
    was found on the frame before (`past` > 0): while they are hidden, a fresh search
    finds whoever else is near and the track would go on with them.
    """
    found = detect_in(detect, rgb, window, time_s)
    for look in range(past + 1):
        if found is None or athletes(found):
            return found
        rgb = mask_inside(rgb, expand(found.box(), 0.05, rgb.shape))
        found = detect_in(detect, rgb, window, time_s)
        if found is None and look < past:
            found = detect_in(detect, rgb, window, time_s)
    return found if found is not None and athletes(found) else None


def held(at: Detection | None, chosen: Detection) -> bool:
    """Is `at`, a body at the frame the athlete was chosen on, the person chosen there
    (`chosen`)? Their hips within HELD of a trunk length of the chosen hips. (Whole boxes
    differ with the arms: a train lunge's static look spanned twice the width.)"""
    if at is None:
        return False
    trunk = legs.torso_length(chosen.xy[None])
    return bool(np.linalg.norm(at.hips() - chosen.hips()) <= HELD * trunk)


def around(box: Box, reach: float, shape: tuple[int, ...]) -> Box:
    """The search window: the expected box grown by `reach` pixels, clipped to the frame."""
    height, width = shape[:2]
    x0, y0, x1, y1 = box[0] - reach, box[1] - reach / 2, box[2] + reach, box[3] + reach / 2
    return max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height))


def same_athlete(box: Box, expected: Box, reach: float) -> bool:
    """Could `box` be where the athlete is, expected at `expected` give or take `reach`?"""
    (cx, cy), (ex, ey) = centre(box), centre(expected)
    return bool(np.hypot(cx - ex, cy - ey) <= reach)


def one_body(found: Detection, last: Detection, frames: int) -> bool:
    """Do the landmarks stay one body since the last accepted frame, `frames` ago? When
    MediaPipe draws two people as one (the head on one, the hips on the other), the head
    or the legs move away from the trunk by more than a body can in that time."""
    x0, y0, x1, y1 = last.box()
    shift = found.xy - last.xy
    trunk = np.median(shift[TRUNK], axis=0)
    apart = [np.linalg.norm(np.median(shift[part], axis=0) - trunk) for part in (_HEAD, _LEGS)]
    return bool(max(apart) <= MIXED * max(y1 - y0, 1.0) * max(frames, 1))

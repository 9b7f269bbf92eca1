"""Follow ONE athlete through a clip, never anyone else.

MediaPipe's legacy pose follows one person and locks onto whoever it finds
first. Here the athlete is chosen first (a pixel on them at a time, or the most
prominent person who moves), then followed forward and backward from that
frame with the detector seeing only a window around the athlete's last box.
A detection is accepted only if it is where the athlete could be: same size,
near the last box, and (after leaving the frame) back from the same edge.
Frames where the athlete is out of view or lost stay empty.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from movement_screen import video
from movement_screen.boxes import Box, centre, contains, expand
from movement_screen.core import AthleteChoice, InputError, Track, VideoInfo
from movement_screen.pose import Detection, detect_in, find_people, open_detector, to_pose

WINDOW_MARGIN = 0.35  # body heights of room around the expected box: one frame of motion
LOST_SPEED = 1.0  # body heights per second the search grows by around the expected place
MAX_LOST_S = 1.5  # the expected place and the search stop moving on after this long
VELOCITY_MEMORY_S = 0.15  # the box centre's velocity is averaged over about this long
SIZE_RATIO = (0.6, 1.6)  # accepted change of body height against the last box
REVERSE_CHUNK = 32  # frames held in memory while tracking backward
AUTO_SAMPLES = 4  # frames looked at to choose the athlete automatically
MOTION_DT_S = 0.2  # interval over which a candidate's motion is measured
PROGRESS_EVERY = 10  # frames between progress reports
HINT_CROPS = (0.9, 0.6, 0.4)  # crops around a --person pixel: shares of the short side


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


def track_athlete(
    info: VideoInfo,
    hint: PersonHint | None = None,
    *,
    models_dir: str = "models",
    progress: Callable[[float], None] | None = None,
) -> Track:
    """Choose the athlete and follow them through the whole clip.

    The passes forward and backward from the chosen frame are independent, so
    they run at once, each with its own detector (MediaPipe releases the GIL).
    `progress` is called with the share of frames done (0-1).
    """
    if hint is None:
        seed_index, seed, choice = _choose_auto(info, models_dir)
    else:
        seed_index, seed, choice = _choose_given(info, hint, models_dir)
    counter = _Counter(info.frame_count, progress)
    with ThreadPoolExecutor(max_workers=2) as pool:
        forward = pool.submit(
            _follow, video.frames(info.path, start=seed_index), seed, models_dir, counter
        )
        backward = pool.submit(
            _follow, _reversed_frames(info.path, seed_index), seed, models_dir, counter
        )
        detections, times = forward.result()
        back_dets, back_times = backward.result()
    detections = back_dets[::-1] + detections
    times = back_times[::-1] + times
    found = np.array([d is not None for d in detections])
    pose = to_pose(np.array(times), detections, info.height)
    return Track(pose=pose, found=found, choice=choice, frame_size=(info.width, info.height))


def _reversed_frames(path: str, stop: int) -> Iterator[tuple[int, float, np.ndarray]]:
    """Frames stop-1, stop-2, ..., 0, holding at most REVERSE_CHUNK frames at a time."""
    end = stop
    while end > 0:
        start = max(0, end - REVERSE_CHUNK)
        chunk = list(video.frames(path, start=start, stop=end))
        if len(chunk) != end - start:
            raise InputError(f"{path}: frames {start}-{end - 1} could not be decoded")
        yield from reversed(chunk)
        end = start


@dataclass
class _Motion:
    """The athlete's last accepted box and how its centre was moving (pixels, seconds)."""

    box: Box
    time_s: float
    velocity: tuple[float, float] = (0.0, 0.0)

    def update(self, box: Box, time_s: float) -> None:
        dt = abs(time_s - self.time_s)
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
        lost = min(abs(time_s - self.time_s), MAX_LOST_S)
        dx, dy = (v * lost for v in self.velocity)
        x0, y0, x1, y1 = self.box
        height = y1 - y0
        return (x0 + dx, y0 + dy, x1 + dx, y1 + dy), height * (WINDOW_MARGIN + LOST_SPEED * lost)


class _Counter:
    """Frames done across passes (thread-safe), reported as a share of the clip."""

    def __init__(self, total: int, report: Callable[[float], None] | None) -> None:
        self.total, self.done, self.report = max(total, 1), 0, report
        self.lock = threading.Lock()

    def add(self) -> None:
        with self.lock:
            self.done += 1
            if self.report and self.done % PROGRESS_EVERY == 0:
                self.report(min(self.done / self.total, 1.0))


def _follow(
    frames: Iterable[tuple[int, float, np.ndarray]],
    seed: Detection,
    models_dir: str,
    counter: _Counter,
) -> tuple[list[Detection | None], list[float]]:
    """Track from the seed frame in the order the frames come (forward or backward)."""
    detections: list[Detection | None] = []
    times: list[float] = []
    motion: _Motion | None = None
    start = 0.0
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return detections, times
    with open_detector(static=False, models_dir=models_dir) as detect:
        for _, time_s, rgb in itertools.chain([first], frames):
            if motion is None:
                motion, start = _Motion(seed.box(), time_s), time_s
            box, reach = motion.expected(time_s)
            window = _around(box, reach, rgb.shape)
            found = detect_in(detect, rgb, window, abs(time_s - start))
            if found is not None and _same_athlete(found.box(), box, reach):
                motion.update(found.box(), time_s)
            else:
                found = None
            detections.append(found)
            times.append(time_s)
            counter.add()
    return detections, times


def _around(box: Box, reach: float, shape: tuple[int, ...]) -> Box:
    """The search window: the expected box grown by `reach` pixels, clipped to the frame."""
    height, width = shape[:2]
    x0, y0, x1, y1 = box[0] - reach, box[1] - reach / 2, box[2] + reach, box[3] + reach / 2
    return max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height))


def _same_athlete(box: Box, expected: Box, reach: float) -> bool:
    """Could `box` be the athlete, expected at `expected` give or take `reach` pixels?"""
    height, expected_height = box[3] - box[1], expected[3] - expected[1]
    if expected_height <= 0 or not SIZE_RATIO[0] <= height / expected_height <= SIZE_RATIO[1]:
        return False
    (cx, cy), (ex, ey) = centre(box), centre(expected)
    return bool(np.hypot(cx - ex, cy - ey) <= reach)


def _frames_at(
    info: VideoInfo, time_s: float, count: int = 1
) -> list[tuple[int, float, np.ndarray]]:
    """`count` consecutive frames from the one nearest `time_s`."""
    index = int(round(min(max(time_s, 0.0), info.duration) * info.fps))
    index = min(index, info.frame_count - 1)
    got = list(video.frames(info.path, start=index, stop=index + count))
    if not got:
        raise InputError(f"{info.path}: no frame could be decoded at {time_s:g} s")
    return got


def _choose_given(
    info: VideoInfo, hint: PersonHint, models_dir: str
) -> tuple[int, Detection, AthleteChoice]:
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
    reason = f"the person at pixel {hint.x:g},{hint.y:g} at {t:.2f} s (--person)"
    return index, best, AthleteChoice("given", t, hint.x, hint.y, index, len(people), reason)


def people_at(
    info: VideoInfo, time_s: float, *, models_dir: str = "models"
) -> tuple[np.ndarray, float, list[Detection]]:
    """The frame nearest `time_s`, its time, and everyone found in it (to let a user pick)."""
    ((_, t, rgb),) = _frames_at(info, time_s)
    with open_detector(static=True, models_dir=models_dir) as detect:
        return rgb, t, find_people(rgb, detect)


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


def _choose_auto(info: VideoInfo, models_dir: str) -> tuple[int, Detection, AthleteChoice]:
    """The most prominent person who moves, over a few frames spread through the clip."""
    best: tuple[float, int, Detection, float, int] | None = None
    span = max(info.duration - MOTION_DT_S, 0.0)
    gap = max(int(round(MOTION_DT_S * info.fps)), 1)
    with open_detector(static=True, models_dir=models_dir) as detect:
        for k in range(AUTO_SAMPLES):
            pair = _frames_at(info, span * k / max(AUTO_SAMPLES - 1, 1), gap + 1)
            index, t, rgb = pair[0]
            people = find_people(rgb, detect)
            moved = find_people(pair[-1][2], detect) if people and len(pair) > 1 else []
            for person in people:
                score = _prominence(person, moved, info.height)
                if best is None or score > best[0]:
                    best = (score, index, person, t, len(people))
    if best is None:
        raise InputError(f"{info.path}: no person found in the clip")
    _, index, person, t, count = best
    x, y = centre(person.box())
    reason = (
        f"auto: the most prominent moving person of {count} seen, "
        f"centred at pixel {x:.0f},{y:.0f} at {t:.2f} s"
    )
    return index, person, AthleteChoice("auto", t, x, y, index, count, reason)


def _prominence(person: Detection, later: list[Detection], frame_height: int) -> float:
    """Body height (share of the frame) weighted by how much the body moves 0.2 s later."""
    x0, y0, x1, y1 = person.box()
    height = (y1 - y0) / frame_height
    if not later:
        return height * 0.1
    match = min(later, key=lambda p: _distance_to_body(p, *centre(person.box())))
    moved = np.nanmedian(np.hypot(*(match.xy - person.xy).T)) / max(y1 - y0, 1.0)
    return height * (0.1 + min(moved / 0.05, 1.0))

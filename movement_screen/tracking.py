"""Follow ONE athlete through a clip, never anyone else.

MediaPipe's legacy pose follows one person and locks onto whoever it finds
first. Here the athlete is chosen first (a pixel on them at a time, or the most
prominent person who moves), then followed forward and backward from that
frame (`chunks`, `follow`) with the detector seeing only a window around where
the athlete should be. A detection is accepted only if it is where the athlete
could be: same size, within reach of the last box moved on by its velocity.
Frames where the athlete is out of view or lost stay empty.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from movement_screen import choose, video
from movement_screen.boxes import Box, centre, contains, expand
from movement_screen.chunks import track_chunks
from movement_screen.core import AthleteChoice, InputError, Track, VideoInfo
from movement_screen.follow import Counter
from movement_screen.pose import Detection, find_people, open_detector, to_pose

DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))  # pose instances at once
AUTO_SAMPLES = 4  # frames spread through the clip looked at to choose the athlete
HALF = 0.6  # share of the frame width each half-frame search covers
EARLY_S = (1.0, 2.0)  # and these moments: a clip often starts before everyone is in view
MOTION_DT_S = 0.2  # interval over which a candidate's motion is measured
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
) -> Track:
    """Choose the athlete and follow them through the whole clip.

    Up to `workers` pose instances run at once on chunks of the clip (MediaPipe
    releases the GIL); `progress` is called with the share of frames done.
    """
    if hint is None:
        seed_index, seed, choice = _choose_auto(info, models_dir)
    else:
        seed_index, seed, choice = _choose_given(info, hint, models_dir)
    counter = Counter(info.frame_count, progress)
    detections, times = track_chunks(
        info, seed_index, seed, workers=workers, models_dir=models_dir, counter=counter
    )
    found = np.array([d is not None for d in detections])
    pose = to_pose(np.array(times), detections, info.height)
    return Track(pose=pose, found=found, choice=choice, frame_size=(info.width, info.height))


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


def moments(info: VideoInfo, models_dir: str) -> list[choose.Moment]:
    """Everyone seen at a few moments spread through the clip, with how much each moves."""
    span = max(info.duration - MOTION_DT_S, 0.0)
    gap = max(int(round(MOTION_DT_S * info.fps)), 1)
    spread = {span * k / max(AUTO_SAMPLES - 1, 1) for k in range(AUTO_SAMPLES)}
    times = sorted(spread | {t for t in EARLY_S if t < span})
    found = []
    with open_detector(static=True, models_dir=models_dir) as detect:
        for time_s in times:
            frames = _frames_at(info, time_s, 2 * gap + 1)
            index, t, rgb = frames[0]
            people = find_people(rgb, detect, regions=halves(rgb.shape))
            moved = _motions(people, [f[2] for f in frames[gap::gap]], detect)
            found.append(choose.Moment(index, t, people, moved, rgb))
    return found


def _motions(people: list[Detection], later: list[np.ndarray], detect) -> list[float]:
    """Each person's motion to the first of the `later` frames (0.2 s on, then 0.4 s) that
    sees them again; NaN where none does."""
    moved = [float("nan")] * len(people)
    for rgb in later if people else []:
        seen = find_people(rgb, detect)
        moved = [
            m if m == m else choose.motion(p, seen) for p, m in zip(people, moved, strict=True)
        ]
        if all(m == m for m in moved):
            break
    return moved


def halves(shape: tuple[int, ...]) -> tuple[Box, Box]:
    """The left and right 60 % of a frame: the single-person detector, shown one half at a
    time, finds people it misses in the whole frame (the man on the box in the walk clip)."""
    height, width = shape[:2]
    return (0.0, 0.0, HALF * width, float(height)), ((1 - HALF) * width, 0.0, width, height)


def auto_choice(info: VideoInfo, models_dir: str = "models") -> choose.Choice:
    """The athlete as the command line and the app both choose them; InputError if nobody."""
    picked = choose.choose(moments(info, models_dir), info.height)
    if picked is None:
        raise InputError(f"{info.path}: no person found in the clip")
    return picked


def _choose_auto(info: VideoInfo, models_dir: str) -> tuple[int, Detection, AthleteChoice]:
    picked = auto_choice(info, models_dir)
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

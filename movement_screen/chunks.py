"""Track one clip with several pose instances at once, and stitch the passes.

The clip is cut at the chosen frame (the seed) into a backward and a forward
side, and each side into as many chunks as it gets workers. The chunk next to
the seed starts from the athlete as chosen; a chunk further out starts from a
guess (the person in its first frame most like the athlete in size) and is
checked at its seam: the chunk before it runs a few tenths of a second past
the boundary, and the two must see the same person there. If they do not, the
chunk is tracked again as a plain continuation of the one before, so the result
is what one sequential pass would give, except for the detector re-locking in
the first frames after a seam.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import chain, pairwise

import numpy as np

from movement_screen import legs, video
from movement_screen.boxes import iou
from movement_screen.core import VideoInfo
from movement_screen.follow import Counter, Frames, Motion, PassResult, follow
from movement_screen.landmarker import GAIT, Following
from movement_screen.pose import Detection, find_people, open_detector
from movement_screen.stature import Stature

OVERLAP_S = 0.3  # chunks overlap by this long at a seam
MIN_OVERLAP = 5  # frames
SEAM_IOU = 0.5  # boxes this alike are the same person
SEAM_AGREE = 0.7  # share of the earlier chunk's overlap detections the later one must match
SEAM_MIN = 3  # the earlier chunk must see the athlete in at least this many overlap frames
KEY_REACH = 1 / 8  # a chunk's start may move this share of its length onto a key frame


@dataclass(frozen=True)
class Chunk:
    """Frames a pass owns: from `near` (next to the seed) toward `far` (exclusive), by `step`."""

    near: int
    far: int
    step: int  # +1 forward, -1 backward
    seeded: bool  # starts from the chosen athlete, not a guess

    def owned(self) -> range:
        return range(self.near, self.far, self.step)


def plan(frame_count: int, seed: int, workers: int, keys: Sequence[int] = ()) -> list[Chunk]:
    """Chunks of about frame_count / workers frames (the target) on each side of the seed:
    from the seed outward, each a whole target but the last. Run longest first on
    `workers` passes, the last pieces of both sides share a pass: a seed two thirds of
    the way in gives passes of 1/2, 1/6 + 1/3, not 1/3, 1/3 then 1/3. A chunk further out
    forward starts on a key frame (`keys`, from `video.key_frames`) where one lies within
    KEY_REACH of a target from its place: decoding starts at a key frame, and a pass
    starting elsewhere decodes every frame from the key frame before (240 frames of a
    1080p clip whose key frames are 250 apart, for a pass of 60)."""
    target = max(1, math.ceil(frame_count / max(workers, 1)))
    chunks = []
    edges = _edges(frame_count - seed, target)
    for i in range(1, len(edges) - 1):  # the seed's and the clip's end stay
        edges[i] = _keyed(edges[i - 1 : i + 2], seed, keys, KEY_REACH * target)
    chunks += [Chunk(seed + a, seed + b, 1, a == 0) for a, b in pairwise(edges)]
    edges = _edges(seed, target)
    chunks += [Chunk(seed - 1 - a, seed - 1 - b, -1, a == 0) for a, b in pairwise(edges)]
    return chunks


def _edges(length: int, target: int) -> list[int]:
    """0, target, 2 target, ... up to `length` (the last piece may be shorter)."""
    return [*range(0, length, target), length] if length > 0 else []


def _keyed(edges: list[int], seed: int, keys: Sequence[int], reach: float) -> int:
    """The middle of three forward edges (frames past the seed) moved onto the nearest
    key frame within `reach` frames, between the other two, where there is one."""
    before, edge, after = edges
    near = [k - seed for k in keys if abs(k - seed - edge) <= reach and before < k - seed < after]
    return min(near, key=lambda k: abs(k - edge), default=edge)


def track_chunks(
    info: VideoInfo,
    seed_index: int,
    seed: Detection,
    *,
    workers: int,
    models_dir: str,
    counter: Counter,
    every: float = 1.0,
    near: bool = False,
    following: Following = GAIT,
) -> tuple[list[int], list[Detection | None], list[float]]:
    """Frame indices, detections and times of the frames posed (`every` frames apart on
    average, counted from the seed's: `video.Grid`), tracked by up to `workers` passes
    (`near`: looking for others close to the athlete; `following`: how the model follows
    them; see `follow`)."""
    overlap = max(math.ceil(MIN_OVERLAP * every), round(OVERLAP_S * info.fps))
    keys = video.key_frames(info.path)
    chunks = plan(info.frame_count, seed_index, workers, keys)
    grid = video.Grid(seed_index, every)
    last = max((c for c in chunks if c.step == 1), key=lambda c: c.near, default=None)

    def run(chunk: Chunk, motion: Motion | None, lead_in: bool = True) -> PassResult | None:
        if motion is None and chunk.seeded:
            motion = Motion.of(seed, seed_index)
        # The seeded backward pass starts inside the forward one, to take its leg labels.
        lead = (
            grid.down(min(overlap, info.frame_count - 1 - chunk.near) + chunk.near) - chunk.near
            if lead_in and chunk.seeded and chunk.step == -1
            else 0
        )
        frames = _frames(info, chunk, overlap, grid, lead=lead, to_end=chunk is last, keys=keys)
        if motion is None:  # a chunk further out: the athlete guessed on its first frame
            frames, motion = _guess(frames, seed, models_dir)
            if motion is None:
                return None
        checkpoint = grid.count(range(chunk.near + lead, chunk.near, -1)) + grid.count(
            chunk.owned()
        )
        result = follow(
            frames, motion, models_dir=models_dir, counter=counter, checkpoint_after=checkpoint,
            near=near, following=following,
        )  # fmt: skip
        if lead and not meets_seed(result, seed_index, seed):
            return run(chunk, None, lead_in=False)
        return result

    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        futures = {
            c: pool.submit(run, c, None) for c in sorted(chunks, key=lambda c: -len(c.owned()))
        }
        results = {c: f.result() for c, f in futures.items()}
    anchor = next(c for c in chunks if c.seeded and c.step == 1)
    for side in (1, -1):
        ordered = [c for c in chunks if c.step == side]
        if side == -1 and ordered:
            _align_legs(results[ordered[0]], _from_seed(results[anchor], results[ordered[0]], seed))
        for before, chunk in zip(ordered, ordered[1:], strict=False):
            if not _seam_agrees(results[before], results[chunk], chunk):
                results[chunk] = run(chunk, copy.deepcopy(results[before].checkpoint))
            _align_legs(results[chunk], _overlap(results[before], results[chunk]))
    return _stitch(chunks, results, last)


def track_from(
    info: VideoInfo,
    start: int,
    step: int,
    motion: Motion,
    grid: video.Grid,
    *,
    models_dir: str,
    counter: Counter,
    near: bool,
    following: Following = GAIT,
) -> PassResult:
    """One pass from the posed frame `start` (a frame index) to the clip's end (`step` +1)
    or its start (-1), from `motion` (`near`, `following`: as in `follow`)."""
    chunk = Chunk(start, info.frame_count if step == 1 else -1, step, seeded=False)
    keys = video.key_frames(info.path) if step == -1 else []
    frames = _frames(info, chunk, 0, grid, lead=0, to_end=True, keys=keys)
    return follow(
        frames, motion, models_dir=models_dir, counter=counter, near=near,
        following=following,
    )  # fmt: skip


def meets_seed(result: PassResult, seed_index: int, seed: Detection) -> bool:
    """Is the pass on the athlete as chosen at the seed frame? The seeded backward pass
    starts a few tenths of a second past the seed, from the athlete's box at the seed:
    where someone passes in front of them there, it can start on that person and
    stay with whoever is near when it reaches the seed frame."""
    at = result.by_frame().get(seed_index)
    return at is not None and iou(at.box(), seed.box()) >= SEAM_IOU


def _from_seed(anchor: PassResult, result: PassResult, seed: Detection) -> list:
    """What the seeded backward pass takes its leg labels from: the forward pass where they
    share frames, else the seed itself on the pass's first frame (the next to it)."""
    shared = _overlap(anchor, result)
    return shared if any(d is not None for d in shared) else [seed]


def _overlap(before: PassResult, after: PassResult) -> list[Detection | None]:
    """The earlier pass's detections on the later pass's frames (None where it has none)."""
    theirs = before.by_frame()
    return [theirs.get(i) for i in after.indices]


def _align_legs(result: PassResult, reference: list[Detection | None]) -> None:
    """Give a fresh pass the leg labels of what came before it, where they meet.

    MediaPipe names the near and far leg of a side view by its own history, so a
    pass started afresh may call the legs the other way round: compare it with
    the reference detections (the seed, or the earlier pass on shared frames)
    and swap the whole pass if most of them disagree. Swaps within a pass are
    left to the cleaning stage.
    """
    votes = [
        legs.labels_disagree(ours.xy, ref.xy)
        for ours, ref in zip(result.detections, reference, strict=False)
        if ours is not None and ref is not None
    ]
    if votes and sum(votes) > len(votes) / 2:
        order = legs.swap_permutation()
        result.detections = [
            None
            if d is None
            else replace(
                d,
                xy=d.xy[order],
                visibility=d.visibility[order],
                z=None if d.z is None else d.z[order],
            )
            for d in result.detections
        ]


def _frames(
    info: VideoInfo,
    chunk: Chunk,
    overlap: int,
    grid: video.Grid,
    *,
    lead: int,
    to_end: bool,
    keys=(),
):
    """The chunk's posed frames in its direction: `lead` frames before its first, `overlap`
    past its last (`keys`: the clip's key frames, for reading backward)."""
    if chunk.step == 1:
        stop = None if to_end else chunk.far + overlap
        return video.frames(info.path, start=grid.up(chunk.near), stop=stop, step=grid)
    start = grid.down(chunk.near + lead)
    stop = max(chunk.far - overlap, -1)
    block = video.backward_block(info.width, info.height)
    return video.frames_backward(
        info.path, start=start, stop=stop, step=grid, block=block, keys=keys
    )


def _guess(frames: Frames, seed: Detection, models_dir: str) -> tuple[Frames, Motion | None]:
    """The person in the first of `frames` most like the athlete in size (None: nobody),
    and the frames again from that first one: the pass reads it once, for both."""
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return frames, None
    with open_detector(static=True, models_dir=models_dir) as detect:
        people = find_people(first[2], detect)
    stature = Stature(seed.xy)
    sizes = [abs(np.log(stature.ratio(p.xy))) for p in people]
    sized = [(s, i) for i, s in enumerate(sizes) if np.isfinite(s)]
    if not sized:
        return frames, None
    return chain([first], frames), Motion(people[min(sized)[1]].box(), stature)


def _seam_agrees(before: PassResult | None, after: PassResult | None, chunk: Chunk) -> bool:
    """Do the two passes see the same person in the frames where they overlap?"""
    if before is None or after is None:
        return False
    theirs = before.by_frame()
    ours = after.by_frame()
    shared = [i for i in theirs if i in ours and i in chunk.owned()]
    seen = [i for i in shared if theirs[i] is not None]
    agree = sum(
        1 for i in seen if ours[i] is not None and iou(theirs[i].box(), ours[i].box()) >= SEAM_IOU
    )
    return len(seen) >= SEAM_MIN and agree >= SEAM_AGREE * len(seen)


def _stitch(
    chunks: list[Chunk], results: dict, last: Chunk | None
) -> tuple[list[int], list, list[float]]:
    """Each frame from the chunk that owns it (the last forward chunk owns to the clip's end)."""
    by_frame: dict[int, tuple[Detection | None, float]] = {}
    for chunk in chunks:
        result = results[chunk]
        if result is None:
            continue
        owned = set(chunk.owned())
        for index, time_s, found in zip(
            result.indices, result.times, result.detections, strict=True
        ):
            if index in owned or (chunk is last and index >= chunk.far):
                by_frame[index] = (found, time_s)
    frames = sorted(by_frame)
    return frames, [by_frame[i][0] for i in frames], [by_frame[i][1] for i in frames]

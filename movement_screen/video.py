"""The only video decoder: frames with the decoder's own timestamps, upright.

Every frame is an (H, W, 3) uint8 RGB array of the rotation-corrected picture.
"""

from __future__ import annotations

import bisect
import math
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import cv2
import numpy as np

from movement_screen.core import MIN_CLIP_S, InputError, VideoInfo
from movement_screen.quiet import quiet_native_stderr

MIN_FPS, MAX_FPS = 1.0, 1000.0
MAX_SIDE = 4096  # px on the long side: 4K (3840x2160, DCI 4096x2160) is the most a screen needs
FFMPEG_QUIET = "-8"  # AV_LOG_QUIET
# Frames to the next wanted one beyond which a seek (decoding from the key frame before it,
# about 0.1-0.2 s) is cheaper than grabbing through them (2-3 ms a frame at 1080p).
SEEK_GAP = 60
AHEAD = 2  # frames `prefetched` decodes ahead of the caller (a 4K frame is 25 MB)
BACKWARD_BYTES = 200e6  # decoded frames held at once while reading backward (32 at 1080p)
MIN_BACKWARD = 8  # frames a block at least (4K)
_END = object()
PROBED_KEPT = 16  # clips whose facts `probe` keeps
# A clip filmed this share under a whole multiple of a rate counts as that multiple
# (`every_nth`): NTSC's 239.76 and 59.94 fps are 1000/1001 of 240 and 60, and a phone's
# variable rate averages a little under its nominal one.
RATE_SLACK = 0.01
_probed: dict[tuple[str, int, int], VideoInfo] = {}
_probed_lock = threading.Lock()
T = TypeVar("T")


def huge_pages(enabled: bool) -> bool:
    """Turn NumPy's request for huge pages for its arrays of 4 MB or more on or off for this
    process; returns the setting before. Off in the tool's own processes: each decoded
    frame at 1080p (6 MB) is a new array, and the kernel zeroed and gathered 2 MB pages for
    every one (the 1080p clip's analysis: 0.3-0.5 core-s of its 12-13 in interleaved runs).
    NumPy's own switch: its NUMPY_MADVISE_HUGEPAGE is read only as NumPy is imported."""
    switch = getattr(np._core.multiarray, "_set_madvise_hugepage", None)
    return bool(switch(enabled)) if switch is not None else False


def _open(path: str) -> cv2.VideoCapture:
    if os.path.isdir(path):
        raise InputError(f"{path}: is a folder, not a video file")
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    # FFmpeg's own lines about a damaged file stay off the terminal while frames decode too:
    # OpenCV reads this level once, when it opens its first video.
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", FFMPEG_QUIET)
    with quiet_native_stderr():
        cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        raise InputError(f"{path}: not a video OpenCV/FFmpeg can open (corrupt or not a video?)")
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


@contextmanager
def _capture(path: str) -> Iterator[cv2.VideoCapture]:
    cap = _open(path)
    try:
        yield cap
    finally:
        cap.release()


def probe(path: str) -> VideoInfo:
    """Read the clip's facts and check that its first frame decodes. A file probed before,
    unchanged since (same size and modification time), is not read again: the app scans a
    clip for people, then screens it."""
    try:
        stat = os.stat(path)
        key = (path, stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None
    with _probed_lock:
        known = _probed.get(key)
    if known is not None:
        return known
    info = _probe(path)
    if key is not None:
        with _probed_lock:
            _probed[key] = info
            while len(_probed) > PROBED_KEPT:
                _probed.pop(next(iter(_probed)))
    return info


def _probe(path: str) -> VideoInfo:
    with _capture(path) as cap:
        ok, frame = cap.read()
        if not ok or frame is None:
            raise InputError(
                f"{path}: no frame could be decoded (empty, truncated or corrupt video)"
            )
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not MIN_FPS <= fps <= MAX_FPS:
            raise InputError(f"{path}: frame rate {fps:g} is not usable")
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        decodable = _decodable(cap, count)
    height, width = frame.shape[:2]
    declared = count if 0 < decodable < count else None
    info = VideoInfo(path, fps, width, height, max(decodable, 1), rotation, declared)
    _check_size(info)
    return info


def _decodable(cap: cv2.VideoCapture, count: int) -> int:
    """Frames that decode: `count` if its last frame does, else counted (a cut-off file,
    or a container that does not say)."""
    if count > 1:
        reached = cap.set(cv2.CAP_PROP_POS_FRAMES, count - 1) and cap.grab()
        if reached and int(cap.get(cv2.CAP_PROP_POS_FRAMES)) >= count:  # damaged: lands early
            return count
    cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
    decoded = 0
    while (count <= 0 or decoded < count) and cap.grab():
        decoded += 1
    return decoded


def _check_size(info: VideoInfo) -> None:
    if max(info.width, info.height) > MAX_SIDE:
        raise InputError(
            f"{info.path}: frame size {info.width}x{info.height} is larger than this tool "
            f"screens (at most {MAX_SIDE} px on the long side, 4K); export the clip at 4K or 1080p"
        )


def check_length(info: VideoInfo) -> None:
    """InputError when the clip is shorter than any screen needs (one sprint stride)."""
    if info.duration < MIN_CLIP_S:
        frames = f"{info.frame_count} frame{'s' if info.frame_count != 1 else ''}"
        if info.declared_frames:  # the file says it holds more: it was cut off
            frames += (
                f" of the {info.declared_frames} the file says it holds (damaged or cut short)"
            )
        raise InputError(
            f"{info.path}: the clip is too short: {frames}, {info.duration:.2f} s; a screen "
            f"needs at least {MIN_CLIP_S:g} s (one sprint stride; a lunge or hinge rep "
            "takes 2-4 s)"
        )


def every_nth(fps: float, rate: float) -> int:
    """n, to take every n-th frame of a clip filmed at `fps` for `rate` frames a second or a
    little more (RATE_SLACK less at most; every frame of a slower clip)."""
    return max(1, int(fps * (1 + RATE_SLACK) / rate))


def frames_per(fps: float, rate: float) -> float:
    """Frames of a clip filmed at `fps` per frame taken for `rate` frames a second: the
    whole n of `every_nth` where fps / rate lies within RATE_SLACK of it (an even grid),
    else fps / rate itself (1.2: five frames of every six; `Grid`)."""
    whole = every_nth(fps, rate)
    ratio = fps / rate
    return float(whole) if ratio <= whole * (1 + RATE_SLACK) else ratio


@dataclass(frozen=True)
class Grid:
    """The frames taken: seed + round(k × every) for every whole k, `every` (1 or more)
    frames apart on average: every n-th frame for a whole n, else steps of the two whole
    numbers around it (1.2: steps of 1 and 2 frames, five frames of every six)."""

    seed: int = 0
    every: float = 1.0

    def at(self, k: int) -> int:
        """The k-th frame taken from the seed (k < 0: before it)."""
        return self.seed + math.floor(k * self.every + 0.5)

    def holds(self, index: int) -> bool:
        """Is frame `index` taken?"""
        return self.at(self._nearest(index)) == index

    def up(self, index: int) -> int:
        """The first frame taken at or after `index`."""
        k = self._nearest(index)
        while self.at(k) < index:
            k += 1
        return self.at(k)

    def down(self, index: int) -> int:
        """The last frame taken at or before `index`."""
        k = self._nearest(index)
        while self.at(k) > index:
            k -= 1
        return self.at(k)

    def count(self, frames: range) -> int:
        """How many of `frames` are taken."""
        return sum(1 for i in frames if self.holds(i))

    def _nearest(self, index: int) -> int:
        return math.floor((index - self.seed) / self.every + 0.5)


def frames(
    path: str,
    *,
    start: int = 0,
    stop: int | None = None,
    step: int | Grid = 1,
    size: tuple[int, int] | None = None,
) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield (frame index, time in seconds, RGB frame) from `start` up to `stop` (exclusive),
    every `step`-th frame (or those of a `Grid`); the frames between are decoded but not
    converted. `size`: (width, height) each frame is resized to first, so that it is
    converted smaller."""
    grid = step if isinstance(step, Grid) else Grid(start, step)
    with _capture(path) as cap:
        if start > 0:
            _seek(cap, path, start)
        decoder = _Decoder(cap)
        index = start
        while stop is None or index < stop:
            if not grid.holds(index):
                if not cap.grab():
                    return
                index += 1
                continue
            read = decoder.read(size)
            if read is None:
                return
            yield index, *read
            index += 1


class _Decoder:
    """The frames of `cap` read one after another, each decoded into the picture the one
    before was decoded into: only its converted copy leaves, and a fresh array a frame
    has the kernel zero its pages (0.2-0.3 core-s a pass over 300 frames at 1080p)."""

    def __init__(self, cap: cv2.VideoCapture) -> None:
        self.cap = cap
        self.bgr: np.ndarray | None = None  # (H, W, 3) uint8: the last frame decoded

    def read(self, size: tuple[int, int] | None = None) -> tuple[float, np.ndarray] | None:
        """The next frame's time (s) and RGB picture (resized to `size` first); None at the
        end."""
        ok, bgr = self.cap.read() if self.bgr is None else self.cap.read(self.bgr)
        if not ok or bgr is None:
            return None
        self.bgr = bgr
        if size is not None and size != (bgr.shape[1], bgr.shape[0]):
            bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR)  # INTER_AREA: 6x slower
        seconds = float(self.cap.get(cv2.CAP_PROP_POS_MSEC)) / 1000.0
        return seconds, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def frames_backward(
    path: str,
    *,
    start: int,
    stop: int,
    step: int | Grid = 1,
    block: int = 32,
    keys: Sequence[int] = (),
) -> Iterator[tuple[int, float, np.ndarray]]:
    """Frames start, start-step, ... (or those of a `Grid` from `start` down) to above stop
    (exclusive, may be -1), decoded forward `block` posed frames at a time at most (those
    between are decoded, not converted). Each block starts with a seek, which decodes from
    the key frame before it; a block with a key frame (`keys`, from `key_frames`) inside
    starts there instead, the frames below going to the next block, so that where the key
    frames lie `block` frames apart or closer no frame is decoded twice."""
    grid = step if isinstance(step, Grid) else Grid(start, step)
    end = start + 1
    while end > stop + 1:
        first = max(stop + 1, end - math.ceil(block * grid.every))
        inside = bisect.bisect_right(keys, first)  # the first key frame above `first`
        if first > stop + 1 and inside < len(keys) and keys[inside] <= grid.down(end - 1):
            first = keys[inside]
        first = grid.up(first)
        if first >= end:
            return  # no frame of the grid left above `stop`
        chunk = list(frames(path, start=first, stop=end, step=grid))
        if len(chunk) != grid.count(range(first, end)):
            raise InputError(f"{path}: frames {first}-{end - 1} could not be decoded")
        yield from reversed(chunk)
        end = first


def backward_block(width: int, height: int) -> int:
    """Posed frames `frames_backward` may hold at once for frames of this size."""
    return max(MIN_BACKWARD, int(BACKWARD_BYTES // max(width * height * 3, 1)))


def key_frames(path: str) -> list[int]:
    """Indices of the clip's key frames (where decoding can start), read from the
    container's packets without decoding; [] where they cannot be read."""
    import av  # PyAV: imported here so importing the package stays light

    try:
        with av.open(path) as container:
            stream = container.streams.video[0]
            stamps = [(p.pts, p.is_keyframe) for p in container.demux(stream) if p.size]
    except (av.error.FFmpegError, IndexError, OSError):
        return []
    if any(pts is None for pts, _ in stamps):
        return []
    return [i for i, (_, key) in enumerate(sorted(stamps)) if key]  # in display order


def frames_at(path: str, indices) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield (frame index, time in seconds, RGB frame) for each of `indices`, in order, in
    one pass: nearby frames are reached by grabbing through, far ones by a seek."""
    wanted = sorted(set(int(i) for i in indices))
    with _capture(path) as cap:
        decoder = _Decoder(cap)
        index = 0
        for target in wanted:
            if target - index > SEEK_GAP or target < index:
                _seek(cap, path, target)
                index = target
            while index < target:
                if not cap.grab():
                    return
                index += 1
            read = decoder.read()
            if read is None:
                return
            yield index, *read
            index += 1


def _seek(cap: cv2.VideoCapture, path: str, index: int) -> None:
    """Seek to frame `index`, decoding forward from the start if the container cannot seek."""
    if cap.set(cv2.CAP_PROP_POS_FRAMES, index) and int(cap.get(cv2.CAP_PROP_POS_FRAMES)) == index:
        return
    cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
    for _ in range(index):
        if not cap.grab():
            raise InputError(f"{path}: could not reach frame {index}")


def prefetched(items: Iterator[T], ahead: int = AHEAD) -> Iterator[T]:
    """`items` (frames) made in a thread of their own, up to `ahead` before the caller: the
    decoder releases the GIL, so the next frame decodes while the caller draws or encodes
    this one. A failure is raised here; closing this iterator stops and closes `items`."""
    made: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand(item: object) -> bool:  # False once the caller has stopped
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not hand(item):
                    return
            hand(_END)
        except BaseException as error:  # noqa: BLE001 - handed to the caller, raised there
            hand(_Failed(error))
        finally:
            getattr(items, "close", lambda: None)()

    maker = threading.Thread(target=make, name="frames-ahead", daemon=True)
    maker.start()
    try:
        while (item := made.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        maker.join()


class _Failed:
    """What went wrong making the items, carried to the caller of `prefetched`."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

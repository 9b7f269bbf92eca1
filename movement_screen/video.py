"""The only video decoder: frames with the decoder's own timestamps, upright.

Every frame is an (H, W, 3) uint8 RGB array of the rotation-corrected picture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np

from movement_screen.core import InputError, VideoInfo
from movement_screen.quiet import quiet_native_stderr

MIN_FPS, MAX_FPS = 1.0, 1000.0


def _open(path: str) -> cv2.VideoCapture:
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    with quiet_native_stderr():  # FFmpeg logs its own complaint about a bad file
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
    """Read the clip's facts and check that its first frame decodes."""
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
    height, width = frame.shape[:2]
    return VideoInfo(path, fps, width, height, max(count, 1), rotation)


def frames(
    path: str, *, start: int = 0, stop: int | None = None
) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield (frame index, time in seconds, RGB frame) from `start` up to `stop` (exclusive)."""
    with _capture(path) as cap:
        if start > 0:
            _seek(cap, path, start)
        index = start
        while stop is None or index < stop:
            ok, bgr = cap.read()
            if not ok or bgr is None:
                return
            time_s = float(cap.get(cv2.CAP_PROP_POS_MSEC)) / 1000.0
            yield index, time_s, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            index += 1


def _seek(cap: cv2.VideoCapture, path: str, index: int) -> None:
    """Seek to frame `index`, decoding forward from the start if the container cannot seek."""
    if cap.set(cv2.CAP_PROP_POS_FRAMES, index) and int(cap.get(cv2.CAP_PROP_POS_FRAMES)) == index:
        return
    cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
    for _ in range(index):
        if not cap.grab():
            raise InputError(f"{path}: could not reach frame {index}")

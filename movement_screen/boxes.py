"""Boxes (x0, y0, x1, y1) in image pixels, and frames cropped or masked by them."""

from __future__ import annotations

import numpy as np

Box = tuple[float, float, float, float]
MASK_GRAY = 114  # what masked-out parts of a frame are painted with (uint8 RGB)


def _pixels(box: Box, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    height, width = shape[:2]
    x0, y0 = max(int(box[0]), 0), max(int(box[1]), 0)
    x1, y1 = min(int(np.ceil(box[2])), width), min(int(np.ceil(box[3])), height)
    return x0, y0, x1, y1


def crop(rgb: np.ndarray, box: Box) -> tuple[np.ndarray, tuple[int, int]]:
    """The part of the frame inside `box` and its (x, y) offset in the frame."""
    x0, y0, x1, y1 = _pixels(box, rgb.shape)
    return rgb[y0:y1, x0:x1], (x0, y0)


def mask_inside(rgb: np.ndarray, *boxes: Box) -> np.ndarray:
    """A copy of the frame painted grey inside each of `boxes`."""
    out = rgb.copy()
    for box in boxes:
        x0, y0, x1, y1 = _pixels(box, rgb.shape)
        out[y0:y1, x0:x1] = MASK_GRAY
    return out


def expand(box: Box, margin: float, shape: tuple[int, ...]) -> Box:
    """Grow a box by `margin` times its size on every side, clipped to the frame."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    height, width = shape[:2]
    return max(x0 - dx, 0.0), max(y0 - dy, 0.0), min(x1 + dx, width), min(y1 + dy, height)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _intersection(a: Box, b: Box) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    inter = _intersection(a, b)
    union = _area(a) + _area(b) - inter
    return inter / union if union > 0 else 0.0


def covered_share(a: Box, b: Box) -> float:
    """The share of box `a`'s area that box `b` covers (0 for an empty `a`)."""
    area = _area(a)
    return _intersection(a, b) / area if area > 0 else 0.0


def centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0


def contains(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]

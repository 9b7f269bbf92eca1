"""Everyone in a frame: MediaPipe's own person detector, run directly, keeps every body.

The legacy Pose graph runs `pose_detection.tflite` (shipped in the mediapipe wheel) and
keeps its best box; the landmarks then follow that one person. Here the same model runs
through the LiteRT interpreter and every box it scores above `MIN_SCORE` is kept, so a
small, partly hidden or far-off person is found beside a big one. Each body comes with
the square region MediaPipe would give the landmark model: centred on the mid-hip, its
side 2.5 times the distance from the mid-hip to the top of the body circle.

The decoding follows the model's published graph (SSD anchors on 8, 16 and 32 px grids,
224 x 224 input letterboxed to a square, values in [-1, 1], weighted non-maximum
suppression). Arrays: boxes in image pixels (x right, y down).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from movement_screen.boxes import Box, centre, iou
from movement_screen.core import InputError
from movement_screen.quiet import quiet_native_stderr

SIZE = 224  # the model's input, pixels
STRIDES = ((8, 2), (16, 2), (32, 6))  # grid stride, anchors per cell
MIN_SCORE = 0.5  # as in MediaPipe's graph
SAME_BODY = 0.3  # boxes overlapping this much (IoU) are one body, merged by score
ROI_SCALE = 2.5  # region side over the mid-hip-to-circle distance (2 x radius x 1.25)
NEAR_SIDE = 3.0  # `find_near`'s square, in heights of the box it looks around
_TURN = threading.Lock()  # the one interpreter is not safe to share between threads at once


@dataclass(frozen=True)
class Body:
    """One person the detector found: its score, the region to look for landmarks in, and
    the mid-hip and mid-shoulder points (image pixels)."""

    score: float
    region: Box
    hips: tuple[float, float]
    shoulders: tuple[float, float]
    circle: tuple[float, float] | None = None  # the top of the body's circle: size and turn


def model_path() -> Path:
    """The person detector inside the mediapipe wheel (nothing is downloaded)."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or spec.origin is None:
        raise InputError("mediapipe is not installed: run the set-up command in the README")
    return Path(spec.origin).parent / "modules" / "pose_detection" / "pose_detection.tflite"


@cache
def anchors() -> np.ndarray:
    """(2254, 2) anchor centres, as a share of the input square."""
    out = []
    for stride, per_cell in STRIDES:
        cells = SIZE // stride
        y, x = np.mgrid[0:cells, 0:cells]
        centres = np.stack([(x.ravel() + 0.5) / cells, (y.ravel() + 0.5) / cells], axis=1)
        out.append(np.repeat(centres, per_cell, axis=0))
    return np.concatenate(out)


def new_interpreter(path: Path):
    """A LiteRT interpreter for the model at `path` (one thread), ready to run."""
    from ai_edge_litert.interpreter import Interpreter  # heavy: only when first used

    if not path.is_file():
        raise InputError(f"{path}: a MediaPipe model is missing from the wheel")
    with quiet_native_stderr():  # LiteRT announces its CPU delegate on the terminal
        interpreter = Interpreter(model_path=str(path), num_threads=1)
        interpreter.allocate_tensors()
    return interpreter


@cache
def _interpreter():
    return new_interpreter(model_path())


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
    """The frame scaled into a SIZE square with grey borders, values in [-1, 1]; with the
    scale (input pixels per frame pixel) and the square's top-left corner in the frame."""
    import cv2  # OpenCV stays at the edges: only here and in video.py

    height, width = rgb.shape[:2]
    side = max(height, width)
    scale = SIZE / side
    small = cv2.resize(rgb, (max(round(width * scale), 1), max(round(height * scale), 1)),
                       interpolation=cv2.INTER_AREA)  # fmt: skip
    square = np.zeros((SIZE, SIZE, 3), dtype=np.float32)
    top, left = (SIZE - small.shape[0]) // 2, (SIZE - small.shape[1]) // 2
    square[top : top + small.shape[0], left : left + small.shape[1]] = small / 127.5 - 1.0
    return square, scale, (-left / scale, -top / scale)


def letterbox_as_graph(rgb: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
    """`letterbox` as MediaPipe's Pose graph makes it, so that its runner (`landmarker`)
    follows the same person from the same region: the picture sampled bilinearly (not
    averaged, as `letterbox` does for the scan's small, far people), black borders (-1)."""
    import cv2

    height, width = rgb.shape[:2]
    scale = SIZE / max(height, width)
    x0, y0 = (width - max(height, width)) / 2, (height - max(height, width)) / 2
    warp = np.float32([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]])
    square = cv2.warpAffine(rgb, warp, (SIZE, SIZE), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT)  # fmt: skip
    return square.astype(np.float32) / 127.5 - 1.0, scale, (x0, y0)


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """The models' logits as shares in [0, 1] (clipped so that exp cannot overflow)."""
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0)))


def candidates(
    raw: np.ndarray, logits: np.ndarray, scale: float, corner: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The boxes scoring MIN_SCORE or more, from the model's (2254, 12) regressions and
    (2254,) logits: scores (N,), boxes (N, 4) and key points (N, 4, 2) in frame pixels, for
    a picture letterboxed at `scale` whose square's top-left corner is `corner`."""
    score = sigmoid(logits)
    keep = np.flatnonzero(score >= MIN_SCORE)
    grid = anchors()[keep] * SIZE
    points = raw[keep, 4:12].reshape(-1, 4, 2) + grid[:, None, :]  # input pixels
    centre = raw[keep, :2] + grid
    half = raw[keep, 2:4] / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    to_frame = np.array(corner)
    points = points / scale + to_frame
    boxes = boxes / scale + np.tile(to_frame, 2)
    return score[keep], boxes, points


def _merge(score: np.ndarray, boxes: np.ndarray, points: np.ndarray) -> list[Body]:
    """Weighted non-maximum suppression: each group of overlapping boxes becomes one body,
    its key points the score-weighted mean of the group's."""
    order = list(np.argsort(-score))
    bodies = []
    while order:
        best = order[0]
        group = [i for i in order if iou(tuple(boxes[best]), tuple(boxes[i])) >= SAME_BODY]
        order = [i for i in order if i not in group]
        weights = score[group] / score[group].sum()
        hips, circle, shoulders = (
            np.tensordot(weights, points[group, k], axes=1) for k in (0, 1, 2)
        )
        half = ROI_SCALE * float(np.hypot(*(circle - hips))) / 2
        region = (hips[0] - half, hips[1] - half, hips[0] + half, hips[1] + half)
        bodies.append(
            Body(float(score[best]), region, tuple(hips), tuple(shoulders), tuple(circle))
        )
    return bodies


def tiles(shape: tuple[int, ...]) -> list[Box]:
    """The whole frame, then squares as tall as the frame's short side spread along its long
    side, overlapping: the detector, trained on people filling much of a square picture,
    misses people small in a wide frame that it finds in a square cut of it."""
    height, width = shape[:2]
    side, long = min(height, width), max(height, width)
    count = int(np.ceil(long / side)) + 1 if long > 1.2 * side else 0
    starts = np.linspace(0, long - side, count) if count else []
    if width >= height:
        return [(0, 0, width, height), *((float(s), 0, float(s) + side, height) for s in starts)]
    return [(0, 0, width, height), *((0, float(s), width, float(s) + side) for s in starts)]


def _run(square: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model's (2254, 12) regressions and (2254,) logits for one letterboxed picture.
    One interpreter serves the process: tracking passes in threads take turns."""
    with _TURN:
        return run_on(_interpreter(), square)


def run_on(interpreter, square: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_run` on an interpreter of the caller's own (used by one thread at a time)."""
    inputs, outputs = interpreter.get_input_details(), interpreter.get_output_details()
    by_size = sorted(outputs, key=lambda o: int(o["shape"][-1]), reverse=True)
    interpreter.set_tensor(inputs[0]["index"], square[None])
    interpreter.invoke()
    raw = interpreter.get_tensor(by_size[0]["index"])[0].copy()
    logits = interpreter.get_tensor(by_size[1]["index"])[0, :, 0].copy()
    return raw, logits


def find_bodies(rgb: np.ndarray) -> list[Body]:
    """Every person the detector finds in one (H, W, 3) RGB frame (`tiles`), best first."""
    return _find(rgb, tiles(rgb.shape))


def find_near(rgb: np.ndarray, box: Box) -> list[Body]:
    """Every person the detector finds in one square around `box` (NEAR_SIDE times its
    height, clipped to the frame): one run of the model, for a look at who is close to
    the athlete on a frame being tracked."""
    height, width = rgb.shape[:2]
    (cx, cy), half = centre(box), NEAR_SIDE * (box[3] - box[1]) / 2
    x0, y0 = max(int(cx - half), 0), max(int(cy - half), 0)
    x1, y1 = min(int(cx + half) + 1, width), min(int(cy + half) + 1, height)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    return _find(rgb, [(float(x0), float(y0), float(x1), float(y1))])


def strongest(rgb: np.ndarray, interpreter) -> Body | None:
    """The best-scored person in the whole (H, W, 3) RGB picture, as MediaPipe's Pose graph
    finds whom to follow (one look at the picture as the graph shrinks it, no tiles), on the
    caller's own `interpreter`."""
    square, scale, corner = letterbox_as_graph(rgb)
    found = _merge(*candidates(*run_on(interpreter, square), scale, corner))
    return found[0] if found else None


def _find(rgb: np.ndarray, squares: list[Box]) -> list[Body]:
    """The bodies found in each of `squares` (frame pixels), merged, best first."""
    scores, boxes, points = [], [], []
    for x0, y0, x1, y1 in squares:
        part = np.ascontiguousarray(rgb[int(y0) : int(y1), int(x0) : int(x1)])
        square, scale, corner = letterbox(part)
        raw, logits = _run(square)
        found = candidates(raw, logits, scale, (corner[0] + x0, corner[1] + y0))
        scores.append(found[0])
        boxes.append(found[1])
        points.append(found[2])
    return _merge(np.concatenate(scores), np.concatenate(boxes), np.concatenate(points))

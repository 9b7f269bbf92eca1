"""One person's 33 landmarks per frame, in pixels: where pose models are run.

Two back ends: MediaPipe's pose landmark model bundled in the mediapipe wheel, run
through LiteRT as MediaPipe's legacy Pose solution runs it (`landmarker`; the default,
nothing downloaded), or MediaPipe's Tasks API (imported through `mediapipe_import`) when
the user puts a `pose_landmarker_*.task` file in `models/`. Detections are in image
pixels (x right, y down); `to_pose` flips y once, to the y-up convention of `core.Pose`.
"""

from __future__ import annotations

import atexit
import glob
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from movement_screen.bodies import Body, find_bodies
from movement_screen.boxes import Box, crop, expand, iou, mask_inside
from movement_screen.core import InputError, Pose
from movement_screen.landmarker import GAIT, Following, Landmarker
from movement_screen.landmarks import INDEX, N_LANDMARKS
from movement_screen.quiet import quiet_native_stderr

MIN_CONFIDENCE = 0.5
MOST_PEOPLE = 4  # people looked for in one frame when choosing the athlete
HIPS_MATCH = 0.25  # landmarks whose mid-hip is this far (share of the region) are someone else
GREY_MARGIN = 0.1  # share of a found body's box size it is grown by before it is greyed out


@dataclass(frozen=True)
class Detection:
    """One person in one frame: xy (33, 2) image pixels (y down), visibility (33,) in [0, 1],
    z (33,) MediaPipe's relative depth (smaller is nearer the camera)."""

    xy: np.ndarray
    visibility: np.ndarray
    z: np.ndarray | None = None
    passing: bool = False  # someone as near as this person or nearer is over them here

    def box(self) -> Box:
        """(x0, y0, x1, y1) around the body landmarks, image pixels."""
        x, y = self.xy[:, 0], self.xy[:, 1]
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())

    def hips(self) -> np.ndarray:
        """(2,) the midpoint of the two hip landmarks, image pixels."""
        return (self.xy[INDEX["left_hip"]] + self.xy[INDEX["right_hip"]]) / 2


Detector = Callable[[np.ndarray, float], Detection | None]


def task_model_path(models_dir: str = "models") -> str | None:
    """The user's `pose_landmarker_*.task`, if there is one.

    A relative `models_dir` is looked up in the working folder, then beside the
    package (the repository's `models/`).
    """
    folders = [models_dir]
    if not os.path.isabs(models_dir):
        folders.append(os.path.join(os.path.dirname(os.path.dirname(__file__)), models_dir))
    for folder in folders:
        found = sorted(glob.glob(os.path.join(folder, "pose_landmarker_*.task")))
        if found:
            return found[0]
    return None


@contextmanager
def open_detector(
    *, static: bool, models_dir: str = "models", following: Following = GAIT
) -> Iterator[Detector]:
    """A fresh single-person detector; video mode (static=False) wants increasing times,
    and follows the person as `following` says (`landmarker.Following`; a Tasks-API model
    always follows its own way)."""
    task = task_model_path(models_dir)
    if task:
        with _tasks_detector(task, static=static) as detect:
            yield detect
    else:
        with _pooled_detector(static=static, following=following) as detect:
            yield detect


def _import_mediapipe():
    """Import MediaPipe with its start-up chatter quiet."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # MediaPipe 0.10.14 calls a protobuf method that protobuf 5 marks deprecated on every
    # frame. Silence exactly that notice, when a model is first used (never at import);
    # catch_warnings would not do: it is not thread-safe and pose passes run in threads.
    warnings.filterwarnings(
        "ignore", message=r"SymbolDatabase\.GetPrototype\(\) is deprecated", category=UserWarning
    )
    from movement_screen.mediapipe_import import mediapipe

    return mediapipe()


@contextmanager
def _pooled_detector(*, static: bool, following: Following) -> Iterator[Detector]:
    model = _borrow(following)
    find = _static_detection if static else _followed_detection

    def detect(rgb: np.ndarray, time_s: float) -> Detection | None:
        return find(model, rgb)

    yield detect  # stopped part-way (an exception here), the model is not lent again
    _give_back(model)


def _static_detection(model, rgb: np.ndarray) -> Detection | None:
    model.forget()  # a single picture: the person detector looks afresh
    return _followed_detection(model, rgb)


def _followed_detection(model, rgb: np.ndarray) -> Detection | None:
    found = model(rgb, MIN_CONFIDENCE)
    if found is None:
        return None
    body = slice(0, N_LANDMARKS)
    return Detection(found.xy[body], np.clip(found.visibility[body], 0.0, 1.0), found.z[body])


# Models kept warm between passes and analyses (the app and a batch's workers run many),
# lent to one pass at a time, per process (a forked child cannot use its parent's
# interpreters). A model is lent for single pictures (the choice of athlete and its looks)
# or to follow the athlete through the clip, in the way asked for (`open_detector`):
# it first forgets whom it followed and takes that way, and its landmarks are then
# identical to a new model's (tests/test_pose_pool.py). So tracking takes the scan's
# models: building one took 0.2-0.6 s.
IDLE_MOST = 4  # warm models kept
_idle: dict[int, list] = {}  # by process id
_idle_lock = threading.Lock()


def _borrow(following: Following):
    with _idle_lock:
        idle = _idle.get(os.getpid(), [])
        model = idle.pop() if idle else None
    if model is None:
        return Landmarker(following)
    model.following = following
    model.forget()
    return model


def _give_back(model) -> None:
    with _idle_lock:
        idle = _idle.setdefault(os.getpid(), [])
        if len(idle) < IDLE_MOST:
            idle.append(model)


@atexit.register
def release_idle() -> None:
    """Drop this process's warm models (at exit; a benchmark timing a cold start)."""
    with _idle_lock:
        _idle.pop(os.getpid(), None)


@contextmanager
def _tasks_detector(model_path: str, *, static: bool) -> Iterator[Detector]:
    mp = _import_mediapipe()
    from mediapipe.tasks.python import BaseOptions, vision

    mode = vision.RunningMode.IMAGE if static else vision.RunningMode.VIDEO
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model_path),
        running_mode=mode,
        num_poses=1,
        min_pose_detection_confidence=MIN_CONFIDENCE,
        min_tracking_confidence=MIN_CONFIDENCE,
    )
    try:
        with quiet_native_stderr():
            landmarker = vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(
            f"{model_path}: not a usable MediaPipe pose landmarker model ({first})"
        ) from None
    last_ms = [-1]

    def detect(rgb: np.ndarray, time_s: float) -> Detection | None:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if static:
            result = landmarker.detect(image)
        else:
            last_ms[0] = max(last_ms[0] + 1, int(round(time_s * 1000)))
            result = landmarker.detect_for_video(image, last_ms[0])
        if not result.pose_landmarks:
            return None
        return _from_normalised(result.pose_landmarks[0], rgb.shape)

    try:
        yield detect
    finally:
        landmarker.close()


def _from_normalised(landmarks, shape: tuple[int, ...]) -> Detection:
    """MediaPipe normalises x by width and y by height: convert both to pixels here."""
    height, width = shape[:2]
    raw = np.array([(p.x, p.y, getattr(p, "visibility", 1.0) or 0.0, p.z) for p in landmarks])
    xy = raw[:, :2] * np.array([width, height], dtype=float)
    return Detection(xy=xy, visibility=np.clip(raw[:, 2], 0.0, 1.0), z=raw[:, 3])


def shifted(found: Detection | None, offset: tuple[int, int]) -> Detection | None:
    """A detection made on a crop, moved back to the frame's pixels."""
    if found is None:
        return None
    return Detection(found.xy + np.asarray(offset, dtype=float), found.visibility, found.z)


def detect_in(detect: Detector, rgb: np.ndarray, box: Box, time_s: float) -> Detection | None:
    """Run a detector on the crop `box` of the frame; landmarks in frame pixels."""
    part, offset = crop(rgb, box)
    if part.shape[0] < 16 or part.shape[1] < 16:
        return None
    return shifted(detect(np.ascontiguousarray(part), time_s), offset)


def find_people(
    rgb: np.ndarray, detect: Detector, *, regions: tuple[Box, ...] = ()
) -> list[Detection]:
    """Everyone in one frame, landmarks from the single-person model `detect` (static mode).

    Each body MediaPipe's person detector finds (`bodies.find_bodies`, which keeps every
    box) gets its landmarks from `detect` run on that body's region. Then, with everyone
    found greyed out, `detect` looks again in the whole frame and in each of `regions`
    (crops, where a small person is easier to find) for anyone the detector missed.
    """
    people: list[Detection] = []
    for body in find_bodies(rgb):
        found = _landmarks_of(body, rgb, detect, people)
        if found is not None:
            people.append(found)
    frame = greyed_out(rgb, people)
    full = (0.0, 0.0, float(rgb.shape[1]), float(rgb.shape[0]))
    for region in (full, *regions):
        for _ in range(MOST_PEOPLE - len(people)):
            found = detect_in(detect, frame, region, 0.0)
            if found is None or _overlaps_known(found, people):
                break
            people.append(found)
            frame = greyed_out(frame, [found])
    return people


def _landmarks_of(
    body: Body, rgb: np.ndarray, detect: Detector, people: list[Detection]
) -> Detection | None:
    """The landmarks of one detected body: `detect` on its region, again with the people
    already found greyed out if it first lands on one of them; None if it finds nobody
    new whose hips are where the detector put this body's."""
    frame = rgb
    for _ in range(2):
        found = detect_in(detect, frame, body.region, 0.0)
        if found is None:
            return None
        if not _overlaps_known(found, people) and _hips_match(found, body):
            return found
        frame = greyed_out(rgb, people)
    return None


def greyed_out(rgb: np.ndarray, people: list[Detection]) -> np.ndarray:
    """A copy of the frame with each of `people` painted grey (their box grown by a tenth)."""
    return mask_inside(rgb, *(expand(p.box(), GREY_MARGIN, rgb.shape) for p in people))


def _hips_match(found: Detection, body: Body) -> bool:
    """Are the landmarks' mid-hip within a quarter of the body's region of the detector's?"""
    side = body.region[2] - body.region[0]
    return bool(np.hypot(*(found.hips() - np.asarray(body.hips))) <= HIPS_MATCH * side)


def _overlaps_known(found: Detection, people: list[Detection]) -> bool:
    return any(iou(found.box(), p.box()) > 0.5 for p in people)


def to_pose(time: np.ndarray, detections: list[Detection | None], height: int) -> Pose:
    """Stack per-frame detections into a Pose, flipping y to point up."""
    n = len(detections)
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n, N_LANDMARKS))
    depth = np.full((n, N_LANDMARKS), np.nan)
    for i, det in enumerate(detections):
        if det is not None:
            xy[i, :, 0] = det.xy[:, 0]
            xy[i, :, 1] = height - det.xy[:, 1]
            vis[i] = det.visibility
            if det.z is not None:
                depth[i] = det.z
    return Pose(np.asarray(time, dtype=float), xy, vis, depth)

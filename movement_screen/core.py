"""Core data types that flow between the stages.

Conventions, said once: time is axis 0 of every array; positions are in pixels
of the upright frame with x to the right and **y up** (the image's y is flipped
once, in `pose.py`); angles are in degrees; NaN means "not visible or not
defined", never "something crashed".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from movement_screen.landmarks import INDEX, N_LANDMARKS

MIN_CLIP_S = 1.0  # about one sprint stride; a lunge or hinge rep takes 2-4 s


def sampling_rate(time: np.ndarray) -> float:
    """Samples per second from the median step of (T,) times in seconds (30 if unknown)."""
    steps = np.diff(time)
    steps = steps[steps > 0]
    return 1.0 / float(np.median(steps)) if steps.size else 30.0


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a 1-D bool array (stop exclusive)."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")  # what upload and batch take


class InputError(ValueError):
    """A problem with what the user gave us; the CLI prints it as one line."""


class View(enum.StrEnum):
    SIDE = "side"
    FRONT = "front"


class Movement(enum.StrEnum):
    SPRINT = "sprint"
    LUNGE = "lunge"
    HINGE = "hinge"
    SINGLE_LEG_SQUAT = "single_leg_squat"


class Severity(enum.StrEnum):
    OK = "ok"
    WATCH = "watch"
    FLAG = "flag"


@dataclass(frozen=True)
class VideoInfo:
    """Facts about a clip. `fps` is nominal; per-frame times come from the decoder."""

    path: str
    fps: float
    width: int  # of the upright (rotation-corrected) frame, pixels
    height: int
    frame_count: int  # frames that decode
    rotation: int  # degrees of rotation metadata that was applied (0, 90, 180, 270)
    declared_frames: int | None = None  # what the container claims, when more than decode

    @property
    def duration(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True)
class Pose:
    """One person over time.

    time: (T,) seconds from the decoder. xy: (T, 33, 2) pixels, y up, NaN where
    not tracked. visibility: (T, 33) in [0, 1], 0 where not tracked. depth:
    (T, 33) MediaPipe's relative depth (smaller is nearer the camera), NaN where
    unknown; None when the source has none. In a track it is in frame widths, as
    MediaPipe gives it; once cleaned (`CleanPose`), in pixels like xy.
    """

    time: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    depth: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = self.time.shape[0]
        if self.time.ndim != 1:
            raise ValueError(f"expected time of shape (T,), got {self.time.shape}")
        if self.xy.shape != (n, N_LANDMARKS, 2):
            raise ValueError(f"expected xy of shape ({n}, {N_LANDMARKS}, 2), got {self.xy.shape}")
        if self.visibility.shape != (n, N_LANDMARKS):
            raise ValueError(
                f"expected visibility of shape ({n}, {N_LANDMARKS}), got {self.visibility.shape}"
            )

    def __len__(self) -> int:
        return self.time.shape[0]

    def point(self, name: str) -> np.ndarray:
        """(T, 2) pixel positions of one landmark, y up."""
        return self.xy[:, INDEX[name]]

    def mid(self, a: str, b: str) -> np.ndarray:
        """(T, 2) midpoint of two landmarks."""
        return (self.point(a) + self.point(b)) / 2.0

    def with_xy(self, xy: np.ndarray) -> Pose:
        return Pose(self.time, xy, self.visibility, self.depth)


@dataclass(frozen=True)
class AthleteChoice:
    """How the tracked person was chosen: `method` is 'given' or 'auto'."""

    method: str
    time_s: float
    x: float  # image pixels (y down), the point that identified the athlete
    y: float
    frame: int
    candidates: int  # people seen in that frame
    reason: str
    unsure: bool = False  # another person scored nearly as high: the user should check
    others: tuple[tuple[float, float], ...] = ()  # centres (image pixels) of the others seen


@dataclass(frozen=True)
class Track:
    """The raw track of the one athlete: `found` (T,) is True where the detector had them.

    `rows` (T,) are the clip's frame indices of the rows when pose ran on every few frames
    only (None: one row per frame of the clip); `frame_count` is the clip's. `stopped_s`:
    times (s) where the track was stopped because the hips jumped or left the athlete's
    place, as onto someone else (`identity`): the frames beyond, away from the chosen
    frame, are left empty, except from each of `found_again_s` outward (the athlete back at
    their place). `passing` (T,): someone as near the camera as the athlete or nearer was
    over them (`passing`; on frames whose body was not kept too; None: nobody else was
    looked for, as when the athlete was seen alone). `looks` (T,): +1 where the landmark
    model, given that frame alone while the athlete was chosen, drew the legs with the
    track's labels, -1 the other way round, 0 where it did not look (None: no look at
    all)."""

    pose: Pose
    found: np.ndarray
    choice: AthleteChoice
    frame_size: tuple[int, int]  # (width, height) pixels of the upright frame
    rows: np.ndarray | None = None
    frame_count: int | None = None
    stopped_s: tuple[float, ...] = ()
    found_again_s: tuple[float, ...] = ()
    passing: np.ndarray | None = None  # (T,) True: someone as near or nearer over them
    looks: np.ndarray | None = None  # (T,) int8 second looks at the legs (`tracking.second_looks`)


@dataclass(frozen=True)
class CleanPose:
    """Cleaned landmarks and what cleaning did.

    filled: (T, 33) True where a short gap was interpolated. swapped: (T,) True
    where the left and right legs were exchanged. far_leg_trusted: (T,) False
    where the far leg could be the near one drawn twice or is missing. legs_in_doubt: (T,)
    True where nothing told the left leg from the right for a while, so the legs were not
    measured there. posed: (T,) False on frames pose did not run on (filled in from the
    filtered frames around them); None when it ran on every frame. passing: (T,) True
    where nothing is measured, for someone passing close (`filtering.near_passing`); None:
    nobody did.
    """

    pose: Pose
    filled: np.ndarray
    swapped: np.ndarray
    far_leg_trusted: np.ndarray
    legs_in_doubt: np.ndarray
    outliers: int
    cutoff_hz: float
    posed: np.ndarray | None = None
    passing: np.ndarray | None = None


@dataclass(frozen=True)
class Angles:
    """Angle time series: `values[name]` is (T,) degrees (knee heights: a ratio)."""

    time: np.ndarray
    values: dict[str, np.ndarray]
    view: View
    facing: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,) +1 right, -1 left


@dataclass(frozen=True)
class Event:
    """One stride (sprint, per leg) or rep (lunge, hinge): frame indices into the clip.

    `moments` names key frames: toe_off, peak_knee_drive, foot_strike (sprint);
    bottom (lunge); deepest (hinge). `side` is the stride's leg or the lunge's
    front leg; None where it does not apply.
    """

    kind: str  # "stride" or "rep"
    number: int  # 1-based, per side for strides
    side: str | None
    start: int
    end: int
    moments: dict[str, int]


@dataclass(frozen=True)
class Measurement:
    """One number: per event (`rep` set, kind 'value'), or a summary across events.

    kind: 'value' | 'median' (across events, per side) | 'asymmetry' (left minus
    right median) | 'drift' (last events minus first events).
    """

    metric: str
    value: float
    unit: str
    side: str | None = None
    rep: int | None = None
    kind: str = "value"
    # asymmetry and drift: how likely a change this large is from the spread of the events
    # alone (Welch's t-test between the sides; Spearman's test of a trend); NaN: not told
    p: float = float("nan")

"""One person's landmarks: MediaPipe's pose landmark model run directly through LiteRT.

MediaPipe's legacy Pose graph runs `pose_landmark_full.tflite` (shipped in the mediapipe
wheel) on a region around the person and decodes what it returns. The graph took 36 ms a
frame on a 2-core AMD EPYC, the model alone 20 ms: the rest is the graph's own machinery.
Here the same model runs through the LiteRT interpreter, and what the graph does around
it is done in numpy and OpenCV, as the graph of mediapipe 0.10.14 does it (read off its
outputs: its detection, its regions and its landmarks; tests/test_landmarker.py holds the
two together). On the same region the landmarks agree to 0.0004 px (median); from the
detector on a single picture to 0.01 px; followed through a clip to 0.1 px median (a far
foot the heatmap is unsure of now and then by a few pixels, as the two builds'
arithmetic differs in the last digits):

- **Where to look.** A square region turned so that the body points up: centred on the
  hip centre, its side 2 x 1.25 times the distance from there to the top of the body's
  circle, turned by that line's angle from upright. The two points come from the person
  detector (`bodies.strongest`, whom the graph would follow) or, in video mode, from the
  last frame's two auxiliary landmarks (33 and 34), as the graph follows a person from
  frame to frame without the detector.
- **The model's input.** The region cut out to 256 x 256 (the frame's edge pixels
  repeated past it), values in [0, 1].
- **Its output.** 39 landmarks (x, y, z in input pixels, visibility and presence as
  logits; the last six are auxiliary). Each x, y is refined to the weighted mean of its
  64 x 64 heatmap's sigmoid in a 9 x 9 window where that reaches 0.5 there, then mapped
  back into the picture. A pose flag under MIN_CONFIDENCE means nobody: in video mode
  the next frame searches afresh.

- **Following.** The next frame's region is derived from this frame's two auxiliary
  landmarks, first smoothed over time as the graph smooths them (`Steady`: a One-Euro
  filter in the picture's pixels, its speed in body circles a second, minimum cut-off
  0.01 Hz, beta 10, derivative cut-off 1 Hz, at the 30 frames a second the Python
  solution stamps every picture with). That holds the region still, but turns it late
  wherever the body turns, and the model draws the body turned as late as its region:
  on the 16 `train` hip hinges (24-30 fps) the trunk lean fit best up to 1.5 frames
  late. `Following.turn_as_drawn` (tracking's way for a body bending and rising in
  place): the region's turn is the drawn points', its centre and size still smoothed: the hinges'
  trunk lean MAE fell from 2.8 to 1.8 degrees (mean). In a running gait the trunk hardly
  turns, and the graph's way keeps the legs' labels steadier (the points wholly as drawn
  there: more frames with the legs swapped).
- **Looked at twice, in place.** With `Following.mirrored` the model also looks at the
  region's mirror image, and each landmark is the mean of the two looks where they agree
  (`mirrored_mean`): the model places a body facing left a little differently from the
  same body facing right, and the mean cancels that part. On the 14 side views of a body
  in place alone in `train`, the mean MAE (worse leg) fell 3.06 -> 2.74 degrees (thigh),
  3.45 -> 3.09 (hip flexion), 3.36 -> 3.05 (knee); trunk lean 1.28 -> 1.32. The mirror
  is looked at on every second frame followed (`MIRROR_EVERY`), and the frame between
  takes the shift that look made (`Shift`): the body moves little in a frame (30 frames
  a second are posed there), and the model's work is 1.5 times, not twice, the plain
  look's. On the 8 `train` side views of a lunge or a hinge alone that moved each
  clip's worse-leg MAE by at most 0.25 degrees but on one clip the model reads about 12
  degrees off throughout (thigh 11.5 -> 12.4); a 60 s lunge at 60 fps took 38.5 s, 45.5 s
  looked at mirrored on every frame (`benchmarks/HISTORY.md`, session 55). In a gait it
  made no difference, and among others in view the athlete was followed onto someone
  else more often (`benchmarks/HISTORY.md`), so tracking asks for it only for a body in
  place with nobody else in view.

Arrays: pixels (x right, y down); z in MediaPipe's unit (the picture's width).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from movement_screen import bodies
from movement_screen.landmarks import ARM_PARTS, INDEX, LEG_PARTS, N_LANDMARKS, swap_sides

SIZE = 256  # the model's input, pixels
HEATMAP = 64  # its heatmap's side
KERNEL = 9  # heatmap window, cells
REFINE_FROM = 0.5  # a heatmap peak under this leaves the landmark as regressed
N_OUT = 39  # landmarks the model returns: 33, then 6 auxiliary
MIRROR_EVERY = 2  # posed frames between mirrored looks (`Landmarker._with_mirror`)
AGREE = 0.03  # a mirrored look's landmark further off (shares of the side) is not averaged
CENTRE, CIRCLE = 33, 34  # auxiliary landmarks the next region is derived from
STAMP_RATE = 30.0  # pictures a second, as MediaPipe's Python solution stamps them
MIN_CUTOFF, BETA, DERIVATIVE_CUTOFF = 0.01, 10.0, 1.0  # the graph's auxiliary landmark filter


def model_path():
    """The landmark model inside the mediapipe wheel (nothing is downloaded)."""
    return bodies.model_path().parents[1] / "pose_landmark" / "pose_landmark_full.tflite"


@dataclass(frozen=True)
class Region:
    """A square region of the picture, in shares of its width and height (as MediaPipe keeps
    it, so that it carries over to the next picture of a crop of another size), turned by
    `rotation` radians (clockwise on the screen)."""

    x: float
    y: float
    width: float
    height: float
    rotation: float

    @classmethod
    def around(cls, centre, circle, shape: tuple[int, ...]) -> Region:
        """The region from a body's centre and the top of its circle (pixels)."""
        height, width = shape[:2]
        dx, dy = circle[0] - centre[0], circle[1] - centre[1]
        side = math.hypot(dx, dy) * bodies.ROI_SCALE
        turn = math.pi / 2 - math.atan2(-dy, dx)
        turn -= 2 * math.pi * math.floor((turn + math.pi) / (2 * math.pi))  # in [-pi, pi)
        return cls(centre[0] / width, centre[1] / height, side / width, side / height, turn)

    def in_pixels(self, shape: tuple[int, ...]) -> tuple[float, float, float, float]:
        """Centre x, y, side (the longer of the two) and rotation, in this picture's pixels."""
        height, width = shape[:2]
        side = max(self.width * width, self.height * height)
        return self.x * width, self.y * height, side, self.rotation


def _to_picture(uv: np.ndarray, region: Region, shape: tuple[int, ...]) -> np.ndarray:
    """(N, 2) points in shares of the region's square -> picture pixels."""
    cx, cy, side, turn = region.in_pixels(shape)
    cos, sin = math.cos(turn), math.sin(turn)
    x, y = (uv[:, 0] - 0.5) * side, (uv[:, 1] - 0.5) * side
    return np.stack([cx + cos * x - sin * y, cy + sin * x + cos * y], axis=1)


def cut_out(rgb: np.ndarray, region: Region) -> np.ndarray:
    """The model's input: the region as a (1, SIZE, SIZE, 3) float32 picture in [0, 1],
    the frame's edge pixels repeated outside it (as the graph pads)."""
    import cv2  # OpenCV stays at the edges

    cx, cy, side, turn = region.in_pixels(rgb.shape)
    corners = cv2.boxPoints(((cx, cy), (side, side), math.degrees(turn)))
    target = np.float32([[0, SIZE], [0, 0], [SIZE, 0], [SIZE, SIZE]])
    warp = cv2.getPerspectiveTransform(corners, target)
    square = cv2.warpPerspective(rgb, warp, (SIZE, SIZE), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    return (square.astype(np.float32) / 255.0)[None]


def refined(uv: np.ndarray, heatmap: np.ndarray) -> np.ndarray:
    """(N, 2) landmark positions (shares of the input square) moved to the weighted mean
    of their (HEATMAP, HEATMAP, N) heatmap logits' sigmoid in a KERNEL-wide window around
    each, where its largest value there reaches REFINE_FROM (cells past the edge count as
    zero; a landmark outside the square is left as it is). Only the windows' cells are
    turned into shares: all N windows at once, not the whole heatmap."""
    half = (KERNEL - 1) // 2
    cells = (uv * HEATMAP).astype(int)  # column, row (as C++ casts: toward zero)
    steps = np.arange(-half, half + 1)
    cols, rows = cells[:, :1] + steps, cells[:, 1:] + steps  # (N, KERNEL) each
    rows_in, cols_in = (rows >= 0) & (rows < HEATMAP), (cols >= 0) & (cols < HEATMAP)
    on_map = rows_in[:, :, None] & cols_in[:, None, :]  # (N, KERNEL rows, KERNEL columns)
    logits = heatmap[
        np.clip(rows, 0, HEATMAP - 1)[:, :, None],
        np.clip(cols, 0, HEATMAP - 1)[:, None, :],
        np.arange(len(uv))[:, None, None],
    ]
    window = np.where(on_map, bodies.sigmoid(logits), 0.0)
    total = window.sum(axis=(1, 2))
    inside = ((cells >= 0) & (cells < HEATMAP)).all(axis=1)
    sure = inside & (window.max(axis=(1, 2)) >= REFINE_FROM) & (total > 0)
    total = np.where(sure, total, 1.0) * HEATMAP
    out = uv.copy()
    out[sure, 0] = ((window.sum(axis=1) * cols).sum(axis=1) / total)[sure]
    out[sure, 1] = ((window.sum(axis=2) * rows).sum(axis=1) / total)[sure]
    return out


def _alpha(cutoff: float | np.ndarray) -> float | np.ndarray:
    """A low-pass filter's weight for the new value at STAMP_RATE and `cutoff` Hz."""
    tau = 1.0 / (2 * math.pi * cutoff)
    return 1.0 / (1.0 + tau * STAMP_RATE)


class Steady:
    """A One-Euro filter on the (2, 2) centre and circle-top points, each coordinate on its
    own, its speed in body circles (twice the points' distance apart) a second, as the
    graph smooths them. The first points after `reset` pass as they are."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._raw: np.ndarray | None = None  # last input
        self._kept: np.ndarray | None = None  # last output
        self._speed: np.ndarray | None = None  # last smoothed speed, body circles a second

    def __call__(self, points: np.ndarray) -> np.ndarray:
        size = 2 * float(np.hypot(*(points[1] - points[0])))
        if size <= 1e-6:  # no size to scale the speed by: passed on, nothing kept
            return points.copy()
        if self._raw is None:
            self._speed, kept = np.zeros_like(points), points.copy()
        else:
            now = (points - self._raw) / size * STAMP_RATE
            self._speed = _alpha(DERIVATIVE_CUTOFF) * (now - self._speed) + self._speed
            weight = _alpha(MIN_CUTOFF + BETA * np.abs(self._speed))
            kept = weight * (points - self._kept) + self._kept
        self._raw, self._kept = points.copy(), kept
        return kept


def turned_as(points: np.ndarray, length: float) -> np.ndarray:
    """(2,) `length` pixels from the first of the (2, 2) points toward the second (nothing
    where they coincide)."""
    step = points[1] - points[0]
    apart = float(np.hypot(*step))
    return step * (length / apart) if apart > 0 else np.zeros(2)


@dataclass(frozen=True)
class Following:
    """How the model follows a body from frame to frame: the graph's way (the default), or
    for a body bending and rising in place its region turned as the model drew the body
    (`turn_as_drawn`), and each frame looked at twice, as it is and mirrored (`mirrored`,
    `mirrored_mean`)."""

    turn_as_drawn: bool = False
    mirrored: bool = False


GAIT = Following()


@dataclass(frozen=True)
class Found:
    """What the model found in one region: xy (39, 2) picture pixels, visibility (39,) in
    [0, 1], z (39,) in the picture's widths, and the pose flag (0-1)."""

    xy: np.ndarray
    visibility: np.ndarray
    z: np.ndarray
    flag: float


class Landmarker:
    """The model and the person detector on interpreters of its own (one thread at a time),
    following the person found on the frame before (MediaPipe's video mode): from that
    frame's region points smoothed as the graph smooths them, or as `following` says."""

    def __init__(self, following: Following = GAIT) -> None:
        self._model = bodies.new_interpreter(model_path())
        self._people = bodies.new_interpreter(bodies.model_path())
        outputs = {tuple(o["shape"]): o["index"] for o in self._model.get_output_details()}
        self._input = self._model.get_input_details()[0]["index"]
        self._points = outputs[(1, N_OUT * 5)]
        self._flag = outputs[(1, 1)]
        self._heatmap = outputs[(1, HEATMAP, HEATMAP, N_OUT)]
        self._steady = Steady()
        self.forget()
        self.following = following

    def forget(self) -> None:
        """Search afresh on the next frame (as a new model would)."""
        self._last: Region | None = None
        self._steady.reset()
        self._held: Shift | None = None  # the last mirrored look's part (`_with_mirror`)
        self._since = 0  # frames followed since that look

    def __call__(self, rgb: np.ndarray, min_flag: float) -> Found | None:
        """The person in one (H, W, 3) RGB picture, or None."""
        region, self._last = self._last, None  # kept below if someone is found
        if region is None:
            self.forget()  # nobody followed: the graph's filter starts again
            body = bodies.strongest(rgb, self._people)
            if body is None or body.circle is None:
                return None
            region = Region.around(body.hips, body.circle, rgb.shape)
        found = self.landmarks(rgb, region)
        if found.flag < min_flag:
            return None
        drawn = found.xy[[CENTRE, CIRCLE]]
        centre, circle = self._steady(drawn)
        if self.following.turn_as_drawn:
            circle = centre + turned_as(drawn, float(np.hypot(*(circle - centre))))
        self._last = Region.around(centre, circle, rgb.shape)
        return found

    def landmarks(self, rgb: np.ndarray, region: Region) -> Found:
        """The model run on `region` of the picture (twice where `Following.mirrored`)."""
        square = cut_out(rgb, region)
        look = self._look(square)
        if self.following.mirrored:
            look = self._with_mirror(look, square)
        side = region.in_pixels(rgb.shape)[2]
        xy = _to_picture(look.uv, region, rgb.shape)
        return Found(xy, look.visibility, look.z * side / rgb.shape[1], look.flag)

    def _with_mirror(self, look: Look, square: np.ndarray) -> Look:
        """`look` with the mirrored look's part (`mirrored_mean`): on every MIRROR_EVERY-th
        frame followed, the model also looks at the mirror image; the frames between take
        the shift that look made last, as the body moves little in between."""
        if self._held is not None and self._since < MIRROR_EVERY - 1:
            self._since += 1
            return self._held.applied(look)
        mean = mirrored_mean(look, self._look(np.ascontiguousarray(square[:, :, ::-1])))
        self._held, self._since = Shift.between(look, mean), 0
        return mean

    def _look(self, square: np.ndarray) -> Look:
        """The model run once on a (1, SIZE, SIZE, 3) input."""
        self._model.set_tensor(self._input, square)
        self._model.invoke()
        raw = self._model.get_tensor(self._points)[0].reshape(N_OUT, 5)
        flag = float(self._model.get_tensor(self._flag)[0, 0])
        heatmap = self._model.get_tensor(self._heatmap)[0]
        uv = refined(raw[:, :2] / SIZE, heatmap)
        return Look(uv, raw[:, 2] / SIZE, bodies.sigmoid(raw[:, 3]), flag)


@dataclass(frozen=True)
class Look:
    """The model's answer on one input square: uv (39, 2) and z (39,) in shares of the
    square's side, visibility (39,) in [0, 1], and the pose flag."""

    uv: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    flag: float


@dataclass(frozen=True)
class Shift:
    """What a mirrored look moved a look by (`mirrored_mean`'s result less the first look),
    in the look's own units: uv (39, 2) and z (39,) in shares of the square's side."""

    uv: np.ndarray
    z: np.ndarray

    @classmethod
    def between(cls, first: Look, mean: Look) -> Shift:
        return cls(mean.uv - first.uv, mean.z - first.z)

    def applied(self, look: Look) -> Look:
        return replace(look, uv=look.uv + self.uv, z=look.z + self.z)


# Each landmark's index on the mirrored body (the auxiliary ones lie on the midline).
MIRRORED = np.array([swap_sides(i) for i in range(N_LANDMARKS)] + list(range(N_LANDMARKS, N_OUT)))
# The left members of the pairs the model may draw crossed against the first look: each
# leg, each arm, the face's sides; the right members are their `MIRRORED`.
_FACE = ("left_eye_inner", "left_eye", "left_eye_outer", "left_ear", "mouth_left")
_GROUPS = tuple(
    np.array([INDEX[name] for name in names])
    for names in ([f"left_{p}" for p in LEG_PARTS], [f"left_{p}" for p in ARM_PARTS], _FACE)
)


def mirrored_mean(first: Look, mirrored: Look) -> Look:
    """The mean of a look at a square and one at its mirror image, the second turned back
    (u -> 1 - u, left and right exchanged). Where the two drew a limb's pair the other way
    round (a side view's legs), its labels follow the first look; a landmark the two place
    more than AGREE apart (shares of the side) keeps the first look's place: one of them is
    wrong there, and their mean would be too. Flag: the first look's."""
    uv = mirrored.uv[MIRRORED]  # a copy, in the model's float32 as the first look
    uv[:, 0] = 1.0 - uv[:, 0]
    z, visibility = mirrored.z[MIRRORED], mirrored.visibility[MIRRORED]
    order = np.arange(N_OUT)
    for left in _GROUPS:
        right = MIRRORED[left]
        if _apart(first.uv[left], uv[right]) + _apart(first.uv[right], uv[left]) < _apart(
            first.uv[left], uv[left]
        ) + _apart(first.uv[right], uv[right]):
            order[left], order[right] = right, left
    uv, z, visibility = uv[order], z[order], visibility[order]
    near = np.hypot(*(first.uv - uv).T) <= AGREE
    return Look(
        np.where(near[:, None], (first.uv + uv) / 2, first.uv),
        np.where(near, (first.z + z) / 2, first.z),
        np.where(near, (first.visibility + visibility) / 2, first.visibility),
        first.flag,
    )


def _apart(a: np.ndarray, b: np.ndarray) -> float:
    """Summed distance between matching rows of two (N, 2) arrays."""
    return float(np.hypot(*(a - b).T).sum())

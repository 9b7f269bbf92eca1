"""Is the camera level? Its roll, read from the straight lines of the background.

Every angle is read against the picture's vertical, so a camera tilted sideways tilts them
all by as much (the sample sprint turned 5 degrees read its trunk lean 6.1 -> 1.1 degrees).
Walls, door frames, floor edges and track lines filmed square are level or upright in the
world; in a level picture their straight edges run within a few degrees of the picture's
horizontal and vertical, and all turn by the camera's roll. On a few frames of the clip's
first second, OpenCV's line segment detector finds the edges; those on the athlete are
left out; the length-weighted median turn of the near-level and near-upright ones is the
roll, trusted only where most of the edge length agrees with it. A room seen from above at
a wide angle, its edges converging, does not (the real lab clips: 0.19-0.30 of the length
agrees); the real walk outdoors agrees at 0.76-0.78, the drawn clips at 0.6 or more. Where
it is trusted, the athlete's points are turned back by it before any angle is read
(`levelled`); where it is not, angles stay read from the picture's vertical.

Arrays: landmarks (T, 33, 2) pixels, y up; frames (H, W, 3) RGB.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from movement_screen import kinematics
from movement_screen.core import Pose, VideoInfo

# Frames looked at: LOOKS of them, STEP_S apart from the clip's start. The background stays
# where it is, and frames spread through the clip cost 0.46 s to decode on the real walk
# clip (1768 x 994), against 0.21 s for the whole reading this way.
LOOKS = 6
STEP_S = 0.2
NEAR = 20.0  # degrees: edges this near level or upright are read
SHORTEST = 0.05  # share of the picture's short side: shorter edges are texture, not structure
AGREE_WITHIN = 2.0  # degrees of the median: an edge that agrees with it
AGREE = 0.6  # share of the edge length that must agree for the roll to be trusted
SAID = 2.0  # degrees: a trusted roll this large is said
WIDEST = 720  # pixels: frames are read at most this wide (a 1080p frame takes 4x as long)
ATHLETE_MARGIN = 0.1  # share of the athlete's box height added round it: edges there are theirs


@dataclass(frozen=True)
class Level:
    """The camera's roll in degrees, + where the picture is turned clockwise (its level
    lines run down to the right), `agree` the share of edge length within AGREE_WITHIN of
    it, `edges` how many were read; `trusted` where enough agree."""

    roll: float
    agree: float
    edges: int

    @property
    def trusted(self) -> bool:
        return self.edges > 0 and self.agree >= AGREE

    @property
    def correction(self) -> float:
        """Degrees the athlete's points are turned back by: the roll where it is trusted, else
        0 (angles then stay read from the picture's vertical)."""
        return self.roll if self.trusted else 0.0

    def note(self) -> str | None:
        """The tilt in words, where it is trusted and large enough to matter."""
        if not self.trusted or abs(self.roll) < SAID:
            return None
        way = "clockwise" if self.roll > 0 else "anticlockwise"
        return (
            f"the camera looks tilted {abs(self.roll):.0f} degrees {way} (the background's "
            "straight edges lean so): angles are read against the background's upright, not "
            "the picture's; level the camera to make them surer"
        )


def levelled(pose: Pose, roll: float) -> Pose:
    """`pose` as a level camera would see it: its points turned `roll` degrees back about
    the picture's origin (pixels, y up; a picture turned clockwise is turned anticlockwise).
    Angles and lengths between points are unchanged, angles from the vertical are not."""
    if not roll:
        return pose
    c, s = np.cos(np.radians(roll)), np.sin(np.radians(roll))
    turn = np.array([[c, -s], [s, c]])  # anticlockwise by `roll`, y up
    return replace(pose, xy=pose.xy @ turn.T)


def left_lowered(pose: Pose, roll: float) -> np.ndarray:
    """(T,) degrees a picture turned `roll` clockwise lowers the athlete's left side by, for
    a frontal tilt read in the picture (the waistband's): it lowers whatever is on the
    picture's right."""
    return roll * kinematics.athlete_left(pose)


def turn(x0: float, y0: float, x1: float, y1: float) -> float | None:
    """How far an edge (image pixels, y down) is turned from level or upright, degrees, +
    clockwise; None when it is neither near level nor near upright."""
    a = (np.degrees(np.arctan2(y1 - y0, x1 - x0)) + 90) % 180 - 90  # 0 = level
    if abs(a) <= NEAR:
        return float(a)
    if abs(abs(a) - 90) <= NEAR:
        return float(a - 90 * np.sign(a))
    return None


def from_edges(edges: np.ndarray) -> Level:
    """The roll from (N, 4) edges x0, y0, x1, y1 (image pixels, y down)."""
    turns, lengths = [], []
    for x0, y0, x1, y1 in edges:
        t = turn(x0, y0, x1, y1)
        if t is not None:
            turns.append(t)
            lengths.append(np.hypot(x1 - x0, y1 - y0))
    if not turns:
        return Level(float("nan"), 0.0, 0)
    t, w = np.asarray(turns), np.asarray(lengths)
    order = np.argsort(t)
    cumulative = np.cumsum(w[order])
    roll = float(t[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    agree = float(w[np.abs(t - roll) <= AGREE_WITHIN].sum() / w.sum())
    return Level(round(roll, 1), round(agree, 2), len(turns))


def edges_in(rgb: np.ndarray, athlete: tuple[float, float, float, float] | None) -> np.ndarray:
    """(N, 4) straight edges of one frame at least SHORTEST of its short side long, those
    whose middle lies in the athlete's box (x0, y0, x1, y1, image pixels) left out."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = min(1.0, WIDEST / max(grey.shape))
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = cv2.createLineSegmentDetector(cv2.LSD_REFINE_NONE).detect(grey)[0]
    if found is None:
        return np.zeros((0, 4))
    edges = found[:, 0, :].astype(float) / scale
    long = np.hypot(edges[:, 2] - edges[:, 0], edges[:, 3] - edges[:, 1])
    edges = edges[long >= SHORTEST * min(rgb.shape[:2])]
    if athlete is None:
        return edges
    x0, y0, x1, y1 = athlete
    mx, my = (edges[:, 0] + edges[:, 2]) / 2, (edges[:, 1] + edges[:, 3]) / 2
    return edges[~((mx >= x0) & (mx <= x1) & (my >= y0) & (my <= y1))]


def athlete_box(pose: Pose, frame: int, height: int) -> tuple[float, float, float, float] | None:
    """The athlete's box at `frame`, grown by ATHLETE_MARGIN of its height (image pixels,
    y down), or None where they were not tracked."""
    xy = pose.xy[frame]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        return None
    x0, x1 = xy[:, 0].min(), xy[:, 0].max()
    y0, y1 = height - xy[:, 1].max(), height - xy[:, 1].min()
    grow = ATHLETE_MARGIN * (y1 - y0)
    return x0 - grow, y0 - grow, x1 + grow, y1 + grow


def read(info: VideoInfo, pose: Pose) -> Level:
    """The camera's roll from LOOKS frames STEP_S apart from the start of the clip."""
    from movement_screen import video

    count = min(len(pose), info.frame_count)
    picks = np.unique(
        np.minimum(np.arange(LOOKS) * STEP_S * info.fps, count - 1).round().astype(int)
    )
    edges = [
        edges_in(rgb, athlete_box(pose, i, rgb.shape[0]))
        for i, _, rgb in video.frames_at(info.path, picks)
    ]
    return from_edges(np.concatenate(edges) if edges else np.zeros((0, 4)))

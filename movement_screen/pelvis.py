"""Pelvic obliquity from the pelvis itself: the waistband line, seen from the front or behind.

MediaPipe's hip landmarks follow a pelvic drop at a fraction of its size (on
this project's synthetic lunges with a 9 degree drop they move 1-4 degrees;
`benchmarks/pelvis.py` prints the figures), so the line through them cannot show
the 5-10 degree drops that matter. Clinicians who read pelvic drop from 2D video
use the pelvis itself: markers on it, or the waistband. This module finds that
line in the picture: in a band just above the two hip landmarks, turned along the
line through them, the lowest strong, nearly level edge with a clear colour step (the
top of shorts or leggings, a belt, skin above a waistband; not the hem of a top lying
over it, which follows the trunk), found by a Hough search over tilts, and its slope
at the centre (a quadratic through it: a band seen from above or below curves).

Where no such edge is found in enough frames (a loose top hides the waist, the
athlete is too small, one colour from chest to thigh), the clip's pelvis is not
read: the tool withholds it rather than fall back on the hip points. A step that is
only light on one colour of cloth (a fold, the crease where a loose top meets the
shirt) is not an edge here: the same hue on both sides, one side less than twice as
bright.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from movement_screen.core import Angles, Pose, VideoInfo
from movement_screen.filtering import fill_gaps, lowpass

ABOVE = 0.35  # the band reaches this share of the trunk length above the hip landmarks
BELOW = 0.05  # ... and this much below: a waistband sits above the hip joints, the hem of a
# loose top at or below them (0.2 read loose tops' hems on the train clips)
MARGIN = 0.25  # hip spans beyond each hip landmark, left and right
MIN_SPAN = 0.35  # trunk lengths: the least hip span assumed (a pelvis turned from the camera)
INNER = 0.15  # share of the band's columns left out at each end (the body's outline)
CROP_WIDTH = 240  # pixels: the band is resized to this width before edges are found
HORIZONTAL = 2.0  # an edge counts where its vertical gradient is this many times the horizontal
MIN_AGREE = 0.6  # share of the columns that must agree for a frame to be read
MAX_TILT = 25.0  # degrees from the hip line: a steeper line is not a waistband
MIN_CONTRAST = 80.0  # RGB units (0-441) across the edge: less is shading, not a waistband
# (chosen on the train pelvis clips, where waistbands give 180-370 at their 10th percentile and
# loose tops 32-87 at their median; the real lab clips' skin above black shorts, 90-260)
CONTRAST_GAP, CONTRAST_ROWS = 4, 6  # crop rows: the strips compared, this far from the edge
# Light falling differently on one colour of cloth (a fold, a crease where a loose top meets
# the shirt) scales its colour: the same hue on both sides of the edge, one side brighter.
# Such a step counts as no step. Where a garment ends, the colour changes, or the brightness
# by more than SHADE_RATIO (white over dark shorts is the same hue, 3-6 times as bright).
SHADE_HUE = 0.1  # chromaticity difference (r, g, b over their sum; 0-2) of one colour
SHADE_RATIO = 2.0  # brightness (sum of r, g, b) of the lighter side over the darker
STEP_COARSE, STEP_FINE = 1.0, 0.1  # degrees, the tilts tried
NEAR_ROWS = 6  # rows either side of the best straight line searched for the curved outline
LOWEST_SHARE = 0.5  # a line this strong against the strongest is a candidate
MIN_WIDTH_PX = 12  # a hip span under this many pixels is too small to read
MIN_SEEN = 0.6  # share of the clip's tracked frames that must be read, or none is used
CUTOFF_HZ = 4.0  # the line is smoothed as the slow frontal-plane angle it is
MAX_GAP_S = 0.25  # gaps up to this long are bridged before smoothing


@dataclass(frozen=True)
class PelvisLine:
    """tilt: (T,) degrees, + the athlete's left side higher, NaN where not read.
    seen: (T,) bool, frames where the line was found. share: seen / tracked frames."""

    tilt: np.ndarray
    seen: np.ndarray
    share: float

    @property
    def trusted(self) -> bool:
        return self.share >= MIN_SEEN


class Edge(NamedTuple):
    """A nearly level edge in a band (`line_tilt`): its tilt (degrees, + rising to the image's
    right; NaN without one), the share of columns on it, the colour step across it (RGB
    units)."""

    angle: float
    agree: float
    contrast: float


NO_EDGE = Edge(float("nan"), 0.0, 0.0)


def line_tilt(band: np.ndarray) -> Edge:
    """The lowest strong, straight, nearly horizontal edge in a colour band (H, W, 3) that
    reads as a waistband, else the strongest.

    Each tilt from -MAX_TILT to MAX_TILT shears the edge map so that a line of that tilt
    becomes a row, and each row's line is scored by the edge along it (a Hough transform
    restricted to near-horizontal lines), first in STEP_COARSE steps, then STEP_FINE about
    each strong line (`strong_lines`), from the lowest up. The first that reads as a
    waistband is taken (`readable`), else the strongest: where a top's hem lies over a
    waistband, the hem follows the trunk and the band's lower edge the pelvis.
    """
    gy = np.linalg.norm(np.diff(band, axis=0), axis=2)[:, :-1]
    gx = np.linalg.norm(np.diff(band, axis=1), axis=2)[:-1, :]
    edge = np.where(gy > HORIZONTAL * gx, gy, 0.0)
    height, width = edge.shape
    lo, hi = int(INNER * width), int((1 - INNER) * width)
    if hi - lo < 5 or height < 3 or not edge[:, lo:hi].any():
        return NO_EDGE
    cols = np.arange(lo, hi)
    edge = edge[:, cols]
    offsets = cols - width / 2
    profile_of = _line_profiles(edge, offsets)
    coarse = np.arange(-MAX_TILT, MAX_TILT + 1e-9, STEP_COARSE)
    profiles = np.array([profile_of(t) for t in coarse])  # (tilts, H)
    tried = []  # (score, edge) of each strong line, from the lowest up
    for near in strong_lines(profiles.max(axis=0))[::-1]:
        first = float(coarse[profiles[:, near].argmax()])
        fine = first + np.arange(-STEP_COARSE, STEP_COARSE + 1e-9, STEP_FINE)
        line = max(_best_row(profile_of(t), t, near) for t in fine)
        tried.append((line[0], _edge_along(band, edge, cols, offsets, line)))
        if readable(tried[-1][1]):
            return tried[-1][1]
    return max(tried, key=lambda scored: scored[0])[1]


def readable(edge: Edge) -> bool:
    """Is `edge` a waistband: along most of the band, a clear colour step, not too steep?"""
    return edge.agree >= MIN_AGREE and edge.contrast >= MIN_CONTRAST and abs(edge.angle) <= MAX_TILT


def _edge_along(band: np.ndarray, edge: np.ndarray, cols, offsets, line) -> Edge:
    """The edge followed near one straight `line` (score, tilt, row at the centre column):
    each column's strongest edge within NEAR_ROWS rows, and its slope at the centre."""
    score, tilt, row = line
    height = edge.shape[0]
    on_line = _rows(row, offsets, tilt, height)
    window = on_line[None, :] + np.arange(-NEAR_ROWS, NEAR_ROWS + 1)[:, None]
    local = edge[window.clip(0, height - 1), np.arange(len(cols))]
    found = window[local.argmax(axis=0), np.arange(len(cols))]  # each column's edge near the line
    strong = local.max(axis=0) >= 0.5 * edge.max(axis=0)
    agree = float(strong.mean()) if score > 0 else 0.0
    if strong.sum() < 5:
        return NO_EDGE._replace(agree=agree)
    # the band's outline curves (seen from above or below): its slope at the centre
    slope = np.polyfit(offsets[strong], found[strong], 2)[1]
    contrast = _contrast(band, found[strong], cols[strong])
    return Edge(float(-np.degrees(np.arctan(slope))), agree, contrast)


def _contrast(band: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> float:
    """Colour difference (RGB units) between the strips just above and just below the edge
    (`rows` per column of `cols`); 0 where the step is only shading (`shading`)."""
    height = band.shape[0]
    step = np.arange(CONTRAST_GAP, CONTRAST_GAP + CONTRAST_ROWS)[:, None]
    above = np.median(band[(rows[None, :] - step).clip(0, height - 1), cols], axis=(0, 1))
    below = np.median(band[(rows[None, :] + step).clip(0, height - 1), cols], axis=(0, 1))
    return 0.0 if shading(above, below) else float(np.linalg.norm(above - below))


def shading(above: np.ndarray, below: np.ndarray) -> bool:
    """Are two colours (3,) one cloth in different light: the same hue, and neither side
    more than SHADE_RATIO times as bright as the other?"""
    light = np.array([above.sum(), below.sum()]) + 1.0  # + 1: black is not a ratio of 0
    hue = np.abs(above / light[0] - below / light[1]).sum()
    return bool(hue < SHADE_HUE and light.max() < SHADE_RATIO * light.min())


def _rows(row: float, offsets: np.ndarray, tilt: float, height: int) -> np.ndarray:
    """Row indices of a line through `row` at the band's centre column, tilted `tilt` deg
    (+ down to the right, image rows)."""
    return np.round(row + offsets * np.tan(np.radians(tilt))).astype(int).clip(0, height - 1)


def strong_lines(scores: np.ndarray) -> np.ndarray:
    """Rows (top down) of the lines (H,) whose score is the most within NEAR_ROWS rows and at
    least LOWEST_SHARE of the best line's."""
    best = scores.max()
    rows = [
        r
        for r in range(len(scores))
        if scores[r] >= LOWEST_SHARE * best > 0
        and scores[r] == scores[max(r - NEAR_ROWS, 0) : r + NEAR_ROWS + 1].max()
    ]
    return np.array(rows or [int(scores.argmax())])


def _best_row(profile: np.ndarray, tilt: float, near: int) -> tuple[float, float, int]:
    """(score, tilt, row) of the best line of one tilt within NEAR_ROWS rows of `near`."""
    lo = max(near - NEAR_ROWS, 0)
    row = lo + int(profile[lo : near + NEAR_ROWS + 1].argmax())
    return float(profile[row]), float(tilt), row


def _line_profiles(edge: np.ndarray, offsets: np.ndarray):
    """`profile(tilt)`: (H,) edge summed along the line of that tilt through each row at the
    centre column, for tilts up to MAX_TILT + STEP_COARSE. `edge` (H, C) is zero-padded
    above and below as far as such a line reaches, so each tilt is one gather and a sum."""
    height, count = edge.shape
    reach = int(np.ceil(np.abs(offsets).max() * np.tan(np.radians(MAX_TILT + STEP_COARSE)))) + 1
    padded = np.zeros((height + 2 * reach, count), edge.dtype)
    padded[reach : reach + height] = edge
    flat = padded.ravel()
    level = (np.arange(height)[:, None] + reach) * count + np.arange(count)  # (H, C)

    def profile(tilt: float) -> np.ndarray:
        shift = np.round(offsets * np.tan(np.radians(tilt))).astype(int)
        return flat[level + shift * count].sum(axis=1)

    return profile


@dataclass(frozen=True)
class Band:
    """Where the waistband is looked for in one frame (image pixels, y down): a rectangle
    centred on the hips' midpoint, its long side along the line through the hips."""

    centre: tuple[float, float]
    along: float  # degrees: the hip line's tilt in the picture, + rising to the right
    width: float  # pixels along the hip line
    above: float  # pixels from the hip line up (toward the shoulders)
    below: float  # pixels from the hip line down


def band_of(pose: Pose, i: int, height: int) -> Band | None:
    """The waist band of frame i, or None without hips and shoulders (or when too small)."""
    left, right = pose.point("left_hip")[i], pose.point("right_hip")[i]
    shoulders = pose.mid("left_shoulder", "right_shoulder")[i]
    if not np.isfinite([*left, *right, *shoulders]).all():
        return None
    hips = (left + right) / 2
    trunk = float(np.linalg.norm(shoulders - hips))
    span = max(float(np.linalg.norm(left - right)), MIN_SPAN * trunk)
    if span < MIN_WIDTH_PX:
        return None
    a, b = (left, right) if left[0] > right[0] else (right, left)  # b: image-left hip
    along = float(np.degrees(np.arctan2(a[1] - b[1], a[0] - b[0])))  # y up: + rising right
    return Band(
        (float(hips[0]), float(height - hips[1])),
        along,
        span * (1 + 2 * MARGIN),
        ABOVE * trunk,
        BELOW * trunk,
    )


def cut(rgb: np.ndarray, band: Band) -> np.ndarray:
    """The band turned level (its long side horizontal), CROP_WIDTH pixels wide, float."""
    import cv2

    scale = band.width / CROP_WIDTH  # image pixels per crop pixel
    rows = max(int(round((band.above + band.below) / scale)), 4)
    t = np.radians(band.along)
    ex = np.array([np.cos(t), -np.sin(t)])  # along the hip line, image-right (y down)
    ey = np.array([np.sin(t), np.cos(t)])  # across it, downward
    origin = np.asarray(band.centre) - ex * band.width / 2 - ey * band.above
    to_image = np.column_stack([ex * scale, ey * scale, origin])  # crop (u, v, 1) -> image
    flags = cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP
    part = cv2.warpAffine(rgb, to_image, (CROP_WIDTH, rows), flags=flags,
                          borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    return part.astype(np.float32)


def read_frame(rgb: np.ndarray, pose: Pose, i: int) -> float:
    """The waistband's tilt in frame i, degrees, + the athlete's left side higher; NaN if the
    line is not found."""
    band = band_of(pose, i, rgb.shape[0])
    if band is None:
        return float("nan")
    edge = line_tilt(cut(rgb, band))
    if not readable(edge):
        return float("nan")
    tilt = band.along + edge.angle  # the line in the picture, + rising to the right
    left_is_right = pose.point("left_hip")[i, 0] > pose.point("right_hip")[i, 0]
    return tilt if left_is_right else -tilt


def read(info: VideoInfo, pose: Pose) -> PelvisLine:
    """The waistband line in every tracked frame of the clip, smoothed."""
    from movement_screen import video

    raw = np.full(len(pose), np.nan)
    for i, _, rgb in video.frames(info.path, stop=len(pose)):
        raw[i] = read_frame(rgb, pose, i)
    return smooth(raw, pose)


def smooth(raw: np.ndarray, pose: Pose) -> PelvisLine:
    """Bridge short gaps and low-pass the per-frame readings (T,)."""
    tracked = np.isfinite(pose.point("left_hip")[:, 0])
    seen = np.isfinite(raw)
    share = float(seen.sum() / max(tracked.sum(), 1))
    filled = fill_gaps(raw[:, None], pose.time, max_gap_s=MAX_GAP_S)
    tilt = lowpass(filled, pose.time, cutoff_hz=CUTOFF_HZ)[:, 0]
    return PelvisLine(tilt=tilt, seen=seen, share=share)


def apply(angles: Angles, line: PelvisLine | None, lowered: np.ndarray | float = 0.0) -> Angles:
    """`angles` with `pelvic_obliquity` from the waistband line where the clip's line is
    trusted, and NaN (withheld) where it is not; unchanged without a line (side views).
    `lowered`: (T,) degrees a tilted camera lowers the athlete's left side by in the
    picture (`level.left_lowered`), added back."""
    if line is None:
        return angles
    tilt = line.tilt + lowered if line.trusted else np.full(len(angles.time), np.nan)
    return replace(angles, values={**angles.values, "pelvic_obliquity": tilt})


def note(line: PelvisLine | None) -> str | None:
    """Why the pelvis was not read, in words; None when it was (or in a side view)."""
    if line is None or line.trusted:
        return None
    return (
        f"pelvic drop is not measured: the waistband line was seen in {line.share:.0%} of the "
        f"frames (at least {MIN_SEEN:.0%} needed); the hip points alone under-read a drop, so "
        "no number is given. Film in shorts or leggings in a colour unlike the top's, the top "
        "tucked in"
    )

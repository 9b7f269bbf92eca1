"""Which way the camera sees the athlete (side or front) and which way they face."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter

from movement_screen.core import Pose, View, sampling_rate
from movement_screen.kinematics import athlete_left, mean_leg_length

FRONT_WIDTH = 0.35  # shoulder and hip width / torso length above this: a front view
SQUARE_SIDE, SQUARE_FRONT = 0.2, 0.5  # between these the camera is oblique to the athlete
FACING_WINDOW_S = 1.0  # facing is the rolling majority over this long
# A side view's shoulders and hips look SIDE_WIDTH of the trunk's length wide with the
# camera square to the athlete's side, and WIDTH_PER_SINE times the sine of how far it is
# turned off square more (least squares over the 84 one-person `train` side clips, the 56
# extra side lunges included: the turn is read back to within 5 degrees on average).
SIDE_WIDTH, WIDTH_PER_SINE = 0.071, 0.381
MOST_CORRECTED = 25.0  # degrees: the most a side view is corrected for (the `train` clips' range)
# A front view's shoulders and hips look 0.49-0.66 of the trunk's length wide on the 70
# one-person `train` front and back views (filmed up to 23 degrees off square), and about
# 0.45 with the camera 45 degrees off (0.57 times the cosine, plus 0.07 times the sine, of
# the turn). Narrower than FRONT_READABLE, the camera is nearer side-on than any clip the
# sideways angles were checked on, and a forward lean or a knee bending forward reads as
# a sideways one there (by the sine of the turn): they are not read.
FRONT_READABLE = 0.45
# MediaPipe's heel and toe points lie FOOT leg lengths apart: seen from the front, a foot
# pointing a degrees off the camera's line shows FOOT * sin(a) of that across the picture
# (least squares over the 43 camera-facing `train-front` and `pelvis-train` views with both
# feet seen, drawn up to 25 degrees off square: 0.0040 leg lengths a degree). Read back on
# those clips within 4.0 degrees (SD), 15 at most (a lunge's staggered feet).
FOOT = 0.23
# A bent knee's angle from the front (FPPA) takes on the body's turn from the camera: about
# 1.3-1.5 degrees a degree at a single-leg squat's bottom (the knee bent 60 degrees), past
# the FPPA's own smallest real change (8) from about 6 degrees of turn. Where the feet say
# the athlete stands turned this far or more, the knee's line is not read: on the train
# front views, the two single-leg squats turned 21-22 degrees (read 24-26), whose straight
# knees' drawn FPPA is 19-27 degrees; the other five facing the camera read 5-9.
KNEE_LINE_MOST_TURN = 10.0
# The line from the ankles up to the shoulders leans from the picture's up by at most 15.8
# degrees (median over a clip; no frame past 25.6) in the 88 `train` clips' true joints: a
# hinge's bottom, a sprint's lean; the real lab clips of a balance and reach on one leg,
# the free leg far behind, 8.9-35.3 (from behind and above). A clip turned a quarter turn
# reads about 90 (55 or more for that reach). Past halfway the athlete lies across the
# picture (lying down, or a video that lost its rotation), and no angle read against the
# picture's vertical means anything.
ACROSS = 45.0


@dataclass(frozen=True)
class ViewEstimate:
    view: View
    confidence: float  # 0.5 (a guess) to 1.0 (clear)
    width_ratio: float  # median shoulder+hip width over torso length
    oblique: bool  # the camera is not square to the athlete
    off_square: float = 0.0  # side view: degrees the camera is turned off square, as read
    feet_turn: float = float("nan")  # front view facing the camera: degrees the feet point off
    body_turn: float = 0.0  # degrees the body leans from the picture's up (`body_turn`)

    @property
    def upright(self) -> bool:
        """False where the athlete lies across the picture (ACROSS): nothing can be read."""
        return not abs(self.body_turn) > ACROSS

    def sideways_readable(self, chosen: View) -> bool:
        """Can the `chosen` view's angles be read: False for a front view's sideways angles
        (pelvic drop, knee caving, sideways lean) with the camera turned well off face-on."""
        return chosen is not View.FRONT or not self.width_ratio < FRONT_READABLE

    def knee_line_readable(self, chosen: View) -> bool:
        """False where a front view's athlete stands turned KNEE_LINE_MOST_TURN or more from
        the camera, by the feet: a bent knee's angle from the front then reads the turn."""
        return chosen is not View.FRONT or not turned_too_far(self.feet_turn)

    def corrected_for(self, chosen: View) -> float:
        """Degrees the angles of the `chosen` view are corrected for: a side view's turn."""
        return self.off_square if chosen is View.SIDE else 0.0


def width_ratio(pose: Pose) -> float:
    """Median of mean(shoulder width, hip width) / torso length, as seen by the camera."""
    torso = np.linalg.norm(
        pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_hip", "right_hip"), axis=1
    )
    widths = [
        np.abs(pose.point(f"left_{p}")[:, 0] - pose.point(f"right_{p}")[:, 0])
        for p in ("shoulder", "hip")
    ]
    ratio = (widths[0] + widths[1]) / 2 / torso
    return float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")


def detect_view(pose: Pose) -> ViewEstimate:
    """Side or front from how wide the shoulders and hips look against the torso."""
    ratio, turn = width_ratio(pose), body_turn(pose)
    if not np.isfinite(ratio):
        return ViewEstimate(View.SIDE, 0.5, ratio, True, body_turn=turn)
    view = View.FRONT if ratio > FRONT_WIDTH else View.SIDE
    confidence = 0.5 + 0.5 * min(abs(ratio - FRONT_WIDTH) / 0.2, 1.0)
    oblique = SQUARE_SIDE < ratio < SQUARE_FRONT
    turned = off_square(ratio) if view is View.SIDE else 0.0
    feet = feet_turn(pose) if view is View.FRONT else float("nan")
    return ViewEstimate(view, round(confidence, 2), ratio, oblique, turned, feet, turn)


def body_turn(pose: Pose) -> float:
    """Degrees the line from the ankles up to the shoulders leans from the picture's up,
    + clockwise (its top to the right), up to 180 (upside down): the direction of the
    median of its per-frame directions (0 where never seen)."""
    line = pose.mid("left_shoulder", "right_shoulder") - pose.mid("left_ankle", "right_ankle")
    unit = line / np.linalg.norm(line, axis=1, keepdims=True)
    if not np.isfinite(unit).any():
        return 0.0
    across, up = np.nanmedian(unit, axis=0)
    return round(float(np.degrees(np.arctan2(across, up))), 1)


def turned_too_far(feet_turn: float) -> bool:
    """Do the feet say the athlete stands KNEE_LINE_MOST_TURN or more off the camera's line
    (False where the turn was not read)?"""
    return abs(feet_turn) >= KNEE_LINE_MOST_TURN


def feet_turn(pose: Pose) -> float:
    """Degrees the feet point off the camera's line, seen from the front (NaN where they
    are not seen, or from behind, where the heels hide the toes: read back there 5-20
    degrees off): the heel-to-toe offset across the picture, the two feet's mean (so each
    foot's own turn out cancels), over FOOT leg lengths, while standing (the hips in their
    highest 30 % of frames)."""
    hips = pose.mid("left_hip", "right_hip")[:, 1]
    if not np.isfinite(hips).any() or not np.nanmedian(athlete_left(pose)) > 0:
        return float("nan")
    standing = hips >= np.nanpercentile(hips, 70)
    across = [
        pose.point(f"{s}_foot_index")[:, 0] - pose.point(f"{s}_heel")[:, 0]
        for s in ("left", "right")
    ]
    offset = (across[0] + across[1])[standing] / 2 / mean_leg_length(pose)
    if not np.isfinite(offset).any():
        return float("nan")
    return round(float(np.degrees(np.arcsin(np.clip(np.nanmedian(offset) / FOOT, -1, 1)))), 1)


def off_square(ratio: float) -> float:
    """Degrees a side view's camera is turned off square, read from the width `ratio` of
    the shoulders and hips (0 to MOST_CORRECTED)."""
    sine = (ratio - SIDE_WIDTH) / WIDTH_PER_SINE
    most = np.sin(np.radians(MOST_CORRECTED))
    return round(float(np.degrees(np.arcsin(np.clip(sine, 0.0, most)))), 1)


def facing(pose: Pose) -> np.ndarray:
    """(T,) +1 where the athlete faces image-right, -1 image-left (side view).

    Votes per frame: toes ahead of heels, nose ahead of the ears; then the
    rolling majority over about a second, so single-frame errors do not flip it.
    """
    votes = np.zeros(len(pose))
    for side in ("left", "right"):
        toe = pose.point(f"{side}_foot_index")[:, 0] - pose.point(f"{side}_heel")[:, 0]
        votes += np.nan_to_num(np.sign(toe))
    nose = pose.point("nose")[:, 0] - pose.mid("left_ear", "right_ear")[:, 0]
    votes += np.nan_to_num(np.sign(nose))
    window = max(int(FACING_WINDOW_S * sampling_rate(pose.time)) | 1, 1)
    smooth = median_filter(np.sign(votes), size=window, mode="nearest")
    overall = 1.0 if votes.sum() >= 0 else -1.0
    return np.where(smooth == 0, overall, np.sign(smooth))

"""Someone passing close: is another person, as near the camera as the athlete or nearer,
over the athlete in the picture on a tracked frame?

Where they are, MediaPipe's landmark model may draw a knee or an ankle on their leg, or
slide the whole skeleton onto them for a few frames, while the hips stay near enough to
the athlete's that tracking keeps going. Neither bone lengths, nor MediaPipe's
visibility, nor the colour along each leg told those frames from the athlete's own on
the `train` crowd clips (see the README); where the other person is, told by MediaPipe's
own person detector (`bodies.find_near`), does. Nothing is measured around those frames
(`filtering.near_passing`), and the report says so.

Boxes are image pixels (x0, y0, x1, y1), y down; a body's size is the side of the region
the detector gives it (`bodies.Body.region`), which grows with the whole body.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from movement_screen.bodies import ROI_SCALE, Body
from movement_screen.landmarks import INDEX
from movement_screen.pose import Detection

# Chosen on the 96 crowded clips from `train` seeds (the set's 48 and 48 more), with the
# detector first run on every frame of them: of 187 frames measured off someone else, 158
# lie within 0.2 s of a frame with someone as big as the athlete or bigger (NEARER) over
# them by OVER of their height, at the cost of 8.6 % of the measured frames (anyone over
# them, whatever their size: 16.8 %). Tracked with it: frames measured off someone else
# 187 in 26 clips -> 88 in 10, 12.8 % of the measured frames not measured, the angles
# within the benchmark's limits 249 -> 290 of 462, every movement named as before.
OWN_HIPS = 0.15  # the body whose hips are nearest the athlete's, this near (box heights)
NEARER = 1.0  # bodies at least this many times the athlete's size are as near or nearer
OVER = 0.1  # box heights by which another body must reach over the athlete's box
WIDTH = 0.2  # half a body's width, as a share of its height (standing, arms down)
REACH = 0.55  # how far a body reaches up and down from its hips, shares of its height
SIZE_FROM_BOX = 1.64  # the athlete's region side over their box height, when not found
MEMORY = 30  # frames of the athlete's own region side remembered
# The detector may find the athlete twice, a little apart: a second box with hips within
# TWICE box heights of theirs and of the own body's size give or take SAME_SIZE is them
# (a real lab clip had two such frames; on the train crowd clips it left the frames
# measured off someone else as they were, 88, and measured 59 more).
TWICE = 0.2
SAME_SIZE = 0.15
_BODY = slice(11, 33)  # the landmarks from the shoulders down (the face is left out)
_HIPS = [INDEX["left_hip"], INDEX["right_hip"]]


class Near:
    """One tracking pass's look at who is close: the athlete's own size, remembered."""

    def __init__(self) -> None:
        self.sides: deque[float] = deque(maxlen=MEMORY)

    def passing(self, athlete: Detection, bodies: list[Body]) -> bool:
        """Is someone as near as the athlete or nearer over them? `bodies`: everyone the
        detector found around them on this frame."""
        bodies = [b for b in bodies if upright(b)]
        box = body_box(athlete)
        height = max(box[3] - box[1], 1.0)
        hips = athlete.xy[_HIPS].mean(axis=0)
        apart = [float(np.hypot(*np.subtract(b.hips, hips))) for b in bodies]
        own = int(np.argmin(apart)) if bodies and min(apart) <= OWN_HIPS * height else None
        size = float(np.median(self.sides)) if self.sides else SIZE_FROM_BOX * height
        others = [
            b
            for i, (b, a) in enumerate(zip(bodies, apart, strict=True))
            if own is None or not (i == own or _twice(b, bodies[own], a, height))
        ]
        found = any(_side(b) >= NEARER * size and over(b, box) >= OVER * height for b in others)
        if own is not None and not found:  # a skeleton sliding onto someone takes their body
            self.sides.append(_side(bodies[own]))
        return found


def body_box(athlete: Detection) -> tuple[float, float, float, float]:
    """The box around the athlete's landmarks from the shoulders down, pixels."""
    (x0, y0), (x1, y1) = athlete.xy[_BODY].min(axis=0), athlete.xy[_BODY].max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def upright(body: Body) -> bool:
    """Does the detector see `body` with its shoulders above its hips? People walking past
    are upright; the detector turns a body the wrong way up where it is not one, such as
    the athlete alone with their arms spread (the real lab clip
    `lab_single_leg_reach_cam02`: on frames 81-88 a box of theirs with its hips at their
    chest, upside down, read as someone bigger passing over them)."""
    return body.shoulders[1] < body.hips[1]


def over(body: Body, box: tuple[float, float, float, float]) -> float:
    """How far (pixels) `body` reaches into `box`, both across and up or down (the smaller
    of the two): from the box's edge on its far side to the body's edge on the near
    side; negative where they are apart."""
    tall = _side(body) * 2 / ROI_SCALE  # the body circle's diameter: about its height
    x, y = body.hips
    across = min(x + WIDTH * tall - box[0], box[2] - (x - WIDTH * tall))
    vertical = min(y + REACH * tall - box[1], box[3] - (y - REACH * tall))
    return float(min(across, vertical))


def _twice(body: Body, own: Body, apart: float, height: float) -> bool:
    """Is `body` the athlete found twice (two boxes the detector did not merge): hips
    `apart` pixels from the athlete's within TWICE box heights, and the own body's size?"""
    return apart <= TWICE * height and abs(_side(body) / _side(own) - 1) <= SAME_SIZE


def _side(body: Body) -> float:
    return body.region[2] - body.region[0]

"""The forward lunge and split squat, filmed from the side or the front (or behind): reps,
each with its front leg."""

from __future__ import annotations

import numpy as np

from movement_screen.classify import one_foot_behind, ramp, taking_turns
from movement_screen.core import Angles, Event, Movement, Pose, View
from movement_screen.events import CycleOptions, cycles, frames_in, hip_depth, near_foot
from movement_screen.kinematics import athlete_left
from movement_screen.metrics import PELVIC_DROP, Metric, angle_at, other
from movement_screen.movements import MovementSpec

REP = CycleOptions(prominence=0.08, min_gap_s=0.8)  # hip drop, leg lengths

SIDE_METRICS: dict[str, Metric] = {
    "trunk_lean_bottom": angle_at("trunk_lean", "bottom"),
    "front_knee_flexion_bottom": angle_at("knee_flexion", "bottom", leg_of="event"),
    "trail_hip_extension_bottom": angle_at("hip_flexion", "bottom", leg_of="other", sign=-1.0),
}
# Not the front knee's angle from the front (FPPA): at a lunge's bottom the front thigh lies
# near level, pointing at the camera, and its line in the picture follows the camera's
# height and the athlete's turn from it more than the knee. On the train-seeded front views
# the drawn joint centres' own FPPA there spans -65 to +52 degrees on clean lunges (turned
# up to 22 degrees); a clean lunge filmed from 1.27 m (3D: 3 degrees) read 12.8, a cue; and
# the eight knee-in lunges (3D: 25-37) were seen too short to read, none cued.
FRONT_METRICS: dict[str, Metric] = {
    "pelvic_drop_bottom": PELVIC_DROP,  # + the trail side dropped
    "trunk_lean_frontal_bottom": angle_at("trunk_lean_frontal", "bottom", size=True),
}


def reps(angles: Angles, pose: Pose) -> list[Event]:
    """Reps found by the hips going down; the bottom is the deepest front-knee flexion
    (side view) or the lowest hips (front view or from behind)."""
    events = []
    for number, (start, key, end) in enumerate(cycles(hip_depth(pose), angles.time, REP), 1):
        side = front_leg(angles, pose, key)
        bottom = key
        if angles.view is View.SIDE and side:
            knee = angles.values[f"knee_flexion_{side}"]
            near = frames_in(angles, 0.3)
            lo, hi = max(start, key - near), min(end, key + near)
            if np.isfinite(knee[lo : hi + 1]).any():
                bottom = lo + int(np.nanargmax(knee[lo : hi + 1]))
        events.append(Event("rep", number, side, start, end, {"bottom": bottom}))
    return events


def front_leg(angles: Angles, pose: Pose, frame: int) -> str | None:
    """The leading leg at a lunge's bottom: the larger thigh angle (side view); from the
    front or behind, the foot nearer the camera (`events.near_foot`) is the front one when
    the athlete faces the camera and the trail one when seen from behind."""
    if angles.view is View.SIDE:
        left, right = (angles.values[f"thigh_angle_{s}"][frame] for s in ("left", "right"))
        if not (np.isfinite(left) and np.isfinite(right)):
            return None
        return "left" if left > right else "right"
    toward = athlete_left(pose)[frame]  # +1: the athlete faces the camera
    near = near_foot(pose, frame)
    if near is None or not np.isfinite(toward) or toward == 0:
        return None
    return near if toward > 0 else other(near)


# Both feet stay down through a lunge: the rear heel lifts, so seen from the side one foot
# stands higher than the other, by at most 0.02-0.24 leg lengths (`foot_lift`) in 41 of
# the 43 `train` side lunges, 0.31 and 0.32 in two filmed 15 and 21 degrees off square
# (the rear foot, nearer or further from the camera, is drawn higher still). A foot held
# further up than that is off the floor, as in a balance and reach on one leg, which bobs
# the hips like a lunge but is not one (the real lab clip read as a side view: 0.68).
# Balancing on one leg without bobbing (`train` side views: the free foot 0.27-0.31 up)
# is told by its hips (`hip_drop` 0.02). Not judged from the front or behind: there the
# rear foot, further away, is drawn higher, up to 0.73 on the `train` lunges.
FEET_DOWN = (0.4, 0.55)  # foot_lift, leg lengths, side view


def side_score(f: dict[str, float]) -> float:
    """Hips going down and up with the legs split, both feet down, once per rep.

    Not told by the thighs' swing (swapped leg labels make a lunge look so) but by rhythm:
    walking and running bob the hips twice per stride (`hip_rhythm` 1.9-2.2 on `train`,
    and 1.86 on the real walk), a lunge once per rep (1.0). The thighs' rhythm (`cadence`)
    counts only where the legs take turns ahead: a few frames of swapped labels, with the
    same leg ahead in all the others, give it a stride's rhythm too."""
    split = ramp(f["hip_drop"], 0.08, 0.16) * ramp(f["leg_split"], 30, 50)
    strides = ramp(f["cadence"], 1.0, 1.2) * taking_turns(f)
    gait = max(strides, ramp(f["hip_rhythm"], 1.4, 1.7))
    feet_down = 1 - ramp(f["foot_lift"], *FEET_DOWN)
    return split * (1 - gait) * feet_down


# The torso's shrink (`torso_shrink`, its spread over its median length) up to which the
# trunk is upright enough for a lunge. A trunk tipping toward or away from the camera by
# an angle shrinks by at least 1 minus its cosine (the median is no longer than upright):
# 0.10 at 26 degrees, 0.15 at 32. The 42 train-seeded lunges filmed from the front or
# behind (`train`, `train-front`, `pelvis-train`; passers included) shrink 0.02-0.08,
# squats 0.09-0.57, hinges 0.43-0.95. The real balance-and-reach clips seen from the front
# tip the trunk forward and shrink 0.15-0.32, reaching a foot back in the air
# (`feet_split` 0.77-1.19) or lifting its knee above the other (`knee_gap` 0.10).
UPRIGHT = (0.1, 0.15)


# A lunge's trunk stays upright at the bottom: seen from the front or behind, its length in
# the picture at the deepest fifth of frames is 0-7 % short of standing (`trunk_fold`) on
# the 70 train-seeded lunges filmed so, passers included; squats lean in and fold 22-43 %
# from the front and 8-32 % from behind, where two turned 19-22 degrees (13 and 15 %) read
# as lunges by their knees, MediaPipe drawing one lower.
FOLDED = (0.08, 0.12)


def front_score(f: dict[str, float]) -> float:
    """Hips going down and up far (a single-leg squat sinks less: 0.08-0.20 leg lengths on
    `train`, lunges 0.27-0.36), the torso keeping its length (UPRIGHT: a balance and reach
    on one leg tips it forward), and at the bottom one knee lower than the other or one
    foot behind the other in MediaPipe's depth (a squat keeps them level and side by side;
    filmed from high up, the back knee sinks behind the front leg and reads as high as the
    front knee, and the depth still tells). And the trunk upright at the bottom (FOLDED): a
    squat leans in there."""
    drop = ramp(f["hip_drop"], 0.22, 0.26) * (1 - ramp(f["torso_shrink"], *UPRIGHT))
    upright = 1 - ramp(f["trunk_fold"], *FOLDED)
    return drop * max(ramp(f["knee_gap"], 0.04, 0.1), one_foot_behind(f)) * upright


SPEC = MovementSpec(
    movement=Movement.LUNGE,
    noun="a lunge",
    button="Lunge",
    unit="rep",
    sides={"left": "left leg in front", "right": "right leg in front"},
    metrics={View.SIDE: SIDE_METRICS, View.FRONT: FRONT_METRICS},
    finder=reps,
    scores={View.SIDE: side_score, View.FRONT: front_score},
    panels={
        View.SIDE: ("trunk_lean", "knee_flexion", "hip_flexion"),
        View.FRONT: ("pelvic_obliquity", "trunk_lean_frontal"),
    },
)

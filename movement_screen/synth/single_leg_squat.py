"""Single-leg squat (step-down): the stance foot stays planted, the free leg is held forward,
the hips go down and up. Frontal-plane faults: the free side of the pelvis drops (``drop``,
- a hike), the stance knee caves in (``adduction``), the trunk leans sideways (``lean``,
+ toward the stance side).
"""

from __future__ import annotations

import numpy as np

from .lunge import _front_links, _rep_depth, two_link
from .skeleton import SIDE_SIGN, Build, Pose


def single_leg_squat(
    t: np.ndarray,
    build: Build,
    *,
    stance: str = "left",
    knee: float = 60.0,
    trunk: float = 15.0,
    drop: float = 0.8,
    adduction: float = 0.5,
    lean: float = 0.0,
    free_thigh: float = 35.0,
    free_knee: float = 60.0,
    period: float = 2.2,
) -> Pose:
    """Reps of ``period`` s down to ``knee`` degrees of stance-knee flexion."""
    n, b = len(t), build
    d = _rep_depth(t, period)
    s, f = (0, 1) if stance == "left" else (1, 0)
    sign = SIDE_SIGN[stance]  # + roll (the stance side higher) when standing on the left
    roll, add = sign * drop * d, adduction * d
    l1, l2, gam = _front_links(b, add)
    # the pelvis path: from standing tall over the foot to the bottom (shank tilted forward)
    l1b, l2b, _ = _front_links(b, adduction)
    shank = np.radians(-0.45 * knee)
    thigh = shank + np.radians(knee)
    bottom = np.array([-l2b * np.sin(shank) - l1b * np.sin(thigh),
                       l2b * np.cos(shank) + l1b * np.cos(thigh)])  # fmt: skip
    top = np.array([0.0, 0.995 * (b.thigh + b.shank)])
    pelvis = top + d[:, None] * (bottom - top)
    hip = pelvis + np.stack(
        [np.zeros(n), sign * b.lengths["hip_half"] * np.sin(np.radians(roll))], 1
    )
    th, kn = two_link(hip, np.zeros((n, 2)), l1, l2)
    cols = {k: np.zeros((n, 2)) for k in ("thigh", "knee", "foot", "hip_add", "knee_valgus")}
    cols["thigh"][:, s], cols["knee"][:, s] = th, kn
    cols["hip_add"][:, s] = add
    cols["knee_valgus"][:, s] = add - np.degrees(gam)
    # the free leg reaches forward and folds as the hips go down, its foot kept off the floor
    cols["thigh"][:, f] = free_thigh + 25.0 * d
    cols["knee"][:, f] = free_knee + 30.0 * d
    cols["foot"][:, f] = cols["thigh"][:, f] - cols["knee"][:, f] - 20.0
    return Pose(
        trunk=3.0 + (trunk - 3.0) * d,
        trunk_side=sign * lean * d,
        pelvis_roll=roll,
        shoulder=np.full((n, 2), 20.0) + 15.0 * d[:, None],
        elbow=np.full((n, 2), 15.0),
        root_fwd=pelvis[:, 0],
        **cols,
    )

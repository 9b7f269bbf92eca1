"""Where the shared real recordings are, and a skip marker for when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REAL = Path(
    os.environ.get(
        "MOVEMENT_SCREEN_REAL_DATA", Path(__file__).parents[2] / "shared" / "data" / "real"
    )
)
WALK = REAL / "walk_side_two_people_sports2d.mp4"
LAB = sorted(REAL.glob("lab_single_leg_reach_cam0*_pose2sim.mp4"))
ALL = sorted(REAL.glob("*.mp4"))

needs_real = pytest.mark.skipif(
    not WALK.exists(),
    reason=f"real recordings not found at {REAL} (../shared/data/real beside the repo; "
    "set MOVEMENT_SCREEN_REAL_DATA to point elsewhere)",
)

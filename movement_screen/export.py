"""Files for people and other tools: angles.csv and landmarks.csv (folder handling: `outdir`)."""

from __future__ import annotations

import csv

import numpy as np

from movement_screen.core import Angles, CleanPose
from movement_screen.landmarks import NAMES


def _cell(value: float, digits: int) -> str:
    return "" if not np.isfinite(value) else f"{value:.{digits}f}"


def write_angles(path: str, angles: Angles, far_leg_trusted: np.ndarray) -> None:
    """One row per frame: frame, time_s, every angle column, far_leg_trusted (1/0)."""
    names = list(angles.values)
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["frame", "time_s", *names, "far_leg_trusted"])
        for i, t in enumerate(angles.time):
            digits = [4 if n.startswith("knee_height") else 2 for n in names]
            cells = [_cell(angles.values[n][i], d) for n, d in zip(names, digits, strict=True)]
            out.writerow([i, f"{t:.4f}", *cells, int(far_leg_trusted[i])])


def write_landmarks(path: str, clean: CleanPose, frame_height: int) -> None:
    """One row per frame: `posed` (1: pose ran on it; 0: filled in by the filter between the
    frames it ran on), then <name>_x, <name>_y (image pixels, y down), <name>_visibility."""
    pose = clean.pose
    posed = clean.posed if clean.posed is not None else np.ones(len(pose), dtype=bool)
    header = ["frame", "time_s", "posed"]
    for name in NAMES:
        header += [f"{name}_x", f"{name}_y", f"{name}_visibility"]
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i, t in enumerate(pose.time):
            row = [i, f"{t:.4f}", int(posed[i])]
            for k in range(len(NAMES)):
                x, y = pose.xy[i, k]
                seen = np.isfinite(x) and np.isfinite(y)
                vis = _cell(pose.visibility[i, k], 3) if seen else ""
                row += [_cell(x, 2), _cell(frame_height - y, 2), vis]
            out.writerow(row)

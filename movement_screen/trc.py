"""OpenSim-style .trc export of the cleaned landmarks, in pixels, as Sports2D and Pose2Sim read.

Tab-separated: five header lines, then one row per video frame,
`Frame#` (1-based), `Time` (s, the decoder's) and X, Y, Z per marker. Markers are
MediaPipe's 33 landmark names; X is pixels to the right, Y pixels **up** from the
bottom edge of the upright frame (image y flipped), Z is 0 (one camera). Frames or
landmarks where the athlete is not tracked have empty cells.
"""

from __future__ import annotations

import os

import numpy as np

from movement_screen.landmarks import NAMES
from movement_screen.screening import Screening

HEADER_KEYS = (
    "DataRate",
    "CameraRate",
    "NumFrames",
    "NumMarkers",
    "Units",
    "OrigDataRate",
    "OrigDataStartFrame",
    "OrigNumFrames",
)


def header(path: str, *, rate: float, frames: int) -> list[str]:
    """The five header lines of a .trc with MediaPipe's markers in pixels."""
    values = (
        f"{rate:g}",
        f"{rate:g}",
        str(frames),
        str(len(NAMES)),
        "px",
        f"{rate:g}",
        "1",
        str(frames),
    )
    return [
        f"PathFileType\t4\t(X/Y/Z)\t{os.path.basename(path)}",
        "\t".join(HEADER_KEYS),
        "\t".join(values),
        "Frame#\tTime\t" + "\t\t\t".join(NAMES) + "\t\t",
        "\t\t" + "\t".join(f"X{k}\tY{k}\tZ{k}" for k in range(1, len(NAMES) + 1)),
    ]


def _cells(point: np.ndarray) -> str:
    """'x\\ty\\t0' for a tracked landmark (pixels, y up), three empty cells if not."""
    if not np.isfinite(point).all():
        return "\t\t"
    return f"{point[0]:.3f}\t{point[1]:.3f}\t0"


def row(frame: int, time_s: float, xy: np.ndarray) -> str:
    """One data line: 1-based frame number, time (s), then X, Y, Z of each marker."""
    return f"{frame + 1}\t{time_s:.6f}\t" + "\t".join(_cells(p) for p in xy)


def write_trc(path: str, screening: Screening) -> None:
    """Write the cleaned landmarks of a screening to `path` (.trc, pixels, y up, Z = 0)."""
    pose = screening.clean.pose
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for line in header(path, rate=screening.info.fps, frames=len(pose)):
            handle.write(line + "\n")
        for i, time_s in enumerate(pose.time):
            handle.write(row(i, float(time_s), pose.xy[i]) + "\n")


def read_trc(path: str) -> tuple[dict[str, str], list[str], np.ndarray, np.ndarray]:
    """(header fields, marker names, time (T,) s, xyz (T, markers, 3) with NaN for empty)."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    fields = dict(zip(lines[1].split("\t"), lines[2].split("\t"), strict=True))
    markers = [m for m in lines[3].split("\t")[2:] if m]
    rows = [line.split("\t") for line in lines[5:] if line.strip()]
    time = np.array([float(r[1]) for r in rows])
    cells = [[float(c) if c else np.nan for c in r[2:]] for r in rows]
    xyz = np.array(cells).reshape(len(rows), len(markers), 3)
    return fields, markers, time, xyz

"""Writers: H.264 video (PyAV), ground-truth CSVs and clip metadata JSON."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


class VideoWriter:
    """H.264 / yuv420p MP4 at a constant frame rate; feed (H, W, 3) uint8 RGB frames."""

    def __init__(self, path: Path, fps: int, width: int, height: int, crf: int = 23) -> None:
        self._box = av.open(str(path), mode="w", options={"movflags": "+faststart"})
        self._stream = self._box.add_stream("libx264", rate=Fraction(fps))
        self._stream.width, self._stream.height = width, height
        self._stream.pix_fmt = "yuv420p"
        self._stream.options = {"crf": str(crf), "preset": "medium"}

    def write(self, rgb: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        for packet in self._stream.encode(frame):
            self._box.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._box.mux(packet)
        self._box.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fmt(x: float, digits: int) -> str:
    return "" if not np.isfinite(x) else f"{x:.{digits}f}"


def write_table(path: Path, fps: int, columns: dict[str, np.ndarray], digits: int = 3) -> None:
    """CSV with ``frame,time_s`` then ``columns`` ((T,) arrays); NaN is written as empty."""
    names = list(columns)
    n = len(next(iter(columns.values())))
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["frame", "time_s", *names])
        for i in range(n):
            row = [_fmt(float(columns[c][i]), digits) for c in names]
            w.writerow([i, f"{i / fps:.6f}", *row])


def joint_columns(px: dict[str, np.ndarray], names) -> dict[str, np.ndarray]:
    """{name: (T, 2) pixels} -> ordered columns ``<name>_x``, ``<name>_y``."""
    cols: dict[str, np.ndarray] = {}
    for k in names:
        cols[f"{k}_x"], cols[f"{k}_y"] = px[k][:, 0], px[k][:, 1]
    return cols


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def update_manifest(out_dir: Path, entries: list[dict]) -> None:
    """Merge clip metadata into ``out_dir/manifest.json`` (keyed and sorted by clip name)."""
    path = out_dir / "manifest.json"
    clips = {}
    if path.exists():
        clips = {c["name"]: c for c in json.loads(path.read_text()).get("clips", [])}
    clips.update({e["name"]: e for e in entries})
    write_json(path, {"clips": [clips[k] for k in sorted(clips)]})

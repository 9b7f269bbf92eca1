"""Check rendered clips with MediaPipe Pose: detection rate and landmark pixel error.

``python -m movement_screen.synth.verify DIR [NAME ...]`` prints, per clip, the share of frames
in which legacy ``mp.solutions.pose`` (model_complexity=1, video mode) finds a person, and the
median / 90th-percentile distance (pixels) between its hip, knee and ankle landmarks and the
projected joint centres in ``<clip>_joints.csv``. Imports MediaPipe only when run.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import av
import numpy as np

CHECK = ("hip", "knee", "ankle")


def _frames(path: Path):
    with av.open(str(path)) as box:
        for frame in box.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def _truth(path: Path) -> dict[str, np.ndarray]:
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def detect(video: Path, static: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per-frame detection flags (T,) and landmark pixels {name: (T, 2)} (NaN if missed)."""
    import mediapipe as mp

    pl = mp.solutions.pose.PoseLandmark
    names = [f"{s}_{j}" for j in CHECK for s in ("left", "right")]
    found, pts = [], {n: [] for n in names}
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=static) as pose:
        for rgb in _frames(video):
            h, w = rgb.shape[:2]
            res = pose.process(rgb)
            found.append(res.pose_landmarks is not None)
            for n in names:
                if res.pose_landmarks is None:
                    pts[n].append((np.nan, np.nan))
                else:
                    lm = res.pose_landmarks.landmark[pl[n.upper()]]
                    pts[n].append((lm.x * w, lm.y * h))
    return np.array(found), {n: np.array(v) for n, v in pts.items()}


def pixel_errors(pts: dict[str, np.ndarray], truth: dict[str, np.ndarray]) -> dict[str, dict]:
    """Per joint: median/p90 error (px) with MediaPipe's left/right as labelled and with the
    better of the two labellings per frame (side views often swap the legs)."""
    out = {}
    for j in CHECK:
        t = {s: np.stack([truth[f"{s}_{j}_x"], truth[f"{s}_{j}_y"]], 1) for s in ("left", "right")}
        e = {s: np.linalg.norm(pts[f"{s}_{j}"] - t[s], axis=1) for s in t}
        sw = {"left": np.linalg.norm(pts[f"right_{j}"] - t["left"], axis=1)}
        sw["right"] = np.linalg.norm(pts[f"left_{j}"] - t["right"], axis=1)
        labelled = np.concatenate([e["left"], e["right"]])
        best = np.minimum(e["left"] + e["right"], sw["left"] + sw["right"]) / 2
        swap = (sw["left"] + sw["right"] < e["left"] + e["right"])[:, None]
        dl = np.where(swap, pts[f"right_{j}"], pts[f"left_{j}"]) - t["left"]
        dr = np.where(swap, pts[f"left_{j}"], pts[f"right_{j}"]) - t["right"]
        bias = np.nanmedian(np.concatenate([dl, dr]), axis=0)
        out[j] = {
            "median_px": float(np.nanmedian(labelled)),
            "p90_px": float(np.nanpercentile(labelled, 90)),
            "median_px_best_labelling": float(np.nanmedian(best)),
            "swapped_frames": float(np.nanmean(swap)),
            "median_dx_dy_px": [round(float(b), 2) for b in bias],
        }
    return out


def check_clip(folder: Path, name: str) -> dict:
    found, pts = detect(folder / f"{name}.mp4")
    truth = _truth(folder / f"{name}_joints.csv")
    meta = json.loads((folder / f"{name}.json").read_text())
    return {
        "name": name,
        "frames": int(len(found)),
        "detected": int(found.sum()),
        "rate": float(found.mean()),
        "thigh_px": _thigh_px(truth),
        "height_px": meta["height"],
        "errors": pixel_errors(pts, truth),
    }


def _thigh_px(truth: dict[str, np.ndarray]) -> float:
    d = np.hypot(
        truth["left_hip_x"] - truth["left_knee_x"], truth["left_hip_y"] - truth["left_knee_y"]
    )
    return float(np.median(d))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("names", nargs="*")
    args = ap.parse_args(argv)
    names = args.names or sorted(p.stem for p in args.folder.glob("*.mp4"))
    for name in names:
        print(json.dumps(check_clip(args.folder, name)))


if __name__ == "__main__":
    main()

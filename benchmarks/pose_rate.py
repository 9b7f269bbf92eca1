"""Pose at the rate the movement needs: what skipping frames of a fast clip costs in accuracy.

Renders holdout clips (their own seeds' draws: body, camera, motion) again at 120 and
240 fps into `benchmarks/.cache/pose-rate/`, screens each twice, with pose on the frames
the movement needs (`tracking.POSE_RATE_FAST` / `POSE_RATE_SLOW`) and on every frame,
and prints per clip: the share of frames posed, the seconds of each run, and for each run
its errors against the rendered truth: the angles' MAE (median over the side-view
angles) and the peaks' error (each stride's or rep's value against the same value read
from the true angles, median). Targets (issue #17): skipping frames adds less than 0.5
degrees to the angle MAE and less than 1 degree to the peaks' error. How far the two
runs' angles are apart is printed too (information: the every-frame run is not the truth).

    python benchmarks/pose_rate.py [--clips N]      # ~10 min on 2 cores the first time
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import clipdata  # noqa: E402
from movement_screen import metrics, movements, pipeline, tracking  # noqa: E402
from movement_screen.synth import draw, generate  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache" / "pose-rate"
RECIPES = ("sprint_none_side", "sprint_trunk_lean_side", "jog_none_side",
           "lunge_none_side", "hinge_none_side")  # fmt: skip
RATES = (120, 240)
LONGEST_S = 4.0  # seconds of each clip rendered (rendering is the slow part)
ANGLES = ("trunk_lean", "thigh_angle_left", "thigh_angle_right", "hip_flexion_left",
          "hip_flexion_right", "knee_flexion_left", "knee_flexion_right")  # fmt: skip
TARGET_MAE, TARGET_PEAK = 0.5, 1.0


def specs(count: int) -> list:
    """Holdout draws of the recipes, at each fast rate, at most LONGEST_S long."""
    drawn = {s.name.rsplit("_", 1)[0]: s for s in draw.drawn_set("holdout")}
    out = []
    for recipe in RECIPES[:count]:
        spec = drawn[recipe]
        for fps in RATES:
            name = f"{recipe}_{fps}fps_{spec.seed}"
            out.append(dataclasses.replace(spec, name=name, fps=fps,
                                           duration=min(spec.duration, LONGEST_S)))  # fmt: skip
    return out


def rendered(spec) -> Path:
    path = CACHE / f"{spec.name}.mp4"
    if not path.exists():
        generate.make_clip(spec, CACHE)
    return path


def screen(path: Path, *, every_frame: bool):
    rates = tracking.POSE_RATE_FAST, tracking.POSE_RATE_SLOW
    if every_frame:
        tracking.POSE_RATE_FAST = tracking.POSE_RATE_SLOW = float("inf")
    try:
        started = time.perf_counter()
        result = pipeline.analyze(str(path))
        return result, time.perf_counter() - started
    finally:
        tracking.POSE_RATE_FAST, tracking.POSE_RATE_SLOW = rates


def errors(result, spec) -> tuple[float, float]:
    """(angle MAE, peak error) against the rendered truth, medians, degrees."""
    meta = clipdata.read_meta(CACHE, spec.name)
    truth = clipdata.truth_angles(clipdata.read_table(CACHE / f"{spec.name}_truth2d.csv"), meta)
    maes = []
    for name in ANGLES:
        a, b = result.angles.values[name], truth.values[name][: len(result.angles.time)]
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.any():
            maes.append(float(np.mean(np.abs(a[ok] - b[ok]))))
    peaks = []
    if result.movement is not None:
        table = movements.get(result.movement).table(result.view)
        true = metrics.measure(table, truth, result.clean.pose, result.events)
        want = {(m.metric, m.side, m.rep): m.value for m in true if m.kind == "value"}
        for m in result.measurements:
            key = (m.metric, m.side, m.rep)
            if m.kind == "value" and m.unit == "deg" and np.isfinite(want.get(key, np.nan)):
                peaks.append(abs(m.value - want[key]) if np.isfinite(m.value) else np.nan)
        peaks = [p for p in peaks if np.isfinite(p)]
    return _median(maes), _median(peaks)


def _median(values: list[float]) -> float:
    return float(np.median(values)) if values else float("nan")


def apart(a, b) -> float:
    """The largest angle MAE between the two runs (information)."""
    maes = [float(np.nanmean(np.abs(a.angles.values[n] - b.angles.values[n]))) for n in ANGLES
            if np.isfinite(a.angles.values[n] - b.angles.values[n]).any()]  # fmt: skip
    return max(maes, default=float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=len(RECIPES), help="recipes to render")
    args = parser.parse_args()
    print("| clip | posed | seconds (every frame) | angle MAE, skipping / every frame "
          "| peak error, skipping / every frame | apart | |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    misses = 0
    for spec in specs(args.clips):
        path = rendered(spec)
        sampled, t_s = screen(path, every_frame=False)
        full, t_f = screen(path, every_frame=True)
        (mae_s, peak_s), (mae_f, peak_f) = errors(sampled, spec), errors(full, spec)
        ok = not (mae_s - mae_f >= TARGET_MAE) and not (peak_s - peak_f >= TARGET_PEAK)
        misses += not ok
        print(
            f"| {spec.name} | {sampled.quality.posed_share:.0%} | {t_s:.1f} ({t_f:.1f}) | "
            f"{mae_s:.2f} / {mae_f:.2f} | {peak_s:.2f} / {peak_f:.2f} | "
            f"{apart(sampled, full):.2f} | {'PASS' if ok else 'MISS'} |",
            flush=True,
        )
    print(f"\n{misses} clips miss a target: skipping adds >= {TARGET_MAE} deg to the angle "
          f"MAE or >= {TARGET_PEAK} deg to the peaks' error")  # fmt: skip


if __name__ == "__main__":
    main()

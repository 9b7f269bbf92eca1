"""The movement recogniser's features on the drawn `train` clips, to tune it on (never holdout).

    python benchmarks/recognition_features.py [--set train|pelvis-train] [--size N]

Tracks each clip once (the tracks are cached beside the clips) and prints, per clip, the
expected movement, the recogniser's answer and every feature it scores with. Choosing a
threshold from this table is what `train` is for; `holdout` is only ever judged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy import CACHE, ensure_rendered, specs_of  # noqa: E402
from movement_screen import (  # noqa: E402
    classify,
    filtering,
    kinematics,
    movements,
    seen,
    tracking,
    video,
    view,
)
from movement_screen.core import AthleteChoice, Pose, Track  # noqa: E402
from movement_screen.pipeline import FIRST_PASS_CUTOFF_HZ  # noqa: E402


def cached_track(path: Path) -> Track:
    """The clip's raw track, from `<clip>.track.npz` when it was made from this video."""
    store = path.with_suffix(".track.npz")
    if store.exists() and store.stat().st_mtime > path.stat().st_mtime:
        data = np.load(store)
        depth = data["depth"] if data["depth"].size else None
        pose = Pose(data["time"], data["xy"], data["visibility"], depth)
        choice = AthleteChoice("auto", 0.0, 0.0, 0.0, 0, 1, "cached")
        return Track(pose, data["found"], choice, tuple(data["frame_size"]))
    track = tracking.track_athlete(video.probe(str(path)), None, workers=2)
    np.savez(
        store, time=track.pose.time, xy=track.pose.xy, visibility=track.pose.visibility,
        depth=track.pose.depth if track.pose.depth is not None else np.empty(0),
        found=track.found, frame_size=np.array(track.frame_size),
    )  # fmt: skip
    return track


def features_of(track: Track) -> tuple[str, dict[str, float], classify.MovementEstimate]:
    clean = filtering.clean(track, cutoff_hz=FIRST_PASS_CUTOFF_HZ)
    shown = view.detect_view(clean.pose).view
    angles = kinematics.angles(clean.pose, view=shown, facing=view.facing(clean.pose))
    estimate = classify.detect_movement(
        angles, clean.pose, movements.scores(shown), seen.scores(shown)
    )
    return shown.value, estimate.features, estimate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="clip_set", default="train", choices=("train", "pelvis-train"))
    ap.add_argument("--size", type=int, default=None)
    args = ap.parse_args(argv)
    if args.clip_set == "pelvis-train":
        from movement_screen.synth.draw import pelvis_set

        specs = {s.name: s for s in pelvis_set("train", args.size)}
    else:
        specs = specs_of(args.clip_set, args.size)
    folder = CACHE / args.clip_set
    ensure_rendered(folder, specs, workers=2)
    rows = []
    for name, spec in specs.items():
        shown, feats, estimate = features_of(cached_track(folder / f"{name}.mp4"))
        said = estimate.movement.value if estimate.movement else f"none ({estimate.seen or '-'})"
        rows.append((name, spec.expected_movement or "none", shown, said, feats))
    keys = list(rows[0][4])
    print("\t".join(["clip", "expected", "view", "said", *keys]))
    for name, expected, shown, said, feats in sorted(rows, key=lambda r: (r[1], r[0])):
        cells = [f"{feats[k]:.3f}" for k in keys]
        print("\t".join([name, expected, shown, said, *cells]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

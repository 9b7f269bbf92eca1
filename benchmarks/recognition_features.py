"""The movement recogniser's features on the drawn `train` clips, to tune it on (never holdout).

    python benchmarks/recognition_features.py [--set train|train-front|pelvis-train] [--size N]

Tracks each clip once (the tracks are cached beside the clips) and prints, per clip, the
expected movement, the recogniser's answer and every feature it scores with. Choosing a
threshold from this table is what `train` is for; `holdout` is only ever judged.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy import CACHE, ensure_rendered, specs_of  # noqa: E402
from movement_screen import classify, pipeline, tracking, video  # noqa: E402
from movement_screen.core import Track, VideoInfo  # noqa: E402


def cached_track(info: VideoInfo) -> Track:
    """The clip's raw track, from `<clip>.track.pkl` when it was made from this video (a
    cache this script writes and reads on this machine only)."""
    path = Path(info.path)
    store = path.with_suffix(".track.pkl")
    if store.exists() and store.stat().st_mtime > path.stat().st_mtime:
        with open(store, "rb") as f:
            return pickle.load(f)
    track = tracking.track_athlete(info, None, workers=2)
    with open(store, "wb") as f:
        pickle.dump(track, f)
    return track


def features_of(info: VideoInfo, track: Track) -> tuple[str, classify.MovementEstimate]:
    """The view and the recogniser's estimate, as the shipped screen makes them."""
    screened = pipeline.screen(info, track)
    return screened.view.value, screened.movement_estimate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--set", dest="clip_set", default="train", choices=("train", "train-front", "pelvis-train")
    )
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
        info = video.probe(str(folder / f"{name}.mp4"))
        shown, estimate = features_of(info, cached_track(info))
        feats = estimate.features
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

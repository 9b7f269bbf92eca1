"""How much the camera's side alone adds to a side view's left-right differences.

    python benchmarks/near_far.py --set train [--size 120] [--workers 2]
    python benchmarks/near_far.py --from-json FILE   # clips an accuracy run wrote (--json)

Seen from the side, MediaPipe does not draw the near leg and the far leg alike. On the
symmetric side-view sprints and jogs of a drawn set (one clip per seed, the near leg the
left one where the athlete faces image-left), this prints per clip the near leg's error
minus the far leg's for each sided sprint metric (per-leg medians over the strides against
the truth's own strides), then per metric the median, mean, spread and largest, and how
many symmetric clips the camera's side alone puts at the protocol's watch line. Not run
in CI.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import accuracy, tables  # noqa: E402
from benchmarks.engine_run import run_clip  # noqa: E402
from movement_screen import rules  # noqa: E402
from movement_screen.core import Movement  # noqa: E402
from movement_screen.movements.sprint import METRICS  # noqa: E402

SYMMETRIC_DEG = 2.0  # the truth's left-right difference under this: a symmetric clip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=accuracy.DRAWN, default="train")
    ap.add_argument("--size", type=int, default=None, help="clips drawn (default 40/60)")
    ap.add_argument("--from-json", type=Path, default=None, help="an accuracy run's --json")
    ap.add_argument("--json", type=Path, default=None, help="write the screened clips here")
    ap.add_argument("--workers", type=int, default=2)
    return ap.parse_args(argv)


def sided_metrics() -> list[str]:
    """The sprint's angles read on one leg (knee drive, hip extension)."""
    return [name for name, m in METRICS.items() if m.leg and m.unit == "deg"]


def watch_lines() -> dict[str, float]:
    """Per metric, the sprint protocol's watch line for a left-right difference (deg)."""
    protocol = rules.load(rules.default_path(Movement.SPRINT))
    return {r.metric: r.watch for r in protocol.rules if r.kind == "asymmetry"}


def clips_of(args: argparse.Namespace) -> list[dict]:
    """Every side-view sprint and jog of the set, screened (rendered first where missing)."""
    if args.from_json:
        return json.loads(args.from_json.read_text())["clips"]
    specs = {
        name: spec
        for name, spec in accuracy.specs_of(args.set, args.size).items()
        if spec.motion in ("sprint", "jog") and spec.view == "side"
    }
    folder = accuracy.CACHE / args.set
    accuracy.ensure_rendered(folder, specs, workers=args.workers)
    with ProcessPoolExecutor(args.workers) as pool:
        return list(pool.map(run_clip, [folder] * len(specs), list(specs)))


def near_minus_far(clip: dict, metric: str) -> tuple[float, float] | None:
    """(the near leg's median error minus the far leg's, the truth's left-right difference)
    of one metric, or None with under two strides a side."""
    rows = [r for r in clip.get("per_event") or [] if r["metric"] == metric]
    err, truth = {}, {}
    for side in ("left", "right"):
        mine = [r for r in rows if r["side"] == side and _finite(r.get("err_truth_own"))]
        if len(mine) < 2:
            return None
        err[side] = statistics.median(r["err_truth_own"] for r in mine)
        truth[side] = statistics.median(r["truth_own"] for r in mine)
    near, far = ("left", "right") if clip["facing"] == "left" else ("right", "left")
    return err[near] - err[far], truth["left"] - truth["right"]


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def report(clips: list[dict]) -> list[tables.Table]:
    names, watch = sided_metrics(), watch_lines()
    per_clip, summary = [], []
    found: dict[str, list[float]] = {m: [] for m in names}
    for clip in clips:
        if clip.get("view") != "side":
            continue
        cells = []
        for metric in names:
            got = near_minus_far(clip, metric)
            if got is None or abs(got[1]) >= SYMMETRIC_DEG:
                cells.append("-")
                continue
            found[metric].append(got[0])
            cells.append(f"{got[0]:+.1f}")
        if any(c != "-" for c in cells):
            per_clip.append([clip["clip"], clip["facing"], *cells])
    for metric, diffs in found.items():
        if diffs:
            at_watch = sum(abs(d) >= watch[metric] for d in diffs)
            summary.append([
                metric, str(len(diffs)), f"{statistics.median(diffs):+.2f}",
                f"{statistics.mean(diffs):+.2f}", f"{statistics.pstdev(diffs):.2f}",
                f"{max(abs(d) for d in diffs):.1f}", str(at_watch),
            ])  # fmt: skip
    headers = ["metric", "clips", "median", "mean", "sd", "largest", "at the watch line"]
    return [
        tables.Table(
            "Near leg's error minus the far leg's, symmetric side-view clips (deg)",
            ["clip", "facing", *names],
            per_clip,
        ),
        tables.Table("Per metric, over those clips (deg)", headers, summary),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    clips = clips_of(args)
    if args.json:
        args.json.write_text(json.dumps({"clips": accuracy.jsonable(clips)}))
    for table in report(clips):
        print(tables.render(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Left against right from both sides: what filming the other side takes out.

    python benchmarks/both_sides.py --set train [--size 120] [--workers 2]

Each one-person side-view sprint and jog of a drawn set is rendered again from the other
side (the same draw with the athlete facing the other way, so each leg is once near the
camera and once far), both clips are screened, and per clip and sided metric this prints
the truth's left-right difference, each clip's own, and the two read together
(`movement_screen.both_sides`) with the protocol's verdict. Then, over the symmetric clips
and over those drawn with a side difference, how many each way of reading puts past the
watch line. Not run in CI: about 20 minutes a set on two cores, the other-side clips
rendered once into the cache.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import accuracy, tables  # noqa: E402
from benchmarks.engine_run import run_clip  # noqa: E402
from benchmarks.near_far import SYMMETRIC_DEG  # noqa: E402
from movement_screen import both_sides, metrics, rules  # noqa: E402
from movement_screen.core import Measurement, Movement, Severity  # noqa: E402

FLIP = {"left": "right", "right": "left"}
PAST = (Severity.WATCH, Severity.FLAG)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=accuracy.DRAWN, default="train")
    ap.add_argument("--size", type=int, default=None, help="clips drawn (default 40/60)")
    ap.add_argument("--workers", type=int, default=2)
    return ap.parse_args(argv)


def pairs_of(args: argparse.Namespace) -> list[tuple[dict, dict]]:
    """(as drawn, from the other side) screened, per one-person side-view sprint and jog."""
    specs = {
        name: spec
        for name, spec in accuracy.specs_of(args.set, args.size).items()
        if spec.motion in ("sprint", "jog") and spec.view == "side" and not spec.others
    }
    twins = {
        f"{name}_otherside": dataclasses.replace(
            spec, name=f"{name}_otherside", facing=FLIP[spec.facing]
        )
        for name, spec in specs.items()
    }
    folder, other = accuracy.CACHE / args.set, accuracy.CACHE / f"{args.set}_otherside"
    accuracy.ensure_rendered(folder, specs, workers=args.workers)
    accuracy.ensure_rendered(other, twins, workers=args.workers)
    with ProcessPoolExecutor(args.workers) as pool:
        drawn = pool.map(run_clip, [folder] * len(specs), list(specs))
        flipped = pool.map(run_clip, [other] * len(twins), list(twins))
        return list(zip(drawn, flipped, strict=True))


def values(clip: dict) -> list[Measurement]:
    """The clip's per-stride engine values, as the screen measured them."""
    return [
        Measurement(r["metric"], r["engine"], "deg", r["side"], r["rep"])
        for r in clip.get("per_event") or []
        if r["engine"] is not None and r["side"] in ("left", "right")
    ]


def truth_difference(clip: dict, metric: str) -> float:
    sides = {
        s: [r["truth_own"] for r in clip["per_event"] if r["metric"] == metric and r["side"] == s
            and r["truth_own"] is not None]
        for s in ("left", "right")
    }  # fmt: skip
    if not all(sides.values()):
        return float("nan")
    return statistics.median(sides["left"]) - statistics.median(sides["right"])


def one_side(protocol, clip_values: list[Measurement], metric: str) -> rules.Finding | None:
    """The clip's own left-right finding of `metric`, as a screen of it alone judges it."""
    found = rules.judge(protocol, metrics.summarise(clip_values, drift=False))
    return next((f for f in found if f.metric == metric and f.kind == "asymmetry"), None)


def rows_of(pairs: list[tuple[dict, dict]]) -> list[dict]:
    protocol = rules.load(rules.default_path(Movement.SPRINT))
    rows = []
    for drawn, flipped in pairs:
        left_near, right_near = (drawn, flipped) if drawn["facing"] == "left" else (flipped, drawn)
        a, b = values(left_near), values(right_near)
        for reading in both_sides.read(protocol, a, b):
            own = [one_side(protocol, v, reading.metric) for v in (a, b)]
            rows.append({
                "clip": drawn["clip"], "metric": reading.metric,
                "truth": truth_difference(drawn, reading.metric), "reading": reading,
                "own_past": [f is not None and f.severity in PAST for f in own],
            })  # fmt: skip
    return rows


CLIP_HEAD = ("clip", "metric", "truth", "left leg near", "right leg near", "both sides",
             "camera's side", "verdict from both sides")  # fmt: skip
SUMMARY_HEAD = ("clips", "metric readings", "one clip alone past the line",
                "both sides past the line", "largest one clip", "largest both sides",
                "median error one clip", "median error both sides")  # fmt: skip


def _clip_row(r: dict) -> tuple[str, ...]:
    reading, f = r["reading"], r["reading"].finding
    signed = (r["truth"], reading.left_near, reading.right_near, reading.value, reading.camera)
    verdict = f.severity.value + (" (noise)" if f.within_noise else "")
    return (r["clip"], r["metric"], *(tables.num(v, "+.1f") for v in signed), verdict)


def _summary_row(label: str, chosen: list[dict]) -> tuple[str, ...]:
    own = [
        (d, r["truth"]) for r in chosen for d in (r["reading"].left_near, r["reading"].right_near)
    ]
    both = [(r["reading"].value, r["truth"]) for r in chosen]
    past_own = sum(p for r in chosen for p in r["own_past"])
    past_both = sum(r["reading"].finding.severity in PAST for r in chosen)
    return (
        label, str(len(chosen)), f"{past_own}/{len(own)}", f"{past_both}/{len(both)}",
        f"{max(abs(d) for d, _ in own):.1f}", f"{max(abs(d) for d, _ in both):.1f}",
        f"{statistics.median(abs(d - t) for d, t in own):.1f}",
        f"{statistics.median(abs(d - t) for d, t in both):.1f}",
    )  # fmt: skip


def report(rows: list[dict]) -> list[tables.Table]:
    groups = (
        ("symmetric (truth under 2 deg)", [r for r in rows if abs(r["truth"]) < SYMMETRIC_DEG]),
        ("drawn with a side difference", [r for r in rows if abs(r["truth"]) >= SYMMETRIC_DEG]),
    )
    return [
        tables.Table(
            "Left minus right per clip and metric (deg): the truth, each side's clip, both",
            CLIP_HEAD,
            [_clip_row(r) for r in rows],
        ),
        tables.Table(
            "Past the watch line: each clip alone against both sides read together",
            SUMMARY_HEAD,
            [_summary_row(label, chosen) for label, chosen in groups if chosen],
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for table in report(rows_of(pairs_of(args))):
        print(tables.render(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())

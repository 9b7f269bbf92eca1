"""Pelvic obliquity benchmark: the candidates side by side on front and back views of lunges.

    python benchmarks/pelvis.py                  # train and holdout (18 + 30 clips, ~25 min)
    python benchmarks/pelvis.py --set train      # the clips the reading was tuned on
        [--size N] [--markdown FILE] [--json FILE]

Clips come from `movement_screen.synth.draw.pelvis_set`: lunges with a pelvic drop of
7-12 degrees, 2-5 degrees, a hike, a sideways trunk lean or a caving knee with a level
pelvis, and a level pelvis; single-leg squats with a drop of 7-12 degrees or a level
pelvis; half filmed from behind, a quarter in a loose top that hides
the waistband; cameras up to 25 degrees off square. Rendered once into
benchmarks/.cache/pelvis-<set>.

Candidates, each against the truth (the 3D pelvis in the body's frontal plane):
  hip points      the line through MediaPipe's two hip landmarks (the old reading)
  world hips      the same two hips in MediaPipe's 3D world landmarks (a second pass here;
                  the engine does not keep them)
  engine          what the engine reports: the waistband line (`movement_screen.pelvis`)
                  where the clip's line is seen, otherwise nothing (withheld)
Per clip: MAE, bias, the error of the peak drop (deepest truth frame of each rep against
the reading there), and on clips without a drop (level, or a hike) the largest drop read.
Then whether `keep_pelvis_level` fired where the drop is 7 degrees or more and nowhere on a
level pelvis.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import clipdata  # noqa: E402
from benchmarks.tables import Table, num, render  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
LEVEL = ("level", "side_lean", "valgus_level", "hike")  # no drop of the trail side
CUE = "keep_pelvis_level"
CUE_FROM = 7.0  # degrees of drop from which the cue must fire
MAE_MAX, PEAK_MAX, FALSE_MAX = 2.0, 2.0, 3.0  # the targets, degrees
CANDIDATES = ("hip points", "world hips", "engine")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="sets", choices=("train", "holdout"), action="append")
    ap.add_argument("--size", type=int, default=None, help="clips per set (default 18/30)")
    ap.add_argument("--markdown", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    return ap.parse_args(argv)


def render_set(name: str, size: int | None) -> tuple[Path, list[str]]:
    from movement_screen.synth.draw import pelvis_set
    from movement_screen.synth.generate import make_clips

    specs = pelvis_set(name, size)
    folder = CACHE / f"pelvis-{name}"
    missing = clipdata.stale(folder, specs)
    if missing:
        print(f"rendering {len(missing)} clip(s) into {folder} ...", file=sys.stderr)
        make_clips(missing, folder, workers=2, log=lambda m: print(m, file=sys.stderr))
    return folder, [s.name for s in specs]


def run_clip(folder: Path, name: str) -> dict:
    """Track once, screen, and compare every candidate with the truth."""
    from movement_screen import kinematics, pipeline, tracking, video
    from movement_screen.core import Movement, View

    meta = clipdata.read_meta(folder, name)
    truth = clipdata.read_table(folder / f"{name}_truth.csv")["pelvic_obliquity"]
    info = video.probe(str(folder / f"{name}.mp4"))
    track = tracking.track_athlete(info)
    options = pipeline.Options(view=View.FRONT, movement=Movement(meta["expected_movement"]))
    result = pipeline.screen(info, track, options)
    line = result.pelvis
    readings = {
        "hip points": kinematics.pelvic_obliquity(result.clean.pose, result.angles.facing),
        "world hips": world_hips(info.path),
        "engine": result.angles.values["pelvic_obliquity"],
    }
    args = meta["motion_args"]
    leg = args.get("lead") or args.get("stance")  # the front (lunge) or standing leg
    lead_sign = 1.0 if leg == "left" else -1.0  # + obliquity = the other side dropping
    drop = float(args.get("drop", 0.0))
    fault = meta["fault"]
    return {
        "clip": name,
        "movement": meta["expected_movement"],
        "fault": fault,
        "facing": meta["facing"],
        "top": meta.get("top", "fitted"),
        "yaw": meta["yaw"],
        "drop": drop,
        "seen": line.share,
        "candidates": {
            k: compare(v, truth, lead_sign, fault in LEVEL) for k, v in readings.items()
        },
        "cue": CUE in [c.id for c in result.cues],
        "cue_expected": True if drop >= CUE_FROM else (False if fault in LEVEL else None),
    }


def world_hips(path: str) -> np.ndarray:
    """(T,) obliquity of the hips in MediaPipe's world landmarks, degrees, + the athlete's
    left higher (y is down in world landmarks too)."""
    from movement_screen import pose, video
    from movement_screen.landmarks import INDEX
    from movement_screen.quiet import quiet_native_stderr

    mp = pose._import_mediapipe()
    left, right = (INDEX[f"{s}_hip"] for s in ("left", "right"))
    out = []
    with (
        quiet_native_stderr(),
        mp.solutions.pose.Pose(model_complexity=1, smooth_landmarks=False) as model,
    ):
        for _, _, rgb in video.frames(path):
            found = model.process(rgb).pose_world_landmarks
            if found is None:
                out.append(np.nan)
                continue
            a, b = (np.array([found.landmark[k].x, found.landmark[k].y, found.landmark[k].z])
                    for k in (left, right))  # fmt: skip
            d = a - b
            out.append(np.degrees(np.arctan2(-d[1], np.hypot(d[0], d[2]))))
    return np.array(out)


def compare(reading: np.ndarray, truth: np.ndarray, sign: float, level: bool) -> dict:
    """MAE, bias, peak-drop error and (level pelvis) largest drop read, degrees; None when
    the candidate gave no number."""
    n = min(len(reading), len(truth))
    est, tru = sign * reading[:n], sign * truth[:n]  # + = the trail side lower
    ok = np.isfinite(est) & np.isfinite(tru)
    if ok.sum() < 0.5 * n:
        return {"mae": None, "bias": None, "peak": None, "false_drop": None}
    err = est[ok] - tru[ok]
    deepest = _rep_peaks(tru, ok)
    peak = float(np.median(est[deepest] - tru[deepest])) if len(deepest) else None
    return {
        "mae": float(np.mean(np.abs(err))),
        "bias": float(np.mean(err)),
        "peak": peak,
        "false_drop": float(np.max(est[ok])) if level else None,
    }


def _rep_peaks(tru: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Frames of each rep's largest |truth| (reps: stretches away from standing)."""
    size = np.where(ok, np.abs(tru), 0.0)
    if size.max() < 1.0:
        return np.array([], dtype=int)
    active = size > 0.5 * size.max()
    edges = np.flatnonzero(np.diff(np.r_[0, active.astype(int), 0]))
    return np.array(
        [s + int(np.argmax(size[s:e])) for s, e in zip(edges[::2], edges[1::2], strict=True)]
    )


def summary(results: list[dict]) -> Table:
    rows = []
    for cand in CANDIDATES:
        got = [r["candidates"][cand] for r in results]
        given = [g for g in got if g["mae"] is not None]
        peaks = [abs(g["peak"]) for g in given if g["peak"] is not None]
        false = [g["false_drop"] for g in given if g["false_drop"] is not None]
        rows.append((
            cand,
            f"{len(given)}/{len(got)}",
            num(np.median([g["mae"] for g in given]) if given else None, ".2f"),
            num(np.median([g["bias"] for g in given]) if given else None, ".2f"),
            _share([g["mae"] <= MAE_MAX for g in given]),
            _share([p <= PEAK_MAX for p in peaks]),
            _share([f <= FALSE_MAX for f in false]),
            num(max(false) if false else None, ".1f"),
        ))  # fmt: skip
    return Table(
        "Pelvic obliquity candidates",
        ("candidate", "clips read", "median MAE", "median bias", f"MAE <= {MAE_MAX:g}",
         f"peak within {PEAK_MAX:g}", f"level read <= {FALSE_MAX:g}", "worst level read"),
        rows,
    )  # fmt: skip


def _share(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)}" if flags else "-"


def withheld(results: list[dict]) -> Table:
    rows = []
    for top in ("fitted", "loose"):
        group = [r for r in results if r["top"] == top]
        given = sum(r["candidates"]["engine"]["mae"] is not None for r in group)
        rows.append((top, str(len(group)), str(given), str(len(group) - given)))
    return Table("Read or withheld, by top", ("top", "clips", "read", "withheld"), rows)


def cues(results: list[dict]) -> Table:
    rows = []
    for movement in sorted({r["movement"] for r in results}):
        for want, label in ((True, f"drop >= {CUE_FROM:g} deg"), (False, "no drop")):
            group = [r for r in results if r["cue_expected"] is want and r["movement"] == movement]
            fired = sum(r["cue"] for r in group)
            rows.append((movement, label, str(len(group)), str(fired)))
    return Table(f"'{CUE}' fired", ("movement", "clips", "count", "fired"), rows)


def per_clip(results: list[dict]) -> Table:
    rows = []
    for r in results:
        c = r["candidates"]
        rows.append((
            r["clip"], f"{r['yaw']:.0f}", f"{r['drop']:.1f}", f"{r['seen']:.0%}",
            *(num(c[k]["mae"], ".2f") for k in CANDIDATES),
            num(c["engine"]["peak"], ".1f"), num(c["engine"]["false_drop"], ".1f"),
            "yes" if r["cue"] else "no",
        ))  # fmt: skip
    return Table(
        "Per clip",
        ("clip", "yaw", "drop", "line seen", *(f"{k} MAE" for k in CANDIDATES), "peak err",
         "level read", "cue"),
        rows,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out, text = {}, []
    for name in args.sets or ["train", "holdout"]:
        folder, names = render_set(name, args.size)
        results = []
        for i, clip in enumerate(names, 1):
            results.append(run_clip(folder, clip))
            print(f"[{i}/{len(names)}] {clip}", file=sys.stderr)
        out[name] = results
        for table in (summary(results), withheld(results), cues(results), per_clip(results)):
            table = Table(f"{name}: {table.title}", table.headers, table.rows)
            print(render(table) + "\n")
            text.append(render(table, markdown=True))
    if args.markdown:
        args.markdown.write_text("\n\n".join(text) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

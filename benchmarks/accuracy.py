"""Accuracy benchmark: the whole engine on synthetic clips with known joint angles.

    python benchmarks/accuracy.py --set smoke      # 3 short sample clips, under a minute (CI)
    python benchmarks/accuracy.py --set samples    # the 9 clips in sample_videos/
    python benchmarks/accuracy.py --set full       # 36 clips, rendered into a cache if missing
    python benchmarks/accuracy.py --set train      # 40 clips drawn from train seeds (tuning)
    python benchmarks/accuracy.py --set train-crowd  # 96 more train-seeded clips with others
                                                     # in view (tuning the tracking; ~20 min)
    python benchmarks/accuracy.py --set holdout    # 60 held-out clips and the train set, side
                                                   # by side (renders into a cache; ~1 h)
    python benchmarks/accuracy.py --clips DIR      # every complete clip in DIR
        [--only NAME,NAME] [--markdown FILE] [--json FILE] [--workers N]

Prints per clip and angle the error against ground truth, per stride or rep the
measurement errors, what leg-swap correction is worth, which cues fired, and a
summary of targets with PASS/MISS. Missing a target is reported, never an error:
the exit code is 0 whenever the benchmark ran.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import clipdata, generalisation, tables  # noqa: E402
from benchmarks.engine_run import run_clip  # noqa: E402
from benchmarks.targets import all_targets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "sample_videos"
CACHE = ROOT / "benchmarks" / ".cache"  # gitignored
FULL_CACHE = CACHE / "full"
DRAWN = ("train", "holdout", "train-crowd", "train-front")
SMOKE = ("sprint_side_knee_drive", "lunge_front_valgus", "hinge_side_clean")
FULL_SET_HINT = "python benchmarks/accuracy.py --set full  (renders 36 clips once, ~6-15 min)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--set", dest="clip_set", choices=("smoke", "samples", "full", *DRAWN), default=None
    )
    ap.add_argument("--size", type=int, default=None, help="clips per drawn set (default 40/60)")
    ap.add_argument("--clips", type=Path, default=None, help="folder of clips (see above)")
    ap.add_argument("--only", default="", help="comma-separated clip names")
    ap.add_argument("--markdown", type=Path, default=None, help="write the tables as Markdown")
    ap.add_argument("--json", type=Path, default=None, help="write every number as JSON")
    ap.add_argument("--workers", type=int, default=2, help="processes rendering the full set")
    return ap.parse_args(argv)


def specs_of(clip_set: str, size: int | None = None) -> dict:
    """{name: ClipSpec} of a generated set: the full catalogue or a drawn set."""
    if clip_set == "train-crowd":
        from movement_screen.synth.draw import train_crowd

        return {s.name: s for s in train_crowd(size)}
    if clip_set == "train-front":
        from movement_screen.synth.draw import train_front

        return {s.name: s for s in train_front(size)}
    if clip_set in DRAWN:
        from movement_screen.synth.draw import drawn_set

        return {s.name: s for s in drawn_set(clip_set, size)}
    from movement_screen.synth.clips import clip_set as specs

    return {s.name: s for s in specs(clip_set)}


def catalogue_names(clip_set: str, size: int | None = None) -> list[str]:
    """Clip names of a set: smoke, the generator's samples / full catalogue, or a drawn set."""
    if clip_set == "smoke":
        return list(SMOKE)
    return list(specs_of(clip_set, size))


def ensure_rendered(folder: Path, specs: dict, *, workers: int) -> None:
    """Render the clips missing from `folder` or drawn anew since (`clipdata.stale`). One
    run renders into a folder at a time: a second run waits for it, then finds the clips
    made (two runs rendering the same clip at once wrote videos that do not decode)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".rendering.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting for another run to finish rendering into {folder} ...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        missing = clipdata.stale(folder, specs.values())
        if not missing:
            return
        from movement_screen.synth.generate import make_clips

        log(f"rendering {len(missing)} missing clip(s) into {folder} ...")
        make_clips(missing, folder, workers=workers, log=log)


def choose_clips(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """(folder, clip names) from --set, --clips and --only."""
    clip_set = args.clip_set or ("samples" if args.clips is None else None)
    cached = clip_set in ("full", *DRAWN)
    folder = args.clips or (CACHE / clip_set if cached else SAMPLES_DIR)
    names = catalogue_names(clip_set, args.size) if clip_set else clipdata.clips_in(folder)
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        names = [n for n in names if n in wanted] if clip_set else wanted
    if cached:
        specs = specs_of(clip_set, args.size)
        ensure_rendered(folder, {n: specs[n] for n in names}, workers=args.workers)
    absent = [f for n in names for f in clipdata.missing_files(folder, n)]
    if absent or not names:
        raise SystemExit(f"{folder}: missing clip files: {', '.join(absent) or 'no clips'}")
    return folder, names


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def engine_version() -> str:
    """The git commit the engine was run at, and whether movement_screen/ had local changes."""
    try:
        head, dirty = (
            _git("rev-parse", "--short", "HEAD"),
            _git("status", "--porcelain", "movement_screen"),
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {head}" + (" with local changes in movement_screen/" if dirty else "")


def shown(folder: Path) -> str:
    """The folder relative to the repository when it is inside it."""
    path = Path(folder).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_all(folder: Path, names: list[str]) -> list[dict]:
    results = []
    for i, name in enumerate(names, 1):
        result = run_clip(folder, name)
        log(f"[{i}/{len(names)}] {name}: {result['seconds']:.1f} s")
        results.append(result)
    return results


def to_markdown(clips: list[dict], targets: list, header: str) -> str:
    """The README's section: note, summary first, the long per-angle table folded away."""
    parts = [header, "", tables.NOTE, ""]
    shown = (
        tables.target_table(targets),
        tables.overview_table(clips),
        tables.event_table(clips),
        tables.swap_table(clips),
        tables.cue_table(clips),
    )
    parts += [tables.render(t, markdown=True) for t in shown]
    angles = tables.render(tables.angle_table(clips), markdown=True)
    parts += ["<details><summary>Per clip and angle</summary>", "", angles, "</details>"]
    return "\n".join(parts) + "\n"


def jsonable(value):
    """NaN and inf become null: the file stays standard JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def run_train(args: argparse.Namespace) -> list[dict]:
    """For --set holdout: the train set too, to put the two side by side."""
    train_args = argparse.Namespace(**{**vars(args), "clip_set": "train", "only": ""})
    train_args.size = None if args.size is None else max(2, args.size * 2 // 3)
    folder, names = choose_clips(train_args)
    return run_all(folder, names)


def generalisation_tables(sets: dict[str, list[dict]]) -> list:
    return [
        generalisation.side_by_side(sets),
        generalisation.recognition_table(sets),
        generalisation.angle_bias_table(sets),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    folder, names = choose_clips(args)
    clips = run_all(folder, names)
    train = run_train(args) if args.clip_set == "holdout" else []
    extra = generalisation_tables({"train": train, "holdout": clips}) if train else []
    targets = all_targets(clips)
    seconds = time.perf_counter() - start
    header = (
        f"Accuracy benchmark: {len(clips)} clip(s) from {shown(folder)}, {seconds:.0f} s; "
        f"engine at {engine_version()}"
    )
    print(header + "\n\n" + tables.NOTE + "\n")
    for table in (*tables.all_tables(clips, targets), *extra):
        print(tables.render(table))
    print(f"Full catalogue: {FULL_SET_HINT}")
    if args.markdown:
        text = to_markdown(clips, targets, f"## {header}")
        text += "".join("\n" + tables.render(t, markdown=True) for t in extra)
        args.markdown.write_text(text)
    if args.json:
        report = {"note": tables.NOTE, "engine": engine_version(), "folder": str(folder),
                  "seconds": round(seconds, 1),
                  "clips": clips, "targets": [t.as_dict() for t in targets],
                  "train_clips": train}  # fmt: skip
        args.json.write_text(json.dumps(jsonable(report), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

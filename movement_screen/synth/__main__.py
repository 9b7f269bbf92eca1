"""``python -m movement_screen.synth``: render the synthetic clip catalogue.

Examples::

    python -m movement_screen.synth --out sample_videos            # the 'samples' set
    python -m movement_screen.synth --set full --out bench_videos  # every catalogue clip
    python -m movement_screen.synth --only sprint_side_clean,hinge_side_squat --out /tmp/x
    python -m movement_screen.synth --list --set full
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .clips import CATALOGUE, clip_set


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m movement_screen.synth",
        description="Render synthetic athletes with known joint angles (video + ground truth).",
    )
    ap.add_argument("--out", type=Path, default=Path("sample_videos"), help="output folder")
    ap.add_argument("--set", dest="clip_set", choices=("samples", "full"), default="samples")
    ap.add_argument("--only", default="", help="comma-separated clip names (any set)")
    ap.add_argument("--workers", type=int, default=2, help="parallel processes (default 2)")
    ap.add_argument("--list", action="store_true", help="list the clips and exit")
    return ap


def select(clip_set_name: str, only: str):
    """The clips to render: ``only`` names (from the whole catalogue) or the named set."""
    if not only:
        return clip_set(clip_set_name)
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in CATALOGUE]
    if unknown:
        raise SystemExit(f"unknown clip(s): {', '.join(unknown)}; see --list --set full")
    return tuple(CATALOGUE[n] for n in names)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    specs = select(args.clip_set, args.only)
    if args.list:
        for s in specs:
            cues = ",".join(s.expected_cues) or "-"
            print(f"{s.name:32s} {s.motion:6s} {s.fault:10s} {s.view:5s} {s.facing:6s} {cues}")
        return 0
    from .generate import make_clips
    from .write import update_manifest

    results = make_clips(specs, args.out, workers=args.workers)
    for r in results:
        r.pop("render_s_per_frame", None)
    update_manifest(args.out, results)
    print(f"wrote {len(results)} clip(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

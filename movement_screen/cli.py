"""`movement-screen`: the command line. No analysis logic here; it calls the pipeline."""

from __future__ import annotations

import argparse
import os
import sys

from movement_screen.core import InputError, View


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="movement-screen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help="screen one video")
    analyze.add_argument("video")
    analyze.add_argument("--person", help="X,Y@SECONDS: a pixel on the athlete at that time")
    analyze.add_argument("--view", choices=["auto", "side", "front"], default="auto")
    analyze.add_argument("--out", help="output folder (default: <video stem>_screen/ beside it)")
    analyze.add_argument("--cutoff", type=float, help="low-pass cut-off, Hz")
    return parser


def _analyze(args: argparse.Namespace) -> int:
    from movement_screen import pipeline, tracking

    options = pipeline.Options(
        person=tracking.parse_person(args.person) if args.person else None,
        view=None if args.view == "auto" else View(args.view),
        cutoff_hz=args.cutoff or pipeline.DEFAULT_CUTOFF_HZ,
    )
    result = pipeline.analyze(args.video, options)
    out_dir = args.out or pipeline.default_out_dir(args.video)
    pipeline.write_outputs(result, out_dir)
    found = result.track.found
    print(f"athlete: {result.track.choice.reason}")
    print(f"tracked in {found.sum()} of {len(found)} frames; view: {result.angles.view.value}")
    print(f"wrote {out_dir}{os.sep}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _analyze(args)
    except InputError as error:
        print(f"movement-screen: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug, not bad input: still one line, details on request
        if os.environ.get("MOVEMENT_SCREEN_DEBUG"):
            raise
        print(
            f"movement-screen: internal error ({type(error).__name__}: {error}); "
            "set MOVEMENT_SCREEN_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("movement-screen: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

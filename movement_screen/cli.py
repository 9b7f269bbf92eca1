"""`movement-screen`: the command line. No analysis logic here; it calls the pipeline."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable
from dataclasses import replace

from movement_screen.core import InputError, Movement, View
from movement_screen.interrupt import Interrupted
from movement_screen.quiet import to_terminal
from movement_screen.records import commands as records_cli


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line, like every other error."""

    def error(self, message: str) -> None:
        self.exit(2, f"movement-screen: error: {message} (see {self.prog} --help)\n")


def _positive(kind: type) -> Callable[[str], float]:
    """argparse type: a finite number above zero (nan, inf, 0 and negatives are refused)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="movement-screen",
        description="Screen sprint, lunge and hip-hinge videos: angles, cues, reports, records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    analyze = sub.add_parser(
        "analyze", help="screen a video, or several of one session (front and side, say)"
    )
    analyze.add_argument("video", nargs="+", help="one clip, or the clips of one session")
    analyze.add_argument("--person", help="X,Y@SECONDS: a pixel on the athlete at that time")
    analyze.add_argument("--clinician", metavar="NAME", help="the clinician named on the report")
    analyze.add_argument("--view", choices=["auto", "side", "front"], default="auto")
    analyze.add_argument(
        "--out",
        help="output folder (default: <video stem>_screen/ beside it; for several clips "
        "<first stem>_session/, a folder per clip and session/ with the joint report)",
    )
    analyze.add_argument("--movement", choices=["auto", *Movement], default="auto")
    analyze.add_argument("--protocol", help="a protocol TOML file replacing the movement's default")
    analyze.add_argument(
        "--cutoff", type=_positive(float), help="low-pass cut-off, Hz (default: by movement)"
    )
    analyze.add_argument(
        "--workers", type=_positive(int), help="pose instances at once (default: cores, up to 4)"
    )
    for flag, what in (
        ("html", "report.html"),
        ("pdf", "report.pdf"),
        ("video", "annotated.mp4"),
        ("trc", "landmarks.trc"),
    ):
        analyze.add_argument(f"--no-{flag}", action="store_true", help=f"do not write {what}")
    records_cli.add_store_options(analyze)
    records_cli.add_commands(sub)
    _add_batch(sub)
    return parser


def _add_batch(sub) -> None:
    batch = sub.add_parser("batch", help="screen many clips: a folder per clip and a summary table")
    batch.add_argument("clips", help="a folder of videos, or a glob such as 'season/*.mp4'")
    batch.add_argument("--out", required=True, help="output folder (resumes if it exists)")
    batch.add_argument(
        "--workers", type=_positive(int), default=2, help="clips at once (default 2)"
    )
    batch.add_argument("--engine", choices=["local", "dask"], default="local")
    batch.add_argument("--scheduler", help="a Dask scheduler address (with --engine dask)")
    for flag in ("html", "pdf", "video", "trc"):
        batch.add_argument(f"--no-{flag}", action="store_true")
    batch.set_defaults(handler=_batch)


def _batch(args: argparse.Namespace) -> int:
    from movement_screen import interrupt

    with interrupt.stop_on_signals():
        # Loading the engine takes a second or more: a signal meanwhile stops cleanly too.
        from tqdm import tqdm

        from movement_screen import batch, tracking, video

        video.huge_pages(False)  # this process and its workers analyse

        clips = batch.find_clips(args.clips)
        outputs = {f: not getattr(args, f"no_{f}") for f in ("html", "pdf", "video", "trc")}
        workers = max(args.workers, 1)
        pose_workers = max(1, tracking.DEFAULT_WORKERS // workers)
        jobs = batch.plan(clips, args.out, outputs=outputs, pose_workers=pose_workers)
        runner = batch.run_local
        if args.engine == "dask":
            from movement_screen.distributed import dask_runner

            runner = dask_runner(args.scheduler)
        try:
            os.makedirs(args.out, exist_ok=True)
        except OSError as error:
            raise InputError(
                f"{args.out}: cannot create the output folder ({error.strerror})"
            ) from None
        outcome = batch.run_batch(jobs, workers=workers, runner=runner, progress=tqdm)
        summary = os.path.join(args.out, batch.SUMMARY)
        batch.write_summary(summary, outcome.rows)
    return _batch_said(outcome, summary)


def _batch_said(outcome, summary: str) -> int:
    """Print the failures and the count, truthfully; the exit code."""
    from movement_screen import batch

    rows = outcome.rows
    failed = [r for r in rows if r["status"] == "error"]
    for row in failed:
        error = row["error"]  # most errors name the clip's path first already
        said = (
            error if error.startswith(row["clip"]) else f"{os.path.basename(row['clip'])}: {error}"
        )
        print(f"movement-screen: {said}", file=sys.stderr)
    finished = sum(r["status"] != batch.NOT_RUN for r in rows) - len(failed)
    said = f"{finished} of {len(rows)} clips screened; summary: {summary}"
    if outcome.stopped is not None:
        to_terminal(f"movement-screen: interrupted ({outcome.stopped}); {said}")
        return getattr(outcome.stopped, "exit_code", 130)
    print(said)
    return 1 if failed and len(failed) == len(rows) else 0


def _options(args: argparse.Namespace):
    """The analysis options from the command line, checked before minutes of analysis."""
    from movement_screen import pipeline, tracking, video

    video.huge_pages(False)  # this process analyses
    records_cli.check_store_options(args)
    options = pipeline.Options(
        person=tracking.parse_person(args.person) if args.person else None,
        view=None if args.view == "auto" else View(args.view),
        movement=None if args.movement == "auto" else Movement(args.movement),
        protocol=args.protocol,
        cutoff_hz=args.cutoff,
        workers=args.workers or tracking.DEFAULT_WORKERS,
    )
    pipeline.check(options)
    return options


def _analyze(args: argparse.Namespace) -> int:
    from movement_screen import interrupt

    if len(args.video) > 1:
        return _analyze_session(args)
    (video,) = args.video
    done = []  # what is kept if the run is interrupted
    try:
        with interrupt.stop_on_signals() as stop:
            # Loading the engine takes a second or more: a signal meanwhile stops cleanly too.
            from movement_screen import outdir, pipeline

            options = _options(args)
            out_dir = args.out or pipeline.default_out_dir(video)
            outdir.check(out_dir, video)
            progress = interrupt.checked(None, stop)
            _screen_one(args, video, out_dir, replace(options, progress=progress), progress)
            done.append(f"the outputs are in {out_dir}{os.sep}")
    except Interrupted as stop:
        stop.kept = done
        raise
    return 0


def _screen_one(args: argparse.Namespace, video: str, out_dir: str, options, progress, visit=None):
    """Analyse one clip, write its outputs, say what was found, store it (with the other
    clips of its `visit`, if any); the screening."""
    from movement_screen import pipeline
    from movement_screen.report import worker

    if not (args.no_html and args.no_pdf):
        worker.start()  # the report's process starts up while the clip is analysed
    result = pipeline.analyze(video, options)
    _write(args, result, out_dir, progress)
    _summary(result)
    print(f"wrote {out_dir}{os.sep}")
    with open(os.path.join(out_dir, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    annotated = os.path.join(out_dir, "annotated.mp4")
    records_cli.store_after_analyze(
        args, report, clip_path=video, visit=visit,
        review_clip=annotated if os.path.isfile(annotated) else None,
    )  # fmt: skip
    return result


def _analyze_session(args: argparse.Namespace) -> int:
    """Several clips of one session: each screened into a folder of its own, then one
    report for them all in `session/`."""
    from movement_screen import batch, interrupt, outdir, pipeline, records
    from movement_screen.report import session

    if args.person:
        raise InputError(
            "--person names a pixel in one clip: with several clips the athlete is chosen "
            "in each; screen a clip on its own to point at the athlete"
        )
    options = _options(args)
    out_dir = args.out or pipeline.default_session_dir(args.video[0])
    jobs = batch.plan(args.video, out_dir)
    for job in jobs:
        outdir.check(job.out_dir, job.clip)
    joint = os.path.join(out_dir, session.FOLDER)
    outdir.check(joint, args.video[0])
    done: list[str] = []
    try:
        with interrupt.stop_on_signals() as stop:
            progress = interrupt.checked(None, stop)
            parts, visit = [], records.new_visit()
            for job in jobs:
                print(f"== {os.path.basename(job.clip)}")
                clip_options = replace(options, progress=progress)
                result = _screen_one(args, job.clip, job.out_dir, clip_options, progress, visit)
                done.append(f"{job.out_dir}{os.sep}")
                folder = f"../{os.path.basename(job.out_dir)}"
                parts.append(session.part_of(result, os.path.basename(job.clip), folder))
            _write_session(args, parts, joint, args.video[0])
            for group in session.both_sides_of(parts):
                print(f"{session.both_label(group)}, left against right:")
                print("\n".join(f"  {session.reading_words(r)}" for r in group.readings))
            done.append(f"{joint}{os.sep}")
            print(f"wrote the session's report to {joint}{os.sep}")
    except Interrupted as stop:
        stop.kept = [f"the outputs so far are in {', '.join(done)}"] if done else []
        raise
    return 0


def _write_session(args: argparse.Namespace, parts, folder: str, owner: str) -> None:
    from movement_screen import outdir
    from movement_screen.report import pdf, session

    page = session.render(parts, athlete=args.athlete, notes=args.notes, clinician=args.clinician)
    with outdir.output_folder(folder, owner) as work:
        pdf.write_page(page, work, "report", html=not args.no_html, pdf=not args.no_pdf)
        session.write_json(os.path.join(work, "report.json"), parts)


def _write(args: argparse.Namespace, result, out_dir: str, progress) -> None:
    from movement_screen import pipeline, records
    from movement_screen.report import data

    comparison = None
    if args.athlete:
        comparison = records.comparison_for(args.db, args.athlete, data.to_dict(result))
    outputs = pipeline.Outputs(
        html=not args.no_html,
        pdf=not args.no_pdf,
        video=not args.no_video,
        trc=not args.no_trc,
        athlete=args.athlete,
        notes=args.notes,
        clinician=args.clinician,
        comparison=comparison,
        progress=progress,
    )
    pipeline.write_outputs(result, out_dir, outputs)


def _summary(result) -> None:
    """What a person wants to read first: whom, what, the cues; problems on stderr."""
    from movement_screen.report import names

    q = result.quality
    estimate = result.movement_estimate
    movement = names.movement_word(
        result.movement and result.movement.value,
        estimate.seen,
        estimate.movement and estimate.movement.value,
    )
    print(f"athlete: {result.athlete.reason}")
    print(
        f"tracked in {q.found_share:.0%} of frames; view: {result.view.value}; movement: {movement}"
    )
    for cue in result.cues:
        print(f"  [{cue.severity.value}] {cue.text}")
        for item in cue.work_on:
            print(f"      {item.area}: {item.text}")
    for line in (*_athlete_notes(result.athlete), *result.notes, *q.limits):
        print(f"movement-screen: note: {line}", file=sys.stderr)


def _athlete_notes(choice) -> list[str]:
    """When the automatic choice of athlete is unsure: who else, and how to choose."""
    from movement_screen.tracking import LOST

    if not choice.unsure:
        return []
    if choice.reason.endswith(LOST):
        return [
            f"unsure who the athlete is: {LOST} ({choice.time_s:.1f} s); to choose, pass "
            "--person X,Y@SECONDS with a pixel on the athlete at a moment no one passes "
            "close to them"
        ]
    if not choice.others:  # the one who moves as much was seen at another moment
        return [
            "unsure who the athlete is: someone seen at another moment moves about as much; "
            "to choose, pass --person X,Y@SECONDS with a pixel on the athlete at a time they "
            "are in view"
        ]
    others = ", ".join(f"{x},{y}" for x, y in choice.others)
    return [
        f"unsure who the athlete is: another person moves about as much (others at pixel "
        f"{others}); to choose, pass --person X,Y@{choice.time_s:.1f} with a pixel on the athlete"
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = getattr(args, "handler", None) or _analyze
    try:
        return handler(args)
    except InputError as error:
        to_terminal(f"movement-screen: error: {error}")
        return 2
    except BrokenPipeError:
        # the reader stopped early (`athletes | head`): no traceback on the way out
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        to_terminal("movement-screen: error: the output was closed early (broken pipe)")
        return 2
    except Interrupted as stop:
        kept = "; ".join(stop.kept) or "nothing was written"
        to_terminal(f"movement-screen: interrupted ({stop}); {kept}")
        return stop.exit_code
    except Exception as error:  # a bug, not bad input: still one line, details on request
        if os.environ.get("MOVEMENT_SCREEN_DEBUG"):
            raise
        to_terminal(
            f"movement-screen: internal error ({type(error).__name__}: {error}); "
            "set MOVEMENT_SCREEN_DEBUG=1 for the traceback"
        )
        return 1
    except KeyboardInterrupt:  # outside analyze and batch: reading or one SQLite transaction
        to_terminal("movement-screen: interrupted; nothing was changed")
        return 130


if __name__ == "__main__":
    sys.exit(main())

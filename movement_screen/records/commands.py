"""Command-line options and handlers for the records store (the lead wires them into cli.py).

`add_store_options(analyze_parser)` adds --athlete/--pain/--pain-after/--rpe/
--baseline/--notes/--db to `analyze`; `add_commands(subparsers)` registers
`history`, `athletes`, `export` and `import`, each with `handler` set. Handlers
take the parsed arguments, print, return an exit code and raise InputError for
bad input.
"""

from __future__ import annotations

import argparse
import json
import os

from movement_screen.core import InputError, Movement
from movement_screen.records import api, exchange, model, text

STORE_OPTIONS = ("pain", "pain_after", "rpe", "baseline", "notes")
DB_HELP = (
    f"records database file (default: ${model.ENV_VAR}, else "
    "$XDG_DATA_HOME/movement-screen/records.sqlite3 or ~/.local/share/movement-screen/...)"
)


def _score(label: str):
    """argparse type for a 0-10 score: a clear message before any analysis runs."""

    def parse(value: str) -> float:
        try:
            return model.check_scale(label, float(value))
        except (ValueError, InputError) as error:
            raise argparse.ArgumentTypeError(f"{label} must be a number from 0 to 10") from error

    return parse


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help=DB_HELP)


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Options of `analyze` that store the screen in the records database."""
    group = parser.add_argument_group("records (store the screen for an athlete)")
    group.add_argument("--athlete", metavar="NAME", help="store this screen for NAME")
    group.add_argument("--pain", type=_score("pain"), metavar="N", help="pain before, 0-10")
    group.add_argument("--pain-after", type=_score("pain after"), metavar="N", help="pain after")
    group.add_argument("--rpe", type=_score("session RPE"), metavar="N", help="session RPE, 0-10")
    group.add_argument("--baseline", action="store_true", help="make this the new baseline")
    group.add_argument("--notes", metavar="TEXT", help="free notes for this session")
    group.add_argument("--db", metavar="PATH", help=DB_HELP)


def check_store_options(args: argparse.Namespace) -> None:
    """InputError if details lack --athlete or the records file is unusable (before analysing)."""
    given = [f"--{name.replace('_', '-')}" for name in STORE_OPTIONS if getattr(args, name, None)]
    if given and not getattr(args, "athlete", None):
        raise InputError(f"{', '.join(given)} need --athlete NAME to store the screen")
    if getattr(args, "athlete", None) is not None:
        model.clean_name(args.athlete)
        api.check_store(args.db)


def store_after_analyze(
    args: argparse.Namespace,
    report: dict,
    *,
    clip_path: str,
    visit: str | None = None,
    review_clip: str | None = None,
) -> int | None:
    """Store the screen if --athlete was given (with its annotated clip, `review_clip`, kept
    for reviewing later screens beside it); prints one line; the session id or None."""
    if not getattr(args, "athlete", None):
        return None
    session_id = api.store_screening(
        args.db,
        report,
        athlete=args.athlete,
        pain_before=args.pain,
        pain_after=args.pain_after,
        rpe=args.rpe,
        baseline=args.baseline,
        notes=args.notes,
        clip_path=clip_path,
        visit=visit,
        review_clip=review_clip,
    )
    print(f"stored the screen for {args.athlete} in {model.resolve_db_path(args.db)}")
    return session_id


def add_commands(subparsers) -> None:
    """Register history, athletes, export and import; each parser gets `handler`."""
    history = subparsers.add_parser("history", help="an athlete's screens and change from baseline")
    history.add_argument("name")
    history.add_argument("--movement", choices=[m.value for m in Movement])
    history.add_argument("--json", action="store_true", help="print machine-readable JSON")
    history.add_argument("--plots", metavar="DIR", help="also write trend plots (PNG) to DIR")
    _add_db(history)
    history.set_defaults(handler=run_history)

    athletes = subparsers.add_parser("athletes", help="list athletes, or add/update one")
    athletes.add_argument("--add", metavar="NAME", help="create NAME or update their details")
    athletes.add_argument("--sport")
    athletes.add_argument("--dominant-side", choices=list(model.SIDES))
    athletes.add_argument("--notes")
    athletes.add_argument("--json", action="store_true", help="print machine-readable JSON")
    _add_db(athletes)
    athletes.set_defaults(handler=run_athletes)

    export = subparsers.add_parser("export", help="export records to JSON or CSV")
    export.add_argument("name", nargs="?", help="one athlete (default: all)")
    export.add_argument("--out", required=True, metavar="FILE", help="FILE.json or FILE.csv")
    _add_db(export)
    export.set_defaults(handler=run_export)

    progress = subparsers.add_parser("progress", help="a printable progress report of an athlete")
    progress.add_argument("name")
    progress.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf or FILE.html")
    _add_db(progress)
    progress.set_defaults(handler=run_progress)

    remove = subparsers.add_parser("remove-session", help="delete a session saved by mistake")
    remove.add_argument("session", metavar="UUID", help="the session's id (history --json)")
    remove.add_argument("--yes", action="store_true", help="confirm: the session is deleted")
    _add_db(remove)
    remove.set_defaults(handler=run_remove)

    imports = subparsers.add_parser("import", help="import a JSON export")
    imports.add_argument("file")
    _add_db(imports)
    imports.set_defaults(handler=run_import)


def run_progress(args: argparse.Namespace) -> int:
    from movement_screen.report import pdf, progress

    stem, kind = os.path.splitext(args.out)
    if kind.lower() not in (".pdf", ".html"):
        raise InputError(f"{args.out}: the progress report is written as .pdf or .html")
    if os.path.lexists(args.out):
        raise InputError(f"{args.out}: already exists; nothing was changed: give a new file name")
    page = progress.render(api.history(args.db, args.name))
    folder, name = os.path.split(os.path.abspath(stem))
    try:
        pdf.write_page(page, folder, name, html=kind.lower() == ".html", pdf=kind.lower() == ".pdf")
    except OSError as error:
        raise InputError(f"{args.out}: cannot write the report ({error.strerror})") from None
    print(f"wrote {args.out}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    if not args.yes:
        raise InputError("remove-session deletes the session for good: add --yes to confirm")
    print(api.remove_session(args.db, args.session))
    return 0


def run_history(args: argparse.Namespace) -> int:
    result = api.history(args.db, args.name, args.movement)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(text.history(result))
    if args.plots:
        for path in write_plots(result, args.plots):
            print(f"wrote {path}")
    return 0


def write_plots(result: dict, folder: str) -> list[str]:
    """Trend PNGs per movement and metric, and the symmetry PNG; the paths written."""
    from movement_screen.records import plots

    pngs = plots.metric_pngs(result)
    symmetry = plots.symmetry_png(result)
    if symmetry is not None:
        pngs["symmetry"] = symmetry
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot create the plot folder ({error.strerror})") from error
    paths = []
    for name, data in pngs.items():
        paths.append(os.path.join(folder, f"{name}.png"))
        with open(paths[-1], "wb") as handle:
            handle.write(data)
    return paths


def run_athletes(args: argparse.Namespace) -> int:
    if args.add:
        api.add_athlete(
            args.db, args.add, sport=args.sport, dominant_side=args.dominant_side, notes=args.notes
        )
        print(f"saved {args.add.strip()} in {model.resolve_db_path(args.db)}")
        return 0
    if args.sport or args.dominant_side or args.notes:
        raise InputError("--sport, --dominant-side and --notes need --add NAME")
    rows = api.athletes(args.db)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print(text.athletes(rows) if rows else "no athletes yet")
    return 0


def run_export(args: argparse.Namespace) -> int:
    counts = exchange.export_records(args.db, args.out, name=args.name)
    print(f"wrote {counts['sessions']} session(s) of {counts['athletes']} athlete(s) to {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    counts = exchange.import_records(args.db, args.file)
    print(
        f"imported {counts['sessions_added']} session(s), {counts['athletes_added']} new "
        f"athlete(s); {counts['sessions_skipped']} session(s) already stored"
    )
    return 0

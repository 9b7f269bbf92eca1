"""Screen many clips: one output folder per clip, a summary table, resumable.

Clips run in worker processes (one pose instance each), a bad clip is recorded
in the summary and the batch goes on. A clip whose folder already holds its
complete outputs (report.json, and the marker naming this very clip) is not
screened again. SIGINT or SIGTERM stops the workers, removes their partial
output, and the summary lists what finished.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from movement_screen import interrupt, outdir
from movement_screen.core import VIDEO_SUFFIXES, InputError

SUMMARY = "summary.csv"
# After SIGTERM a worker removes its partial output and exits within a second or two; one
# still running this long after is stuck (a thread that never stopped) and is ended, and
# run_batch removes what it left.
WORKER_GRACE_S = 10.0
NOT_RUN = "not run (interrupted)"
BASE_COLUMNS = (
    "clip",
    "folder",
    "status",
    "error",
    "movement",
    "view",
    "frames",
    "found_share",
    "cues",
    "seconds",
)


@dataclass(frozen=True)
class Job:
    """One clip to screen into `out_dir` (a folder of its own)."""

    clip: str
    out_dir: str
    outputs: dict = field(default_factory=dict)  # keyword arguments of pipeline.Outputs
    pose_workers: int = 1  # pose instances for this clip


def find_clips(pattern: str) -> list[str]:
    """Video files in a folder (not recursive), or matching a glob, sorted."""
    if os.path.isdir(pattern):
        paths = [os.path.join(pattern, name) for name in os.listdir(pattern)]
    else:
        paths = glob.glob(pattern, recursive=True)
    clips = sorted(p for p in paths if os.path.isfile(p) and p.lower().endswith(VIDEO_SUFFIXES))
    if not clips:
        raise InputError(f"{pattern}: no video files ({', '.join(VIDEO_SUFFIXES)}) found")
    return clips


def folder_name(clip: str, *, clash: bool = False) -> str:
    """The clip's folder: its file name made safe; a short hash of its path when the safe
    name differs from the original or `clash`es with another clip's, so names never merge."""
    stem, suffix = os.path.splitext(os.path.basename(clip))
    plain = stem if suffix.lower() == ".mp4" else f"{stem}-{suffix.lstrip('.').lower()}"
    safe = re.sub(r"[^\w.-]+", "_", plain).strip(".") or "clip"
    if safe != plain or clash:
        digest = hashlib.sha256(os.path.abspath(clip).encode("utf-8", "surrogateescape"))
        safe = f"{safe}-{digest.hexdigest()[:8]}"
    return safe


def plan(
    clips: list[str], out_dir: str, *, outputs: dict | None = None, pose_workers: int = 1
) -> list[Job]:
    """A job per clip, each with a folder of its own named after the clip."""
    names = [folder_name(clip).casefold() for clip in clips]
    jobs = []
    for clip, name in zip(clips, names, strict=True):
        folder = folder_name(clip, clash=names.count(name) > 1)
        jobs.append(Job(clip, os.path.join(out_dir, folder), dict(outputs or {}), pose_workers))
    return jobs


def is_done(job: Job) -> bool:
    """Does the job's folder hold this clip's complete outputs (not another clip's)?"""
    return outdir.belongs_to(job.out_dir, job.clip)


def run_job(job: Job, *, grace: float | None = None) -> dict:
    """Screen one clip; a row for the summary. Only an interruption is raised.

    In a process's main thread SIGTERM raises Interrupted here, and the clip's
    pose threads stop at their next progress report; with `grace`, a clean-up still
    running that many seconds later ends the process (see interrupt.stop_on_signals).
    """
    started = time.perf_counter()
    row = {"clip": job.clip, "folder": job.out_dir, "status": "ok", "error": ""}
    try:
        with interrupt.stop_on_signals((signal.SIGTERM,), grace=grace) as stop:
            from movement_screen import pipeline  # a signal while the engine loads stops too
            from movement_screen.report import worker

            progress = interrupt.checked(None, stop)
            outputs = pipeline.Outputs(**job.outputs, progress=progress)
            if outputs.report:
                worker.start()  # one process only (a pool's workers make their reports here)
            options = pipeline.Options(workers=job.pose_workers, progress=progress)
            result = pipeline.analyze(job.clip, options)
            pipeline.write_outputs(result, job.out_dir, outputs)
    except InputError as error:
        row.update(status="error", error=str(error))
    except Exception as error:  # a bug on one clip must not stop a season of clips
        row.update(status="error", error=f"internal error ({type(error).__name__}: {error})")
    row["seconds"] = round(time.perf_counter() - started, 2)
    return row | (summary_of(job) if row["status"] == "ok" else {})


def summary_of(job: Job) -> dict:
    """Key facts of a finished clip, read back from its report.json."""
    import json

    with open(os.path.join(job.out_dir, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    row = {
        "movement": report["movement"]["value"] or "",
        "view": report["view"]["value"],
        "frames": report["video"]["frame_count"],
        "found_share": report["quality"]["found_share"],
        "cues": ";".join(c["id"] for c in report["cues"]),
    }
    for m in report["measurements"]:
        if m["kind"] == "median" and m["value"] is not None:
            row[f"{m['metric']}_{m['side']}" if m["side"] else m["metric"]] = m["value"]
    return row


Runner = Callable[[list[Job], int, Callable[[dict], None]], None]


def run_local(jobs: list[Job], workers: int, done: Callable[[dict], None]) -> None:
    """Run jobs in a process pool; `done` gets each row as it finishes.

    On an interruption the workers get SIGTERM (each removes its partial output and
    exits) and the interruption is raised again.
    """
    if workers <= 1:
        for job in jobs:
            done(run_job(job))
        return
    pool = multiprocessing.Pool(min(workers, len(jobs)), initializer=interrupt.ignore_sigint)
    try:
        for row in pool.imap_unordered(_in_worker, jobs):
            done(row)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _in_worker(job: Job) -> dict:
    try:
        return run_job(job, grace=WORKER_GRACE_S)
    except KeyboardInterrupt:
        os._exit(128 + signal.SIGTERM)  # the partial output is already gone; no traceback


@dataclass(frozen=True)
class Outcome:
    """A row per job, in order; `stopped` is the interruption that ended the batch early."""

    rows: list[dict]
    stopped: KeyboardInterrupt | None = None


def run_batch(
    jobs: list[Job], *, workers: int, runner: Runner = run_local, progress: Iterable | None = None
) -> Outcome:
    """Screen every job not yet done. An interruption (SIGINT, SIGTERM) stops the runner
    and removes partial output; the jobs it did not finish are NOT_RUN. A worker can
    commit a clip's outputs and be stopped before its row comes back: that clip is read
    back from its folder as finished."""
    rows = {job.clip: _previous(job) for job in jobs if is_done(job)}
    todo = [job for job in jobs if job.clip not in rows]
    bar = progress(total=len(todo), unit="clip") if progress else None

    def done(row: dict) -> None:
        rows[row["clip"]] = row
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(
                os.path.basename(row["clip"]) + (" FAILED" if row["status"] == "error" else "")
            )

    try:
        if todo:
            runner(todo, workers, done)
    except KeyboardInterrupt as stop:
        for job in todo:
            outdir.remove_partial(job.out_dir)
            if job.clip not in rows and is_done(job):  # committed; its row had not come back
                rows[job.clip] = {"clip": job.clip, "folder": job.out_dir, "status": "ok"}
                rows[job.clip] |= summary_of(job)
        return Outcome(_ordered(jobs, rows), stop)
    finally:
        if bar is not None:
            bar.close()
    return Outcome(_ordered(jobs, rows))


def _ordered(jobs: list[Job], rows: dict) -> list[dict]:
    blank = {"status": NOT_RUN, "error": ""}
    return [rows.get(j.clip) or {"clip": j.clip, "folder": j.out_dir, **blank} for j in jobs]


def _previous(job: Job) -> dict:
    return {"clip": job.clip, "folder": job.out_dir, "status": "done before"} | summary_of(job)


def write_summary(path: str, rows: list[dict]) -> None:
    """CSV: the base columns, then every metric column seen, sorted."""
    extra = sorted({key for row in rows for key in row} - set(BASE_COLUMNS))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*BASE_COLUMNS, *extra], restval="")
        writer.writeheader()
        writer.writerows(rows)

"""Screen many clips: one output folder per clip, a summary table, resumable.

Clips run in worker processes (one pose instance each), a bad clip is recorded
in the summary and the batch goes on; a clip whose folder already holds a
report.json is not screened again (outputs are written all-or-nothing, so a
folder that exists is complete).
"""

from __future__ import annotations

import csv
import glob
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from movement_screen.core import InputError

VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".m4v")
SUMMARY = "summary.csv"
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
        raise InputError(f"{pattern}: no video files (.mp4, .mov, .avi, .m4v) found")
    return clips


def plan(
    clips: list[str], out_dir: str, *, outputs: dict | None = None, pose_workers: int = 1
) -> list[Job]:
    """A job per clip, each with a folder named after the clip (numbered if names repeat)."""
    jobs, used = [], set()
    for clip in clips:
        stem = re.sub(r"[^\w.-]+", "_", os.path.splitext(os.path.basename(clip))[0]) or "clip"
        name, n = stem, 1
        while name in used:
            n += 1
            name = f"{stem}_{n}"
        used.add(name)
        jobs.append(Job(clip, os.path.join(out_dir, name), dict(outputs or {}), pose_workers))
    return jobs


def is_done(job: Job) -> bool:
    return os.path.isfile(os.path.join(job.out_dir, "report.json"))


def run_job(job: Job) -> dict:
    """Screen one clip (in a worker process); a row for the summary, never an exception."""
    from movement_screen import pipeline

    started = time.perf_counter()
    row = {"clip": job.clip, "folder": job.out_dir, "status": "ok", "error": ""}
    try:
        result = pipeline.analyze(job.clip, pipeline.Options(workers=job.pose_workers))
        pipeline.write_outputs(result, job.out_dir, pipeline.Outputs(**job.outputs))
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
    """Run jobs in a standard-library process pool; `done` gets each row as it finishes."""
    if workers <= 1:
        for job in jobs:
            done(run_job(job))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(run_job, job) for job in jobs]):
            done(future.result())


def run_batch(
    jobs: list[Job], *, workers: int, runner: Runner = run_local, progress: Iterable | None = None
) -> list[dict]:
    """Screen every job not yet done, then write the summary of all of them."""
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
    finally:
        if bar is not None:
            bar.close()
    ordered = [rows[job.clip] for job in jobs if job.clip in rows]
    return ordered


def _previous(job: Job) -> dict:
    return {"clip": job.clip, "folder": job.out_dir, "status": "done before"} | summary_of(job)


def write_summary(path: str, rows: list[dict]) -> None:
    """CSV: the base columns, then every metric column seen, sorted."""
    extra = sorted({key for row in rows for key in row} - set(BASE_COLUMNS))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*BASE_COLUMNS, *extra], restval="")
        writer.writeheader()
        writer.writerows(rows)

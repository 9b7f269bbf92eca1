"""Plain helpers of the web app (`streamlit_app.py`): no Streamlit, no analysis logic.

Private folders and safe upload saving, a screening run in a background thread with
its progress and time left, the picture for choosing the athlete, and text made safe
for Markdown. Each analysis gets its own folder and its own pose model (the pipeline
opens one per call): nothing is shared between sessions. Importing does nothing.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import string
import tempfile
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from movement_screen.core import VIDEO_SUFFIXES, InputError, Movement, View

FOLDER_PREFIX = "movement-screen-"
NAME_MAX = 120  # characters of a file name shown back to the user
# Stages of one screening and their rough share of its time (warm runs on 960x540 samples
# and a 1080x1920 phone clip, 2 cores); the pipeline names every stage but the first and
# last. The report is written while the video is drawn, so the video's share holds both.
STAGES = (
    ("looking for people", 0.09),
    ("finding the athlete", 0.22),
    ("tracking the athlete", 0.28),
    ("measuring", 0.01),
    ("writing the report", 0.01),
    ("drawing the video", 0.30),
    ("drawing the plots", 0.09),
)
GUESS_CAP = 0.9  # a stage that reports no share is never guessed done
MIN_BASIS = 0.05  # share of a job done before its time left is estimated
DOWNLOADS = (  # output file, MIME type
    ("report.html", "text/html"),
    ("report.pdf", "application/pdf"),
    ("angles.csv", "text/csv"),
    ("landmarks.csv", "text/csv"),
    ("report.json", "application/json"),
    ("annotated.mp4", "video/mp4"),
    ("landmarks.trc", "text/plain"),
)
log = logging.getLogger(__name__)
Report = Callable[[str, float], None]  # (stage, share of the stage done)


def new_folder() -> str:
    """A fresh private temporary folder (mode 0700)."""
    path = tempfile.mkdtemp(prefix=FOLDER_PREFIX)
    os.chmod(path, 0o700)
    return path


class Workspace:
    """One clip's private folder (the upload and the outputs), removed with its last user."""

    def __init__(self) -> None:
        self.path = new_folder()
        self._remove = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def remove(self) -> None:
        self._remove()


def display_name(name: object) -> str:
    """A file name fit to show: no folders, no control characters, not too long."""
    text = os.path.basename(str(name).replace("\\", "/"))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C")).strip()
    return text[:NAME_MAX] or "upload"


def upload_extension(name: str) -> str:
    """The file's extension, lower case, if it is an allowed video type; else InputError."""
    extension = os.path.splitext(str(name))[1].lower()
    if extension not in VIDEO_SUFFIXES:
        allowed = ", ".join(VIDEO_SUFFIXES)
        raise InputError(f"{display_name(name)}: expected a video file ({allowed})")
    return extension


def save_upload(source: BinaryIO, name: str, folder: str) -> str:
    """Copy an uploaded file to `folder/upload<ext>` (mode 0600); its path.

    The user's file name gives only the checked extension, never a path."""
    path = os.path.join(folder, "upload" + upload_extension(name))
    if hasattr(source, "seek"):
        source.seek(0)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    if os.path.getsize(path) == 0:
        os.remove(path)
        raise InputError(f"{display_name(name)}: the file is empty")
    return path


def error_text(message: str, path: str, name: str) -> str:
    """An error message with the private file path replaced by the name the user knows."""
    return message.replace(os.path.abspath(path), name).replace(path, name)


def markdown_escape(text: object) -> str:
    """Text shown literally by Markdown: every ASCII punctuation mark escaped, one line."""
    out = " ".join(str(text).split())
    return "".join("\\" + c if c in string.punctuation else c for c in out)


def estimate(
    *, begun: float, start: float, weight: float, share: float, elapsed: float, in_stage: float
) -> tuple[float, float | None]:
    """(share of the whole screening done, seconds left or None when there is no basis yet).

    `begun`: where the job's first stage starts on the STAGES scale; `start`, `weight`:
    the current stage's; `share`: its share done as reported (0 if it reports none, then
    it is guessed from its time so far against the speed of the earlier stages).
    """
    if share > 0:
        done = start + weight * min(share, 1.0)
    elif start > begun and elapsed > in_stage:
        per_share = (elapsed - in_stage) / (start - begun)  # seconds per share so far
        done = start + weight * min(in_stage / max(weight * per_share, 1e-9), GUESS_CAP)
    else:
        return start, None
    part = (done - begun) / max(1.0 - begun, 1e-9)
    if part < MIN_BASIS:
        return done, None
    return done, elapsed * (1.0 - part) / part


def stage_span(stage: str) -> tuple[float, float] | None:
    """(where the stage starts, its weight) on the 0-1 scale; None for an unknown stage."""
    start = 0.0
    for name, weight in STAGES:
        if name == stage:
            return start, weight
        start += weight
    return None


def format_left(seconds: float | None) -> str:
    if seconds is None:
        return "estimating the time left"
    if seconds < 5:
        return "a few seconds left"
    if seconds < 60:
        return f"about {5 * round(seconds / 5):.0f} s left"
    minutes, rest = divmod(10 * round(seconds / 10), 60)
    return f"about {minutes:.0f} min {rest:02.0f} s left"


class Cancelled(Exception):
    """The job was discarded (a new analysis started): stop at the next progress report."""


@dataclass(frozen=True)
class Status:
    stage: str
    done: float  # share of the whole screening, 0-1
    left: float | None  # seconds, None when not known yet
    finished: bool


class Job:
    """One piece of work in a background thread: progress, time left, result or error.

    `target(report=...)` runs in the thread; `report(stage, share)` may be called from any
    thread and raises Cancelled once the job is discarded. With `shows`, the target is also
    given `show=`, which keeps what it shows before it ends (`shown`: the scan's first
    people, to pick from while it goes on). On an error or a discard the workspace is
    removed (at once, or when the thread ends); `stop` leaves it to whoever still uses it.
    """

    def __init__(
        self, workspace: Workspace, target: Callable[..., object], *, shows: bool = False
    ) -> None:
        self.workspace, self.result, self.error, self.shown = workspace, None, None, None
        self._keep = False
        self._lock = threading.Lock()
        self._cancelled = self._finished = False
        self._started = self._stage_started = time.monotonic()
        self._stage, self._share, self._begun = "starting", 0.0, None
        self._thread = threading.Thread(
            target=self._run, args=(target, shows), name="movement-screen-job", daemon=True
        )
        self._thread.start()

    def report(self, stage: str, share: float) -> None:
        if self._cancelled:
            raise Cancelled
        span = stage_span(stage)
        with self._lock:
            current = stage_span(self._stage)
            if span and current and span[0] < current[0]:
                return  # an earlier stage reporting late: the report and video run at once
            if self._begun is None and span is not None:
                self._begun = span[0]
            if stage != self._stage:
                self._stage, self._stage_started = stage, time.monotonic()
            self._share = share

    def show(self, value: object) -> None:
        self.shown = value

    def _run(self, target: Callable[..., object], shows: bool) -> None:
        try:
            self.result = target(report=self.report, **({"show": self.show} if shows else {}))
        except Cancelled:
            pass
        except InputError as error:
            self.error = str(error)
        except Exception as error:  # a bug: said in one line, the traceback in the log
            log.exception("screening failed")
            self.error = f"internal error ({type(error).__name__}: {error})"
        with self._lock:
            self._finished = True
            drop = (self._cancelled and not self._keep) or self.error is not None
        if drop:
            self.workspace.remove()

    def status(self) -> Status:
        with self._lock:
            stage, share, finished = self._stage, self._share, self._finished
            begun, stage_started = self._begun or 0.0, self._stage_started
        now = time.monotonic()
        start, weight = stage_span(stage) or (begun, 0.0)
        done, left = estimate(
            begun=begun, start=start, weight=weight, share=share,
            elapsed=now - self._started, in_stage=now - stage_started,
        )  # fmt: skip
        return Status(stage, 1.0 if finished else min(done, 1.0), left, finished)

    def discard(self) -> None:
        """Stop the job and remove its workspace (now if it has finished)."""
        with self._lock:
            self._cancelled = True
            finished = self._finished
        if finished:
            self.workspace.remove()

    def stop(self) -> None:
        """Stop the job and leave its workspace to its last user (a clip shown from it)."""
        with self._lock:
            self._cancelled = self._keep = True

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()


REASONS = ("baseline", "follow-up", "return to run", "other")
PAINFUL_SIDES = ("none", "left", "right", "both")


@dataclass(frozen=True)
class Athlete:
    """Whom the screen is for, given before the analysis; all but the name optional."""

    name: str
    athlete_id: str = ""
    painful_side: str = "none"  # one of PAINFUL_SIDES
    reason: str = ""  # one of REASONS, or "" when not said
    pain_before: float | None = None  # 0-10
    rpe: float | None = None  # session RPE, 0-10
    clinician: str = ""

    def facts(self) -> tuple[tuple[str, str], ...]:
        """The report header's extra rows, in words (empty ones left out)."""
        rows = (
            ("Athlete ID", self.athlete_id),
            ("Painful side", "" if self.painful_side == "none" else self.painful_side),
            ("Reason for the screen", self.reason),
            ("Pain before", _score(self.pain_before)),
            ("Session RPE", _score(self.rpe)),
        )
        return tuple((k, v) for k, v in rows if v)


def _score(value: float | None) -> str:
    from movement_screen.report.names import score_text

    return f"{score_text(value)}/10" if value is not None else ""


def download_name(athlete: Athlete | None, movement: str | None, day: str, file: str) -> str:
    """`<athlete>_<movement>_<date>.<ext>` for a download (ASCII letters, digits, '-' and
    '_' only: accents dropped, anything else a '-'); the output's own name when no athlete
    was given."""
    if athlete is None:
        return file
    stem, ext = os.path.splitext(file)
    parts = [athlete.name, movement or "screen", day]
    if stem not in ("report", "annotated", "session"):
        parts.append(stem)  # angles, landmarks: two CSV files
    plain = (unicodedata.normalize("NFKD", p).encode("ascii", "ignore").decode() for p in parts)
    safe = "_".join(re.sub(r"[^A-Za-z0-9-]+", "-", p).strip("-") or "x" for p in plain)
    return f"{safe}{ext}"


@dataclass(frozen=True)
class Pick:
    """The athlete the user picked among several people: a pixel on them at a time (a
    `tracking.PersonHint`), and the scan's choice (`choose.Choice`, or None), whose looks
    at single frames check the leg labels of whoever is picked."""

    hint: object
    choice: object = None


@dataclass(frozen=True)
class Clip:
    """A video to screen: its file, the name the user knows, where outputs go, whom it is
    for (None: not said), and the athlete picked in it (None: choose automatically, or
    ask when several people are in view)."""

    path: str
    name: str
    workspace: Workspace
    movement: Movement | None = None  # None: detect
    view: View | None = None
    athlete: Athlete | None = None
    pick: Pick | None = None


@dataclass(frozen=True)
class People:
    """Several people in the first frames: the user picks the athlete."""

    clip: Clip
    time_s: float
    boxes: list[tuple[float, float, float, float]]  # image pixels, numbered 1.. left to right
    picture: bytes  # JPEG of the frame with the numbered boxes
    best: int = 1  # the number of the automatic choice (as the command line makes it);
    # 0 while the scan still looks through the clip (`scan_people`'s `show`): no guess yet
    reason: str = ""  # why, in words
    choice: object = None  # the scan's `choose.Choice` (None while it looks): its looks at
    # single frames check the leg labels of whoever is picked (`tracking.track_athlete`)


@dataclass(frozen=True)
class Result:
    """A finished screening: the output folder, report.json's content and the plots."""

    clip: Clip
    out_dir: str
    report: dict
    pictures: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    screening: object = field(default=None, repr=False, compare=False)  # the Screening

    def file(self, name: str) -> str:
        return os.path.join(self.out_dir, name)


def warm_up(models_dir: str = "models") -> None:
    """Make ready what the first clip's scan for people would otherwise wait for: a static
    pose model for each of the scan's threads (kept for it: `pose`'s idle models),
    the person detector and the report's process. Called once as the app starts, in a
    thread of its own; what fails here is left for the scan to report in its own words."""
    import numpy as np

    from movement_screen import bodies, pose, tracking, video
    from movement_screen.report import worker

    video.huge_pages(False)
    try:
        worker.start()
        with ExitStack() as opened:
            for _ in range(tracking.DEFAULT_WORKERS):
                opened.enter_context(pose.open_detector(static=True, models_dir=models_dir))
        bodies.find_bodies(np.zeros((64, 64, 3), np.uint8))
    except Exception:  # noqa: BLE001 (the scan meets it again and says what it is)
        log.info("warming up failed", exc_info=True)


def scan_people(
    clip: Clip,
    *,
    report: Report,
    models_dir: str = "models",
    show: Callable[[People], None] | None = None,
):
    """The automatic choice (the command line's, `tracking.auto_choice`), and the moment it
    looked at as People to pick from if it holds several people (else None): the picker
    shows the choice first, and a clip with one person is tracked from it at once. `show`
    is given the first moment found to hold several people as soon as it is found, with no
    guess yet (`People.best` 0), while the scan goes on: the user may pick from it."""
    from movement_screen import tracking, video

    info = video.probe(clip.path)
    report(STAGES[0][0], 0.0)
    once = threading.Lock()

    def seen(index: int, time_s: float, rgb, found: list) -> None:
        report(STAGES[0][0], 0.0)  # raises Cancelled once the user has picked or left
        if show is not None and len(found) > 1 and once.acquire(blocking=False):
            show(_people(clip, time_s, rgb, found))

    picked = tracking.auto_choice(info, models_dir, seen=seen)
    moment = picked.moment
    if len(moment.people) < 2:
        return picked, None
    people = _people(clip, moment.time_s, moment.rgb, moment.people, picked.chosen)
    return picked, replace(people, reason=picked.reason, choice=picked)


def _people(clip: Clip, time_s: float, rgb, found: list, chosen: int | None = None) -> People:
    """`found` (Detections in the (H, W, 3) RGB frame) as People numbered left to right;
    `chosen`: the index in `found` of the automatic choice (None: no guess yet)."""
    boxes = sorted((p.box() for p in found), key=lambda b: b[0] + b[2])
    best = 0 if chosen is None else boxes.index(found[chosen].box()) + 1
    return People(clip, time_s, boxes, picture_with_boxes(rgb, boxes), best)


def picture_with_boxes(rgb, boxes: list[tuple[float, float, float, float]]) -> bytes:
    """JPEG of an (H, W, 3) uint8 RGB frame with each box drawn and numbered from 1."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.fromarray(rgb)
    draw = ImageDraw.Draw(image)
    size = max(18, min(image.size) // 18)
    font = ImageFont.load_default(size=size)
    for number, (x0, y0, x1, y1) in enumerate(boxes, start=1):
        draw.rectangle((x0, y0, x1, y1), outline=(255, 214, 0), width=max(2, size // 8))
        label = (x0, max(y0 - size - 8, 0))
        draw.rectangle((*label, label[0] + size + 8, label[1] + size + 8), fill=(255, 214, 0))
        draw.text((label[0] + 4, label[1] + 2), str(number), fill=(0, 0, 0), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def hint_for(people: People, number: int):
    """The PersonHint for box `number` (from 1): its centre at the frame's time."""
    from movement_screen.tracking import PersonHint

    x0, y0, x1, y1 = people.boxes[number - 1]
    return PersonHint((x0 + x1) / 2, (y0 + y1) / 2, people.time_s)


@contextmanager
def named_errors(clip: Clip) -> Iterator[None]:
    """InputErrors that name the clip as the user knows it, not its private path."""
    try:
        yield
    except InputError as error:
        raise InputError(error_text(str(error), clip.path, clip.name)) from error


def screen(
    clip: Clip,
    *,
    picked=None,
    report: Report,
    models_dir: str = "models",
    records_db: str | None = None,
) -> Result:
    """Analyse the clip, write every output into its workspace, draw the app's plots. With
    an athlete and `records_db`, the report compares the screen with their baseline.
    `picked`: the automatic choice of the athlete, already made (`scan_people`); the
    clip's own `pick`, where the user made one, comes first."""
    hint = None
    if clip.pick is not None:
        hint, picked = clip.pick.hint, clip.pick.choice
    with named_errors(clip):
        return _screen(clip, hint=hint, picked=picked, report=report, models_dir=models_dir,
                       records_db=records_db)  # fmt: skip


def _outputs(clip: Clip, screening, records_db: str | None, report: Report):
    """What goes into the report beside the screening: the clip's own name, the athlete's
    details and, when they have one, the comparison with their baseline."""
    from movement_screen import pipeline, records

    who = clip.athlete
    comparison = None
    if who is not None and records_db is not None:
        comparison = records.comparison_for(records_db, who.name, named_report(clip, screening))
    return pipeline.Outputs(
        progress=report,
        clip_name=clip.name,
        athlete=who.name if who else None,
        clinician=(who.clinician or None) if who else None,
        facts=who.facts() if who else (),
        comparison=comparison,
    )


def _screen(
    clip: Clip, *, hint, picked, report: Report, models_dir: str, records_db: str | None
) -> Result:
    from movement_screen import pipeline
    from movement_screen.report import worker

    worker.start()  # the report's process starts up (once) while the clip is analysed
    options = pipeline.Options(
        person=hint, view=clip.view, movement=clip.movement, models_dir=models_dir,
        progress=report,
    )  # fmt: skip
    screening = pipeline.analyze(clip.path, options, picked=picked)
    out_dir = os.path.join(clip.workspace.path, "out")
    pipeline.write_outputs(screening, out_dir, _outputs(clip, screening, records_db, report))
    report("drawing the plots", 0.0)
    return Result(clip, out_dir, named_report(clip, screening), _pictures(screening), screening)


def with_correction(result: Result, fix, *, records_db: str | None = None) -> Result:
    """The result with one value set by hand (`screening.Correction`): the findings and cues
    worked out again, the report written again into a new folder of the same workspace (the
    annotated video, the tool's own drawing, is copied over)."""
    from movement_screen import pipeline, screening

    fixed = screening.correct(result.screening, fix)
    out_dir = _next_folder(result.clip.workspace.path, "out")
    outputs = _outputs(result.clip, fixed, records_db, lambda stage, share: None)
    pipeline.write_outputs(fixed, out_dir, replace(outputs, video=False))
    shutil.copyfile(result.file("annotated.mp4"), os.path.join(out_dir, "annotated.mp4"))
    return Result(result.clip, out_dir, named_report(result.clip, fixed), _pictures(fixed), fixed)


def _next_folder(parent: str, stem: str) -> str:
    """`parent/stem-N` for the first N not taken (the earlier results stay as they were)."""
    number = 1
    while os.path.exists(os.path.join(parent, f"{stem}-{number}")):
        number += 1
    return os.path.join(parent, f"{stem}-{number}")


def _pictures(screening) -> dict[str, bytes | None]:
    """The app's plots of a screening."""
    from movement_screen.report import plots

    return {
        "angles": plots.angle_series(screening),
        "left_right": plots.left_right(screening),
        "drift": plots.drift(screening),
    }


def screen_or_ask(
    clip: Clip,
    *,
    report: Report,
    models_dir: str = "models",
    records_db: str | None = None,
    show: Callable[[People | None], None] | None = None,
) -> People | Result:
    """People to choose from when the first frames show several; else the screening.
    `show`: as in `scan_people`. A clip whose athlete was picked is screened without
    asking again."""
    if clip.pick is not None:
        return screen(clip, report=report, models_dir=models_dir, records_db=records_db)
    with named_errors(clip):
        picked, people = scan_people(clip, report=report, models_dir=models_dir, show=show)
    if show is not None:
        show(None)  # the scan is done: its first people are no longer to pick from
    if people is not None:
        return people
    return screen(clip, picked=picked, report=report, models_dir=models_dir, records_db=records_db)


def again_as(clip: Clip, movement: Movement | None) -> Clip:
    """The same clip, to be screened again as `movement` (None: detect), in a new private
    folder (an upload is copied over: the old folder goes with the old results), of the
    same athlete (picked or not)."""
    workspace = Workspace()
    path = clip.path
    if os.path.dirname(os.path.abspath(path)) == os.path.abspath(clip.workspace.path):
        path = shutil.copy(path, os.path.join(workspace.path, os.path.basename(path)))
    return replace(clip, path=path, workspace=workspace, movement=movement)


def session_part(result: Result):
    """The result's part of a session report, made now (its key frames are read from the
    clip, which goes with the result's folder)."""
    from movement_screen.report import session

    return session.part_of(result.screening, result.clip.name, "")


def session_report(parts: list, athlete: Athlete | None, folder: str) -> dict[str, str]:
    """The joint report of a session's clips written into `folder`: {file name: path}."""
    from movement_screen.report import pdf, session

    page = session.render(
        parts,
        athlete=athlete.name if athlete else None,
        clinician=(athlete.clinician or None) if athlete else None,
        facts=athlete.facts() if athlete else (),
    )
    return pdf.write_page(page, folder, "session")


def named_report(clip: Clip, screening) -> dict:
    """report.json's content with the clip named as the user knows it (not `upload.mp4`)."""
    from movement_screen.report import data

    doc = data.to_dict(screening)
    return {**doc, "video": {**doc["video"], "file": clip.name}}

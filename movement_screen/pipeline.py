"""`analyze`: one line a stage, from a video file to a screening."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from movement_screen import (
    classify,
    cues,
    export,
    filtering,
    kinematics,
    level,
    metrics,
    movements,
    outdir,
    pelvis,
    quality,
    rules,
    screening,
    seen,
    tracking,
    video,
    view,
)
from movement_screen.core import Angles, CleanPose, InputError, Movement, Track, VideoInfo, View
from movement_screen.filtering import CleanOptions
from movement_screen.screening import Screening

FIRST_PASS_CUTOFF_HZ = 10.0  # before the movement is known: keeps a sprint's peaks


@dataclass(frozen=True)
class Options:
    """Pipeline defaults, defined once."""

    person: tracking.PersonHint | None = None  # None: choose automatically
    view: View | None = None  # None: detect
    movement: Movement | None = None  # None: detect
    protocol: str | None = None  # a protocol file replacing the movement's default
    cutoff_hz: float | None = None  # None: the protocol's (by movement)
    models_dir: str = "models"
    workers: int = tracking.DEFAULT_WORKERS  # pose instances at once
    cleaning: CleanOptions = field(default_factory=CleanOptions)
    progress: Callable[[str, float], None] | None = None  # (stage, share of the stage done)

    def __post_init__(self) -> None:
        if self.cutoff_hz is not None and not (
            math.isfinite(self.cutoff_hz) and self.cutoff_hz > 0
        ):
            raise InputError(f"the cut-off must be a positive number of Hz, got {self.cutoff_hz:g}")
        if self.workers < 1:
            raise InputError(f"workers must be at least 1, got {self.workers}")


def check(options: Options) -> None:
    """What can be checked before the pose pass: the protocol file (InputError if bad)."""
    _protocol(options)


def analyze(path: str, options: Options = Options(), *, picked=None) -> Screening:
    """Run every stage on one clip (`picked`: the automatic choice of the athlete, when it
    was already made on this clip, `tracking.auto_choice`)."""
    report = options.progress or (lambda stage, share: None)
    info = video.probe(path)
    video.check_length(info)
    report("finding the athlete", 0.0)
    track = tracking.track_athlete(
        info,
        options.person,
        models_dir=options.models_dir,
        workers=options.workers,
        progress=lambda share: report("tracking the athlete", share),
        picked=picked,
    )
    report("measuring", 0.0)
    return screen(info, track, options)


def screen(info: VideoInfo, track: Track, options: Options = Options()) -> Screening:
    """Every stage after pose estimation: from one athlete's raw track to a screening."""
    if not track.found.any():
        raise InputError(f"{info.path}: the athlete was not found in any frame")
    raw = filtering.prepare(track, options=options.cleaning)  # once; only the low-pass again
    clean = _smooth(raw, track, options.cutoff_hz or FIRST_PASS_CUTOFF_HZ, options)
    view_estimate = view.detect_view(clean.pose)
    chosen_view = options.view or view_estimate.view
    tilt = level.read(info, clean.pose)
    angles = _angles(clean, chosen_view, view_estimate, tilt.correction)
    protocol = _protocol(options)
    estimate = classify.detect_movement(
        angles,
        clean.pose,
        movements.scores(chosen_view),
        seen.scores(chosen_view),
        left_out=clean.passing,
    )
    upright = view_estimate.upright  # False: the athlete lies across the picture
    if not upright:  # nothing read against the picture's upright means anything
        estimate = dataclasses.replace(estimate, movement=None, confidence=0.0, seen=None)
    movement = protocol.movement if protocol else options.movement or estimate.movement
    if movement is not None and protocol is None:
        protocol = rules.check_metrics(
            rules.load(rules.default_path(movement)), movements.get(movement).metric_names()
        )
    if protocol and not options.cutoff_hz and protocol.cutoff_hz != clean.cutoff_hz:
        clean = _smooth(raw, track, protocol.cutoff_hz, options)
        angles = _angles(clean, chosen_view, view_estimate, tilt.correction)
    readable = upright and view_estimate.sideways_readable(chosen_view)
    line = pelvis.read(info, clean.pose) if chosen_view is View.FRONT and readable else None
    angles = pelvis.apply(angles, line, level.left_lowered(clean.pose, tilt.correction))
    spec = movements.get(movement) if movement else None
    found = spec.find_events(angles, clean.pose) if spec and upright else []
    angles = left_out(angles, clean.passing if readable else np.ones(len(angles.time), bool))
    given = options.movement is not None or options.protocol is not None
    guessed = movement if movement is not None and not found and not given else None
    if guessed:  # recognised, but nothing in the clip to screen: say so, judge nothing
        movement, protocol, spec = None, None, None
    table = spec.table(chosen_view) if spec else {}
    measured = (
        metrics.measure(table, angles, clean.pose, found, drift_min_s=protocol.drift_min_s)
        if spec
        else []
    )
    rate = quality.pose_rate(info, track, len(clean.pose))
    judged = protocol is not None and not quality.too_slow(rate, protocol.min_fps)
    findings = rules.judge(protocol, measured) if judged else []
    cue_list = cues.cues_for(protocol, findings) if protocol else []
    notes = []  # where the athlete lies across the picture, `lying_across` says why, below
    if upright:
        notes += screening.movement_notes(estimate, movement, options.movement is not None, guessed)
        notes += screening.not_measured(protocol, angles, found) if protocol else []
    if table and readable:
        why = screening.passed_at_every(found, clean.passing, spec.unit)
        turned = not view_estimate.knee_line_readable(chosen_view)
        reasons = {"knee_fppa": quality.turned_knee_line(view_estimate)} if turned else {}
        notes += screening.unread_notes(protocol, table, measured, why, reasons)
    notes += screening.far_leg_note(clean, chosen_view) if table else []
    notes += screening.one_side_note(findings, chosen_view, angles.facing)
    notes += _why_unread(view_estimate, readable)
    why_no_pelvis = pelvis.note(line)
    if why_no_pelvis and table:  # only where this view has something to measure
        notes.append(why_no_pelvis)
    min_fps = protocol.min_fps if protocol else 0.0
    trust = quality.assess(
        info, track, clean, view_estimate, chosen=chosen_view, min_fps=min_fps, tilt=tilt
    )
    return Screening(
        info, track.choice, chosen_view, view_estimate, options.view is not None,
        movement, estimate, given,
        protocol, clean, angles, found, measured, findings, cue_list, trust, notes, line,
    )  # fmt: skip


def left_out(angles: Angles, passing: np.ndarray | None) -> Angles:
    """The angles without the frames where someone passed close (`CleanPose.passing`, or
    every frame where the view's angles cannot be read): the movement, its reps and strides
    are read with them, nothing is measured on them."""
    if passing is None:
        return angles
    values = {k: np.where(passing, np.nan, v) for k, v in angles.values.items()}
    return dataclasses.replace(angles, values=values)


def _why_unread(seen: view.ViewEstimate, readable: bool) -> list[str]:
    """Why the angles were not read, where they were not: the athlete lying across the
    picture, else a front view turned well off face-on."""
    if not seen.upright:
        return [quality.lying_across(seen.body_turn)]
    return [] if readable else [quality.sideways_unread(seen)]


def _angles(clean: CleanPose, chosen: View, seen: view.ViewEstimate, roll: float) -> Angles:
    """The angles of the `chosen` view as a level camera would see them (`roll`: degrees
    the picture is turned clockwise); a side view's as seen square to the athlete."""
    level_pose = level.levelled(clean.pose, roll)
    pose = kinematics.square_on(level_pose, seen.corrected_for(chosen))
    angles = kinematics.angles(pose, view=chosen, facing=view.facing(clean.pose))
    if seen.knee_line_readable(chosen):
        return angles
    unread = {k: np.full_like(v, np.nan) for k, v in angles.values.items() if "fppa" in k}
    return dataclasses.replace(angles, values=angles.values | unread)


def _smooth(raw, track: Track, cutoff_hz: float, options: Options) -> CleanPose:
    """The low-pass, then every frame of the clip where pose ran on every few only."""
    clean = filtering.smooth(raw, cutoff_hz=cutoff_hz, options=options.cleaning)
    if track.rows is None:
        return clean
    return filtering.expand(clean, track.rows, track.frame_count)


def _protocol(options: Options) -> rules.Protocol | None:
    """The user's protocol file, checked against --movement; None for the defaults."""
    if options.protocol is None:
        return None
    protocol = rules.load(options.protocol)
    if options.movement and protocol.movement is not options.movement:
        raise InputError(
            f"protocol {options.protocol} is for {protocol.movement.value}, "
            f"but --movement is {options.movement.value}"
        )
    return rules.check_metrics(protocol, movements.get(protocol.movement).metric_names())


def default_out_dir(path: str, suffix: str = "_screen") -> str:
    """`<video stem>_screen/` beside the video."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(os.path.dirname(os.path.abspath(path)), f"{stem}{suffix}")


def default_session_dir(first: str) -> str:
    """`<first clip's stem>_session/` beside it: the outputs of a session of clips."""
    return default_out_dir(first, "_session")


@dataclass(frozen=True)
class Outputs:
    """Which files `write_outputs` makes, and the user text that goes into the report."""

    html: bool = True
    pdf: bool = True
    video: bool = True
    trc: bool = True
    athlete: str | None = None  # shown (escaped) in the report
    notes: str | None = None
    clinician: str | None = None  # named (escaped) on the report
    clip_name: str | None = None  # the clip as the user knows it (an upload's own name)
    facts: tuple[tuple[str, str], ...] = ()  # more rows for the report's header, in words
    comparison: dict | None = None  # "compared with baseline" rows from the records store
    progress: Callable[[str, float], None] | None = None

    @property
    def report(self) -> bool:
        """Whether report.html or report.pdf is made."""
        return self.html or self.pdf


def write_outputs(result: Screening, out_dir: str, outputs: Outputs = Outputs()) -> None:
    """Write every output file into `out_dir`, all or nothing.

    The report is made in a process of its own (`report.worker`) while this one
    draws the annotated video: both hold the GIL, so two threads would not use the
    second core.
    """
    from movement_screen import trc
    from movement_screen.report import data

    with outdir.output_folder(out_dir, result.info.path) as work:
        report = _write_report(result, work, outputs) if outputs.report else None
        try:
            export.write_angles(
                os.path.join(work, "angles.csv"), result.angles, result.clean.far_leg_trusted
            )
            export.write_landmarks(
                os.path.join(work, "landmarks.csv"), result.clean, result.info.height
            )
            data.write_json(os.path.join(work, "report.json"), result)
            if outputs.trc:
                trc.write_trc(os.path.join(work, "landmarks.trc"), result)
            if outputs.video:
                _write_video(result, work, outputs)
        except BaseException:
            if report is not None:
                report.settle()  # done with the folder before it is removed
            raise
        if report is not None:
            report.result()  # re-raises a failure, so the folder is not kept


def _stage(outputs: Outputs, name: str) -> Callable[[int, int], None]:
    report = outputs.progress or (lambda stage, share: None)
    return lambda done, total: report(name, done / max(total, 1))


def _write_video(result: Screening, work: str, outputs: Outputs) -> None:
    from movement_screen import overlay

    path = os.path.join(work, "annotated.mp4")
    overlay.write_annotated(result, path, progress=_stage(outputs, "drawing the video"))


def _write_report(result: Screening, work: str, outputs: Outputs):
    from movement_screen.report import worker

    _stage(outputs, "writing the report")(0, 1)
    return worker.make(
        result,
        work,
        html=outputs.html,
        pdf=outputs.pdf,
        athlete=outputs.athlete,
        notes=outputs.notes,
        comparison=outputs.comparison,
        clinician=outputs.clinician,
        clip_name=outputs.clip_name,
        facts=outputs.facts,
    )

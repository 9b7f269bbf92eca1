"""`analyze`: one line a stage, from a video file to everything a report needs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from movement_screen import export, filtering, kinematics, tracking, video, view
from movement_screen.core import Angles, CleanPose, InputError, Track, VideoInfo, View
from movement_screen.filtering import CleanOptions

DEFAULT_CUTOFF_HZ = 6.0  # lunges, hinges, walking; sprints use 10-12 Hz


@dataclass(frozen=True)
class Options:
    """Pipeline defaults, defined once."""

    person: tracking.PersonHint | None = None  # None: choose automatically
    view: View | None = None  # None: detect
    cutoff_hz: float = DEFAULT_CUTOFF_HZ
    models_dir: str = "models"
    cleaning: CleanOptions = field(default_factory=CleanOptions)


@dataclass(frozen=True)
class Analysis:
    info: VideoInfo
    track: Track
    clean: CleanPose
    view: view.ViewEstimate
    view_given: bool
    angles: Angles


def analyze(path: str, options: Options = Options()) -> Analysis:
    """Run every stage on one clip."""
    info = video.probe(path)
    track = tracking.track_athlete(info, options.person, models_dir=options.models_dir)
    if not track.found.any():
        raise InputError(f"{path}: the athlete was not found in any frame")
    clean = filtering.clean(track, cutoff_hz=options.cutoff_hz, options=options.cleaning)
    estimate = view.detect_view(clean.pose)
    chosen = options.view or estimate.view
    facing = view.facing(clean.pose)
    angles = kinematics.angles(clean.pose, view=chosen, facing=facing)
    return Analysis(info, track, clean, estimate, options.view is not None, angles)


def default_out_dir(path: str) -> str:
    """`<video stem>_screen/` beside the video."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(os.path.dirname(os.path.abspath(path)), f"{stem}_screen")


def write_outputs(result: Analysis, out_dir: str) -> None:
    """Write every output file, all or nothing."""
    with export.output_folder(out_dir) as work:
        export.write_angles(
            os.path.join(work, "angles.csv"), result.angles, result.clean.far_leg_trusted
        )
        export.write_landmarks(
            os.path.join(work, "landmarks.csv"), result.clean, result.info.height
        )

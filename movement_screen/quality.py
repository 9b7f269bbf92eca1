"""What limits trust in a screening: tracking, filling, leg swaps, camera, size, frame rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from movement_screen.core import CleanPose, Track, VideoInfo, View
from movement_screen.filtering import beyond_picture
from movement_screen.landmarks import FOOT, INDEX, SIDES
from movement_screen.report import names
from movement_screen.view import MOST_CORRECTED, ViewEstimate

if TYPE_CHECKING:
    from movement_screen.level import Level

SMALL_ATHLETE = 0.3  # body height below this share of the frame height: too small
# Below this share of the poses a second a protocol asks for, nothing is judged: a sprint's
# thigh swings so far between poses that its toe-off is missed. The sample sprint filmed at
# 30 frames a second (half the 60 asked for) and the drawn jogs at 30 read their strides
# right; at 15 that sprint read hip extension at toe-off from -8 to +21 degrees against
# 17-22, and got "open the hip". Slow movements hold at 15 (the sample front lunge and the
# hinge at half their rate: the same cues, values within 1 degree).
JUDGED_SHARE = 0.5
LOW_FOUND = 0.8  # athlete found in fewer frames than this share: say so


@dataclass(frozen=True)
class Quality:
    found_share: float  # frames with the athlete found by the detector
    filled_share: float  # tracked frames with at least one key landmark interpolated
    leg_swap_frames: int  # frames whose leg labels were exchanged
    legs_in_doubt_frames: int  # frames whose legs were not measured: left not told from right
    spikes_removed: int
    far_leg_trusted_share: float  # tracked frames where the far leg is trusted
    athlete_height_share: float  # median body height over frame height
    posed_share: float  # frames pose ran on (the others are filled in by the filter)
    cutoff_hz: float
    limits: tuple[str, ...]  # plain statements of what limits trust
    track_stopped_s: tuple[float, ...] = ()  # where the hips jumped or left (`identity`)
    track_found_again_s: tuple[float, ...] = ()  # past those, the athlete back at their place
    passing_s: float = 0.0  # seconds not measured for someone passing close
    camera_tilt_deg: float | None = None  # the camera's roll where the background tells it


KEY = [INDEX[f"{side}_{part}"] for part in ("shoulder", "hip", "knee", "ankle") for side in SIDES]
CUT_OFF = 0.1  # share of found frames with a part cut off by the picture's edge: say so
# What is said of each part cut off. Without the head, MediaPipe places the rest less well:
# the sample sprint with its head cut off (the shoulders just inside) read its thigh angles
# 4.4 degrees off (1.7 whole) and one leg's peak knee drive 9 degrees low.
CUT_PARTS = {
    "the legs reach": (
        [INDEX[f"{side}_{part}"] for part in ("knee", *FOOT) for side in SIDES],
        "what lies beyond is not measured (a knee's bend, a foot strike), and a peak "
        "reached there may be missed; film the whole body, feet included",
    ),
    "the head reaches": (
        [INDEX["nose"], INDEX["left_ear"], INDEX["right_ear"]],
        "the pose model places the whole body less well without it, so every angle may "
        "read a few degrees off; film the whole body, head included",
    ),
}


def posed_share(track: Track, frames: int) -> float:
    """The share of the clip's `frames` pose ran on (the others are filled in)."""
    return 1.0 if track.rows is None else len(track.rows) / max(frames, 1)


def pose_rate(info: VideoInfo, track: Track, frames: int) -> float:
    """Poses a second: the clip's frame rate times the share of its frames pose ran on."""
    return info.fps * posed_share(track, frames)


def too_slow(pose_fps: float, min_fps: float) -> bool:
    """Too few poses a second to judge a movement that asks for `min_fps`."""
    return pose_fps < JUDGED_SHARE * min_fps


def _cut_off(track: Track) -> list[str]:
    """What is said of each part of the body (`CUT_PARTS`) beyond (or at) the edge of the
    picture (`filtering.beyond_picture`) in at least CUT_OFF of the frames the athlete was
    found in."""
    found = track.found
    if not found.any():
        return []
    beyond = beyond_picture(track.pose.xy[found], track.frame_size)
    said = []
    for part, (points, what) in CUT_PARTS.items():
        share = float(beyond[:, points].any(axis=1).mean())
        if share >= CUT_OFF:
            said.append(
                f"{part} beyond the edge of the picture in {share:.0%} of the frames "
                f"the athlete was found in: {what}"
            )
    return said


def assess(
    info: VideoInfo,
    track: Track,
    clean: CleanPose,
    view: ViewEstimate,
    *,
    chosen: View,
    min_fps: float,
    tilt: Level | None = None,
) -> Quality:
    found = track.found
    n_found = max(int(found.sum()), 1)
    rows = track.rows if track.rows is not None else slice(None)  # the frames posed
    posed = posed_share(track, len(clean.pose))
    pose_fps = pose_rate(info, track, len(clean.pose))
    height = _body_height(track) / info.height
    limits = []
    if info.declared_frames:
        limits.append(
            f"the file is damaged or cut short: only the first {info.frame_count} of its "
            f"{info.declared_frames} frames decode, and only those were screened"
        )
    if found.mean() < LOW_FOUND:
        limits.append(
            f"the athlete was found in only {found.mean():.0%} of frames; the rest are empty"
        )
    limits += [_stopped(t, track.choice.time_s, track.found_again_s) for t in track.stopped_s]
    doubt = int(clean.legs_in_doubt[rows].sum())
    if doubt:
        limits.append(
            f"on {names.counted(doubt, 'frame')} nothing told the left leg from the right: "
            "the legs were not measured there rather than risk the wrong side"
        )
    passing_s = 0.0 if clean.passing is None else float(clean.passing.sum()) / info.fps
    if passing_s:
        limits.append(
            f"someone as near the camera as the athlete, or nearer, passed close in front of "
            f"or beside them: {passing_s:.1f} s around that was not measured, as the skeleton "
            "may be drawn partly on the other person there"
        )
    limits += _cut_off(track)
    tilted = tilt.note() if tilt is not None else None
    limits += [tilted] if tilted else []
    if view.oblique and view.upright and view.sideways_readable(chosen):  # else said apart
        limits.append(_oblique(view, chosen))
    if chosen is not view.view:
        limits.append(f"the view was set to {chosen.value} but looks like {view.view.value}")
    if height < SMALL_ATHLETE and view.upright:  # lying across, their height is the width
        limits.append(f"the athlete fills only {height:.0%} of the frame height: film closer")
    if too_slow(pose_fps, min_fps):
        limits.append(
            f"{pose_fps:.0f} poses a second are too few to judge this movement: under "
            f"{JUDGED_SHARE * min_fps:g} its peaks read wrong, so nothing was judged; film at "
            f"{min_fps:g} frames a second or more"
        )
    elif pose_fps < min_fps * 0.95:
        limits.append(
            f"{pose_fps:.0f} poses a second are below the {min_fps:g} this movement needs: "
            "peaks may be missed"
        )
    return Quality(
        found_share=round(float(found.mean()), 4),
        filled_share=round(float(clean.filled[rows][:, KEY].any(axis=1)[found].sum() / n_found), 4),
        leg_swap_frames=int(clean.swapped[rows].sum()),
        legs_in_doubt_frames=doubt,
        spikes_removed=clean.outliers,
        far_leg_trusted_share=round(float(clean.far_leg_trusted[rows][found].sum() / n_found), 4),
        athlete_height_share=round(float(height), 3),
        posed_share=round(float(posed), 4),
        cutoff_hz=clean.cutoff_hz,
        limits=tuple(limits),
        track_stopped_s=track.stopped_s,
        track_found_again_s=track.found_again_s,
        camera_tilt_deg=tilt.roll if tilt is not None and tilt.trusted else None,
        passing_s=round(passing_s, 2),
    )


def _body_height(track: Track) -> float:
    """Median height (pixels) of the box around the tracked athlete's landmarks."""
    y = track.pose.xy[track.found, :, 1]
    if y.size == 0:
        return 0.0
    return float(np.median(np.nanmax(y, axis=1) - np.nanmin(y, axis=1)))


def _stopped(time_s: float, chosen_s: float, again_s: tuple[float, ...]) -> str:
    """Why the track stops (or starts) at `time_s`, and where past it the athlete was
    found again (the nearest of `again_s` on that side)."""
    later = time_s > chosen_s
    where = f"stops at {time_s:.1f} s" if later else f"starts at {time_s:.1f} s"
    frames = "after" if later else "before"
    back = [t for t in again_s if (t > time_s if later else t < time_s)]
    said = (
        f"the track {where}: the skeleton jumped across the picture or left the athlete's "
        f"place there, as it does onto someone passing close, so the frames {frames} it are "
        "left out rather than risk measuring someone else"
    )
    if not back:
        return said
    found = f"from {min(back):.1f} s" if later else f"up to {max(back):.1f} s"
    return f"{said}, except where the athlete is back at their place ({found})"


def sideways_unread(view: ViewEstimate) -> str:
    """Why a front view's sideways angles were not read (`ViewEstimate.sideways_readable`)."""
    return (
        "the camera is well off face-on (the shoulders and hips look "
        f"{view.width_ratio:.2f} of the trunk's length wide; about 0.55 face-on): pelvic drop, "
        "knee caving and sideways trunk lean are not read, as a forward lean or a knee "
        "bending forward looks like a sideways one from there. Film face-on or from straight "
        "behind"
    )


def lying_across(turn: float) -> str:
    """Why nothing was read where the athlete lies across the picture (`ViewEstimate.upright`;
    `turn`: its `body_turn`)."""
    if abs(turn) > 135:
        how = "is upside down in the picture"
    else:
        how = f"lies across the picture (head to the {'right' if turn > 0 else 'left'})"
    return (
        f"the athlete {how}: nothing is measured, as every angle is read against the picture's "
        "upright. If the video was filmed upright, it has lost its rotation: turn it upright "
        "and screen it again"
    )


def turned_knee_line(view: ViewEstimate) -> str:
    """Why a front view's knee line was not read (`ViewEstimate.knee_line_readable`)."""
    return (
        f"the athlete stands turned about {abs(view.feet_turn):.0f}° from the camera (by the "
        "feet), and a bent knee's angle seen from the front then follows the turn more than "
        "the knee: film square to the athlete"
    )


def _oblique(view: ViewEstimate, chosen: View) -> str:
    """What an oblique camera does to the angles, and what was done about it."""
    seen = (
        "the camera is not square to the athlete, neither side-on nor face-on (the "
        f"shoulders and hips look {view.width_ratio:.2f} of the trunk's length wide)"
    )
    corrected = view.corrected_for(chosen)
    if not corrected:
        return f"{seen}: 2D angles are foreshortened"
    turned = f"about {corrected:.0f} degrees off square, as read from that width"
    if corrected >= MOST_CORRECTED:
        return (
            f"{seen}: the side angles are corrected for a camera {turned}, the most the tool "
            "corrects; it may be turned further, and then the angles still read small"
        )
    return f"{seen}: the side angles are corrected for a camera {turned} (give or take 5)"

"""Bad input gets one line and exit 2, and what can be checked is checked before the pose pass."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest

from movement_screen import cli, quality, screening, tracking, video
from movement_screen.core import Event, InputError, Movement, VideoInfo, View
from movement_screen.view import off_square
from tests.fixtures import sample_path, screening_from_truth, track_from_truth
from tests.test_video import _write_clip

CLIP = str(sample_path("lunge_side_clean"))


def _error_line(capfd) -> str:
    err = capfd.readouterr().err  # file descriptor 2: FFmpeg's own lines would show here
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("movement-screen: error:") and "Traceback" not in err
    return lines[0]


@pytest.fixture
def no_pose(monkeypatch):
    """The pose pass must not be reached: fail loudly if it is."""

    def never(*args, **kwargs):
        raise AssertionError("the pose pass ran before the input was checked")

    monkeypatch.setattr(tracking, "track_athlete", never)


@pytest.mark.parametrize("value", ["nan", "-3", "0", "inf", "fast"])
def test_bad_cutoff_is_one_line(value, capfd):
    with pytest.raises(SystemExit) as stop:  # argparse's usage error, made one line
        cli.main(["analyze", CLIP, "--cutoff", value])
    assert stop.value.code == 2
    assert "--cutoff: expected a number above 0" in _error_line(capfd)


def test_a_bad_protocol_or_out_is_refused_before_the_pose_pass(tmp_path, capfd, no_pose):
    protocol = tmp_path / "p.toml"
    protocol.write_bytes(b"\x00\xff" * 100)
    assert cli.main(["analyze", CLIP, "--protocol", str(protocol)]) == 2
    assert "not a text file" in _error_line(capfd)
    (tmp_path / "x.txt").write_text("x")
    assert cli.main(["analyze", CLIP, "--out", str(tmp_path)]) == 2
    assert "already holds other files" in _error_line(capfd)


def test_person_time_past_the_end_is_refused(tmp_path, capfd):
    info = video.probe(CLIP)
    hint = tracking.PersonHint(100, 100, info.duration + 5)
    with pytest.raises(InputError, match="past the end of the clip"):
        tracking.check_hint(hint, info)
    tracking.check_hint(tracking.PersonHint(100, 100, info.duration - 0.5 / info.fps), info)
    assert cli.main(["analyze", CLIP, "--person", "300,300@60", "--out", str(tmp_path / "o")]) == 2
    assert "past the end of the clip" in _error_line(capfd)
    assert os.listdir(tmp_path) == []


def test_a_folder_as_video_says_so(tmp_path, capfd):
    assert cli.main(["analyze", str(tmp_path)]) == 2
    assert "is a folder, not a video file" in _error_line(capfd)


def test_a_cut_off_clip_is_one_line_without_ffmpegs_own(tmp_path, capfd):
    data = sample_path("lunge_side_clean").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[:50_000])
    info = video.probe(str(cut))
    assert info.declared_frames == 126 and 0 < info.frame_count < 126
    assert cli.main(["analyze", str(cut), "--out", str(tmp_path / "o")]) == 2
    line = _error_line(capfd)  # one line: nothing from FFmpeg's decoder
    assert f"the clip is too short: {info.frame_count} frames of the 126 the file says" in line
    assert "(damaged or cut short)" in line


@pytest.mark.parametrize("frames", [1, 20])
def test_a_clip_too_short_to_screen_says_how_short(tmp_path, capfd, frames):
    clip = tmp_path / "short.mp4"
    _write_clip(clip, n=frames)
    assert cli.main(["analyze", str(clip), "--out", str(tmp_path / "o")]) == 2
    word = "frame" if frames == 1 else "frames"
    line = _error_line(capfd)
    assert f"the clip is too short: {frames} {word}, {frames / 30:.2f} s" in line
    assert "needs at least 1 s" in line


def test_a_frame_bigger_than_4k_is_refused_with_the_limit(tmp_path, capfd):
    clip = tmp_path / "8k.mp4"
    _write_clip(clip, n=2, size=(7680, 4320))
    with pytest.raises(InputError, match="7680x4320 is larger than .*at most 4096 px"):
        video.probe(str(clip))
    assert video.probe(str(sample_path("lunge_side_clean"))).width == 960


def test_a_screen_from_one_rep_says_it_rests_on_one_rep():
    result = screening_from_truth("lunge_side_clean")
    assert len(result.events) > 1
    one = screening.not_measured(result.protocol, result.angles, result.events[:1])
    assert "the screen rests on one rep: film several to see what is typical" in one
    none = screening.not_measured(result.protocol, result.angles, [])
    seconds = result.angles.time[-1] - result.angles.time[0]
    assert f"no complete rep of a lunge was found in the {seconds:.1f} s clip" in none
    assert isinstance(result.events[0], Event)
    # the front-view rules are named in words, not by metric id
    assert (
        "not measured in a side view (needs a front view): pelvic drop, sideways trunk lean"
    ) in none


def test_a_damaged_file_is_said_in_the_limits():
    info = VideoInfo("x.mp4", 30.0, 960, 540, 120, 0, declared_frames=230)
    result = screening_from_truth("lunge_side_clean")
    track = track_from_truth("lunge_side_clean", 540, 960)
    judged = quality.assess(
        info, track, result.clean, result.view_estimate, chosen=result.view, min_fps=0
    )
    assert any("only the first 120 of its 230 frames decode" in line for line in judged.limits)


def test_an_oblique_camera_is_said_in_words():
    from dataclasses import replace

    info = VideoInfo("x.mp4", 30.0, 960, 540, 120, 0)
    result = screening_from_truth("lunge_side_clean")
    track = track_from_truth("lunge_side_clean", 540, 960)
    seen = "the camera is not square to the athlete, neither side-on nor face-on (the shoulders "

    def said(ratio, chosen):
        oblique = replace(
            result.view_estimate, width_ratio=ratio, oblique=True, off_square=off_square(ratio)
        )
        judged = quality.assess(info, track, result.clean, oblique, chosen=chosen, min_fps=0)
        return [line for line in judged.limits if "not square" in line]

    assert said(0.21, View.SIDE) == [
        f"{seen}and hips look 0.21 of the trunk's length wide): the side angles are corrected "
        "for a camera about 21 degrees off square, as read from that width (give or take 5)"
    ]
    assert said(0.31, View.SIDE) == [
        f"{seen}and hips look 0.31 of the trunk's length wide): the side angles are corrected "
        "for a camera about 25 degrees off square, as read from that width, the most the tool "
        "corrects; it may be turned further, and then the angles still read small"
    ]
    assert said(0.47, View.FRONT) == [
        f"{seen}and hips look 0.47 of the trunk's length wide): 2D angles are foreshortened"
    ]
    assert said(0.31, View.FRONT) == []  # the sideways angles are not read: a note says so


def _turned(track, share: float):
    """The track as a camera turned off face-on would draw it, roughly: every landmark drawn
    `share` as far across the picture from the hips' centre line."""
    from dataclasses import replace

    xy = track.pose.xy.copy()
    centre = np.nanmedian(track.pose.mid("left_hip", "right_hip")[:, 0])
    xy[..., 0] = centre + share * (xy[..., 0] - centre)
    return replace(track, pose=replace(track.pose, xy=xy))


def _toes_turned(track, degrees: float):
    """The track with both feet's toes drawn as if the feet pointed `degrees` off the
    camera's line (heel to toe `view.FOOT` leg lengths), nothing else moved."""
    from dataclasses import replace

    from movement_screen.kinematics import mean_leg_length
    from movement_screen.landmarks import INDEX
    from movement_screen.view import FOOT

    xy = track.pose.xy.copy()
    reach = FOOT * mean_leg_length(track.pose)
    for side in ("left", "right"):
        heel = xy[:, INDEX[f"{side}_heel"]]
        toe = xy[:, INDEX[f"{side}_foot_index"]]
        toe[:, 0] = heel[:, 0] + reach * np.sin(np.radians(degrees))
    return replace(track, pose=replace(track.pose, xy=xy))


def test_a_knee_line_seen_with_the_athlete_turned_from_the_camera_is_not_read_and_says_why():
    """A bent knee's angle from the front follows the body's turn (`view.KNEE_LINE_MOST_TURN`):
    the single-leg squat's knee is read with the feet at 5 degrees, not at 15, and the note
    says why in place of the foreshortened thigh's reason."""
    from movement_screen import pipeline

    info = video.probe(str(sample_path("single_leg_squat_front_drop")))
    track = track_from_truth("single_leg_squat_front_drop", info.height, info.width)
    near, far = (pipeline.screen(info, _toes_turned(track, a)) for a in (5.0, 15.0))
    assert (
        abs(near.view_estimate.feet_turn - 5.0) < 1.0
        and abs(far.view_estimate.feet_turn - 15.0) < 1.0
    )
    assert np.isfinite(near.angles.values["knee_fppa_left"]).any()
    assert not any(
        np.isfinite(far.angles.values[f"knee_fppa_{s}"]).any() for s in ("left", "right")
    )
    assert np.isfinite(far.angles.values["pelvic_obliquity"]).any()  # only the knee's line
    cued = [{c.id for c in read.cues} for read in (near, far)]
    assert "knee_over_foot" in cued[0] and "knee_over_foot" not in cued[1]  # the sample's fault
    (said,) = [n for n in far.notes if "knee caving in is not read" in n]
    assert "turned about 15° from the camera" in said and "thigh points" not in said
    assert not any("turned about" in n for n in near.notes)


def test_a_front_view_turned_well_off_face_on_reads_no_sideways_angle_and_says_why():
    """A forward lean or a knee bending forward looks sideways from a camera turned far off
    face-on (the real lab views): no number, no cue, and one note instead."""
    from movement_screen import pipeline

    info = video.probe(str(sample_path("lunge_front_valgus")))
    track = track_from_truth("lunge_front_valgus", info.height, info.width)
    square, near, far = (pipeline.screen(info, _turned(track, k)) for k in (1.0, 0.9, 0.7))
    assert square.view_estimate.width_ratio > 0.5 and far.view_estimate.width_ratio < 0.45
    assert 0.45 < near.view_estimate.width_ratio < 0.5 and far.view is View.FRONT
    for read in (square, near):
        assert np.isfinite(read.angles.values["knee_fppa_left"]).any() and read.findings
        assert not any("well off face-on" in line for line in read.notes)
    assert all(not np.isfinite(v).any() for v in far.angles.values.values())
    assert far.pelvis is None and not far.findings and not far.cues
    assert far.movement is square.movement and far.events == square.events
    (said,) = [line for line in far.notes if "well off face-on" in line]
    assert "pelvic drop, knee caving and sideways trunk lean are not read" in said
    assert not any("not read at any" in line or "not square" in line
                   for line in (*far.notes, *far.quality.limits))  # fmt: skip


def _quarter_turns(track, quarters: int):
    """The track as a video that lost its rotation shows it: turned `quarters` quarter
    turns clockwise about the picture's centre (y up)."""
    xy = track.pose.xy - track.pose.xy.reshape(-1, 2).mean(axis=0)
    for _ in range(quarters % 4):
        xy = np.stack([xy[..., 1], -xy[..., 0]], axis=-1)
    return replace(track, pose=replace(track.pose, xy=xy + 300.0))


@pytest.mark.parametrize(
    ("quarters", "turn", "said"),
    [
        (1, 90, "lies across the picture (head to the right)"),
        (-1, -90, "lies across the picture (head to the left)"),
        (2, 180, "is upside down in the picture"),
    ],
)
def test_an_athlete_lying_across_the_picture_is_not_measured_and_says_why(quarters, turn, said):
    """A clip that lost its rotation (the athlete lies across the picture) read every
    angle 90 degrees off: a chosen sprint got a trunk lean of -96 degrees and two flags.
    Now nothing is measured, chosen or not, and one note says why."""
    from movement_screen import pipeline

    info = video.probe(str(sample_path("sprint_side_clean")))
    track = _quarter_turns(track_from_truth("sprint_side_clean", info.height, info.width), quarters)
    for options in (pipeline.Options(), pipeline.Options(movement=Movement.SPRINT)):
        read = pipeline.screen(info, track, options)
        off = (read.view_estimate.body_turn - turn + 180) % 360 - 180
        assert abs(off) < 20 and not read.view_estimate.upright
        assert all(not np.isfinite(v).any() for v in read.angles.values.values())
        assert not read.events and not read.findings and not read.cues
        assert read.movement is options.movement  # none recognised when not chosen
        (note,) = read.notes
        assert f"the athlete {said}: nothing is measured" in note and "turn it upright" in note
        assert not any("film closer" in line for line in read.quality.limits)
    upright = screening_from_truth("sprint_side_clean")
    assert upright.view_estimate.upright and upright.findings is not None and upright.events


def test_a_track_stopped_where_the_hips_jumped_says_so():
    from dataclasses import replace

    info = VideoInfo("x.mp4", 30.0, 960, 540, 120, 0)
    result = screening_from_truth("lunge_side_clean")
    track = track_from_truth("lunge_side_clean", 540, 960)
    choice = replace(track.choice, time_s=1.0)
    stopped = replace(track, choice=choice, stopped_s=(0.4, 2.3))
    judged = quality.assess(
        info, stopped, result.clean, result.view_estimate, chosen=result.view, min_fps=0
    )
    jumped = (
        "the skeleton jumped across the picture or left the athlete's place there, as it does "
        "onto someone passing close"
    )
    assert [line for line in judged.limits if "jumped" in line] == [
        f"the track starts at 0.4 s: {jumped}, so the frames before it are left out rather "
        "than risk measuring someone else",
        f"the track stops at 2.3 s: {jumped}, so the frames after it are left out rather "
        "than risk measuring someone else",
    ]
    back = replace(stopped, found_again_s=(0.1, 2.9, 3.5))  # where the athlete was back
    judged = quality.assess(
        info, back, result.clean, result.view_estimate, chosen=result.view, min_fps=0
    )
    assert [line.split(", except ")[-1] for line in judged.limits if "jumped" in line] == [
        "where the athlete is back at their place (up to 0.1 s)",
        "where the athlete is back at their place (from 2.9 s)",
    ]


def test_legs_not_told_apart_are_said_in_the_limits_and_the_facts():
    from dataclasses import asdict, replace

    from movement_screen.report import names

    info = VideoInfo("x.mp4", 30.0, 960, 540, 120, 0)
    result = screening_from_truth("lunge_side_clean")
    track = track_from_truth("lunge_side_clean", 540, 960)

    def judged(frames):
        doubt = np.zeros(len(result.clean.pose), dtype=bool)
        doubt[10 : 10 + frames] = True
        clean = replace(result.clean, legs_in_doubt=doubt)
        return quality.assess(
            info, track, clean, result.view_estimate, chosen=result.view, min_fps=0
        )

    assert "on 1 frame nothing told" in judged(1).limits[-1]
    said = judged(12)
    assert said.legs_in_doubt_frames == 12
    assert (
        "on 12 frames nothing told the left leg from the right: the legs were not measured "
        "there rather than risk the wrong side"
    ) in said.limits
    assert ("Left and right legs not told apart", "12 frames, not measured") in (
        names.quality_facts(asdict(said))
    )
    clear = judged(0)
    assert not any("left leg from the right" in line for line in clear.limits)
    assert "Left and right legs not told apart" not in dict(names.quality_facts(asdict(clear)))

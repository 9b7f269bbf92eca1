"""annotated.mp4 (browser-playable H.264, every frame, drawn where the athlete is) and .trc."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import av
import numpy as np
import pytest

from movement_screen import overlay, trc, video
from movement_screen.landmarks import INDEX, NAMES, SIDES
from tests.fixtures import sample_path, screening_from_truth

CLIP = "sprint_side_knee_drive"  # 90 frames, 960x540, 30 fps


@pytest.fixture(scope="module")
def sprint():
    return screening_from_truth(CLIP)


@pytest.fixture(scope="module")
def annotated(sprint, tmp_path_factory):
    path = tmp_path_factory.mktemp("overlay") / "annotated.mp4"
    calls = []
    overlay.write_annotated(
        sprint, str(path), progress=lambda done, total: calls.append((done, total))
    )
    return path, calls


def _count_frames(path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_browser_playable_h264(annotated, sprint):
    path, _ = annotated
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert container.format.name.split(",")[0] in ("mov", "mp4")
        assert (
            stream.codec_context.name == "h264"
        )  # not OpenCV's 'mp4v' (mpeg4), no browser plays it
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.width, stream.height) == (sprint.info.width, sprint.info.height)
        assert stream.width % 2 == 0 and stream.height % 2 == 0
        duration = float(container.duration) / av.time_base
    assert duration == pytest.approx(sprint.info.duration, abs=0.05)


def test_same_frame_count_as_source(annotated):
    path, calls = annotated
    source = _count_frames(sample_path(CLIP))
    assert _count_frames(path) == source == 90
    assert calls[-1] == (source, source) and len(calls) == source


def _image_xy(sprint, frame: int, name: str) -> tuple[int, int]:
    x, y = sprint.clean.pose.xy[frame, INDEX[name]]
    return int(round(x)), int(round(sprint.info.height - y))


def test_drawn_where_the_skeleton_is(sprint):
    i = 20
    _, _, frame = next(video.frames(sprint.info.path, start=i, stop=i + 1))
    drawn = overlay.draw(frame, sprint, i)
    assert drawn.shape == frame.shape and drawn is not frame
    diff = np.abs(drawn.astype(int) - frame.astype(int)).sum(axis=2)
    for joint in ("left_knee", "right_knee", "left_hip", "right_ankle"):
        x, y = _image_xy(sprint, i, joint)
        assert diff[y - 3 : y + 4, x - 3 : x + 4].max() > 60, joint
    assert diff[-40:, -40:].max() == 0  # the bottom-right corner is far from everything drawn


def test_drawn_on_a_resized_frame_where_the_skeleton_is_there(sprint):
    """The annotated clip is drawn after resizing (at most MAX_SIDE): the landmarks, in the
    clip's pixels, are scaled to the smaller picture."""
    i = 20
    _, _, small = next(video.frames(sprint.info.path, start=i, stop=i + 1, size=(480, 270)))
    diff = np.abs(overlay.draw(small, sprint, i).astype(int) - small.astype(int)).sum(axis=2)
    for joint in ("left_knee", "right_knee", "left_hip", "right_ankle"):
        x, y = (round(v / 2) for v in _image_xy(sprint, i, joint))
        assert diff[y - 2 : y + 3, x - 2 : x + 3].max() > 60, joint
    assert diff[-20:, -20:].max() == 0


def _encoded_and_source(path, sprint, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Frame `i` of the annotated clip at `path`, decoded, and of the source clip (RGB)."""
    with av.open(str(path)) as container:
        out = next(f for k, f in enumerate(container.decode(video=0)) if k == i)
    _, _, source = next(video.frames(sprint.info.path, start=i, stop=i + 1))
    return out.to_ndarray(format="rgb24"), source


def test_encoded_frame_shows_the_skeleton(annotated, sprint):
    i = 20
    out, source = _encoded_and_source(annotated[0], sprint, i)
    out = out.astype(int)
    x, y = _image_xy(sprint, i, "left_knee")
    patch = np.abs(out - source.astype(int))[y - 4 : y + 5, x - 4 : x + 5].sum(axis=2)
    assert patch.max() > 80


def test_the_encoded_frame_has_the_drawn_frame_s_colours(annotated, sprint):
    """The picture handed to the encoder is converted to yuv420p by OpenCV: decoded again,
    each channel is the drawn frame's (a swapped channel or a wrong matrix is tens off)."""
    i = 20
    out, source = _encoded_and_source(annotated[0], sprint, i)
    out, drawn = out.astype(float), overlay.draw(source, sprint, i).astype(float)
    assert np.abs(out - drawn).mean(axis=(0, 1)).max() < 3.0
    assert np.abs((out - drawn).mean(axis=(0, 1))).max() < 1.5  # no colour cast


def test_output_size_is_even_and_at_most_max_side():
    assert overlay.output_size(960, 540) == (960, 540)
    assert overlay.output_size(1768, 994) == (1280, 720)
    assert overlay.output_size(1080, 1920) == (720, 1280)
    assert overlay.output_size(7, 5) == (8, 6)


def test_marks_are_the_flagged_strides(sprint):
    marks = overlay.plan(sprint).marks
    flagged = [e for e in sprint.events if e.side in ("left", "right")]
    assert len(marks) == len(flagged)  # knee drive is flagged on every stride of both legs
    assert all(m.severity == "flag" and "Knee drive" in m.text for m in marks)


def test_trc_header_and_round_trip(sprint, tmp_path):
    path = tmp_path / "landmarks.trc"
    trc.write_trc(str(path), sprint)
    lines = path.read_text().split("\n")
    assert lines[0] == "PathFileType\t4\t(X/Y/Z)\tlandmarks.trc"
    fields, markers, time, xyz = trc.read_trc(str(path))
    assert fields["DataRate"] == fields["CameraRate"] == fields["OrigDataRate"] == "30"
    assert fields["NumFrames"] == "90" and fields["NumMarkers"] == "33"
    assert fields["Units"] == "px"
    assert markers == list(NAMES)
    assert lines[4].startswith("\t\tX1\tY1\tZ1\tX2")
    assert lines[5].split("\t")[0] == "1"
    np.testing.assert_allclose(time, sprint.clean.pose.time, atol=1e-6)
    for frame, name in ((0, "left_knee"), (45, "nose"), (89, "right_foot_index")):
        x, y = sprint.clean.pose.xy[frame, INDEX[name]]  # y up, as the file says
        np.testing.assert_allclose(xyz[frame, INDEX[name]], [x, y, 0.0], atol=1e-3)


def test_trc_leaves_untracked_frames_empty(sprint, tmp_path):
    xy = sprint.clean.pose.xy.copy()
    xy[3] = np.nan
    line = trc.row(3, 0.1, xy[3])
    assert line.split("\t")[:2] == ["4", "0.100000"]
    assert line.split("\t")[2:] == [""] * (3 * len(NAMES))


def test_untracked_frames_get_the_panel_only(sprint):
    xy = sprint.clean.pose.xy.copy()
    xy[20] = np.nan
    clean = dataclasses.replace(sprint.clean, pose=sprint.clean.pose.with_xy(xy))
    blank = dataclasses.replace(sprint, clean=clean)
    _, _, frame = next(video.frames(sprint.info.path, start=20, stop=21))
    drawn = overlay.draw(frame, blank, 20)
    x, y = _image_xy(sprint, 20, "left_knee")
    assert np.array_equal(drawn[y - 3 : y + 4, x - 3 : x + 4], frame[y - 3 : y + 4, x - 3 : x + 4])
    assert not np.array_equal(drawn[:60, :200], frame[:60, :200])  # the text panel


def test_a_frame_left_out_for_someone_passing_close_says_so(sprint, monkeypatch):
    passing = np.zeros(len(sprint.clean.pose), dtype=bool)
    passing[20] = True
    clean = dataclasses.replace(sprint.clean, passing=passing)
    _, _, frame = next(video.frames(sprint.info.path, start=20, stop=21))
    said: list[str] = []
    monkeypatch.setattr(overlay, "_text", lambda image, text, *args, **kw: said.append(text))
    overlay.draw(frame, dataclasses.replace(sprint, clean=clean), 20)
    assert "someone passing close: not measured here" in said
    said.clear()
    overlay.draw(frame, dataclasses.replace(sprint, clean=clean), 21)
    assert "someone passing close: not measured here" not in said


def test_the_video_title_is_in_words(sprint):
    from movement_screen.classify import MovementEstimate
    from movement_screen.core import Movement

    screening = sprint
    assert overlay.plan(screening).title == "Sprint - side view"
    squat = dataclasses.replace(screening, movement=Movement.SINGLE_LEG_SQUAT)
    assert overlay.plan(squat).title == "Single-leg squat - side view"  # no metric id
    walk = dataclasses.replace(
        screening, movement=None, movement_estimate=MovementEstimate(None, 0.0, {}, {}, "walking")
    )
    assert overlay.plan(walk).title == "not screened: looks like walking - side view"


def test_a_clip_not_screened_gets_no_stride_or_rep_count(sprint, monkeypatch):
    _, _, frame = next(video.frames(sprint.info.path, start=20, stop=21))
    said: list[str] = []
    monkeypatch.setattr(overlay, "_text", lambda image, text, *args, **kw: said.append(text))
    overlay.draw(frame, sprint, 20)
    assert any(text.startswith("strides") for text in said)
    said.clear()
    overlay.draw(frame, dataclasses.replace(sprint, movement=None, events=[]), 20)
    counts = ("strides", "rep ", "between ", "no rep", "no stride")
    assert not any(text.startswith(counts) for text in said), said


def test_the_panel_says_where_the_legs_were_not_told_apart(sprint, monkeypatch):
    doubt = np.zeros(len(sprint.clean.pose), dtype=bool)
    doubt[30:40] = True
    unsure = dataclasses.replace(
        sprint, clean=dataclasses.replace(sprint.clean, legs_in_doubt=doubt)
    )
    said = []
    monkeypatch.setattr(overlay, "_text", lambda frame, text, *args: said.append(text))
    frame = np.zeros((540, 960, 3), dtype=np.uint8)
    for i in (20, 35):
        said.clear()
        overlay._hud(frame, unsure, i, overlay.plan(unsure), True, 1.0)
        assert ("left and right legs not told apart here" in said) == (i == 35)


@pytest.mark.parametrize(
    ("base", "value", "label"),
    [
        ("trunk_lean", -1.2, "trunk back 1°"),
        ("trunk_lean", 12.4, "trunk forward 12°"),
        ("trunk_lean", 0.3, "trunk 0°"),
        ("thigh_angle", -8.0, "thigh behind 8°"),
        ("hip_flexion", -5.0, "hip extended 5°"),
        ("pelvic_obliquity", 3.0, "pelvis left up 3°"),
        ("knee_flexion", 40.2, "knee 40°"),
        ("knee_height", 0.451, "knee ht 0.45"),
        ("knee_fppa", 14.2, "knee inward 14°"),  # seen from the front
        ("knee_fppa", -9.0, "knee outward 9°"),
    ],
)
def test_a_signed_angle_on_the_video_says_which_way(base, value, label):
    from movement_screen.report import names

    assert names.video_label(base, value) == label


def test_a_label_by_the_edge_is_kept_inside_the_picture():
    frame = np.zeros((100, 200, 3), dtype=np.uint8)
    overlay._text(frame, "FPPA outward 10°", (5.0, 50.0), (255, 255, 255), 1.0, right_align=True)
    drawn = np.flatnonzero(frame.any(axis=(0, 2)))
    wide = np.zeros((100, 400, 3), dtype=np.uint8)
    overlay._text(wide, "FPPA outward 10°", (300.0, 50.0), (255, 255, 255), 1.0)
    width = np.ptp(np.flatnonzero(wide.any(axis=(0, 2))))
    assert abs(np.ptp(drawn) - width) <= 1  # all of it, box and text, not cut at the edge


def test_a_label_is_the_same_box_wherever_it_is_drawn_and_cut_at_the_edges():
    """Labels are drawn once and pasted (`_label`): the box by the top and bottom edges is
    the one drawn in full, cut, and pasting leaves the kept box as it was."""
    white = (255, 255, 255)
    full = np.zeros((200, 300, 3), dtype=np.uint8)
    overlay._text(full, "knee 41°", (100.0, 100.0), white, 1.5)
    rows = np.flatnonzero(full.any(axis=(1, 2)))
    box = full[rows[0] : rows[-1] + 1]
    assert box.shape[0] > 10 and (box == overlay.DARK).all(axis=2).any()
    for shift, kept in ((4 - rows[-1], slice(-5, None)), (195 - rows[0], slice(0, 5))):
        frame = np.zeros_like(full)
        overlay._text(frame, "knee 41°", (100.0, 100.0 + shift), white, 1.5)
        drawn = frame[frame.any(axis=(1, 2))]
        assert drawn.shape[0] == 5
        np.testing.assert_array_equal(drawn, box[kept])
    again = np.zeros_like(full)
    overlay._text(again, "knee 41°", (100.0, 100.0), white, 1.5)
    np.testing.assert_array_equal(again, full)


def test_a_knee_label_goes_to_the_outer_side_of_the_legs_in_the_picture():
    xy = np.full((len(NAMES), 2), np.nan)
    xy[INDEX["left_knee"]], xy[INDEX["right_knee"]] = (300.0, 400.0), (250.0, 400.0)
    # facing the camera: the left knee is the right one in the picture, its label goes right
    assert not overlay._outer_is_left(xy, "knee_flexion", "left", xy[INDEX["left_knee"]])
    assert overlay._outer_is_left(xy, "knee_flexion", "right", xy[INDEX["right_knee"]])
    xy[INDEX["right_knee"]] = np.nan  # the other knee unknown: left goes left
    assert overlay._outer_is_left(xy, "knee_flexion", "left", xy[INDEX["left_knee"]])


def test_the_skeleton_is_drawn_the_same_in_every_run():
    """Overlapping dots are drawn in one order whatever the process's string hashing (a set
    of joint names once decided which dot was on top, so two runs drew different pictures)."""
    script = (
        "import hashlib; from movement_screen import overlay; "
        "from tests.fixtures import screening_from_truth; "
        "s = screening_from_truth('lunge_side_clean'); "
        "print(hashlib.sha1(overlay.still(s, 21).tobytes()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            cwd=os.path.dirname(os.path.dirname(__file__)),
            text=True,
            check=True,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_where_someone_passes_close_the_skeleton_has_no_side_colours(sprint):
    """Nothing is measured where someone passed close over the athlete: the skeleton is
    drawn there in the no-side grey, not as a left and a right leg."""
    i = 20
    _, _, frame = next(video.frames(sprint.info.path, start=i, stop=i + 1))
    passing = np.zeros(len(sprint.clean.pose), dtype=bool)
    passing[i] = True
    passed = dataclasses.replace(sprint, clean=dataclasses.replace(sprint.clean, passing=passing))
    sides = [np.array(overlay.SIDE_COLOUR[side]) for side in SIDES]
    for screening, coloured in ((sprint, True), (passed, False)):
        drawn = overlay.draw(frame, screening, i, hud=False)
        for joint in ("left_knee", "right_knee"):
            x, y = _image_xy(sprint, i, joint)
            pixel = drawn[y, x].astype(int)
            assert any(np.abs(pixel - c).max() <= 2 for c in sides) is coloured, joint


def test_a_portrait_clip_is_drawn_at_the_scale_of_its_shorter_side(sprint):
    assert overlay._scale((1280, 720, 3)) == overlay._scale((720, 1280, 3)) == 720 / 540
    portrait = np.zeros((1280, 720, 3), dtype=np.uint8)  # the panel fits its width
    drawn = overlay.draw(portrait, sprint, 20)
    panel = drawn[: int(100 * overlay._scale(portrait.shape))]
    assert panel.any() and not panel[:, -1].any()

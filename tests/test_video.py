import os
from pathlib import Path

import numpy as np
import pytest

from movement_screen import cli, video
from movement_screen.core import InputError


def _write_clip(path, n=10, size=(64, 48), fps=30, pattern=False):
    import av

    rows, cols = np.indices((size[1], size[0]))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(n):
            frame = np.full((size[1], size[0], 3), (i * 20) % 255, np.uint8)
            if pattern:  # stripes and a colour gradient: resizing changes what is seen
                frame[..., 0] = (cols * 7 + i * 20) % 256
                frame[..., 1] = ((rows // 4) % 2) * 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_probe_and_frames_give_upright_rgb_with_decoder_times(tmp_path):
    clip = tmp_path / "clip.mp4"
    _write_clip(clip)
    info = video.probe(str(clip))
    assert (info.width, info.height, info.frame_count, info.fps) == (64, 48, 10, 30)
    got = list(video.frames(str(clip)))
    assert [i for i, _, _ in got] == list(range(10))
    assert [round(t, 4) for _, t, _ in got] == [round(i / 30, 4) for i in range(10)]
    assert got[0][2].shape == (48, 64, 3)
    assert [i for i, _, _ in video.frames(str(clip), start=4, stop=7)] == [4, 5, 6]


def test_each_frame_kept_stays_its_own_picture(tmp_path):
    """Frames are decoded into one reused buffer: what is handed out must not be it."""
    clip = tmp_path / "clip.mp4"
    _write_clip(clip, n=6)
    for frames in (video.frames(str(clip)), video.frames_at(str(clip), [0, 2, 3, 5])):
        kept = list(frames)
        for index, _, rgb in kept:  # each grey as written, after every later frame decoded
            assert abs(float(rgb.mean()) - index * 20) < 3


def test_the_huge_page_switch_says_what_it_was():
    before = video.huge_pages(False)
    try:
        assert video.huge_pages(True) is False
        assert video.huge_pages(True) is True
    finally:
        video.huge_pages(before)


def test_frames_resized_are_the_frames_resized(tmp_path):
    """`size` resizes before the colour conversion: the same picture as resizing after it."""
    import cv2

    clip = tmp_path / "clip.mp4"
    _write_clip(clip, n=3, size=(96, 64), pattern=True)
    full = [f for _, _, f in video.frames(str(clip))]
    small = [f for _, _, f in video.frames(str(clip), size=(48, 32))]
    assert [f.shape for f in small] == [(32, 48, 3)] * 3
    for big, little in zip(full, small, strict=True):
        resized = cv2.resize(big, (48, 32), interpolation=cv2.INTER_LINEAR)
        np.testing.assert_array_equal(little, resized)
        assert little.std() > 20  # a picture, not a flat colour
    same = next(video.frames(str(clip), size=(96, 64)))[2]
    np.testing.assert_array_equal(same, full[0])


def test_a_clip_probed_again_unchanged_is_not_read_again(tmp_path, monkeypatch):
    """The app probes a clip to scan it for people, then to screen it: the second time
    the facts come from the first. A file written again is read again."""
    clip = tmp_path / "clip.mp4"
    _write_clip(clip)
    reads = []
    real = video._probe
    monkeypatch.setattr(video, "_probe", lambda path: reads.append(path) or real(path))
    first = video.probe(str(clip))
    assert video.probe(str(clip)) is first and len(reads) == 1
    _write_clip(clip, n=12)
    assert video.probe(str(clip)).frame_count == 12 and len(reads) == 2
    with pytest.raises(InputError):
        video.probe(str(tmp_path / "missing.mp4"))


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a video\n" * 20, b"", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 50],
)
def test_non_video_is_one_clear_error(tmp_path, content):
    bad = tmp_path / "upload.mp4"
    bad.write_bytes(content)
    with pytest.raises(InputError, match="upload.mp4"):
        video.probe(str(bad))


def test_truncated_video_is_refused_or_gives_its_frames(tmp_path):
    clip = tmp_path / "clip.mp4"
    _write_clip(clip, n=30)
    data = clip.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError, match="cut.mp4"):
        video.probe(str(cut))


def test_cli_bad_input_one_line_no_traceback_no_output(tmp_path, capfd):
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    out = tmp_path / "result"
    assert cli.main(["analyze", str(bad), "--out", str(out)]) == 2
    err = capfd.readouterr().err.strip().splitlines()  # file descriptor 2: FFmpeg's too
    assert len(err) == 1 and "notes.mp4" in err[0] and "Traceback" not in err[0]
    assert not out.exists()
    assert os.listdir(tmp_path) == ["notes.mp4"]


def test_cli_missing_file(tmp_path, capsys):
    assert cli.main(["analyze", str(tmp_path / "nope.mp4")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_bad_person_spec(tmp_path, capsys):
    clip = tmp_path / "clip.mp4"
    _write_clip(clip)
    assert cli.main(["analyze", str(clip), "--person", "left"]) == 2
    assert "--person expects X,Y@SECONDS" in capsys.readouterr().err


def test_no_person_in_view(tmp_path, capsys):
    clip = tmp_path / "empty.mp4"
    _write_clip(clip, n=40)  # 1.3 s: long enough to screen
    assert cli.main(["analyze", str(clip), "--out", str(tmp_path / "o")]) == 2
    said = capsys.readouterr().err
    assert "no person found" in said and "too small to find" in said and "film closer" in said
    assert not (tmp_path / "o").exists()


def _shrunk(path, scale: float):
    """The sample sprint shrunk by `scale` into the middle of a 1920 x 1080 picture (H.264)."""
    import av
    import cv2

    from tests.fixtures import sample_path

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        for _, _, rgb in video.frames(str(sample_path("sprint_side_knee_drive"))):
            small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            canvas = cv2.resize(rgb[:40, :40], (1920, 1080))  # the wall around
            y, x = (1080 - small.shape[0]) // 2, (1920 - small.shape[1]) // 2
            canvas[y : y + small.shape[0], x : x + small.shape[1]] = small
            for packet in stream.encode(av.VideoFrame.from_ndarray(canvas, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return str(path)


def test_a_person_too_small_to_find_is_said_to_be_perhaps_too_small(tmp_path):
    """The person detector misses an athlete under about `tracking.SMALLEST_FOUND` of the
    picture's longer side: 15 % of a landscape picture's height is found, 13.5 % is not,
    and the error says how small is too small."""
    from movement_screen import tracking

    found = tracking.auto_choice(video.probe(_shrunk(tmp_path / "far.mp4", 0.55)))
    assert found is not None
    with pytest.raises(InputError, match=r"too small to find \(someone under about 14% of"):
        tracking.auto_choice(video.probe(_shrunk(tmp_path / "farther.mp4", 0.5)))


def _rotate_mp4(src, dst, matrix):
    """Copy an mp4 with the track header's display matrix replaced (how phones store rotation)."""
    import struct

    data = bytearray(src.read_bytes())
    box = data.find(b"tkhd")
    assert data[box + 4] == 0  # version 0 layout
    start = box + 4 + 4 + 5 * 4 + 8 + 8
    data[start : start + 36] = struct.pack(">9i", *matrix)
    dst.write_bytes(bytes(data))


def test_rotation_metadata_gives_upright_frames(tmp_path):
    src = tmp_path / "landscape.mp4"
    _write_clip(src, n=3, size=(64, 48))
    phone = tmp_path / "portrait.mp4"
    _rotate_mp4(src, phone, (0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30))  # 90 degrees
    info = video.probe(str(phone))
    assert (info.width, info.height, info.rotation) == (48, 64, 90)
    assert next(video.frames(str(phone)))[2].shape == (64, 48, 3)


def test_variable_frame_rate_times_come_from_the_decoder(tmp_path):
    import fractions

    import av

    path = tmp_path / "vfr.mp4"
    stamps = [0, 33, 66, 120, 150, 190, 230]  # ms: a phone slowing down mid-clip
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=1000)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.time_base = fractions.Fraction(1, 1000)
        for ms in stamps:
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = ms, fractions.Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    times = [t for _, t, _ in video.frames(str(path))]
    assert times == pytest.approx([ms / 1000 for ms in stamps], abs=1e-3)


def test_a_broken_task_model_is_one_clear_error(tmp_path, monkeypatch, capfd):
    models = tmp_path / "models"
    models.mkdir()
    (models / "pose_landmarker_lite.task").write_bytes(b"not a model")
    monkeypatch.chdir(tmp_path)
    clip = tmp_path / "clip.mp4"
    _write_clip(clip, n=40)
    assert cli.main(["analyze", str(clip), "--out", str(tmp_path / "o")]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pose_landmarker_lite.task" in err[0]


def test_usage_mistakes_are_one_line(capfd):
    with pytest.raises(SystemExit) as stop:
        cli.main(["analyze", "x.mp4", "--movement", "squat"])
    assert stop.value.code == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--movement" in err[0]


def test_importing_the_package_loads_no_model_and_creates_nothing(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, movement_screen, movement_screen.cli, movement_screen.pipeline; "
        "heavy = ('mediapipe', 'matplotlib', 'weasyprint', 'streamlit'); "
        "heavy = [m for m in heavy if m in sys.modules]; "
        "print(heavy)"
    )
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("seek_gap", [1, 60])
def test_frames_at_given_indices_are_the_frames_a_full_pass_gives(monkeypatch, seek_gap):
    """One pass for frames far apart (a seek) and near (grabbed through) gives the same
    pictures and times as decoding every frame."""
    path = str(Path(__file__).parents[1] / "sample_videos" / "lunge_side_clean.mp4")
    monkeypatch.setattr(video, "SEEK_GAP", seek_gap)
    wanted = [120, 3, 4, 40, 41, 4, 125]
    every = {i: (t, rgb) for i, t, rgb in video.frames(path)}
    got = list(video.frames_at(path, wanted))
    assert [i for i, _, _ in got] == [3, 4, 40, 41, 120, 125]
    for i, t, rgb in got:
        assert t == pytest.approx(every[i][0], abs=1e-6)
        np.testing.assert_array_equal(rgb, every[i][1])
    with pytest.raises(InputError, match="could not reach frame 500"):
        list(video.frames_at(path, [500]))  # past the end


def test_frames_decoded_ahead_are_the_frames_in_order(tmp_path):
    clip = tmp_path / "clip.mp4"
    _write_clip(clip, n=30)
    plain = list(video.frames(str(clip), step=2))
    ahead = list(video.prefetched(video.frames(str(clip), step=2), ahead=3))
    assert [(i, t) for i, t, _ in ahead] == [(i, t) for i, t, _ in plain]
    assert all(np.array_equal(a[2], b[2]) for a, b in zip(ahead, plain, strict=True))


def test_a_failure_decoding_ahead_is_raised_to_the_caller():
    def broken():
        yield 1
        raise InputError("clip.mp4: frames 2-9 could not be decoded")

    got = video.prefetched(broken())
    assert next(got) == 1
    with pytest.raises(InputError, match="could not be decoded"):
        next(got)


def test_a_caller_stopping_early_stops_and_closes_the_decoding():
    import threading

    closed = []

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.append(True)

    got = video.prefetched(endless(), ahead=2)
    assert [next(got) for _ in range(5)] == [0, 1, 2, 3, 4]
    got.close()
    assert closed == [True]
    assert not any(t.name == "frames-ahead" for t in threading.enumerate())

"""The web app's plain helpers: private folders, safe uploads, jobs, time left, escaping."""

from __future__ import annotations

import io
import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from movement_screen import webapp
from movement_screen.core import InputError
from movement_screen.pose import Detection
from movement_screen.report import view
from tests.fixtures import sample_path


def _mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_workspace_is_private_and_removed():
    workspace = webapp.Workspace()
    assert os.path.isdir(workspace.path) and _mode(workspace.path) == 0o700
    assert os.path.basename(workspace.path).startswith(webapp.FOLDER_PREFIX)
    workspace.remove()
    assert not os.path.exists(workspace.path)
    workspace.remove()  # twice is fine


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("clip.MP4", "upload.mp4"),
        ("../../etc/passwd.mov", "upload.mov"),
        ("a/b\\c.m4v", "upload.m4v"),
        ('Zoë\'s "run".avi', "upload.avi"),
    ],
)
def test_save_upload_never_uses_the_name_as_a_path(tmp_path, name, saved):
    path = webapp.save_upload(io.BytesIO(b"\x00video"), name, str(tmp_path))
    assert path == str(tmp_path / saved)
    assert os.listdir(tmp_path) == [saved]
    assert _mode(path) == 0o600
    assert Path(path).read_bytes() == b"\x00video"


def test_save_upload_copies_from_the_start(tmp_path):
    source = io.BytesIO(b"abcdef")
    source.read(3)
    path = webapp.save_upload(source, "x.mp4", str(tmp_path))
    assert Path(path).read_bytes() == b"abcdef"


@pytest.mark.parametrize("name", ["notes.txt", "clip", "clip.mp4.exe", ".mp4x", "video.flv"])
def test_save_upload_refuses_other_types(tmp_path, name):
    with pytest.raises(InputError, match="expected a video file"):
        webapp.save_upload(io.BytesIO(b"data"), name, str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_save_upload_refuses_an_empty_file(tmp_path):
    with pytest.raises(InputError, match="empty"):
        webapp.save_upload(io.BytesIO(b""), "empty.mp4", str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_display_name():
    assert webapp.display_name("../../secret/clip.mp4") == "clip.mp4"
    assert webapp.display_name("C:\\Users\\me\\run.mov") == "run.mov"
    assert webapp.display_name("bad\x00\nname\u202e.mp4") == "badname.mp4"
    assert webapp.display_name("") == "upload"
    assert len(webapp.display_name("a" * 500 + ".mp4")) == webapp.NAME_MAX


def test_error_text_hides_the_private_path():
    message = "/tmp/movement-screen-x/upload.mp4: not a video OpenCV/FFmpeg can open"
    text = webapp.error_text(message, "/tmp/movement-screen-x/upload.mp4", "my clip.mp4")
    assert text == "my clip.mp4: not a video OpenCV/FFmpeg can open"


def test_markdown_escape_shows_text_literally():
    text = 'O\'Brien "Zoë" <b>*x*</b> [a](http://x) :red[y] $z$ _u_'
    escaped = webapp.markdown_escape(text)
    for mark in "<>*[]()_$:":
        assert mark not in escaped.replace("\\" + mark, "")
    assert "Zoë" in escaped
    assert webapp.markdown_escape("two\nlines") == "two lines"


def test_stage_span_covers_zero_to_one():
    assert webapp.stage_span(webapp.STAGES[0][0]) == (0.0, webapp.STAGES[0][1])
    start, weight = webapp.stage_span(webapp.STAGES[-1][0])
    assert start + weight == pytest.approx(1.0)
    assert webapp.stage_span("no such stage") is None


def test_estimate_from_the_reported_share():
    # half of a stage spanning 0.2-0.6 done after 10 s: 0.4 of the job, 15 s left
    done, left = webapp.estimate(
        begun=0.0, start=0.2, weight=0.4, share=0.5, elapsed=10.0, in_stage=4.0
    )
    assert done == pytest.approx(0.4)
    assert left == pytest.approx(15.0)


def test_estimate_guesses_a_silent_stage_from_earlier_speed():
    # 0.5 of the job took 10 s (20 s per unit); a 0.2 stage is expected to take 4 s
    done, left = webapp.estimate(
        begun=0.0, start=0.5, weight=0.2, share=0.0, elapsed=12.0, in_stage=2.0
    )
    assert done == pytest.approx(0.6)
    assert left == pytest.approx(8.0)
    # overrunning: never guessed past GUESS_CAP of the stage
    done, _ = webapp.estimate(
        begun=0.0, start=0.5, weight=0.2, share=0.0, elapsed=40.0, in_stage=30.0
    )
    assert done == pytest.approx(0.5 + 0.2 * webapp.GUESS_CAP)


def test_estimate_is_relative_to_where_the_job_began():
    # a job that starts at 0.5 (the athlete already picked): half of what it does is done
    done, left = webapp.estimate(
        begun=0.5, start=0.5, weight=0.5, share=0.5, elapsed=6.0, in_stage=6.0
    )
    assert done == pytest.approx(0.75)
    assert left == pytest.approx(6.0)


def test_estimate_without_a_basis():
    assert webapp.estimate(
        begun=0.0, start=0.0, weight=0.1, share=0.0, elapsed=3.0, in_stage=3.0
    ) == (0.0, None)
    _, left = webapp.estimate(
        begun=0.0, start=0.0, weight=0.1, share=0.2, elapsed=1.0, in_stage=1.0
    )
    assert left is None  # 2 % of the job: too little to extrapolate


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "estimating the time left"),
        (3, "a few seconds left"),
        (23, "about 25 s left"),
        (95, "about 1 min 40 s left"),
        (3600, "about 60 min 00 s left"),
    ],
)
def test_format_left(seconds, text):
    assert webapp.format_left(seconds) == text


def test_job_reports_progress_and_result():
    workspace = webapp.Workspace()
    go, seen = threading.Event(), threading.Event()

    def target(report):
        report("tracking the athlete", 0.5)
        seen.set()
        go.wait(10)
        return "done"

    job = webapp.Job(workspace, target)
    assert seen.wait(10)
    status = job.status()
    assert status.stage == "tracking the athlete" and not status.finished
    start, weight = webapp.stage_span("tracking the athlete")
    assert status.done == pytest.approx(start + weight / 2)
    go.set()
    assert job.wait(10)
    assert job.status().finished and job.status().done == 1.0
    assert job.result == "done" and job.error is None
    assert os.path.isdir(workspace.path)  # results stay until discarded
    job.discard()
    assert not os.path.exists(workspace.path)


def test_job_stages_only_move_forward():
    def target(report):
        report("drawing the video", 0.4)
        report("writing the report", 0.0)  # the report thread starting late
        return None

    job = webapp.Job(webapp.Workspace(), target)
    assert job.wait(10)
    job.discard()
    assert job._stage == "drawing the video" and job._share == 0.4


def test_job_error_is_one_line_and_removes_the_folder():
    workspace = webapp.Workspace()

    def target(report):
        raise InputError("clip.mp4: not a video")

    job = webapp.Job(workspace, target)
    assert job.wait(10)
    assert job.error == "clip.mp4: not a video" and job.result is None
    assert not os.path.exists(workspace.path)


def test_job_bug_is_reported_not_raised():
    job = webapp.Job(webapp.Workspace(), lambda report: 1 / 0)
    assert job.wait(10)
    assert job.error.startswith("internal error (ZeroDivisionError")


def test_discarded_job_stops_at_its_next_report_and_cleans_up():
    workspace = webapp.Workspace()
    started, go = threading.Event(), threading.Event()
    reached = []

    def target(report):
        started.set()
        go.wait(10)
        report("tracking the athlete", 0.1)  # raises Cancelled
        reached.append(True)

    job = webapp.Job(workspace, target)
    assert started.wait(10)
    job.discard()
    assert os.path.isdir(workspace.path)  # still running: removed when it stops
    go.set()
    assert job.wait(10)
    assert reached == [] and job.error is None and job.result is None
    assert not os.path.exists(workspace.path)


def test_a_job_that_shows_keeps_what_it_showed_and_a_stopped_one_keeps_its_folder():
    workspace = webapp.Workspace()
    shown, go = threading.Event(), threading.Event()

    def target(report, show):
        show("first people")
        shown.set()
        go.wait(10)
        report("finding the athlete", 0.0)  # raises Cancelled

    job = webapp.Job(workspace, target, shows=True)
    assert shown.wait(10) and job.shown == "first people" and not job.status().finished
    job.stop()
    go.set()
    assert job.wait(10) and job.result is None and job.error is None
    assert os.path.isdir(workspace.path)  # left to whoever still holds the clip in it
    workspace.remove()


def _fake_scan(calls: list):
    """A stand-in for `tracking.auto_choice`: tells `seen` of three moments (one person,
    then two, then three), then chooses the second of the last moment's people."""
    from movement_screen.choose import Choice, Moment

    rgb = np.zeros((120, 200, 3), np.uint8)
    bodies = [Detection(np.array([[x, 40.0], [x + 20, 100.0]] * 17)[:33], np.ones(33))
              for x in (120.0, 20.0, 70.0)]  # fmt: skip

    def scan(info, models_dir="models", seen=None):
        for index, count in ((0, 1), (30, 2), (60, 3)):
            seen(index, index / 30.0, rgb, bodies[:count])
            calls.append(index)
        moment = Moment(60, 2.0, bodies, [], rgb)
        return Choice(moment, 1, [1.0, 2.0, 0.5], False, "the one who moves")

    return scan


def test_the_scan_shows_the_first_moment_with_several_people_before_it_ends(monkeypatch):
    from movement_screen import tracking

    calls, shown = [], []
    monkeypatch.setattr(tracking, "auto_choice", _fake_scan(calls))
    path = str(sample_path("hinge_side_clean"))
    clip = webapp.Clip(path, "hinge.mp4", None)

    def show(people):
        shown.append((people, list(calls)))

    picked, people = webapp.scan_people(clip, report=lambda *_: None, show=show)
    ((early, calls_then),) = shown  # once, at the first moment with two people
    assert calls_then == [0] and early.time_s == 1.0 and early.best == 0  # no guess yet
    assert early.boxes == [(20.0, 40.0, 40.0, 100.0), (120.0, 40.0, 140.0, 100.0)]
    assert people.time_s == 2.0 and len(people.boxes) == 3
    assert people.best == 1 and people.reason == "the one who moves"  # leftmost: x 20
    assert people.choice is picked and early.choice is None  # its looks go with a pick


def test_a_discarded_scan_stops_at_its_next_moment(monkeypatch):
    from movement_screen import tracking

    calls = []
    monkeypatch.setattr(tracking, "auto_choice", _fake_scan(calls))
    clip = webapp.Clip(str(sample_path("hinge_side_clean")), "hinge.mp4", None)

    def report(stage, share):
        if calls:
            raise webapp.Cancelled

    with pytest.raises(webapp.Cancelled):
        webapp.scan_people(clip, report=report)
    assert calls == [0]


def test_workspace_removed_when_forgotten():
    workspace = webapp.Workspace()
    path = workspace.path
    del workspace
    assert not os.path.exists(path)


def test_picture_with_boxes_and_hint():
    rgb = np.zeros((120, 200, 3), np.uint8)
    boxes = [(10.0, 30.0, 50.0, 110.0), (120.0, 20.0, 180.0, 100.0)]
    jpeg = webapp.picture_with_boxes(rgb, boxes)
    from PIL import Image

    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and image.size == (200, 120)
    assert np.asarray(image)[70, 10].max() > 150  # a box edge is drawn
    people = webapp.People(None, 1.5, boxes, jpeg)
    hint = webapp.hint_for(people, 2)
    assert (hint.x, hint.y, hint.time_s) == (150.0, 60.0, 1.5)


def test_the_results_report_names_the_clip_as_the_user_knows_it():
    from tests.fixtures import screening_from_truth

    screening = screening_from_truth("lunge_side_clean")
    clip = webapp.Clip(str(screening.info.path), "Lunge 1.mp4", None)
    report = webapp.named_report(clip, screening)
    assert report["video"]["file"] == "Lunge 1.mp4"
    assert report["video"]["path"] == os.path.abspath(screening.info.path)
    assert ("Clip", "Lunge 1.mp4") in view.clip_facts(report)


def test_import_does_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, movement_screen.webapp; "
        "print(any(m in sys.modules for m in ('mediapipe', 'cv2', 'matplotlib', 'streamlit')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_again_as_copies_an_upload_into_a_new_folder_and_keeps_a_sample_where_it_is(tmp_path):
    from movement_screen.core import Movement

    old = webapp.Workspace()
    upload = os.path.join(old.path, "upload.mp4")
    with open(upload, "wb") as handle:
        handle.write(b"video bytes")
    again = webapp.again_as(webapp.Clip(upload, "my run.mp4", old), Movement.SPRINT)
    assert again.workspace.path != old.path and again.movement is Movement.SPRINT
    assert again.name == "my run.mp4"
    with open(again.path, "rb") as handle:
        assert handle.read() == b"video bytes"
    old.remove()
    assert os.path.exists(again.path)  # the copy outlives the old folder
    sample = str(tmp_path / "sample.mp4")
    assert webapp.again_as(webapp.Clip(sample, "s", again.workspace), Movement.LUNGE).path == sample
    again.workspace.remove()


def test_a_picked_athlete_is_screened_again_as_another_movement_without_asking(monkeypatch):
    """Screened again as another movement, the clip keeps the athlete the user picked:
    no scan for people, no picker again."""
    from movement_screen.core import Movement
    from movement_screen.tracking import PersonHint
    from tests.fixtures import read_joints, sample_path

    time, joints = read_joints("hinge_side_clean")
    x, y = (joints["left_hip"][30] + joints["right_hip"][30]) / 2
    workspace = webapp.Workspace()
    clip = webapp.Clip(str(sample_path("hinge_side_clean")), "hinge.mp4", workspace)
    clip = replace(clip, pick=webapp.Pick(PersonHint(float(x), float(y), float(time[30]))))
    again = webapp.again_as(clip, Movement.LUNGE)
    try:
        assert again.pick == clip.pick and again.workspace.path != workspace.path
        monkeypatch.setattr(webapp, "scan_people", lambda *a, **k: pytest.fail("asked again"))
        result = webapp.screen_or_ask(again, report=lambda stage, share: None)
        assert result.report["athlete"]["method"] == "given"
        assert result.report["movement"]["value"] == "lunge"
    finally:
        workspace.remove()
        again.workspace.remove()


def test_downloads_are_named_after_the_athlete_movement_and_date():
    ana = webapp.Athlete("Zoë O'Brien / ../x")
    day = "2026-12-01"
    assert (
        webapp.download_name(ana, "lunge", day, "report.pdf")
        == "Zoe-O-Brien-x_lunge_2026-12-01.pdf"
    )
    assert (
        webapp.download_name(ana, None, day, "annotated.mp4")
        == "Zoe-O-Brien-x_screen_2026-12-01.mp4"
    )
    assert (
        webapp.download_name(ana, "sprint", day, "angles.csv")
        == "Zoe-O-Brien-x_sprint_2026-12-01_angles.csv"
    )
    assert webapp.download_name(None, "sprint", day, "report.pdf") == "report.pdf"
    assert (
        webapp.download_name(webapp.Athlete("???"), "hinge", day, "report.html")
        == "x_hinge_2026-12-01.html"
    )


def test_the_athletes_details_become_header_rows_in_words():
    full = webapp.Athlete("Ana", "A-17", "left", "follow-up", 3.0, 6.5, "Dr Lee")
    assert full.facts() == (
        ("Athlete ID", "A-17"),
        ("Painful side", "left"),
        ("Reason for the screen", "follow-up"),
        ("Pain before", "3/10"),
        ("Session RPE", "6.5/10"),
    )
    assert webapp.Athlete("Ana").facts() == ()


def test_a_clip_with_one_person_is_tracked_from_the_scans_choice_made_once(monkeypatch):
    """The app's scan for people and the tracking share one choice of the athlete."""
    from movement_screen import tracking
    from tests.fixtures import sample_path

    calls = []
    choose_once = tracking.auto_choice
    monkeypatch.setattr(
        tracking, "auto_choice", lambda *a, **k: calls.append(1) or choose_once(*a, **k)
    )
    path = str(sample_path("hinge_side_clean"))
    workspace = webapp.Workspace()
    try:
        clip = webapp.Clip(path, "hinge.mp4", workspace)
        result = webapp.screen_or_ask(clip, report=lambda stage, share: None)
        assert isinstance(result, webapp.Result) and len(calls) == 1
        assert result.report["athlete"]["method"] == "auto"
    finally:
        workspace.remove()


def test_values_set_by_hand_rewrite_the_report_in_a_new_folder_each_time():
    import json

    from movement_screen import pipeline
    from movement_screen.screening import Correction
    from tests.fixtures import screening_from_truth

    screening = screening_from_truth("hinge_side_squat")
    workspace = webapp.Workspace()
    try:
        clip = webapp.Clip(str(screening.info.path), "Hinge.mp4", workspace)
        out = os.path.join(workspace.path, "out")
        pipeline.write_outputs(screening, out, pipeline.Outputs(pdf=False, trc=False))
        first = webapp.Result(clip, out, webapp.named_report(clip, screening), {}, screening)
        tool = next(m.value for m in screening.measurements
                    if m.metric == "knee_flexion_deepest" and m.rep == 1)  # fmt: skip
        once = webapp.with_correction(first, Correction("knee_flexion_deepest", None, 1, 24,
                                                        tool, 10.0))  # fmt: skip
        twice = webapp.with_correction(once, Correction("knee_flexion_deepest", None, 1, 24,
                                                        10.0, 20.0))  # fmt: skip
        assert len({first.out_dir, once.out_dir, twice.out_dir}) == 3
        for result, value in ((once, 10.0), (twice, 20.0)):
            assert os.path.getsize(result.file("annotated.mp4")) > 1000
            with open(result.file("report.json"), encoding="utf-8") as handle:
                (fix,) = json.load(handle)["corrections"]
            assert (fix["value"], fix["tool"]) == (value, round(tool, 2))
            assert result.report["video"]["file"] == "Hinge.mp4"
        with open(first.file("report.json"), encoding="utf-8") as handle:
            assert json.load(handle)["corrections"] == []  # the first screen as it was
    finally:
        workspace.remove()

"""One screen from several clips: the joint report, and `analyze A B` end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime

import pytest

from movement_screen import cli, records
from movement_screen.core import Measurement
from movement_screen.report import pdf, session
from tests import words
from tests.fixtures import sample_path, screening_from_truth

WHEN = datetime(2026, 12, 1, 9, 30)


@pytest.fixture(scope="module")
def parts():
    names = ("lunge_front_valgus", "lunge_side_trunk_lean")
    return [session.part_of(screening_from_truth(n), f"{n}.mp4", f"../{n}") for n in names]


def test_a_cue_two_clips_give_is_listed_once_naming_both(parts):
    cues = session.merged_cues(parts)
    by_id = {c["id"]: c for c in cues}
    front, side = (session.label(p) for p in parts)
    assert front == "Lunge, front view (lunge_front_valgus.mp4)"
    walk = replace(parts[0], report={
        **parts[0].report, "movement": {"value": None, "seen": "walking"}})  # fmt: skip
    assert (
        session.label(walk)
        == "Not screened: looks like walking, front view (lunge_front_valgus.mp4)"
    )
    assert by_id["stay_tall"]["from"] == [front, side]  # trunk lean: seen from both sides
    assert by_id["keep_pelvis_level"]["from"] == [front]  # pelvic drop: front view only
    assert by_id["open_hip_extension"]["from"] == [side]
    assert "all_clear" not in by_id
    severities = [c["severity"] for c in cues]
    assert severities == sorted(severities, key=session.RANK.__getitem__)  # worst first


def test_all_clear_only_when_no_clip_has_anything_to_change():
    clean = [session.part_of(screening_from_truth(n), f"{n}.mp4", n)
             for n in ("lunge_front_clean", "hinge_side_clean")]  # fmt: skip
    cues = session.merged_cues(clean)
    assert [c["id"] for c in cues] == ["all_clear", "all_clear"]  # a lunge's, a hinge's
    assert [c["from"] for c in cues] == [[session.label(p)] for p in clean]
    assert [c["text"] for c in cues] == [p.report["cues"][0]["text"] for p in clean]
    valgus = session.part_of(screening_from_truth("lunge_front_valgus"), "v.mp4", "v")
    assert "all_clear" not in {c["id"] for c in session.merged_cues([*clean, valgus])}


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) not installed")
def test_the_joint_report_names_every_clip_and_files_on_three_pages(parts, tmp_path):
    page = session.render(parts, athlete="Ana <b>", clinician="Dr Lee", created=WHEN)
    assert "Ana &lt;b&gt;" in page and "<b>" not in page.split("<body>")[1].split("</header>")[0]
    for part in parts:
        assert session.label(part) in page
        assert f"{part.folder}/report.html" in page
    assert words.leaks(words.visible_text(page)) == []
    target = tmp_path / "session.pdf"
    pdf.write_pdf(page, str(target))
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 3


def test_analyze_several_clips_writes_a_folder_each_and_the_joint_report(tmp_path, capsys):
    clips = [str(sample_path(n)) for n in ("lunge_front_valgus", "lunge_side_trunk_lean")]
    out, db = tmp_path / "visit", str(tmp_path / "records.sqlite3")
    code = cli.main(["analyze", *clips, "--out", str(out), "--no-video", "--no-pdf",
                     "--athlete", "Ana", "--db", db])  # fmt: skip
    assert code == 0
    stored = records.history(db, "Ana")["sessions"]
    assert [s["view"] for s in stored] == ["front", "side"]
    assert stored[0]["visit"] and stored[0]["visit"] == stored[1]["visit"]  # one screen
    assert all(s["baseline"] for s in stored)  # each the first of its movement and view
    said = capsys.readouterr().out
    assert "== lunge_front_valgus.mp4" in said and "wrote the session's report" in said
    assert sorted(p.name for p in out.iterdir()) == [
        "lunge_front_valgus", "lunge_side_trunk_lean", "session",
    ]  # fmt: skip
    joint = json.loads((out / "session" / "report.json").read_text(encoding="utf-8"))
    assert [(c["movement"], c["view"]) for c in joint["clips"]] == [("lunge", "front"),
                                                                    ("lunge", "side")]  # fmt: skip
    assert {c["id"] for c in joint["cues"]} >= {"keep_pelvis_level", "open_hip_extension"}
    page = (out / "session" / "report.html").read_text(encoding="utf-8")
    assert "Clip 2: Lunge, side view (lunge_side_trunk_lean.mp4)" in page
    for clip in ("lunge_front_valgus", "lunge_side_trunk_lean"):
        assert (out / clip / "report.json").is_file()


def test_a_pixel_for_the_athlete_is_refused_with_several_clips(tmp_path, capsys):
    clips = [str(sample_path(n)) for n in ("lunge_front_valgus", "lunge_side_trunk_lean")]
    code = cli.main(["analyze", *clips, "--person", "10,10@0", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "--person names a pixel in one clip" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def _sprint_side(near: str, name: str, left: list[float], right: list[float], cues: list[dict]):
    """The knee-drive sprint's part, said to be filmed with `near` leg nearer the camera,
    its hip extension strides set to `left` and `right` and its cues to `cues`."""
    base = session.part_of(screening_from_truth("sprint_side_knee_drive"), name, "")
    values = [m for m in base.values if m.metric != "hip_extension_toe_off"]
    for side, series in (("left", left), ("right", right)):
        values += [Measurement("hip_extension_toe_off", v, "deg", side, n)
                   for n, v in enumerate(series, 1)]  # fmt: skip
    report = {**base.report, "cues": cues}
    return replace(base, clip_name=name, near_leg=near, values=tuple(values), report=report)


DRIVE = {"id": "reduce_knee_drive", "text": "Ease off.", "severity": "flag",
         "findings": ["knee_drive_high:left", "knee_drive_high:right"], "work_on": []}  # fmt: skip
SIDES = {"id": "even_sides", "text": "Even the sides.", "severity": "watch",
         "findings": ["hip_extension_asymmetry:left-right"], "work_on": []}  # fmt: skip


def test_a_difference_the_camera_made_goes_from_the_cues_when_both_sides_are_filmed():
    # the near leg reads 4 degrees more extension: +8 from the left side, -8 from the right
    one = _sprint_side("left", "a.mp4", [22.0, 22.4, 21.6], [14.0, 14.3, 13.7], [DRIVE, SIDES])
    other = _sprint_side("right", "b.mp4", [14.1, 13.8, 14.1], [22.1, 21.8, 22.1], [DRIVE])
    (group,) = session.both_sides_of([one, other])
    hip = next(r for r in group.readings if r.metric == "hip_extension_toe_off")
    assert hip.value == pytest.approx(0.0) and hip.camera == pytest.approx(8.0)
    cues = session.merged_cues([one, other])
    assert [c["id"] for c in cues] == ["reduce_knee_drive"]
    page = session.render([one, other], created=WHEN)
    assert "Left against right, from both sides" in page and "+8.0°" in page
    assert words.leaks(words.visible_text(page)) == []


def test_a_real_difference_read_from_both_sides_keeps_its_cue_naming_both_clips():
    one = _sprint_side("left", "a.mp4", [28.0, 28.5, 27.5], [15.0, 15.5, 14.5], [DRIVE, SIDES])
    other = _sprint_side("right", "b.mp4", [25.0, 25.4, 24.6], [18.0, 18.4, 17.6], [DRIVE])
    cues = {c["id"]: c for c in session.merged_cues([one, other])}
    assert cues["even_sides"]["from"] == ["Sprint, side view from both sides (a.mp4, b.mp4)"]
    assert cues["even_sides"]["severity"] == "watch"


def test_clips_from_one_side_only_keep_their_own_left_right_cues():
    one = _sprint_side("left", "a.mp4", [22.0, 22.4, 21.6], [14.0, 14.3, 13.7], [DRIVE, SIDES])
    again = _sprint_side("left", "b.mp4", [22.0, 22.4, 21.6], [14.0, 14.3, 13.7], [DRIVE])
    assert session.both_sides_of([one, again]) == []
    assert "even_sides" in {c["id"] for c in session.merged_cues([one, again])}

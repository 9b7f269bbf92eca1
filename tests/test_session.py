"""One screen from several clips: the joint report, and `analyze A B` end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime

import pytest

from movement_screen import cli, records
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
    assert [c["id"] for c in cues] == ["all_clear"]


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

"""report.html and report.pdf from screenings built on the samples' ground truth (no MediaPipe)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from html import escape

import numpy as np
import pytest

from movement_screen import pipeline, video
from movement_screen.core import Movement, Pose, Track
from movement_screen.report import html as report_html
from movement_screen.report import names, pdf
from tests import words
from tests.fixtures import sample_path, screening_from_truth, track_from_truth

NASTY = '<script>alert("x")</script> & O\'Brien'
ORDER = (
    "about", "cues", "findings", "comparison", "key-frames", "angles", "left-right", "drift",
    "quality", "limits",
)  # fmt: skip
COMPARISON = {
    "baseline_date": "2025-01-10",
    "rows": [
        {"metric": "peak_thigh_angle", "side": "left", "baseline": 95.0, "current": 102.4,
         "change": 7.4, "unit": "deg", "noise": 3.0, "verdict": "declined"},
        {"metric": "<b>odd</b>", "side": "right", "baseline": 7.5, "current": 6.9,
         "change": -0.6, "unit": "deg", "noise": 3.0, "verdict": "within noise"},
    ],
}  # fmt: skip
WHEN = datetime(2025, 3, 1, 9, 30)


@pytest.fixture(scope="module")
def sprint():
    return screening_from_truth("sprint_side_knee_drive")


@pytest.fixture(scope="module")
def page(sprint) -> str:
    return report_html.render(
        sprint, athlete=NASTY, notes=f"{NASTY}\nsecond line", comparison=COMPARISON, created=WHEN
    )


def _section(page: str, key: str) -> str:
    match = re.search(rf'<(section|header) id="{key}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no section {key}"
    return match.group(2)


def test_sections_in_order(page):
    at = [page.find(f'id="{key}"') for key in ORDER]
    assert all(i >= 0 for i in at), dict(zip(ORDER, at, strict=True))
    assert at == sorted(at)
    assert "Compared with baseline on 2025-01-10" in page
    assert "2025-03-01 09:30" in _section(page, "about")


def test_report_json_says_which_leg_was_nearer_the_camera(sprint):
    from movement_screen.report import data

    assert data.to_dict(sprint)["view"]["near_leg"] == "left"  # faces image-left
    front = data.to_dict(screening_from_truth("lunge_front_valgus"))
    assert front["view"]["near_leg"] is None


def test_comparison_only_when_given(sprint):
    assert 'id="comparison"' not in report_html.render(sprint, created=WHEN)


def test_comparison_rows_and_verdicts(page):
    part = _section(page, "comparison")
    assert "Knee drive" in part and "+7.4°" in part and "± 3.0°" in part
    assert ">declined<" in part and ">within noise<" in part
    assert "<b>odd</b>" not in part and escape("<b>odd</b>") in part


def test_user_text_is_escaped(page):
    assert NASTY not in page
    assert "<script" not in page.lower()
    assert page.count(escape(NASTY)) >= 3  # title, athlete, notes
    assert escape(NASTY) in _section(page, "about")


def test_self_contained(page):
    assert not re.search(r"https?://", page)
    assert "<link" not in page and "@import" not in page
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/") for s in sources)
    assert all(u.startswith("data:") for u in re.findall(r"url\(([^)]*)\)", page))


def test_findings_table_labels_every_status_in_text(page, sprint):
    part = _section(page, "findings")
    rows = re.findall(r"<tr><td.*?</tr>", part, re.S)
    assert len(rows) == len(sprint.findings)
    for row in rows:
        status = re.findall(r'<span class="badge (ok|watch|flag)">([^<]+)</span>', row)
        assert len(status) == 1
        severity, label = status[0]
        assert label == names.STATUS[severity]
    assert "Flag" in part and "OK" in part


def test_cues_first_with_their_status(page, sprint):
    part = _section(page, "cues")
    assert escape(sprint.cues[0].text) in part
    assert '<span class="badge flag">Flag</span>' in part


def test_each_cue_carries_its_plan_and_the_limits_say_why(page, sprint):
    part = _section(page, "cues")
    knee = next(c for c in sprint.cues if c.id == "reduce_knee_drive")
    assert [w.area for w in knee.work_on] == ["load", "mobility"]
    for item in knee.work_on:
        assert escape(f"{names.AREAS[item.area]}: {item.text}") in part
    assert escape(names.WHY_LIMITS) in part and "iliopsoas" in part


def test_key_frames_and_plots_are_embedded(page):
    assert _section(page, "key-frames").count("data:image/jpeg;base64,") == 2
    for key in ("angles", "left-right", "drift"):
        assert "data:image/png;base64," in _section(page, key)


@pytest.mark.parametrize("name", ["lunge_front_valgus", "hinge_side_squat"])
def test_other_movements_render(name):
    page = report_html.render(screening_from_truth(name), created=WHEN)
    for key in ORDER:
        assert key == "comparison" or f'id="{key}"' in page
    assert "not given" in _section(page, "about")


def test_pdf_fetches_data_uris_only():
    fetcher = pdf.data_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/hostname")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) not installed")
def test_pdf_opens_and_pages_render(page, tmp_path):
    target = tmp_path / "report.pdf"
    pdf.write_pdf(page, str(target))
    assert target.read_bytes()[:5] == b"%PDF-"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(target), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 2  # a screen files on two A4 pages, with a baseline comparison too
    import cv2

    first = cv2.imread(str(pngs[0]), cv2.IMREAD_GRAYSCALE)
    assert first is not None and first.shape[0] > first.shape[1]  # portrait (A4)
    assert np.std(first) > 10 and (first < 128).mean() > 0.005  # text and pictures, not blank


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) not installed")
@pytest.mark.parametrize(
    "name", ["sprint_side_trunk_lean", "lunge_front_valgus", "hinge_side_squat"]
)
def test_every_printed_page_names_the_athlete_the_date_and_the_page(name, tmp_path):
    target = tmp_path / "report.pdf"
    html = report_html.render(screening_from_truth(name), athlete="Ana Silva", created=WHEN,
                              clinician="Dr Lee")  # fmt: skip
    pdf.write_pdf(html, str(target))
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", target)).group(1))
    assert pages <= 2
    text = _run("pdftotext", "-layout", target, "-").split("\f")
    for number, page_text in enumerate(text[:pages], start=1):
        assert "Ana Silva · 2025-03-01 09:30" in page_text
        assert f"Page {number} of {pages}" in page_text
    assert "Clinician" in text[0] and "Dr Lee" in text[0]


def _run(*command) -> str:
    return subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def _screening_without_reps(name="hinge_side_clean", movement=None):
    """The first 32 frames (1.07 s) of a clip: enough to tell the movement (1 s), no
    complete rep, nothing judged."""
    info = video.probe(str(sample_path(name)))
    track = track_from_truth(name, info.height, info.width)
    n = 32
    pose = Pose(track.pose.time[:n], track.pose.xy[:n], track.pose.visibility[:n])
    cut = Track(pose, track.found[:n], track.choice, track.frame_size)
    return pipeline.screen(info, cut, pipeline.Options(movement=movement))


def test_renders_when_nothing_was_found():
    screening = _screening_without_reps()
    assert not screening.events and not screening.findings
    page = report_html.render(screening, created=WHEN)
    for key in ORDER:
        assert key == "comparison" or f'id="{key}"' in page
    assert "no key frame" in _section(page, "key-frames")
    assert "no complete rep" in _section(page, "quality")


def test_a_clip_not_screened_is_not_said_to_lack_strides_or_reps():
    screening = _screening_without_reps()
    assert screening.movement is None  # recognised, but no complete rep: nothing judged
    page = report_html.render(screening, created=WHEN)
    assert "Reps found" not in page and "Strides found" not in page
    for key in ("key-frames", "left-right", "drift"):
        assert "nothing was screened in this clip" in _section(page, key).lower(), key
    assert "Not enough strides" not in page and "at least 4 strides" not in page
    assert "Drift across strides or reps" in _section(page, "drift")


@pytest.mark.parametrize(
    "name", ["sprint_side_knee_drive", "lunge_front_valgus", "hinge_side_squat",
             "single_leg_squat_front_drop", "lunge_side_trunk_lean"],
)  # fmt: skip
def test_no_internal_id_none_or_flag_reaches_the_reader(name):
    page = report_html.render(screening_from_truth(name), created=WHEN, comparison=COMPARISON)
    assert words.leaks(words.visible_text(page)) == []


def test_the_leak_scan_finds_what_it_looks_for():
    shown = "Knee drive peak_thigh_angle, None here, pass --movement lunge; -- dash is fine"
    assert sorted(words.leaks(shown)) == ["--movement", "None", "peak_thigh_angle"]
    assert words.leaks("no rep of a single_leg_squat") == ["single_leg_squat"]


def test_a_movement_chosen_without_a_complete_rep_is_named_in_words():
    screening = _screening_without_reps("single_leg_squat_front_drop", Movement.SINGLE_LEG_SQUAT)
    page = words.visible_text(report_html.render(screening, created=WHEN))
    assert "No complete rep of a single-leg squat was found" in page
    assert words.leaks(page) == []


@pytest.fixture(scope="module")
def hinge_baseline(tmp_path_factory):
    """A baseline hinge screen (no squat) with its annotated clip, as the records keep it."""
    from movement_screen import overlay
    from movement_screen.report import data

    base = screening_from_truth("hinge_side_clean")
    clip = str(tmp_path_factory.mktemp("kept") / "baseline.mp4")
    overlay.write_annotated(base, clip)
    return {"report": data.to_dict(base), "clip": clip}


def test_a_finding_changed_beyond_noise_is_shown_beside_its_baseline_frame(hinge_baseline):
    today = screening_from_truth("hinge_side_squat")
    comparison = {"baseline_date": "2024-05-01", "rows": [], "beside": hinge_baseline}
    page = report_html.render(today, comparison=comparison)
    beside = page[page.index("Beside the baseline") : page.index('id="key-frames"')]
    assert "Knee bend" in beside
    assert re.search(r"then, [\d.]+° now \(\+[\d.]+°; noise ±[\d.]+°\): (declined|changed)", beside)
    assert beside.count("data:image/jpeg;base64,") == 2
    assert "Baseline, 2024-05-01" in beside and "Today" in beside


def test_no_pictures_when_nothing_changed_beyond_noise_or_the_clip_was_not_kept(hinge_baseline):
    same = screening_from_truth("hinge_side_clean")
    comparison = {"baseline_date": "2024-05-01", "rows": [], "beside": hinge_baseline}
    assert "No finding changed beyond its noise" in report_html.render(same, comparison=comparison)
    gone = {**comparison, "beside": {**hinge_baseline, "clip": None}}
    assert "clip was not kept" in report_html.render(same, comparison=gone)

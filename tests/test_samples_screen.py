"""End-to-end on the project's synthetic sample clips: each fault gets its cue, clean clips none."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from movement_screen import cli

SAMPLES = Path(__file__).parents[1] / "sample_videos"
CLIPS = sorted(SAMPLES.glob("*.mp4"))
FAULT_CUES = {
    "reduce_knee_drive",
    "stay_tall",
    "keep_pelvis_level",
    "knee_over_foot",
    "hinge_from_hips",
}
# Faults the engine cannot see yet, each with the measured reason; the test fails if one
# starts firing, so the list is kept honest in both directions.
KNOWN_MISSES: dict[tuple[str, str], str] = {  # (clip, cue): why the engine cannot see it yet
    ("lunge_front_valgus", "knee_over_foot"): (
        "a lunge's front knee is not judged from the front: at the bottom the thigh points "
        "toward the camera (this clip: seen at 0.36 of its length), and its angle in the "
        "picture follows the camera's height and the body's turn (`movements.lunge`); the "
        "report says so instead"
    ),
}
TOP_KEYS = {
    "schema_version", "video", "movement", "view", "athlete", "quality", "events",
    "measurements", "findings", "cues", "protocol", "notes", "limitations",
}  # fmt: skip


@pytest.mark.parametrize("clip", CLIPS, ids=lambda p: p.stem)
def test_sample_screening_matches_its_known_faults(clip, tmp_path):
    meta = json.loads(clip.with_suffix(".json").read_text())
    out = tmp_path / "screen"
    assert cli.main(["analyze", str(clip), "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    for name in ("report.html", "report.pdf", "annotated.mp4", "landmarks.trc", "angles.csv"):
        assert (out / name).stat().st_size > 1000, name
    assert report["schema_version"] == 1 and set(report) >= TOP_KEYS
    assert report["movement"]["value"] == meta["motion"]
    assert report["view"]["value"] == meta["view"]
    assert report["quality"]["found_share"] == 1.0
    assert len(report["events"]) >= 2
    fired = {c["id"] for c in report["cues"]}
    expected = set(meta["expected_cues"])
    missed = {cue for (name, cue) in KNOWN_MISSES if name == clip.stem}
    assert expected - missed <= fired, f"missing cues {expected - missed - fired}"
    assert not missed & fired, f"{missed & fired} now fires: remove it from KNOWN_MISSES"
    assert not (fired & FAULT_CUES) - expected, (
        f"unexpected fault cues {(fired & FAULT_CUES) - expected}"
    )
    if not expected:
        assert not any(c["severity"] == "flag" for c in report["cues"])
    if shutil.which("pdfinfo"):  # the report files on two A4 pages, notes and all
        info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True, text=True)
        assert int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1)) <= 2


def test_a_front_lunge_says_its_knee_line_is_not_judged_and_why(tmp_path):
    out = tmp_path / "screen"
    clip = SAMPLES / "lunge_front_valgus.mp4"
    assert cli.main(["analyze", str(clip), "--out", str(out), "--no-video", "--no-pdf"]) == 0
    report = json.loads((out / "report.json").read_text())
    said = "Whether the front knee caves in is not judged: at the bottom of a lunge"
    assert said in report["protocol"]["note"]
    assert said in (out / "report.html").read_text()  # under what the numbers cannot say
    assert not any("knee caving" in n for n in report["notes"])  # not read per rep: not judged

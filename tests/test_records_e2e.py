"""A baseline and two follow-ups of one athlete, through the real command line."""

import json
from pathlib import Path

from movement_screen import cli

SAMPLES = Path(__file__).parents[1] / "sample_videos"


def test_baseline_and_two_follow_ups_show_in_history(tmp_path, capsys):
    db = tmp_path / "records.sqlite3"
    name = "Zoë O'Brien"
    clips = ["lunge_side_clean", "lunge_side_trunk_lean", "lunge_side_clean"]
    for i, clip in enumerate(clips):
        args = ["analyze", str(SAMPLES / f"{clip}.mp4"), "--out", str(tmp_path / f"s{i}")]
        args += ["--athlete", name, "--pain", str(4 - i), "--rpe", "6", "--db", str(db)]
        assert cli.main(args + ["--no-video", "--no-pdf", "--no-trc"]) == 0
    capsys.readouterr()
    assert cli.main(["history", name, "--db", str(db), "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    sessions = history["sessions"]
    assert len(sessions) == 3 and sum(bool(s["baseline"]) for s in sessions) == 1
    rows = [row for change in history["changes"] for row in change["rows"]]
    verdicts = {row["verdict"] for row in rows}
    assert verdicts and verdicts <= {"within noise", "improved", "declined", "changed"}
    # The follow-up reports say what they are compared with.
    assert "Compared with baseline" in (tmp_path / "s1" / "report.html").read_text()
    assert "Compared with baseline" not in (tmp_path / "s0" / "report.html").read_text()

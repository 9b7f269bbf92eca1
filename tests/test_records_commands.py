"""The records commands through argparse, as cli.py wires them."""

import argparse
import json
import os

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import commands, model, plots
from tests import words
from tests.records_helpers.reports import make_report

PNG = b"\x89PNG\r\n\x1a\n"


def _parser():
    parser = argparse.ArgumentParser(prog="movement-screen")
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze")
    analyze.add_argument("video")
    commands.add_store_options(analyze)
    commands.add_commands(sub)
    return parser


def _run(argv, capsys):
    args = _parser().parse_args(argv)
    code = args.handler(args)
    return code, capsys.readouterr().out


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "r.sqlite3")
    for day, thigh in ((1, 70.0), (2, 78.0)):
        medians = {("peak_thigh_angle", "left"): thigh, ("peak_thigh_angle", "right"): 80.0}
        report = make_report(
            medians, created=f"2024-05-0{day}T09:00:00+00:00", cues=("reduce_knee_drive",)
        )
        records.store_screening(path, report, athlete="Zoë", pain_before=day, rpe=6)
    return path


def test_analyze_options_store_the_screen(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite3")
    argv = [
        "analyze",
        "clip.mp4",
        "--athlete",
        "O'Brien",
        "--pain",
        "2",
        "--pain-after",
        "3.5",
        "--rpe",
        "7",
        "--baseline",
        "--notes",
        "tight hip",
        "--db",
        db,
    ]
    args = _parser().parse_args(argv)
    commands.check_store_options(args)
    session_id = commands.store_after_analyze(args, make_report(), clip_path=None)
    assert session_id == 1 and f"in {db}" in capsys.readouterr().out
    (s,) = records.history(db, "o'brien")["sessions"]
    assert (s["pain_before"], s["pain_after"], s["rpe"], s["notes"]) == (2, 3.5, 7, "tight hip")
    plain = _parser().parse_args(["analyze", "clip.mp4"])
    assert commands.store_after_analyze(plain, make_report(), clip_path=None) is None


@pytest.mark.parametrize("option, value", [("--pain", "11"), ("--rpe", "-1"), ("--pain", "x")])
def test_scores_are_checked_by_argparse(option, value, capsys):
    with pytest.raises(SystemExit) as error:
        _parser().parse_args(["analyze", "clip.mp4", "--athlete", "A", option, value])
    assert error.value.code == 2
    assert "must be a number from 0 to 10" in capsys.readouterr().err


def test_session_details_need_an_athlete():
    args = _parser().parse_args(["analyze", "clip.mp4", "--pain", "3", "--baseline"])
    with pytest.raises(InputError, match="--pain, --baseline need --athlete NAME"):
        commands.check_store_options(args)


def test_history_text(db, capsys):
    code, out = _run(["history", "zoë", "--db", db], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Zoë: 2 session(s)"
    assert lines[1].split() == [
        "date",
        "time",
        "movement",
        "view",
        "pain",
        "after",
        "RPE",
        "baseline",
        "cues",
    ]
    assert lines[2].split() == [
        "2024-05-01",
        model.local_time("2024-05-01T09:00:00+00:00"),
        "sprint",
        "side",
        "1",
        "-",
        "6",
        "*",
        "reduce_knee_drive",
    ]
    assert "sprint, side view: baseline 2024-05-01 -> latest 2024-05-02" in out
    row = next(line for line in lines if line.startswith("Knee drive  left"))
    assert row.split() == ["Knee", "drive", "left", "70", "78", "+8", "3", "deg", "declined"]
    assert "peak_thigh_angle" not in out  # metrics by name
    assert "90 % is a common return-to-sport reference" in out


def test_history_json_and_plots(db, capsys, tmp_path):
    folder = tmp_path / "plots"
    code, out = _run(["history", "Zoë", "--json", "--db", db, "--plots", str(folder)], capsys)
    document = json.loads(out[: out.rindex("}") + 1])
    assert code == 0 and document["athlete"]["name"] == "Zoë"
    assert [s["date"] for s in document["sessions"]] == ["2024-05-01", "2024-05-02"]
    assert document["changes"][0]["rows"][0]["verdict"] == "declined"
    assert sorted(os.listdir(folder)) == ["sprint_peak_thigh_angle.png", "symmetry.png"]
    assert (folder / "symmetry.png").read_bytes().startswith(PNG)


def test_history_of_unknown_athlete(db, capsys):
    with pytest.raises(InputError, match="no athlete named 'Nobody'"):
        _run(["history", "Nobody", "--db", db], capsys)


def test_athletes_list_add_and_update(db, capsys):
    _run(
        ["athletes", "--add", "Zoë", "--sport", "sprint", "--dominant-side", "left", "--db", db],
        capsys,
    )
    _run(["athletes", "--add", "Kai", "--db", db], capsys)
    code, out = _run(["athletes", "--db", db], capsys)
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["name", "sport", "dominant"],
        ["Kai", "-", "-"],
        ["Zoë", "sprint", "left"],
    ]
    _, out = _run(["athletes", "--json", "--db", db], capsys)
    assert [a["sessions"] for a in json.loads(out)] == [0, 2]
    with pytest.raises(InputError, match="need --add NAME"):
        _run(["athletes", "--sport", "rugby", "--db", db], capsys)


def test_export_and_import_commands(db, capsys, tmp_path):
    out = str(tmp_path / "zoe.json")
    code, text = _run(["export", "Zoë", "--out", out, "--db", db], capsys)
    assert code == 0 and text.strip() == f"wrote 2 session(s) of 1 athlete(s) to {out}"
    other = str(tmp_path / "other.sqlite3")
    _, text = _run(["import", out, "--db", other], capsys)
    assert text.strip() == "imported 2 session(s), 1 new athlete(s); 0 session(s) already stored"


def test_trend_png_draws_every_metric(db):
    result = records.history(db, "Zoë")
    pngs = plots.metric_pngs(result)
    assert list(pngs) == ["sprint_peak_thigh_angle"]
    assert plots.trend_png(result["series"]).startswith(PNG)


def test_a_removed_session_names_its_movement_in_words(tmp_path):
    path = str(tmp_path / "r.sqlite3")
    report = make_report({}, movement="single_leg_squat", view="front", rules=[])
    records.store_screening(path, report, athlete="Ana")
    (session,) = records.history(path, "Ana")["sessions"]
    said = records.remove_session(path, session["uuid"])
    assert said.startswith("removed the single-leg squat screen of Ana from 2024-05-01")


def test_remove_session_needs_a_confirmation_and_says_what_went(db, capsys):
    first, second = records.history(db, "Zoë")["sessions"]
    assert first["baseline"] and not second["baseline"]
    with pytest.raises(InputError, match="add --yes to confirm"):
        _run(["remove-session", first["uuid"], "--db", db], capsys)
    assert len(records.history(db, "Zoë")["sessions"]) == 2
    code, out = _run(["remove-session", first["uuid"], "--yes", "--db", db], capsys)
    assert code == 0
    assert out.startswith("removed the sprint screen of Zoë from 2024-05-01")
    assert "it was the baseline" in out
    (left,) = records.history(db, "Zoë")["sessions"]
    assert left["uuid"] == second["uuid"] and not left["baseline"]
    with pytest.raises(InputError, match=f"no session {first['uuid']}"):
        records.remove_session(db, first["uuid"])
    code, out = _run(["remove-session", second["uuid"], "--yes", "--db", db], capsys)
    assert "baseline" not in out and records.history(db, "Zoë")["sessions"] == []


def test_progress_report_prints_each_change_against_its_baseline(db, capsys, tmp_path):
    out = tmp_path / "zoe.html"
    code, said = _run(["progress", "Zoë", "--out", str(out), "--db", db], capsys)
    assert code == 0 and said.strip() == f"wrote {out}"
    page = out.read_text(encoding="utf-8")
    assert "Progress report" in page and "Zoë" in page
    assert "Sprint, side view: baseline 2024-05-01 to 2024-05-02" in page
    assert "Knee drive" in page and "peak_thigh_angle" not in page.split("<body>")[1]
    assert page.count("data:image/png;base64,") == 3  # pain and effort, trends, symmetry
    assert words.leaks(words.visible_text(page)) == []
    with pytest.raises(InputError, match="already exists; nothing was changed"):
        _run(["progress", "Zoë", "--out", str(out), "--db", db], capsys)
    pdf = tmp_path / "zoe.pdf"
    _run(["progress", "Zoë", "--out", str(pdf), "--db", db], capsys)
    assert pdf.read_bytes()[:5] == b"%PDF-"

"""Batch screening: discovery, resume, a bad clip does not stop the rest, Dask gives the same."""

import csv
import shutil
from pathlib import Path

import pytest

from movement_screen import batch, cli
from movement_screen.core import InputError
from tests.fixtures import fake_done

SAMPLES = Path(__file__).parents[1] / "sample_videos"
FAST = ["--no-video", "--no-pdf", "--no-html", "--no-trc"]


def test_find_clips_in_a_folder_or_glob(tmp_path):
    for name in ("b.mp4", "a.MOV", "notes.txt", "c.m4v", "d.mkv", "e.webm"):
        (tmp_path / name).write_bytes(b"x")
    found = [Path(p).name for p in batch.find_clips(str(tmp_path))]
    assert found == ["a.MOV", "b.mp4", "c.m4v", "d.mkv", "e.webm"]
    assert [Path(p).name for p in batch.find_clips(str(tmp_path / "*.mp4"))] == ["b.mp4"]
    with pytest.raises(InputError, match="no video files"):
        batch.find_clips(str(tmp_path / "*.avi"))


def test_plan_gives_each_clip_its_own_folder_whatever_else_is_in_the_batch():
    clips = ["x/run.mp4", "y/run.mp4", "in/a_b.mp4", "in/a b.mp4", "in/a b.mov", "in/A_B.mp4"]
    names = [Path(j.out_dir).name for j in batch.plan(clips, "out")]
    assert len(set(n.casefold() for n in names)) == len(clips)
    assert names[1].startswith("run-") and names[2].startswith("a_b-") and names[4][:6] == "a_b-mo"
    alone = [Path(j.out_dir).name for j in batch.plan(["in/a_b.mp4", "in/a b.mp4"], "out")]
    assert alone[0] == "a_b" and alone[1] == batch.folder_name("in/a b.mp4")
    assert alone[1] == names[3]  # the same folder for the same clip, whatever came with it


def test_resume_never_takes_another_clips_folder_for_done(tmp_path):
    first, second = batch.plan(["in/a_b.mp4", "in/a b.mp4"], str(tmp_path))
    fake_done(first)
    impostor = batch.Job(second.clip, first.out_dir)  # as the old naming would have planned
    assert batch.is_done(first) and not batch.is_done(impostor)


def test_resume_skips_finished_clips_and_keeps_going_past_errors(tmp_path):
    jobs = batch.plan(["a.mp4", "b.mp4", "c.mp4"], str(tmp_path))
    fake_done(jobs[0])
    given = []

    def runner(todo, workers, done):
        given.extend(j.clip for j in todo)
        for job in todo:
            if job.clip == "b.mp4":
                done({"clip": job.clip, "folder": job.out_dir, "status": "error", "error": "bad"})
            else:
                fake_done(job)
                done(
                    {"clip": job.clip, "folder": job.out_dir, "status": "ok"}
                    | batch.summary_of(job)
                )

    rows = batch.run_batch(jobs, workers=2, runner=runner).rows
    assert given == ["b.mp4", "c.mp4"]
    assert [r["status"] for r in rows] == ["done before", "error", "ok"]
    summary = tmp_path / "summary.csv"
    batch.write_summary(str(summary), rows)
    table = list(csv.DictReader(summary.open()))
    assert table[0]["trunk_lean_bottom_left"] == "2.0" and table[1]["error"] == "bad"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    for name in ("lunge_side_clean", "hinge_side_squat"):
        shutil.copy(SAMPLES / f"{name}.mp4", folder / f"{name}.mp4")
    (folder / "broken.mp4").write_text("a text file, renamed")
    return folder


def _summary(out):
    rows = {Path(r["clip"]).name: r for r in csv.DictReader((out / "summary.csv").open())}
    return rows


def test_batch_command_screens_resumes_and_reports_the_bad_clip(clips, tmp_path, capsys):
    out = tmp_path / "season"
    assert cli.main(["batch", str(clips), "--out", str(out), "--workers", "2", *FAST]) == 0
    rows = _summary(out)
    assert rows["broken.mp4"]["status"] == "error" and "broken.mp4" in rows["broken.mp4"]["error"]
    errors = capsys.readouterr().err.splitlines()
    (said,) = [line for line in errors if line.startswith("movement-screen: ") and "broken" in line]
    assert said.count("broken.mp4") == 1  # named once, by its path
    assert rows["hinge_side_squat.mp4"]["cues"] == "hinge_from_hips"
    assert rows["lunge_side_clean.mp4"]["status"] == "ok"
    assert (out / "lunge_side_clean" / "angles.csv").exists()
    assert cli.main(["batch", str(clips), "--out", str(out), *FAST]) == 0
    again = _summary(out)
    assert again["lunge_side_clean.mp4"]["status"] == "done before"
    assert again["lunge_side_clean.mp4"]["knee_flexion_deepest"] == rows[
        "lunge_side_clean.mp4"
    ].get("knee_flexion_deepest", "")


def test_dask_local_cluster_gives_the_same_results(clips, tmp_path):
    pytest.importorskip("dask.distributed")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert cli.main(["batch", str(clips), "--out", str(local), "--workers", "2", *FAST]) == 0
    assert (
        cli.main(
            ["batch", str(clips), "--out", str(dask), "--workers", "2", "--engine", "dask", *FAST]
        )
        == 0
    )
    a, b = _summary(local), _summary(dask)
    assert a.keys() == b.keys()
    for clip in a:
        same = {k: v for k, v in a[clip].items() if k not in ("folder", "seconds")}
        assert same == {k: v for k, v in b[clip].items() if k not in ("folder", "seconds")}, clip

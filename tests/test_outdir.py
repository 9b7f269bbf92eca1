"""The output folder: nothing the tool did not write is deleted, replaced or left behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from movement_screen import outdir, pipeline
from movement_screen.core import InputError
from tests.fixtures import sample_path, screening_from_truth

ROOT = Path(__file__).resolve().parents[1]
CLIP = str(sample_path("lunge_side_clean"))
FAST = pipeline.Outputs(html=False, pdf=False, video=False, trc=False)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder`: its bytes and mode."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _write(folder: Path) -> None:
    with outdir.output_folder(str(folder), CLIP) as work:
        for name in ("angles.csv", "report.json"):
            Path(work, name).write_text(name)


def test_a_new_folder_gets_the_outputs_and_nothing_else(tmp_path):
    target = tmp_path / "deep" / "out"
    _write(target)
    assert sorted(os.listdir(target)) == [outdir.MARKER, "angles.csv", "report.json"]
    assert sorted(os.listdir(tmp_path)) == ["deep"]  # no .partial-* or .old-* beside it
    assert outdir.belongs_to(str(target), CLIP)


def test_a_folder_with_other_files_is_refused_and_left_untouched(tmp_path):
    (tmp_path / "a.mp4").write_bytes(b"the athlete's only copy")
    (tmp_path / "notes.txt").write_text("keep me")
    before = _snapshot(tmp_path)
    with pytest.raises(InputError, match=r"already holds other files \(a.mp4, notes.txt\)"):
        _write(tmp_path)
    assert _snapshot(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["a.mp4", "notes.txt"]


def test_a_file_as_the_target_is_refused(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    with pytest.raises(InputError, match="is a file, not a folder"):
        _write(target)
    assert target.read_text() == "keep me"


def test_this_clips_outputs_are_replaced_in_place_keeping_the_folders_mode(tmp_path):
    target = tmp_path / "out"
    with outdir.output_folder(str(target), CLIP) as work:
        for name in ("angles.csv", "annotated.mp4", "report.json"):
            Path(work, name).write_text("old")
    os.chmod(target, 0o750)
    _write(target)  # this time without the video
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert sorted(os.listdir(target)) == [outdir.MARKER, "angles.csv", "report.json"]
    assert (target / "report.json").read_text() == "report.json"


def test_another_clips_outputs_or_unmarked_outputs_are_refused(tmp_path):
    target = tmp_path / "out"
    with outdir.output_folder(str(target), str(sample_path("hinge_side_clean"))) as work:
        Path(work, "report.json").write_text("{}")
    with pytest.raises(InputError, match=r"outputs of another clip \(hinge_side_clean.mp4\)"):
        _write(target)
    (target / outdir.MARKER).unlink()
    with pytest.raises(InputError, match="that it did not write"):
        _write(target)
    assert sorted(os.listdir(target)) == ["report.json"]


def test_a_failure_or_interruption_leaves_nothing(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    for error in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(error)), outdir.output_folder(str(tmp_path / "out"), CLIP) as w:
            Path(w, "angles.csv").write_text("half")
            raise error
        assert sorted(os.listdir(tmp_path)) == ["keep.txt"]
    existing = tmp_path / "empty"
    existing.mkdir()
    with pytest.raises(KeyboardInterrupt), outdir.output_folder(str(existing), CLIP):
        raise KeyboardInterrupt
    assert existing.is_dir() and os.listdir(existing) == []


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.export, "write_landmarks", full)
    with pytest.raises(InputError, match="cannot write the outputs .No space left on device"):
        pipeline.write_outputs(screening_from_truth("lunge_side_clean"), str(tmp_path / "o"), FAST)
    assert os.listdir(tmp_path) == []


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "movement_screen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_refuses_the_clips_own_folder_before_any_analysis(tmp_path):
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "a.mp4").write_bytes(Path(CLIP).read_bytes())
    (clips / "b.mp4").write_bytes(b"another clip")
    before = _snapshot(tmp_path)
    for out in ("clips", ".", "clips/a.mp4"):
        done = _cli("analyze", "clips/a.mp4", "--out", out, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("movement-screen: error:")
        assert _snapshot(tmp_path) == before
        assert sorted(os.listdir(tmp_path)) == ["clips"]


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only mount needs root (unshare -m)")
def test_cli_refuses_an_unwritable_out_before_any_analysis(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    command = [sys.executable, "-m", "movement_screen.cli", "analyze", CLIP]
    script = (
        f"mount --bind {locked} {locked} && mount -o remount,bind,ro {locked} && "
        f"exec {' '.join(command)} --out {locked}/out"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 2, done.stderr
    assert "cannot create the output folder" in done.stderr and done.stderr.count("\n") == 1

"""The report made in a process of its own: the same files as made in place, its errors
raised in the caller, a dead process replaced by making the report in place, and a
caller's script never run again in the child."""

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from movement_screen.report import worker
from tests.fixtures import screening_from_truth

RENDER = {"athlete": "Ann <b>", "notes": None, "comparison": None, "clinician": None,
          # a fixed time: two reports made a minute apart differ in their date line
          "created": datetime(2026, 1, 2, 3, 4, tzinfo=UTC)}  # fmt: skip


@pytest.fixture(scope="module")
def screening():
    return screening_from_truth("lunge_side_clean")


def _made_in_place(screening, folder: Path) -> str:
    folder.mkdir()
    worker._make(screening, str(folder), True, False, RENDER)
    return (folder / "report.html").read_text(encoding="utf-8")


def test_the_process_writes_the_same_report_as_the_caller_would(screening, tmp_path):
    (tmp_path / "out").mkdir()
    pending = worker.make(screening, str(tmp_path / "out"), html=True, pdf=True, **RENDER)
    assert pending.worker is not None  # made in the report's process, not here
    pending.result()
    assert (tmp_path / "out" / "report.pdf").read_bytes()[:5] == b"%PDF-"
    made_here = _made_in_place(screening, tmp_path / "here")
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == made_here


def test_an_error_in_the_process_is_raised_in_the_caller(screening, tmp_path):
    pending = worker.make(screening, str(tmp_path / "missing"), html=True, pdf=False, **RENDER)
    with pytest.raises(FileNotFoundError):
        pending.result()
    (tmp_path / "out").mkdir()  # and the process goes on serving
    later = worker.make(screening, str(tmp_path / "out"), html=True, pdf=False, **RENDER)
    later.result()
    assert later.worker is not None and (tmp_path / "out" / "report.html").is_file()


def test_a_report_process_that_died_is_replaced_by_making_the_report_here(screening, tmp_path):
    worker.start()
    first = worker._get()
    first.process.kill()
    first.process.wait()
    (tmp_path / "out").mkdir()
    pending = worker.make(screening, str(tmp_path / "out"), html=True, pdf=False, **RENDER)
    pending.result()
    assert (tmp_path / "out" / "report.html").is_file()
    assert worker._get() is not first  # the next report gets a fresh process


def test_a_second_report_meanwhile_is_made_in_the_caller(screening, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = worker.make(screening, str(tmp_path / "a"), html=True, pdf=False, **RENDER)
    second = worker.make(screening, str(tmp_path / "b"), html=True, pdf=False, **RENDER)
    assert first.worker is not None and second.worker is None
    assert (tmp_path / "b" / "report.html").is_file()  # already made, in this thread
    first.result()
    assert (tmp_path / "a" / "report.html").is_file()


def test_a_script_without_a_main_guard_is_not_run_again_in_the_report_process(tmp_path):
    script = tmp_path / "screen.py"
    script.write_text(
        textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(Path(__file__).parents[1])!r})
            from movement_screen.report import worker
            from tests.fixtures import screening_from_truth
            print("script ran")
            pending = worker.make(screening_from_truth("lunge_side_clean"), {str(tmp_path)!r},
                                  html=True, pdf=False, athlete=None)
            assert pending.worker is not None
            pending.result()
        """),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "script ran\n"
    assert "Traceback" not in done.stderr
    assert (tmp_path / "report.html").is_file()


def test_a_daemonic_process_makes_its_report_itself(screening, tmp_path, monkeypatch):
    """A worker of a batch pool may not have children; its reports are made in place."""
    import multiprocessing

    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    monkeypatch.setattr(worker, "_worker", None)
    pending = worker.make(screening, str(tmp_path), html=True, pdf=False, **RENDER)
    assert pending.worker is None and (tmp_path / "report.html").is_file()
    assert os.listdir(tmp_path) == ["report.html"]

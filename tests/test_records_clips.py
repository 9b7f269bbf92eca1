"""Annotated clips kept with stored screens: written by the tool, found for the baseline,
removed with their session, and never named by anything but a session id."""

from __future__ import annotations

import os
import stat

import pytest

from movement_screen import records
from movement_screen.core import InputError
from movement_screen.records import clips
from tests.records_helpers.reports import SPRINT_MEDIANS, make_report


def _later():
    """A follow-up screen: another day, another knee drive."""
    medians = {**SPRINT_MEDIANS, ("peak_thigh_angle", "left"): 80.0}
    return make_report(medians, created="2024-06-01T09:00:00+00:00")


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "club" / "records.sqlite3")


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "annotated.mp4"
    path.write_bytes(b"not really a video, but bytes to copy")
    return str(path)


def _store(db, clip, day, **kw):
    when = f"2024-05-{day:02d}T09:00:00+00:00"
    return records.store_screening(
        db, make_report(), athlete="Ana", when=when, **kw, review_clip=clip
    )


def test_the_baseline_clip_is_kept_and_found_for_a_later_screen(db, clip):
    _store(db, clip, 1)
    base = records.baseline_for(db, "Ana", _later())
    assert base["date"] == "2024-05-01"
    assert base["clip"] is not None and base["clip"].startswith(clips.folder(db))
    with open(base["clip"], "rb") as kept, open(clip, "rb") as source:
        assert kept.read() == source.read()
    assert stat.S_IMODE(os.stat(clips.folder(db)).st_mode) == 0o700
    assert base["report"]["movement"]["value"] == "sprint"
    assert [n for n in os.listdir(clips.folder(db)) if not n.endswith(".mp4")] == []


def test_no_baseline_for_the_baseline_itself_another_view_or_an_unknown_athlete(db, clip):
    _store(db, clip, 1)
    assert records.baseline_for(db, "Ana", make_report()) is None  # it is the baseline
    assert records.baseline_for(db, "Ana", make_report(view="front")) is None
    assert records.baseline_for(db, "Bo", make_report()) is None
    assert records.baseline_for(str(db) + ".absent", "Ana", make_report()) is None


def test_a_screen_saved_without_its_clip_has_none(db):
    records.store_screening(db, make_report(), athlete="Ana")
    base = records.baseline_for(db, "Ana", _later())
    assert base is not None and base["clip"] is None


def test_removing_a_session_removes_its_clip_and_nothing_else(db, clip):
    _store(db, clip, 1)
    _store(db, clip, 2)
    mine = os.path.join(clips.folder(db), "notes.txt")
    with open(mine, "w") as handle:
        handle.write("the user's own file")
    first = records.history(db, "Ana")["sessions"][0]["uuid"]
    assert clips.find(db, first) is not None
    records.remove_session(db, first)
    assert clips.find(db, first) is None
    assert sorted(os.listdir(clips.folder(db))) == sorted(
        ["notes.txt", f"{records.history(db, 'Ana')['sessions'][0]['uuid']}.mp4"]
    )


def test_a_failed_store_keeps_no_clip(db, clip):
    with pytest.raises(InputError):
        records.store_screening(db, make_report(), athlete="", review_clip=clip)
    with pytest.raises(InputError):
        records.store_screening(db, {"not": "a report"}, athlete="Ana", review_clip=clip)
    assert not os.path.isdir(clips.folder(db)) or os.listdir(clips.folder(db)) == []


def test_only_a_session_id_names_a_clip_file(db, clip):
    for bad in ("../../etc/passwd", "x/../y", "", None):
        with pytest.raises(InputError, match="not a session id"):
            clips.find(db, bad)
    with pytest.raises(InputError, match="could not keep the review clip"):
        clips.keep(db, "7c9e6679-7425-40de-944b-e07fc1f90ae7", clip + ".absent")

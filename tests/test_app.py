"""The Streamlit app, driven by Streamlit's AppTest: a sample screen, a bad upload, records.

Each analysis runs in a background thread; the tests rerun the script until it is done,
as the page's progress panel does every second.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from movement_screen import records, sharing, webapp
from tests import words as shown_words
from tests.real_data import WALK
from tests.records_helpers.reports import make_report

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TWO_PEOPLE = WALK
SAMPLE = "lunge_front_valgus"  # the app's default sample: two cues and a note
NAME = 'Zoë "Z" O\'Brien-Łukasz <b>'


def _settle(at: AppTest, limit: float = 300.0) -> AppTest:
    """Rerun until this session's job has finished, then once more to show its outcome."""
    deadline = time.monotonic() + limit
    at.run()
    while "job" in at.session_state and not at.session_state["job"].status().finished:
        assert time.monotonic() < deadline, "the screening did not finish in time"
        time.sleep(1.0)
        at.run()
    return at.run()


def _output_downloads(at: AppTest) -> list[str]:
    """The results' download buttons, in order (the history's export button comes after)."""
    return [d.label for d in at.download_button][: len(webapp.DOWNLOADS)]


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "error", "warning", "success", "info") for e in
             getattr(at, kind)]  # fmt: skip
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("records") / "records.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOVEMENT_SCREEN_DB", str(path))
        yield str(path)


@pytest.fixture(scope="module")
def screened(database):
    """An app session that has screened the default sample with one click."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception
    assert at.selectbox(key="sample").value == SAMPLE
    at.button(key="screen_sample").click()
    started = time.monotonic()
    _settle(at)
    print(f"sample screened in {time.monotonic() - started:.1f} s")
    return at


def test_first_page_offers_samples_upload_and_guidance():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.button(key="screen_sample").label == "Screen this sample"
    uploader = at.file_uploader(key="upload")
    assert set(uploader.allowed_type) >= {".mp4", ".mov", ".avi", ".m4v"} or set(
        uploader.allowed_type
    ) >= {"mp4", "mov", "avi", "m4v"}
    assert "MB" in uploader.label
    assert at.selectbox(key="movement").value == "automatic"
    assert at.selectbox(key="view").value == "automatic"
    guidance = "\n".join(m.value for m in at.sidebar.markdown)
    for words in ("Side view", "front view", "whole body in frame", "60 fps", "hip height"):
        assert words in guidance


def test_sample_screen_shows_cues_video_and_downloads(screened):
    at = screened
    assert not at.exception
    report = at.session_state["job"].result.report
    cue_boxes = [e.value for kind in ("error", "warning", "success") for e in getattr(at, kind)]
    assert report["cues"]  # the sample has faults: at least one cue, shown first
    for cue in report["cues"]:
        assert any(webapp.markdown_escape(cue["text"]) in box for box in cue_boxes)
    assert _output_downloads(at) == [name for name, _ in webapp.DOWNLOADS]
    assert len(at.get("component_instance")) == 1  # the review player
    assert len(at.image) >= 2  # angle plot with bands, drift (a front lunge has no pairs)
    assert len(at.dataframe) >= 2  # findings, data quality
    assert "What limits trust in this clip" in _texts(at)
    out_dir = at.session_state["job"].result.out_dir
    shown = [n for n in os.listdir(out_dir) if not n.startswith(".")]  # not the owner marker
    assert sorted(shown) == sorted(name for name, _ in webapp.DOWNLOADS)


def test_bad_upload_says_so_and_nothing_breaks(database):
    at = AppTest.from_file(APP, default_timeout=120).run()
    name = "holiday *notes* [x](y) <b>.mp4"  # Markdown and HTML in a name stay text
    at.file_uploader(key="upload").set_value((name, b"not a video\n", "video/mp4"))
    at.run()
    at.button(key="screen_upload").click()
    _settle(at, limit=120)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith(webapp.markdown_escape(name) + "\\: not a video")
    plain = re.sub(r"\\(.)", r"\1", message)
    assert webapp.FOLDER_PREFIX not in plain and "upload.mp4" not in plain  # no private path
    assert not at.download_button
    assert not os.path.exists(at.session_state["job"].workspace.path)  # upload removed
    # the page still works: the sample button is there and a rerun is clean
    at.run()
    assert not at.exception and at.button(key="screen_sample").label


def test_save_to_history_with_quotes_and_unicode(screened, database):
    at = screened
    at.text_input(key="athlete_name").input(NAME)
    at.number_input(key="pain").set_value(3.0)
    at.number_input(key="rpe").set_value(6.0)
    at.text_area(key="notes").input("felt 'tight' <script>alert(1)</script>")
    at.button[[b.label for b in at.button].index("Save to history")].click()
    at.run()
    assert not at.exception
    assert any("Saved to the history of" in s.value for s in at.success)
    history = records.history(database, NAME)
    (session,) = history["sessions"]
    assert history["athlete"]["name"] == NAME.strip()
    assert session["pain_before"] == 3.0 and session["rpe"] == 6.0
    assert session["notes"] == "felt 'tight' <script>alert(1)</script>"
    assert session["clip_file"] == f"{SAMPLE}.mp4" and session["baseline"]
    # the history view shows it, names and notes as data, not markup
    assert at.selectbox(key="h_athlete").value == NAME.strip()
    tables = [d.value for d in at.dataframe]
    assert any("Notes" in t.columns and t["Notes"].iloc[0] == session["notes"] for t in tables)
    assert not any("<b>" in m.value and "\\<b\\>" not in m.value for m in at.markdown)
    # saving the same screen again for the same athlete does not store it twice
    at.button[[b.label for b in at.button].index("Save to history")].click()
    at.run()
    assert len(records.history(database, NAME)["sessions"]) == 1


def test_a_second_analysis_replaces_a_running_one(database):
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.selectbox(key="sample").set_value("hinge_side_clean")
    at.button(key="screen_sample").click().run()
    first = at.session_state["job"]
    assert not first.status().finished
    at.selectbox(key="sample").set_value("lunge_side_clean")
    at.button(key="screen_sample").click().run()
    second = at.session_state["job"]
    assert second is not first and second.workspace.path != first.workspace.path
    assert first.wait(120)  # stopped at its next progress report
    assert first.result is None and first.error is None
    assert not os.path.exists(first.workspace.path)  # its folder is gone, all of it
    _settle(at)
    assert not at.exception
    assert second.result.clip.name == "lunge_side_clean.mp4"
    assert os.path.isfile(second.result.file("report.json"))
    assert "Results: lunge\\_side\\_clean\\.mp4" in [h.value for h in at.header]


def test_cancel_stops_the_run_and_removes_its_folder(database):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.button(key="screen_sample").click().run()
    job = at.session_state["job"]
    assert len(at.progress) == 1 and not job.status().finished
    at.button(key="cancel").click().run()
    assert not at.exception
    assert "job" not in at.session_state and not at.progress
    assert job.wait(120) and job.result is None
    assert not os.path.exists(job.workspace.path)


def _two_people_uploaded() -> AppTest:
    """A session that uploaded the real two-people walk clip and clicked to screen it."""
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.file_uploader(key="upload").set_value(
        (TWO_PEOPLE.name, TWO_PEOPLE.read_bytes(), "video/mp4")
    )
    at.run()
    at.button(key="screen_upload").click()
    return at.run()


def _screen_person(at: AppTest, radio: str, number: int) -> dict:
    """Pick person `number` in the picker's `radio`, screen them: their report.json."""
    at.radio(key=radio).set_value(number)
    at.run()
    at.button(key="screen_person").click()
    _settle(at)
    assert not at.exception
    report = at.session_state["job"].result.report
    assert report["athlete"]["method"] == "given"
    return report


def _two_people_picker() -> AppTest:
    """A session that uploaded the real two-people walk clip and got the athlete picker."""
    return _settle(_two_people_uploaded())


@pytest.mark.skipif(not TWO_PEOPLE.is_file(), reason=f"{TWO_PEOPLE} (real data) is not here")
def test_several_people_the_user_picks_the_athlete(database):
    at = _two_people_picker()
    assert not at.exception
    choice = at.radio(key="person")
    assert choice.options == ["Person 1", "Person 2"]
    people = at.session_state["job"].result
    captions = [c for image in at.image for c in image.captions]
    assert f"2 people at {people.time_s:.1f} s, numbered left to right" in captions
    walker = max(range(2), key=lambda i: people.boxes[i][3])  # lowest feet: the walker
    assert choice.value == walker + 1  # preselected: the command line's choice, the woman
    assert f"Best guess: person {walker + 1}" in _texts(at) and "moving" in people.reason
    report = _screen_person(at, "person", walker + 1)
    assert report["video"]["file"] == "walk_side_two_people_sports2d.mp4"  # its own name
    assert report["video"]["path"].endswith("upload.mp4")  # the private copy analysed
    assert _output_downloads(at) == [name for name, _ in webapp.DOWNLOADS]


@pytest.fixture
def shared_on_network():
    """The app as if started with a network address (not localhost)."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        yield
    finally:
        config.set_option("server.address", before)


def _all_text(at: AppTest) -> str:
    boxes = [s.options for s in at.selectbox]
    captions = [c.value for c in at.sidebar.caption] + [c.value for c in at.caption]
    return "\n".join([_texts(at), *map(str, boxes), *captions])


@pytest.fixture
def own_database(tmp_path, monkeypatch):
    path = str(tmp_path / "records.sqlite3")
    monkeypatch.setenv("MOVEMENT_SCREEN_DB", path)
    return path


def test_shared_app_shows_no_ones_records(own_database, shared_on_network):
    database = own_database
    records.add_athlete(database, "Private Person", notes="knee pain")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Private Person" not in _all_text(at) and database not in _all_text(at)
    assert "Athlete records are off because this app is shared" in _texts(at)


def test_shared_clinic_records_open_only_with_the_password(
    own_database, shared_on_network, monkeypatch
):
    database = own_database
    records.add_athlete(database, "Clinic Athlete")
    monkeypatch.setenv(sharing.SHARED_DB, database)
    monkeypatch.setenv(sharing.PASSWORD, "open sesame")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "Clinic Athlete" not in _all_text(at)
    for given, opens in (("wrong", False), ("open sesame", True)):
        at.text_input(key="password_history").input(given)
        next(b for b in at.button if b.label == "Open the records").click()
        at.run()
        assert not at.exception
        assert ("Clinic Athlete" in _all_text(at)) is opens
    assert at.selectbox(key="h_athlete").value == "Clinic Athlete"


def test_a_detected_movement_can_be_rescreened_as_another_in_one_click(database):
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.selectbox(key="sample").set_value("hinge_side_clean")
    at.button(key="screen_sample").click()
    _settle(at)
    first = at.session_state["job"]
    assert first.result.report["movement"]["value"] == "hinge"
    assert {b.key for b in at.button} >= {"again_sprint", "again_lunge"}
    at.button(key="again_lunge").click()
    _settle(at)
    assert not at.exception
    movement = at.session_state["job"].result.report["movement"]
    assert (movement["value"], movement["source"]) == ("lunge", "given")
    assert not os.path.exists(first.workspace.path)  # the first screen's folder is gone


@pytest.mark.skipif(not TWO_PEOPLE.is_file(), reason=f"{TWO_PEOPLE} (real data) is not here")
def test_the_athlete_can_be_picked_while_the_scan_still_looks(database, monkeypatch):
    """The first moment with two people is shown with no guess while the scan goes on
    (here held at its end until the pick); picking there stops the scan and screens the
    person picked."""
    import threading
    from dataclasses import replace

    from movement_screen import tracking

    release, real = threading.Event(), tracking.auto_choice

    def held(info, models_dir="models", seen=None):
        picked = real(info, models_dir, seen=seen)
        release.wait(120)
        return picked

    monkeypatch.setattr(tracking, "auto_choice", held)
    at = _two_people_uploaded()
    scan, deadline = at.session_state["job"], time.monotonic() + 120
    while scan.shown is None:
        assert time.monotonic() < deadline and not scan.status().finished
        time.sleep(0.5)
    at.run()
    assert "Still looking through the clip" in _texts(at) and at.progress
    assert at.radio(key="person_early").value is None  # no guess yet
    assert at.button(key="screen_person").disabled
    early = scan.shown
    walker = max(range(len(early.boxes)), key=lambda i: early.boxes[i][3])
    empty = (0.0, 0.0, 12.0, 12.0)  # first a corner where nobody stands: not found
    scan.shown = replace(early, boxes=[b if i == walker else empty
                                       for i, b in enumerate(early.boxes)])  # fmt: skip
    at.run()
    at.radio(key="person_early").set_value(1 if walker else 2)
    at.run()
    at.button(key="screen_person").click()
    at.run()
    release.set()
    assert scan.wait(60) and at.session_state["job"] is not scan
    _settle(at)
    assert any("no person at" in e.value for e in at.error)
    assert "pick the athlete again" in _texts(at) and "Still looking" not in _texts(at)
    assert os.path.exists(early.clip.path)  # the stopped scan's upload, to pick again
    report = _screen_person(at, "person_early", walker + 1)
    assert report["athlete"]["time_s"] == pytest.approx(early.time_s, abs=0.05)


@pytest.mark.skipif(not TWO_PEOPLE.is_file(), reason=f"{TWO_PEOPLE} (real data) is not here")
def test_the_picker_stays_when_the_picked_person_is_not_found(database):
    from dataclasses import replace

    at = _two_people_picker()
    people = at.session_state["job"].result
    empty = (0.0, 0.0, 12.0, 12.0)  # a corner where nobody stands
    at.session_state["job"].result = replace(people, boxes=[empty, *people.boxes[1:]])
    at.radio(key="person").set_value(1)
    at.run()
    at.button(key="screen_person").click()
    _settle(at)
    assert not at.exception
    assert any("no person at" in e.value for e in at.error)
    assert at.radio(key="person").options == ["Person 1", "Person 2"]  # pick again
    assert os.path.exists(people.clip.path)  # the upload is still there to pick from


def _screen_sample_for(
    at: AppTest, name: str, reason: str, pain: float, sample: str = SAMPLE
) -> AppTest:
    if at.text_input(key="who_name").value != name:
        at.text_input(key="who_name").input(name)
    at.selectbox(key="who_reason").set_value(reason)
    at.selectbox(key="who_side").set_value("left")
    at.number_input(key="who_pain").set_value(pain)
    at.selectbox(key="sample").set_value(sample)
    at.run()
    at.button(key="screen_sample").click()
    return _settle(at)


def test_the_athlete_comes_first_and_every_output_carries_them(database):
    """Name the athlete before the screen: the report names them and the clip, the save
    form is filled in, and the next screen is compared with the baseline saved."""
    name = "Ana Silva-Łukasz"
    at = _screen_sample_for(
        AppTest.from_file(APP, default_timeout=300).run(), name, "baseline", 2.0
    )
    assert not at.exception
    result = at.session_state["job"].result
    assert result.clip.athlete.name == name
    page = Path(result.file("report.html")).read_text(encoding="utf-8")
    for words in (name, f"{SAMPLE}.mp4", "Reason for the screen", "baseline",
                  "Painful side", "Pain before", "2/10"):  # fmt: skip
        assert words in page, words
    assert "Compared with baseline" not in page  # nothing saved yet
    assert at.text_input(key="athlete_name").value == name
    assert at.number_input(key="pain").value == 2.0
    assert [c.value for c in at.checkbox][0] is True  # a baseline screen: saved as baseline
    at.button[[b.label for b in at.button].index("Save to history")].click()
    at.run()
    assert any("Saved to the history of" in s.value for s in at.success)
    # a follow-up of the same athlete (another clip), picked from the history this time
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.selectbox(key="who_known").set_value(name)
    at.run()
    assert at.text_input(key="who_name").value == name
    at = _screen_sample_for(at, name, "follow-up", 1.0, "lunge_front_clean")  # same movement
    page = Path(at.session_state["job"].result.file("report.html")).read_text(encoding="utf-8")
    assert "Compared with baseline" in page and "follow-up" in page


def test_a_session_saved_by_mistake_is_removed_after_a_confirmation(screened, database):
    name = "Remove Me"
    at = screened
    at.text_input(key="athlete_name").input(name)
    at.button[[b.label for b in at.button].index("Save to history")].click()
    at.run()
    (session,) = records.history(database, name)["sessions"]
    at.selectbox(key="h_athlete").set_value(name)
    at.run()
    assert any(b.label == f"Export {name}'s records (JSON)" for b in at.download_button)
    at.selectbox(key="remove_pick").set_value(session["uuid"])
    at.run()
    assert at.button(key="remove_session").disabled  # not before the confirmation
    at.checkbox(key="remove_sure").check()
    at.run()
    at.button(key="remove_session").click()
    at.run()
    assert not at.exception
    assert records.history(database, name)["sessions"] == []
    assert any("Removed the lunge screen of Remove Me from" in s.value for s in at.success)


def _everything_shown(at: AppTest) -> str:
    """Every word the page shows: text, headings, captions, table cells, widget labels."""
    parts = [_texts(at)]
    for kind in ("title", "header", "subheader", "caption"):
        parts += [e.value for e in getattr(at, kind)] + [e.value for e in getattr(at.sidebar, kind)]
    parts += [e.value for e in at.sidebar.markdown]
    for frame in at.dataframe:
        table = frame.value
        cells = table.to_numpy().ravel()
        parts += [str(c) for c in table.columns] + ["None" if v != v else str(v) for v in cells]
    for kind in ("button", "download_button", "selectbox", "checkbox", "text_input",
                 "number_input", "radio"):  # fmt: skip
        for widget in getattr(at, kind):
            parts.append(str(widget.label))
            parts += [str(o) for o in getattr(widget, "options", [])]
    return "\n".join(parts)


def test_no_internal_id_none_or_flag_reaches_the_page(screened, database):
    report = make_report({}, movement="single_leg_squat", view="front", rules=[], cues=())
    records.store_screening(database, report, athlete="Leak Check")
    screened.run()  # the history lists them now
    screened.selectbox(key="h_athlete").select("Leak Check").run()
    shown = _everything_shown(screened)
    assert "Single-leg squat" in shown  # their stored session, in the history's table
    assert "Knee caving in" in shown or "knee" in shown.lower()  # the scan sees the results
    assert shown_words.leaks(shown) == []  # an empty table cell (None, NaN) counts as "None"


def _save_shown(at: AppTest) -> None:
    at.button[[b.label for b in at.button].index("Save to history")].click()
    at.run()
    assert any("Saved to the history of" in s.value for s in at.success)


def test_a_front_and_a_side_clip_make_one_session_report(database):
    at = _screen_sample_for(AppTest.from_file(APP, default_timeout=300).run(), "Sam Two-View",
                            "baseline", 1.0, "lunge_front_valgus")  # fmt: skip
    at.button(key="add_clip").click()
    at.run()
    assert not at.exception
    _save_shown(at)
    at = _screen_sample_for(at, "Sam Two-View", "baseline", 1.0, "lunge_side_trunk_lean")
    at.button(key="add_clip").click()
    at.run()
    assert not at.exception
    _save_shown(at)
    stored = records.history(database, "Sam Two-View")["sessions"]
    assert [s["view"] for s in stored] == ["front", "side"]
    assert stored[0]["visit"] and stored[0]["visit"] == stored[1]["visit"]  # one screen
    labels = [b.label for b in at.download_button]
    assert "Session report (PDF)" in labels and "Session report (HTML)" in labels
    _, paths, _ = at.session_state["session_files"]
    page = Path(paths["session.html"]).read_text(encoding="utf-8")
    assert "Lunge, front view (lunge_front_valgus.mp4)" in page
    assert "Lunge, side view (lunge_side_trunk_lean.mp4)" in page
    assert "Sam Two-View" in page and "Reason for the screen" in page
    assert Path(paths["session.pdf"]).read_bytes()[:5] == b"%PDF-"
    at.button(key="new_session").click()
    at.run()
    assert at.session_state["session_parts"] == []  # a new, empty session


def test_a_sprint_filmed_from_both_sides_is_read_together_in_the_session(database, tmp_path):
    """The knee-drive sample (its false 'even sides' comes from the camera's side) and the
    same athlete rendered from the other side, both added to the session: the session
    lists left against right from both sides, within noise, and its report has no
    left-right cue."""
    import dataclasses

    from movement_screen.synth.clips import clip_set
    from movement_screen.synth.generate import make_clip

    spec = {s.name: s for s in clip_set("samples")}["sprint_side_knee_drive"]
    twin = dataclasses.replace(spec, name="knee_drive_other_side", facing="right")
    make_clip(twin, tmp_path)
    at = _screen_sample_for(AppTest.from_file(APP, default_timeout=300).run(), "Sam Both-Sides",
                            "baseline", 1.0, "sprint_side_knee_drive")  # fmt: skip
    assert "even_sides" in [c["id"] for c in at.session_state["job"].result.report["cues"]]
    at.button(key="add_clip").click()
    at.run()
    clip = (tmp_path / "knee_drive_other_side.mp4").read_bytes()
    at.file_uploader(key="upload").set_value(("other_side.mp4", clip, "video/mp4"))
    at.run()
    at.button(key="screen_upload").click()
    _settle(at)
    at.button(key="add_clip").click()
    at.run()
    assert not at.exception
    shown = _texts(at).replace("\\", "")  # Markdown's escapes
    assert "from both sides (sprint_side_knee_drive.mp4, other_side.mp4)" in shown
    assert "Hip extension at push-off, left minus right" in shown and "within noise" in shown
    _, paths, _ = at.session_state["session_files"]
    page = Path(paths["session.html"]).read_text(encoding="utf-8")
    assert "Left against right, from both sides" in page
    assert "left and right strides differ" not in page  # the camera's side made it
    assert "Ease off the knee drive" in page


def test_a_clip_that_lost_its_rotation_says_so_and_offers_no_movement(database, tmp_path):
    """The athlete lies across the picture: one warning why nothing was screened, and no
    'screen it again as' buttons, which would give the same."""
    import av
    import cv2

    from movement_screen import video
    from tests.fixtures import sample_path

    path = tmp_path / "sideways.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 540, 960, "yuv420p"
        for _, _, rgb in video.frames(str(sample_path("lunge_side_clean"))):
            frame = cv2.rotate(rgb, cv2.ROTATE_90_COUNTERCLOCKWISE)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.file_uploader(key="upload").set_value(("sideways.mp4", path.read_bytes(), "video/mp4"))
    at.run()
    at.button(key="screen_upload").click()
    _settle(at)
    assert not at.exception
    warned = [w.value for w in at.warning]
    assert any(
        w.startswith("The athlete lies across the picture (head to the left)") for w in warned
    )
    assert not any(str(b.key).startswith("again_") for b in at.button)
    assert not at.session_state["job"].result.report["cues"]

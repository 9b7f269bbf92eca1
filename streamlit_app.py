"""movement-screen in the browser: screen a clip, read the cues, download the reports, keep records.

Run it with `python3 -m uv run --locked streamlit run streamlit_app.py`. There is no
analysis logic here: it calls the `movement_screen` package (helpers that are not UI
live in `movement_screen/webapp.py`). Each analysis runs in a background thread with
its own private folder and pose model; a session keeps its state in st.session_state.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import threading
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit import runtime
from streamlit.components import v1 as components

from movement_screen import movements, quality, records, review, screening, sharing, webapp
from movement_screen.core import VIDEO_SUFFIXES, InputError, Movement, View
from movement_screen.records import exchange
from movement_screen.records import plots as record_plots
from movement_screen.report import names, view

ROOT = Path(__file__).resolve().parent
SAMPLES = ROOT / "sample_videos"
MODELS = str(ROOT / "models")
PLAYER = components.declare_component(
    "review_player", path=str(Path(review.__file__).parent / "player")
)
DEFAULT_SAMPLE = "lunge_front_valgus"  # a pelvis and a trunk cue, and why the knee is not read
AUTO = "automatic"
AGAIN_PER_ROW = 2  # "screen it again as" buttons a row, in the narrow column beside the video
CUE_BOX = {"flag": st.error, "watch": st.warning, "ok": st.success}
FILMING = """
- **Side view** for sprints and hip hinges; **front view** (or from behind) for pelvic drop
  in lunges and single-leg squats, and knee tracking in single-leg squats (at the bottom of
  a lunge the front thigh points at the camera, so the knee cannot be read there).
- For pelvic drop: **shorts or leggings in a colour unlike the top's, the top tucked in**, so
  the waistband shows.
- The **whole body in frame** the whole time, the athlete filling at least a third of the height.
- Camera on a **tripod at hip height, level**, square to the movement (not at an angle): a
  camera tilted 5 degrees tilts every angle read from the vertical by 5, unless the
  background's straight edges (walls, door frames, lines) let the tool take it out.
- **At least 60 fps for sprints** (30 fps is fine for lunges and hinges).
- 3 or more strides per leg or 3 or more reps (a side); good light, one athlete in the middle.
- To compare **left against right from the side**, film one clip from each side of the
  athlete and add both to the session: that takes out what the camera's side adds.
"""


def main() -> None:
    st.set_page_config(page_title="Movement screen", page_icon="🏃", layout="wide")
    _warm_up()
    _sidebar()
    st.title("Movement screen")
    st.markdown(
        "Screen a **sprint, lunge, hip hinge or single-leg squat** from one clip: joint angles, "
        "coaching cues, reports and athlete records. Everything runs on this computer, offline. "
        "For screening and coaching, not diagnosis."
    )
    athlete = _athlete_first()
    movement, view = _choices()
    left, right = st.columns(2, gap="large")
    with left:
        _sample_box(movement, view, athlete)
    with right:
        _upload_box(movement, view, athlete)
    _current_work()
    st.divider()
    _history()


@st.cache_resource(show_spinner=False)
def _warm_up() -> threading.Thread:
    """Once per app: the pose models and the report's process made ready while the user
    picks a clip, so the first scan for people takes no longer than the next."""
    thread = threading.Thread(
        target=webapp.warm_up, args=(MODELS,), name="movement-screen-warm-up", daemon=True
    )
    thread.start()
    return thread


def _sidebar() -> None:
    with st.sidebar:
        st.header("How to film")
        st.markdown(FILMING)
        st.caption(
            "The screen checks these itself and says so under Data quality: the view "
            "(side or front), an oblique camera, how much of the clip the athlete is found "
            "in, how big they are in the frame and the frame rate."
        )
        access = _access()
        st.caption(access.why)
        if access.password is None and access.db is not None:
            st.code(access.db, language=None, wrap_lines=True)


def _access() -> sharing.RecordsAccess:
    """Who may see records here: the person at this computer, or nobody unless deliberately
    shared with a password (see `movement_screen.sharing`)."""
    return sharing.records_access(st.get_option("server.address"), os.environ)


def _records_open(access: sharing.RecordsAccess, where: str) -> bool:
    """Records may be shown and saved in this browser session (asks the password if set)."""
    if access.db is None:
        st.info(access.why)
        return False
    if access.password is None or st.session_state.get("records_unlocked"):
        return True
    with st.form(f"records_password_{where}"):
        given = st.text_input("Records password", type="password", key=f"password_{where}")
        if st.form_submit_button("Open the records") and access.unlocks(given):
            st.session_state.records_unlocked = True
            st.rerun()
        elif given:
            st.error("That is not the records password.")
    return False


def _athlete_first() -> webapp.Athlete | None:
    """Whom the screen is for, before the analysis: the report, the downloads and the
    history all carry it (None: not said, the screen is anonymous)."""
    st.subheader("Who is this screen for?")
    access = _access()
    known = _known_athletes(access)
    one, two, three = st.columns([2, 1, 2])
    if known:
        one.selectbox(
            "Pick from the history", known, index=None, placeholder="An athlete seen before",
            key="who_known", on_change=_fill_name,
        )  # fmt: skip
    name = one.text_input("Athlete's name (optional)", key="who_name", max_chars=200)
    athlete_id = two.text_input("ID (optional)", key="who_id", max_chars=60)
    clinician = three.text_input("Clinician (optional)", key="who_clinician", max_chars=200)
    side, reason, pain, rpe = st.columns(4)
    scale = {"min_value": 0.0, "max_value": 10.0, "value": None, "step": 1.0}
    painful = side.selectbox("Painful side", webapp.PAINFUL_SIDES, key="who_side")
    why = reason.selectbox(
        "Reason for the screen", webapp.REASONS, index=None, placeholder="Not said",
        key="who_reason",
    )  # fmt: skip
    before = pain.number_input("Pain before (0-10, optional)", key="who_pain", **scale)
    effort = rpe.number_input("Session RPE (0-10, optional)", key="who_rpe", **scale)
    if not name.strip():
        return None
    return webapp.Athlete(
        name.strip(), athlete_id.strip(), painful, why or "", before, effort, clinician.strip()
    )


def _fill_name() -> None:
    """An athlete picked from the history becomes the name the screen is for."""
    if st.session_state.get("who_known"):
        st.session_state.who_name = st.session_state.who_known


def _known_athletes(access: sharing.RecordsAccess) -> list[str]:
    """Names in the records store, when this browser session may read it."""
    if access.db is None or (access.password and not st.session_state.get("records_unlocked")):
        return []
    try:
        return [a["name"] for a in records.athletes(access.db)]
    except InputError:
        return []


def _movement_name(value: str) -> str:
    """A movement's name on a button ('Single-leg squat'); other choices as they are."""
    known = {m.value: m for m in Movement}
    return movements.get(known[value]).button if value in known else value


def _choices() -> tuple[Movement | None, View | None]:
    """The movement and view to use: automatic detection unless the user sets them."""
    one, two, _ = st.columns([1, 1, 2])
    movement = one.selectbox(
        "Movement",
        [AUTO, *(m.value for m in Movement)],
        format_func=_movement_name,
        key="movement",
    )
    view = two.selectbox("Camera view", [AUTO, *(v.value for v in View)], key="view")
    return (
        None if movement == AUTO else Movement(movement),
        None if view == AUTO else View(view),
    )


def _sample_box(movement: Movement | None, view: View | None, athlete) -> None:
    st.subheader("Try a sample clip")
    clips = sorted(p.stem for p in SAMPLES.glob("*.mp4"))
    if not clips:
        st.caption("No sample clips found in sample_videos/.")
        return
    index = clips.index(DEFAULT_SAMPLE) if DEFAULT_SAMPLE in clips else 0
    stem = st.selectbox(
        "Sample clip (synthetic athletes with known angles)",
        clips,
        index=index,
        format_func=lambda s: s.replace("_", " "),
        key="sample",
    )
    if st.button("Screen this sample", type="primary", key="screen_sample"):
        path = str(SAMPLES / f"{stem}.mp4")
        _start(webapp.Clip(path, f"{stem}.mp4", webapp.Workspace(), movement, view, athlete))


def _upload_box(movement: Movement | None, view: View | None, athlete) -> None:
    st.subheader("Or screen your own clip")
    limit = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(
        f"Video file: mp4, mov, m4v, avi, mkv or webm, up to {limit} MB",
        type=[e.lstrip(".") for e in VIDEO_SUFFIXES],
        key="upload",
    )
    if st.button("Screen my clip", disabled=upload is None, key="screen_upload"):
        _start_upload(upload, movement, view, athlete)


def _start_upload(upload, movement: Movement | None, view: View | None, athlete) -> None:
    """Save the upload in a new private folder and start screening it."""
    _discard_work()
    st.session_state.pop("picker", None)
    workspace = webapp.Workspace()
    name = webapp.display_name(upload.name)
    try:
        path = webapp.save_upload(upload, upload.name, workspace.path)
    except InputError as error:
        workspace.remove()
        st.session_state.message = str(error)
        return
    _start(webapp.Clip(path, name, workspace, movement, view, athlete))


def _readable_db() -> str | None:
    """The records store, when this browser session may read it (for the baseline)."""
    access = _access()
    if access.password and not st.session_state.get("records_unlocked"):
        return None
    return access.db


def _discard_work() -> None:
    """Drop this session's running job or shown results, and their private folder."""
    job = st.session_state.pop("job", None)
    if job is not None:
        job.discard()
    st.session_state.pop("message", None)


def _start(clip: webapp.Clip) -> None:
    _discard_work()
    st.session_state.pop("picker", None)
    target = functools.partial(
        webapp.screen_or_ask, clip, models_dir=MODELS, records_db=_readable_db()
    )
    st.session_state.job = webapp.Job(clip.workspace, target, shows=True)


def _start_with_hint(people: webapp.People, number: int) -> None:
    """Screen the person the user picked, from a copy of the clip: if that person is not
    found, the picker (and the clip behind it) is still there to pick again."""
    pick = webapp.Pick(webapp.hint_for(people, number), people.choice)
    clip = dataclasses.replace(webapp.again_as(people.clip, people.clip.movement), pick=pick)
    scan = st.session_state.get("job")
    if scan is not None:
        scan.stop()  # picked while the scan may still look: its clip stays for picking again
    target = functools.partial(webapp.screen, clip, models_dir=MODELS, records_db=_readable_db())
    st.session_state.picker = people
    st.session_state.job = webapp.Job(clip.workspace, target)


def _current_work() -> None:
    """Whatever this session is at: an error, a run in progress, a choice, or results."""
    if st.session_state.get("message"):
        st.error(webapp.markdown_escape(st.session_state.message))
    job = st.session_state.get("job")
    if job is None:
        return
    if not job.status().finished:
        _progress()
    elif job.error:
        st.error(webapp.markdown_escape(job.error))
        if st.session_state.get("picker") is not None:
            _pick_athlete(st.session_state.picker)  # pick again
    elif isinstance(job.result, webapp.People):
        _pick_athlete(job.result)
    elif isinstance(job.result, webapp.Result):
        _results(job.result)


@st.fragment(run_every=1.0)
def _progress() -> None:
    """The running job's stage, share done and time left; redrawn every second alone."""
    job = st.session_state.get("job")
    if job is None or job.status().finished:
        st.rerun()  # the whole page: show what the job ended with
    status = job.status()
    stage = status.stage[:1].upper() + status.stage[1:]
    st.progress(status.done, text=f"{stage}… {webapp.format_left(status.left)}")
    st.button("Cancel", key="cancel", on_click=_discard_work)
    if isinstance(job.shown, webapp.People):
        _pick_athlete(job.shown, looking=True)  # the scan's first people, while it goes on


def _pick_athlete(people: webapp.People, *, looking: bool = False) -> None:
    """Several people in the clip: the user says which one is the athlete (from the
    scan's first people while it still `looking`, or from the moment it judged)."""
    st.subheader("Who is the athlete?")
    count = len(people.boxes)
    st.image(
        people.picture,
        caption=f"{count} people at {people.time_s:.1f} s, numbered left to right",
        width=720,
    )
    if people.best:
        st.markdown(
            f"**Best guess: person {people.best}**, {webapp.markdown_escape(people.reason)}. "
            "Pick another if that is not the athlete."
        )
    elif looking:
        st.markdown(
            "Still looking through the clip for a best guess. "
            "If you know who the athlete is, pick them now."
        )
    else:
        st.markdown("Picked before the tool had made a best guess: pick the athlete again.")
    number = st.radio(
        "The athlete is",
        list(range(1, count + 1)),
        index=people.best - 1 if people.best else None,
        format_func=lambda n: f"Person {n}",
        horizontal=True,
        key="person" if people.best else "person_early",
    )
    label = f"Screen person {number}" if number else "Pick a person to screen"
    if st.button(label, type="primary", key="screen_person", disabled=not number):
        _start_with_hint(people, number)
        st.rerun()


def _results(result: webapp.Result) -> None:
    report = result.report
    st.divider()
    st.header(f"Results: {webapp.markdown_escape(result.clip.name)}")
    _cues(report)
    video, about = st.columns([3, 2], gap="large")
    with video:
        _review(result)
    with about:
        _about(report)
        _choose_movement(result)
    _beside_baseline(result)
    _downloads(result)
    _session_box(result)
    _angles(result)
    _findings(report)
    _left_right(result)
    _drift(result)
    _quality(report)
    _athlete_box(result)


def _beside_baseline(result: webapp.Result) -> None:
    """This clip and the athlete's baseline clip side by side, paused on the same moment."""
    who, db = result.clip.athlete, _readable_db()
    if who is None or not who.name or db is None:
        return
    try:
        base = records.baseline_for(db, who.name, result.report)
    except InputError as error:
        st.error(webapp.markdown_escape(error))
        return
    if base is None:
        return
    st.subheader(f"Beside the baseline of {base['date']}")
    found = review.pairs(base["report"], result.report)
    if base["clip"] is None or not found:
        st.info(review.no_pairs_text(base["clip"] is not None))
        return
    st.caption(
        "Both clips pause on the same moment: pick one below, or step both a frame at a time. "
        "A finding's two typical values and their change are judged against its noise."
    )
    clips = [
        review.stored_clip(base["report"], _media_url(base["clip"], "review-baseline"),
                           f"Baseline, {base['date']}"),
        review.clip_data(result.screening, result.report,
                         _media_url(result.file("annotated.mp4"), "review-today"), "Today"),
    ]  # fmt: skip
    PLAYER(clips=clips, items=review.pair_items(found), start=review.opening(found),
           key="beside", default=None)  # fmt: skip


def _choose_movement(result: webapp.Result) -> None:
    """When the movement was detected: say how sure, and rescreen as another in one click."""
    movement, seen_as = result.report["movement"], result.report["view"]
    if not seen_as.get("upright", True):  # no movement is read, chosen or not
        said = quality.lying_across(seen_as["body_turn_deg"])
        st.warning(f"{said[0].upper()}{said[1:]}.")
        return
    if movement["source"] != "detected":
        return
    if movement["value"] is None and (movement.get("seen") or movement.get("detected")):
        said = (
            screening.not_screened(movement["seen"])
            if movement.get("seen")
            else screening.no_complete(Movement(movement["detected"]))
        )
        st.warning(f"{said[0].upper()}{said[1:]}.")
    elif movement["value"] is None:
        st.warning(f"Not recognised as {movements.one_of()}, so nothing was screened.")
    elif movement["unsure"]:
        st.warning(
            f"This looks like {movements.get(Movement(movement['value'])).noun}, but not clearly."
        )
    st.caption("Not what was filmed? Screen it again as a:")
    others = [m for m in Movement if m.value != movement["value"]]
    for row in range(0, len(others), AGAIN_PER_ROW):  # two a row: each name shown whole
        choices = others[row : row + AGAIN_PER_ROW]
        for column, choice in zip(st.columns(AGAIN_PER_ROW), choices, strict=False):
            if column.button(movements.get(choice).button, key=f"again_{choice.value}"):
                _start(webapp.again_as(result.clip, choice))
                st.rerun()


def _media_url(path: str, where: str) -> str:
    """The app server's URL of a video file: the page streams it, nothing is copied in."""
    if not runtime.exists():  # a script run without a server (AppTest): no player to feed
        return ""
    return runtime.get_instance().media_file_mgr.add(path, "video/mp4", where)


def _review(result: webapp.Result) -> None:
    """The annotated clip in the review player, with its key moments and the protractor."""
    url = _media_url(result.file("annotated.mp4"), "review-today")
    clip = review.clip_data(result.screening, result.report, url, "This clip")
    none = view.no_key_frames(result.report["movement"]["value"], "key moment")
    kept = PLAYER(clips=[clip], items=review.items(result.report), start=None, none=none,
                  key="review", default=None)  # fmt: skip
    if kept:
        st.caption(review.reading_text(kept))
        _correction_form(result, kept)


def _correction_form(result: webapp.Result, kept: dict) -> None:
    """Set a value of this frame by hand: the findings and the report follow it, marked."""
    options = review.correctable(result.screening, kept)
    if not options:
        st.caption("No stride or rep is measured on this frame: nothing here to set by hand.")
        return
    with st.container(border=True):
        st.markdown("**Set a value by hand** (the report then marks it as set by hand)")
        index = st.selectbox("Which value", range(len(options)),
                             format_func=lambda i: options[i].label)  # fmt: skip
        value = st.number_input("Value (degrees)", value=float(options[index].fix.value), step=0.5)
        if st.button("Save the value set by hand"):
            fix = dataclasses.replace(options[index].fix, value=float(value))
            try:
                corrected = webapp.with_correction(result, fix, records_db=_readable_db())
            except InputError as error:
                st.error(webapp.markdown_escape(error))
                return
            st.session_state["job"].result = corrected
            st.rerun()


def _cues(report: dict) -> None:
    st.subheader("What to work on")
    caveat = view.movement_caveat(report)
    if caveat:
        st.warning(webapp.markdown_escape(caveat))
    if not report["cues"]:
        st.info("No cues: nothing could be judged in this clip (see Data quality below).")
    for cue in report["cues"]:
        show = CUE_BOX.get(cue["severity"], st.info)
        label = names.STATUS.get(cue["severity"], cue["severity"])
        plan = "".join(f"\n- {webapp.markdown_escape(line)}" for line in names.plan_items(cue))
        show(f"**{label}:** {webapp.markdown_escape(cue['text'])}\n{plan}")
    if report["cues"]:
        st.caption(names.WHY_LIMITS)


def _about(report: dict) -> None:
    facts = [("Athlete", report["athlete"]["description"]), *view.clip_facts(report)]
    for key, value in facts:
        st.markdown(f"**{key}:** {webapp.markdown_escape(value)}")
    st.caption(
        "Orange = left, blue = right. Angles are 2D, from one camera: film square to the movement."
    )


def _downloads(result: webapp.Result) -> None:
    st.subheader("Downloads")
    row = st.container(horizontal=True)
    day = datetime.fromisoformat(result.report["created"]).astimezone().date().isoformat()
    movement = result.report["movement"]["value"]
    for name, mime in webapp.DOWNLOADS:
        row.download_button(
            name,
            data=functools.partial(Path(result.file(name)).read_bytes),
            file_name=webapp.download_name(result.clip.athlete, movement, day, name),
            mime=mime,
            on_click="ignore",
            key=f"download_{name}",
            icon=":material/download:",
        )


def _session_box(result: webapp.Result) -> None:
    """A session of several clips (front and side, left and right): add this one, and
    download one report for them all."""
    st.subheader("This session")
    parts = st.session_state.setdefault("session_parts", [])
    added = st.session_state.setdefault("session_added", set())
    if id(result) not in added and st.button("Add this clip to the session", key="add_clip"):
        with st.spinner("Adding the clip (its key frames)…"):
            parts.append(webapp.session_part(result))
        added.add(id(result))
        st.session_state.setdefault("session_visit", records.new_visit())
        st.session_state.session_athlete = result.clip.athlete
        st.session_state.pop("session_files", None)
    if not parts:
        st.caption(
            "A clinic screen is often a front and a side clip: add each one here, screening "
            "the next clip after this one, and download one report for them all. A movement "
            "filmed from both sides gives left against right without the camera's side."
        )
        return
    from movement_screen.report import session

    st.markdown("\n".join(f"{i}. {webapp.markdown_escape(session.label(p))}"
                          for i, p in enumerate(parts, start=1)))  # fmt: skip
    for group in session.both_sides_of(parts):
        st.markdown(f"**{webapp.markdown_escape(session.both_label(group))}**, left against right:")
        st.markdown("\n".join(f"- {webapp.markdown_escape(session.reading_words(r))}"
                               for r in group.readings))  # fmt: skip
    if len(parts) >= 2:
        files = _session_files(parts)
        row = st.container(horizontal=True)
        for name, mime in (("session.pdf", "application/pdf"), ("session.html", "text/html")):
            row.download_button(
                f"Session report ({name.rsplit('.', 1)[1].upper()})",
                data=Path(files[name]).read_bytes(),
                file_name=webapp.download_name(
                    st.session_state.get("session_athlete"), "session", _today(), name
                ),
                mime=mime,
                on_click="ignore",
                key=f"download_{name}",
            )
    if st.button("Start a new session", key="new_session"):
        keys = (
            "session_parts",
            "session_added",
            "session_files",
            "session_athlete",
            "session_visit",
        )
        for key in keys:
            st.session_state.pop(key, None)
        st.rerun()


def _session_files(parts: list) -> dict[str, str]:
    """The session report for these parts, made once per set of parts."""
    made = st.session_state.get("session_files")
    if made is None or made[0] != len(parts):
        workspace = webapp.Workspace()
        paths = webapp.session_report(
            parts, st.session_state.get("session_athlete"), workspace.path
        )
        made = (len(parts), paths, workspace)  # the workspace lives as long as the files
        st.session_state.session_files = made
    return made[1]


def _angles(result: webapp.Result) -> None:
    st.subheader("Angles over time")
    png = result.pictures.get("angles")
    if png is None:
        st.info("No angle could be measured.")
        return
    st.image(
        png,
        caption="Orange = left, blue = right. Amber band = watch zone, red band = flag zone "
        "of the protocol; grey shading = each stride or rep (L/R = leg).",
    )


def _findings(report: dict) -> None:
    st.subheader("Findings")
    if not report["findings"]:
        st.info(view.NOTHING_MEASURED)
        return
    rows = [
        {"Measure": r.measure, "Kind": r.kind, "Side": r.side, "Value": r.value,
         "Limits": r.limits, "Status": r.status}
        for r in view.finding_rows(report)
    ]  # fmt: skip
    st.dataframe(rows, hide_index=True)
    st.caption(" · ".join(f"{names.STATUS[k]}: {v}" for k, v in names.STATUS_MEANING.items()))
    for line in view.hand_lines(report):
        st.markdown(f"- Set by hand: {webapp.markdown_escape(line)}")


def _summary_rows(report: dict, kind: str) -> list[dict]:
    """Asymmetry or drift measurements, with their finding's status where judged."""
    return [
        {"Measure": r.measure, "Side": r.side, "Value": r.value, "Status": r.status}
        for r in view.summary_rows(report, kind)
    ]


def _left_right(result: webapp.Result) -> None:
    st.subheader("Left against right")
    png, rows = result.pictures.get("left_right"), _summary_rows(result.report, "asymmetry")
    if png:
        st.image(png, caption="Bars: each side's median; dots: each stride or rep.")
    if rows:
        st.dataframe(rows, hide_index=True)
        st.caption("Value = left minus right (medians).")
    if not png and not rows:
        st.info(view.no_pairs(result.report))


def _drift(result: webapp.Result) -> None:
    st.subheader("Drift across strides or reps")
    png, rows = result.pictures.get("drift"), _summary_rows(result.report, "drift")
    if png:
        st.image(png, caption="Each stride or rep, in order: does form change as the set goes on?")
    if rows:
        st.dataframe(rows, hide_index=True)
        st.caption("Drift = the median of the last third of strides or reps minus the first third.")
    else:
        st.info(view.no_drift(result.report))


def _quality(report: dict) -> None:
    st.subheader("Data quality")
    facts = [{"What": k, "Value": v} for k, v in view.quality_facts(report)]
    st.dataframe(facts, hide_index=True)
    limits = view.trust_limits(report)
    st.markdown("**What limits trust in this clip**")
    for line in limits or ["Nothing to add."]:
        st.markdown(f"- {webapp.markdown_escape(line)}")
    with st.expander("What the numbers can and cannot say"):
        for line in report["limitations"]:
            st.markdown(f"- {webapp.markdown_escape(line)}")


def _athlete_box(result: webapp.Result) -> None:
    """Save this screen to an athlete's history in the records store."""
    st.subheader("Save to an athlete's history")
    access = _access()
    if not _records_open(access, "save"):
        return
    who = result.clip.athlete or webapp.Athlete("")
    with st.form("athlete", border=True):
        name = st.text_input("Athlete's name", value=who.name, key="athlete_name", max_chars=200)
        one, two, three = st.columns(3)
        scale = {"min_value": 0.0, "max_value": 10.0, "step": 1.0}
        pain = one.number_input(
            "Pain before (0-10, optional)", key="pain", value=who.pain_before, **scale
        )
        pain_after = two.number_input(
            "Pain after (0-10, optional)", key="pain_after", value=None, **scale
        )
        rpe = three.number_input("Session RPE (0-10, optional)", key="rpe", value=who.rpe, **scale)
        notes = st.text_area("Notes (optional)", key="notes", max_chars=2000)
        baseline = st.checkbox(
            "Make this the athlete's new baseline for this movement",
            value=who.reason == "baseline",
        )
        if st.form_submit_button("Save to history", type="primary"):
            _save(access.db, result, name, pain, pain_after, rpe, notes, baseline)


def _save(db: str, result: webapp.Result, name: str, pain, pain_after, rpe, notes, baseline):
    saved = st.session_state.setdefault("saved", set())
    if (id(result), name.strip().casefold()) in saved:
        st.info("This screen is already in this athlete's history.")
        return
    try:
        records.store_screening(
            db,
            result.report,
            athlete=name,
            pain_before=pain,
            pain_after=pain_after,
            rpe=rpe,
            baseline=baseline,
            notes=notes or None,
            visit=_visit_of(result),
            review_clip=result.file("annotated.mp4"),
        )
    except InputError as error:
        st.error(webapp.markdown_escape(error))
        return
    saved.add((id(result), name.strip().casefold()))
    st.session_state.h_athlete = name.strip()  # show this athlete's history below
    st.success(f"Saved to the history of {webapp.markdown_escape(name.strip())}.")


def _visit_of(result: webapp.Result) -> str | None:
    """The id shared by the clips of this session, if this result was added to it."""
    if id(result) in st.session_state.get("session_added", set()):
        return st.session_state.get("session_visit")
    return None


def _history() -> None:
    """An athlete's screens over time: sessions, change from baseline, trends, symmetry."""
    st.header("Athlete history")
    access = _access()
    if not _records_open(access, "history"):
        return
    try:
        known = [a["name"] for a in records.athletes(access.db)]
    except InputError:
        known = []
    if not known:
        st.caption("No athlete records yet: screen a clip and save it to an athlete's history.")
        return
    _keep_choice(known)
    if st.session_state.get("removed"):
        st.success(webapp.markdown_escape(st.session_state.pop("removed")))
    one, two, _ = st.columns([2, 1, 1])
    name = one.selectbox("Athlete", known, key="h_athlete")
    movement = two.selectbox(
        "Movement", ["all", *(m.value for m in Movement)], format_func=_movement_name, key="h_move"
    )
    try:
        data = records.history(access.db, name, None if movement == "all" else movement)
    except InputError as error:
        st.error(webapp.markdown_escape(error))
        return
    _sessions(data)
    _changes(data)
    _trends(data)
    _symmetry(data)
    _manage(access.db, data)


def _keep_choice(known: list[str]) -> None:
    """The athlete chosen (or just saved) as stored: names match trimmed and case-folded."""
    wanted = str(st.session_state.get("h_athlete", ""))
    match = next((k for k in known if k.casefold() == wanted.casefold()), None)
    if match is None:
        st.session_state.pop("h_athlete", None)
    else:
        st.session_state.h_athlete = match


def _sessions(data: dict) -> None:
    st.subheader("Sessions")
    if not data["sessions"]:
        st.caption("No sessions for this movement yet.")
        return
    screens = {}  # the clips of one screen share a number
    for s in data["sessions"]:
        screens.setdefault(s["visit"] or s["uuid"], len(screens) + 1)
    rows = [
        {
            "Date": s["date"],
            "Time": s["time"],
            "Movement": names.movement_word(s["movement"]),
            "View": s["view"],
            "Baseline": "yes" if s["baseline"] else "",
            "Pain before": names.score_text(s["pain_before"]),
            "Pain after": names.score_text(s["pain_after"]),
            "RPE": names.score_text(s["rpe"]),
            "Clip": s["clip_file"] or "",
            "Cues": "; ".join(c["text"] or "" for c in s["cues"]),
            "Notes": s["notes"] or "",
            "Screen": screens[s["visit"] or s["uuid"]],
        }
        for s in data["sessions"]
    ]
    st.dataframe(rows, hide_index=True)


def _manage(db: str, data: dict) -> None:
    """Export the athlete's records; remove a session saved by mistake, after a confirmation."""
    st.subheader("Manage the records")
    name = data["athlete"]["name"]
    export = exchange.collect(db, name=name)
    st.download_button(
        f"Export {name}'s records (JSON)",
        data=json.dumps(export, indent=1, ensure_ascii=False),
        file_name=webapp.download_name(webapp.Athlete(name), "records", _today(), "export.json"),
        mime="application/json",
        on_click="ignore",
        key="export_records",
    )
    st.download_button(
        f"Progress report of {name} (PDF)",
        data=functools.partial(_progress_pdf, data),
        file_name=webapp.download_name(webapp.Athlete(name), "progress", _today(), "report.pdf"),
        mime="application/pdf",
        on_click="ignore",
        key="progress_report",
    )
    sessions = {s["uuid"]: s for s in data["sessions"]}
    if not sessions:
        return
    picked = st.selectbox(
        "Remove a session saved by mistake", list(sessions), index=None,
        format_func=lambda u: _session_words(sessions[u]), placeholder="Choose a session",
        key="remove_pick",
    )  # fmt: skip
    if picked is None:
        return
    sure = st.checkbox("Yes, remove this session for good", key="remove_sure")
    if st.button("Remove the session", disabled=not sure, key="remove_session"):
        try:
            said = records.remove_session(db, picked)
        except InputError as error:
            st.error(webapp.markdown_escape(error))
            return
        for key in ("remove_pick", "remove_sure"):
            st.session_state.pop(key, None)
        st.session_state.removed = said[:1].upper() + said[1:] + "."
        st.rerun()


def _progress_pdf(data: dict) -> bytes:
    """The athlete's printable progress report, made when the button is pressed."""
    from movement_screen.report import pdf, progress

    workspace = webapp.Workspace()
    try:
        paths = pdf.write_page(progress.render(data), workspace.path, "progress", html=False)
        return Path(paths["progress.pdf"]).read_bytes()
    finally:
        workspace.remove()


def _session_words(session: dict) -> str:
    movement = names.movement_word(session["movement"])
    base = ", baseline" if session["baseline"] else ""
    return f"{session['date']} {session['time']}: {movement} ({session['clip_file']}){base}"


def _today() -> str:
    return datetime.now().astimezone().date().isoformat()


def _changes(data: dict) -> None:
    st.subheader("Change from baseline")
    for group in data["changes"]:
        movement, latest, base = (
            webapp.markdown_escape(group[k]) for k in ("movement", "latest_date", "baseline_date")
        )
        view = f", {webapp.markdown_escape(group['view'])} view" if group.get("view") else ""
        title = f"**{movement}{view}**: latest screen {latest}"
        if not group["rows"]:
            st.markdown(f"{title}; it is the baseline, or there is none yet.")
            continue
        st.markdown(f"{title} against the baseline of {base}")
        st.dataframe([_change_row(r) for r in group["rows"]], hide_index=True)
    st.caption("A change smaller than the metric's measurement noise is reported as within noise.")


def _change_row(r: dict) -> dict:
    unit = r["unit"] or ""
    return {
        "Measure": names.metric_name(r["metric"]),
        "Side": names.side_word(None, r["side"]),
        "Baseline": names.value_text(r["baseline"], unit),
        "Now": names.value_text(r["current"], unit),
        "Change": names.value_text(r["change"], unit, signed=True),
        "Noise": "± " + names.value_text(r["noise"], unit),
        "Verdict": r["verdict"],
    }


def _trends(data: dict) -> None:
    if not data["series"]:
        return
    st.subheader("Trends")
    if len(data["sessions"]) < 2:
        st.caption("Trend plots start with the second saved screen.")
        return
    noise = {row["metric"]: row["noise"] for c in data["changes"] for row in c["rows"]}
    for movement in dict.fromkeys(s["movement"] for s in data["series"]):
        group = [s for s in data["series"] if s["movement"] == movement]
        st.image(record_plots.trend_png(group, noise=noise), caption=record_plots.KEY)


def _symmetry(data: dict) -> None:
    png = record_plots.symmetry_png(data)
    if png is None:
        return
    st.subheader("Limb symmetry")
    st.image(png, caption=data["symmetry"]["note"])


main()

"""The app in a real browser: `streamlit run` as a subprocess, Debian's Chromium via Playwright.

Screens a sample clip with one click and an uploaded real clip through the page, checks
that the annotated video plays (readyState 4) and that report.html downloads, and saves
screenshots (copied to /tmp/app_screenshot.png and /tmp/app_screenshot_real.png for a
look). Never downloads a browser: skips where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from movement_screen import review, video
from tests.browser import ARGS, CHROMIUM
from tests.fixtures import read_joints, sample_path, slow_motion_clip
from tests.real_data import REAL

ROOT = Path(__file__).resolve().parents[1]

REAL_CLIP = REAL / "lab_single_leg_reach_cam01_pose2sim.mp4"
VIEWPORT = {"width": 1280, "height": 4000}  # Streamlit scrolls inside its own container
RESULT_TIMEOUT_MS = 300_000  # one screening takes 10-60 s on 2 shared cores

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not answer at {url} within {limit:g} s")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """`streamlit run streamlit_app.py` as the README starts it (the shipped config: no
    address given on the command line), on a free port, with every socket bind, connect
    and name lookup of the server logged; always stopped. Yields (url, port, log path)."""
    folder = tmp_path_factory.mktemp("app")
    port = _free_port()
    env = {**os.environ, "MOVEMENT_SCREEN_DB": str(folder / "records.sqlite3")}
    sockets = folder / "sockets.log"
    command = [
        sys.executable, str(ROOT / "tests" / "netwatch.py"), str(sockets),
        "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
    ]  # fmt: skip
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://localhost:{port}"
    try:
        _wait_until_up(url, server)
        yield url, port, sockets
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def app_url(app_server):
    return app_server[0]


@pytest.fixture
def page(browser, app_url):
    """A fresh browser session on the app; every request it makes is kept on `page.asked`."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.asked = []
    page.on("request", lambda request: page.asked.append(request.url))
    page.goto(app_url)
    page.get_by_role("button", name="Screen this sample").wait_for(timeout=90_000)
    try:
        yield page
    finally:
        context.close()


def _wait_for_results(page, *, or_picker: bool = False) -> bool:
    """Wait until the results have rendered (True), or the athlete picker (False)."""
    results = page.get_by_role("button", name="Save to history")
    wanted = results.or_(page.get_by_text("Best guess:")) if or_picker else results
    try:
        wanted.first.wait_for(timeout=RESULT_TIMEOUT_MS)
    except Exception:  # say what the page shows instead (an error message, a stuck bar)
        text = page.locator("[data-testid=stMain]").inner_text()
        pytest.fail(
            f"no results after {RESULT_TIMEOUT_MS / 1000:g} s; the page says:\n{text[:3000]}"
        )
    page.wait_for_function(  # Streamlit draws grey placeholders until a widget's code loads
        "document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000
    )
    return results.count() > 0


def _player(page):
    """The review player's frame (a Streamlit component in an iframe), once its clip loads."""
    page.wait_for_selector("iframe[title='streamlit_app.review_player']", timeout=60_000)
    frame = next(f for f in page.frames if "review_player" in f.url)
    frame.wait_for_function("document.querySelector('video') !== null", timeout=60_000)
    return frame


def _check_video_plays(page) -> None:
    """The annotated clip is in the player, loads fully and plays (muted)."""
    player = _player(page)
    player.evaluate("() => document.querySelector('video').play().catch(() => {})")
    player.wait_for_function(
        "() => document.querySelector('video').readyState === 4", timeout=60_000
    )
    assert player.evaluate("document.querySelector('video').error") is None
    assert player.evaluate("document.querySelector('video').videoWidth") > 0
    player.evaluate("() => document.querySelector('video').pause()")


def _shown_frame(player) -> int:
    player.wait_for_function("() => !document.querySelector('video').seeking")
    return int(player.get_attribute("#where-0", "data-frame"))


def _check_stepping(player) -> None:
    """One frame forward and back, by button and by arrow key; slow motion."""
    first = _shown_frame(player)
    player.get_by_role("button", name="One frame forward").click()
    assert _shown_frame(player) == first + 1
    player.locator("body").press("ArrowRight")
    assert _shown_frame(player) == first + 2
    player.locator("body").press("ArrowLeft")
    player.get_by_role("button", name="One frame back").click()
    assert _shown_frame(player) == first
    player.get_by_role("button", name="0.25x").click()
    assert player.evaluate("document.querySelector('video').playbackRate") == 0.25


def _check_key_moment(player) -> int:
    """A click on a key moment pauses the clip within one frame of it; returns its frame."""
    player.get_by_role("button", name="Every moment").click()
    moment = player.get_by_role("listitem").nth(1)
    frame = int(moment.get_attribute("title").split("frame ")[-1])
    moment.click()
    assert _shown_frame(player) == frame
    fps = 30.0  # the sample clips' frame rate
    state = player.evaluate("(() => { const v = document.querySelector('video');"
                            " return [v.paused, v.currentTime]; })()")  # fmt: skip
    assert state[0] is True
    assert abs(state[1] - frame / fps) < 1 / fps, (state, frame)
    return frame


def _check_protractor(page, player, sample: str, frame: int) -> None:
    """Three clicks on the true hip, knee and ankle of a synthetic frame read their angle,
    beside what the tool has for that knee (the front leg's: the right): at the bottom of
    a lunge seen from the front, no value (its thigh points at the camera)."""
    _, joints = read_joints(sample)
    points = [joints[f"right_{j}"][frame] for j in ("hip", "knee", "ankle")]
    known = review.three_point_angle(*points)
    player.get_by_role("button", name="Measure an angle").click()
    canvas = player.locator("canvas").first
    box = canvas.bounding_box()
    scale = box["width"] / video.probe(str(sample_path(sample))).width
    for x, y in points:
        canvas.click(position={"x": x * scale, "y": y * scale})
    read = float(player.get_attribute("#reading", "data-angle"))
    print(f"protractor: {read:.2f} deg read, {known:.2f} deg known")
    assert abs(read - known) < 1.0
    said = player.inner_text("#reading")
    assert (
        "The tool has no value for Knee angle from the front (+ caving in), right leg at this frame"
        in said
    )
    player.get_by_role("button", name="Keep this reading").click()
    page.get_by_text(f"Your reading on frame {frame}").wait_for(timeout=30_000)


def _check_set_by_hand(page, folder: Path) -> None:
    """The kept reading's value is saved by hand: the findings and the report say so."""
    page.get_by_role("button", name="Save the value set by hand").click()
    page.get_by_text("Set by hand:", exact=False).first.wait_for(timeout=60_000)
    report = _download(page, "report.html", folder).read_text(encoding="utf-8")
    assert "Set by hand" in report and "with a value set by hand" in report


def _check_download(page, folder: Path) -> None:
    text = _download(page, "report.html", folder).read_text(encoding="utf-8")
    assert len(text) > 1000 and "<html" in text.lower()


def _screenshot(page, folder: Path, name: str, copy_to: str) -> None:
    """The whole page: the viewport grows to the height of Streamlit's scrolling main area."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    page.wait_for_timeout(1000)
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    shutil.copyfile(path, copy_to)


def test_sample_clip_in_one_click(page, tmp_path):
    started = time.monotonic()
    page.get_by_role("button", name="Screen this sample").click()
    _wait_for_results(page)
    print(f"sample screened in the browser in {time.monotonic() - started:.1f} s")
    _check_video_plays(page)
    player = _player(page)
    _check_stepping(player)
    frame = _check_key_moment(player)
    _check_protractor(page, player, "lunge_front_valgus", frame)
    _check_download(page, tmp_path)
    _check_set_by_hand(page, tmp_path)
    for section in (
        "What to work on",
        "Angles over time",
        "Findings",
        "Left against right",
        "Drift across strides or reps",
        "Data quality",
        "Athlete history",
    ):
        assert page.get_by_role("heading", name=section).count() == 1, section
    _screenshot(page, tmp_path, "app_sample.png", "/tmp/app_screenshot.png")
    local = page.url.rstrip("/")
    outside = [u for u in page.asked if not u.startswith((local, "data:", "blob:"))]
    assert outside == []  # offline: fonts, icons and scripts all come from the app


def test_a_slow_motion_clip_steps_by_the_frames_drawn(page, tmp_path):
    """A 240 fps upload: its annotated clip holds every 4th frame, and the player shows,
    steps by and jumps to those, each at its own time."""
    clip = slow_motion_clip(tmp_path / "lunge at 240 fps.mp4")
    page.locator("input[type=file]").set_input_files(str(clip))
    page.get_by_role("button", name="Screen my clip").click()
    _wait_for_results(page)
    player = _player(page)
    assert "one in 4 of this slow-motion clip" in player.inner_text("#keys")
    assert _shown_frame(player) % 4 == 0
    first = _shown_frame(player)
    player.get_by_role("button", name="One frame forward").click()
    assert _shown_frame(player) == first + 4
    player.get_by_role("button", name="Every moment").click()
    moment = player.get_by_role("listitem").nth(1)
    frame = int(moment.get_attribute("title").split("frame ")[-1])
    moment.click()
    shown = _shown_frame(player)
    assert shown % 4 == 0 and abs(shown - frame) <= 2
    now = player.evaluate("document.querySelector('video').currentTime")
    assert shown / 240 <= now < (shown + 4) / 240, (now, shown)


def test_uploaded_real_clip(page, tmp_path):
    if not REAL_CLIP.is_file():
        pytest.skip(f"{REAL} is absent: the real clips are not on this machine")
    started = time.monotonic()
    page.locator("input[type=file]").set_input_files(str(REAL_CLIP))
    button = page.get_by_role("button", name="Screen my clip")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.trim() === 'Screen my clip' && !b.disabled)",
        timeout=120_000,
    )
    button.click()
    if not _wait_for_results(page, or_picker=True):  # a bystander in the first frames
        page.get_by_role("button", name="Screen person 1").click()
        _wait_for_results(page)
    print(f"real clip screened in the browser in {time.monotonic() - started:.1f} s")
    assert page.get_by_text(f"Results: {REAL_CLIP.name}").count() == 1
    _check_video_plays(page)
    _check_download(page, tmp_path)
    _screenshot(page, tmp_path, "app_real.png", "/tmp/app_screenshot_real.png")


def _listening(port: int) -> list[str]:
    """Local addresses of the TCP sockets listening on `port`, from /proc/net/tcp{,6}."""
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        with open(table, encoding="ascii") as handle:
            for line in handle.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    packed = bytes.fromhex(address)
                    words = b"".join(packed[i : i + 4][::-1] for i in range(0, len(packed), 4))
                    found.append(socket.inet_ntop(family, words))
    return found


def _is_loopback(address: str) -> bool:
    import ipaddress

    return address in ("localhost", "None") or ipaddress.ip_address(address).is_loopback


def test_app_listens_on_this_computer_only_and_connects_nowhere(page, app_server):
    """Started as the README starts it, the app binds loopback addresses only, and neither
    the server (at start-up or while serving a screen) nor the page reaches elsewhere."""
    _, port, sockets = app_server
    page.get_by_role("button", name="Screen this sample").click()
    _wait_for_results(page)
    listening = _listening(port)
    assert listening and all(_is_loopback(a) for a in listening), listening
    seen = [line.split("\t") for line in sockets.read_text().splitlines()]
    assert any(event == "socket.bind" for event, _, _ in seen)
    for event, family, address in seen:
        if family == str(int(socket.AF_UNIX)):
            continue
        host = eval(address)  # noqa: S307 (the repr of a host or an address tuple we logged)
        host = host[0] if isinstance(host, tuple) else host
        assert _is_loopback(str(host)), f"{event} to {address}"
    local = page.url.rstrip("/")
    assert [u for u in page.asked if not u.startswith((local, "data:", "blob:"))] == []


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit selectbox labelled `label`."""
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(500)


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )


def _download(page, button: str, folder: Path) -> Path:
    """Click a download button once the page has settled: a download's file is made on the
    click from what the latest run of the script registered, so a click on a button a run
    in progress is about to replace can come to nothing."""
    _settled(page)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=button).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _settled(page) -> None:
    """Wait until no element on the page is stale (Streamlit marks the elements of a run in
    progress), for half a second running."""
    for _ in range(120):
        page.wait_for_function(
            "document.querySelectorAll('[data-stale=true]').length === 0", timeout=60_000
        )
        page.wait_for_timeout(500)
        if page.evaluate("document.querySelectorAll('[data-stale=true]').length") == 0:
            return


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) not installed")
def test_a_clinic_screen_athlete_first_two_views_one_report_then_history(page, tmp_path):
    """Name the athlete, screen a front and a side clip, download one report for both,
    save, see the history, remove a session saved by mistake."""
    today = time.strftime("%Y-%m-%d")
    name = page.get_by_label("Athlete's name (optional)")
    name.fill("Ana Browser")
    name.press("Enter")
    _pick(page, "Reason for the screen", "baseline")
    page.get_by_role("button", name="Screen this sample").click()
    _wait_for_results(page)
    boxes = page.locator("[data-testid=stAlert]").all_inner_texts()
    cues = [t for t in boxes if t.startswith(("Flag:", "Watch:", "OK:"))]
    plan = ("Mobility:", "Strength:", "Load:", "Technique:")
    assert cues and all(any(p in t for p in plan) for t in cues), cues  # a plan under each
    pdf = _download(page, "report.pdf", tmp_path)
    assert pdf.name == f"Ana-Browser_lunge_{today}.pdf" and _pdf_pages(pdf) <= 2
    page.get_by_role("button", name="Add this clip to the session").click()
    page.get_by_text("Lunge, front view (lunge_front_valgus.mp4)").wait_for(timeout=60_000)
    _pick(page, "Sample clip (synthetic athletes with known angles)", "lunge side trunk lean")
    page.get_by_role("button", name="Screen this sample").click()
    page.get_by_text("Results: lunge_side_trunk_lean.mp4").wait_for(timeout=RESULT_TIMEOUT_MS)
    _wait_for_results(page)
    page.get_by_role("button", name="Add this clip to the session").click()
    joint = _download(page, "Session report (PDF)", tmp_path)
    assert joint.name == f"Ana-Browser_session_{today}.pdf" and _pdf_pages(joint) <= 3
    text = subprocess.run(["pdftotext", str(joint), "-"], capture_output=True, text=True).stdout
    assert "lunge_front_valgus.mp4" in text and "lunge_side_trunk_lean.mp4" in text
    assert "Ana Browser" in text
    page.get_by_role("button", name="Save to history").click()
    page.get_by_text("Saved to the history of Ana Browser.").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Change from baseline").wait_for(timeout=60_000)
    assert page.get_by_text("lunge, side view", exact=False).count() >= 1
    box = page.get_by_label("Remove a session saved by mistake")
    box.click()
    box.press_sequentially("lunge_side")
    box.press("Enter")
    page.get_by_text("Yes, remove this session for good").click()
    page.get_by_role("button", name="Remove the session").click()
    page.get_by_text("Removed the lunge screen of Ana Browser").wait_for(timeout=60_000)
    _screenshot(page, tmp_path, "app_session.png", "/tmp/app_screenshot_session.png")


def _beside_player(page):
    """The player holding two clips (the baseline's and today's), once both have loaded."""
    page.wait_for_function(
        "document.querySelectorAll(\"iframe[title='streamlit_app.review_player']\").length === 2",
        timeout=60_000,
    )
    frame = next(
        f for f in page.frames
        if "review_player" in f.url and f.evaluate("document.querySelectorAll('video').length") == 2
    )  # fmt: skip
    frame.wait_for_function(
        "[...document.querySelectorAll('video')].every(v => v.readyState >= 2 && !v.seeking)",
        timeout=60_000,
    )
    return frame


def test_a_follow_up_opens_beside_its_baseline_on_the_same_moment(page, tmp_path):
    """Screen a baseline hinge and save it; another day (a new visit to the app), screen a
    follow-up of the same athlete: the two clips open side by side, each paused on its own
    frame of the same key moment, and the report pairs the frames of the finding that
    changed beyond noise."""
    for sample, reason in (("hinge side clean", "baseline"), ("hinge side squat", "follow-up")):
        page.goto(page.url)
        page.get_by_role("button", name="Screen this sample").wait_for(timeout=90_000)
        name = page.get_by_label("Athlete's name (optional)")
        name.fill("Bo Beside")
        name.press("Enter")
        _pick(page, "Reason for the screen", reason)
        _pick(page, "Sample clip (synthetic athletes with known angles)", sample)
        page.get_by_role("button", name="Screen this sample").click()
        _wait_for_results(page)
        if reason == "baseline":
            page.get_by_role("button", name="Save to history").click()
            page.get_by_text("Saved to the history of Bo Beside.").wait_for(timeout=60_000)
    page.get_by_text("Results: hinge_side_squat.mp4").wait_for(timeout=RESULT_TIMEOUT_MS)
    _wait_for_results(page)
    page.get_by_role("heading", name="Beside the baseline of").wait_for(timeout=60_000)
    player = _beside_player(page)
    opened = player.locator(".moments button.chosen")
    assert opened.count() == 1 and "Knee bend" in opened.inner_text()
    wanted = [int(f) for f in re.findall(r"frame (\d+)", opened.get_attribute("title"))]
    shown = [int(player.get_attribute(f"#where-{k}", "data-frame")) for k in (0, 1)]
    assert shown == wanted
    player.get_by_role("button", name="One frame forward").click()
    player.wait_for_function("[...document.querySelectorAll('video')].every(v => !v.seeking)")
    assert [int(player.get_attribute(f"#where-{k}", "data-frame")) for k in (0, 1)] == [
        f + 1 for f in wanted
    ]
    report = _download(page, "report.html", tmp_path).read_text(encoding="utf-8")
    beside = report[report.index("Beside the baseline") : report.index('id="key-frames"')]
    assert "Knee bend" in beside and beside.count("data:image/jpeg") == 2
    _screenshot(page, tmp_path, "app_beside.png", "/tmp/app_screenshot_beside.png")

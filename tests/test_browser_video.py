"""annotated.mp4 plays in a real browser: Debian's Chromium, driven by Playwright, over HTTP.

Never downloads a browser: it uses /usr/bin/chromium (CI installs it) and skips,
saying so, where that is absent.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading

import av
import pytest

from movement_screen import overlay
from tests.browser import ARGS, CHROMIUM
from tests.fixtures import screening_from_truth

CLIP = "sprint_side_clean"  # 2 s at 60 fps
PAGE = (
    "<!DOCTYPE html><html><body>"
    '<video src="annotated.mp4" muted playsinline preload="auto"></video></body></html>'
)

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, screening) of a folder holding annotated.mp4 and index.html."""
    folder = tmp_path_factory.mktemp("browser")
    screening = screening_from_truth(CLIP)
    overlay.write_annotated(screening, str(folder / "annotated.mp4"))
    (folder / "index.html").write_text(PAGE)
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", screening, folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_not_the_mp4v_fallback(served):
    _, _, folder = served
    with av.open(str(folder / "annotated.mp4")) as container:
        codec = container.streams.video[0].codec_context.name
    assert codec == "h264" and codec != "mpeg4"  # OpenCV's 'mp4v' is MPEG-4 Part 2


def test_plays_in_chromium(served):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, screening, _ = served
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:  # a file no browser plays (OpenCV's 'mp4v') ends here with error 4
            page = browser.new_page()
            page.goto(f"{base}/index.html")
            page.wait_for_function(
                "(v => v.readyState >= 1 || v.error)(document.querySelector('video'))",
                timeout=15000,
            )
            state = page.evaluate(
                """async () => {
                    const v = document.querySelector('video');
                    v.muted = true;
                    await v.play();
                    await new Promise(r => setTimeout(r, 400));
                    const error = v.error && v.error.code;
                    return {error: error, duration: v.duration, time: v.currentTime};
                }"""
            )
            page.wait_for_function(
                "document.querySelector('video').readyState === 4", timeout=15000
            )
            ready = page.evaluate("document.querySelector('video').readyState")
        finally:
            browser.close()
    assert state["error"] is None
    assert ready == 4
    assert state["duration"] == pytest.approx(screening.info.duration, abs=0.1)
    assert state["time"] > 0  # it played

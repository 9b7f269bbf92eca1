"""Debian's Chromium for the browser tests: where it is and how to start it headless offline."""

CHROMIUM = "/usr/bin/chromium"
# No sandbox (root in CI), and none of the background connections this closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

"""Native libraries' chatter kept off the terminal, and the tool's own last word kept on it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MESSAGE = "movement-screen: interrupted (SIGTERM); nothing was written"
SAID_WHILE_QUIETED = """
import os, sys
from movement_screen import quiet
with quiet.quiet_native_stderr():  # as a worker thread does, opening a video or a pose model
    os.write(2, b"native chatter\\n")
    {say}
"""


def _stderr(say: str) -> str:
    code = SAID_WHILE_QUIETED.format(say=say)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_the_tools_last_word_reaches_the_terminal_while_native_chatter_is_quieted():
    assert _stderr(f"quiet.to_terminal({MESSAGE!r})") == MESSAGE + "\n"


def test_a_plain_print_to_stderr_then_is_lost():
    """What `to_terminal` is for: sys.stderr writes to the descriptor sent to /dev/null."""
    assert _stderr(f"print({MESSAGE!r}, file=sys.stderr, flush=True)") == ""

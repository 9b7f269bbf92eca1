"""MediaPipe imported without its unused solutions (and matplotlib's pyplot), the same
package to every caller; anything unexpected falls back to a plain import."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NAMES = "sorted(k for k in vars(mp) if not k.startswith('__'))"


def _run(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_engine_s_pose_runs_without_importing_mediapipe():
    """The pose model runs through LiteRT (`landmarker`): MediaPipe's package (its graphs,
    protobufs and solutions) is never imported unless a Tasks model is asked for."""
    got = _run(
        "import json, sys, numpy as np\n"
        "from movement_screen import pose\n"
        "with pose.open_detector(static=True) as detect:\n"
        "    found = detect(np.zeros((64, 64, 3), np.uint8), 0.0)\n"
        "print(json.dumps({'found': found is not None, 'mediapipe': 'mediapipe' in sys.modules}))"
    )
    assert got == {"found": False, "mediapipe": False}  # a blank frame holds nobody


def test_mediapipe_runs_without_pyplot_and_callers_still_get_every_solution():
    got = _run(
        "import json, sys, numpy as np\n"
        "from movement_screen import pose\n"
        "mp = pose._import_mediapipe()\n"
        "with mp.solutions.pose.Pose(static_image_mode=True) as model:\n"
        "    found = model.process(np.zeros((64, 64, 3), np.uint8)).pose_landmarks\n"
        "light = 'matplotlib.pyplot' not in sys.modules\n"
        "import mediapipe as mp\n"
        "print(json.dumps({'found': found is not None, 'light': light, 'names': " + NAMES + ",\n"
        "    'hands': callable(mp.solutions.hands.Hands),\n"
        "    'drawing': callable(mp.solutions.drawing_utils.draw_landmarks),\n"
        "    'pyplot': 'matplotlib.pyplot' in sys.modules}))"
    )
    plain = _run(f"import json, mediapipe as mp\nprint(json.dumps({{'names': {NAMES}}}))")
    assert got["found"] is False  # a blank frame holds nobody, but the model ran
    assert got["light"] is True
    assert got["hands"] and got["drawing"] and got["pyplot"]  # imported when asked for
    # The package holds what a plain import gives it, plus the one solution used
    # ('calculators': its settings' protobufs).
    assert set(plain["names"]) <= set(got["names"]) <= set(plain["names"]) | {"calculators"}


def test_an_unexpected_package_falls_back_to_a_plain_import():
    got = _run(
        "import json, sys\n"
        "from movement_screen import mediapipe_import\n"
        "mediapipe_import.DELETED_BY_INIT = ('no_such_subpackage',)\n"
        "mp = mediapipe_import.mediapipe()\n"
        "print(json.dumps({'pose': callable(mp.solutions.pose.Pose),\n"
        "    'pyplot': 'matplotlib.pyplot' in sys.modules}))"
    )
    assert got == {"pose": True, "pyplot": True}

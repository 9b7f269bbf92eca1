"""The output folder: written only where it holds nothing but this tool's outputs for the clip.

`check(target, clip)` runs before any analysis; `output_folder(target, clip)` gives a
private staging folder inside `target` and, when the block succeeds, moves the new
files in one by one (`os.replace`, each atomic) with `report.json` last, so a folder
with a report.json is complete. The folder itself is never replaced or removed unless
this tool created it in the same call, so its permissions stay as the user set them.
A hidden marker file names the clip the outputs belong to; a folder holding anything
else, or another clip's outputs, is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from movement_screen.core import InputError

OUTPUT_FILES = (
    "angles.csv",
    "landmarks.csv",
    "landmarks.trc",
    "report.html",
    "report.pdf",
    "annotated.mp4",
    "report.json",  # last: its presence means the folder is complete
)
MARKER = ".movement-screen"  # JSON: which clip these outputs belong to
PARTIAL_PREFIX = ".movement-screen-partial-"
SHOWN = 3  # foreign names quoted in a refusal


def _clip_id(clip: str) -> str:
    return os.path.realpath(clip)


def _marker_clip(target: str) -> str | None:
    try:
        with open(os.path.join(target, MARKER), encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return None
    return found.get("clip") if isinstance(found, dict) else None


def _foreign(entries: list[str]) -> list[str]:
    ours = {*OUTPUT_FILES, MARKER}
    return sorted(e for e in entries if e not in ours and not e.startswith(PARTIAL_PREFIX))


def check(target: str, clip: str) -> None:
    """InputError unless `target` is new, empty, or holds only this clip's earlier outputs."""
    if not os.path.lexists(target):
        _check_creatable(target)
        return
    if not os.path.isdir(target):
        raise InputError(f"{target}: is a file, not a folder; give a folder for the outputs")
    entries = _listdir(target)
    if entries:
        _check_ours(target, entries, clip)
    if not os.access(target, os.W_OK | os.X_OK):
        raise InputError(f"{target}: the output folder is not writable")


def _listdir(target: str) -> list[str]:
    try:
        return os.listdir(target)
    except OSError as error:
        raise InputError(f"{target}: cannot read the output folder ({error.strerror})") from None


def _check_ours(target: str, entries: list[str], clip: str) -> None:
    foreign = _foreign(entries)
    if foreign:
        names = ", ".join(foreign[:SHOWN]) + (", ..." if len(foreign) > SHOWN else "")
        raise InputError(
            f"{target}: the output folder already holds other files ({names}); "
            "nothing was changed: give a new or empty folder"
        )
    owner = _marker_clip(target)
    if owner is None:
        raise InputError(
            f"{target}: holds files named like movement-screen outputs that it did not "
            "write; nothing was changed: give a new or empty folder"
        )
    if owner != _clip_id(clip):
        raise InputError(
            f"{target}: holds the outputs of another clip ({os.path.basename(owner)}); "
            "nothing was changed: give another folder"
        )


def _check_creatable(target: str) -> None:
    parent = os.path.dirname(os.path.abspath(target))
    while not os.path.lexists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise InputError(f"{target}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{target}: cannot create the output folder ({parent} is not writable)")


def belongs_to(target: str, clip: str) -> bool:
    """Does `target` hold this clip's complete outputs (report.json and the marker)?"""
    return os.path.isfile(os.path.join(target, "report.json")) and _marker_clip(target) == _clip_id(
        clip
    )


def remove_partial(target: str) -> None:
    """Remove staging folders this tool left in `target` (after a process was killed)."""
    if not os.path.isdir(target):
        return
    for entry in os.listdir(target):
        if entry.startswith(PARTIAL_PREFIX):
            shutil.rmtree(os.path.join(target, entry), ignore_errors=True)


@contextmanager
def output_folder(target: str, clip: str) -> Iterator[str]:
    """A staging folder whose files replace this clip's outputs in `target` on success."""
    check(target, clip)
    created = _make(target)
    try:
        work = tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=target)
    except OSError as error:
        _undo(target, created)
        raise _write_error(target, error) from None
    try:
        yield work
        _commit(work, target, clip)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        _undo(target, created)
        raise _write_error(target, error) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _undo(target, created)
        raise


def _write_error(target: str, error: OSError) -> InputError:
    return InputError(f"{target}: cannot write the outputs ({error.strerror or error})")


def _make(target: str) -> str | None:
    """Create `target` if missing; the topmost folder created (to undo), or None."""
    top = None
    path = os.path.abspath(target)
    while not os.path.lexists(path):
        top, path = path, os.path.dirname(path)
    if top is None:
        return None
    try:
        os.makedirs(target)
    except OSError as error:
        raise _write_error(target, error) from None
    return top


def _undo(target: str, created: str | None) -> None:
    """Remove the folders this call created, if nothing else was put in them."""
    if created is None:
        return
    path = os.path.abspath(target)
    while True:
        try:
            os.rmdir(path)
        except OSError:
            return
        if path == created:
            return
        path = os.path.dirname(path)


def _commit(work: str, target: str, clip: str) -> None:
    """Move the new outputs in; drop this clip's old outputs that were not made again."""
    with open(os.path.join(work, MARKER), "w", encoding="utf-8") as handle:
        json.dump({"tool": "movement-screen", "clip": _clip_id(clip)}, handle)
    new = set(os.listdir(work))
    os.replace(os.path.join(work, MARKER), os.path.join(target, MARKER))
    report = os.path.join(target, "report.json")
    if os.path.exists(report):
        os.remove(report)  # the folder is incomplete until the new report.json is in
    for name in OUTPUT_FILES:
        path = os.path.join(target, name)
        if name in new:
            os.replace(os.path.join(work, name), path)
        elif os.path.exists(path):
            os.remove(path)  # an earlier output of this clip, not made this time
    os.rmdir(work)

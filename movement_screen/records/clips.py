"""Annotated clips kept with stored screens, so a follow-up can be reviewed beside its baseline.

A kept clip is `<records file>-clips/<session uuid>.mp4` beside the records file: a copy of
the screen's own annotated.mp4, written by the tool and removed with its session. Nothing
else in that folder is read or touched, and a session id is checked to be a UUID before it
names a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid as uuidlib

from movement_screen.core import InputError

SUFFIX = "-clips"


def folder(db_file: str) -> str:
    """The folder of kept clips for the records file `db_file` (not created here)."""
    return db_file + SUFFIX


def _file(db_file: str, session: str) -> str:
    try:
        name = str(uuidlib.UUID(session))
    except (ValueError, TypeError, AttributeError):
        raise InputError(f"not a session id: {session!r}") from None
    return os.path.join(folder(db_file), f"{name}.mp4")


def find(db_file: str, session: str) -> str | None:
    """The kept clip of a session, or None when it has none."""
    path = _file(db_file, session)
    return path if os.path.isfile(path) else None


def keep(db_file: str, session: str, source: str) -> str:
    """Copy `source` (an annotated clip) in as the session's clip; its new path.

    The copy is written under a temporary name and renamed, so a reader never sees half
    a file; the folder is private to this user (mode 0700)."""
    target = _file(db_file, session)
    os.makedirs(folder(db_file), mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder(db_file), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as read:
            shutil.copyfileobj(read, out)
        os.replace(temporary, target)
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise InputError(f"{target}: could not keep the review clip ({error.strerror})") from None
    return target


def forget(db_file: str, session: str) -> None:
    """Remove a session's kept clip, if it has one."""
    path = find(db_file, session)
    if path is not None:
        os.unlink(path)

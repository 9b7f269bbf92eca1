"""Plain checks and conversions for the records store: no SQL, no database, no folders.

Times are stored as UTC ISO 8601 text (`2024-05-01T09:30:00+00:00`, sortable as
text) and shown as the local date; pain and session RPE are 0-10 scales.
"""

from __future__ import annotations

import hashlib
import math
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from movement_screen.core import InputError

ENV_VAR = "MOVEMENT_SCREEN_DB"
DB_FILE = "records.sqlite3"
SIDES = ("left", "right")
SCALE_MAX = 10.0  # pain (numeric rating scale) and session RPE (CR-10) both run 0-10


def resolve_db_path(path: str | os.PathLike | None = None) -> str:
    """The database file: `path`, else $MOVEMENT_SCREEN_DB, else the per-user data folder."""
    if path:
        return os.path.abspath(os.fspath(path))
    if os.environ.get(ENV_VAR):
        return os.path.abspath(os.environ[ENV_VAR])
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return os.path.join(data_home, "movement-screen", DB_FILE)


def clean_name(name: object) -> str:
    """The athlete's name as given, trimmed; InputError when empty or holding control characters."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"athlete name must be non-empty text, got {name!r}")
    if any(is_control(c) for c in name):
        raise InputError(
            f"athlete name must be one line of text without control characters, got {name!r}"
        )
    return name.strip()


def is_control(char: str) -> bool:
    """Control characters, line and paragraph separators (terminal escapes, newlines, tabs)."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def name_key(name: str) -> str:
    """What makes two names the same athlete: trimmed, Unicode-normalised, case-folded."""
    return unicodedata.normalize("NFC", clean_name(name)).casefold()


def check_scale(label: str, value: object) -> float | None:
    """A 0-10 score (pain, RPE) or None; InputError naming the score otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{label} must be a number from 0 to 10, got {value!r}")
    if not 0 <= value <= SCALE_MAX:
        raise InputError(f"{label} must be from 0 to 10, got {value:g}")
    return float(value)


def check_side(value: object) -> str | None:
    if value in (None, ""):
        return None
    if value not in SIDES:
        raise InputError(f"dominant side must be left or right, got {value!r}")
    return str(value)


def file_sha256(path: str) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise InputError(f"{path}: cannot read the clip ({error.strerror or error})") from error
    return digest.hexdigest()


def utc_iso(when: datetime | str) -> str:
    """UTC ISO 8601 text to the second; naive datetimes are local time."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError as error:
            raise InputError(f"expected an ISO 8601 date/time, got {when!r}") from error
    if not isinstance(when, datetime):
        raise InputError(f"expected a date/time, got {when!r}")
    try:
        if when.tzinfo is None:
            when = when.astimezone()
        return when.astimezone(UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError, OSError) as error:
        raise InputError(f"date/time {when.isoformat()} is out of range ({error})") from None


def local_date(stored: str) -> str:
    """`YYYY-MM-DD` in local time of a stored UTC time."""
    return datetime.fromisoformat(stored).astimezone().date().isoformat()


def local_time(stored: str) -> str:
    """`HH:MM` in local time of a stored UTC time."""
    return datetime.fromisoformat(stored).astimezone().strftime("%H:%M")


def now_iso() -> str:
    return utc_iso(datetime.now(UTC))


def check_report(report: object) -> dict:
    """A report.json document: a dict with a measurements list; InputError otherwise."""
    if not isinstance(report, dict) or not isinstance(report.get("measurements"), list):
        raise InputError("expected a report.json document (an object with 'measurements')")
    for m in report["measurements"]:
        if not isinstance(m, dict) or not isinstance(m.get("metric"), str):
            raise InputError(f"report measurement without a metric name: {m!r}")
    return report


def report_value(report: dict, key: str) -> str | None:
    """`movement.value` or `view.value` of a report; None where not recognised."""
    part = report.get(key)
    value = part.get("value") if isinstance(part, dict) else None
    return value if isinstance(value, str) else None


def measurement_rows(report: dict) -> list[tuple]:
    """(metric, side, rep, kind, value, unit) per measurement of a report."""
    return [
        (m["metric"], m.get("side"), m.get("rep"), m.get("kind", "value"), _num(m), m.get("unit"))
        for m in report["measurements"]
    ]


def _num(m: dict) -> float | None:
    value = m.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None

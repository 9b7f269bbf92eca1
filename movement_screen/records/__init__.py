"""Athletes' screens over time: a records store (SQLite by default) and change from baseline.

Importing this package opens no database and creates no folder; the database file
is made only when a screen or an athlete is stored. Modules: `store` (all SQL),
`model` (checks, paths), `api` (what the CLI, report and app call), `change`
(noise verdicts, limb symmetry), `progress` (history as data), `plots` (trend
PNGs), `clips` (annotated clips kept with their screens), `exchange` (JSON/CSV
export, JSON import), `commands` and `text` (CLI).
"""

from movement_screen.records.api import (
    add_athlete,
    athletes,
    baseline_for,
    comparison_for,
    history,
    mark_baseline,
    new_visit,
    remove_session,
    store_screening,
)

__all__ = [
    "add_athlete",
    "athletes",
    "baseline_for",
    "comparison_for",
    "history",
    "mark_baseline",
    "new_visit",
    "remove_session",
    "store_screening",
]

"""The benchmark's tables, as plain text (stdout) or Markdown (README), from per-clip results."""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchmarks.accuracy_lib import Target
from benchmarks.targets import FRONTAL, SAGITTAL, worst_mae

NOTE = (
    "These are benchmark figures of the whole pipeline on synthetic figures rendered with "
    "known joint angles. MediaPipe's errors depend on appearance (build, clothing, light, "
    "backdrop), so they are not accuracy figures on real people: published 2D single-camera "
    "validations against marker-based motion capture report errors of about 4-6 deg for "
    "sagittal hip and knee angles in walking and 4-11 deg in sprinting, and BlazePose "
    "(MediaPipe Pose) tends to under-read knee flexion. Errors are engine minus truth; the "
    "truth is the 3D skeleton's angles (`_truth.csv`), with the projected 2D truth "
    "(`_truth2d.csv`) shown beside it where perspective makes them differ."
)
PERSPECTIVE_NOTE = (
    "Front-view knee FPPA depends strongly on perspective: the front thigh points at the "
    "camera, so the 2D (projected) FPPA differs from the 3D one by many degrees (column "
    "'2D-3D'); a perfect 2D landmark detector would score the 'MAE vs 2D' column, not the "
    "3D one. Side-view angles and frontal pelvis and trunk agree in 2D and 3D within 0.2 deg."
)
FAMILIES = {**SAGITTAL, **FRONTAL}


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    note: str = ""


def num(value: float | None, fmt: str = ".1f") -> str:
    """A number for a table; '-' for None or NaN."""
    if value is None or not math.isfinite(value):
        return "-"
    return format(value, fmt)


def percent(share: float | None) -> str:
    """A share (0-1) as a percentage; '-' for None or NaN."""
    return "-" if share is None or not math.isfinite(share) else f"{100 * share:.1f}%"


def render(table: Table, *, markdown: bool = False) -> str:
    """The table as aligned plain text, or as a Markdown pipe table."""
    cells = [table.headers, *table.rows]
    if markdown:
        lines = [f"### {table.title}", ""]
        escaped = [[c.replace("|", "\\|") for c in r] for r in cells]
        lines += ["| " + " | ".join(escaped[0]) + " |"]
        lines.append("|" + "|".join(" --- " for _ in table.headers) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in escaped[1:]]
    else:
        widths = [max(len(r[i]) for r in cells) for i in range(len(table.headers))]
        lines = [table.title, "=" * len(table.title)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
        lines.insert(3, "  ".join("-" * w for w in widths))
    if table.note:
        lines += ["", table.note]
    return "\n".join(lines) + "\n"


def target_table(targets: list[Target]) -> Table:
    rows = [(t.status, t.name, t.limit, t.value, t.detail) for t in targets]
    return Table("Summary of targets", ("status", "target", "limit", "measured", "detail"), rows)


def overview_table(clips: list[dict]) -> Table:
    """One row per clip: tracking, what the engine saw, worst-side MAE per angle family."""
    headers = ("clip", "view", "found", "engine saw", "coverage", *FAMILIES, "front knee_fppa",
               "fppa vs 2D", "cues ok", "s")  # fmt: skip
    rows = []
    for c in clips:
        maes = [num(worst_mae(c, cols)) for cols in FAMILIES.values()]
        fppa = front_fppa(c)
        saw = f"{c.get('engine_view', '-')} {c.get('engine_movement') or '-'}"
        found = f"{c['found']}/{c['frames']}"
        ok = "yes" if c["cues"]["ok"] else "NO"
        rows.append(
            (c["clip"], c["view"], found, saw, coverage(c), *maes, num(fppa.get("mae")),
             num(fppa.get("mae_2d")), ok, num(c["seconds"]))
        )  # fmt: skip
    note = (
        "'-': the angle belongs to the other view. Coverage: the least share of frames any of "
        "the view's angles has a value in (0% where the engine never saw the far leg; the MAE "
        "columns are over the frames with values). Knee FPPA: the lunge's front knee only (the "
        "trail leg's FPPA is not meaningful: its shank points away from the camera). "
    )
    return Table(
        "Per clip: mean absolute error (deg, worse side) against 3D truth",
        headers,
        rows,
        note + PERSPECTIVE_NOTE,
    )


def coverage(clip: dict) -> str:
    """The least share of frames with a value among the clip's angles (trail FPPA aside)."""
    rows = [r for r in clip["angles"] if not _angle_label(clip, r["angle"]).endswith("(trail)")]
    shares = [r["n"] / clip["frames"] for r in rows]
    return percent(min(shares)) if shares and clip["frames"] else "-"


def front_fppa(clip: dict) -> dict:
    """The angle row of the lunge's front-knee FPPA ({} when there is none)."""
    name = f"knee_fppa_{clip.get('lead')}"
    return next((r for r in clip["angles"] if r["angle"] == name), {})


def angle_table(clips: list[dict]) -> Table:
    """One row per clip and angle: MAE, bias and max against 3D truth, MAE against 2D truth."""
    headers = ("clip", "angle", "frames", "MAE", "bias", "max", "MAE vs 2D", "2D-3D MAE")
    rows = [
        (c["clip"], _angle_label(c, r["angle"]), str(r["n"]), num(r["mae"]),
         num(r["bias"], "+.1f"), num(r["max"]), num(r["mae_2d"]), num(r["perspective_mae"]))
        for c in clips
        for r in c["angles"]
    ]  # fmt: skip
    note = "(trail): the lunge's trail-leg FPPA, not meaningful in 2D or 3D (shank points away)."
    return Table("Per clip and angle: error per frame (deg)", headers, rows, note)


def _angle_label(clip: dict, angle: str) -> str:
    lead = clip.get("lead")
    trail = angle.startswith("knee_fppa") and lead and not angle.endswith(lead)
    return f"{angle} (trail)" if trail else angle


def _event_label(row: dict) -> str:
    side = (row["side"] or "")[:1].upper()
    return f"{side}{row['rep']}"


def _event_errors(rows: list[dict]) -> str:
    """'L1 +0.8 R1 -1.2*': error against the matched true event ('*': at the engine's frame)."""
    parts = []
    for r in rows:
        own = r["err_truth_own"]
        err, mark = (own, "") if math.isfinite(own) else (r["err_truth_same"], "*")
        parts.append(f"{_event_label(r)} {num(err, '+.1f')}{mark}")
    return " ".join(parts)


def _max_abs(rows: list[dict], key: str) -> float:
    values = [abs(r[key]) for r in rows if math.isfinite(r[key])]
    return max(values) if values else math.nan


def _median(rows: list[dict], key: str) -> float:
    values = sorted(r[key] for r in rows if math.isfinite(r[key]))
    if not values:
        return math.nan
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def event_table(clips: list[dict]) -> Table:
    """One row per clip and metric: engine and true medians, largest per-event errors."""
    headers = ("clip", "metric", "events eng/true/matched", "engine med", "truth med",
               "max|err| true event", "max|err| same frame", "max|err| vs 2D",
               "per event")  # fmt: skip
    rows = []
    for c in clips:
        ev = c["events"]
        counts = "/".join(str(ev.get(k, "-")) for k in ("engine", "truth_events", "truth_matched"))
        for metric in sorted({r["metric"] for r in c["per_event"]}):
            group = [r for r in c["per_event"] if r["metric"] == metric]
            fmt = ".2f" if "height" in metric else ".1f"
            rows.append(
                (c["clip"], metric, counts, num(_median(group, "engine"), fmt),
                 num(_median(group, "truth_own"), fmt), num(_max_abs(group, "err_truth_own"), fmt),
                 num(_max_abs(group, "err_truth_same"), fmt),
                 num(_max_abs(group, "err_truth2d_own"), fmt), _event_errors(group))
            )  # fmt: skip
    note = (
        "Per stride (sprint, L/R = leg) or rep: 'true event' compares the engine's value with "
        "the same metric measured on the truth angles at the truth's own events "
        "(the movement's own finder and metrics on the truth), matched to the engine's by time; "
        "'same frame' measures "
        "the truth at the engine's event frames. '*': no matching true event (e.g. a stride found "
        "on a swapped leg), error at the engine's frame. knee_height metrics are ratios."
    )
    return Table("Per stride / rep: measurements against truth", headers, rows, note)


def _mae_pair(swaps: dict, part: str, stat: str) -> str:
    """'raw -> corrected' of the worse side's statistic for thigh or knee."""
    names = [n for n in swaps["angles"] if n.startswith(part)]
    raw = max(swaps["angles"][n]["raw"][stat] for n in names)
    fixed = max(swaps["angles"][n]["corrected"][stat] for n in names)
    return f"{num(raw)} -> {num(fixed)}"


def _measured_pair(swaps: dict) -> str:
    """Wrong-leg frames of raw and corrected on the frames measured, "raw -> corrected of n"
    ('-' for runs before these counts were kept)."""
    counts = swaps.get("wrong_on_measured")
    if counts is None:
        return "-"
    return f"{counts['raw']} -> {counts['corrected']} of {counts['frames']}"


def swap_table(clips: list[dict]) -> Table:
    headers = ("clip", "frames judged", "raw knees swapped", "after correction",
               "wrong where measured, raw -> corrected", "frames relabelled", "thigh MAE",
               "thigh max", "knee MAE", "knee max")  # fmt: skip
    rows = []
    for c in clips:
        s = c.get("swaps")
        if not s:
            continue
        rows.append(
            (c["clip"], str(s["frames_judged"]), percent(s["raw_swapped_share"]),
             percent(s["corrected_swapped_share"]), _measured_pair(s),
             str(s["engine_relabelled_frames"]), _mae_pair(s, "thigh", "mae"),
             _mae_pair(s, "thigh", "max"), _mae_pair(s, "knee", "mae"), _mae_pair(s, "knee", "max"))
        )  # fmt: skip
    note = (
        "Side views, one MediaPipe run screened twice: leg-swap correction off ('raw') and on. "
        "Knee labels are judged against the projected joint centres where the true knees are at "
        "least 0.2 thigh lengths apart ('-': the knees never were, as in hinges); 'where "
        "measured': on the frames where an angle reaches the output, not where someone passed "
        "close. Angles: deg, worse side, raw -> corrected; '-' where that run had no value (far "
        "leg not seen)."
    )
    return Table("Leg swaps: MediaPipe's raw labels and the engine's correction", headers, rows,
                 note)  # fmt: skip


def cue_table(clips: list[dict]) -> Table:
    headers = ("clip", "expected", "fired", "missed", "unexpected fault cues", "ok")
    rows = []
    for c in clips:
        q = c["cues"]
        rows.append(
            (c["clip"], ", ".join(q["expected"]) or "-", ", ".join(q["fired"]) or "-",
             ", ".join(q["missed"]) or "-", ", ".join(q["unexpected"]) or "-",
             "yes" if q["ok"] else "NO")
        )  # fmt: skip
    return Table("Screening: expected and fired cues", headers, rows)


def all_tables(clips: list[dict], targets: list[Target]) -> list[Table]:
    """Every table in print order; the summary comes last, where it is seen."""
    return [
        overview_table(clips),
        angle_table(clips),
        event_table(clips),
        swap_table(clips),
        cue_table(clips),
        target_table(targets),
    ]

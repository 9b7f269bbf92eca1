"""Trend plots across sessions, baseline marked, as PNG bytes (matplotlib Agg, no pyplot).

Input is `progress.series` data: per movement, metric and side, the session
medians in time order. Sessions sit at even steps on x, labelled by date; the
baseline is a ringed point with a dotted line, and the grey band around the
baseline value is +/- the metric's noise (changes inside it are not real).
"""

from __future__ import annotations

import io
import math

from matplotlib.figure import Figure

from movement_screen.report.names import SIDE_COLOURS, metric_name, movement_word

SIDE_STYLE = {side: (colour, marker) for (side, colour), marker
              in zip(SIDE_COLOURS.items(), ("o", "s", "D"), strict=True)}  # fmt: skip
PANEL_SIZE = (4.6, 2.7)  # inches per metric panel
COLUMNS = 2
DPI = 100
KEY = "ringed: the baseline session; shaded: baseline +/- the metric's measurement noise"


def trend_png(series: list[dict], *, noise: dict[str, float] | None = None) -> bytes:
    """One panel per movement and metric, a line per side; PNG bytes."""
    panels = _panels(series)
    rows = max(1, math.ceil(len(panels) / COLUMNS))
    columns = min(COLUMNS, max(1, len(panels)))
    figure = Figure(figsize=(PANEL_SIZE[0] * columns, PANEL_SIZE[1] * rows), dpi=DPI)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, ((movement, metric), group) in zip(axes, panels.items(), strict=False):
        title = f"{movement_word(movement).capitalize()}: {metric_name(metric)}"
        _draw_metric(ax, group, title=title, noise=(noise or {}).get(metric))
    for ax in axes[len(panels) :]:
        ax.set_axis_off()
    figure.text(0.01, 0.005, KEY, fontsize=7, color="dimgrey", va="bottom")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _png(figure)


def metric_pngs(history: dict) -> dict[str, bytes]:
    """One PNG per movement and metric of a `history` result, named `<movement>_<metric>`."""
    noise = {row["metric"]: row["noise"] for c in history["changes"] for row in c["rows"]}
    return {
        f"{movement}_{metric}": trend_png(group, noise=noise)
        for (movement, metric), group in _panels(history["series"]).items()
    }


def symmetry_png(history: dict) -> bytes | None:
    """Limb symmetry index over sessions per metric, with the 90 % reference line."""
    rows = history["symmetry"]["rows"]
    if not rows:
        return None
    figure = Figure(figsize=(PANEL_SIZE[0] * 1.4, PANEL_SIZE[1] * 1.2), dpi=DPI)
    ax = figure.subplots()
    dates = _session_order(rows)
    for key in dict.fromkeys((r["movement"], r["metric"]) for r in rows):
        mine = [r for r in rows if (r["movement"], r["metric"]) == key]
        ax.plot(
            [dates[r["uuid"]] for r in mine],
            [r["lsi"] for r in mine],
            marker="o",
            label=f"{movement_word(key[0])}: {metric_name(key[1])}",
        )
    reference = history["symmetry"]["reference"]
    ax.axhline(reference, color="grey", linestyle="--", linewidth=1)
    ax.set_title(
        f"Limb symmetry index; dashed: {reference:g} % return-to-sport reference, not a verdict",
        fontsize=9,
    )
    _date_ticks(ax, rows, dates)
    ax.set_ylim(min(50.0, *(r["lsi"] for r in rows)) - 2, 102)
    ax.set_ylabel("LSI, % (smaller / larger side)")
    ax.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    return _png(figure)


SCORES = (("pain_before", "pain before"), ("pain_after", "pain after"), ("rpe", "session RPE"))


def scores_png(history: dict) -> bytes | None:
    """Pain before and after and session RPE (0-10) session by session; None if never given."""
    sessions = history["sessions"]
    if not any(s[key] is not None for s in sessions for key, _ in SCORES):
        return None
    figure = Figure(figsize=(PANEL_SIZE[0] * 1.4, PANEL_SIZE[1]), dpi=DPI)
    ax = figure.subplots()
    order = _session_order(sessions)
    for (key, label), style in zip(SCORES, ("o-", "s--", "D:"), strict=True):
        given = [s for s in sessions if s[key] is not None]
        if given:
            ax.plot([order[s["uuid"]] for s in given], [s[key] for s in given], style, label=label)
    _date_ticks(ax, sessions, order)
    ax.set_ylim(-0.5, 10.5)
    ax.set_ylabel("0-10")
    ax.set_title("Pain and effort, session by session", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    figure.tight_layout()
    return _png(figure)


def _panels(series: list[dict]) -> dict[tuple, list[dict]]:
    panels: dict[tuple, list[dict]] = {}
    for entry in series:
        panels.setdefault((entry["movement"], entry["metric"]), []).append(entry)
    return panels


def _session_order(points: list[dict]) -> dict[str, int]:
    """x position of each session (by uuid) in time order."""
    ordered = sorted(
        {p["uuid"]: p.get("recorded_at") or p["date"] for p in points}.items(),
        key=lambda item: item[1],
    )
    return {uuid: x for x, (uuid, _) in enumerate(ordered)}


def _date_ticks(ax, points: list[dict], order: dict[str, int]) -> None:
    labels = {order[p["uuid"]]: p["date"] for p in points}
    ax.set_xticks(sorted(labels), [labels[x] for x in sorted(labels)], rotation=30, fontsize=7)
    ax.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))


def _draw_metric(ax, group: list[dict], *, title: str, noise: float | None) -> None:
    points = [p for entry in group for p in entry["points"]]
    order = _session_order(points)
    for entry in group:
        _draw_side(ax, entry, order, noise)
    base = next((p for p in points if p["baseline"]), None)
    if base is not None:
        ax.axvline(order[base["uuid"]], color="black", linestyle=":", linewidth=1)
        ax.annotate(
            f"baseline {base['date']}",
            (order[base["uuid"]], 1.0),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            va="top",
            ha="left",
        )
    _date_ticks(ax, points, order)
    ax.set_title(title, fontsize=9)
    ax.set_ylabel(group[0]["unit"] or "", fontsize=8)
    ax.grid(alpha=0.3)
    if len(group) > 1 or group[0]["side"] is not None:
        ax.legend(fontsize=7, loc="best")


def _draw_side(ax, entry: dict, order: dict[str, int], noise: float | None) -> None:
    color, marker = SIDE_STYLE.get(entry["side"], SIDE_STYLE[None])
    xs = [order[p["uuid"]] for p in entry["points"]]
    ys = [p["value"] for p in entry["points"]]
    ax.plot(xs, ys, color=color, marker=marker, markersize=4, label=entry["side"] or "both")
    for p in entry["points"]:
        if p["baseline"]:
            ax.plot(
                order[p["uuid"]],
                p["value"],
                marker="o",
                markersize=10,
                fillstyle="none",
                color="black",
            )
            if noise:
                ax.axhspan(p["value"] - noise, p["value"] + noise, color=color, alpha=0.12)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

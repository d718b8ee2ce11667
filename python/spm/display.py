"""Rich display for Jupyter (HTML tables with status colours, an SVG strategy map) and plots
with matplotlib (an optional dependency, imported only when a plot is asked for)."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from . import frames

if TYPE_CHECKING:
    from ._spm import Cascade, Model, Scorecard

#: Status colours (fill, text) used by every display.
STATUS_COLORS: dict[str, str] = {
    "green": "#2e9e44",
    "amber": "#f0a30a",
    "red": "#d1342f",
    "no_data": "#9e9e9e",
}
_ARROWS = {"up": "\u25b2", "flat": "\u25b6", "down": "\u25bc", "unknown": ""}
_TABLE_STYLE = ("border-collapse:collapse;font-family:sans-serif;font-size:13px")
_CELL = "padding:3px 8px;border-bottom:1px solid #ddd;text-align:left"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _pct(score: float) -> str:
    return "" if score is None or math.isnan(score) else f"{score * 100:.1f}%"


def _badge(status: str) -> str:
    color = STATUS_COLORS.get(status, "#9e9e9e")
    label = "no data" if status == "no_data" else status
    return (f'<span style="background:{color};color:white;border-radius:3px;'
            f'padding:1px 6px">{_e(label)}</span>')


# ---- text representations ----------------------------------------------------------------


def model_repr(model: Model) -> str:
    info = frames.model_info(model)
    return (f"<spm.Model {info.get('id', '')!r} {info.get('name', '')!r}: "
            f"{model.count('goal')} goals, {model.count('strategy')} strategies, "
            f"{model.count('measure')} measures, {model.count('objective')} objectives, "
            f"{model.count('employee')} employees>")


def cascade_repr(cascade: Cascade) -> str:
    state = "current" if cascade.is_current else "stale"
    return f"<spm.Cascade {cascade.node_count} nodes, {cascade.edge_count} links, {state}>"


def scorecard_repr(card: Scorecard) -> str:
    cols = card.columns
    span = f"{cols[0]} .. {cols[-1]}" if cols else "no columns"
    return f"<spm.Scorecard {len(cols)} columns ({span})>"


def reviews_repr(reviews: Any) -> str:
    return (f"<spm.Reviews cycle {reviews.cycle!r}, {reviews.span}, as of {reviews.as_of}: "
            f"{len(reviews)} employees>")


# ---- HTML --------------------------------------------------------------------------------


def model_html(model: Model) -> str:
    """A summary: name, vision and mission, perspectives with their goals, counts by kind."""
    info = frames.model_info(model)
    parts = [f"<div><h3 style='margin:4px 0'>{_e(info.get('name') or info.get('id', ''))}</h3>"]
    for key in ("vision", "mission"):
        if info.get(key):
            parts.append(f"<p style='margin:2px 0'><b>{key.title()}:</b> {_e(info[key])}</p>")
    goals = frames.goals_frame(model) if model.count("goal") else None
    parts.append(f"<table style='{_TABLE_STYLE}'><tr><th style='{_CELL}'>perspective</th>"
                 f"<th style='{_CELL}'>goals</th></tr>")
    for pid, pname in zip(model.ids("perspective"), model.names("perspective")):
        names = [] if goals is None else list(goals[goals["perspective"] == pid]["name"])
        parts.append(f"<tr><td style='{_CELL}'>{_e(pname or pid)}</td>"
                     f"<td style='{_CELL}'>{_e('; '.join(names))}</td></tr>")
    parts.append("</table><p style='margin:4px 0;color:#555'>")
    counts = [f"{model.count(k)} {p}" for k, p in frames.PLURALS.items() if model.count(k)]
    parts.append(_e(", ".join(counts)) + "</p></div>")
    return "".join(parts)


def scorecard_html(card: Scorecard, column: int | str = -1) -> str:
    """The balanced scorecard of one column: the organization, each perspective and its goals,
    with score, status colour, trend and coverage."""
    c = frames._column_index(card, column)
    label = card.columns[c] if card.columns else ""
    model = card.model
    goal_persp = {}
    if model.count("goal"):
        g = frames.goals_frame(model)
        goal_persp = dict(zip(g["id"], g["perspective"]))
    goal_names = dict(zip(model.ids("goal"), model.names("goal")))
    head = "".join(f"<th style='{_CELL}'>{h}</th>"
                   for h in ("", "score", "status", "trend", "coverage"))
    rows = [f"<table style='{_TABLE_STYLE}'><caption style='text-align:left'>"
            f"<b>{_e(frames._org_name(model))}</b> scorecard, {_e(label)}</caption><tr>{head}</tr>"]

    def row(text: str, r: Any, indent: int, bold: bool) -> None:
        name = f"<b>{_e(text)}</b>" if bold else _e(text)
        rows.append(
            f"<tr><td style='{_CELL};padding-left:{8 + 18 * indent}px'>{name}</td>"
            f"<td style='{_CELL};text-align:right'>{_pct(r.score)}</td>"
            f"<td style='{_CELL}'>{_badge(r.status)}</td>"
            f"<td style='{_CELL}'>{_ARROWS.get(r.trend, '')}</td>"
            f"<td style='{_CELL};text-align:right'>{_pct(r.coverage)}</td></tr>")

    row(frames._org_name(model) or "Organization", card.organization(c), 0, True)
    for pid, pname in zip(model.ids("perspective"), model.names("perspective")):
        row(pname or pid, card.perspective(pid, c), 1, True)
        for gid in model.ids("goal"):
            if goal_persp.get(gid) == pid:
                row(f"{gid} {goal_names.get(gid, '')}", card.node("goal", gid, c), 2, False)
    rows.append("</table>")
    return "".join(rows)


def cascade_html(cascade: Cascade) -> str:
    """Size of the cascade, coverage per goal and the gaps."""
    cov = frames.cascade_coverage(cascade)
    gaps = frames.cascade_orphans(cascade)
    org = cov["groups"].iloc[0]
    share = "n/a" if math.isnan(org["share"]) else f"{org['share'] * 100:.1f}%"
    parts = [f"<div><p style='margin:2px 0'><b>Cascade</b>: {cascade.node_count} nodes, "
             f"{cascade.edge_count} links; {org['aligned']} of {org['employees']} employees "
             f"aligned ({share}); {len(gaps)} gaps.</p>",
             f"<table style='{_TABLE_STYLE}'><tr>"]
    cols = ["goal", "measures", "contributors", "objectives", "aligned_employees", "covered"]
    parts.append("".join(f"<th style='{_CELL}'>{c}</th>" for c in cols) + "</tr>")
    for rec in cov["goals"].itertuples(index=False):
        covered = bool(rec.covered)
        color = STATUS_COLORS["green"] if covered else STATUS_COLORS["red"]
        parts.append("<tr>" + "".join(
            f"<td style='{_CELL}'>{_e(getattr(rec, c))}</td>" for c in cols[:-1]) +
            f"<td style='{_CELL};color:{color}'>{'yes' if covered else 'no'}</td></tr>")
    parts.append("</table></div>")
    return "".join(parts)


# ---- the strategy map --------------------------------------------------------------------


class SVG:
    """SVG text that Jupyter shows as a picture (``_repr_svg_``); ``str()`` gives the text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_svg_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text)


def strategy_map_svg(model: Model, scorecard: Scorecard | None = None,
                     column: int | str = -1, width: int = 960) -> str:
    """The strategy map as SVG text: perspectives as horizontal bands (first perspective on
    top), goals as boxes in their band coloured by status (grey without a scorecard), and the
    cause-and-effect links (a goal's ``drives``) as arrows."""
    goals = frames.goals_frame(model) if model.count("goal") else None
    persp = list(zip(model.ids("perspective"), model.names("perspective")))
    band_h, label_w, box_h = 110, 150, 52
    height = max(1, len(persp)) * band_h + 10
    status: dict[str, tuple[str, float]] = {}
    if scorecard is not None and goals is not None:
        c = frames._column_index(scorecard, column)
        for gid in goals["id"]:
            r = scorecard.node("goal", gid, c)
            status[gid] = (r.status, r.score)
    pos: dict[str, tuple[float, float, float]] = {}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           '<defs><marker id="spm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#555"/></marker></defs>']
    for b, (pid, pname) in enumerate(persp):
        y = 5 + b * band_h
        fill = "#f4f6f8" if b % 2 == 0 else "#e9edf1"
        out.append(f'<rect x="0" y="{y}" width="{width}" height="{band_h - 4}" fill="{fill}" '
                   f'class="band" data-perspective="{_e(pid)}"/>')
        out.append(f'<text x="8" y="{y + band_h / 2}" font-weight="bold" '
                   f'font-size="12">{_e(pname or pid)}</text>')
        ids = [] if goals is None else list(goals[goals["perspective"] == pid]["id"])
        names = [] if goals is None else list(goals[goals["perspective"] == pid]["name"])
        if not ids:
            continue
        slot = (width - label_w - 10) / len(ids)
        box_w = min(200.0, slot - 16)
        for i, (gid, gname) in enumerate(zip(ids, names)):
            x = label_w + i * slot + (slot - box_w) / 2
            by = y + (band_h - 4 - box_h) / 2
            pos[gid] = (x, by, box_w)
            st, sc = status.get(gid, ("no_data", float("nan")))
            color = STATUS_COLORS.get(st, "#9e9e9e") if scorecard is not None else "#ffffff"
            text_color = "white" if scorecard is not None else "#222"
            out.append(f'<g class="goal" data-goal="{_e(gid)}" data-status="{_e(st)}">'
                       f'<rect x="{x:.1f}" y="{by:.1f}" width="{box_w:.1f}" height="{box_h}" '
                       f'rx="8" fill="{color}" stroke="#444"/>')
            fit = max(4, int(box_w / 6.4))  # characters that fit at 11px
            title = gname if len(gname) <= fit else gname[:fit - 1] + "\u2026"
            out.append(f'<text x="{x + box_w / 2:.1f}" y="{by + 20:.1f}" text-anchor="middle" '
                       f'fill="{text_color}" font-weight="bold">{_e(gid)}</text>')
            out.append(f'<text x="{x + box_w / 2:.1f}" y="{by + 35:.1f}" text-anchor="middle" '
                       f'fill="{text_color}">{_e(title)}</text>')
            if scorecard is not None and not math.isnan(sc):
                out.append(f'<text x="{x + box_w / 2:.1f}" y="{by + 48:.1f}" '
                           f'text-anchor="middle" fill="{text_color}">{sc * 100:.1f}%</text>')
            out.append(f"<title>{_e(gid)}: {_e(gname)}</title></g>")
    if goals is not None:
        for gid, drives in zip(goals["id"], goals["drives"]):
            for target in drives or []:
                if gid not in pos or target not in pos:
                    continue
                x1, y1, w1 = pos[gid]
                x2, y2, w2 = pos[target]
                sx, tx = x1 + w1 / 2, x2 + w2 / 2
                if y2 < y1:
                    sy, ty = y1, y2 + box_h
                elif y2 > y1:
                    sy, ty = y1 + box_h, y2
                else:
                    sy = ty = y1 + box_h / 2
                    sx, tx = (x1 + w1, x2) if x2 > x1 else (x1, x2 + w2)
                out.append(f'<line class="link" data-from="{_e(gid)}" data-to="{_e(target)}" '
                           f'x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" '
                           f'stroke="#555" stroke-width="1.4" marker-end="url(#spm-arrow)"/>')
    out.append("</svg>")
    return "\n".join(out)


def strategy_map(model: Model, scorecard: Scorecard | None = None, column: int | str = -1,
                 width: int = 960) -> SVG:
    """The strategy map as an object that Jupyter shows as SVG (see strategy_map_svg)."""
    return SVG(strategy_map_svg(model, scorecard, column, width))


def scorecard_strategy_map(card: Scorecard, column: int | str = -1, width: int = 960) -> SVG:
    return strategy_map(card.model, card, column, width)


# ---- matplotlib --------------------------------------------------------------------------


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("spm's plots need matplotlib: pip install matplotlib "
                          "(or pip install 'spm[plot]')") from e
    return plt


def plot_trends(card: Scorecard, ids: Sequence[str] | None = None, kind: str = "goal",
                ax: Any = None) -> Any:
    """Score over the scorecard's columns, one line per node (default: every goal), in percent
    with the status bands shaded. Returns the matplotlib Axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    kind = frames._singular(kind)
    wide = card.scores("measures" if kind == "measure" else "nodes", form="wide")
    names = dict(zip(card.model.ids(kind), card.model.names(kind)))
    chosen = list(ids) if ids is not None else list(card.model.ids(kind))
    cols = card.columns
    x = np.arange(len(cols))
    ax.axhspan(90, 150, color=STATUS_COLORS["green"], alpha=0.08)
    ax.axhspan(70, 90, color=STATUS_COLORS["amber"], alpha=0.08)
    ax.axhspan(0, 70, color=STATUS_COLORS["red"], alpha=0.06)
    for i in chosen:
        y = wide.loc[(kind, i)].to_numpy(dtype=float) * 100
        ax.plot(x, y, marker="o", markersize=3, label=f"{i} {names.get(i, '')}"[:40])
    ax.set_xticks(x)
    ax.set_xticklabels(cols, rotation=45, ha="right")
    ax.set_ylabel("score (%)")
    ax.set_ylim(0, 105)
    ax.set_title(f"{kind} scores")
    ax.legend(fontsize=7, loc="lower left", ncol=2)
    return ax


def status_heatmap(card: Scorecard, kind: str = "goal", ax: Any = None) -> Any:
    """Status of every node of a kind (rows) in every column, as coloured cells. Returns the
    matplotlib Axes."""
    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    kind = frames._singular(kind)
    long = card.scores("measures" if kind == "measure" else "nodes")
    long = long[long["kind"] == kind]
    ids = list(card.model.ids(kind))
    cols = card.columns
    order = ["green", "amber", "red", "no_data"]
    codes = {s: i for i, s in enumerate(order)}
    grid = np.full((len(ids), len(cols)), 3, dtype=int)
    row_of = {i: r for r, i in enumerate(ids)}
    col_of = {c: j for j, c in enumerate(cols)}
    for i, c, s in zip(long["id"], long["column"], long["status"]):
        grid[row_of[i], col_of[c]] = codes[str(s)]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4, 0.45 * len(cols) + 2), max(2, 0.3 * len(ids) + 1)))
    cmap = ListedColormap([STATUS_COLORS[s] for s in order])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=3, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(len(cols)))
    ax.set_xticklabels(cols, rotation=45, ha="right")
    ax.set_yticks(np.arange(len(ids)))
    ax.set_yticklabels(ids)
    ax.set_title(f"{kind} status by column")
    return ax

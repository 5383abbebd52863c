"""Charts of coverage, timelines and lags, drawn with matplotlib, as SVG or PNG bytes.

matplotlib (and numpy under it) is imported inside each function: it costs ~0.6 s, which
only a command that draws should pay. Figures are built on `matplotlib.figure.Figure`, not
pyplot, so nothing global is touched. SVG output is reproducible (a fixed hash salt, no
date) and keeps text as text, so a chart's labels can be searched and read.

What the charts must not do is what the tables must not do: a jurisdiction whose list is
not loaded, or only a sample, is drawn as unknown ("?"), never as an empty bar or a zero.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reckon.analysis.coverage import CoverageReport, QueryError
from reckon.analysis.lag import LagReport
from reckon.analysis.timeline import EntityTimeline, Timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("svg", "png")
_LISTED = "#1f4e79"
_ABSENT = "#d9d9d9"
_UNKNOWN = "#b8860b"


def chart_format(path: Path) -> str:
    """The format a chart file name asks for; QueryError for any other than .svg or .png."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise QueryError(f"{path}: a chart is written as .svg or .png, not {path.suffix or 'no extension'!r}")
    return fmt


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG; the same figure gives the same bytes every time."""
    import io

    import matplotlib

    if fmt not in FORMATS:
        raise QueryError(f"unknown chart format {fmt!r}; choose svg or png")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "reckon", "svg.fonttype": "none"}):
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else None)
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _label(report_states: Any, j: str) -> str:
    state = report_states[j]
    if state.known:
        return j
    return f"{j} (sample: unknown)" if state.sample else f"{j} (unknown)"


def coverage_chart(report: CoverageReport, fmt: str, *, top: int = 25) -> bytes:
    """An UpSet chart: the size of each combination (bars) over the jurisdictions that list
    its entities (dots: filled listed, grey not listed, "?" unknown), with each
    jurisdiction's total on the left."""
    from matplotlib.collections import LineCollection

    combos = report.combinations[:top]
    rows = list(report.jurisdictions)
    fig = _figure(max(6.0, 2.8 + 0.42 * len(combos)), 2.6 + 0.38 * len(rows))
    grid = fig.add_gridspec(
        2, 2, width_ratios=(1.2, max(2.0, 0.42 * len(combos))), height_ratios=(2, 0.15 + 0.38 * len(rows) / 2)
    )
    bars = fig.add_subplot(grid[0, 1])
    matrix = fig.add_subplot(grid[1, 1], sharex=bars)
    sizes = fig.add_subplot(grid[1, 0], sharey=matrix)
    fig.add_subplot(grid[0, 0]).axis("off")

    xs = list(range(len(combos)))
    bars.bar(xs, [c.count for c in combos], color=_LISTED, width=0.6)
    for x, c in zip(xs, combos, strict=True):
        bars.annotate(
            f"{c.count:,}",
            (x, c.count),
            ha="center",
            va="bottom",
            fontsize=7,
            xytext=(0, 2),
            textcoords="offset points",
        )
    bars.set_ylabel("entities listed by exactly these")
    bars.tick_params(axis="x", bottom=False, labelbottom=False)
    bars.spines[["top", "right"]].set_visible(False)
    what = " ".join(p for p in (report.filters.theme, report.filters.measure, report.filters.schema) if p)
    shown = (
        f" (largest {len(combos)} of {len(report.combinations)})"
        if len(combos) < len(report.combinations)
        else ""
    )
    bars.set_title(f"Entities listed, by jurisdictions{' — ' + what if what else ''}{shown}", fontsize=10)

    ys = {j: len(rows) - 1 - i for i, j in enumerate(rows)}
    # One scatter per kind of dot and one collection of lines: a call per dot is slow to draw.
    dots: dict[str, tuple[list[int], list[int]]] = {"listed": ([], []), "absent": ([], [])}
    lines = []
    for x, c in zip(xs, combos, strict=True):
        for j in rows:
            if j in c.unknown:
                matrix.text(
                    x,
                    ys[j],
                    "?",
                    ha="center",
                    va="center",
                    color=_UNKNOWN,
                    fontsize=10,
                    fontweight="bold",
                    zorder=4,  # over the line joining the jurisdictions that do list it
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                )
            else:
                kind = dots["listed" if j in c.listed else "absent"]
                kind[0].append(x)
                kind[1].append(ys[j])
        held = [ys[j] for j in c.listed]
        if len(held) > 1:
            lines.append([(x, min(held)), (x, max(held))])
    matrix.scatter(*dots["absent"], s=60, color=_ABSENT, zorder=2)
    matrix.scatter(*dots["listed"], s=60, color=_LISTED, zorder=3)
    matrix.add_collection(LineCollection(lines, colors=_LISTED, linewidths=2, zorder=2))
    matrix.set_yticks([ys[j] for j in rows], [_label(report.states, j) for j in rows])
    matrix.set_ylim(-0.6, len(rows) - 0.4)
    matrix.set_xlim(-0.6, max(len(combos), 1) - 0.4)
    matrix.tick_params(axis="x", bottom=False, labelbottom=False)
    matrix.tick_params(axis="y", left=False)
    for side in ("top", "right", "bottom", "left"):
        matrix.spines[side].set_visible(False)

    for j in rows:
        known = report.listed[j]
        n = known if known is not None else report.sample_listed.get(j, 0)
        colour = _LISTED if known is not None else _UNKNOWN
        sizes.barh([ys[j]], [n], color=colour, height=0.5, hatch=None if known is not None else "//")
        text = f"{n:,}" if known is not None else (f"≥{n:,}" if n else "?")
        sizes.annotate(
            text, (n, ys[j]), ha="right", va="center", fontsize=7, xytext=(-3, 0), textcoords="offset points"
        )
    sizes.invert_xaxis()
    sizes.set_xlabel("listed")
    sizes.tick_params(axis="y", left=False, labelleft=False)
    sizes.spines[["top", "left"]].set_visible(False)
    return render(fig, fmt)


def timeline_chart(tl: Timeline, fmt: str) -> bytes:
    """Entities first designated per period, one line per jurisdiction; the undated ("on
    or before" the first loaded version) named in the legend, not plotted."""
    from datetime import datetime

    from matplotlib.dates import date2num

    fig = _figure(9.0, 4.5)
    ax = fig.add_subplot()
    ax.xaxis_date()
    form = "%Y-%m" if tl.by == "month" else "%Y"
    xs = [float(date2num(datetime.strptime(p, form))) for p in tl.periods]  # type: ignore[no-untyped-call]
    # A sample's counts are not the jurisdiction's: its line would read as zeros.
    shown = [j for j in tl.jurisdictions if j in tl.counts]
    for j in shown:
        label = j
        if tl.before[j]:
            dates = sorted(tl.before[j])
            label += f" (+{sum(tl.before[j].values()):,} undated: on or before {dates[0]}{'…' if len(dates) > 1 else ''})"
        ax.plot(
            xs,
            [tl.counts[j].get(p, 0) for p in tl.periods],
            label=label,
            linewidth=1.2,
            drawstyle="steps-mid",
        )
    missing = [j for j in tl.jurisdictions if j not in shown]
    what = " ".join(p for p in (tl.filters.theme, tl.filters.measure, tl.filters.schema) if p)
    ax.set_title(f"Entities first designated per {tl.by}{' — ' + what if what else ''}", fontsize=10)
    ax.set_ylabel(f"entities per {tl.by}")
    ax.spines[["top", "right"]].set_visible(False)
    if ax.lines:
        ax.legend(fontsize=8, frameon=False)
    if missing:
        ax.text(
            0.0,
            -0.12,
            "unknown: " + "; ".join(f"{j} ({tl.unknown[j].removeprefix('unknown: ')})" for j in missing),
            transform=ax.transAxes,
            fontsize=7,
            color=_UNKNOWN,
        )
    return render(fig, fmt)


def entity_timeline_chart(et: EntityTimeline, fmt: str) -> bytes:
    """One entity: per jurisdiction, each record's time on its list, from its designation
    (hollow when only "on or before") to its delisting (a cross) or the list's last version."""
    from datetime import datetime

    from matplotlib.dates import date2num

    def day(text: str) -> float:
        return float(date2num(datetime.strptime(text[:10], "%Y-%m-%d")))  # type: ignore[no-untyped-call]

    rows = list(dict.fromkeys(e.jurisdiction for e in [*et.events, *et.allegations]))
    fig = _figure(8.0, 1.4 + 0.45 * max(len(rows), 1))
    ax = fig.add_subplot()
    ax.xaxis_date()
    ys = {j: len(rows) - 1 - i for i, j in enumerate(rows)}
    end = max((e.date for e in [*et.events, *et.allegations] if e.date), default=date.today().isoformat())
    labelled: dict[str, int] = {}
    for e in [*et.events, *et.allegations]:
        if not e.date:
            continue
        y = ys[e.jurisdiction]
        # Labels of one row take turns above and below: records of a jurisdiction often
        # share a date, or nearly.
        turn = labelled[e.jurisdiction] = labelled.get(e.jurisdiction, -1) + 1
        lift = (6 + 8 * (turn // 2)) if turn % 2 == 0 else -(12 + 8 * (turn // 2))
        if e.kind in ("listed", "documented"):
            stop = next((d.date for d in et.events if d.kind == "delisted" and d.record == e.record), end)
            colour = _UNKNOWN if e.kind == "documented" else _LISTED
            ax.plot([day(e.date), day(stop)], [y, y], color=colour, linewidth=3, alpha=0.5)
            ax.scatter(
                [day(e.date)],
                [y],
                s=50,
                zorder=3,
                edgecolors=colour,
                facecolors="white" if e.on_or_before else colour,
            )
            ax.annotate(
                ("≤ " if e.on_or_before else "") + e.date,
                (day(e.date), y),
                fontsize=7,
                xytext=(0, lift),
                textcoords="offset points",
                ha="center",
            )
        else:
            ax.scatter([day(e.date)], [y], marker="x", s=60, color="#a00000", zorder=3)
            ax.annotate(
                f"delisted {e.date}",
                (day(e.date), y),
                fontsize=7,
                xytext=(0, lift),
                textcoords="offset points",
                ha="center",
            )
    ax.set_yticks([ys[j] for j in rows], [j if j in et.status else f"{j} (allegation)" for j in rows])
    ax.set_ylim(-0.8, max(len(rows), 1) - 0.2)
    ax.set_title(f"{et.caption} ({et.entity}): designations by jurisdiction", fontsize=10)
    ax.spines[["top", "right", "left"]].set_visible(False)
    return render(fig, fmt)


def lag_chart(report: LagReport, fmt: str) -> bytes:
    """The days each jurisdiction took after the first designation: a box per
    jurisdiction (quartiles, median) over its entities, one dot each."""
    import numpy as np

    rows = list(report.jurisdictions)
    fig = _figure(8.0, 1.6 + 0.55 * max(len(rows), 1))
    ax = fig.add_subplot()
    ys = {j: len(rows) - i for i, j in enumerate(rows)}
    # A fixed seed: the same report gives the same scatter, hence the same file.
    rng = np.random.default_rng(0)
    data = {j: [r.days[j] for r in report.entities if j in r.days] for j in rows}
    present = [j for j in rows if data[j]]
    if present:
        ax.boxplot(
            [data[j] for j in present],
            positions=[ys[j] for j in present],
            orientation="horizontal",
            widths=0.5,
            showfliers=False,
            medianprops={"color": "#a00000"},
        )
        for j in present:
            ax.scatter(
                data[j],
                ys[j] + rng.uniform(-0.18, 0.18, len(data[j])),
                s=4,
                alpha=0.25,
                color=_LISTED,
                linewidths=0,
            )
    labels = []
    for j in rows:
        s = report.stats[j]
        labels.append(f"{j}\nn={s.count:,}" + (f", median {s.median:g} d" if s.median is not None else ""))
    ax.set_yticks([ys[j] for j in rows], labels, fontsize=8)
    ax.set_ylim(0.4, len(rows) + 0.6)
    ax.set_xlabel("days after the first designation among the jurisdictions")
    what = " ".join(p for p in (report.filters.theme, report.filters.measure, report.filters.schema) if p)
    ax.set_title(f"Lag behind the first designation{' — ' + what if what else ''}", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    if report.left_out:
        ax.text(
            0.0,
            -0.18 - 0.02 * len(rows),
            "left out, unknown: "
            + "; ".join(f"{j} ({why.removeprefix('unknown: ')})" for j, why in report.left_out.items()),
            transform=ax.transAxes,
            fontsize=7,
            color=_UNKNOWN,
        )
    return render(fig, fmt)

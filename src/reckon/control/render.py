"""An exposure's paths as one SVG drawing, made on the server: no script, nothing fetched.

The entity asked is on the left; each entity one hop further is a column to the right.
Every node links to its page and every edge carries its evidence in a `<title>` (the
tooltip): the list's words, the source, the record and the list version's date. The
drawing is an aid: the table beside it on the page holds the same edges.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from reckon.control.model import UNRESOLVED, Edge, Exposure

COLUMN = 310  # px between columns
ROW = 46  # px between nodes of a column
BOX_W, BOX_H = 250, 30
MAX_ROWS = 40  # nodes drawn per column; the table lists every path
# Owner and director edges (control) strong, the others lighter; undirected ones dashed.
COLOURS = {"owner": "#b42318", "director": "#c4320a", "family": "#175cd3", "associate": "#6941c6"}
LABEL = 36  # characters drawn in a box, caption and jurisdictions (the whole caption is its tooltip)


def evidence(edge: Edge, exp: Exposure) -> str:
    """One line: what the list says, where and when."""
    date = exp.version_dates.get(edge.version_id, "")[:10]
    share = f", {edge.percentage:g}%" if edge.percentage is not None else ""
    return f"{edge.text} ({edge.relation}{share}; {edge.source}:{edge.record_id}, list of {date})"


def _href(node: str) -> str | None:
    return None if node.startswith(UNRESOLVED) else f"/entity/{quote(node, safe='')}"


def graph_svg(exp: Exposure) -> str:
    """The paths of `exp` as an SVG element (a string to embed in a page)."""
    depth: dict[str, int] = {exp.entity: 0}
    edges: dict[tuple[str, str, str], Edge] = {}
    for path in exp.paths:
        node = exp.entity
        for e in path.edges:
            nxt = e.other(node)
            depth.setdefault(nxt, depth[node] + 1)
            edges.setdefault((node, nxt, e.relation), e)
            node = nxt
    columns: dict[int, list[str]] = {}
    for node, d in depth.items():
        columns.setdefault(d, []).append(node)
    pos: dict[str, tuple[int, int]] = {}
    for d, nodes in columns.items():
        nodes.sort(key=lambda n: exp.captions.get(n, n))
        for i, node in enumerate(nodes[:MAX_ROWS]):
            pos[node] = (20 + d * COLUMN, 20 + i * ROW)
    height = 40 + max((len(n[:MAX_ROWS]) for n in columns.values()), default=1) * ROW
    width = 40 + (max(columns, default=0) + 1) * COLUMN
    ends = {p.end: p.end_listed_in for p in exp.paths}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="control-graph" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Relations from {escape(exp.caption)} to listed entities">',
        # An arrowhead on directed edges, pointing at what is owned or directed.
        '<defs><marker id="control-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for (a, b, _), e in edges.items():
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        x1, x2 = (x1 + BOX_W, x2) if x2 > x1 else (x1, x2 + BOX_W) if x2 < x1 else (x1 + BOX_W, x2 + BOX_W)
        cls = f"edge {e.relation}" + ("" if e.directed else " undirected")
        colour = COLOURS.get(e.relation, "#777")
        dash = "" if e.directed else ' stroke-dasharray="6 4"'
        if e.directed:
            dash += (
                ' marker-end="url(#control-arrow)"'
                if e.object == b
                else ' marker-start="url(#control-arrow)"'
            )
        out.append(
            f'<g class="{cls}"><title>{escape(evidence(e, exp))}</title>'
            f'<line x1="{x1}" y1="{y1 + BOX_H // 2}" x2="{x2}" y2="{y2 + BOX_H // 2}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            # A wide transparent line over it: the tooltip is easy to find with a pointer.
            f'<line x1="{x1}" y1="{y1 + BOX_H // 2}" x2="{x2}" y2="{y2 + BOX_H // 2}" '
            f'stroke="transparent" stroke-width="10"/></g>'
        )
    for node, (x, y) in pos.items():
        caption = exp.captions.get(node, node)
        listed = ends.get(node, ())
        cls = "node" + (" listed" if listed else "") + (" self" if node == exp.entity else "")
        tip = caption + (f" — listed in {', '.join(listed)}" if listed else "")
        tag = f" [{', '.join(listed)}]" if listed else ""
        room = max(12, LABEL - len(tag))  # the caption gives way to the jurisdictions in the box
        short = caption if len(caption) <= room else caption[: room - 1] + "…"
        fill = "#fde8e8" if listed else "#eef2f6" if node == exp.entity else "#fff"
        stroke = "#b42318" if listed else "#555"
        box = (
            f'<title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" '
            f'fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + 8}" y="{y + 19}" font-size="12" font-family="sans-serif" fill="#111">'
            f"{escape(short + tag)}</text>"
        )
        href = _href(node)
        if href and node != exp.entity:
            out.append(f'<a class="{cls}" href="{escape(href)}">{box}</a>')
        else:
            out.append(f'<g class="{cls}">{box}</g>')
    out.append("</svg>")
    return "".join(out)

"""`reckon review`: the review queue in a keyboard-driven terminal UI (textual).

Thin over `resolve.review` (the queue, the diff, the scorer's reasons) and
`resolve.judgements` (every key writes one event at once, so quitting loses nothing).
Keys: y same, n different, u unsure, s skip, z undo the last decision, q quit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import ClassVar

import duckdb
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from reckon.match.features import BIAS
from reckon.resolve.judgements import JudgementError, default_user, judge, undo
from reckon.resolve.review import AGREE, DIFFER, LEFT, RIGHT, ReviewItem, Side, with_details
from reckon.resolve.rules import AUTO_MERGE, REVIEW
from reckon.store import StoreError

# Opens the store for writing one decision: `with writer() as con: ...`.
Writer = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]

SKIPPED = "skipped"
STYLE = {AGREE: "green", DIFFER: "bold red", LEFT: "yellow", RIGHT: "yellow"}
MARK = {AGREE: "=", DIFFER: "≠", LEFT: "◀", RIGHT: "▶"}


def side_panel(side: Side) -> Text:
    text = Text()
    text.append(side.caption or side.key, style="bold")
    text.append(f"\n{side.key}  {side.schema}\n", style="cyan")
    size = f"{side.cluster_size} record{'s' if side.cluster_size != 1 else ''}"
    text.append(f"entity {side.canonical_id or '(none)'} · {size}\n", style="dim")
    if side.sanctioned:
        text.append("sanctioned: " + "; ".join(side.designations), style="magenta")
    else:
        text.append("not currently listed", style="dim")
    return text


def diff_table(item: ReviewItem) -> Table:
    table = Table(expand=True, show_lines=False, header_style="bold")
    table.add_column("", width=1)
    table.add_column("property", no_wrap=True)
    table.add_column(item.left.key, ratio=3, overflow="fold")
    table.add_column(item.right.key, ratio=3, overflow="fold")
    table.add_column("why", ratio=2, overflow="fold", style="dim")
    previous = None
    for row in item.diff:
        style = STYLE[row.status]
        if row.group == "names":  # which kind of name each side gives it as
            label = " / ".join(dict.fromkeys(p for p in (row.left_prop, row.right_prop) if p))
        else:
            label = row.group if row.group != previous else ""
        previous = row.group
        table.add_row(
            Text(MARK[row.status], style=style),
            label,
            Text(row.left or "—", style=style if row.left else "dim"),
            Text(row.right or "—", style=style if row.right else "dim"),
            row.note,
        )
    return table


def features_table(item: ReviewItem) -> Group:
    table = Table(expand=True, header_style="bold", title="feature contributions", title_justify="left")
    table.add_column("feature")
    table.add_column("value", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("contribution", justify="right")
    table.add_column("detail", ratio=1, overflow="fold")
    for c in item.contributions:
        part = c.value * c.weight
        style = "green" if part > 0 else "red" if part < 0 else ""
        table.add_row(
            c.feature, f"{c.value:+.2f}", f"{c.weight:g}", Text(f"{part:+.2f}", style=style), c.detail
        )
    if item.contributions:
        table.add_row("(bias)", "", "", f"{BIAS:+.2f}", "where the logistic curve sits", style="dim")
    band = f"review band {REVIEW:g}–{AUTO_MERGE:g}"
    head = Text(
        f"score {item.score:.3f} ({item.rule}, {item.decision}"
        + (f": {item.reason}" if item.reason else "")
        + (f"; now {item.rescored:.3f}" if item.rescored is not None else "")
        + f") · {band} · priority {item.priority:.2f}",
        style="bold",
    )
    return Group(head, table)


class ReviewApp(App[None]):
    """Two records side by side; one key per decision, written at once."""

    TITLE = "reckon review"
    CSS = """
    #progress { height: 1; padding: 0 1; background: $boost; }
    #sides { height: auto; max-height: 8; }
    .side { width: 1fr; padding: 0 1; border: round $primary; height: auto; }
    #body { height: 1fr; }
    #features { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "decide('same')", "same"),
        Binding("n", "decide('different')", "different"),
        Binding("u", "decide('unsure')", "unsure"),
        Binding("s", "skip", "skip"),
        Binding("z", "undo", "undo"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, writer: Writer, items: Sequence[ReviewItem], user: str | None = None):
        super().__init__()
        # The store is opened for writing only while a decision is written, so that
        # screening and other readers keep working while a reviewer thinks.
        self.writer = writer
        self.items = list(items)
        self.user = user or default_user()
        self.status: list[str | None] = [None] * len(self.items)
        self.decisions: list[int] = []  # item positions, in the order decided this session
        self.pos: int | None = 0 if self.items else None

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        with Horizontal(id="sides"):
            yield Static(id="left", classes="side")
            yield Static(id="right", classes="side")
        with VerticalScroll(id="body"):
            yield Static(id="diff")
            yield Static(id="features")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"deciding as {self.user}"
        self.show()

    @property
    def decided(self) -> int:
        return sum(1 for s in self.status if s not in (None, SKIPPED))

    def progress_text(self) -> str:
        text = f"{self.decided} of {len(self.items)} decided"
        skipped = self.status.count(SKIPPED)
        if skipped:
            text += f", {skipped} skipped"
        if self.pos is not None:
            text += f" · pair {self.pos + 1}"
        return text

    def show(self) -> None:
        self.query_one("#progress", Static).update(self.progress_text())
        left, right = self.query_one("#left", Static), self.query_one("#right", Static)
        diff, features = self.query_one("#diff", Static), self.query_one("#features", Static)
        if self.pos is None:
            left.update(Text("Nothing left to review.", style="bold green"))
            right.update(Text("z undoes the last decision, q quits.", style="dim"))
            diff.update("")
            features.update("")
            return
        item = self.items[self.pos] = with_details(self.items[self.pos])
        left.update(side_panel(item.left))
        right.update(side_panel(item.right))
        diff.update(diff_table(item))
        features.update(features_table(item))
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)

    # ---------------------------------------------------------------- moving on

    def _next(self) -> int | None:
        """The next undecided pair after the current one (wrapping), skipped ones last."""
        n = len(self.items)
        start = -1 if self.pos is None else self.pos
        order = [(start + k) % n for k in range(1, n + 1)]
        for wanted in (None, SKIPPED):
            for i in order:
                if self.status[i] == wanted:
                    return i
        return None

    # ---------------------------------------------------------------- keys

    def action_decide(self, verdict: str) -> None:
        if self.pos is None:
            self.bell()
            return
        item = self.items[self.pos]
        try:
            with self.writer() as con:
                judge(con, item.left.key, item.right.key, verdict, user=self.user)
        except (JudgementError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.status[self.pos] = verdict
        self.decisions.append(self.pos)
        self.pos = self._next()
        self.show()

    def action_skip(self) -> None:
        if self.pos is None:
            self.bell()
            return
        self.status[self.pos] = SKIPPED
        self.pos = self._next()
        self.show()

    def action_undo(self) -> None:
        if not self.decisions:
            self.notify("nothing to undo in this session")
            return
        pos = self.decisions[-1]
        item = self.items[pos]
        try:
            with self.writer() as con:
                undo(con, item.left.key, item.right.key, user=self.user)
        except (JudgementError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.decisions.pop()
        self.notify(f"undone: {self.status[pos]} on {item.left.key} / {item.right.key}")
        self.status[pos] = None
        self.pos = pos
        self.show()


def run(writer: Writer, items: Sequence[ReviewItem], user: str | None = None) -> ReviewApp:
    """Open the review UI on `items` until the user quits; returns the app (for its counts).
    `writer()` opens the store for writing one decision and closes it after."""
    app = ReviewApp(writer, items, user)
    app.run()
    return app

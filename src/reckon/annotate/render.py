"""An annotation as JSON, as self-contained HTML (the text with each mention marked and
a card of its status and reasons) and as Markdown (the text with footnotes)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from reckon.analysis.dossier import template_environment

from .model import Annotation, Mention


def as_json(text_name: str | None, annotation: Annotation) -> dict[str, Any]:
    return {
        "document": text_name,
        "text_length": annotation.text_length,
        "lists": annotation.lists,
        "notes": annotation.notes,
        "mentions": [asdict(m) for m in annotation.mentions],
    }


def segments(text: str, mentions: list[Mention]) -> list[tuple[str, int | None]]:
    """The text cut into runs: plain (None) and each mention's (its number)."""
    out: list[tuple[str, int | None]] = []
    at = 0
    for i, m in enumerate(mentions):
        if m.start < at:
            continue
        out.append((text[at : m.start], None))
        out.append((text[m.start : m.end], i))
        at = m.end
    out.append((text[at:], None))
    return out


def render_html(text: str, annotation: Annotation, title: str = "annotated text") -> str:
    html: str = (
        template_environment()
        .get_template("annotate.html.j2")
        .render(title=title, a=annotation, segments=segments(text, annotation.mentions))
    )
    return html


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in text)


def render_markdown(text: str, annotation: Annotation) -> str:
    """The text with each mention in bold and a footnote: the entity, its status per
    jurisdiction, and why."""
    body: list[str] = []
    notes: list[str] = []
    for run, i in segments(text, annotation.mentions):
        if i is None:
            body.append(_md_escape(run))
            continue
        m = annotation.mentions[i]
        body.append(f"**{_md_escape(run)}**[^{i + 1}]")
        if m.decision == "linked":
            listed = ", ".join(f"{s.jurisdiction}: {s.status}" for s in m.status if s.status != "not_listed")
            head = f"{_md_escape(m.caption)} (`{m.entity}`, score {m.score:.2f}); {listed or 'listed nowhere now'}"
        else:
            head = "ambiguous: " + "; ".join(
                f"{_md_escape(c.caption)} (`{c.entity}`, {c.score:.2f})" for c in m.candidates
            )
        notes.append(f"[^{i + 1}]: {head}. Why: {_md_escape('; '.join(m.reasons))}")
    lists = ", ".join(f"{s} {d}" for s, d in annotation.lists.items())
    tail = [*(f"> {_md_escape(n)}" for n in annotation.notes), "", *notes, "", f"Lists as of: {lists}"]
    return "".join(body).rstrip() + "\n\n" + "\n".join(tail).strip() + "\n"

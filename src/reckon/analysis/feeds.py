"""Changes to the lists as feeds: Atom (RFC 4287) and JSON Feed 1.1.

Readers subscribe to what changed (who was added, amended, removed, on which list and in
which version) without running reckon. Each entry's id is stable across runs (the list
version and the record), so a feed reader shows a change once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from lxml import etree

from reckon.store.queries import Change

_ATOM = "http://www.w3.org/2005/Atom"


def _title(c: Change) -> str:
    return f"{c.change}: {c.caption or c.record_id} ({c.source}:{c.record_id})"


def _summary(c: Change) -> str:
    text = f"{c.source} version of {c.version_date[:10]}: record {c.record_id} {c.change}"
    if c.fields:
        text += f" ({', '.join(c.fields)})"
    if c.entity:
        text += f"; entity {c.entity}"
    return text


def _entry_id(c: Change) -> str:
    # Record ids may hold spaces and slashes (Canada's "ukraine/Part 1/1").
    return "urn:reckon:change:" + ":".join(
        quote(p, safe="") for p in (c.source, c.version_date, c.record_id, c.change)
    )


def _feed_id(title: str) -> str:
    return "urn:reckon:changes:" + quote(title, safe="")


def _timestamp(version_date: str) -> str:
    """An RFC 3339 time for a version date: a bare date is taken as midnight UTC."""
    return version_date if "T" in version_date else f"{version_date}T00:00:00Z"


def atom_feed(changes: Sequence[Change], title: str) -> str:
    """The changes as an Atom feed, newest first."""
    updated = (
        _timestamp(max(c.version_date for c in changes))
        if changes
        else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    feed = etree.Element(f"{{{_ATOM}}}feed", nsmap={None: _ATOM})  # type: ignore[dict-item]
    etree.SubElement(feed, f"{{{_ATOM}}}title").text = title
    etree.SubElement(feed, f"{{{_ATOM}}}id").text = _feed_id(title)
    etree.SubElement(feed, f"{{{_ATOM}}}updated").text = updated
    author = etree.SubElement(feed, f"{{{_ATOM}}}author")
    etree.SubElement(author, f"{{{_ATOM}}}name").text = "reckon"
    for c in reversed(changes):
        entry = etree.SubElement(feed, f"{{{_ATOM}}}entry")
        etree.SubElement(entry, f"{{{_ATOM}}}title").text = _title(c)
        etree.SubElement(entry, f"{{{_ATOM}}}id").text = _entry_id(c)
        etree.SubElement(entry, f"{{{_ATOM}}}updated").text = _timestamp(c.version_date)
        etree.SubElement(entry, f"{{{_ATOM}}}category", term=c.change)
        etree.SubElement(entry, f"{{{_ATOM}}}summary").text = _summary(c)
    return str(etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True), "utf-8")


def json_feed(changes: Sequence[Change], title: str) -> str:
    """The changes as a JSON Feed 1.1, newest first; each item keeps the structured change."""
    items = [
        {
            "id": _entry_id(c),
            "title": _title(c),
            "content_text": _summary(c),
            "date_published": _timestamp(c.version_date),
            "tags": [c.change, c.source],
            "_reckon": {
                "source": c.source,
                "record_id": c.record_id,
                "version_date": c.version_date,
                "change": c.change,
                "fields": c.fields,
                "entity": c.entity,
            },
        }
        for c in reversed(changes)
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"

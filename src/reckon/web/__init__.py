"""The public web pages, rendered on the server (Jinja2) from the same library functions
as the CLI and the API; a little plain JavaScript (static/reckon.js) makes search answer
as one types. Every asset is served by reckon: the pages work offline."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

"""One Jinja2 environment for every page: autoescaped (names on lists are text, never
markup), strict about undefined names, templates from the package."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from reckon.web import TEMPLATES

NAV = (
    ("/", "Search"),
    ("/explore/gaps", "Gaps"),
    ("/explore/coverage", "Coverage"),
    ("/explore/changes", "Changes"),
    ("/explore/companies", "Companies"),
    ("/annotate", "Annotate"),
    ("/about", "About the data"),
    ("/review", "Review"),
)


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page `template` with `context`, inside the site's layout (templates/base.html.j2)."""
    html = (
        environment()
        .get_template(template)
        .render(request=request, nav=NAV, path=request.url.path, **context)
    )
    return HTMLResponse(html, status_code=status_code)

"""GET/POST /login and POST /logout: a reviewer's browser session (reckon.api.auth)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reckon.api.auth import (
    check_csrf,
    check_login_token,
    end_session,
    form,
    login_token,
    session,
    set_login_cookie,
    start_session,
    state,
)
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/review"
    return target


def _form(
    request: Request, next_: str, name: str = "", error: str = "", status_code: int = 200
) -> HTMLResponse:
    nonce, token = login_token(request)
    response = render(
        request, "login.html.j2", status_code=status_code, token=token, next=next_, name=name, error=error
    )
    set_login_cookie(request, response, nonce)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str, Query(max_length=300)] = "/review") -> Response:
    if session(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    fields = await form(request)
    name, password = fields.get("name", "").strip()[:64], fields.get("password", "")
    next_ = safe_next(fields.get("next"))
    if not check_login_token(request, fields.get("token")):
        return _form(request, next_, name, "This form has expired: please log in again.", 403)
    accounts = state(request).accounts
    # scrypt takes tens of milliseconds: off the event loop, which serves /match.
    if not name or not await run_in_threadpool(accounts.check_password, name, password[:1024]):
        return _form(request, next_, name, "Wrong name or password.")
    response = RedirectResponse(next_, status_code=303)
    start_session(request, response, name)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    fields = await form(request)
    s = session(request)
    if s is not None:
        check_csrf(request, s, fields.get("csrf"))
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response

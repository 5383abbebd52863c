"""GET/POST /login and POST /logout: a reviewer's browser session (reckon.api.auth).

Failed logins are counted (`login_keys`): past a few, the form answers 429 with
`Retry-After` until the wait is over, whatever the password, so that guessing gets
nowhere and the real user gets in once it is over."""

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
    login_keys,
    login_token,
    retry_after,
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
    request: Request,
    next_: str,
    name: str = "",
    error: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    nonce, token = login_token(request)
    response = render(
        request, "login.html.j2", status_code=status_code, token=token, next=next_, name=name, error=error
    )
    response.headers.update(headers or {})
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
    if not name:
        return _form(request, next_, name, "Wrong name or password.")
    st = state(request)
    counted = login_keys(request, name)
    waiting = st.throttle.attempt(counted)
    if waiting > 0:
        wait = retry_after(waiting)
        seconds = wait["Retry-After"]
        error = f"Too many failed logins: try again in {seconds} second{'' if seconds == '1' else 's'}."
        return _form(request, next_, name, error, 429, wait)
    # scrypt takes tens of milliseconds: off the event loop, which serves /match.
    if not await run_in_threadpool(st.accounts.check_password, name, password[:1024]):
        return _form(request, next_, name, "Wrong name or password.")
    st.throttle.succeeded(counted)
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

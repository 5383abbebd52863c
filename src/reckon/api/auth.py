"""Who is writing: an API key (`Authorization: Bearer rk_…`) or a reviewer's browser
session, for the routes that write (reckon.auth keeps the accounts).

A session is a cookie signed with HMAC-SHA256 under the secret kept beside the store
(`reckon.auth.session_secret`): the user, a stamp of their password hash (a new password
or a removed user ends it), a random id and an expiry; HttpOnly, SameSite=Lax, Secure
over HTTPS. Every form that writes carries a CSRF token derived from the session's id
(`csrf_token`); JSON writes by session must send it as `X-CSRF-Token`. The login form's
token is tied the same way to a short-lived cookie of its own.

Failed logins and unknown API keys are counted (`reckon.auth.Throttle`, in this
process's memory): per account and client address, per account, and per address. Past a
few failures the next attempt waits, doubling each time up to five minutes, and is
answered 429 with `Retry-After` before then; a success clears the account's and the
address's counts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import HTTPException, Request, Response

from reckon.auth import OK, REVOKED, Accounts, Throttle, session_secret

SESSION_COOKIE = "reckon_session"
LOGIN_COOKIE = "reckon_login"
SESSION_SECONDS = 12 * 3600
LOGIN_SECONDS = 3600


# Failures free of any wait, by what they are counted under. One client guessing one
# account is slowed first; many clients on one account, or one client across accounts,
# later, so that a stranger's guesses slow the real user only past that.
LOGIN_FREE_ACCOUNT_ADDRESS, LOGIN_FREE_ACCOUNT, LOGIN_FREE_ADDRESS = 5, 20, 20
KEY_FREE_ADDRESS = 10


@dataclass(slots=True)
class AuthState:
    accounts: Accounts
    secret: bytes
    throttle: Throttle


_lock = threading.Lock()


def state(request: Request) -> AuthState:
    """The app's accounts and session secret, made on first use (beside the store)."""
    app_state = request.app.state
    found: AuthState | None = getattr(app_state, "auth", None)
    if found is None:
        with _lock:
            found = getattr(app_state, "auth", None)
            if found is None:
                db: Path = request.app.state.settings.db
                found = AuthState(Accounts(db), session_secret(db), Throttle())
                app_state.auth = found
    return found


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, purpose: str, data: str) -> str:
    return _b64(hmac.new(secret, f"{purpose}|{data}".encode(), hashlib.sha256).digest())


@dataclass(frozen=True, slots=True)
class Session:
    user: str
    sid: str
    started: float  # when the user logged in (seconds since the epoch)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, user: str) -> None:
    st = state(request)
    stamp = st.accounts.session_stamp(user) or ""
    payload = _b64(
        json.dumps(
            {"u": user, "s": stamp, "n": secrets.token_hex(16), "e": int(time.time()) + SESSION_SECONDS}
        ).encode("utf-8")
    )
    response.set_cookie(
        SESSION_COOKIE,
        f"{payload}.{_sign(st.secret, 'session', payload)}",
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def session(request: Request) -> Session | None:
    """The request's valid session, if any."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw or raw.count(".") != 1:
        return None
    payload, signature = raw.split(".")
    st = state(request)
    if not hmac.compare_digest(signature, _sign(st.secret, "session", payload)):
        return None
    try:
        body: dict[str, Any] = json.loads(_unb64(payload))
        user, stamp, sid, expires = str(body["u"]), str(body["s"]), str(body["n"]), int(body["e"])
    except (ValueError, KeyError, TypeError):
        return None
    if expires < time.time():
        return None
    current = st.accounts.session_stamp(user)
    if current is None or not hmac.compare_digest(current, stamp):
        return None
    return Session(user, sid, expires - SESSION_SECONDS)


def csrf_token(request: Request, s: Session) -> str:
    return _sign(state(request).secret, "csrf", s.sid)


def check_csrf(request: Request, s: Session, token: str | None) -> None:
    if not token or not hmac.compare_digest(token, csrf_token(request, s)):
        raise HTTPException(403, detail="missing or wrong CSRF token; reload the page")


def login_token(request: Request) -> tuple[str, str]:
    """(nonce, token) for the login form: the nonce goes in a cookie (`set_login_cookie`),
    the token in the form; the request's own nonce is kept if it has one."""
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    if len(nonce) != 32:
        nonce = secrets.token_hex(16)
    return nonce, _sign(state(request).secret, "login", nonce)


def set_login_cookie(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def check_login_token(request: Request, token: str | None) -> bool:
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or not token:
        return False
    return hmac.compare_digest(token, _sign(state(request).secret, "login", nonce))


async def form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body, each field's first value."""
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def client_address(request: Request) -> str:
    """The client's address as the server saw it (a proxy's own, unless uvicorn is told
    to trust its `X-Forwarded-For`)."""
    return request.client.host if request.client else "unknown"


Keys = list[tuple[str, int]]


def login_keys(request: Request, name: str) -> Keys:
    """What a login attempt is counted under, each with its failures free of any wait."""
    address = client_address(request)
    return [
        (f"login {name} from {address}", LOGIN_FREE_ACCOUNT_ADDRESS),
        (f"login {name}", LOGIN_FREE_ACCOUNT),
        (f"login from {address}", LOGIN_FREE_ADDRESS),
    ]


def retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


def writer(request: Request) -> str:
    """Who writes this request: the name of its API key, or its session's user (with the
    CSRF token in `X-CSRF-Token`). 401 without either, 403 for a revoked key."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise HTTPException(401, detail="Authorization must be `Bearer <API key>`", headers=_CHALLENGE)
        st = state(request)
        counted: Keys = [(f"key from {client_address(request)}", KEY_FREE_ADDRESS)]
        waiting = st.throttle.wait(counted)
        if waiting > 0:
            raise HTTPException(
                429, detail="too many unknown API keys from this address", headers=retry_after(waiting)
            )
        # A key once verified is a dictionary look-up: a client's good keys are never
        # counted up front, so that many writers at once are never slowed by each other.
        outcome, name = st.accounts.check_key(key.strip())
        if outcome == OK and name:
            st.throttle.succeeded(counted)
            return name
        st.throttle.failed(counted)
        if outcome == REVOKED:
            raise HTTPException(403, detail="this API key has been revoked")
        raise HTTPException(401, detail="unknown API key", headers=_CHALLENGE)
    s = session(request)
    if s is None:
        raise HTTPException(
            401,
            detail="an API key (Authorization: Bearer …) or a login is needed to write",
            headers=_CHALLENGE,
        )
    check_csrf(request, s, request.headers.get("x-csrf-token"))
    return s.user


_CHALLENGE = {"WWW-Authenticate": "Bearer"}

"""Who may write over HTTP: reviewer accounts (name and password) and API keys, kept
hashed in a file beside the store (`<store>.auth.json`, mode 0600), and the secret that
signs browser sessions (`<store>.secret`, 0600).

Passwords and keys are hashed with scrypt (a salt of their own each, n=2**14, r=8, p=1)
and compared in constant time; neither is written anywhere in clear. A key is shown once,
when created: `rk_<id>_<secret>`, where the id (also shown by `reckon keys list`) finds
its entry and the whole key is checked against the entry's hash. A revoked key stays in
the file, so that using it says "revoked" (403) rather than "unknown" (401).

The file is rewritten whole (beside it, then renamed into place) under a lock file, so
that `reckon users add` and a running server never see half of it; `Accounts` re-reads
it when it changes, so a revoked key is refused without a restart.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reckon.store.errors import StoreError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
KEY = re.compile(r"^rk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


class AuthError(StoreError):
    """A user or key the command refuses (nothing changed); the message says why."""


def auth_path(db: Path) -> Path:
    return db.with_name(db.name + ".auth.json")


def secret_path(db: Path) -> Path:
    return db.with_name(db.name + ".secret")


# ---------------------------------------------------------------- hashing


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_secret(secret: str) -> str:
    """`scrypt$n$r$p$salt$hash` of a password or key, with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` hashes to `stored` (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = _unb64(digest)
        got = hashlib.scrypt(
            secret.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# ---------------------------------------------------------------- the file


@dataclass(frozen=True, slots=True)
class User:
    name: str
    created: str
    password_hash: str


@dataclass(frozen=True, slots=True)
class ApiKey:
    key_id: str
    name: str  # whose key: judgements written with it carry this name
    created: str
    revoked: str | None
    key_hash: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"users": {}, "keys": {}}
    try:
        data = json.loads(raw)
        assert isinstance(data, dict) and isinstance(data["users"], dict) and isinstance(data["keys"], dict)
    except (ValueError, KeyError, AssertionError):
        raise AuthError(f"{path}: not a reckon accounts file") from None
    return data


@contextmanager
def _editing(db: Path) -> Iterator[dict[str, Any]]:
    """The accounts file's content to change in a `with` block, written back atomically."""
    path = auth_path(db)
    if not db.exists():
        raise AuthError(f"{db}: no reckon store here; give --db")
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read(path)
        yield data
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        os.close(lock)


def _check_name(name: str) -> str:
    if not NAME.match(name):
        raise AuthError(
            f"{name!r}: a name is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
        )
    return name


def add_user(db: Path, name: str, password: str, *, replace: bool = False) -> User:
    """A reviewer account; with `replace`, a new password for an existing one."""
    _check_name(name)
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password needs at least {MIN_PASSWORD} characters")
    with _editing(db) as data:
        if name in data["users"] and not replace:
            raise AuthError(f"user {name!r} exists (--replace sets a new password)")
        user = User(name, _now(), hash_secret(password))
        data["users"][name] = {"created": user.created, "password": user.password_hash}
    return user


def remove_user(db: Path, name: str) -> None:
    with _editing(db) as data:
        if data["users"].pop(name, None) is None:
            raise AuthError(f"no user {name!r}")


def users(db: Path) -> list[User]:
    data = _read(auth_path(db))
    return [User(n, str(u["created"]), str(u["password"])) for n, u in sorted(data["users"].items())]


def create_key(db: Path, name: str) -> tuple[ApiKey, str]:
    """A new API key for `name`; returns its entry and the key itself (shown once)."""
    _check_name(name)
    key_id = secrets.token_hex(6)
    key = f"rk_{key_id}_{secrets.token_urlsafe(32)}"
    entry = ApiKey(key_id, name, _now(), None, hash_secret(key))
    with _editing(db) as data:
        data["keys"][key_id] = {
            "name": name,
            "created": entry.created,
            "revoked": None,
            "hash": entry.key_hash,
        }
    return entry, key


def revoke_key(db: Path, which: str) -> list[ApiKey]:
    """Revoke a key by its id (or the whole key), or every live key of a name."""
    m = KEY.match(which)
    wanted = m.group(1) if m else which
    with _editing(db) as data:
        hits = [
            k for k, v in data["keys"].items() if (k == wanted or v["name"] == wanted) and not v["revoked"]
        ]
        if not hits:
            raise AuthError(f"no live key {which!r} (give its id from `reckon keys list`, or its name)")
        for k in hits:
            data["keys"][k]["revoked"] = _now()
    return [k for k in keys(db) if k.key_id in hits]


def keys(db: Path) -> list[ApiKey]:
    data = _read(auth_path(db))
    return [
        ApiKey(k, str(v["name"]), str(v["created"]), v.get("revoked"), str(v["hash"]))
        for k, v in sorted(data["keys"].items(), key=lambda kv: (kv[1]["created"], kv[0]))
    ]


# ---------------------------------------------------------------- checking (the server)

OK, REVOKED, UNKNOWN = "ok", "revoked", "unknown"


class Accounts:
    """The accounts file as a server checks it: re-read when it changes on disk; a key
    once verified is remembered by its SHA-256 (scrypt is ~50 ms a check) until then."""

    def __init__(self, db: Path):
        self.db = db
        self._path = auth_path(db)
        self._stamp: tuple[int, int, int] | None = None
        self._data: dict[str, Any] = {"users": {}, "keys": {}}
        self._verified: dict[bytes, str] = {}
        self._lock = threading.Lock()

    def _current(self) -> dict[str, Any]:
        try:
            st = self._path.stat()
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._data = _read(self._path) if stamp else {"users": {}, "keys": {}}
                self._stamp = stamp
                self._verified = {}
            return self._data

    def check_key(self, key: str) -> tuple[str, str | None]:
        """(OK, the key's name), (REVOKED, name) or (UNKNOWN, None)."""
        data = self._current()
        m = KEY.match(key)
        entry = data["keys"].get(m.group(1)) if m else None
        if entry is None:
            return UNKNOWN, None
        fingerprint = hashlib.sha256(key.encode("utf-8")).digest()
        with self._lock:
            known = self._verified.get(fingerprint)
        if known is None:
            if not verify_secret(key, str(entry["hash"])):
                return UNKNOWN, None
            with self._lock:
                self._verified[fingerprint] = str(entry["name"])
        return (REVOKED if entry.get("revoked") else OK), str(entry["name"])

    def check_password(self, name: str, password: str) -> bool:
        user = self._current()["users"].get(name)
        if user is None:
            verify_secret(password, _DUMMY)  # the same time whether or not the name exists
            return False
        return verify_secret(password, str(user["password"]))

    def session_stamp(self, name: str) -> str | None:
        """A short digest of the user's password hash: a session signed with it ends
        when the password changes or the user is removed (None then)."""
        user = self._current()["users"].get(name)
        if user is None:
            return None
        return hashlib.sha256(str(user["password"]).encode("ascii")).hexdigest()[:16]


_DUMMY = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(b'0' * 16)}${_b64(b'0' * 32)}"


def session_secret(db: Path) -> bytes:
    """The key that signs session cookies: made once (32 random bytes, mode 0600) beside
    the store, read after that. Written whole beside it and linked into place, so that a
    second server starting at the same time reads the same key, never half of it."""
    path = secret_path(db)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text("ascii").strip())


# ---------------------------------------------------------------- failed attempts (the server)


class Throttle:
    """Failed attempts per key (an account, a client address …), kept in this process's
    memory: a server with several workers, or restarted, counts apart.

    The first `free` failures of a key cost nothing. After that, the key's next attempt
    must wait `BASE × 2^(failures − free)` seconds (at most CAP) after its last failure and
    is refused before (`wait` says how long): slow enough to make guessing a password
    hopeless, never a lock that only an operator can lift. A key with no failure for
    FORGET seconds starts from nothing again; a success clears the keys it names.

    `attempt` counts an attempt as failed before it is checked, so that many attempts
    sent at once cannot all slip through before the first is counted; `succeeded`
    clears that count again."""

    BASE, CAP, FORGET = 1.0, 300.0, 900.0
    SIZE = 100_000  # keys remembered; the ones with the oldest failure go first

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, last failure), oldest first
        self._lock = threading.Lock()

    def _current(self, key: str, now: float) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, 0.0))
        if count and now - last > self.FORGET:
            del self._failures[key]
            return 0, 0.0
        return count, last

    def wait(self, keys: Sequence[tuple[str, int]]) -> float:
        """Seconds before the next attempt on `keys` ((key, free failures) pairs) may be
        made; 0 if it may be made now."""
        with self._lock:
            return max(self._wait_locked(keys), 0.0)

    def attempt(self, keys: Sequence[tuple[str, int]]) -> float:
        """0 when an attempt on `keys` may be made now, and then counted as failed until
        `succeeded` says otherwise; else the seconds to wait (nothing is counted)."""
        with self._lock:
            waiting = self._wait_locked(keys)
            if waiting <= 0:
                self._failed_locked(keys)
            return max(waiting, 0.0)

    def failed(self, keys: Sequence[tuple[str, int]]) -> None:
        """Count a failed attempt on `keys`."""
        with self._lock:
            self._failed_locked(keys)

    def _failed_locked(self, keys: Sequence[tuple[str, int]]) -> None:
        now = self._clock()
        for key, _ in keys:
            count, _ = self._current(key, now)
            self._failures.pop(key, None)
            self._failures[key] = (count + 1, now)  # to the end: the newest failure
        while len(self._failures) > self.SIZE:
            del self._failures[next(iter(self._failures))]

    def _wait_locked(self, keys: Sequence[tuple[str, int]]) -> float:
        now = self._clock()
        longest = 0.0
        for key, free in keys:
            count, last = self._current(key, now)
            if count >= free:
                longest = max(longest, last + min(self.BASE * 2 ** (count - free), self.CAP) - now)
        return longest

    def succeeded(self, keys: Sequence[tuple[str, int]]) -> None:
        with self._lock:
            for key, _ in keys:
                self._failures.pop(key, None)

    def failures(self, key: str) -> int:
        with self._lock:
            return self._current(key, self._clock())[0]

"""Accounts and API keys (reckon.auth, `reckon users`, `reckon keys`): hashed with a salt
each, never stored in clear, a wrong secret refused, a revoked key told apart."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon import auth
from reckon.cli import app as cli_app
from reckon.store import connect

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    connect(path).close()
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_hashes_verify_the_secret_and_nothing_else() -> None:
    stored = auth.hash_secret(PASSWORD)
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert auth.verify_secret(PASSWORD, stored)
    for wrong in ("", "correct horse battery ", "Correct horse battery", PASSWORD[:-1]):
        assert not auth.verify_secret(wrong, stored)
    # A salt of its own each time: the same password never hashes the same.
    assert auth.hash_secret(PASSWORD) != stored
    # A damaged entry is a refusal, not an error.
    assert not auth.verify_secret(PASSWORD, "scrypt$x$8$1$a$b")
    assert not auth.verify_secret(PASSWORD, "plain$" + PASSWORD)


def test_users_are_stored_hashed_in_a_private_file(db: Path) -> None:
    auth.add_user(db, "ana", PASSWORD)
    path = auth.auth_path(db)
    text = path.read_text()
    assert PASSWORD not in text and "ana" in text
    assert _mode(path) == 0o600
    accounts = auth.Accounts(db)
    assert accounts.check_password("ana", PASSWORD)
    assert not accounts.check_password("ana", "wrong password!")
    assert not accounts.check_password("nobody", PASSWORD)
    with pytest.raises(auth.AuthError, match="exists"):
        auth.add_user(db, "ana", "another password")
    with pytest.raises(auth.AuthError, match="at least"):
        auth.add_user(db, "ben", "short")
    with pytest.raises(auth.AuthError, match="a name is"):
        auth.add_user(db, "bad name", PASSWORD)
    # A new password: the old one no longer works, and sessions signed before end.
    stamp = accounts.session_stamp("ana")
    auth.add_user(db, "ana", "a new password", replace=True)
    assert not accounts.check_password("ana", PASSWORD)
    assert accounts.check_password("ana", "a new password")
    assert accounts.session_stamp("ana") not in (None, stamp)
    auth.remove_user(db, "ana")
    assert accounts.session_stamp("ana") is None
    assert [u.name for u in auth.users(db)] == []


def test_keys_are_stored_hashed_checked_and_revoked(db: Path) -> None:
    entry, key = auth.create_key(db, "screening-bot")
    assert key.startswith(f"rk_{entry.key_id}_")
    text = auth.auth_path(db).read_text()
    assert key not in text and key.split("_", 2)[2] not in text
    accounts = auth.Accounts(db)
    assert accounts.check_key(key) == (auth.OK, "screening-bot")
    assert accounts.check_key(key) == (auth.OK, "screening-bot")  # remembered, still right
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert accounts.check_key(tampered) == (auth.UNKNOWN, None)
    assert accounts.check_key("rk_000000000000_" + "a" * 43) == (auth.UNKNOWN, None)
    assert accounts.check_key("not a key") == (auth.UNKNOWN, None)
    # Revoked in the file: the running checker reads it again and refuses the key.
    (revoked,) = auth.revoke_key(db, entry.key_id)
    assert revoked.revoked is not None
    assert accounts.check_key(key) == (auth.REVOKED, "screening-bot")
    with pytest.raises(auth.AuthError, match="no live key"):
        auth.revoke_key(db, entry.key_id)


def test_session_secret_is_private_and_stable(db: Path) -> None:
    first = auth.session_secret(db)
    assert len(first) == 32 and auth.session_secret(db) == first
    assert _mode(auth.secret_path(db)) == 0o600


def test_cli_users_and_keys(db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli_app, ["users", "add", "ana", "--password-stdin", "--db", str(db)], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli_app, ["users", "add", "ben", "--password-stdin", "--db", str(db)], input="short\n"
    )
    assert result.exit_code == 2 and "at least" in result.output
    result = runner.invoke(cli_app, ["users", "list", "--db", str(db), "--json"])
    assert [u["name"] for u in json.loads(result.stdout)] == ["ana"]
    assert "scrypt" not in result.stdout
    result = runner.invoke(cli_app, ["keys", "create", "bot", "--db", str(db)])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[0]
    assert auth.Accounts(db).check_key(key) == (auth.OK, "bot")
    listed = runner.invoke(cli_app, ["keys", "list", "--db", str(db), "--json"]).stdout
    assert key not in listed and json.loads(listed)[0]["revoked"] is None
    result = runner.invoke(cli_app, ["keys", "revoke", "bot", "--db", str(db)])
    assert result.exit_code == 0 and "revoked" in result.stdout
    assert auth.Accounts(db).check_key(key) == (auth.REVOKED, "bot")
    # Nothing anywhere beside the store holds a secret in clear.
    for path in db.parent.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and key.encode() not in data, path
    missing = db.parent / "none.duckdb"
    result = runner.invoke(cli_app, ["keys", "create", "bot", "--db", str(missing)])
    assert result.exit_code == 2 and "no reckon store" in result.output


class Clock:
    """A clock the test moves: the throttle's waits without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failed_attempts_wait_longer_each_time_and_a_success_clears() -> None:
    clock = Clock()
    throttle = auth.Throttle(clock)
    ana = [("login ana from 10.0.0.1", 5), ("login ana", 20)]
    for _ in range(5):  # the first five failures cost nothing
        assert throttle.attempt(ana) == 0  # counted as failed until told otherwise
    assert throttle.failures("login ana from 10.0.0.1") == 5
    # The sixth waits a second after the fifth, whatever its password: nothing is counted.
    assert throttle.attempt(ana) == 1.0
    clock.now += 0.25
    assert throttle.wait(ana) == 0.75
    assert throttle.failures("login ana from 10.0.0.1") == 5
    # Another client on another account is not slowed by it.
    assert throttle.wait([("login ben from 10.0.0.2", 5), ("login ben", 20)]) == 0
    # Each failure past the free ones doubles the wait, up to CAP.
    waits = []
    for _ in range(12):
        clock.now += throttle.wait(ana)
        assert throttle.attempt(ana) == 0
        waits.append(throttle.wait(ana))
    assert waits[:4] == [2.0, 4.0, 8.0, 16.0] and max(waits) == auth.Throttle.CAP
    # The real user, after the wait: a success clears both counts.
    clock.now += throttle.wait(ana)
    assert throttle.attempt(ana) == 0
    throttle.succeeded(ana)
    assert throttle.failures("login ana from 10.0.0.1") == 0 and throttle.failures("login ana") == 0
    for _ in range(5):
        assert throttle.attempt(ana) == 0


def test_failures_are_forgotten_and_the_count_is_bounded() -> None:
    clock = Clock()
    throttle = auth.Throttle(clock)
    key = [("key from 10.0.0.3", 3)]
    for _ in range(3):
        throttle.failed(key)
    assert throttle.wait(key) == 1.0
    # No failure for FORGET seconds: from nothing again, never a lock for good.
    clock.now += auth.Throttle.FORGET + 1
    assert throttle.wait(key) == 0 and throttle.failures("key from 10.0.0.3") == 0
    throttle.SIZE = 3
    for n in range(5):
        throttle.failed([(f"login from 10.0.1.{n}", 20)])
    assert [throttle.failures(f"login from 10.0.1.{n}") for n in range(5)] == [0, 0, 1, 1, 1]

"""`reckon users …` and `reckon keys …`: who may write over HTTP (reckon.auth).

Reviewer accounts log in to the review pages; API keys authorise `POST /judgements`.
Both are kept hashed beside the store; a key is printed once, when created."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from reckon.cli import DbOption, JsonOption, _fail, _print_json, app, out

users_app = typer.Typer(help="Reviewer accounts for the review pages (passwords kept hashed).")
keys_app = typer.Typer(help="API keys for writes over HTTP (kept hashed; shown once).")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as judgements will carry it.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Set a new password for an existing user.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a reviewer (the password is prompted for, twice, unless --password-stdin)."""
    from reckon.auth import AuthError, add_user
    from reckon.store import db_path

    try:
        add_user(db_path(db), name, _password(password_stdin), replace=replace)
    except AuthError as exc:
        raise _fail(str(exc)) from None
    out.print(f"user {name} {'updated' if replace else 'added'}", highlight=False)


@users_app.command("list")
def users_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Reviewer accounts (names and when they were made; never the passwords)."""
    from reckon.auth import AuthError, users
    from reckon.store import db_path

    try:
        found = users(db_path(db))
    except AuthError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        _print_json([{"name": u.name, "created": u.created} for u in found])
        return
    table = Table(title=f"{len(found)} users")
    table.add_column("name")
    table.add_column("created")
    for u in found:
        table.add_row(u.name, u.created)
    out.print(table)


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="The reviewer.")], db: DbOption = None) -> None:
    """Remove a reviewer; their sessions end at once (their judgements stay)."""
    from reckon.auth import AuthError, remove_user
    from reckon.store import db_path

    try:
        remove_user(db_path(db), name)
    except AuthError as exc:
        raise _fail(str(exc)) from None
    out.print(f"user {name} removed", highlight=False)


@keys_app.command("create")
def keys_create(
    name: Annotated[
        str, typer.Argument(help="Who uses the key: judgements written with it carry this name.")
    ],
    db: DbOption = None,
) -> None:
    """Create an API key and print it, once: it is kept only hashed."""
    from reckon.auth import AuthError, create_key
    from reckon.store import db_path

    try:
        entry, key = create_key(db_path(db), name)
    except AuthError as exc:
        raise _fail(str(exc)) from None
    # The key alone on stdout (for scripts); what it is on stderr.
    typer.echo(key)
    typer.echo(f"key {entry.key_id} for {name}: shown once, keep it safe", err=True)


@keys_app.command("list")
def keys_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """API keys: id, name, created, revoked (never the keys)."""
    from reckon.auth import AuthError, keys
    from reckon.store import db_path

    try:
        found = keys(db_path(db))
    except AuthError as exc:
        raise _fail(str(exc)) from None
    rows = [{"id": k.key_id, "name": k.name, "created": k.created, "revoked": k.revoked} for k in found]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(found)} keys")
    for col in ("id", "name", "created", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r[c] or "") for c in ("id", "name", "created", "revoked")))
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    which: Annotated[
        str, typer.Argument(help="A key's id (from `reckon keys list`), the key, or a name (all its keys).")
    ],
    db: DbOption = None,
) -> None:
    """Revoke API keys: using one is then refused (403)."""
    from reckon.auth import AuthError, revoke_key
    from reckon.store import db_path

    try:
        revoked = revoke_key(db_path(db), which)
    except AuthError as exc:
        raise _fail(str(exc)) from None
    for k in revoked:
        out.print(f"key {k.key_id} ({k.name}) revoked", highlight=False)

"""CORS (issue 19): off by default; RECKON_API_CORS_ORIGINS lets pages of those origins call
the read-only routes and /match from a browser, as yente allows, and nothing that writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.api.settings import Settings
from tests.api.conftest import Server, running_server
from tests.api.test_serving import VESSEL, copy_store

ORIGIN = "https://newsroom.example"


@pytest.fixture(scope="module")
def cors_server(api_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("cors")
    db = copy_store(api_store, folder / "store.duckdb")  # api_store may be served meanwhile
    env = {"RECKON_API_CORS_ORIGINS": f"{ORIGIN}, http://localhost:3000", "RECKON_API_WARM": "0"}
    with running_server(db, folder / "serve.log", env) as srv:
        yield srv


def preflight(server: Server, path: str, method: str, origin: str = ORIGIN) -> dict[str, str]:
    reply = server.request(
        "OPTIONS",
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )
    return reply.headers if reply.status == 200 else {}


def test_off_by_default(server: Server) -> None:
    reply = server.request("GET", "/catalog", headers={"Origin": ORIGIN})
    assert reply.status == 200 and "access-control-allow-origin" not in reply.headers
    assert "access-control-allow-origin" not in preflight(server, "/match/default", "POST")


def test_read_only_routes_and_match_from_the_origins_given(cors_server: Server) -> None:
    reply = cors_server.request("GET", "/search/default?q=Abramovich", headers={"Origin": ORIGIN})
    assert reply.status == 200 and reply.headers["access-control-allow-origin"] == ORIGIN
    assert "x-reckon-generation" in reply.headers["access-control-expose-headers"].lower()
    allowed = preflight(cors_server, "/match/default", "POST")
    assert (
        allowed["access-control-allow-origin"] == ORIGIN and "POST" in allowed["access-control-allow-methods"]
    )
    match = cors_server.request(
        "POST",
        "/match/default",
        json.dumps(VESSEL).encode(),
        {"Origin": "http://localhost:3000", "Content-Type": "application/json"},
    )
    assert match.status == 200 and match.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_no_cors_for_other_origins_nor_for_writes(cors_server: Server) -> None:
    reply = cors_server.request("GET", "/catalog", headers={"Origin": "https://elsewhere.example"})
    assert reply.status == 200 and "access-control-allow-origin" not in reply.headers
    for path in ("/judgements", "/review/decide", "/login"):
        assert "access-control-allow-origin" not in preflight(cors_server, path, "POST"), path
        reply = cors_server.request(
            "POST", path, b"{}", {"Origin": ORIGIN, "Content-Type": "application/json"}
        )
        assert "access-control-allow-origin" not in reply.headers, path
        assert "access-control-allow-credentials" not in reply.headers


def test_origins_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECKON_API_CORS_ORIGINS", " https://a.example/ ,*,https://a.example")
    settings = Settings.from_env(tmp_path / "x.duckdb")
    assert settings.cors_origins == ("https://a.example", "*")
    assert (
        Settings.from_env(tmp_path / "x.duckdb").environ()["RECKON_API_CORS_ORIGINS"] == "https://a.example,*"
    )
    monkeypatch.setenv("RECKON_API_CORS_ORIGINS", "a.example/path")
    with pytest.raises(ValueError, match="not an origin"):
        Settings.from_env(tmp_path / "x.duckdb")
    monkeypatch.delenv("RECKON_API_CORS_ORIGINS")
    assert Settings.from_env(tmp_path / "x.duckdb").cors_origins == ()

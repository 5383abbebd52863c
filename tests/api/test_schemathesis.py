"""schemathesis against the running server's OpenAPI document: requests generated from
every operation's declared parameters and bodies, valid and invalid, and not one 5xx.

Bounded: a fixed number of examples per operation and mode (fewer for the whole-store
analyses, each of whose new `max_age` reads every status afresh), so it finishes in
about two minutes. POST /judgements is left out: it writes to the judgement log."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Server

EXAMPLES = 25
HEAVY = {"/coverage": 6, "/timeline": 6, "/lag": 6, "/gaps": 8, "/dossier/{name}": 10}
WRITES = {"/judgements"}


@pytest.mark.integration
def test_no_operation_answers_5xx(server: Server) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    base = f"http://{server.host}:{server.port}"
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    failures: list[str] = []
    seen: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in WRITES:
            continue
        seen.add(f"{operation.method.upper()} {operation.path}")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=HEAVY.get(operation.path, EXAMPLES),
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: Any) -> None:
                response = case.call(base_url=base, timeout=60)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} query={case.query!r} body={str(case.body)[:200]!r}"
                        f" → {response.status_code} {response.text[:200]}"
                    )

            try:
                call()
            except Unsatisfiable:  # no invalid request can be made of an operation without inputs
                assert mode == GenerationMode.NEGATIVE, operation.path
    assert {
        "GET /search/{dataset}",
        "POST /reconcile/{dataset}",
        "POST /match/{dataset}",
        "GET /coverage",
    } <= seen
    assert not failures, "\n".join(failures[:20])

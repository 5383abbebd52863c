"""POST /annotate and POST /annotate/file over real HTTP: real texts of the evaluation set
(tests/annotate/data) against the API's store (the SDN list of 2024-05-03, Abramovich's
UK and Australian records, the EU sample)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Server

DATA = Path(__file__).parents[1] / "annotate" / "data"


def text_of(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def at(mentions: list[dict[str, Any]], surface: str, text: str) -> dict[str, Any] | None:
    start = text.index(surface)
    return next((m for m in mentions if m["start"] <= start < m["end"]), None)


def upload(server: Server, name: str, data: bytes, threshold: str | None = None) -> Any:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    ]
    if threshold is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="threshold"\r\n\r\n{threshold}\r\n'.encode()
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return server.request(
        "POST", "/annotate/file", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )


@pytest.mark.integration
def test_a_news_text_links_the_listed_and_not_the_prime_minister(server: Server) -> None:
    text = text_of("en_controltv_20220310")
    reply = server.post("/annotate", {"text": text})
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["text_length"] == len(text)
    assert "gb_hmt_sanctions" in body["lists"] and "us_ofac_sdn" in body["lists"]
    mentions = body["mentions"]
    for m in mentions:
        assert text[m["start"] : m["end"]] == m["surface"]
    roman = at(mentions, "Roman Abramovich", text)
    assert roman is not None and roman["decision"] == "linked"
    assert "gb_hmt_sanctions:14212" in roman["records"] and roman["reasons"]
    assert any(s["jurisdiction"] == "gb" and s["status"] == "listed" for s in roman["status"])
    # "Mr Abramovich", later: the same entity.
    later = [m for m in mentions if m["surface"] == "Abramovich" and m["start"] > roman["end"]]
    assert later and all(m["entity"] == roman["entity"] for m in later)
    assert at(mentions, "Boris Johnson", text) is None


@pytest.mark.integration
def test_a_russian_file_upload_finds_inflected_names(server: Server) -> None:
    name = "ru_m24_20220315"
    data = (DATA / f"{name}.txt").read_bytes()
    reply = upload(server, f"{name}.txt", data, threshold="0.7")
    assert reply.status == 200, reply.body
    body = reply.json()
    text = body["text"]
    assert text == data.decode("utf-8")
    # The genitive of Шугаев; the SDN list of 2024-05-03 spells him SHUGAEV, Dmitry.
    shugaev = at(body["mentions"], "Дмитрия Шугаева", text)
    assert shugaev is not None and shugaev["decision"] == "linked"
    assert "us_ofac_sdn:35746" in shugaev["records"]
    assert shugaev["surface"] == "Дмитрия Шугаева"


@pytest.mark.integration
def test_bad_documents_are_a_clear_400_and_bad_parameters_a_422(server: Server) -> None:
    binary = upload(server, "photo.txt", bytes(range(256)) * 64)
    assert binary.status == 400
    assert "photo.txt" in binary.json()["detail"]
    no_text = upload(server, "scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert no_text.status == 400 and no_text.json()["detail"]
    assert server.post("/annotate", {"text": "Putin", "threshold": 2}).status == 422
    assert server.post("/annotate", {"txt": "Putin"}).status == 422
    big = server.post("/annotate", {"text": "Путин " * 400_000})
    assert big.status == 413


@pytest.mark.integration
def test_markup_in_a_text_comes_back_as_the_text_it_was(server: Server) -> None:
    text = "<script>alert(1)</script> Roman Abramovich"
    reply = server.post("/annotate", {"text": text})
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/json")
    mentions = reply.json()["mentions"]
    assert [m["surface"] for m in mentions if m["decision"] == "linked"] == ["Roman Abramovich"]

"""Screening real names against real lists, and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon.cli import app
from reckon.match.index import Index, entity_keys, key_scales
from reckon.match.prepare import Prepared, prepare
from reckon.screening import Query, ScreenError, query_entity, screen, split_birth_date, split_names
from reckon.store import connect
from tests.conftest import ingested, memory_index

FILES = [
    "uk_ofsi/ConList_2025-04-14.xlsx",
    "au/Australian_Sanctions_Consolidated_List_2026-02.xlsx",
    "ofac_sdn_history/sdn_2024-05-03.csv",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(tmp_path_factory.mktemp("screen") / "screen.duckdb", FILES)


@pytest.fixture(scope="module")
def index(store: Path) -> Index:
    return memory_index(store)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Абрамович Роман", {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754"}),
        ("Roman Abramovitch", {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754"}),
        ("ABRAMOVICH, Roman Arkadievich", {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754"}),
        ("Владимир Путин", {"gb_hmt_sanctions:14196", "au_dfat_sanctions:6678", "us_ofac_sdn:35096"}),
        ("Oleg Deripaska", {"gb_hmt_sanctions:14214", "au_dfat_sanctions:6770", "us_ofac_sdn:24283"}),
    ],
)
def test_the_right_entities_come_first(index: Index, name: str, expected: set[str]) -> None:
    hits = screen(index, Query(name, schema="Person"), limit=len(expected))
    assert {h.entity.id for h in hits} == expected
    assert all(h.score >= 0.9 for h in hits)


@pytest.mark.integration
def test_birth_date_separates_namesakes(index: Index) -> None:
    hits = screen(index, Query("Oleg Deripaska", schema="Person", birth_date="1990"), limit=5, threshold=0.0)
    assert hits and all(h.score < 0.7 for h in hits)
    assert any("conflicts" in h.result.explanation for h in hits)


@pytest.mark.integration
@pytest.mark.parametrize(
    "name",
    ["ABRAMOVICH, Roman Arkadievich b. 1966", "Abramovich Roman Arkadyevich (born 24.10.1966)"],
)
def test_a_name_as_pasted_without_a_schema(index: Index, name: str) -> None:
    # No --schema: the name is read as a person's against people, so its surname and
    # given name pair up, and the birth date written into it counts.
    hits = screen(index, Query(name), limit=2)
    assert {h.entity.id for h in hits} == {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754"}
    assert all("birth date 1966" in h.result.explanation and h.score > 0.95 for h in hits)


@pytest.mark.integration
def test_a_name_with_its_other_script_form_pasted_after_it(index: Index) -> None:
    hits = screen(index, Query("Putin, Vladimir Vladimirovich (Путин Владимир Владимирович)"), limit=3)
    assert {h.entity.id for h in hits} == {
        "gb_hmt_sanctions:14196",
        "au_dfat_sanctions:6678",
        "us_ofac_sdn:35096",
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Putin, Vladimir Vladimirovich (Путин Владимир Владимирович)",
            ["Putin, Vladimir Vladimirovich", "Путин Владимир Владимирович"],
        ),
        ("Bank Rossiya a.k.a. Rossiya Bank", ["Bank Rossiya", "Rossiya Bank"]),
        ("Sberbank (Russia)", ["Sberbank (Russia)"]),  # one script: part of the name
        ("Akasaka Trading", ["Akasaka Trading"]),
    ],
)
def test_names_written_into_one_query(text: str, names: list[str]) -> None:
    assert split_names(text) == names
    props = query_entity(Query(text))["properties"]
    assert [*props["name"], *props.get("alias", [])] == names


@pytest.mark.integration
def test_a_person_read_as_an_organisation_still_meets_organisations(index: Index) -> None:
    hits = screen(index, Query("Rosneft"), limit=3)
    assert hits and all(h.entity.schema != "Person" and "ROSNEFT" in h.entity.caption.upper() for h in hits)


@pytest.mark.integration
def test_generic_words_do_not_crowd_out_the_name(index: Index) -> None:
    # On the full lists EXPORT is a little rarer than GAZPROM: weighed in full, its
    # keys filled every candidate place with exporters and no Gazprom company was
    # scored. The same proportions here: the real Gazprom records, and fewer exporters.
    q = prepare(query_entity(Query('ООО "Газпром экспорт"')))
    scaled = key_scales(q)
    (core,) = (k for k in entity_keys(q) if k.startswith("s:") and k not in scaled)  # s:gaZprom
    (generic,) = (k for k in scaled if k.startswith("s:"))  # s:eksport

    def carrying(key: str, not_key: str) -> list[Prepared]:
        return [e for e in index.entities if key in entity_keys(e) and not_key not in entity_keys(e)]

    gazprom = carrying(core, generic)
    exporters = carrying(generic, core)[: len(gazprom) - 1]
    assert len(exporters) >= 3
    small = Index([*gazprom, *exporters])
    found = [small.entities[pos] for pos in small.candidates(q, limit=len(gazprom))]
    assert all(e in gazprom for e in found), [e.caption for e in found]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "listed", "sibling"),
    [
        # Separate OFAC SDN entries of one family, named by what each does.
        ("SAMAN BANK", "us_ofac_sdn:13135", "us_ofac_sdn:15135"),  # SAMAN SHIPPING COMPANY LIMITED
        ("DAY BANK", "us_ofac_sdn:25619", "us_ofac_sdn:25911"),  # DAY INVESTMENT
        ("HODA SHIPPING COMPANY LIMITED", "us_ofac_sdn:15129", "us_ofac_sdn:30282"),  # HODA TRADING
    ],
)
def test_a_body_is_not_its_sister_company(index: Index, name: str, listed: str, sibling: str) -> None:
    # Weighed by the index (BANK, SHIPPING, TRADING are common, the family name rare),
    # the sister company was a hit before "kinds of business differ".
    hits = screen(index, Query(name, schema="Company"), limit=10)
    assert hits[0].entity.id == listed
    assert sibling not in {h.entity.id for h in hits}


@pytest.mark.parametrize(
    ("text", "name", "date"),
    [
        ("ABRAMOVICH, Roman Arkadievich b. 1966", "ABRAMOVICH, Roman Arkadievich", "1966"),
        ("Roman Abramovich DOB: 24 Oct 1966", "Roman Abramovich", "1966-10-24"),
        ("Иванов Иван Иванович, 1975 г.р.", "Иванов Иван Иванович", "1975"),
        ("Іванов Іван, 12.03.1975 р.н.", "Іванов Іван", "1975-03-12"),
        ("Brigade 44", "Brigade 44", None),
        ("Sberbank 1841", "Sberbank 1841", None),
    ],
)
def test_a_birth_date_written_into_the_name(text: str, name: str, date: str | None) -> None:
    assert split_birth_date(text) == (name, date)
    entity = query_entity(Query(text))
    assert entity["properties"] == {"name": [name], **({"birthDate": [date]} if date else {})}
    # One given apart wins.
    assert query_entity(Query(text, birth_date="1970"))["properties"]["birthDate"] == ["1970"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (Query(""), "empty"),
        (Query("\u200b\u200b  "), "empty"),
        (Query("x" * 10_000), "at most 500"),
        (Query("Roman", schema="Spaceship"), "unknown schema"),
        (Query("Roman", birth_date="yesterday"), "birth date"),
        (Query("Roman", country="Atlantis"), "unknown country"),
    ],
)
def test_hostile_queries_are_refused_clearly(query: Query, message: str) -> None:
    with pytest.raises(ScreenError, match=message):
        query_entity(query)


def test_cli_refuses_bad_input_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "\x00\x01", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "empty" in result.stderr


@pytest.mark.integration
def test_cli_screen_json(store: Path) -> None:
    import json

    result = CliRunner().invoke(
        app, ["screen", "Абрамович Роман", "--schema", "Person", "--db", str(store), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["id"] in {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754"}
    assert "Cyrillic→Latin" in hits[0]["explanation"]


@pytest.mark.integration
def test_stored_index_gives_the_same_hits_as_the_memory_index(store: Path, index: Index) -> None:
    from reckon.screening import screen_store
    from reckon.stored_index import index_is_current, refresh_index

    con = connect(store)
    try:
        assert refresh_index(con) == len(index)
        assert index_is_current(con)
        for name in (
            "Абрамович Роман",
            "Oleg Deripaska",
            "Sergei Shoigu",
            "ROSNEFT",
            "DERIPASKA, Oleg b. 1968",
        ):
            q = Query(name)
            stored = [(h.entity.id, round(h.score, 6)) for h in screen_store(con, q)]
            memory = [(h.entity.id, round(h.score, 6)) for h in screen(index, q)]
            assert stored == memory and stored, name
    finally:
        con.close()


@pytest.mark.integration
def test_one_name_is_screened_beside_another_reader_of_the_store(store: Path) -> None:
    import subprocess
    import sys

    from reckon.stored_index import refresh_index

    con = connect(store)
    refresh_index(con)
    con.close()
    # Another process reads the store (as `reckon serve` or a notebook would) …
    hold = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); input()"
    reader = subprocess.Popen(
        [sys.executable, "-c", hold, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        # … and a screen needs no write lock while the index is current.
        result = CliRunner().invoke(app, ["screen", "Roman Abramovich", "--db", str(store), "--json"])
        assert result.exit_code == 0, result.stderr
        assert "gb_hmt_sanctions:14212" in result.stdout
    finally:
        reader.kill()
        reader.wait()


@pytest.mark.integration
def test_an_index_is_freed_as_soon_as_it_is_dropped(index: Index) -> None:
    """A server drops the index of every store generation it replaces: without a reference
    cycle, reference counting frees it at once, with the cyclic collector off (as
    `load_index` leaves it for the index's objects)."""
    import gc
    import weakref

    copy = Index(index.entities[:2000])
    copy.key_weights.total(next(iter(copy.postings)) for _ in range(1))
    gone = weakref.ref(copy)
    gc.disable()
    try:
        del copy
        assert gone() is None
    finally:
        gc.enable()

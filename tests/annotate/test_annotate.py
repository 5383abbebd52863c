"""The annotator on real sentences and the real, resolved bundle of lists (issue 20).

Each text is a short quote from a public page (its address beside it). The store is
the resolved bundle (`bench.annotate.ensure_store`: $RECKON_EVAL_STORE, else the one
bench/screening.py builds once), copied, so that the gazetteer is built (unless that store
has it already) and cached in the copy once for the module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reckon.annotate import Annotation, Gazetteer, Mention, annotate_text, load_gazetteer
from tests.conftest import resolved_bundle_copy, run_cli

pytestmark = pytest.mark.integration

PUTIN = "gb_hmt_sanctions:14196"
SHOIGU = "us_ofac_sdn:35173"
LUKASHENKO = "us_ofac_sdn:9760"
ABRAMOVICH = "gb_fcdo_sanctions:RUS0270"
PESKOV_PRESS_SECRETARY = "us_ofac_sdn:35320"
LAZAREV = "ua_war_sanctions:Q381884"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return resolved_bundle_copy(tmp_path_factory, "annotate")


@pytest.fixture(scope="module")
def gazetteer(store: Path) -> Iterator[Gazetteer]:
    from reckon.store import connect

    con = connect(store)
    built = load_gazetteer(con)
    assert built.cached  # read from the store's cache, or built and written to it
    con.close()
    # Read back from the cache, read-only, as the CLI in these tests opens the store too.
    con = connect(store, read_only=True)
    g = load_gazetteer(con)
    assert g.cached and not g.built
    yield g
    con.close()


def linked(a: Annotation, record: str) -> list[Mention]:
    return [m for m in a.mentions if m.decision == "linked" and record in m.records]


def exact(text: str, a: Annotation) -> None:
    for m in a.mentions:
        assert text[m.start : m.end] == m.surface


def test_inflected_russian_forms_link_with_the_given_name_beside_them(gazetteer: Gazetteer) -> None:
    # gazeta.ru, 2025-10-29 (https://www.gazeta.ru/politics/news/2025/10/29/27056126.shtml)
    text = (
        "Постоянный представитель США в НАТО Мэттью Уитакер заявил, что Вашингтон намерен добиваться "
        "исполнения введенных санкций против России и выразил надежду, что они склонят президента "
        "Владимира Путина к переговорам. Он допустил, что, «возможно, именно этот шаг заставит Путина "
        "сесть за стол переговоров». 23 октября Дональд Трамп сообщил, что отменил очную встречу с "
        "российским коллегой Владимиром Путиным, которая должна была состояться в Венгрии."
    )
    a = annotate_text(text, gazetteer)
    exact(text, a)
    assert [m.surface for m in linked(a, PUTIN)] == ["Владимира Путина", "Путина", "Владимиром Путиным"]
    first, alone, _ = linked(a, PUTIN)
    assert any("given 'Владимира'" in r for r in first.reasons)
    assert any("earlier in the text" in r for r in alone.reasons)  # the surname alone: the same person
    assert any(s.jurisdiction == "gb" and s.status == "listed" for s in first.status)
    # An unlisted politician and an unlisted diplomat are not flagged.
    assert not [m for m in a.mentions if "Трамп" in m.surface or "Уитакер" in m.surface]


def test_an_indeclinable_surname_links_alone_after_the_full_name(gazetteer: Gazetteer) -> None:
    # caliber.az, 2024-06-25 (https://caliber.az/print/249973)
    text = (
        "Вторая досудебная палата Международного уголовного суда (МУС) выдала ордера на арест "
        "экс-министра обороны России Сергея Шойгу и начальника Генштаба Валерия Герасимова. "
        "Шойгу и Герасимов предположительно несут ответственность за военное преступление."
    )
    a = annotate_text(text, gazetteer)
    exact(text, a)
    assert [m.surface for m in linked(a, SHOIGU)] == ["Сергея Шойгу", "Шойгу"]
    # Not his wife or daughters, listed under the same surname.
    assert all(m.caption.upper().startswith("SHOIGU, SERGEI") for m in linked(a, SHOIGU))


def test_the_ukrainian_genitive_of_lukashenko(gazetteer: Gazetteer) -> None:
    # lenta.ua, 2020-11-06 (https://amp.lenta.ua/ssha-shvalili-sanktsiyi-evrosoyuzu-proti-lukashenka-75473)
    text = (
        "За його словами, США вітають рішення Євросоюзу ввести персональні санкції проти Олександра "
        "Лукашенка. Кент нагадав, що США ввели санкції проти Лукашенка ще 2006 року після минулих виборів."
    )
    a = annotate_text(text, gazetteer)
    exact(text, a)
    assert [m.surface for m in linked(a, LUKASHENKO)] == ["Олександра Лукашенка", "Лукашенка"]


def test_mr_abramovich_after_roman_abramovich(gazetteer: Gazetteer) -> None:
    # https://d33gy59ovltp76.cloudfront.net/news/what-happens-when-assets-are-frozen-and-what-sanctions-against-abramovich-mean-for-chelsea
    text = (
        "Chelsea owner and Russian-Israeli billionaire Roman Abramovich has been sanctioned by the "
        "British government and his assets frozen.\nMr Abramovich is among seven oligarchs targeted "
        "by the UK in a hit worth an estimated £15 billion."
    )
    a = annotate_text(text, gazetteer)
    exact(text, a)
    full, mr = linked(a, ABRAMOVICH)
    assert (full.surface, mr.surface) == ("Roman Abramovich", "Abramovich")
    assert any("title 'Mr'" in r for r in mr.reasons)
    assert full.entity == mr.entity and full.score >= 0.9


def test_a_birth_date_written_after_the_name_is_evidence(gazetteer: Gazetteer) -> None:
    # glavred.info (https://glavred.info/dossier/10054076-sergey-lazarev.html): the singer, whom
    # Ukraine's war-sanctions list names with this birth date.
    text = "Сергей Лазарев родился в семье Вячеслава Юрьевича Лазарева. Сергей Лазарев родился 1 апреля 1983 года."
    a = annotate_text(text, gazetteer)
    exact(text, a)
    dated = [m for m in linked(a, LAZAREV) if m.start > 40]
    assert dated and any("birth date 1983-04-01" in r for r in dated[0].reasons)
    # His father, of another given name and patronymic, is no namesake to link.
    assert not [m for m in a.mentions if "Вячеслава" in m.surface]


def test_a_namesake_of_another_patronymic_is_not_the_listed_press_secretary(gazetteer: Gazetteer) -> None:
    # theins.ru (https://theins.ru/news/109360)
    text = "На сайте организации указано, что сейчас Дмитрий Николаевич Песков занимает пост директора направления «Молодые профессионалы»."
    a = annotate_text(text, gazetteer)
    assert not linked(a, PESKOV_PRESS_SECRETARY)


def test_a_word_of_a_by_name_or_a_city_alone_is_no_listed_surname(gazetteer: Gazetteer) -> None:
    # local10.com / AP, 2022-06-02 (https://www.local10.com/news/politics/2022/06/02/putin-linked-elites-yachts-firms-targeted-for-sanctions/):
    # "Lord" (a photographer) is a word of Daudov's by-name THE LORD; "Italian" of Abu the Italian.
    text = (
        "finding itself on as it tries to seize assets of Russian oligarchs around the world. "
        "(Leon Lord/Fiji Sun via AP, File)\n\n"
        "Russia’s largest steel and mining company. Acting under earlier sanctions, Italian police "
        "seized one of his yachts."
    )
    a = annotate_text(text, gazetteer)
    assert not [m for m in a.mentions if m.surface in {"Lord", "Italian"}]
    # autoparus.by, 2023-03-17 (https://autoparus.by/publication/133842): Львову is the
    # accusative of Львова(-Белова) here, and the dative of the city Львов: not Dmitrii LVOV.
    text = "Ранее администрация Международного уголовного суда обвиняла Львову-Белову в соучастии"
    a = annotate_text(text, gazetteer)
    assert not [m for m in a.mentions if m.decision == "linked" and "LVOV," in m.caption.upper()]


def test_a_family_named_together_is_ambiguous_between_its_members(gazetteer: Gazetteer) -> None:
    # dynamomania.com, 2022-03-03 (https://dynamomania.com/news/...): "братьев Ротенбергов"
    text = "Также в списке оказались братья Ротенберги, владельцы крупных строительных компаний."
    a = annotate_text(text, gazetteer)
    (m,) = [m for m in a.mentions if m.surface.startswith("Ротенберг")]
    assert m.decision == "ambiguous" and m.entity is None
    captions = " ".join(c.caption.upper() for c in m.candidates)
    assert "ARKAD" in captions and "BORIS" in captions


def test_a_company_with_its_russian_legal_form_and_quotes(gazetteer: Gazetteer) -> None:
    # gazprom-neft.ru (https://www.gazprom-neft.ru/): the company's own name
    text = "ПАО «Газпром нефть» — вертикально интегрированная нефтяная компания."
    a = annotate_text(text, gazetteer)
    (m,) = a.mentions
    assert m.decision == "linked" and "GAZPROM NEFT" in m.caption.upper()
    assert any("legal form 'ПАО'" in r for r in m.reasons) and any("quotes" in r for r in m.reasons)


def test_the_cli_writes_html_with_every_text_value_escaped(store: Path, tmp_path: Path) -> None:
    # The gazeta.ru quote, with a script a page might carry
    doc = tmp_path / "news.txt"
    doc.write_text(
        "<script>alert('x')</script> 23 октября Дональд Трамп сообщил, что отменил очную встречу с "
        "российским коллегой Владимиром Путиным.",
        encoding="utf-8",
    )
    out = tmp_path / "news.html"
    code, _, err = run_cli("annotate", str(doc), "--format", "html", "-o", str(out), "--db", str(store))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert '<mark class="linked"' in html and "Владимиром Путиным" in html


def test_the_cli_json_has_offsets_reasons_statuses_and_list_versions(store: Path, tmp_path: Path) -> None:
    doc = tmp_path / "news.md"
    text = "Chelsea owner Roman Abramovich has been sanctioned. Mr Abramovich is among seven oligarchs."
    doc.write_text(text, encoding="utf-8")
    code, out, err = run_cli("annotate", str(doc), "--db", str(store))
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    assert data["lists"]["gb_hmt_sanctions"]
    first = data["mentions"][0]
    assert text[first["start"] : first["end"]] == first["surface"] == "Roman Abramovich"
    assert first["reasons"] and first["status"] and ABRAMOVICH in first["records"]
    code, out, _ = run_cli("annotate", str(doc), "--format", "md", "--db", str(store))
    assert code == 0 and "**Roman Abramovich**[^1]" in out


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("blob.bin", bytes(range(256)) * 4, "a binary file, not text"),
        ("koi8.txt", "Шойгу и Герасимов".encode("koi8-r"), "not clearly Windows-1251"),
        ("scan.pdf", b"%PDF-1.4\n%broken", "not a readable PDF"),
    ],
)
def test_the_cli_refuses_bad_input_in_one_line_with_exit_code_2(
    store: Path, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    doc = tmp_path / name
    doc.write_bytes(data)
    code, out, err = run_cli("annotate", str(doc), "--db", str(store))
    assert code == 2 and not out
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_cli_gives_an_empty_result_with_a_note_for_an_empty_file(store: Path, tmp_path: Path) -> None:
    doc = tmp_path / "empty.txt"
    doc.write_bytes(b"")
    code, out, _ = run_cli("annotate", str(doc), "--db", str(store))
    assert code == 0
    data = json.loads(out)
    assert data["mentions"] == [] and data["notes"] == [f"{doc} is empty", "the text is empty"]

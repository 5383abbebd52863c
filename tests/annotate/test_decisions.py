"""The annotator's decisions (decide.py) on real texts of the evaluation set: coreference
beyond the surname, vessels in enumerations, a father told from his son, a body of another
country, a position the lists give. Each test reads a text stored under tests/annotate/data
(its source, date and licence in the .json beside it) and the real, resolved bundle of lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.annotate import Annotation, Gazetteer, Mention, annotate_text, load_gazetteer
from tests.conftest import resolved_bundle_copy

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
PUTIN = "gb_hmt_sanctions:14196"
MANTUROV = "us_ofac_sdn:40556"
GURIEV_FATHER = "us_ofac_sdn:38216"
CHEMEZOV = "us_ofac_sdn:16685"
FROLOV_EVRAZ = "gb_hmt_sanctions:15611"
NISANOV = "us_ofac_sdn:37507"
SEVERGROUP = "us_ofac_sdn:37498"
TANGO_TANKER = "ua_war_sanctions:NK-WM9veEF2TG8boveyZR3WGd"
TANGO_YACHT = "us_ofac_sdn:35740"
KIRA_K = "au_dfat_sanctions:8281"
VALERA = "au_dfat_sanctions:8435"
BORIS_ROTENBERG = "us_ofac_sdn:16671"


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    """The resolved bundle's gazetteer (as tests/annotate/test_annotate.py's), on a copy of
    the store that its cache may be written to."""
    from reckon.store import connect

    con = connect(resolved_bundle_copy(tmp_path_factory, "decisions"))
    yield load_gazetteer(con)
    con.close()


def read(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def at(text: str, a: Annotation, surface: str, nth: int = 0) -> Mention | None:
    """The mention overlapping the `nth` occurrence of `surface` in `text`."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(surface, pos + 1)
    found = [m for m in a.mentions if m.start < pos + len(surface) and pos < m.end]
    return found[0] if found else None


def linked_to(m: Mention | None, record: str) -> bool:
    return m is not None and m.decision == "linked" and record in m.records


def test_a_given_name_and_patronymic_alone_refers_back_to_the_full_name(gazetteer: Gazetteer) -> None:
    # kremlin.ru (CC BY 4.0): «… Денисом Мантуровым …» then «Денис Валентинович слышал …».
    text = read("ru_kremlin_chemezov_manturov")
    a = annotate_text(text, gazetteer)
    for nth in (0, 1):
        m = at(text, a, "Денис Валентинович", nth)
        assert linked_to(m, MANTUROV)
        assert m is not None and m.surface == "Денис Валентинович"
        assert any(r.startswith("refers back to 'Денисом Мантуровым'") for r in m.reasons)


def test_a_father_named_with_his_son_is_the_father(gazetteer: Gazetteer) -> None:
    # The Brussels Times: "Putin confidante Andrei Guriev and his son" — the father (b. 1960), not
    # the son Andrey Andreyevich, who is listed more widely; "Guriev" later refers back to him.
    text = read("en_brusselstimes_2022")
    a = annotate_text(text, gazetteer)
    full, alone = at(text, a, "Andrei Guriev"), at(text, a, "Guriev", 1)
    assert linked_to(full, GURIEV_FATHER) and linked_to(alone, GURIEV_FATHER)
    assert full is not None and any("the father, as the text says" in r for r in full.reasons)


def test_a_position_the_lists_give_tells_namesakes_apart(gazetteer: Gazetteer) -> None:
    # kremlin.ru: «генеральным директором государственной корпорации «Ростех» Сергеем Чемезовым»:
    # Chair of Rostec (his UK record's position), not his son Sergey Sergeyevich.
    text = read("ru_kremlin_chemezov_manturov")
    m = at(text, annotate_text(text, gazetteer), "Сергеем Чемезовым")
    assert linked_to(m, CHEMEZOV)
    assert m is not None and any("'rosteH' written near it" in r for r in m.reasons)
    # Рамблер: «компании Evraz … ее бывший президент Александр Фролов» (Former CEO, Evraz plc),
    # then «Фролов» alone refers back to him.
    text = read("ru_rambler_abramov")
    a = annotate_text(text, gazetteer)
    assert linked_to(at(text, a, "Александр Фролов"), FROLOV_EVRAZ)
    assert linked_to(at(text, a, "Фролов —"), FROLOV_EVRAZ)
    # Сноб: «санкции против … Сергея Чемезова» with nothing that tells father from son: ambiguous.
    text = read("ru_snob_20220310")
    m = at(text, annotate_text(text, gazetteer), "Сергея Чемезова")
    assert m is not None and m.decision == "ambiguous"
    assert {CHEMEZOV, "us_ofac_sdn:35310"} <= {r for c in m.candidates for r in c.records}


def test_a_name_at_the_head_of_a_sentence_or_headline_is_the_one_the_text_links(gazetteer: Gazetteer) -> None:
    # US State Department: the headline's "Putin’s Aggression" (the text links Putin later), and
    # "Nisanov is a real estate investor" after "God Nisanov"; "Severgroup" before the text
    # writes "Severgroup Limited Liability Company".
    text = read("en_us_state_20220602")
    a = annotate_text(text, gazetteer)
    head = at(text, a, "Putin")
    assert linked_to(head, PUTIN) and head is not None and head.start < 100
    assert any("refers to 'Putin' at" in r and "later in the text" in r for r in head.reasons)
    assert linked_to(at(text, a, "Nisanov is"), NISANOV)
    first = at(text, a, "Severgroup")
    assert linked_to(first, SEVERGROUP) and first is not None and first.surface == "Severgroup"


def test_vessels_listed_by_name_after_the_tankers(gazetteer: Gazetteer) -> None:
    # EUobserver, 2025-06-11: "these were the Pearl, Valera, Elephant, Fiesta, Kira K, and
    # Nagarjuna" and "tankers in the Eastern Mediterranean (Destan, Saint, Topaz, Tango, …)".
    text = read("en_euobserver_20250611")
    a = annotate_text(text, gazetteer)
    assert linked_to(at(text, a, "Valera"), VALERA)  # a given name too, in a list of vessels
    assert linked_to(at(text, a, "Kira K"), KIRA_K)
    tango = at(text, a, "Tango")
    assert linked_to(tango, TANGO_TANKER) and tango is not None and TANGO_YACHT not in tango.records
    # "in the Baltic Sea area": a sea, not the vessel named Baltic Sea.
    assert at(text, a, "Baltic Sea") is None
    # iMarine News: "from the Russian ports of Primorsk and Murmansk": the port, not the listed
    # tanker MURMANSK, though the text speaks of tankers.
    text = read("en_imarinenews_2024")
    assert at(text, annotate_text(text, gazetteer), "Murmansk") is None


def test_a_body_of_another_country_is_not_the_listed_one(gazetteer: Gazetteer) -> None:
    # Москва 24: «Об этом сообщается на сайте американского Минфина»: the US Treasury, not the
    # listed Ministry of Finance of the Russian Federation.
    text = read("ru_m24_20220315")
    assert at(text, annotate_text(text, gazetteer), "Минфина") is None


def test_a_surname_that_is_a_word_or_another_surname_too(gazetteer: Gazetteer) -> None:
    # Рамблер: «[президента России Владимира] Путина»: Путина is a dictionary word (a fishing
    # season) and the nominative of Putina; capitalised within the sentence, it is Putin.
    text = read("ru_rambler_abramov")
    assert linked_to(at(text, annotate_text(text, gazetteer), "Путина"), PUTIN)
    # uzhgorodka: «президента росії путіна», lower-cased by the outlet: Putin, not his daughters
    # whom the lists also call Putina.
    text = read("uk_uzhgorodka_20230317")
    a = annotate_text(text, gazetteer)
    assert all(linked_to(at(text, a, "путіна", n), PUTIN) for n in range(3))
    # Сноб: «Дмитрия Пескова» (Пескова: the genitive of Песков, the nominative of Peskova), then
    # «Песков» alone in a list refers back to him.
    text = read("ru_snob_20220310")
    a = annotate_text(text, gazetteer)
    m = at(text, a, "Песков,")
    assert linked_to(m, "us_ofac_sdn:35320") and m is not None
    assert any("refers back to 'Дмитрия Пескова'" in r for r in m.reasons)


def test_a_given_name_sharing_the_surname_written_once_for_two_brothers(gazetteer: Gazetteer) -> None:
    # Dynamomania, 2022-03-03: «бизнесмены Борис и Аркадий Ротенберги» — Boris Romanovich, who
    # shares a father's name with Arkady (not his son Boris Borisovich); «Борис Ротенберг —
    # президент футбольного клуба «Сочи»» later is the same man. The headline's «братьев
    # Ротенбергов» (a family) stays ambiguous between its members.
    text = read("ru_dynamomania_20220303")
    a = annotate_text(text, gazetteer)
    boris = at(text, a, "Борис")
    assert linked_to(boris, BORIS_ROTENBERG) and boris is not None and boris.surface == "Борис"
    assert linked_to(at(text, a, "Борис Ротенберг"), BORIS_ROTENBERG)
    family = at(text, a, "Ротенбергов")
    assert family is not None and family.decision == "ambiguous"
    # Рамблер: «[президента России Владимира] Путина»: the brackets do not part the names.
    text = read("ru_rambler_abramov")
    m = at(text, annotate_text(text, gazetteer), "Владимира]")
    assert linked_to(m, PUTIN) and m is not None and m.surface == "Владимира] Путина"


def test_a_given_name_no_dictionary_knows_but_the_list_gives(gazetteer: Gazetteer) -> None:
    # Москва 24: «следователь Курчалоевского РОВД Нурид Саламов»: Нурид is in no dictionary, but it
    # is, letter for letter, the given name of the listed SALAMOV, Nurid Denilbekovich.
    text = read("ru_m24_20220315")
    m = at(text, annotate_text(text, gazetteer), "Нурид Саламов")
    assert linked_to(m, "us_ofac_sdn:30604") and m is not None and m.surface == "Нурид Саламов"

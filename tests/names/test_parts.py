"""parse_person_name() on the orders the lists and the press use."""

from __future__ import annotations

import pytest

from reckon.names import parse_person_name, surname_stem


def roles(text: str) -> list[tuple[str, str]]:
    return [(p.text, p.role) for p in parse_person_name(text).parts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Абрамович Роман", [("абрамович", "surname"), ("роман", "given")]),
        ("Roman Abramovitch", [("roman", "given"), ("abramovitch", "surname")]),
        (
            "ABRAMOVICH, Roman Arkadievich",
            [("abramovich", "surname"), ("roman", "given"), ("arkadievich", "patronymic")],
        ),
        ("Roman ABRAMOVICH", [("roman", "given"), ("abramovich", "surname")]),
        ("R. A. Abramovich", [("r", "initial"), ("a", "initial"), ("abramovich", "surname")]),
        ("Abramovich R.A.", [("abramovich", "surname"), ("r", "initial"), ("a", "initial")]),
        (
            "Putin Vladimir Vladimirovich",
            [("putin", "surname"), ("vladimir", "given"), ("vladimirovich", "patronymic")],
        ),
        (
            "Vladimir Vladimirovich Putin",
            [("vladimir", "given"), ("vladimirovich", "patronymic"), ("putin", "surname")],
        ),
        (
            "PUTIN vladimir vladimirovich",
            [("putin", "surname"), ("vladimir", "given"), ("vladimirovich", "patronymic")],
        ),
        ("Путин В. В.", [("путин", "surname"), ("в", "initial"), ("в", "initial")]),
        (
            "USPENSKAYA Olesya Igorevna",
            [("uspenskaya", "surname"), ("olesya", "given"), ("igorevna", "patronymic")],
        ),
        (
            "Аиткулова Эльвира Ринатовна",
            [("аиткулова", "surname"), ("эльвира", "given"), ("ринатовна", "patronymic")],
        ),
        ("Mohammed bin Salman", [("mohammed", "given"), ("bin", "particle"), ("salman", "surname")]),
    ],
)
def test_roles(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


def test_keys_cross_script() -> None:
    a = parse_person_name("Абрамович Роман Аркадьевич")
    b = parse_person_name("ABRAMOVICH, Roman Arkadievich")
    assert [p.key for p in a.parts] == [p.key for p in b.parts]
    assert parse_person_name("Путін Володимир").parts[1].key == parse_person_name("Volodymyr").parts[0].key


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [("Ivanova", "Ivanov"), ("Putina", "Putin"), ("Uspenskaya", "Uspenskiy"), ("Успенська", "Успенський")],
)
def test_surname_stem(feminine: str, masculine: str) -> None:
    f = parse_person_name(feminine).parts[0].key
    m = parse_person_name(masculine).parts[0].key
    assert surname_stem(f) == surname_stem(m)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Given name and patronymic written as one word (UK and EU list spellings).
        (
            "SHKOL'NYJ Dmitrijborisovich",
            [("shkolnyj", "surname"), ("dmitrij", "given"), ("borisovich", "patronymic")],
        ),
        (
            "KOSTENKO Igor`vadimovich",
            [("kostenko", "surname"), ("igor", "given"), ("vadimovich", "patronymic")],
        ),
        # A surname with a patronymic ending is not a given name plus patronymic.
        (
            "Rustam Galiullovich KALIMULLIN",
            [("rustam", "given"), ("galiullovich", "patronymic"), ("kalimullin", "surname")],
        ),
        # A name in brackets is another surname (maiden name).
        (
            "IVANYK (Kalytska) Hanna Olehivna",
            [("ivanyk", "surname"), ("kalytska", "surname"), ("hanna", "given"), ("olehivna", "patronymic")],
        ),
        # A nasab: the fathers' names after "bin" are patronymics, but the family name
        # in natural order, and a name after a "bin" with nobody before it.
        (
            "Usāma bin Muhammad ibn Awad ibn Lādin",
            [
                ("usama", "given"),
                ("bin", "particle"),
                ("muhammad", "patronymic"),
                ("ibn", "particle"),
                ("awad", "patronymic"),
                ("ibn", "particle"),
                ("ladin", "surname"),
            ],
        ),
        (
            "AL-AHDAL, Abdallah Bin Faisal",
            [
                ("al", "particle"),
                ("ahdal", "surname"),
                ("abdallah", "given"),
                ("bin", "particle"),
                ("faisal", "patronymic"),
            ],
        ),
        ("bin Salman Mohammed", [("bin", "particle"), ("salman", "surname"), ("mohammed", "given")]),
        # "Ben" first is the given name (Benjamin), but joined to the next word, in
        # capitals among lower case, or after a comma it is the surname's or the son's.
        ("Ben Netanyahu", [("ben", "given"), ("netanyahu", "surname")]),
        ("Ben-Gvir", [("ben", "particle"), ("gvir", "surname")]),
        ("BEN ALI Zine", [("ben", "particle"), ("ali", "surname"), ("zine", "given")]),
        ("AIADI, Ben Muhammad", [("aiadi", "surname"), ("ben", "particle"), ("muhammad", "given")]),
        ("BIN LADEN, Usama", [("bin", "particle"), ("laden", "surname"), ("usama", "given")]),
        # "Abd" (servant of) is bound to the article after it.
        (
            "'Abd al-Aziz al-Nuristani",
            [("abdal", "given"), ("aziz", "given"), ("al", "particle"), ("nuristani", "surname")],
        ),
    ],
)
def test_glued_and_bracketed_parts(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("JC Juncker", [("j", "initial"), ("c", "initial"), ("juncker", "surname")]),
        (
            "NG Chee Meng",
            [("ng", "surname"), ("chee", "given"), ("meng", "given")],
        ),  # a surname, not initials
        ("Monsieur Ilie Bolojan", [("ilie", "given"), ("bolojan", "surname")]),
        ("President Erdoğan", [("erdogan", "surname")]),
    ],
)
def test_initials_written_together_and_forms_of_address(text: str, parts: list[tuple[str, str]]) -> None:
    assert [(p.text, p.role) for p in parse_person_name(text).parts] == parts


# Ranks that open a name, as the lists write them (DFAT 2727, 7610, 7638, 639) and as
# reports name commanders; each reads as the name without its rank.
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Colonel-General Aleksandr Viktorovich GALKIN", "Aleksandr Viktorovich GALKIN"),
        ("Lt. Gen. Vladimir Yurevich ANTYUFEYEV", "Vladimir Yurevich ANTYUFEYEV"),
        ("Major-General Natalia Vladimirovna POKLONSKAYA", "Natalia Vladimirovna POKLONSKAYA"),
        ("General Major Mupenzi", "Mupenzi"),
        ("COMMANDER PUTOL", "PUTOL"),  # CSL 9584, in capitals throughout
        ("генерал армии Валерий Герасимов", "Валерий Герасимов"),
        ("General of the Army Valery Gerasimov", "Valery Gerasimov"),
        ("подполковник Азатбек Омурбеков", "Азатбек Омурбеков"),
        ("Defence Minister Sergei Shoigu", "Sergei Shoigu"),
        ("министр обороны Сергей Шойгу", "Сергей Шойгу"),
    ],
)
def test_a_leading_rank_is_not_part_of_the_name(text: str, name: str) -> None:
    assert parse_person_name(text).parts == parse_person_name(name).parts


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        ("MARSHAL Alexander Vitalyevich", "marshal"),  # ua Q4283235: a surname, in capitals
        ("МАРШАЛ Александр Витальевич", "маршал"),
        ("John Major", "major"),  # not at the front
        ("Commander", "commander"),  # nothing after it: the rank is all the name there is
    ],
)
def test_a_rank_word_that_is_the_name_stays(text: str, surname: str) -> None:
    assert (surname, "surname") in [(p.text, p.role) for p in parse_person_name(text).parts]

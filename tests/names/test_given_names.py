"""Given-name and patronymic classes across Russian, Ukrainian and Belarusian forms."""

from __future__ import annotations

import pytest

from reckon.names import given_name_class, looks_like_patronymic, patronymic_class
from reckon.names.given_names import given_name_classes

# Rows of the brief's table: Russian / Ukrainian / Belarusian (and Western) spellings.
CLASSES = """
aleksandr Aleksandr Oleksandr Aliaksandr Alexander Александр Олександр
sergei Sergei Serhii Siarhei Sergey Serhiy Сергій
evgenii Evgenii Yevhen Yauhen Yevgeniy Jevgenij Евгений Євген
vladimir Vladimir Volodymyr Uladzimir Wladimir Володимир
dmitrii Dmitrii Dmytro Dzmitry Dmitry Dmitriy
andrei Andrei Andrii Andrey Andriy
mikhail Mikhail Mykhailo Michail
nikolai Nikolai Mykola Mikalai Nikolay
pavel Pavel Pavlo Paval
iurii Yurii Yury Yuri Iurii
aleksei Aleksei Oleksii Aliaksei Alexey
olga Olga Olha Volha
tatiana Tatiana Tetiana Tatsiana Tatyana
natalia Natalia Nataliia Natallia Natalya
elena Elena Olena Alena Yelena
irina Irina Iryna
grigorii Grigorii Hryhorii Ryhor
georgii Georgii Heorhii
igor Igor Ihor Ihar
oleg Oleg Oleh Aleh
vasilii Vasilii Vasyl Vasil Vasiliy
fedor Fedor Fedir Fiodar Fyodor
petr Petr Petro Piatro Pyotr
ilia Ilya Illia Ilia
kirill Kirill Kyrylo Kiryl
konstantin Konstantin Kostiantyn Kanstantsin
maksim Maksim Maksym Maxim
timofei Timofei Tymofii Tsimafei
viacheslav Viacheslav Viachaslau Vyacheslav
gennadii Gennadii Hennadii Henadz
egor Egor Yehor Yahor Yegor
bogdan Bogdan Bohdan Bahdan
svetlana Svetlana Svitlana Sviatlana
galina Galina Halyna Halina
nadezhda Nadezhda Nadiia Nadzeya
ekaterina Ekaterina Kateryna Katsiaryna Yekaterina
anna Anna Hanna
iuliia Iuliia Yuliia Yulia Julia
stepan Stepan Stsiapan
artem Artem Artsiom Artyom
daria Daria Dariia Darya Daryna
"""


@pytest.mark.parametrize("row", [r for r in CLASSES.strip().splitlines()])
def test_classes(row: str) -> None:
    cls, *spellings = row.split()
    assert {s: given_name_class(s) for s in spellings} == {s: cls for s in spellings}


def test_unknown() -> None:
    assert given_name_class("Abramovich") is None
    assert given_name_class("Mohammed") == "magomed"


@pytest.mark.parametrize(
    ("patronymic", "cls"),
    [
        ("Aleksandrovich", "aleksandr"),
        ("Oleksandrovych", "aleksandr"),
        ("Aliaksandravich", "aleksandr"),
        ("Aleksandrovna", "aleksandr"),
        ("Oleksandrivna", "aleksandr"),
        ("Arkadievich", "arkadii"),
        ("Arkadyevich", "arkadii"),
        ("Sergeyevich", "sergei"),
        ("Serhiiovych", "sergei"),
        ("Vladimirovitch", "vladimir"),
        ("Volodymyrovych", "vladimir"),
        ("Uladzimiravich", "vladimir"),
        ("Ilyich", "ilia"),
        ("Nikolaevich", "nikolai"),
        ("Mykolaiovych", "nikolai"),
        ("Pavlovich", "pavel"),
        ("Lvovich", "lev"),
        ("Yuryevich", "iurii"),
        ("Владимирович", "vladimir"),
        ("Володимирович", "vladimir"),
    ],
)
def test_patronymics(patronymic: str, cls: str) -> None:
    assert patronymic_class(patronymic) == cls
    assert looks_like_patronymic(patronymic)


def test_surname_is_not_a_known_patronymic() -> None:
    assert patronymic_class("Abramovich") is None
    assert looks_like_patronymic("Abramovich")  # by its ending: parts decides by position


# Diminutives (the table's dim column) and English nicknames (data/names/nicknames.tsv).
@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("Ted", {"eduard", "theodore"}),  # Edward, Theodore: nicknames.tsv
        ("Teddy", {"eduard", "theodore"}),
        ("Bill", {"william"}),
        ("Will", {"william", "will"}),  # a name of its own too
        ("Ben", {"benjamin", "benedict"}),
        ("Mike", {"mikhail"}),  # Michael, through the table's class
        ("Sasha", {"aleksandr", "aleksandra"}),
        ("Саша", {"aleksandr", "aleksandra"}),
        ("Zhenya", {"evgenii", "evgeniia"}),
        ("Misha", {"mikhail"}),
        ("Dima", {"dmitrii"}),
        ("Volodya", {"vladimir"}),
        ("Vova", {"vladimir"}),
        ("Kolya", {"nikolai"}),
        ("Seryozha", {"sergei"}),
        ("Серёжа", {"sergei"}),
    ],
)
def test_nickname_classes(name: str, classes: set[str]) -> None:
    assert classes <= set(given_name_classes(name) or ())


def test_full_names_do_not_meet_through_a_nickname() -> None:
    # Ted is both's; the data's reversed row "wilma has_nickname william" is not read.
    for a, b in [("Edward", "Theodore"), ("William", "Wilma"), ("Aleksandr", "Aleksandra")]:
        assert not set(given_name_classes(a) or ()) & set(given_name_classes(b) or ())


def test_table_names_keep_one_class() -> None:
    # nicknames.tsv gives Alla as a nickname of Alexandra; in Russian it is a name.
    assert given_name_classes("Alla") == ("alla",)
    assert given_name_classes("Aleksandr") == ("aleksandr",)


def test_ambiguous_nickname_keeps_only_its_own_class() -> None:
    # Bert is a nickname of 15 names in the data (Albert, Herbert, Bertha, Roberta...).
    assert given_name_classes("Bert") == ("bert",)


def test_parser_view_knows_diminutives_not_english_nicknames() -> None:
    assert given_name_class("Dima") == "dmitrii"
    assert given_name_class("Sasha") == "aleksandr"  # the first row's, as before
    assert given_name_class("Ted") is None

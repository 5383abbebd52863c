"""The OFAC Remarks parser, on Remarks cells copied verbatim from real OFAC files.

Every string below is a real sdn.csv / cons_prim.csv Remarks value (2024-05-03 SDN
history copy unless stated), so these tests pin how OFAC actually writes its items.
"""

from __future__ import annotations

from reckon.model import FuzzyDate, Identifier, Link, Name
from reckon.sources.ofac_remarks import (
    RemarksFacts,
    apply_labelled,
    ofac_country,
    parse_remarks,
    person_name,
    split_items,
    split_value,
)

# ent_num 35096
PUTIN = (
    "DOB 07 Oct 1952; POB Leningrad, Russia; nationality Russia; citizen Russia; Gender Male; "
    "President of the Russian Federation."
)
# ent_num 12057 (title column repeated in Remarks, year ranges)
NAQDI_TITLE = (
    "Brigadier General and Commander of the IRGC Basij Resistance Force; President of the "
    "Organization of the Basij of the Oppressed; Chief of the Mobilization of the Oppressed Organization"
)
NAQDI = (
    "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953; POB Najaf, Iraq; "
    "alt. POB Tehran, Iran; nationality Iran; Additional Sanctions Information - Subject to Secondary "
    "Sanctions; Gender Male; Brigadier General and Commander of the IRGC Basij Resistance Force; "
    "President of the Organization of the Basij of the Oppressed; Chief of the Mobilization of the "
    "Oppressed Organization; Head of the Basij."
)
# a passport with issue and expiry dates
PASSPORTS = (
    "DOB 1969; alt. DOB 1963; alt. DOB 11 Feb 1964; POB Al-Medinah, Saudi Arabia; nationality Saudi "
    "Arabia; Passport B 960789; alt. Passport G 649385 issued 08 Sep 2006 expires 17 Jul 2011."
)
# ent_num 13087
RAKHIMOV = (
    "DOB 22 Jul 1951; POB Tashkent, Uzbekistan; Gender Male; Passport 645720381 (Russia); alt. Passport "
    "CA1804389 (Uzbekistan); alt. Passport CA1601000 (Uzbekistan); alt. Passport CA1521130 (Uzbekistan); "
    "alt. Passport CA1581065 (Uzbekistan); alt. Passport CA0960250 (Uzbekistan); National ID No. "
    "03101200302034752 (United Arab Emirates); alt. National ID No. 4511669324 (Russia); Linked To: "
    "THIEVES-IN-LAW."
)
# ent_num 16829, SMP BANK: the three Russian register numbers
SMP_BANK = (
    "SWIFT/BIC SMBKRUMM; Website www.smpbank.ru; Secondary sanctions risk: Ukraine-/Russia-Related "
    "Sanctions Regulations, 31 CFR 589.201 and/or 589.209; Target Type Financial Institution; Tax ID No. "
    "7750005482 (Russia); Government Gazette Number 56657657 (Russia); Registration Number 1097711000078 "
    "(Russia)."
)
# a tanker: IMO, MMSI, former flags incl. "None Identified", an f.k.a. and a Linked To
TANKER = (
    "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag None Identified; "
    "alt. Former Vessel Flag Tanzania; Additional Sanctions Information - Subject to Secondary Sanctions; "
    "Vessel Registration Identification IMO 9187629; MMSI 572469210; f.k.a. 'ALPHA'; Linked To: NATIONAL "
    "IRANIAN TANKER COMPANY."
)
# ent_num 15431, aircraft EP-GOM
AIRCRAFT = (
    "Aircraft Construction Number (also called L/N or S/N or F/N) 8401; Aircraft Manufacture Date 1992; "
    "Aircraft Model IL76-TD; Aircraft Operator YAS AIR; Aircraft Manufacturer's Serial Number (MSN) "
    "1023409321; Linked To: POUYA AIR."
)
# ent_num 31811
CRYPTO = (
    "DOB 02 Mar 1996; citizen Tajikistan; Gender Male; "
    "Digital Currency Address - XBT 17a5bpKvEp1j1Trs4qTbcNZrby53JbaS9C."
)
# ent_num 6925: person a.k.a.s, nicknames quoted twice
GHAILANI = (
    "DOB 14 Mar 1974; alt. DOB 13 Apr 1974; alt. DOB 14 Apr 1974; alt. DOB 01 Aug 1970; POB Zanzibar, "
    "Tanzania; citizen Tanzania; a.k.a. 'AHMED, A.'; a.k.a. 'KHABAR, Abu'; a.k.a. 'BAKR, Abu'; a.k.a. "
    "''FOOPIE''; a.k.a. ''FUPI''; a.k.a. ''AHMED THE TANZANIAN''."
)
# a register number with a place and a country in brackets
STUTTGART = (
    "Organization Established Date 22 Jun 2021; Registration Number HRA 738077 (Stuttgart) (Germany); "
    "Linked To: RAHMANI, Ajmal."
)
# ent_num 7731
MARKOVIC = "DOB 10 Jul 1942; wife of Slobodan Milosevic."
# ent_num 27307 (LAZARUS GROUP), tail of the 1000-character cell, cut mid-a.k.a.
LAZARUS_TAIL = "a.k.a. 'GUARDIANS OF PEACE'; a.k.a. 'THE NEW ROMANTIC CYBER ARMY TEAM'; a.k.a. 'WHOIS HACKIN"


def test_putin_remarks_are_fully_typed() -> None:
    facts = parse_remarks(PUTIN, titles=("President of the Russian Federation",), person=True)
    assert facts.birth_dates == [FuzzyDate(value="1952-10-07", original="07 Oct 1952")]
    assert facts.properties == {
        "birthPlace": ["Leningrad, Russia"],
        "birthCountry": ["ru"],
        "nationality": ["ru"],
        "citizenship": ["ru"],
        "gender": ["male"],
    }
    # The repeated Title is recognised, not left as a note.
    assert facts.notes == [] and facts.unrecognised == []
    assert facts.items == 6


def test_date_ranges_month_precision_and_repeated_titles() -> None:
    titles = tuple(t.strip() for t in NAQDI_TITLE.split(";"))
    facts = parse_remarks(NAQDI, titles=titles, person=True)
    assert [(d.value, d.until) for d in facts.birth_dates] == [
        ("1951", "1953"),
        ("1960", "1962"),
        ("1961-04", None),
        ("1953", None),
    ]
    assert facts.properties["birthPlace"] == ["Najaf, Iraq", "Tehran, Iran"]
    assert facts.properties["birthCountry"] == ["iq", "ir"]
    assert facts.measures == ["Additional Sanctions Information - Subject to Secondary Sanctions"]
    # Only the one position not in the Title column stays behind as free text.
    assert facts.unrecognised == ["Head of the Basij"]
    assert facts.notes == ["Head of the Basij"]


def test_circa_is_approximate() -> None:
    facts = parse_remarks("DOB circa 1951; POB Foca, Bosnia-Herzegovina.", person=True)
    assert facts.birth_dates == [FuzzyDate(value="1951", approximate=True, original="circa 1951")]
    assert facts.properties["birthCountry"] == ["ba"]


def test_passports_with_validity() -> None:
    facts = parse_remarks(PASSPORTS, person=True)
    assert [d.value for d in facts.birth_dates] == ["1969", "1963", "1964-02-11"]
    assert facts.identifiers == [
        Identifier("passportNumber", "B 960789", None, "Passport"),
        Identifier("passportNumber", "G 649385", None, "Passport; issued 08 Sep 2006 expires 17 Jul 2011"),
    ]
    assert facts.properties["nationality"] == ["sa"]


def test_passports_and_national_ids_with_countries() -> None:
    facts = parse_remarks(RAKHIMOV, person=True)
    passports = [(i.value, i.country) for i in facts.identifiers if i.scheme == "passportNumber"]
    assert passports == [
        ("645720381", "ru"),
        ("CA1804389", "uz"),
        ("CA1601000", "uz"),
        ("CA1521130", "uz"),
        ("CA1581065", "uz"),
        ("CA0960250", "uz"),
    ]
    ids = [(i.value, i.country) for i in facts.identifiers if i.scheme == "idNumber"]
    assert ids == [("03101200302034752", "ae"), ("4511669324", "ru")]
    assert facts.links == [Link("linked", "THIEVES-IN-LAW")]
    assert facts.unrecognised == []


def test_russian_register_numbers_get_their_own_schemes() -> None:
    facts = parse_remarks(SMP_BANK)
    assert facts.identifiers == [
        Identifier("swiftBic", "SMBKRUMM", None, "SWIFT/BIC"),
        Identifier("innCode", "7750005482", "ru", "Tax ID No."),
        Identifier("okpoCode", "56657657", "ru", "Government Gazette Number"),
        Identifier("ogrnCode", "1097711000078", "ru", "Registration Number"),
    ]
    assert facts.properties == {"website": ["www.smpbank.ru"], "classification": ["Financial Institution"]}
    assert facts.measures == [
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, "
        "31 CFR 589.201 and/or 589.209"
    ]


def test_vessel_items() -> None:
    facts = parse_remarks(TANKER)
    assert (
        Identifier("imoNumber", "IMO9187629", None, "Vessel Registration Identification") in facts.identifiers
    )
    assert Identifier("mmsi", "572469210", None, "MMSI") in facts.identifiers
    # "None Identified" is a non-value, not an unmapped country.
    assert facts.properties["pastFlags"] == ["mt", "tv", "tz"]
    assert facts.unmapped_countries == []
    assert facts.names == [Name(full="ALPHA", kind="previousName", script="Latn")]
    assert facts.links == [Link("linked", "NATIONAL IRANIAN TANKER COMPANY")]
    assert facts.unrecognised == []


def test_aircraft_items() -> None:
    facts = parse_remarks(AIRCRAFT)
    assert [(i.scheme, i.value) for i in facts.identifiers] == [
        ("serialNumber", "8401"),
        ("serialNumber", "1023409321"),
    ]
    assert facts.properties == {"buildDate": ["1992"], "model": ["IL76-TD"]}
    assert facts.links == [Link("operator", "YAS AIR"), Link("linked", "POUYA AIR")]


def test_crypto_wallet_keeps_currency_as_note() -> None:
    facts = parse_remarks(CRYPTO, person=True)
    assert facts.identifiers == [
        Identifier("cryptoWallet", "17a5bpKvEp1j1Trs4qTbcNZrby53JbaS9C", None, "XBT")
    ]
    assert facts.properties["citizenship"] == ["tj"]


def test_weak_aliases_of_people_are_split_and_unquoted() -> None:
    facts = parse_remarks(GHAILANI, person=True)
    assert [(n.full, n.kind, n.first, n.last) for n in facts.names] == [
        ("AHMED, A.", "weakAlias", "A.", "AHMED"),
        ("KHABAR, Abu", "weakAlias", "Abu", "KHABAR"),
        ("BAKR, Abu", "weakAlias", "Abu", "BAKR"),
        ("FOOPIE", "weakAlias", None, None),
        ("FUPI", "weakAlias", None, None),
        ("AHMED THE TANZANIAN", "weakAlias", None, None),
    ]
    assert len(facts.birth_dates) == 4


def test_register_number_with_place_and_country() -> None:
    facts = parse_remarks(STUTTGART)
    assert facts.identifiers == [
        Identifier("registrationNumber", "HRA 738077", "de", "Registration Number; Stuttgart")
    ]
    assert facts.properties["incorporationDate"] == ["2021-06-22"]
    assert facts.links == [Link("linked", "RAHMANI, Ajmal")]


def test_family_relation_becomes_a_link() -> None:
    facts = parse_remarks(MARKOVIC, person=True)
    assert facts.links == [Link("wife of", "Slobodan Milosevic")]


def test_truncated_cell_keeps_its_stub_verbatim() -> None:
    facts = parse_remarks(LAZARUS_TAIL, truncated=True)
    assert [n.full for n in facts.names] == ["GUARDIANS OF PEACE", "THE NEW ROMANTIC CYBER ARMY TEAM"]
    assert facts.notes == ["a.k.a. 'WHOIS HACKIN"]
    # Without the flag the stub is still not taken for a name: its quote never closes.
    assert "a.k.a. 'WHOIS HACKIN" in parse_remarks(LAZARUS_TAIL).unrecognised


def test_alt_prefix_is_dropped_from_kept_text() -> None:
    text = (
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or "
        "589.209; alt. Secondary sanctions risk: See Section 11 of Executive Order 14024."
    )
    facts = parse_remarks(text)
    assert facts.measures[1] == "Secondary sanctions risk: See Section 11 of Executive Order 14024"


def test_split_items_and_values() -> None:
    assert split_items(MARKOVIC) == ["DOB 10 Jul 1942", "wife of Slobodan Milosevic"]
    assert split_value("HRA 738077 (Stuttgart) (Germany)") == ("HRA 738077", "de", "Stuttgart")
    assert split_value("G 649385 issued 08 Sep 2006 expires 17 Jul 2011") == (
        "G 649385",
        None,
        "issued 08 Sep 2006 expires 17 Jul 2011",
    )


def test_empty_and_null_remarks() -> None:
    assert parse_remarks("-0- ") == RemarksFacts()
    assert parse_remarks(None) == RemarksFacts()


def test_person_name_parts() -> None:
    putin = person_name("PUTIN, Vladimir Vladimirovich")
    assert putin == Name(
        full="PUTIN, Vladimir Vladimirovich",
        first="Vladimir",
        father="Vladimirovich",
        last="PUTIN",
        script="Latn",
    )
    # A second given name that is no patronymic stays with the first (ent_num 12057).
    naqdi = person_name("NAQDI, Mohammad Reza")
    assert naqdi is not None and naqdi.first == "Mohammad Reza" and naqdi.father is None
    # OFAC's French-style transliteration (ent_num 31811).
    fayz = person_name("FAYZIMATOV, Farrukh Furkatovitch")
    assert fayz is not None and fayz.father == "Furkatovitch"


def test_xml_labels_share_the_table() -> None:
    facts = RemarksFacts()
    # classic XML idType/idNumber pairs from consolidated_classic_2026-01-08.xml
    assert apply_labelled(facts, "Registration ID", "1026303117642 (Russia)")
    assert apply_labelled(facts, "Digital Currency Address - XBT", "17a5bpKvEp1j1Trs4qTbcNZrby53JbaS9C")
    assert apply_labelled(facts, "Listing Date (EO 14024 Directive 2):", "24 Feb 2022")
    assert apply_labelled(facts, "Nationality of Registration", "Russia")
    assert facts.identifiers == [
        Identifier("ogrnCode", "1026303117642", "ru", "Registration ID"),
        Identifier("cryptoWallet", "17a5bpKvEp1j1Trs4qTbcNZrby53JbaS9C", None, "XBT"),
    ]
    assert facts.measures == ["Listing Date (EO 14024 Directive 2): 24 Feb 2022"]
    assert facts.properties == {"jurisdiction": ["ru"]}
    assert facts.unrecognised == []


def test_ofac_country_spellings() -> None:
    assert ofac_country("Korea, North") == "kp"
    assert ofac_country("North Macedonia, The Republic of") == "mk"
    assert ofac_country("Man, Isle of") == "im"
    assert ofac_country("Region: Northern Mali") == "ml"
    assert ofac_country("St. Kitts & Nevis") == "kn"
    assert ofac_country("None Identified") is None

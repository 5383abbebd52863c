"""Write the gold JSON of every evaluation text from the hand labels below.

Run: `.venv/bin/python tests/annotate/data/build_gold.py`. The labels are written by hand
(surface form as printed, the record meant, a note on doubtful cases); this script only finds
each surface in its text, as whole words, so that the offsets are exact, and asserts it.

A label is (surface, record, note) or (surface, record, note, options) where options may hold
  "also": further records of the SAME person/company that the resolver did not merge into the
          record's entity (a prediction linked to any of them counts as correct);
  "ctx":  a longer string that contains the surface; only occurrences inside it are labelled;
  "n":    the 0-based indices of the occurrences to label (default: every occurrence).
Longer surfaces are placed first, so "Severgroup Limited Liability Company" claims its span
before "Severgroup" is looked for; a span already labelled is never labelled twice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STORE_NOTE = "search tool page store"

PD_US = "Public domain: a work of the United States Government (17 U.S.C. 105)"
OGL = "Open Government Licence v3.0 (Crown copyright)"
CC_KREMLIN = "CC BY 4.0 (kremlin.ru, http://www.kremlin.ru/about/copyrights)"
CC_PRESIDENT_UA = "CC BY 4.0 (president.gov.ua)"
EXCERPT = (
    "Copyrighted news report; a short excerpt (the page store's opening excerpt) kept for "
    "non-commercial evaluation of entity linking, with attribution (fair use / quotation); see README.md"
)

META: dict[str, dict[str, Any]] = {
    "en_us_state_20220602": {
        "url": "https://lapost.us/?p=49024",
        "title": "Promoting Accountability and Imposing Costs on the Russian Federation and Its Enablers "
        "for Putin's Aggression Against Ukraine",
        "publisher": "U.S. Department of State (press statement, as republished by lapost.us)",
        "date": "2022-06-02",
        "licence": PD_US,
        "language": "en",
    },
    "en_gov_uk_20220315": {
        "url": "https://fly1.wordsworth.site/government/news/foreign-secretary-announces-historic-round-of-sanctions-15-march-2022",
        "title": "Foreign Secretary announces historic round of sanctions on Russia",
        "publisher": "UK Foreign, Commonwealth & Development Office (gov.uk press release, "
        "https://www.gov.uk/government/news/foreign-secretary-announces-historic-round-of-sanctions-15-march-2022, "
        "as mirrored)",
        "date": "2022-03-15",
        "licence": OGL,
        "language": "en",
    },
    "en_us_treasury_20220224": {
        "url": "https://content.govdelivery.com/accounts/USTREAS/bulletins/30c2a69",
        "title": "U.S. Treasury Announces Unprecedented & Expansive Sanctions Against Russia, "
        "Imposing Swift and Severe Economic Costs",
        "publisher": "U.S. Department of the Treasury (press release by e-mail bulletin)",
        "date": "2022-02-24",
        "licence": PD_US,
        "language": "en",
    },
    "en_businessday_20220310": {
        "url": "https://businessday.ng/news/article/russia-ukraine-conflict-uk-freezes-more-russian-accounts/",
        "title": "Russia – Ukraine Conflict: UK freezes more Russian accounts",
        "publisher": "BusinessDay (Nigeria)",
        "date": "2022-03-10",
        "licence": EXCERPT,
        "language": "en",
    },
    "en_controltv_20220310": {
        "url": "https://controltv.ng/just-in-uk-sanctions-seven-russians-including-chelseas-abramovich",
        "title": "UK sanctions seven Russians including Chelsea's Abramovich",
        "publisher": "Control TV (Nigeria)",
        "date": "2022-03-10",
        "licence": EXCERPT,
        "language": "en",
    },
    "en_brusselstimes_2022": {
        "url": "https://www.brusselstimes.com/news-contents/world/266056/washington-issues-new-sanctions-against-kremlin-loyal-oligarchs",
        "title": "Washington issues new sanctions against Kremlin-loyal oligarchs",
        "publisher": "The Brussels Times (Belga)",
        "date": None,
        "licence": EXCERPT,
        "language": "en",
    },
    "en_euobserver_20250611": {
        "url": "https://euobserver.com/eu-and-the-world/ar78a06421",
        "title": "Follow the 77 Russia oil tankers to join EU blacklist",
        "publisher": "EUobserver",
        "date": "2025-06-11",
        "licence": EXCERPT,
        "language": "en",
    },
    "en_imarinenews_2024": {
        "url": "https://imarinenews.com/14150.html",
        "title": "Britain sanctions 10 further ships in Russia's shadow fleet (after Reuters)",
        "publisher": "iMarine News, after Reuters",
        "date": None,
        "licence": EXCERPT,
        "language": "en",
    },
    "ru_kremlin_chemezov_manturov": {
        "url": "https://m.ok.ru/russiaputin/topic/157266833834999",
        "title": "Рабочая встреча с Денисом Мантуровым и Сергеем Чемезовым",
        "publisher": "Президент России (kremlin.ru), as reposted on ok.ru",
        "date": None,
        "licence": CC_KREMLIN,
        "language": "ru",
    },
    "ru_kremlin_sovbez_covid": {
        "url": "https://nedelya40.ru/soveshhanie-s-postoyannymi-chlenami-soveta-bezopasnosti-4_100587/",
        "title": "Совещание с постоянными членами Совета Безопасности",
        "publisher": "Президент России (kremlin.ru), as reposted by nedelya40.ru",
        "date": None,
        "licence": CC_KREMLIN,
        "language": "ru",
    },
    "ru_snob_20220310": {
        "url": "https://snob.ru/amp/3077501",
        "title": "Роман Абрамович и еще пять российских бизнесменов попали под санкции Великобритании",
        "publisher": "Сноб",
        "date": "2022-03-10",
        "licence": EXCERPT,
        "language": "ru",
    },
    "ru_dynamomania_20220303": {
        "url": "https://dynamomania.com/ru/news/624082-ssha-obyavili-o-sankciyah-protiv-alishera-usmanova-i-bratev-rotenbergov",
        "title": "США объявили о санкциях против Алишера Усманова и братьев Ротенбергов",
        "publisher": "Dynamomania",
        "date": "2022-03-03",
        "licence": EXCERPT,
        "language": "ru",
    },
    "ru_m24_20220315": {
        "url": "https://m24.ru/amp/news/politika/15032022/440842",
        "title": "США расширили санкции против России и Белоруссии",
        "publisher": "Москва 24 (m24.ru)",
        "date": "2022-03-15",
        "licence": EXCERPT,
        "language": "ru",
    },
    "ru_caliber_20240625": {
        "url": "https://caliber.az/print/249973",
        "title": "МУС выдал ордера на арест Шойгу и Герасимова",
        "publisher": "Caliber.Az",
        "date": "2024-06-25",
        "licence": EXCERPT,
        "language": "ru",
    },
    "ru_rambler_abramov": {
        "url": "https://finance-rambler.ru/business/49624996-velikobritaniya-vvela-sanktsii-protiv-chetyreh-rossiyskih-biznesmenov",
        "title": "Великобритания ввела санкции против четырех российских бизнесменов",
        "publisher": "Рамблер/финансы",
        "date": None,
        "licence": EXCERPT,
        "language": "ru",
    },
    "uk_voa_kolomoisky_20210305": {
        "url": "https://holosameryky.com/a/kolomoisky-komentari/5803591.html",
        "title": "Державний департамент США вніс до санкційного списку Ігоря Коломойського",
        "publisher": "Голос Америки (Voice of America, Ukrainian service)",
        "date": "2021-03-05",
        "licence": PD_US,
        "language": "uk",
    },
    "uk_president_20220409": {
        "url": "https://huggingface.co/datasets/slava-medvedev/zelensky-speeches/viewer/default/train?p=1",
        "title": "Стратегія захисту для кожної цивілізованої держави – тиснути на Росію, щоб відновити мир "
        "– звернення Президента України",
        "publisher": "Президент України (https://www.president.gov.ua/news/strategiya-zahistu-dlya-kozhnoyi-"
        "civilizovanoyi-derzhavi-tis-74225), as quoted in the zelensky-speeches dataset viewer",
        "date": "2022-04-09",
        "licence": CC_PRESIDENT_UA,
        "language": "uk",
    },
    "uk_tva_20250119": {
        "url": "https://tva.ua/2025/01/19/prezydent-ukrainy-volodymyr-zelenskyj-uviv-u-diiu-rishennia-rnbo-pro-sanktsii-proty-tykh-khto-perejshov-na-bik-rf/",
        "title": "Президент України Володимир Зеленський увів у дію рішення РНБО про санкції проти тих, хто перейшов на бік РФ",
        "publisher": "ТВА (tva.ua)",
        "date": "2025-01-19",
        "licence": EXCERPT,
        "language": "uk",
    },
    "uk_pc_org_20230107": {
        "url": "https://pc.org.ua/uk/kirkorov-mykhalkov-lazariev-zelenskyj-vvel-sanktsii-protiv-riada-rossijskykh-artystov/amp",
        "title": "Кіркоров, Михалков, Лазарєв: Зеленський ввів санкції проти ряду російських артистів",
        "publisher": "pc.org.ua",
        "date": None,
        "licence": EXCERPT,
        "language": "uk",
    },
    "uk_lenta_20201106": {
        "url": "https://amp.lenta.ua/ssha-shvalili-sanktsiyi-evrosoyuzu-proti-lukashenka-75473",
        "title": "США схвалили санкції Євросоюзу проти Лукашенка",
        "publisher": "Lenta.ua",
        "date": "2020-11-06",
        "licence": EXCERPT,
        "language": "uk",
    },
    "uk_uzhgorodka_20230317": {
        "url": "https://www.uzhgorodka.uz.ua/38219.html",
        "title": "МКС видав ордер на арешт путіна та львової-бєлової",
        "publisher": "Ужгородка (uzhgorodka.uz.ua)",
        "date": "2023-03-17",
        "licence": EXCERPT,
        "language": "uk",
    },
    "uk_svidomi_usm": {
        "url": "https://svidomi.in.ua/page/ssha-zaprovadyly-novi-sanktsii-proty-rosii",
        "title": "США запровадили нові санкції проти Росії",
        "publisher": "Свідомі (svidomi.in.ua)",
        "date": None,
        "licence": EXCERPT,
        "language": "uk",
    },
}

# Records (source:record_id) used more than once.
PUTIN = "gb_hmt_sanctions:14196"
ABRAMOVICH = "gb_hmt_sanctions:14212"
DERIPASKA = "gb_hmt_sanctions:14214"
SECHIN = "gb_hmt_sanctions:14213"
KOSTIN = "gb_hmt_sanctions:14217"
MILLER = "gb_hmt_sanctions:14216"
TOKAREV = "gb_hmt_sanctions:14218"
LEBEDEV = "gb_hmt_sanctions:14215"
ROSNEFT = "us_ofac_cons:17022"
ROSNEFT_ALSO = {"also": ["us_trade_csl:f56ee19525ae8fb705652bf0e5fcdeae7d28dd68"]}
GAZPROM = "us_ofac_cons:17250"
GAZPROM_ALSO = {
    "also": [
        "au_dfat_sanctions:6945",
        "ca_dfatd_sema_sanctions:russia/1, Part 2/95",
        "us_trade_csl:d90b039237d993a342dfd193554a4cf9124d406f",
    ]
}
TRANSNEFT = "us_ofac_cons:17254"
TRANSNEFT_ALSO = {"also": ["au_dfat_sanctions:6947", "ca_dfatd_sema_sanctions:russia/1, Part 2/97"]}
VTB = "us_ofac_sdn:17013"
BANK_ROSSIYA = "gb_hmt_sanctions:14177"
BANK_ROSSIYA_ALSO = {"also": ["au_dfat_sanctions:2780"]}
ROSTEC = "us_ofac_sdn:17260"
ROSTEC_ALSO = {
    "also": [
        "gb_hmt_sanctions:14185",
        "au_dfat_sanctions:6312",
        "ca_dfatd_sema_sanctions:russia/1, Part 2/86",
        "us_trade_csl:10b7c479b0cfab85e110256b9908ef60d45755cc",
    ]
}
CHEMEZOV = "us_ofac_sdn:16685"
USMANOV = "us_ofac_sdn:35283"
A_ROTENBERG = "us_ofac_sdn:16669"
B_ROTENBERG = "us_ofac_sdn:16671"
PESKOV = "us_ofac_sdn:35320"
SHOIGU = "us_ofac_sdn:35173"
GERASIMOV = "us_ofac_sdn:35176"
GERASIMOV_ALSO = {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 1/42"]}
A_LUKASHENKO = "us_ofac_sdn:9760"
MEGAFON = "us_ofac_sdn:42086"
MEGAFON_ALSO = {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 2/415"]}
USM = "gb_hmt_sanctions:15877"
LVOVA_BELOVA = "us_ofac_sdn:38877"
SOVCOMFLOT = "us_ofac_sdn:34741"
# The Government of the Russian Federation is on the US Consolidated Screening List (State
# Department nonproliferation sanctions under the CBW Act, 2018 and 2021: two records).
GOV_RF = "us_trade_csl:fe99818fadff899c4b1751870df8cde1a3732bd9"
GOV_RF_ALSO = {"also": ["us_trade_csl:99dbc3e9c0d0e38024177a5bcc7fdbf7b3195434"]}
USM_ALSO = {"also": ["us_ofac_sdn:34765"]}
SOVCOMFLOT_ALSO = {
    "also": [
        "gb_hmt_sanctions:15040",
        "au_dfat_sanctions:6943",
        "ca_dfatd_sema_sanctions:russia/1, Part 2/92",
    ]
}
NAMESAKE = "not listed; "

Label = tuple[Any, ...]
LABELS: dict[str, list[Label]] = {
    "en_us_state_20220602": [
        ("Putin", PUTIN, "possessive Putin’s; the President (b. 1952)"),
        ("God Nisanov", "us_ofac_sdn:37507", ""),
        ("Nisanov", "us_ofac_sdn:37507", "surname only"),
        ("Evgeny Novitskiy", "us_ofac_sdn:37508", "list spells NOVITSKY"),
        ("Maria Zakharova", "us_ofac_sdn:37509", "list spells Mariya"),
        ("Sergey Gorkov", "us_ofac_sdn:37506", ""),
        ("RosGeo", "us_ofac_sdn:47885", "brand of JSC Rosgeologia", {"also": ["au_dfat_sanctions:7919"]}),
        ("Severgroup Limited Liability Company", "us_ofac_sdn:37498", ""),
        ("Severgroup", "us_ofac_sdn:37498", ""),
        ("Alexey Mordashov", "us_ofac_sdn:37499", ""),
        (
            "Government of the Russian Federation",
            GOV_RF,
            "listed under the CBW Act (US CSL); a body named with its country is labelled",
            GOV_RF_ALSO,
        ),
        ("Government of Russia", GOV_RF, "as above", GOV_RF_ALSO),
    ],
    "en_gov_uk_20220315": [
        ("Liz Truss", None, "UK Foreign Secretary, not listed"),
        ("Johnson", None, "Boris Johnson (the 'Johnson Conservative government'), not listed"),
        ("Putin", PUTIN, "possessive and attributive forms"),
        ("Mikhail Fridman", "gb_hmt_sanctions:14615", ""),
        ("Petr Aven", "gb_hmt_sanctions:14616", ""),
        ("German Khan", "gb_hmt_sanctions:14617", ""),
        ("Forbes", None, "magazine"),
        ("Mikhail Mishustin", "us_ofac_sdn:35282", ""),
        ("Sergei Shoigu", SHOIGU, ""),
    ],
    "en_us_treasury_20220224": [
        ("Biden", None, "President Biden, not listed"),
        ("Office of Foreign Assets Control", None, "US agency"),
        ("OFAC", None, "US agency"),
    ],
    "en_businessday_20220310": [
        ("Liz Truss", None, ""),
        ("Truss", None, ""),
        ("Putin", PUTIN, "incl. 'the Putin regime', possessive Putin’s"),
        ("Roman Abramovich", ABRAMOVICH, ""),
        ("Chelsea Football Club", None, "football club, not listed"),
        ("Oleg Deripaska", DERIPASKA, ""),
        ("Rosneft", ROSNEFT, "the company whose CEO is Sechin", ROSNEFT_ALSO),
        ("Igor Sechin", SECHIN, ""),
        ("Andrey Kostin", KOSTIN, ""),
        ("VTB", VTB, "'VTB bank': the surface is VTB"),
        ("Alexei Miller", MILLER, ""),
        ("Gazprom", GAZPROM, "PJSC Gazprom (on the OFAC sectoral list)", GAZPROM_ALSO),
        ("Nikolai Tokarev", TOKAREV, ""),
        ("Transneft", TRANSNEFT, "", TRANSNEFT_ALSO),
        ("Dmitri Lebedev", LEBEDEV, ""),
        ("Bank Rossiya", BANK_ROSSIYA, "", BANK_ROSSIYA_ALSO),
        ("Boris Johnson", None, "UK Prime Minister, not listed"),
    ],
    "en_controltv_20220310": [
        ("Chelsea FC", None, ""),
        ("Chelsea Football club", None, ""),
        ("Chelsea", None, "the club", {"ctx": "enable Chelsea to"}),
        ("Roman Abramovich", ABRAMOVICH, ""),
        ("Abramovich", ABRAMOVICH, "'Mr Abramovich': surname only after a title"),
        ("Igor Sechin", SECHIN, ""),
        ("Sechin", SECHIN, "'Mr Sechin'"),
        ("Oleg Deripaska", DERIPASKA, ""),
        ("Deripaska", DERIPASKA, "'Mr Deripaska'"),
        ("Dmitri Lebedev", LEBEDEV, ""),
        (
            "Lebedev",
            LEBEDEV,
            "'Mr Lebedev'; many listed namesakes named Lebedev, context: chairman of Bank Rossiya",
        ),
        ("Vladimir Putin", PUTIN, ""),
        ("Putin", PUTIN, ""),
        ("Boris Johnson", None, ""),
        ("En+ Group", None, "not on the bundled lists (delisted by OFAC in 2019)"),
        ("Rosneft", ROSNEFT, "", ROSNEFT_ALSO),
        ("Bank Rossiya", BANK_ROSSIYA, "", BANK_ROSSIYA_ALSO),
        ("Tinubu", None, "Nigerian politician in an unrelated teaser"),
        ("Liz Truss", None, ""),
        (
            "government of Russia",
            GOV_RF,
            "the Russian government, listed under the CBW Act (US CSL)",
            GOV_RF_ALSO,
        ),
    ],
    "en_brusselstimes_2022": [
        ("Vladimir Putin", PUTIN, ""),
        ("Putin", PUTIN, ""),
        ("Janet Yellen", None, "US Treasury Secretary"),
        (
            "Andrei Guriev",
            "us_ofac_sdn:38216",
            "the father (PhosAgro, b. 1960), not his son Andrey Andreevich",
        ),
        ("Guriev", "us_ofac_sdn:38216", "surname only; the father, as above"),
        (
            "Alfa Nero",
            None,
            "vessel (yacht) once identified by OFAC (us_ofac_sdn:38221), removed from the SDN list in a "
            "later version: on no current list",
        ),
        ("Vladimir Saldo", "us_ofac_sdn:38282", "lists spell Volodymyr"),
        ("Kirill Stremusov", "us_ofac_sdn:38281", "lists spell Kyrylo STREMOUSOV"),
        ("Konstantin Ivashchenko", "us_ofac_sdn:38284", ""),
        ("Belga", None, "news agency"),
    ],
    "en_euobserver_20250611": [
        ("EUobserver", None, "publisher"),
        ("Pearl", "ua_war_sanctions:NK-mpiUirZknjXABb8va9XGQH", "tanker, IMO 9630028 (by name and context)"),
        ("Valera", "au_dfat_sanctions:8435", "tanker"),
        (
            "Elephant",
            "au_dfat_sanctions:8368",
            "tanker; the gb record has no IMO number",
            {"also": ["gb_fcdo_sanctions:RUS2518"]},
        ),
        ("Fiesta", "au_dfat_sanctions:8309", "tanker", {"also": ["gb_fcdo_sanctions:RUS2522"]}),
        ("Kira K", "au_dfat_sanctions:8281", "tanker", {"also": ["gb_fcdo_sanctions:RUS2496"]}),
        ("Nagarjuna", "au_dfat_sanctions:8416", "tanker"),
        (
            "Nautilus",
            "ua_war_sanctions:NK-nT4q4Wt7GDRKkjxTQ5SwAp",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2709"]},
        ),
        ("Pierre", "au_dfat_sanctions:8638", "tanker", {"also": ["gb_fcdo_sanctions:RUS2717"]}),
        (
            "Ricca",
            "ua_war_sanctions:NK-fbCaRwAJSeLmXfrPsVHuLz",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2710"]},
        ),
        ("Destan", "au_dfat_sanctions:8285", "tanker", {"also": ["gb_fcdo_sanctions:RUS2500"]}),
        (
            "Saint",
            "ua_war_sanctions:NK-aQgzeTBR3hRhWS82RSpC4i",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2590"]},
        ),
        ("Topaz", "ua_war_sanctions:NK-H3awWoWHfMKfLXbaSrJmCu", "tanker"),
        (
            "Tango",
            "ua_war_sanctions:NK-WM9veEF2TG8boveyZR3WGd",
            "the tanker (IMO 9292058), NOT Vekselberg's yacht Tango (us_ofac_sdn:35740): precision trap",
        ),
        ("Yanhu", "ua_war_sanctions:NK-gBhjwq8cNLhg5bKxdghrcW", "tanker"),
        ("Feliks", "au_dfat_sanctions:8659", "tanker", {"also": ["gb_fcdo_sanctions:RUS2765"]}),
        (
            "Gogland",
            "ua_war_sanctions:NK-gPP7UUytVZ5APe9WMwzCEF",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2730"]},
        ),
        ("Boray", "ua_war_sanctions:NK-gkAeHGitsAsYyqNHzHfKPf", "tanker"),
        ("Kusto", "au_dfat_sanctions:8332", "tanker", {"also": ["gb_fcdo_sanctions:RUS2575"]}),
        ("Proxima", "ua_war_sanctions:NK-YUsPuAALPGEHhRcQdCFadR", "tanker"),
        (
            "Sofia K",
            "ua_war_sanctions:NK-nwJCwKDVA4dwGbdvoLkVez",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2504"]},
        ),
        ("Saetta", "ua_war_sanctions:NK-PLdkzxmzQ7vH8B3vLyEeeR", "tanker"),
        (
            "Vision",
            "ua_war_sanctions:NK-LSqLFHSaEm45HMAAAtyWHm",
            "two listed tankers are named Vision (IMO 9260067, 9236016); the text does not say which: either accepted",
            {"also": ["ua_war_sanctions:NK-iBBgnwMPvFzLGJ2FiArQVN"]},
        ),
        ("Jaldhara", "au_dfat_sanctions:8283", "tanker", {"also": ["gb_fcdo_sanctions:RUS2498"]}),
        ("Vernal", "ua_war_sanctions:NK-CfRJXSrPjz2vwosu87aDYX", "tanker"),
        ("Monarch 1", None, "no vessel of this name on the bundled lists"),
        ("Saraswati", "ua_war_sanctions:NK-hqdFstBdENTjHPjzXFpBKF", "tanker"),
        ("Maisan", "au_dfat_sanctions:8341", "tanker", {"also": ["gb_fcdo_sanctions:RUS2598"]}),
        ("Samadha", "ua_war_sanctions:NK-P8fRC2RmqdNuzDfMJfscbB", "tanker"),
        ("Olia", "ua_war_sanctions:NK-f4PdNTniSRSNRABfu6iiza", "tanker"),
        (
            "Cordelia Moon",
            "ua_war_sanctions:NK-f7JDPcfpRvRcX48ft69usx",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2516"]},
        ),
        ("Achilles", "au_dfat_sanctions:8272", "tanker", {"also": ["gb_fcdo_sanctions:RUS2486"]}),
        ("Sealion I", "au_dfat_sanctions:8350", "tanker", {"also": ["gb_fcdo_sanctions:RUS2597"]}),
    ],
    "en_imarinenews_2024": [
        ("Reuters", None, "news agency"),
        ("David Lammy", None, "UK Foreign Secretary"),
        (
            "Oil Tankers SCF MGMT FZCO",
            "us_ofac_sdn:47232",
            "",
            {"also": ["gb_hmt_sanctions:16236"]},
        ),
        ("Sovcomflot", SOVCOMFLOT, "", SOVCOMFLOT_ALSO),
        ("SCF", SOVCOMFLOT, "'Sovcomflot (SCF)': the abbreviation", {"ctx": "(SCF)", **SOVCOMFLOT_ALSO}),
        ("Stream Ship Management FZCO", "ua_war_sanctions:NK-Yh4GdBCNKomhVUSGK5y9dX", ""),
        ("Stream Ship Management", "ua_war_sanctions:NK-Yh4GdBCNKomhVUSGK5y9dX", "without its legal form"),
        ("Equasis", None, "database"),
        (
            "SCF Baltica",
            "ua_war_sanctions:NK-bBE72A2SWWYC7GhZDpg4QB",
            "tanker; the gb record has no IMO number",
            {"also": ["gb_fcdo_sanctions:RUS2200"]},
        ),
        ("LSEG", None, "data provider"),
        (
            "SCF Management Services",
            None,
            "doubtful: the listed SCF Management Services Cyprus Ltd is another company of the group; not labelled listed",
        ),
        (
            "Olympiysky Prospect",
            "ua_war_sanctions:NK-heaZTqCkpeoe5h9hQ8XKoj",
            "tanker",
            {"also": ["gb_fcdo_sanctions:RUS2203"]},
        ),
    ],
    "ru_kremlin_chemezov_manturov": [
        (
            "Денисом Мантуровым",
            "us_ofac_sdn:40556",
            "",
            {"also": ["gb_hmt_sanctions:15645"]},
        ),
        (
            "Денис Валентинович",
            "us_ofac_sdn:40556",
            "first name + patronymic only; Manturov (the person addressed); hard case",
            {"also": ["gb_hmt_sanctions:15645"]},
        ),
        ("Ростех", ROSTEC, "«Ростех»", ROSTEC_ALSO),
        ("Ростеха", ROSTEC, "inflected", ROSTEC_ALSO),
        ("Сергеем Чемезовым", CHEMEZOV, ""),
        ("В.Путин", PUTIN, "initial + surname, no space"),
    ],
    "ru_kremlin_sovbez_covid": [
        ("Михаил Мишустин", "us_ofac_sdn:35282", ""),
        (
            "Валентина Матвиенко",
            "us_ofac_sdn:16660",
            "",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 1/3"]},
        ),
        (
            "Вячеслав Володин",
            "us_ofac_sdn:16714",
            "",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 1/33"]},
        ),
        ("Дмитрий Медведев", "us_ofac_sdn:36407", "the former President (b. 1965)"),
        ("Антон Вайно", "us_ofac_sdn:35296", ""),
        (
            "Николай Патрушев",
            "us_ofac_sdn:24309",
            "the father (b. 1951), not his son Dmitry",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 1/57"]},
        ),
        ("Владимир Колокольцев", "us_ofac_sdn:24319", ""),
        (
            "Государственной Думы",
            "us_ofac_sdn:35845",
            "the State Duma, listed as a body; labelled inside the title «Председатель Государственной Думы»",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 2/337"]},
        ),
        (
            "Совета Федерации",
            "us_ofac_sdn:37810",
            "the Federation Council, listed as a body; the bare «Правительство» is not labelled",
            {
                "ctx": "Председатель Совета Федерации",
                "also": ["ca_dfatd_sema_sanctions:russia/1, Part 2/338"],
            },
        ),
    ],
    "ru_snob_20220310": [
        ("Роман Абрамович", ABRAMOVICH, ""),
        ("Романа Абрамовича", ABRAMOVICH, "genitive"),
        ("Абрамовича", ABRAMOVICH, "surname only, genitive"),
        ("Олега Дерипаску", DERIPASKA, "accusative"),
        ("Роснефти", ROSNEFT, "«Роснефти», genitive", ROSNEFT_ALSO),
        ("Игоря Сечина", SECHIN, ""),
        ("ВТБ", VTB, ""),
        ("Андрея Костина", KOSTIN, ""),
        (
            "Россия",
            BANK_ROSSIYA,
            "банка «Россия»: Bank Rossiya",
            {"ctx": "банка «Россия»", **BANK_ROSSIYA_ALSO},
        ),
        ("Дмитрия Лебедева", LEBEDEV, ""),
        ("Транснефти", TRANSNEFT, "", TRANSNEFT_ALSO),
        ("Николая Токарева", TOKAREV, ""),
        ("Челси", None, "football club"),
        ("Дмитрия Пескова", PESKOV, ""),
        (
            "Бориса",
            B_ROTENBERG,
            "'Бориса и Аркадия Ротенбергов': given name only, shared surname follows; hard case",
        ),
        ("Аркадия Ротенбергов", A_ROTENBERG, "plural surname after two given names"),
        ("Сергея Чемезова", CHEMEZOV, ""),
        ("Игоря Шувалова", "us_ofac_sdn:35315", ""),
        ("Евгения Пригожина", "us_ofac_sdn:21171", ""),
        ("Алишера Усманова", USMANOV, ""),
        ("Песков", PESKOV, "surname only"),
        ("Сечин", SECHIN, "surname only"),
        ("Токарев", TOKAREV, "surname only"),
        ("Усманов", USMANOV, "surname only"),
        ("Петр Авен", "gb_hmt_sanctions:14616", ""),
        ("Михаил Фридман", "gb_hmt_sanctions:14615", ""),
        ("Алексей Мордашов", "us_ofac_sdn:37499", ""),
        ("Геннадий Тимченко", "us_ofac_sdn:16666", ""),
        ("Антон Красовский", "gb_hmt_sanctions:14715", "the TV host (b. 1975), not Maksim Krasovskiy"),
        ("Роман Бабаян", "gb_hmt_sanctions:14713", ""),
        ("Аркадий Мамонтов", "gb_hmt_sanctions:14716", ""),
        ("Ольга Скабеев", "us_ofac_sdn:41001", "cut off by the excerpt (Скабеева)"),
    ],
    "ru_dynamomania_20220303": [
        ("Алишера Усманова", USMANOV, ""),
        ("Алишер Усманов", USMANOV, ""),
        ("Усманова", USMANOV, "surname only"),
        (
            "Ротенбергов",
            A_ROTENBERG,
            "'братьев Ротенбергов': both brothers; either is accepted",
            {"also": [B_ROTENBERG]},
        ),
        ("Борис", B_ROTENBERG, "'Борис и Аркадий Ротенберги': given name only; hard case", {"n": [0]}),
        ("Аркадий Ротенберги", A_ROTENBERG, "plural surname after two given names"),
        ("Аркадий Ротенберг", A_ROTENBERG, ""),
        ("Федерации хоккея России", None, "sports federation"),
        ("ФХР", None, ""),
        ("Континентальной хоккейной лиги", None, ""),
        ("КХЛ", None, ""),
        ("Борис Ротенберг", B_ROTENBERG, ""),
        ("Сочи", None, "football club «Сочи»", {"ctx": "«Сочи»"}),
        (
            "USM",
            USM,
            "Usmanov's USM group: USM Holdings Ltd or its Russian USM LLC, both listed (short form)",
            USM_ALSO,
        ),
        ("Мегафон", MEGAFON, "«Мегафон»", MEGAFON_ALSO),
        ("Yota", None, "mobile operator, not listed"),
        ("Эвертона", None, "Everton FC"),
        ("Фархад Мошири", None, "Everton owner, not listed"),
        ("Транснефти", TRANSNEFT, "", TRANSNEFT_ALSO),
        ("Николай Токарев", TOKAREV, ""),
        ("Евгений Пригожин", "us_ofac_sdn:21171", ""),
        (
            "ВЭБ.РФ",
            "gb_hmt_sanctions:14198",
            "",
            {
                "also": [
                    "us_ofac_sdn:17015",
                    "au_dfat_sanctions:6774",
                    "ca_dfatd_sema_sanctions:russia/1, Part 2/72",
                ]
            },
        ),
        ("Игорь Шувалов", "us_ofac_sdn:35315", "the VEB.RF head (b. 1967), not Vadim Shuvalov"),
        ("Ростеха", ROSTEC, "", ROSTEC_ALSO),
        ("Сергей Чемезов", CHEMEZOV, ""),
        ("Антон Силуанов", "us_ofac_sdn:35243", ""),
    ],
    "ru_m24_20220315": [
        ("Дмитрия Шугаева", "us_trade_csl:35746", "list spells SHUGAYEV"),
        (
            "Федеральной службы по военно-техническому сотрудничеству",
            "us_ofac_sdn:37665",
            "FSVTS, listed as a body",
        ),
        (
            "Басманного суда Москвы",
            "ca_dfatd_sema_sanctions:russia/1, Part 3/15",
            "Basmanny District Court, listed by Canada",
        ),
        (
            "Рособоронэкспорта",
            "us_ofac_cons:18782",
            "",
            {
                "also": [
                    "au_dfat_sanctions:6313",
                    "ca_dfatd_sema_sanctions:russia/1, Part 2/129",
                    "us_trade_csl:442dc2a9ddf18d3f49e7ff87b3f8fa987c15eb83",
                    "us_trade_csl:2be713eb08a8a1ac56347669ae65d546e35a370a",
                ]
            },
        ),
        ("Александра Михеева", "gb_hmt_sanctions:14967", "Rosoboronexport CEO (b. 1961)"),
        ("Александра Лукашенко", A_LUKASHENKO, "genitive; list spells LUKASHENKA"),
        (
            "Галина",
            "us_ofac_sdn:35748",
            "'жена ... Александра Лукашенко Галина': given name only, identified by the context; hard case",
        ),
        ("Джабраил Ахматов", "us_ofac_sdn:30605", ""),
        ("Хусейн Хутаев", "us_ofac_sdn:30603", ""),
        ("Нурид Саламов", "us_ofac_sdn:30604", ""),
        ("Наталья Мушникова", "us_ofac_sdn:31002", ""),
        ("Владимир Путин", PUTIN, ""),
    ],
    "ru_caliber_20240625": [
        ("Шойгу", SHOIGU, "surname only (indeclinable)"),
        ("Герасимова", GERASIMOV, "genitive, surname only", GERASIMOV_ALSO),
        ("Международного уголовного суда", None, "the ICC"),
        ("МУС", None, "the ICC"),
        ("Сергея Шойгу", SHOIGU, ""),
        ("Валерия Герасимова", GERASIMOV, "", GERASIMOV_ALSO),
        ("Caliber.Az", None, "publisher"),
        (
            "Генштаба",
            None,
            "Russia's General Staff: no bundled list names it (us_ofac_sdn:27849 ARMED FORCES GENERAL STAFF is Iran's, IRAN-EO13876)",
        ),
        ("DW", None, "broadcaster"),
        ("Герасимов", GERASIMOV, "surname only", GERASIMOV_ALSO),
    ],
    "ru_rambler_abramov": [
        ("Evraz", "gb_hmt_sanctions:15380", "EVRAZ PLC"),
        ("Александр Абрамов", "gb_hmt_sanctions:15610", "not Abramovich (a near name in the same lists)"),
        (
            "Александр Фролов",
            "gb_hmt_sanctions:15611",
            "Evraz ex-CEO (b. 1964), not the Canadian-listed Frolov",
        ),
        ("Сибура", None, "Sibur, not on the bundled lists"),
        ("Альберт Шигабутдинов", "gb_hmt_sanctions:15609", ""),
        ("Татавтодора", None, "not listed"),
        ("Айрат Шаймиев", "gb_hmt_sanctions:15608", "not his brother Radik"),
        ("Reuters", None, "news agency"),
        ("Джеймса Клеверли", None, "UK Foreign Secretary"),
        ("Клеверли", None, ""),
        ("Путина", PUTIN, "'[президента России Владимира] Путина'"),
        (
            "Владимира",
            PUTIN,
            "inside the bracketed insertion, given name of Putin",
            {"ctx": "Владимира] Путина"},
        ),
        ("Абрамов", "gb_hmt_sanctions:15610", "surname only"),
        ("Фролов", "gb_hmt_sanctions:15611", "surname only"),
        ("Шигабутдинова", "gb_hmt_sanctions:15609", "surname only (form as printed)"),
        ("Шаймиев", "gb_hmt_sanctions:15608", "surname only"),
    ],
    "uk_voa_kolomoisky_20210305": [
        (
            "Ігоря Коломойського",
            None,
            "designated by the State Department (visa ban, s. 7031(c)); on none of the bundled lists",
        ),
    ],
    "uk_president_20220409": [
        ("Бориса Джонсона", None, "UK Prime Minister, not listed"),
        ("Борис", None, "Boris Johnson by first name; NOT Boris Rotenberg (precision trap)"),
        ("Борису", None, "Boris Johnson, dative"),
    ],
    "uk_tva_20250119": [
        ("Володимир Зеленський", None, "President of Ukraine"),
        ("Нестор Шуфрич", None, "sanctioned by Ukraine only; not in the bundled lists"),
        ("Євгеній Мураєв", None, "sanctioned by Ukraine only; not in the bundled lists"),
        (
            "Олег Волошин",
            "us_ofac_sdn:34461",
            "Oleh Voloshyn, ex-MP (b. 1981), designated by OFAC and the UK",
        ),
        ("Петро Симоненко", None, "not listed; the lists hold other Simonenkos (Anton, Sergei, Aleksandr)"),
        ("Юрій Бойко", None, "not in the bundled lists"),
        ("Костянтин Григоришин", None, "not in the bundled lists"),
        (
            "Ілля Резнік",
            "ua_war_sanctions:Q1990888",
            "composer Ilya Reznik (born Izraelzon, b. 1938), not Vladislav Reznik",
        ),
        ("Юрій Башмет", None, "not in the bundled lists"),
        ("Василь Герелло", None, "not in the bundled lists"),
        ("Вадим Писарєв", None, "not listed; Elena Pisareva is"),
    ],
    "uk_pc_org_20230107": [
        ("Володимир Зеленський", None, ""),
        ("Микита Михалков", "ca_dfatd_sema_sanctions:russia/1, Part 1/1278", ""),
        ("Філіп Кіркоров", "au_dfat_sanctions:7885", ""),
        ("Анна Нетребко", None, "not in the bundled lists"),
        ("Дмитро Харатян", "ca_dfatd_sema_sanctions:russia/1, Part 1/1284", ""),
        ("Євген Петросян", "ua_war_sanctions:Q952032", ""),
        (
            "Олександр Федорович Скляр",
            "ca_dfatd_sema_sanctions:russia/1, Part 1/1287",
            "the musician (b. 1958); the list's patronymic is Feliksovich, the text's 'Федорович' is the text's error; doubtful",
        ),
        (
            "Олександр Дугін",
            "us_ofac_sdn:17760",
            "the philosopher; the ua record (birth date 1962-02-07, not 01-07) is a separate entity",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 1/89", "ua_war_sanctions:Q438839"]},
        ),
        (
            "Росія сьогодні",
            "gb_hmt_sanctions:15064",
            "news agency Rossiya Segodnya",
            {"also": ["ca_dfatd_sema_sanctions:russia/1, Part 2/264"]},
        ),
        ("Дмитро Кисельов", "gb_hmt_sanctions:12944", ""),
        ("RT", "ca_dfatd_sema_sanctions:russia/1, Part 2/189", "broadcaster RT"),
        (
            "Маргарита Симоньян",
            "gb_hmt_sanctions:14653",
            "",
            {"also": ["ua_war_sanctions:Q4419809"]},
        ),
        ("Сергій Лазарєв", "ua_war_sanctions:Q381884", "the singer (b. 1983)"),
        ("Стас П'єха", None, "not in the bundled lists"),
        ("Тимофій Бордачов", "ca_dfatd_sema_sanctions:russia/1, Part 1/1104", ""),
        ("Федір Лук'янов", "ca_dfatd_sema_sanctions:russia/1, Part 1/1351", ""),
        ("Дмитро Тренін", "ca_dfatd_sema_sanctions:russia/1, Part 1/1353", "not Aleksandr Trenin"),
    ],
    "uk_lenta_20201106": [
        ("Олександра Лукашенка", A_LUKASHENKO, "genitive (Ukrainian form Лукашенка)"),
        ("Лукашенка", A_LUKASHENKO, "surname only"),
        ("Джордж Кент", None, "US diplomat"),
        ("Кент", None, "George Kent, surname only"),
        (
            "Віктора Лукашенко",
            "gb_hmt_sanctions:13919",
            "the son Viktor (not the father)",
            {"also": ["us_ofac_sdn:9797"]},
        ),
    ],
    "uk_uzhgorodka_20230317": [
        ("Міжнародний кримінальний суд", None, "the ICC"),
        ("путіна", PUTIN, "lower-cased on purpose by the outlet"),
        ("путін", PUTIN, "lower-cased"),
        ("марії львови-бєлової", LVOVA_BELOVA, "lower-cased, genitive"),
        ("львову-бєлову", LVOVA_BELOVA, "lower-cased, accusative"),
        ("Reuters", None, ""),
        ("МКС", None, "the ICC"),
    ],
    "uk_svidomi_usm": [
        ("USM Holding", USM, "USM Holdings Limited (or the group's USM LLC)", USM_ALSO),
        ("Алішером Усмановим", USMANOV, "instrumental"),
        ("Усманова", USMANOV, "genitive, surname only"),
        ("Коммерсант", None, "publishing house, not listed"),
        ("Мегафон", MEGAFON, "", MEGAFON_ALSO),
        (
            "Металоінвест",
            "us_ofac_sdn:42096",
            "the Metalloinvest holding (Holdingovaya Kompaniya Metalloinvest AO)",
        ),
        ("Росатом", None, "the state corporation itself is not on the bundled lists (some subsidiaries are)"),
    ],
}


def find_all(text: str, surface: str) -> list[int]:
    """Start offsets of `surface` in `text` as a whole word (no letter or digit on either side)."""
    pattern = r"(?<![\w])" + re.escape(surface) + r"(?![\w])"
    return [m.start() for m in re.finditer(pattern, text)]


def build(doc_id: str) -> dict[str, Any]:
    text = (HERE / f"{doc_id}.txt").read_text(encoding="utf-8")
    taken: list[tuple[int, int]] = []
    mentions: list[dict[str, Any]] = []
    labels = sorted(LABELS[doc_id], key=lambda lab: -len(lab[0]))
    for label in labels:
        surface, record, note = label[0], label[1], label[2]
        opts: dict[str, Any] = label[3] if len(label) > 3 else {}
        starts = find_all(text, surface)
        if "ctx" in opts:
            ctx = opts["ctx"]
            offset = ctx.index(surface)
            starts = [s + offset for s in (m.start() for m in re.finditer(re.escape(ctx), text))]
        starts = [s for s in starts if not any(a < s + len(surface) and s < b for a, b in taken)]
        if "n" in opts:
            starts = [starts[i] for i in opts["n"]]
        assert starts, f"{doc_id}: {surface!r} not found"
        for s in starts:
            e = s + len(surface)
            assert text[s:e] == surface
            taken.append((s, e))
            m: dict[str, Any] = {"start": s, "end": e, "surface": surface, "record": record, "note": note}
            if opts.get("also"):
                m["also"] = list(opts["also"])
            mentions.append(m)
    mentions.sort(key=lambda m: m["start"])
    return {"id": doc_id, **META[doc_id], "retrieved_from": STORE_NOTE, "mentions": mentions}


def main() -> None:
    assert set(META) == set(LABELS)
    for doc_id in META:
        doc = build(doc_id)
        path = HERE / f"{doc_id}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        listed = sum(1 for m in doc["mentions"] if m["record"])
        print(f"{doc_id}: {len(doc['mentions'])} mentions, {listed} of listed entities")


if __name__ == "__main__":
    main()

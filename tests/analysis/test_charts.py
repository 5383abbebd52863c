"""Coverage, timelines and lags, and their charts, on real records of the lists.

One store for the module: four real versions of the OFAC SDN list (2022-02-23, -02-26,
-03-25 and 2024-05-03: the history dates Putin's designation and shows a real delisting),
the whole OFSI ConList of 2025-04-14 (so that the UK is known: it states listing dates),
the FCDO and Australian records of Abramovich and Putin (Australia only as a sample), the
EU sample, and Putin's entry on Ukraine's War & Sanctions portal (an allegation).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from lxml import etree

from reckon.analysis.charts import (
    chart_format,
    coverage_chart,
    entity_timeline_chart,
    lag_chart,
    timeline_chart,
)
from reckon.analysis.coverage import CoverageReport, Filters, QueryError, check_query, coverage_of
from reckon.analysis.lag import LagReport, lag, lag_of
from reckon.analysis.status import DELISTED, LISTED, EntityStatus, all_statuses
from reckon.analysis.timeline import Timeline, entity_timeline, timeline_of
from tests.conftest import run_cli
from tests.resolve.conftest import AU, EU, FCDO, OFSI, resolved_store

SDN = ["sdn_2022-02-23.csv", "sdn_2022-02-26.csv", "sdn_2022-03-25.csv", "sdn_2024-05-03.csv"]
UA = "ua_war_sanctions.targets.simple.csv.gz"
ABRAMOVICH = {FCDO: ["RUS0270"], AU: ["6754"]}
PUTIN = {FCDO: ["RUS0251"], AU: ["6678"], UA: ["Q7747"]}
EVERY = check_query(Filters())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    records = [(OFSI, None), *ABRAMOVICH.items(), *PUTIN.items(), (EU, None)]
    yield resolved_store(tmp_path_factory.mktemp("charts") / "charts.duckdb", SDN, records)


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def statuses(store: Path) -> list[EntityStatus]:
    # Read once: the pure functions below take them, as the commands' library calls do.
    c = duckdb.connect(str(store), read_only=True)
    try:
        return all_statuses(c)
    finally:
        c.close()


@pytest.fixture(scope="module")
def cover(statuses: list[EntityStatus]) -> CoverageReport:
    return coverage_of(statuses, Filters(), EVERY, examples=100_000)


@pytest.fixture(scope="module")
def months(statuses: list[EntityStatus]) -> Timeline:
    return timeline_of(statuses, Filters(), EVERY, by="month")


@pytest.fixture(scope="module")
def lags(con_versions: dict[str, list[str]], statuses: list[EntityStatus]) -> LagReport:
    return lag_of(statuses, Filters(), EVERY, versions=con_versions)


@pytest.fixture(scope="module")
def con_versions(store: Path) -> dict[str, list[str]]:
    c = duckdb.connect(str(store), read_only=True)
    try:
        out: dict[str, list[str]] = {}
        for source, day in c.execute("SELECT source, version_date FROM versions ORDER BY 1, 2").fetchall():
            out.setdefault(str(source), []).append(str(day)[:10])
        return out
    finally:
        c.close()


def _combination_of(report: CoverageReport, caption: str) -> tuple[str, ...]:
    (found,) = [c for c in report.combinations if caption in c.examples]
    return found.listed


# Coverage


@pytest.mark.integration
def test_abramovich_counts_under_gb_and_au_with_us_not_listed_and_eu_unknown(cover: CoverageReport) -> None:
    (combo,) = [c for c in cover.combinations if "Roman Arkadyevich ABRAMOVICH" in c.examples]
    assert combo.listed == ("au", "gb")
    assert "us" in combo.not_listed
    # The EU list is a sample, Canada's and the UN's are not loaded: unknown, never "not listed".
    assert {"eu", "ca", "un"} <= set(combo.unknown) and not {"eu", "ca", "un"} & set(combo.not_listed)
    assert _combination_of(cover, "PUTIN, Vladimir Vladimirovich") == ("au", "gb", "us")


@pytest.mark.integration
def test_unknown_jurisdictions_are_unknown_not_zero(cover: CoverageReport) -> None:
    assert cover.listed["ca"] is None and cover.listed["un"] is None and cover.listed["eu"] is None
    assert not cover.states["ca"].known and "not loaded" in cover.states["ca"].summary
    assert cover.states["eu"].sample and "sample" in cover.states["eu"].summary
    assert cover.sample_listed["eu"] > 0 and "ca" not in cover.sample_listed
    assert (
        cover.listed["us"]
        and cover.listed["us"] > 10_000
        and cover.listed["gb"]
        and cover.listed["gb"] > 4_000
    )
    # Each entity is in one combination, and each jurisdiction's total is the sum of its combinations.
    assert cover.entities == sum(c.count for c in cover.combinations)
    assert cover.listed["gb"] == sum(c.count for c in cover.combinations if "gb" in c.listed)


@pytest.mark.integration
def test_allegations_are_never_a_jurisdiction(cover: CoverageReport) -> None:
    assert "ua" not in cover.jurisdictions and "acf" not in cover.jurisdictions
    assert all("ua" not in c.listed for c in cover.combinations)


@pytest.mark.integration
def test_coverage_by_theme_and_measure(statuses: list[EntityStatus]) -> None:
    war = coverage_of(statuses, Filters(theme="russia_ukraine", measure="targeted"), EVERY, examples=100_000)
    assert _combination_of(war, "Roman Arkadyevich ABRAMOVICH") == ("au", "gb")
    assert war.entities < coverage_of(statuses, Filters(), EVERY).entities
    # An entity listed by the US under another programme is not "not listed" there: counted as such.
    assert any("listed otherwise" in kinds for c in war.combinations for kinds in c.elsewhere.values())
    people = coverage_of(statuses, Filters(schema="Person"), EVERY)
    assert 0 < people.entities < war.entities + people.entities
    with pytest.raises(QueryError, match="no entity of schema 'Persn'"):
        coverage_of(statuses, Filters(schema="Persn"), EVERY)


def test_unknown_jurisdiction_theme_and_measure_are_refused() -> None:
    with pytest.raises(QueryError, match="unknown jurisdiction 'xx'"):
        check_query(Filters(jurisdictions=("gb", "xx")))
    with pytest.raises(QueryError, match="unknown theme 'war'"):
        check_query(Filters(theme="war"))
    with pytest.raises(QueryError, match="unknown measure 'freeze'"):
        check_query(Filters(measure="freeze"))
    assert check_query(Filters()) == ["au", "ca", "eu", "gb", "un", "us"]


# Timeline


@pytest.mark.integration
def test_putins_designations_by_date(con: duckdb.DuckDBPyConnection) -> None:
    et = entity_timeline(con, "us_ofac_sdn:35096")
    assert et is not None
    by = {(e.jurisdiction, e.record): e for e in et.events}
    us = by["us", "us_ofac_sdn:35096"]
    # The SDN list states no date: the history does (absent 2022-02-23, present 02-26).
    assert (us.kind, us.date, us.on_or_before) == ("listed", "2022-02-26", False)
    assert (by["gb", "gb_hmt_sanctions:14196"].date, by["gb", "gb_hmt_sanctions:14196"].on_or_before) == (
        "2022-02-25",
        False,
    )
    # Australia's records state no date: only "on or before" the one version loaded.
    assert by["au", "au_dfat_sanctions:6678"].on_or_before
    assert [e.date for e in et.events] == sorted(e.date for e in et.events)
    # The portal's entry is an allegation, apart from the designations.
    assert [a.record for a in et.allegations] == ["ua_war_sanctions:Q7747"]
    assert all(e.jurisdiction != "ua_war_sanctions" for e in et.events)


@pytest.mark.integration
def test_a_real_delisting_is_in_the_sequence(con: duckdb.DuckDBPyConnection) -> None:
    # Yani Benjamin ROSENTHAL HIDALGO left the SDN list in March 2022.
    et = entity_timeline(con, "us_ofac_sdn:18598")
    assert et is not None
    assert [(e.kind, e.date, e.on_or_before) for e in et.events if e.jurisdiction == "us"] == [
        ("listed", "2022-02-23", True),
        ("delisted", "2022-03-25", False),
    ]
    assert entity_timeline(con, "rk-nope") is None


@pytest.mark.integration
def test_undated_designations_are_counted_apart(months: Timeline, statuses: list[EntityStatus]) -> None:
    # Records already on the first loaded SDN version are "before 2022-02-23", not in February.
    assert list(months.before["us"]) == ["2022-02-23"] and months.before["us"]["2022-02-23"] > 5_000
    assert min(months.counts["us"]) == "2022-02" and months.counts["us"]["2022-02"] > 0
    assert "2022-02-23" not in months.counts["us"]
    designated = sum(1 for st in statuses if st.jurisdictions["us"].status in (LISTED, DELISTED))
    assert sum(months.counts["us"].values()) + sum(months.before["us"].values()) == designated
    # OFSI states its dates: the UK is dated all the way back, nothing "before".
    assert months.counts["gb"]["2022-03"] > 100 and not months.before["gb"]
    assert "ca" not in months.counts and "not loaded" in months.unknown["ca"]
    assert "eu" not in months.counts and months.sample_counts["eu"]
    assert months.periods[0] <= "2022-02" and "2023-06" in months.periods  # months with none are kept
    years = timeline_of(statuses, Filters(), EVERY, by="year")
    assert years.counts["gb"]["2022"] == sum(
        n for p, n in months.counts["gb"].items() if p.startswith("2022")
    )


# Lag


@pytest.mark.integration
def test_putin_lag_between_the_uk_and_the_us(con: duckdb.DuckDBPyConnection) -> None:
    report = lag(con, Filters(jurisdictions=("gb", "us")))
    (putin,) = [r for r in report.entities if r.caption == "PUTIN, Vladimir Vladimirovich"]
    # OFSI listed him on 2022-02-25; the SDN version of 2022-02-26 is the first with him.
    assert putin.dates == {"gb": "2022-02-25", "us": "2022-02-26"}
    assert putin.days == {"gb": 0, "us": 1} and putin.first == "2022-02-25"
    assert putin.window == {"us": 3}  # the version before was of 2022-02-23
    # Dates further from the version before than asked are excluded, and counted.
    strict = lag(con, Filters(jurisdictions=("gb", "us")), max_window=10)
    assert any(r.caption == "PUTIN, Vladimir Vladimirovich" for r in strict.entities)
    assert strict.stats["us"].window <= 10 < report.stats["us"].window
    assert strict.stats["us"].excluded > report.stats["us"].excluded


@pytest.mark.integration
def test_on_or_before_dates_are_excluded_and_counted(lags: LagReport) -> None:
    import statistics

    assert lags.jurisdictions == ("gb", "us")  # the others are a sample or not loaded
    assert set(lags.left_out) == {"au", "ca", "eu", "un"}
    us, gb = lags.stats["us"], lags.stats["gb"]
    # An entity already on the first SDN version has no US date: excluded there, and no
    # first designation to measure the UK's from.
    assert us.excluded > 0 and gb.first_unknown == us.excluded and lags.excluded_entities == us.excluded
    assert all(r.dates["us"] > "2022-02-23" for r in lags.entities)
    days = [r.days["us"] for r in lags.entities]
    assert us.count == len(days) == gb.count and us.median == statistics.median(days)
    assert us.q1 is not None and us.q3 is not None and us.q1 <= us.median <= us.q3
    assert us.first + gb.first >= len(lags.entities)  # ties count for both


# Charts


def _svg_texts(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    return ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def _png_pixels(data: bytes) -> object:
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data), format="png")
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    assert pixels[..., :3].std() > 0.05  # not blank
    assert (pixels[..., :3] < 0.5).mean() > 0.005  # some dark ink
    return pixels


@pytest.mark.integration
def test_the_upset_chart_renders_with_its_jurisdictions(cover: CoverageReport) -> None:
    svg = coverage_chart(cover, "svg")
    texts = _svg_texts(svg)
    for label in ("au (sample: unknown)", "eu (sample: unknown)", "ca (unknown)", "gb", "us"):
        assert label in texts
    assert "?" in texts and f"{cover.combinations[0].count:,}" in texts
    assert coverage_chart(cover, "svg") == svg  # the same chart, the same file
    _png_pixels(coverage_chart(cover, "png"))


@pytest.mark.integration
def test_timeline_and_lag_charts_render(
    months: Timeline, lags: LagReport, con: duckdb.DuckDBPyConnection
) -> None:
    texts = _svg_texts(timeline_chart(months, "svg"))
    assert any(t.startswith("us (+") and "on or before 2022-02-23" in t for t in texts)
    assert any(t.startswith("unknown: ") and "ca (" in t for t in texts)
    _png_pixels(timeline_chart(months, "png"))
    texts = _svg_texts(lag_chart(lags, "svg"))
    assert "us" in texts and any(t.startswith(f"n={lags.stats['us'].count:,}, median") for t in texts)
    assert lag_chart(lags, "svg") == lag_chart(lags, "svg")
    _png_pixels(lag_chart(lags, "png"))
    et = entity_timeline(con, "us_ofac_sdn:35096")
    assert et is not None
    assert "2022-02-26" in _svg_texts(entity_timeline_chart(et, "svg"))
    _png_pixels(entity_timeline_chart(et, "png"))


def test_chart_formats() -> None:
    assert chart_format(Path("a.SVG")) == "svg" and chart_format(Path("x/b.png")) == "png"
    with pytest.raises(QueryError, match=r"\.svg or \.png"):
        chart_format(Path("c.pdf"))


def test_the_cli_starts_without_matplotlib() -> None:
    code = "import sys, reckon.cli; sys.exit(any(m.split('.')[0] in ('matplotlib', 'numpy') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# Commands


@pytest.mark.integration
def test_coverage_command(store: Path, tmp_path: Path) -> None:
    chart = tmp_path / "coverage.svg"
    code, stdout, stderr = run_cli("coverage", "--db", str(store), "--json", "--chart", str(chart))
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["listed"]["eu"] is None and data["listed"]["gb"] > 4_000
    assert ["au", "gb"] in [c["listed"] for c in data["combinations"]]
    assert "gb" in _svg_texts(chart.read_bytes())


@pytest.mark.integration
def test_timeline_and_lag_commands(store: Path, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli("timeline", "us_ofac_sdn:35096", "--db", str(store))
    assert code == 0, stderr
    assert "2022-02-26" in stdout and "on or before 2026-02" in stdout and "documented by" in stdout
    chart = tmp_path / "lag.png"
    code, stdout, stderr = run_cli("lag", "--db", str(store), "-j", "gb,us", "--chart", str(chart))
    assert code == 0, stderr
    assert "first unknown" in stdout and chart.read_bytes().startswith(b"\x89PNG")
    code, stdout, stderr = run_cli("timeline", "--by", "year", "--db", str(store), "--json")
    assert code == 0, stderr
    assert json.loads(stdout)["before"]["us"] == {
        "2022-02-23": json.loads(stdout)["before"]["us"]["2022-02-23"]
    }


@pytest.mark.integration
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("coverage", "-j", "gb,xx"), "unknown jurisdiction 'xx'"),
        (("coverage", "--theme", "war"), "unknown theme 'war'"),
        (("lag", "--measure", "freeze"), "unknown measure 'freeze'"),
        (("coverage", "--chart", "{tmp}/c.pdf"), ".svg or .png"),
        (("timeline", "--chart", "{tmp}/t"), ".svg or .png"),
        (("timeline", "--by", "week"), "unknown period 'week'"),
        (("timeline", "rk-nope"), "no entity 'rk-nope'"),
        (("lag", "--chart", "{tmp}/missing/l.svg"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    store: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, stdout, stderr = run_cli(*(a.format(tmp=tmp_path) for a in args), "--db", str(store))
    assert code == 2 and message in stderr and stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # no chart written

"""What the benchmarks measure: (group, case, argument)."""

from __future__ import annotations

LISTS = "../shared/data/lists"

PARSE_FILES = [
    f"{LISTS}/ofac_sdn_history/sdn_2024-05-03.csv",
    f"{LISTS}/ofac_sdn/csv_2021-07_watchman_bench",
    f"{LISTS}/ofac_consolidated/consolidated_classic_2026-01-08.xml",
    f"{LISTS}/ofac_consolidated/CONS_ENHANCED_2025-01-14.ZIP",
    f"{LISTS}/ofac_consolidated/csv_2025-12",
    f"{LISTS}/us_csl/consolidated.csv.gz",
    f"{LISTS}/uk_ofsi/ConList_2025-04-14.xlsx",
    f"{LISTS}/uk_fcdo/FCDO_SL_Mon_Aug 11 2025.ods",
    f"{LISTS}/uk_fcdo/sample_uk_sanctions_list_2026-09-07.xml",
    f"{LISTS}/un/UN_consolidated_2026-02-27.xml",
    f"{LISTS}/au/Australian_Sanctions_Consolidated_List_2026-02.xlsx",
    f"{LISTS}/ca/sema-lmes_2020-04.xml",
    f"{LISTS}/eu_fsf/sample_fsf_xml11_2026-08-05.xml",
    f"{LISTS}/eu_fsf/EU_legacy_WHOLE_2016-02-11_partial.xml",
    "../shared/data/candidates/ua_war_sanctions.targets.simple.csv.gz",
]

CASES: list[tuple[str, str, str]] = [("parse", "parse", f) for f in PARSE_FILES] + [
    ("xlsx", "xlsx_reckon", f"{LISTS}/uk_ofsi/ConList_2025-04-14.xlsx"),
    ("xlsx", "xlsx_openpyxl", f"{LISTS}/uk_ofsi/ConList_2025-04-14.xlsx"),
    ("import", "import_bundled", "no-history"),
    ("replay", "import_bundled", "history-only"),
]

# Matching quality and speed against nomenklatura (bench/peer_nomenklatura.py). The pair
# files are read when the case runs; match_compare reads the per-pair scores the cases
# before it wrote, so it must come after them.
PAIR_FILES = [
    "bench/pairs/reckon_pairs.jsonl",
    "bench/pairs/nk_name_bench.jsonl",
    "bench/pairs/nk_entity_bench.jsonl",
]
MATCH_FROZEN = "../shared/data/matching-dev/name_bench_logicv2_frozen_run.csv"

CASES += [
    ("match", case, f) for f in PAIR_FILES for case in ("match_reckon", "match_logic_v2", "match_logic_v1")
]
CASES += [("match", "match_compare", f) for f in PAIR_FILES]
CASES += [("match", "match_frozen", MATCH_FROZEN)]

# Screening on all bundled snapshots (bench/screening.py).
CASES += [
    ("screen", "screen_memory", "bundled"),
    # Hits per query, duplicates, recall and false hits of entity screening (issue 18).
    ("screen", "screen_entities", "memory"),
    ("screen", "screen_prepare", "bundled"),
    ("screen", "screen_cold", "bundled"),
    # A whole file through `reckon screen --input`: one process, then one per core.
    ("screen", "screen_batch", "1"),
    ("screen", "screen_batch", "2"),
]

# Cross-list resolution against a gold standard from hard evidence (bench/resolve/): the gold's
# statistics, splink as the peer (in .venv-peer), and reckon's own `resolve` + `clusters --json`.
CASES += [
    ("resolve", case, "bundled")
    for case in ("resolve_gold", "resolve_splink", "resolve_reckon", "resolve_incremental")
]

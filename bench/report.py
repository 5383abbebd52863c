"""Render bench/results/latest.json as docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _f(v: Any, digits: int = 2) -> str:
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def write_docs(data: dict[str, Any], target: Path) -> None:
    m = data["machine"]
    res = data["results"]
    lines = [
        "# Benchmarks",
        "",
        "Run them with `make bench` (all) or `.venv/bin/python -m bench parse xlsx import replay --write-docs`.",
        "Every case runs in a fresh process pinned to one core, with DuckDB limited to one thread;",
        "peak memory is that process's maximum resident set size. No timing is asserted in tests.",
        "",
        f"Machine: {m['cpu']} ({m['cores']} cores visible, 1 used), Python {m['python']}, "
        f"DuckDB {m['duckdb']}. Date: {m['date']}.",
        "",
        "## Import from an empty store",
        "",
        "`records` counts every record parsed, summed over all versions imported.",
        "",
        "| what | versions | records | seconds | peak RSS MB | store MB | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in res:
        if r.get("case") != "import_bundled":
            continue
        what = {
            "no-history": "all bundled snapshots (SDN as its newest snapshot)",
            "history-only": "OFAC SDN history replay, 308 versions 2021-08 → 2024-05",
        }.get(r["arg"], r["arg"])
        goal = "≤ 60 s, < 1 GiB" if r["arg"] == "no-history" else "≤ 300 s, store ≤ 200 MB"
        if "error" in r:
            lines.append(f"| {what} | error: {r['error']} | | | | | {goal} |")
            continue
        lines.append(
            f"| {what} | {r['versions']} | {r['records']} | {_f(r['seconds'], 1)} | {_f(r['peak_rss_mb'], 0)} "
            f"| {_f(r['db_mb'], 1)} | {goal} |"
        )
    lines += [
        "",
        "## Parsing each real list file",
        "",
        "| file | format | records | seconds | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for r in res:
        if r.get("case") != "parse":
            continue
        name = Path(r["arg"]).name
        if "error" in r:
            lines.append(f"| {name} | error: {r['error']} | | | |")
            continue
        lines.append(
            f"| {name} | {r['format']} | {r['records']} | {_f(r['seconds'], 3)} | {_f(r['peak_rss_mb'], 0)} |"
        )
    ours = next((r for r in res if r.get("case") == "xlsx_reckon" and "seconds" in r), None)
    peer = next((r for r in res if r.get("case") == "xlsx_openpyxl" and "seconds" in r), None)
    if ours and peer:
        lines += [
            "",
            "## Spreadsheet reading against openpyxl (same run)",
            "",
            "reckon reads xlsx/ods with its own small lxml-based reader instead of depending on openpyxl.",
            "",
            "| reader | rows of ConList_2025-04-14.xlsx | seconds | peak RSS MB |",
            "|---|---|---|---|",
            f"| reckon `spreadsheet.read_xlsx` | {ours['rows']} | {_f(ours['seconds'], 2)} | {_f(ours['peak_rss_mb'], 0)} |",
            f"| openpyxl read-only (peer) | {peer['rows']} | {_f(peer['seconds'], 2)} | {_f(peer['peak_rss_mb'], 0)} |",
            "",
            f"Ratio: reckon is {peer['seconds'] / ours['seconds']:.1f}× faster than openpyxl on this file; it holds",
            "the sheet's XML in memory to do so (peak RSS above), where openpyxl streams it.",
        ]
    lines += _match_section(res)
    mem = next((r for r in res if r.get("case") == "screen_memory" and "p50_ms" in r), None)
    cold = next((r for r in res if r.get("case") == "screen_cold" and "seconds" in r), None)
    prep = next((r for r in res if r.get("case") == "screen_prepare" and "seconds" in r), None)
    if mem or cold:
        lines += [
            "",
            "## Screening speed on all bundled lists",
            "",
            "Queries are the 1,000 first query entities of `bench/pairs/reckon_pairs.jsonl` (real names,",
            "persons and companies, some with birth dates or identifiers), against every bundled snapshot.",
            "",
            "| measure | value | target |",
            "|---|---|---|",
        ]
        if mem:
            lines += [
                f"| in-memory index build ({mem['entities']} records, read prepared from the store) "
                f"| {_f(mem['build_seconds'], 1)} s | ≤ 15 s |",
                f"| index process peak RSS | {_f(mem['peak_rss_mb'], 0)} MB | ≤ 300 MB |",
                f"| one query, p50 | {_f(mem['p50_ms'], 1)} ms | ≤ 2 ms |",
                f"| one query, p99 | {_f(mem['p99_ms'], 1)} ms | ≤ 10 ms |",
                f"| batch throughput | {_f(mem['queries_per_second'], 0)} queries/s | ≥ 1,000 |",
            ]
            if mem.get("queries_per_cpu_second") is not None:
                lines.append(
                    f"| the same, per CPU second (time other guests of the VM took not counted) "
                    f"| {_f(mem['queries_per_cpu_second'], 0)} queries/s | |"
                )
            if mem.get("recall_at_10") is not None:
                lines.append(
                    f"| right record in the top 10 (positive pairs, {mem['recall_queries']} queries) "
                    f"| {_f(mem['recall_at_10'], 3)} | |"
                )
        ents = next((r for r in res if r.get("case") == "screen_entities" and "hits_per_query" in r), None)
        if ents:
            lines += [
                f"| hits per query, each a canonical entity (limit 10, threshold 0.7) "
                f"| {_f(ents['hits_per_query'], 2)} | |",
                f"| share of hits standing for an entity another hit of the same query stands for "
                f"| {_f(ents['duplicate_hits_share'], 3)} | 0 |",
                f"| labelled non-match among the hits ({ents['negatives']} negative pairs) "
                f"| {_f(ents['negative_candidate_hit_rate'], 4)} | |",
            ]
        if prep:
            lines.append(
                f"| preparing every record once, at the first ingest (`refresh_index`; later ingests "
                f"prepare only changed records) | {_f(prep['seconds'], 1)} s | |"
            )
        if cold:
            lines.append(
                f"| new process to first answer (`reckon screen`, stored keys) | {_f(cold['seconds'], 2)} s | ≤ 1 s |"
            )
        for b in sorted(
            (r for r in res if r.get("case") == "screen_batch" and "rows_per_second" in r),
            key=lambda r: r["workers"],
        ):
            lines.append(
                f"| `reckon screen --input` a file of {b['rows']:,} real query entities, "
                f"{b['workers']} worker{'s' if b['workers'] > 1 else ''} ({b['cores']} cores) "
                f"| {_f(b['rows_per_second'], 0)} rows/s | |"
            )
    lines += _resolve_section(res)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Measurements made by hand (cross-checks, in-process A/B runs) sit below the marker
    # and are kept when the generated part is rewritten.
    kept = ""
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if HAND_MARKER in old:
            kept = "\n" + old[old.index(HAND_MARKER) :]
    target.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")


HAND_MARKER = "<!-- measured by hand below: kept by --write-docs -->"


_MATCHERS = (("reckon", "match_reckon"), ("logic-v2", "match_logic_v2"), ("logic-v1", "match_logic_v1"))


def _q(v: Any, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _prf(q: dict[str, Any]) -> str:
    if not q["positives"]:
        return f"FP rate {_q(q['fp_rate'])}"
    return f"{_q(q['precision'])} / {_q(q['recall'])} / {_q(q['f1'])}"


def _beats(ours: dict[str, Any], peer: dict[str, Any]) -> str:
    """Does reckon do better than logic-v2 here: higher F1, or a lower FP rate where there
    are no positives."""
    if not ours["positives"]:
        a, b = ours["fp_rate"], peer["fp_rate"]
        return "yes" if a < b else ("tie" if a == b else "**no**")
    a, b = ours["f1"], peer["f1"]
    return "yes" if a > b else ("tie" if a == b else "**no**")


def _speed(v: Any) -> str:
    return "–" if v is None else f"{v:,.0f}"


def _match_section(res: list[dict[str, Any]]) -> list[str]:
    """Matching quality and speed against nomenklatura, from the `match` group's cases."""
    runs: dict[str, dict[str, dict[str, Any]]] = {}
    errors: list[str] = []
    for r in res:
        if r.get("group") != "match":
            continue
        if "error" in r:
            errors.append(f"- {r['case']} {r['arg']}: error {r['error']}")
            continue
        if r.get("case") in dict((c, m) for m, c in _MATCHERS):
            runs.setdefault(Path(r["arg"]).name, {})[r["matcher"]] = r
    if not runs and not errors:
        return []
    version = next((r["nomenklatura"] for f in runs.values() for r in f.values() if "nomenklatura" in r), "?")
    th = {m: next((f[m]["threshold"] for f in runs.values() if m in f), None) for m, _ in _MATCHERS}
    lines = [
        "",
        "## Matching quality against nomenklatura (same run)",
        "",
        "The same labelled pairs (`bench/pairs/*.jsonl`) scored by reckon's `reckon.match.scorer.score` and by",
        f"nomenklatura {version} (OpenSanctions' matcher, MIT; in its own venv, .venv-peer, from the `peer` extra): logic-v2,",
        "the algorithm yente uses by default, and the older logic-v1. Each matcher runs over each file in its",
        "own process pinned to one core. nomenklatura gets FtM proxies built from the pair entities",
        "(synthetic ids, properties the schema lacks dropped, values cleaned as FtM cleans untrusted input).",
        "",
        f"Thresholds: reckon {th['reckon']} (its default: `reckon screen`/`reckon pairs` `--threshold`); "
        f"logic-v2 {th['logic-v2']} and logic-v1 {th['logic-v1']}: nomenklatura's algorithms declare no threshold,",
        "so yente's default `SCORE_THRESHOLD` (0.70) is used, the cut-off of OpenSanctions' frozen logic-v2 run too.",
        "",
        "Cells are precision / recall / F1 at those thresholds. F1 is computed only where a category has",
        "positive pairs; categories with none (`neg_*`) show their false-positive rate (FP / pairs) instead,",
        "where specificity = 1 − FP rate. Categories with only positives have precision 1.000 unless",
        "nothing is found. `reckon better?` compares reckon with logic-v2: higher F1, or lower FP rate.",
    ]
    for fname, by in runs.items():
        if "reckon" not in by:
            continue
        cats = list(by["reckon"]["quality"])
        lines += [
            "",
            f"### {fname}",
            "",
            "| category | pairs (+/−) | reckon P / R / F1 | logic-v2 P / R / F1 | logic-v1 P / R / F1 | reckon better? |",
            "|---|---|---|---|---|---|",
        ]
        for cat in cats:
            q = by["reckon"]["quality"][cat]
            cells = [_prf(by[m]["quality"][cat]) if m in by else "–" for m, _ in _MATCHERS]
            better = _beats(q, by["logic-v2"]["quality"][cat]) if "logic-v2" in by else "–"
            name = "**all**" if cat == "all" else cat
            lines.append(
                f"| {name} | {q['pairs']} ({q['positives']}/{q['pairs'] - q['positives']}) | "
                + " | ".join(cells)
                + f" | {better} |"
            )
        a = by["reckon"]["quality"]["all"]
        ok = (a["precision"] or 0) >= 0.99 and (a["recall"] or 0) >= 0.97
        lines += [
            "",
            f"reckon overall: precision {_q(a['precision'])}, recall {_q(a['recall'])}, "
            f"FP rate {_q(a['fp_rate'])} (target precision ≥ 0.99 with recall ≥ 0.97: {'met' if ok else '**not met**'}).",
        ]
    lines += [
        "",
        "### Pair scoring speed (single core)",
        "",
        "Pure scoring: the pair file is read and nomenklatura's proxies are built before the clock starts;",
        "reckon's `score()` is timed on the dict entities, so its time includes its own preparation of the",
        "entities (nomenklatura's `compare()` likewise prepares names inside the call). One warm-up pair not",
        "in the file is scored first (nomenklatura loads its name reference data then: the warm-up column).",
        "*cold* is the first pass over the file, every pair once; *warm* is the mean of the later passes,",
        "when each matcher's name caches are full (both cache per-name preparation). Speeds are pairs per",
        "CPU second of the scoring process (`time.process_time`), so other load on the shared core does not",
        "count; wall-clock times are in `bench/results/latest.json`.",
        "",
        "| file | pairs | reckon pairs/s cold (warm) | logic-v2 pairs/s cold (warm) | logic-v1 pairs/s cold (warm) "
        "| reckon ÷ logic-v2 cold (warm) | warm-up s reckon / v2 / v1 | peak RSS MB reckon / v2 / v1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fname, by in runs.items():
        cells = [
            f"{_speed(by[m]['cold_pairs_per_second'])} ({_speed(by[m]['warm_pairs_per_second'])})"
            if m in by
            else "–"
            for m, _ in _MATCHERS
        ]
        ratio = "–"
        if "reckon" in by and "logic-v2" in by:
            o, p = by["reckon"], by["logic-v2"]
            ratio = (
                f"{o['cold_pairs_per_second'] / p['cold_pairs_per_second']:.1f}× "
                f"({o['warm_pairs_per_second'] / p['warm_pairs_per_second']:.1f}×)"
            )
        warm = " / ".join(_q(by[m]["warmup_seconds"], 2) if m in by else "–" for m, _ in _MATCHERS)
        rss = " / ".join(_f(by[m]["peak_rss_mb"], 0) if m in by else "–" for m, _ in _MATCHERS)
        pairs = next(iter(by.values()))["pairs"]
        lines.append(f"| {fname} | {pairs} | " + " | ".join(cells) + f" | {ratio} | {warm} | {rss} |")
    full = [by for by in runs.values() if all(m in by and "cold_cpu_seconds" in by[m] for m, _ in _MATCHERS)]
    if len(full) > 1:
        total = sum(by["reckon"]["pairs"] for by in full)

        def rate(m: str, key: str) -> float:
            return float(total / sum(by[m][key] for by in full))

        cells = [
            f"{_speed(rate(m, 'cold_cpu_seconds'))} ({_speed(rate(m, 'warm_cpu_seconds'))})"
            for m, _ in _MATCHERS
        ]
        ratio = (
            f"{rate('reckon', 'cold_cpu_seconds') / rate('logic-v2', 'cold_cpu_seconds'):.1f}× "
            f"({rate('reckon', 'warm_cpu_seconds') / rate('logic-v2', 'warm_cpu_seconds'):.1f}×)"
        )
        lines.append(f"| **all files** | {total} | " + " | ".join(cells) + f" | **{ratio}** | | |")
    compares = [r for r in res if r.get("case") == "match_compare" and "error" not in r]
    if compares:
        lines += [
            "",
            "### Where reckon and logic-v2 disagree",
            "",
            "Pairs reckon gets wrong and logic-v2 right at the thresholds above, and the reverse.",
            "",
            "| file | reckon wrong, v2 right | top categories | reckon right, v2 wrong | top categories |",
            "|---|---|---|---|---|",
        ]
        for r in compares:

            def top(d: dict[str, int]) -> str:
                return ", ".join(f"{k} {v}" for k, v in list(d.items())[:4]) or "–"

            lines.append(
                f"| {r['file']} | {r['reckon_wrong_v2_right']} | {top(r['lost_by_category'])} "
                f"| {r['reckon_right_v2_wrong']} | {top(r['won_by_category'])} |"
            )
        examples = [(r["file"], e) for r in compares for e in r["loss_examples"]]
        if examples:
            lines += [
                "",
                "Examples (up to 10 per file) where reckon is wrong and logic-v2 right:",
                "",
                "| file | pair id | category | label | reckon score | logic-v2 score |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                f"| {f} | {e['id']} | {e['category']} | {'match' if e['match'] else 'no match'} "
                f"| {_q(e['reckon'])} | {_q(e['logic-v2'])} |"
                for f, e in examples
            ]
    frozen = next((r for r in res if r.get("case") == "match_frozen" and "error" not in r), None)
    if frozen:
        lines += [
            "",
            "### Sanity check: live logic-v2 against OpenSanctions' frozen run",
            "",
            f"`{Path(frozen['arg']).name}` holds logic-v2's scores on nomenklatura's name bench as frozen by",
            f"OpenSanctions ({frozen['rows']} name pairs). Scored again here, name against name, with nomenklatura",
            f"{frozen['nomenklatura']} at {frozen['threshold']}: predictions agree on "
            f"{_q(frozen['prediction_agreement'])} of pairs ({frozen['disagree']} differ); "
            f"{_q(frozen['scores_within_0.01'])} of scores are within 0.01 of the frozen ones "
            f"(mean |Δ| {_q(frozen['mean_abs_score_diff'], 4)}, max {_q(frozen['max_abs_score_diff'], 4)}). "
            f"Accuracy against the labels: live {_q(frozen['accuracy_live'])}, frozen {_q(frozen['accuracy_frozen'])}.",
        ]
        if frozen["disagreements"]:
            lines += ["", "| case | schema | name 1 | name 2 | frozen | live |", "|---|---|---|---|---|---|"]
            lines += [
                f"| {d['case_id']} | {d['schema']} | {d['name1']} | {d['name2']} | {_q(d['frozen'], 4)} | {_q(d['live'], 4)} |"
                for d in frozen["disagreements"]
            ]
    if errors:
        lines += ["", "Cases that failed:", "", *errors]
    return lines


_RULE_TEXT = {
    "un_ref": "same UN reference number (`unscId`)",
    "imo": "same IMO number (vessels with vessels, companies with companies)",
    "passport_dob": "same passport number and same full birth date",
    "same_as": "the lists' own cross-references (OFSI ↔ FCDO, CSL ↔ OFAC)",
}


def _ratio_cell(a: Any, b: Any, digits: int = 1) -> str:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or not b:
        return "–"
    return f"{a / b:.{digits}f}×"


def _resolve_section(res: list[dict[str, Any]]) -> list[str]:
    """Cross-list resolution: the gold standard, then reckon and splink side by side."""
    by = {r["case"]: r for r in res if r.get("group") == "resolve"}
    if not by:
        return []
    lines = [
        "",
        "## Cross-list resolution",
        "",
        "`python -m bench resolve --write-docs`. A store of every bundled snapshot (no SDN history) is",
        "built once with `reckon ingest` (bench/results/resolve.duckdb). Code: bench/resolve/.",
    ]
    g = by.get("resolve_gold")
    if g and "error" in g:
        lines += ["", f"Gold standard: error {g['error']}"]
    elif g:
        lines += [
            "",
            "### Gold standard from hard evidence",
            "",
            "Links between current records (`source:record_id`) that the lists prove to be one entity",
            f"(`bench/resolve/gold.py`, {_f(g['seconds'], 1)} s; written to `{g['gold_file']}`, ~4 MB, so",
            "generated rather than committed). *only this rule*: links no other rule gives.",
            "",
            "| rule | links | across lists | only this rule | main list pairs |",
            "|---|---|---|---|---|",
        ]
        for rule, n in g["links_per_rule"].items():
            pairs = ", ".join(f"{k} {v}" for k, v in list(g["links_by_sources"][rule].items())[:3])
            lines.append(
                f"| {rule}: {_RULE_TEXT.get(rule, rule)} | {n} | {g['cross_list_links_per_rule'][rule]} "
                f"| {g['links_only_this_rule'][rule]} | {pairs} |"
            )
        kn = g["known_negative_pairs"]
        rejected = (
            "; ".join(f"{r['record']} {r['value']} ({r['why']})" for r in g["rejected_evidence"]) or "none"
        )
        lines += [
            f"| **all rules** | {g['links']} | | | |",
            "",
            f"Gold clusters (connected components): **{g['clusters']}** holding {g['records_in_clusters']} of "
            f"{g['records']} current records, {g['gold_pairs']} gold pairs, largest {g['largest_cluster']}; by number "
            "of lists: "
            + ", ".join(f"{k} lists {v}" for k, v in g["clusters_by_sources"].items())
            + "; by schema: "
            + ", ".join(f"{k} {v}" for k, v in g["clusters_by_schema"].items())
            + ".",
            f"Contradictory clusters (kinds mixed, or two UN references / IMO numbers): {g['contradictory_clusters']}"
            + (
                ": " + "; ".join(" + ".join(c["members"]) for c in g["contradictions"])
                if g["contradictions"]
                else ""
            )
            + f". Evidence rejected: {rejected}.",
            f"Known negatives (pairs with different UN references or IMO numbers, over every keyed record): "
            f"UN {kn['un_ref']:,}, IMO {kn['imo']:,}; {g['keyed_singletons']} keyed records no rule links are kept "
            "as one-member clusters for them.",
            "Cross-references whose target is not a current record: "
            + ", ".join(f"{k} {v}" for k, v in g["same_as_target_not_current"].items())
            + ". The US lists (SDN, CSL) carry no UN reference numbers and the bundled FCDO file carries",
            "no identifiers at all, so US records join UN/UK/AU records in the gold only through passports",
            "with birth dates and IMO numbers.",
        ]
    ours, peer = by.get("resolve_reckon"), by.get("resolve_splink")
    lines += [
        "",
        "### reckon against splink (same records, same gold)",
        "",
        "Both clusterings are scored by one function (`bench/resolve/evaluate.py`). *Recall*: gold pairs",
        "put in one cluster. *Precision (closed world)*: of predicted pairs between two gold records, the",
        "share gold links; a merge of two gold clusters counts as wrong although the evidence often just",
        "lacks the bridge (US lists carry no UN numbers), so its false positives are split into *known",
        "negatives* (different UN references or IMO numbers: certainly wrong) and *unproven*.",
        "*Precision on decided pairs*: gold pairs found / (found + known-negative pairs merged).",
        "*Audited precision*: the unproven pairs are weighed by the share of one-entity pairs in a random",
        "sample of them that a person judged from the records side by side (bench/resolve/audit.py; the",
        "verdicts, each with its reason, are in bench/resolve/audit_labels.jsonl), with a 95% Wilson interval.",
        "The sample was drawn from reckon's merges, so it covers splink's unproven pairs only where the two agree.",
        "",
    ]
    for name, r in (("reckon", ours), ("splink", peer)):
        if r and "skipped" in r:
            lines.append(f"- {name}: skipped: {r['skipped']}")
        elif r and "error" in r:
            lines.append(f"- {name}: error {r['error']}")
    ok = {k: v for k, v in (("reckon", ours), ("splink", peer)) if v and "recall" in v}
    if ok:
        cols = list(ok)

        def row(label: str, key: str, fmt: Any, target: str = "", ratio: bool = False) -> str:
            vals = [ok[c].get(key) if key in ok[c] else ok[c].get("run", {}).get(key) for c in cols]
            cells = [fmt(v) if v is not None else "–" for v in vals]
            rat = _ratio_cell(vals[0], vals[1]) if ratio and len(vals) == 2 else ""
            return f"| {label} | " + " | ".join(cells) + f" | {rat} | {target} |"

        def num(v: Any) -> str:
            return f"{v:,}" if isinstance(v, int) else _f(v, 1)

        lines += [
            "| measure | "
            + " | ".join(cols)
            + " | ratio "
            + (f"{cols[0]} ÷ {cols[1]}" if len(cols) == 2 else "")
            + " | target |",
            "|---|" + "---|" * len(cols) + "---|---|",
            row("recall (gold pairs)", "recall", _q, "≥ 0.97"),
            row("precision, closed world", "precision", _q, "≥ 0.995"),
            row("precision on decided pairs", "precision_decided", _q),
            row(
                "precision, audited (unproven pairs weighed by the labelled sample)",
                "precision_audited",
                _q,
                "≥ 0.995",
            ),
            row("audited precision, 95% interval: low", "precision_audited_low", _q),
            row("audited precision, 95% interval: high", "precision_audited_high", _q),
            row("F1, closed world", "f1", _q),
            row("F1 on decided pairs", "f1_decided", _q),
            row("false-positive pairs: known negative", "false_positive_known_negative", num),
            row("false-positive pairs: unproven", "false_positive_unproven", num),
            row("known-negative pairs merged (all records)", "known_negative_violations", num),
            row("gold clusters complete", "gold_clusters_complete", num),
            row("clusters (of two or more)", "multi_member_clusters", num),
            row("wall seconds", "seconds", num, "≤ 60 s", ratio=True),
            row("CPU seconds", "cpu_seconds", num, "", ratio=True),
            row("peak RSS MB", "resolver_peak_rss_mb", num, "", ratio=True),
        ]
        inc = by.get("resolve_incremental")
        if inc and "seconds" in inc:
            lines += [
                "",
                f"Incremental: after a full run on a store whose SDN list is {inc['from_version']}, `reckon ingest` of "
                f"the next snapshot ({inc['to_version']}) took {_f(inc['ingest_seconds'], 1)} s (parsing, import, "
                f"preparing the changed records) and `reckon resolve` {_f(inc['seconds'], 1)} s wall, "
                f"{_f(inc['cpu_seconds'], 1)} s CPU (target ≤ 10 s), re-pairing {inc['repaired']:,} of "
                f"{inc['records']:,} records ({inc['pairs_scored']:,} pairs scored), peak RSS "
                f"{_f(inc['peak_rss_mb'], 0)} MB.",
            ]
        elif inc:
            lines += ["", f"Incremental: {inc.get('skipped') or inc.get('error')}"]
        for c in cols:
            r = ok[c]
            rules = ", ".join(f"{k} {_q(v)}" for k, v in r["recall_by_rule"].items())
            fps = ", ".join(f"{k} {v}" for k, v in list(r["false_positive_by_sources"].items())[:4]) or "–"
            lines += ["", f"{c}: recall by rule {rules}. Closed-world false positives by lists: {fps}."]
            a = r.get("audit")
            if a and a.get("labelled"):
                wrong = "; ".join(" ~ ".join(p) for p in a["different_pairs"]) or "none"
                lines.append(
                    f"Audit: {a['labelled']} of its {r['false_positive_unproven']:,} unproven pairs are in the "
                    f"labelled sample: {a['same']} one entity, {a['different']} two, {a['unsure']} unsure "
                    f"(two entities: {wrong})."
                )
    if peer and "run" in peer:
        run = peer["run"]
        lines += [
            "",
            f"splink {run['splink']} on DuckDB {run['duckdb']} (one thread, pinned to one core), in .venv-peer",
            f"from the `peer` extra: {run['records']} records, names normalised (normality, ASCII, tokens sorted),",
            "full birth dates and years, countries, identifiers (with the UN reference and the lists' own",
            "cross-references as shared ids), blocking on kind plus a name key, an identifier or a birth",
            "date; λ from exact names, u from 2M random pairs, m by EM; connected components at match",
            f"probability ≥ {run['threshold']}. Time: import {_f(run['import_seconds'], 1)} s, preparing records "
            f"{_f(run['prepare_seconds'], 1)} s, training {_f(run['train_seconds'], 1)} s, predicting "
            f"{_f(run['predict_seconds'], 1)} s ({run['predicted_pairs']:,} pairs), clustering "
            f"{_f(run['cluster_seconds'], 1)} s. Install: splink and its requirements take "
            f"{_f(run['install_mb']['total'], 0)} MB, {_f(run['install_mb']['not_shared'], 0)} MB of it not",
            "already brought by nomenklatura (pandas, altair, sqlglot, igraph …).",
        ]
        if peer.get("sweep"):
            lines += [
                "",
                "| splink threshold | recall | precision closed world | precision decided | known negatives merged |",
                "|---|---|---|---|---|",
            ]
            sweep = {**peer["sweep"], str(run["threshold"]): peer}
            for p in sorted(sweep, key=float):
                r = sweep[p]
                lines.append(
                    f"| {p} | {_q(r['recall'])} | {_q(r['precision'])} | {_q(r['precision_decided'])} "
                    f"| {r['known_negative_violations']} |"
                )
    return lines

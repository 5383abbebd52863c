"""Speed and memory of `reckon annotate` (issue 20): gazetteer build and load, scanning.

    python bench/annotate_speed.py STORE [TEXT ...] [--rounds N] [--json]

On a copy of STORE (never written to): the match index is brought up to date first (as
`reckon ingest` and `reckon resolve` leave it), then, each in a fresh process so that its
peak memory is its own, the gazetteer is built and cached, and read back from the cache.
Then the texts (default: tests/annotate/data/*.txt) are annotated, one by one: a first
round, which also asks the store for the statuses and records of the entities met, and
`--rounds` more, timed, as a long-running process (the API) answers them: once with
every name scored again (as for texts never seen), once with the scores kept. Characters
per second are on one core. The scan alone (the automaton and the word-boundary check) and
the simplest peer, one Aho-Corasick automaton of the lists' whole names without
morphology or scoring, are timed on the same texts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "annotate" / "data"


def _peak_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh with the program;
    getrusage's maximum carries over from the parent that forked it."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(step: str, store: str) -> dict[str, Any]:
    """One step in this (fresh) process: `build` (and cache) or `load`."""
    from reckon.annotate.gazetteer import build_gazetteer, load_gazetteer
    from reckon.store import connect

    con = connect(store)
    before = _peak_mb()
    started = time.perf_counter()
    if step == "refresh":
        from reckon.stored_index import index_is_current, refresh_index

        current = index_is_current(con)
        refresh_index(con)
        con.close()
        return {"match_index_was_current": current, "refresh_s": time.perf_counter() - started}
    if step == "build":
        g = build_gazetteer(con)
        built = time.perf_counter() - started
        from reckon.annotate.gazetteer import _state, _write_cache

        cached = _write_cache(con, _state(con), g)
        out = {"build_s": built, "build_and_cache_s": time.perf_counter() - started, "cached": cached}
    else:
        g = load_gazetteer(con)
        assert g.cached and not g.built, "the cache the build left was not read back"
        out = {"load_s": time.perf_counter() - started}
    out |= {
        "keys": len(g.entries),
        "records": len(g.records),
        "peak_rss_mb": _peak_mb(),
        "rss_before_mb": before,
    }
    con.close()
    return out


def _in_child(step: str, store: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _texts(paths: list[Path]) -> list[str]:
    files = paths or sorted(TEXTS.glob("*.txt"))
    if not files:
        raise SystemExit(f"no texts: give some, or put the evaluation set under {TEXTS}")
    return [p.read_text(encoding="utf-8") for p in files]


def _peer(con: Any, texts: list[str], rounds: int) -> dict[str, Any]:
    """OpenSanctions' simplest approach: whole list names, casefolded, in one automaton."""
    import ahocorasick

    started = time.perf_counter()
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for (name,) in con.execute(
        "SELECT DISTINCT lower(s.value) FROM statements s JOIN records r USING (source, record_id) "
        "WHERE r.removed_version IS NULL AND s.prop IN ('name', 'alias') AND length(s.value) >= 4"
    ).fetchall():
        automaton.add_word(" ".join(str(name).split()), 1)
    automaton.make_automaton()
    build = time.perf_counter() - started
    chars = sum(map(len, texts)) * rounds
    started = time.perf_counter()
    found = 0
    for _ in range(rounds):
        for text in texts:
            low = " ".join(text.lower().split())
            found += sum(1 for _ in automaton.iter(low))
    elapsed = time.perf_counter() - started
    return {
        "build_s": build,
        "keys": len(automaton),
        "chars_per_s": chars / elapsed,
        "matches": found // rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, nargs="?")
    parser.add_argument("texts", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1])))
        return
    if args.store is None:
        parser.error("give the STORE")
    texts = _texts(args.texts)
    report: dict[str, Any] = {
        "store": str(args.store),
        "texts": len(texts),
        "characters": sum(map(len, texts)),
        "load_average": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-annotate-speed-") as tmp:
        copy = Path(tmp) / "store.duckdb"
        shutil.copy(args.store, copy)
        from reckon.store import connect

        report["refresh"] = _in_child("refresh", copy)
        report["build"] = _in_child("build", copy)
        report["load"] = _in_child("load", copy)

        from reckon.annotate import annotate_text, load_gazetteer
        from reckon.annotate.decide import _scan

        con = connect(copy, read_only=True)
        g = load_gazetteer(con)
        chars = sum(map(len, texts))
        started = time.perf_counter()
        mentions = sum(len(annotate_text(t, g).mentions) for t in texts)
        first = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(args.rounds):
            for t in texts:
                annotate_text(t, g)
        warm = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(args.rounds):
            for t in texts:
                g.memo.pop("scores", None)  # as if each text were new: every name scored again
                g.memo.pop("alike", None)
                annotate_text(t, g)
        unseen = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(args.rounds):
            for t in texts:
                _scan(t, g)
        scan = time.perf_counter() - started
        report["annotate"] = {
            "mentions": mentions,
            "first_round_chars_per_s": chars / first,
            "warm_chars_per_s": chars * args.rounds / warm,
            "scored_again_chars_per_s": chars * args.rounds / unseen,
            "scan_only_chars_per_s": chars * args.rounds / scan,
        }
        report["peer_whole_names"] = _peer(con, texts, args.rounds)
        con.close()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    b, ld, an, peer = report["build"], report["load"], report["annotate"], report["peer_whole_names"]
    print(f"store {report['store']}: {report['texts']} texts, {report['characters']:,} characters")
    print(f"load average {', '.join(f'{x:.2f}' for x in report['load_average'])} (2 cores shared)")
    print(
        f"gazetteer build {b['build_s']:.1f} s (+ cache {b['build_and_cache_s'] - b['build_s']:.1f} s), "
        f"peak RSS {b['peak_rss_mb']:.0f} MB; {b['keys']:,} keys over {b['records']:,} records"
    )
    print(f"gazetteer load from the cache {ld['load_s']:.2f} s, peak RSS {ld['peak_rss_mb']:.0f} MB")
    print(
        f"annotate: {an['scored_again_chars_per_s']:,.0f} chars/s with every name scored again, "
        f"{an['warm_chars_per_s']:,.0f} with the scores kept, {an['first_round_chars_per_s']:,.0f} on the "
        f"first round (the store's lookups: statuses, records); scan alone {an['scan_only_chars_per_s']:,.0f} "
        f"chars/s; {an['mentions']} mentions"
    )
    print(
        f"peer (whole names, one automaton): build {peer['build_s']:.1f} s, {peer['keys']:,} keys, "
        f"{peer['chars_per_s']:,.0f} chars/s, {peer['matches']} matches"
    )


if __name__ == "__main__":
    main()

"""Annotation of listed names in texts, on the hand-labelled evaluation set (issue 20).

`python -m bench.annotate [STORE] [--json]` (STORE defaults to the resolved bundle that
bench/screening.py builds once into bench/results/, the SDN list as its newest snapshot). It runs,
in the same process and on a temporary copy of the store (the store itself is never written):

- reckon: `reckon.annotate.load_gazetteer` + `annotate_text` (skipped, with the reason, while
  that package does not give them);
- the peer: OpenSanctions' simplest approach, a plain Aho-Corasick (pyahocorasick) over every
  name and alias string (not the weak aliases) of every current record, casefolded, matched
  as whole words; no morphology, no scoring: a hit links to the records so named.

Scoring (the contract in tests/annotate/data/README.md): a predicted *linked* mention is
correct when it overlaps a gold mention whose record (or one of its `also` records, the same
entity split by the resolver) is among the prediction's records, or whose canonical entity is
the prediction's entity or of one of its records; every other linked prediction is a false
positive. Recall = listed gold
mentions covered by a correct prediction / listed gold mentions. Ambiguous predictions are
counted apart. Throughput is measured on one core (this process pins itself) over the whole
set, after the gazetteer is built; gazetteer build time and peak RSS, and reckon's load of the
gazetteer its build cached in the copy, each in a fresh child process.
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
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "annotate" / "data"
LANGUAGES = ("en", "ru", "uk")
# The peer's name properties and schemata: every name and alias a record is listed under. Weak
# aliases (single given names, nicknames, "Chairman") are left out, as OpenSanctions leaves them
# out of matching: with them the peer hits every "said" and "Andrei" in a text.
NAME_PROPS = ("name", "alias", "previousName")
SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane", "PublicBody")
MIN_SECONDS = 2.0
PEER = "peer (plain Aho-Corasick)"  # throughput: repeat the whole set until at least this long


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    surface: str
    record: str | None
    also: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Doc:
    id: str
    language: str
    text: str
    mentions: tuple[Gold, ...]

    @property
    def listed(self) -> list[Gold]:
        return [m for m in self.mentions if m.record]


@dataclass(frozen=True)
class Prediction:
    """One system's mention, reduced to what scoring reads."""

    start: int
    end: int
    surface: str
    decision: str  # "linked" | "ambiguous"
    entity: str | None
    records: tuple[str, ...]
    caption: str = ""
    why: str = ""
    candidates: tuple[tuple[str | None, tuple[str, ...]], ...] = ()


@dataclass
class Tally:
    gold: int = 0
    linked: int = 0
    correct: int = 0
    covered: int = 0
    ambiguous: int = 0
    ambiguous_on_listed: int = 0

    def add(self, other: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def precision_recall(self) -> tuple[float | None, float | None]:
        return (
            self.correct / self.linked if self.linked else None,
            self.covered / self.gold if self.gold else None,
        )

    def figures(self) -> dict[str, Any]:
        p, r = self.precision_recall()
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        return {**vars(self), "precision": _round(p), "recall": _round(r), "f1": _round(f)}


@dataclass
class Result:
    system: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def load_gold(data: Path = DATA) -> list[Doc]:
    docs = []
    for path in sorted(data.glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        mentions = tuple(
            Gold(m["start"], m["end"], m["surface"], m["record"], tuple(m.get("also", ())), m.get("note", ""))
            for m in meta["mentions"]
        )
        docs.append(Doc(meta["id"], meta["language"], text, mentions))
    return docs


# ---------------------------------------------------------------------------------------------
# The peer: whole name strings, no morphology, no scoring.


def _fold(s: str) -> str:
    """Lower case character by character, so offsets into the text stay those of the text."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


class Peer:
    def __init__(self, con: Any) -> None:
        import ahocorasick

        props = ", ".join(f"'{p}'" for p in NAME_PROPS)
        schemata = ", ".join(f"'{s}'" for s in SCHEMATA)
        rows = con.execute(
            f"""SELECT s.value, s.source || ':' || s.record_id
                FROM statements s JOIN records r ON r.source = s.source AND r.record_id = s.record_id
                WHERE s.prop IN ({props}) AND s.schema IN ({schemata})
                  AND s.until_version IS NULL AND r.removed_version IS NULL"""
        ).fetchall()
        names: dict[str, set[str]] = defaultdict(set)
        for value, record in rows:
            key = " ".join(_fold(value).split())
            if len(key) >= 2:
                names[key].add(record)
        self.canonical: dict[str, str] = dict(
            con.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
        )
        self.automaton = ahocorasick.Automaton()
        for key, records in names.items():
            self.automaton.add_word(key, (len(key), tuple(sorted(records))))
        self.automaton.make_automaton()
        self.names = len(names)

    def annotate(self, text: str) -> list[Prediction]:
        folded = _fold(text)
        hits = []
        for end, (n, records) in self.automaton.iter(folded):
            start = end - n + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end + 1 < len(folded) and folded[end + 1].isalnum():
                continue
            hits.append((start, end + 1, records))
        # Longest first, then leftmost: one hit per span of text.
        hits.sort(key=lambda h: (h[0] - h[1], h[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for start, end, records in hits:
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            entities = {self.canonical.get(r, r) for r in records}
            entity = next(iter(entities)) if len(entities) == 1 else None
            why = f"name string '{text[start:end]}' of {len(records)} record(s), {len(entities)} entit(y/ies)"
            out.append(Prediction(start, end, text[start:end], "linked", entity, records, why=why))
        out.sort(key=lambda p: p.start)
        return out


# ---------------------------------------------------------------------------------------------
# reckon's annotator, through the contract of reckon.annotate.


def engine_available() -> str | None:
    """None when `reckon.annotate` gives the contract's functions, else why not."""
    try:
        from reckon.annotate import annotate_text, load_gazetteer  # noqa: F401
    except Exception as exc:  # an engine under construction may fail in any way
        return f"reckon.annotate is not usable yet: {type(exc).__name__}: {exc}"
    return None


class Engine:
    def __init__(self, con: Any, threshold: float | None = None) -> None:
        from reckon.annotate import annotate_text, load_gazetteer

        self.gazetteer = load_gazetteer(con)
        self._annotate = annotate_text
        self.threshold = threshold

    def annotate(self, text: str) -> list[Prediction]:
        kw = {} if self.threshold is None else {"threshold": self.threshold}
        ann = self._annotate(text, self.gazetteer, **kw)
        out = []
        for m in ann.mentions:
            cands = tuple((c.entity, tuple(c.records)) for c in getattr(m, "candidates", ()))
            reasons = "; ".join(getattr(m, "reasons", ()))
            why = f"score {m.score:.2f}: {reasons}" if reasons else f"score {m.score:.2f}"
            out.append(
                Prediction(
                    m.start,
                    m.end,
                    m.surface,
                    m.decision,
                    m.entity,
                    tuple(m.records),
                    caption=getattr(m, "caption", ""),
                    why=why,
                    candidates=cands,
                )
            )
        return out


# ---------------------------------------------------------------------------------------------
# Scoring.


def _overlaps(a: Gold | Prediction, b: Gold | Prediction) -> bool:
    return a.start < b.end and b.start < a.end


def _matches(g: Gold, entity: str | None, records: Iterable[str], canonical: dict[str, str]) -> bool:
    assert g.record is not None
    wanted = {g.record, *g.also}
    records = set(records)
    if wanted & records:
        return True
    # The same canonical entity: the prediction's entity, or the entity of one of its records
    # (the peer links to the records that bear the name, not to all members of their entity).
    entities = {canonical[r] for r in wanted if r in canonical}
    return (entity is not None and entity in entities) or any(canonical.get(r) in entities for r in records)


def score(
    system: str, docs: Sequence[Doc], predictions: dict[str, list[Prediction]], canonical: dict[str, str]
) -> Result:
    result = Result(system, {lang: Tally() for lang in LANGUAGES})
    for doc in docs:
        t = Tally(gold=len(doc.listed))
        preds = predictions[doc.id]
        linked = [p for p in preds if p.decision == "linked"]
        covered: set[Gold] = set()
        for p in linked:
            t.linked += 1
            over = [g for g in doc.mentions if _overlaps(g, p)]
            good = [g for g in over if g.record and _matches(g, p.entity, p.records, canonical)]
            if good:
                t.correct += 1
                covered.update(good)
                continue
            if not over:
                why = "no labelled name here"
            elif all(g.record is None for g in over):
                why = "labelled NOT listed: " + "; ".join(g.note or g.surface for g in over)
            else:
                why = "wrong entity: the text means " + ", ".join(str(g.record) for g in over if g.record)
            label = p.caption or p.entity or ",".join(p.records[:3])
            result.errors.append(
                {"kind": "false positive", "doc": doc.id, "surface": p.surface, "start": p.start,
                 "linked_to": label, "why": why, "system_said": p.why}
            )  # fmt: skip
        ambiguous = [p for p in preds if p.decision == "ambiguous"]
        t.ambiguous = len(ambiguous)
        t.ambiguous_on_listed = sum(
            1 for p in ambiguous if any(g.record and _overlaps(g, p) for g in doc.mentions)
        )
        t.covered = len(covered)
        for g in doc.listed:
            if g in covered:
                continue
            amb = [p for p in ambiguous if _overlaps(g, p)]
            other = [p for p in linked if _overlaps(g, p)]
            if amb:
                has = any(_matches(g, e, rs, canonical) for p in amb for e, rs in p.candidates)
                why = "shown as ambiguous" + (" (the right entity among the candidates)" if has else "")
            elif other:
                why = "linked to another entity: " + ", ".join(p.caption or str(p.entity) for p in other)
            else:
                why = "not found"
            result.errors.append(
                {"kind": "missed", "doc": doc.id, "surface": g.surface, "start": g.start,
                 "record": g.record, "why": why, "note": g.note}
            )  # fmt: skip
        result.tallies[doc.language].add(t)
    return result


def throughput(annotate: Callable[[str], object], docs: Sequence[Doc]) -> dict[str, float]:
    chars = sum(len(d.text) for d in docs)
    for d in docs:  # warm up
        annotate(d.text)
    rounds = 0
    t = time.perf_counter()
    while True:
        for d in docs:
            annotate(d.text)
        rounds += 1
        elapsed = time.perf_counter() - t
        if elapsed >= MIN_SECONDS:
            break
    return {
        "chars": chars,
        "rounds": rounds,
        "seconds": round(elapsed, 3),
        "chars_per_s": round(chars * rounds / elapsed),
    }


# ---------------------------------------------------------------------------------------------
# Build measurements, each in a child process (peak RSS is a process's own).


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _peak_rss_mb() -> float:
    """Peak resident memory of this process image (Linux VmHWM: unlike ru_maxrss, it is not
    inherited from the parent that forked us)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    """Resident memory now (Linux), to tell the build's share of the peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(which: str, store: str) -> dict[str, Any]:
    """One build in this process: `peer`; `engine-build` on a writable copy of the store (the
    gazetteer built, and cached as load_gazetteer does when it can write); `engine-load` on that
    copy read-only afterwards (the cached gazetteer read back)."""
    import duckdb

    _pin()
    con = duckdb.connect(store, read_only=which != "engine-build")
    if which.startswith("engine"):
        import reckon.annotate  # noqa: F401  (imports outside the measured build)
    else:
        import ahocorasick  # noqa: F401
    base = _current_rss_mb()
    t = time.perf_counter()
    built = Peer(con) if which == "peer" else Engine(con)
    seconds = time.perf_counter() - t
    out: dict[str, Any] = {"seconds": round(seconds, 3), "peak_rss_mb": round(_peak_rss_mb(), 1)}
    out["rss_before_mb"] = round(base, 1)
    if isinstance(built, Peer):
        out["names"] = built.names
    con.close()
    return out


def _run_child(which: str, store: Path) -> dict[str, Any]:
    env = {**os.environ, "RECKON_THREADS": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.annotate", "--child", which, str(store)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure_build(which: str, store: Path) -> dict[str, Any]:
    """The peer's build on `store`, or the engine's build (and cache) on `store` — a copy, the
    caller's — then its load from that cache, each in a fresh process."""
    if which == "peer":
        return _run_child("peer", store)
    built = _run_child("engine-build", store)
    loaded = _run_child("engine-load", store)
    return {**built, "cached_load": loaded}


def ensure_store(store: Path | None) -> Path:
    """`store`, else the resolved bundle the screening bench builds once and reuses
    (bench/results/screen.duckdb, the SDN list as its newest snapshot)."""
    if store is not None:
        return store
    from bench.screening import bundled_store

    return bundled_store()


# ---------------------------------------------------------------------------------------------
# Report.


def run(store: Path, data: Path = DATA) -> dict[str, Any]:
    """Everything on a copy of `store` (never written to): the builds first, each in its own
    process while this one is still small; then both systems here, reckon's gazetteer read from
    the cache its build left in the copy."""
    with tempfile.TemporaryDirectory(prefix="bench-annotate-") as tmp:
        copy = Path(tmp) / "store.duckdb"
        shutil.copy(store, copy)
        out = _evaluate(copy, data)
    out["store"] = str(store)
    return out


def _evaluate(store: Path, data: Path) -> dict[str, Any]:
    import duckdb

    _pin()
    docs = load_gold(data)
    why_not = engine_available()
    names = (["reckon"] if why_not is None else []) + [PEER]
    builds = {name: measure_build("engine" if name == "reckon" else "peer", store) for name in names}
    con = duckdb.connect(str(store), read_only=True)
    canonical: dict[str, str] = dict(
        con.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
    )
    systems: dict[str, Callable[[str], list[Prediction]]] = {}
    if why_not is None:
        systems["reckon"] = Engine(con).annotate
    systems[PEER] = Peer(con).annotate  # con stays open: the gazetteer may read statuses through it
    out: dict[str, Any] = {
        "texts": {lang: sum(1 for d in docs if d.language == lang) for lang in LANGUAGES},
        "listed_mentions": sum(len(d.listed) for d in docs),
        "unlisted_mentions": sum(len(d.mentions) - len(d.listed) for d in docs),
        "engine": why_not or "ok",
        "systems": {},
    }
    for name, annotate in systems.items():
        preds = {d.id: annotate(d.text) for d in docs}
        res = score(name, docs, preds, canonical)
        total = Tally()
        for t in res.tallies.values():
            total.add(t)
        out["systems"][name] = {
            "overall": total.figures(),
            "by_language": {lang: t.figures() for lang, t in res.tallies.items()},
            "throughput": throughput(annotate, docs),
            "build": builds[name],
            "errors": res.errors,
        }
    con.close()
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _build_cell(b: dict[str, Any]) -> str:
    """Two table cells: seconds, and peak RSS with the process's RSS before the build."""
    if "error" in b:
        return f"error: {b['error']} | "
    return f"{b['seconds']} | {b['peak_rss_mb']} ({b['rss_before_mb']} before)"


def markdown(out: dict[str, Any]) -> str:
    lines = [
        f"Evaluation set: {out['texts']} texts (en/ru/uk), {out['listed_mentions']} mentions of listed "
        f"entities, {out['unlisted_mentions']} labelled names that are not listed; store `{out['store']}`; "
        f"load average {out['load_average']}.",
    ]
    if out["engine"] != "ok":
        lines.append(f"\nreckon: not measured ({out['engine']}).")
    lines += [
        "",
        "| system | language | listed mentions | linked | correct | precision | recall | F1 | ambiguous (on listed) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in out["systems"].items():
        for lang, f in [("all", s["overall"]), *s["by_language"].items()]:
            lines.append(
                f"| {name} | {lang} | {f['gold']} | {f['linked']} | {f['correct']} | {f['precision']} | "
                f"{f['recall']} | {f['f1']} | {f['ambiguous']} ({f['ambiguous_on_listed']}) |"
            )
    lines += [
        "",
        "| system | throughput (chars/s, one core) | gazetteer build (s) | build peak RSS (MB) "
        "| load from the store's cache (s) | load peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in out["systems"].items():
        b, cached = s["build"], s["build"].get("cached_load", {})
        lines.append(
            f"| {name} | {s['throughput']['chars_per_s']:,} | {_build_cell(b)} | {_build_cell(cached)} |"
            if cached
            else f"| {name} | {s['throughput']['chars_per_s']:,} | {_build_cell(b)} | — | — |"
        )
    for name, s in out["systems"].items():
        lines += ["", f"Errors of {name} ({len(s['errors'])}):", ""]
        for e in s["errors"]:
            if e["kind"] == "false positive":
                lines.append(
                    f"- FP `{e['doc']}` @{e['start']} «{e['surface']}» → {e['linked_to']}: {e['why']} ({e['system_said']})"
                )
            else:
                note = f"; {e['note']}" if e["note"] else ""
                lines.append(
                    f"- missed `{e['doc']}` @{e['start']} «{e['surface']}» ({e['record']}): {e['why']}{note}"
                )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.annotate")
    parser.add_argument("store", nargs="?", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON line last (for python -m bench)")
    parser.add_argument("--data", type=Path, default=DATA, help="another labelled set in the same format")
    parser.add_argument("--child", choices=("engine-build", "engine-load", "peer"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, str(args.store))))
        return
    out = run(ensure_store(args.store), args.data)
    print(markdown(out))
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()

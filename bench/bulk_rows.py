"""A realistic customer file for bulk screening: `python -m bench.bulk_rows OUT.parquet [--rows N]`.

Rows are `id, name, birth_date, country, schema`, seeded, in two kinds:

- names on a list, perturbed the ways the matching evaluation perturbs them: the query
  side of bench/pairs/reckon_pairs.jsonl (built by bench/eval from the real lists:
  romanisation schemes, Russian/Ukrainian forms, name order and parts, typos, legal
  forms, Cyrillic ↔ Latin, and its hard negatives), each row then given one more of the
  evaluation's noises (bench.eval.positives._noise: typos, OCR confusions, homoglyphs,
  spacing and case, diacritics) half of the time, so that rows are not all repeats;
- names on no list: the people of the candidate datasets (ACF's war enablers, Russian
  and English forms) and the given names of src/reckon/data/names (a customer record
  holding one name), never invented strings. Candidate names may be listed too: a real
  file has that mix.

About a third of the rows name a listed entity, as in a file that was screened before.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

from bench.eval.positives import NOISE_KINDS, _noise

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "bench" / "pairs" / "reckon_pairs.jsonl"
CANDIDATES = ROOT.parent / "shared" / "data" / "candidates"
NAMES = ROOT / "src" / "reckon" / "data" / "names"
SEED = 20261207
COLUMNS = ("id", "name", "birth_date", "country", "schema")
LISTED_SHARE = 0.35

Row = tuple[str, str, str | None, str | None, str]


def _first(props: dict[str, list[str]], key: str) -> str | None:
    values = props.get(key) or []
    return values[0] if values else None


def listed_pool(path: Path = PAIRS) -> list[tuple[str, str | None, str | None, str]]:
    """(name, birth date, country, schema) of every query of the evaluation's pairs."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)["query"]
            props = q.get("properties", {})
            for name in props.get("name", [])[:1]:
                country = _first(props, "nationality") or _first(props, "country")
                out.append((name, _first(props, "birthDate"), country, q.get("schema", "LegalEntity")))
    return out


def unlisted_pool(candidates: Path = CANDIDATES, names: Path = NAMES) -> list[tuple[str, str | None, str]]:
    """(name, birth date, schema) of the candidate datasets' people and the given names."""
    out: list[tuple[str, str | None, str]] = []
    for path in sorted((candidates / "acf_war_enablers").glob("acf_contributors_to_the_war_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                dob = _iso(rec.get("DOB") or "")
                for col in ("Name en", "Name ru"):
                    if (rec.get(col) or "").strip():
                        out.append((rec[col].strip(), dob, "Person"))
    with gzip.open(candidates / "ua_war_sanctions.targets.simple.csv.gz", "rt", encoding="utf-8") as gz:
        for i, rec in enumerate(csv.DictReader(gz)):
            if i % 4 == 0 and rec["schema"] == "Company":  # a few companies, as a customer file has
                out.append((rec["name"], None, "Company"))
    with (names / "given_names.tsv").open(encoding="utf-8") as fh:
        header: list[str] | None = None
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            rec = dict(zip(header, cells, strict=False))
            for col in ("ru", "uk"):
                for form in (rec.get(col) or "").split("|")[:1]:
                    if form:
                        out.append((form, None, "Person"))
    return sorted(set(out), key=lambda r: (r[0], r[1] or "", r[2]))


def _iso(dob: str) -> str | None:
    """DD.MM.YYYY (ACF's form) as YYYY-MM-DD; other forms are left out."""
    parts = dob.strip().split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        return f"{parts[2]}-{parts[1]}-{parts[0]}"
    return None


def rows(n: int, seed: int = SEED) -> Iterator[Row]:
    rng = random.Random(seed)
    listed = listed_pool()
    unlisted = unlisted_pool()
    for i in range(1, n + 1):
        if rng.random() < LISTED_SHARE:
            name, dob, country, schema = rng.choice(listed)
            if rng.random() < 0.5:
                name = _noise(rng.choice(NOISE_KINDS), name, rng) or name
        else:
            name, dob, schema = rng.choice(unlisted)
            country = None
            if rng.random() < 0.3:
                name = _noise(rng.choice(NOISE_KINDS), name, rng) or name
        yield (f"c{i:07d}", name, dob if rng.random() < 0.6 else None, country, schema)


def write(path: Path, n: int, seed: int = SEED) -> Path:
    """The rows as Parquet (or CSV / JSON lines by the extension), written by DuckDB."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE t (id VARCHAR, name VARCHAR, birth_date VARCHAR, country VARCHAR, schema VARCHAR)"
        )
        batch: list[Row] = []
        for row in rows(n, seed):
            batch.append(row)
            if len(batch) >= 50_000:
                con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", batch)
                batch.clear()
        if batch:
            con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", batch)
        target = str(path).replace("'", "''")
        fmt = {".csv": "csv, header true", ".jsonl": "json"}.get(path.suffix, "parquet")
        con.execute(f"COPY (SELECT * FROM t ORDER BY id) TO '{target}' (FORMAT {fmt})")
    finally:
        con.close()
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("output", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    write(args.output, args.rows, args.seed)
    print(f"{args.rows} rows → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

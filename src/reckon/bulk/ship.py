"""The index as bytes the driver ships to the executors, and what a worker screens with.

The payload holds every record of the index in the store's own serial form
(match/serial.py: marshalled tuples, some fifty times cheaper to read back than to
prepare), the resolution's grouping as ids, where each entity is listed (analysis.status,
asked on the driver: executors never see the store) and the options. A worker decodes
it, builds the `Index` (~5 s for the bundled lists) and keeps it for the rest of its life
(`screening_for`), so an index is built once per Python worker, not once per partition.

Two ways to ship it (`Shipment`): a Spark broadcast (the driver hands it to Spark, which
moves it to each executor once, peer to peer), or a file written once to storage every
executor can read (a shared mount: NFS, /dbfs, a cluster file system mounted by path).
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reckon.batch import BatchOptions, _Columns
from reckon.match.index import Grouping, Index
from reckon.match.serial import decoder, encode
from reckon.screening import Where

SHIP_MODES = ("broadcast", "file")


@dataclass(frozen=True, slots=True)
class Payload:
    """The index and where its entities are listed: the same for every job on one store."""

    entities: list[bytes]  # serial.encode of each record, in the index's order
    # The grouping as ids: record → canonical id, canonical id → member records, heads, fingerprint.
    grouping: tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[str, str]], str] | None
    where: dict[str, Where | None] | None  # entity → where it is listed (None: not asked)


@dataclass(frozen=True, slots=True)
class Job:
    """What one run screens with besides the index (small: it travels with each task)."""

    options: BatchOptions
    fmt: str  # the input's format
    columns: _Columns  # the input's columns, as the local engine resolves them
    header: list[str] | None  # CSV: the header row


def make_payload(index: Index, where: Callable[[str], Where | None] | None) -> bytes:
    """The payload of `index`, with where every entity a hit can name is listed."""
    g = index.grouping
    grouping = None
    if g is not None:
        members = {cid: [m.id or "" for m in ms] for cid, ms in g.members.items()}
        grouping = (dict(g.entity_of), members, dict(g.heads), g.fingerprint)
    table = None
    if where is not None:
        # A hit is a canonical entity, or a record no resolution grouped: ask for each once
        # (where_listed reads every status in one pass after its first few questions).
        ids = dict.fromkeys(
            (g.entity_of.get(p.id or "", p.id or "") if g is not None else p.id or "") for p in index.entities
        )
        table = {i: where(i) for i in ids}
    payload = Payload([encode(p) for p in index.entities], grouping, table)
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Shipment:
    """How a worker gets the payload: `source` is a pyspark Broadcast (its `.value`) or
    the path of the file. Picklable: it travels inside the function Spark runs."""

    key: str  # the payload's digest: a worker keeps the index of the last one it built
    mode: str
    source: Any

    def load(self) -> bytes:
        data = self.source.value if self.mode == "broadcast" else Path(self.source).read_bytes()
        assert isinstance(data, bytes)
        return data


@dataclass(slots=True)
class Shipped:
    """A worker's index and where its entities are listed."""

    index: Index
    where: Callable[[str], Where | None] | None


def build(data: bytes) -> Shipped:
    payload: Payload = pickle.loads(data)  # our own driver's bytes, never a user's
    decode = decoder()
    index = Index([decode(b) for b in payload.entities])
    if payload.grouping is not None:
        entity_of, member_ids, heads, fingerprint = payload.grouping
        by_id = {p.id: p for p in index.entities if p.id}
        members = {cid: [by_id[m] for m in ids] for cid, ids in member_ids.items()}
        index.grouping = Grouping(entity_of, members, heads, fingerprint)
    # As screening.load_index: the index's millions of long-lived objects are kept out of
    # the cyclic collector's walks (the worker lives as long as the index).
    gc.freeze()
    table = payload.where
    return Shipped(index, table.get if table is not None else None)


_BUILT: dict[str, Shipped] = {}


def shipped(shipment: Shipment) -> Shipped:
    """The worker's index for this payload, built on its first partition and kept for
    every later one (and later jobs on the same store, in a reused worker)."""
    got = _BUILT.get(shipment.key)
    if got is None:
        _BUILT.clear()  # one index at a time: a job on another store drops the last one
        got = _BUILT[shipment.key] = build(shipment.load())
    return got

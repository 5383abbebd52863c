"""What a list's relation word means as an edge: which relation, and which end is the subject.

Parsers keep the list's own word in `Link.relation` ("parent", "subsidiary", "Vessel
Owner", "wife of", "Owned or Controlled By", FtM's "ownership" ...). Here each is read once
into one of the graph's five relations, with the direction the list means: for "parent"
the target owns the record; for "subsidiary" the record owns the target.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from reckon.control.model import ASSOCIATE, DIRECTOR, FAMILY, LINKED, OWNER

# Identity, not relation: the resolver's business (a UK record naming its FCDO twin).
IDENTITY = frozenset({"same_as", "same as"})


class Meaning(NamedTuple):
    relation: str
    # True: the stated target is the subject (it owns / directs the record); False: the
    # record is the subject. Undirected relations: False, and `directed` is False.
    target_is_subject: bool
    directed: bool
    label: str  # how the relation reads before the target's name in the edge's text


_FAMILY = re.compile(
    r"\b(son|daughter|wife|husband|spouse|brother|sister|mother|father|parent of|child|"
    r"cousin|uncle|aunt|nephew|niece|grand\w*|in-law|relative|family)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def meaning(role: str) -> Meaning | None:
    """The edge a stated relation makes; None for an identity link (`same_as`)."""
    word = " ".join(role.lower().replace("_", " ").split())
    # FtM relations imported keep the schema's word first: "ownership: Shareholder".
    head = word.split(":", 1)[0]
    if head in ("ownership", "directorship", "family"):
        word = head
    if word.replace(" ", "_") in IDENTITY or word in IDENTITY:
        return None
    if word in ("parent", "parent company", "parent entity"):
        return Meaning(OWNER, True, True, "Parent company")
    if word in ("subsidiary", "subsidiaries"):
        return Meaning(OWNER, False, True, "Subsidiary")
    if word in ("ownership", "owns", "owner of", "shareholder of"):
        # FtM Ownership: stated on the owner's side.
        return Meaning(OWNER, False, True, "Owns")
    if word in ("owner", "owned by", "owned or controlled by", "controlled by", "vessel owner") or (
        "owned" in word and "by" in word
    ):
        return Meaning(OWNER, True, True, "Owned by" if word != "owner" else "Owner")
    if word in ("operator", "vessel operator", "operated by", "managed by"):
        return Meaning(DIRECTOR, True, True, "Operator")
    if word in ("directorship", "director of", "leader or official of", "manager of"):
        return Meaning(DIRECTOR, False, True, "Director of")
    if word in ("director", "directed by"):
        return Meaning(DIRECTOR, True, True, "Director")
    if _FAMILY.search(word):
        return Meaning(FAMILY, False, False, role)
    if word.startswith("associate"):
        return Meaning(ASSOCIATE, False, False, "Associated with")
    if word in ("linked", "linked to"):
        return Meaning(LINKED, False, False, "Linked To")
    return Meaning(LINKED, False, False, role)

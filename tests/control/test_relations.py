"""How a list's relation word reads as an edge (reckon.control.relations), on the words the
bundled lists and FtM use."""

from __future__ import annotations

from reckon.control.relations import meaning


def test_relation_words() -> None:
    assert meaning("same_as") is None  # identity is the resolver's business
    assert meaning("parent").target_is_subject and not meaning("subsidiary").target_is_subject  # type: ignore[union-attr]
    assert meaning("wife of").relation == "family"  # type: ignore[union-attr]
    assert meaning("Owned or Controlled By").relation == "owner"  # type: ignore[union-attr]
    assert meaning("ownership: Shareholder").relation == "owner"  # type: ignore[union-attr]

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


def test_stated_shares() -> None:
    from reckon.control.graph import share

    # Registries state bands (the UK's persons with significant control: "25-50%"): the
    # least of a band counts, so a sum of shares never exceeds what is stated.
    assert [share(t) for t in ("51", "51.5%", "25-50%", "75 to 100", "12,5")] == [51, 51.5, 25, 75, 12.5]
    assert share("-5") == -5 and share("150") == 150  # out of range: reported by load_graph
    assert share("about half") is None

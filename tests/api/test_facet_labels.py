"""Country facets of /search are labelled by followthemoney's names where it is installed
(the dev extra), and by their codes where it is not (`make install`, what `make demo` runs)."""

from __future__ import annotations

import sys

import pytest

from reckon.api.routers import search


def test_countries_are_labelled_by_name_with_followthemoney() -> None:
    search._country_captions.cache_clear()
    assert search.facet_labels("countries", ["ru", "ua"]) == ["Russia", "Ukraine"]


def test_without_followthemoney_a_country_is_its_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "followthemoney.types", None)  # import raises ImportError
    search._country_captions.cache_clear()
    try:
        assert search.facet_labels("countries", ["ru", "ua"]) == ["ru", "ua"]
    finally:
        search._country_captions.cache_clear()

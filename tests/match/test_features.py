"""Features of the one scorer on values as the real lists publish them."""

from __future__ import annotations

from reckon.match.features import birth_date
from reckon.match.prepare import prepare
from reckon.match.scorer import score
from reckon.resolve.rules import AUTO_MERGE

# Boris Rotenberg as OFAC (SDN entry 16671, 2024-05-03) and the UK (OFSI group 14182,
# 2025-04-14) list him: one writes his birth date as 3 January, the other as 1 March.
OFAC = {
    "schema": "Person",
    "properties": {
        "name": ["ROTENBERG, Boris Romanovich"],
        "birthDate": ["1957-01-03"],
        "nationality": ["ru", "fi"],
    },
}
UK = {
    "schema": "Person",
    "properties": {
        "name": ["Boris Romanovich ROTENBERG"],
        "birthDate": ["1957-03-01"],
        "nationality": ["ru", "fi"],
    },
}


def test_day_and_month_swapped_agree_as_far_as_the_year() -> None:
    ev = birth_date(prepare(OFAC), prepare(UK), lambda _: 1.0)
    assert ev is not None and ev.value == 0.6 and "day and month swapped" in ev.detail
    assert score(OFAC, UK).score >= AUTO_MERGE
    # Another day of that year still counts against.
    other = {**UK, "properties": {**UK["properties"], "birthDate": ["1957-03-02"]}}
    assert score(OFAC, other).score < AUTO_MERGE

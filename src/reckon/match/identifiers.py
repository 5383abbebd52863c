"""Identifiers as compared: normalised, and checked where the scheme has check digits.

A value that fails its scheme's check is a slip in a list, not another entity's number:
OFAC's entry 46678 gives the Novosibirsk Instrument-Making Plant INN 5402534261, where
Ukraine's list gives 5402534361 and both give OGRN 1115476008889. Such a value still
agrees with the same slip copied into another list, but it conflicts with nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_ID_CHARS = re.compile(r"[^0-9A-Z]")
_UN_REF = re.compile(r"^([A-Z]{2}[IE])(\d+)$")
_LEI = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")

# Russian INN: 10 digits for an organisation, 12 for a person (Federal Tax Service
# order of 2012, annex: the control numbers).
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
# Kazakhstan's IIN and BIN, which the lists also give as innCode: 12 digits, the last
# a check over the first eleven, weighed again from 3 where the first sum leaves 10.
_KZ = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def normalise_identifier(value: str, scheme: str = "") -> str:
    """Identifiers compare on letters and digits only: 'IMO 9123456' = '9123456'. UN
    reference numbers also lose their zero padding: the EU writes LYi.28 where the UN
    writes LYi.028. A BIC's branch code XXX is the head office, the BIC of 8."""
    v = _ID_CHARS.sub("", value.upper())
    if scheme == "unscId":
        m = _UN_REF.match(v)
        return f"{m[1]}{int(m[2])}" if m else v
    if scheme == "swiftBic" and len(v) == 11 and v.endswith("XXX"):
        return v[:8]
    return v[3:] if v.startswith("IMO") and len(v) == 10 else v


def _weighted(digits: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _inn(v: str) -> bool:
    if not v.isdigit():
        return False
    if len(v) == 10:
        return _weighted(v, _INN10) % 11 % 10 == int(v[9])
    if len(v) != 12:
        return False
    russian = all(_weighted(v, w) % 11 % 10 == int(v[len(w)]) for w in _INN12)
    return russian or _kazakh(v)


def _kazakh(v: str) -> bool:
    s = _weighted(v, _KZ[0]) % 11
    if s == 10:
        s = _weighted(v, _KZ[1]) % 11
    return s < 10 and s == int(v[11])


def _ogrn(v: str) -> bool:
    """OGRN (13 digits) and OGRNIP (15): the last digit is the rest mod 11 (13) mod 10."""
    if not v.isdigit() or len(v) not in (13, 15):
        return False
    return int(v[:-1]) % (11 if len(v) == 13 else 13) % 10 == int(v[-1])


def _imo(v: str) -> bool:
    """A ship's IMO number: the six digits weighed 7 to 2, the sum's last digit last."""
    return len(v) == 7 and v.isdigit() and _weighted(v, range(7, 1, -1)) % 10 == int(v[6])


def _lei(v: str) -> bool:
    """ISO 17442, checked as ISO 7064 mod 97-10, like an IBAN."""
    return bool(_LEI.match(v)) and int("".join(str(int(c, 36)) for c in v)) % 97 == 1


_CHECKS: dict[str, Callable[[str], bool]] = {"innCode": _inn, "ogrnCode": _ogrn, "leiCode": _lei}


def check_fails(scheme: str, value: str, schema: str) -> bool:
    """Whether a normalised value fails its scheme's check digits. IMO numbers are
    checked on vessels only: a company's IMO number (5342883) is of another series,
    with no check digit."""
    if scheme == "imoNumber":
        return schema == "Vessel" and not _imo(value)
    check = _CHECKS.get(scheme)
    return check is not None and not check(value)


def comparable(scheme: str, values: Iterable[str], schema: str) -> set[str]:
    """The values that may conflict with another entity's: those passing their check."""
    return {v for v in values if not check_fails(scheme, v, schema)}

"""The name layer: pure functions on name strings, used by matching and resolution.

Tables (given names, legal forms) are read on first use, so importing this package
stays cheap; see each module for what it does and why.
"""

from reckon.names.given_names import given_name_class, looks_like_patronymic, patronymic_class
from reckon.names.keys import phonetic
from reckon.names.normalize import normalize, ocr_letters
from reckon.names.orgs import (
    OrgName,
    business_of,
    is_generic,
    is_place,
    legal_form_class,
    legal_forms_conflict,
    legal_kinds_conflict,
    org_name,
    translate_key,
)
from reckon.names.parts import NamePart, PersonName, parse_person_name, surname_stem
from reckon.names.script import detect_script
from reckon.names.translit import (
    cyrillic_language,
    descientific,
    j_as_dzh,
    latinize,
    romanize_other_scripts,
    skeleton,
    skeleton_text,
)

__all__ = [
    "NamePart",
    "OrgName",
    "PersonName",
    "business_of",
    "cyrillic_language",
    "descientific",
    "detect_script",
    "given_name_class",
    "is_generic",
    "is_place",
    "j_as_dzh",
    "latinize",
    "legal_form_class",
    "legal_forms_conflict",
    "legal_kinds_conflict",
    "looks_like_patronymic",
    "normalize",
    "ocr_letters",
    "org_name",
    "parse_person_name",
    "patronymic_class",
    "phonetic",
    "romanize_other_scripts",
    "skeleton",
    "skeleton_text",
    "surname_stem",
    "translate_key",
]

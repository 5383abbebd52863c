"""Finding listed people, organisations and vessels in free text (issue 20).

`load_gazetteer(con)` reads the gazetteer of a store's names (gazetteer.py), cached in
the store; `annotate_text(text, gazetteer)` finds and decides its mentions (decide.py);
`annotate_document(data, filename, gazetteer)` reads a file's text first (readers.py).
"""

from reckon.annotate.decide import annotate_text
from reckon.annotate.gazetteer import Gazetteer, load_gazetteer, refresh_gazetteer
from reckon.annotate.model import AnnotateError, Annotation, Candidate, Mention, StatusLine
from reckon.annotate.readers import annotate_document, read_document

__all__ = [
    "AnnotateError",
    "Annotation",
    "Candidate",
    "Gazetteer",
    "Mention",
    "StatusLine",
    "annotate_document",
    "annotate_text",
    "load_gazetteer",
    "read_document",
    "refresh_gazetteer",
]

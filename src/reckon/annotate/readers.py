"""A document's text, from the bytes of a .txt, .md, .html or text-layer .pdf file.

Bad input is an `AnnotateError` with one line saying what is wrong, never a traceback:
a binary file, a PDF without a text layer, text in an encoding that cannot be told
(UTF-8, UTF-16 with its byte-order mark and, only where unmistakable, Windows-1251 are
read), or more than `MAX_BYTES`: a document that large is refused rather than
streamed, since a mention's context (an earlier full name) spans the whole text.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

from .gazetteer import Gazetteer
from .model import AnnotateError, Annotation

MAX_BYTES = 10 * 1024 * 1024
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
    ]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


def read_document(data: bytes, filename: str | None = None) -> tuple[str, list[str]]:
    """The text of a document and notes on how it was read (AnnotateError if it cannot be)."""
    name = filename or "the input"
    if len(data) > MAX_BYTES:
        raise AnnotateError(
            f"{name}: {len(data) / 1e6:.1f} MB is more than the {MAX_BYTES // (1024 * 1024)} MB "
            "annotated at once; split the document"
        )
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if not data.strip():
        return "", [f"{name} is empty"]
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return _pdf(data, name), []
    text, notes = _decode(data, name)
    if suffix in _HTML_SUFFIXES or (not suffix and re.match(r"\s*<(?:!doctype html|html)", text[:200], re.I)):
        return _html(text, name), notes
    return text, notes


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["read as UTF-16 (byte-order mark)"]
        except UnicodeDecodeError:
            raise AnnotateError(f"{name}: a UTF-16 byte-order mark, but not UTF-16 text") from None
    if b"\x00" in data:
        raise AnnotateError(
            f"{name}: a binary file, not text (give .txt, .md, .html or a PDF with a text layer)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _cp1251(data, name)
        return _checked(text, name), ["read as Windows-1251 (not UTF-8; all its letters are Cyrillic)"]
    return _checked(text, name), []


def _cp1251(data: bytes, name: str) -> str:
    """Windows-1251, where every byte above ASCII reads as a Cyrillic letter (or « » № –
    —), and they are most of the text's letters: else the encoding cannot be told."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    high = [ch for ch in text if ord(ch) > 127]
    letters = [ch for ch in high if _CYRILLIC_LETTER.match(ch)]
    others = sum(1 for ch in high if ch in "«»№–—…“”„‘’ ")
    # KOI8 read as Windows-1251 is Cyrillic too, but in capitals where text has small
    # letters: the share of small letters tells the two apart.
    small = sum(1 for ch in letters if ch.islower())
    if (
        not high
        or len(letters) + others < len(high)
        or len(letters) < 0.9 * len(high)
        or small < 0.7 * len(letters)
    ):
        raise AnnotateError(
            f"{name}: not UTF-8 or UTF-16 text, and not clearly Windows-1251; convert it to UTF-8"
        )
    return text


def _checked(text: str, name: str) -> str:
    if len(_CONTROL.findall(text[:100_000])) > 8:
        raise AnnotateError(
            f"{name}: a binary file, not text (give .txt, .md, .html or a PDF with a text layer)"
        )
    return text


def _html(text: str, name: str) -> str:
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (ParserError, ValueError) as exc:
        raise AnnotateError(f"{name}: cannot read the HTML ({exc})") from None
    for bad in list(root.iter("script", "style", "noscript", "template", "head")):
        bad.drop_tree()  # type: ignore[attr-defined]  # an HtmlElement
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    content = str(root.text_content())  # type: ignore[attr-defined]
    lines = (" ".join(line.split()) for line in content.splitlines())
    return "\n".join(line for line in lines if line)


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AnnotateError(f"{name}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except AnnotateError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise AnnotateError(f"{name}: not a readable PDF ({' '.join(str(exc).split())[:120]})") from None
    text = "\n\n".join(p.strip() for p in pages)
    if not text.strip():
        raise AnnotateError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    return text


def annotate_document(
    data: bytes, filename: str | None, gazetteer: Gazetteer, *, threshold: float = 0.7
) -> tuple[str, Annotation]:
    """A document's text (see `read_document`) and its annotation, whose offsets are
    into that text (also `Annotation.text`): what the API and the web page call with an
    uploaded file. AnnotateError for bad input."""
    from .decide import annotate_text

    text, notes = read_document(data, filename)
    result = annotate_text(text, gazetteer, threshold=threshold)
    result.notes[:0] = notes
    return text, result

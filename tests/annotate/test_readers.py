"""Reading a document's text (reckon.annotate.readers): each format, and each kind of bad
input as one line, never a traceback (issue 20). Texts are short real quotes; the source
of each is given where it is used."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reckon.annotate import AnnotateError, read_document
from reckon.annotate.readers import MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
# amp.lenta.ua, 2020-11-06 (https://amp.lenta.ua/ssha-shvalili-sanktsiyi-evrosoyuzu-proti-lukashenka-75473)
UK = "Кент нагадав, що США ввели санкції проти Лукашенка ще 2006 року після минулих виборів."
# gazeta.ru, 2025-10-29 (https://www.gazeta.ru/politics/news/2025/10/29/27056126.shtml)
RU = "23 октября Дональд Трамп сообщил, что отменил очную встречу с российским коллегой Владимиром Путиным."


def test_plain_text_and_markdown_are_read_as_they_are() -> None:
    assert read_document(RU.encode(), "a.txt") == (RU, [])
    assert read_document(RU.encode(), "a.md") == (RU, [])
    assert read_document(("\ufeff" + RU).encode(), None)[0] == RU  # a UTF-8 byte-order mark


def test_utf16_with_its_mark_and_unmistakable_windows_1251_are_read() -> None:
    text, notes = read_document(UK.encode("utf-16"), "a.txt")
    assert text == UK and "UTF-16" in notes[0]
    text, notes = read_document(RU.encode("cp1251"), "a.txt")
    assert text == RU and "Windows-1251" in notes[0]


def test_koi8_is_not_taken_for_windows_1251() -> None:
    with pytest.raises(
        AnnotateError, match=r"^a\.txt: not UTF-8 or UTF-16 text, and not clearly Windows-1251"
    ):
        read_document(RU.encode("koi8-r"), "a.txt")


def test_an_empty_file_is_an_empty_text_with_a_note() -> None:
    assert read_document(b"", "empty.txt") == ("", ["empty.txt is empty"])
    assert read_document(b" \n\n", "blank.txt")[1] == ["blank.txt is empty"]


def test_a_binary_file_is_refused_in_one_line() -> None:
    binary = next((REPO / "data" / "lists").rglob("*.gz")).read_bytes()[:4096]
    with pytest.raises(AnnotateError, match=r"^list\.gz: a binary file, not text") as info:
        read_document(binary, "list.gz")
    assert "\n" not in str(info.value)


def test_more_than_the_limit_is_refused_with_the_size() -> None:
    big = (RU + "\n").encode() * (MAX_BYTES // len(RU.encode()) + 2)
    with pytest.raises(
        AnnotateError, match=r"^big\.txt: \d+\.\d MB is more than the 10 MB annotated at once"
    ):
        read_document(big, "big.txt")


def test_html_gives_its_text_without_scripts_and_with_its_paragraphs() -> None:
    html = (
        "<html><head><title>t</title><script>var x = 'Путин';</script></head><body>"
        f"<p>{RU}</p><p>{UK}</p><script>alert(1)</script></body></html>"
    )
    text, _ = read_document(html.encode(), "page.html")
    assert text == f"{RU}\n{UK}"
    text, _ = read_document(("<!DOCTYPE html>" + html).encode(), None)  # told by its opening
    assert text == f"{RU}\n{UK}"


def _pdf(text: str | None) -> bytes:
    from pypdf import PdfWriter

    if text is None:
        out = io.BytesIO()
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)  # a page, as a scan has, with no text on it
        writer.write(out)
        return out.getvalue()
    import weasyprint

    pdf: bytes | None = weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()
    assert pdf is not None
    return pdf


def test_a_pdf_with_a_text_layer_gives_its_text() -> None:
    text, _ = read_document(_pdf(RU), "doc.pdf")
    assert "Владимиром Путиным" in " ".join(text.split())


def test_a_pdf_without_a_text_layer_or_broken_is_refused_in_one_line() -> None:
    with pytest.raises(AnnotateError, match=r"^scan\.pdf: the PDF has no text layer \(a scan\?\); run OCR"):
        read_document(_pdf(None), "scan.pdf")
    with pytest.raises(AnnotateError, match=r"^cut\.pdf: not a readable PDF"):
        read_document(_pdf(RU)[:200], "cut.pdf")

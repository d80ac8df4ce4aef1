"""Text out of the formats articles arrive in: .txt, .md, .html, .docx and .pdf.

Each reader returns plain text laid out the way :func:`qa.ingest.articles.parse_page`
expects a page (a title line, blank lines between paragraphs), so bylines,
headlines and the repair of sentences broken by columns and pages work the
same on every format. A file that holds no usable text raises
:class:`qa.core.errors.FormatError` whose message is the reason it is skipped.
"""

from __future__ import annotations

from qa.core.errors import FormatError
from qa.ingest.formats.base import Extracted, compose

# Suffixes read by a format reader; any other file is decoded as plain text.
TEXT_SUFFIXES = (".txt", ".text")
CONVERTED_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + CONVERTED_SUFFIXES


def suffix_of(name: str) -> str:
    """The lower-case suffix of a file name ('' when it has none)."""
    base = name.rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def is_converted(name: str) -> bool:
    """True when ``name`` is read by a format reader rather than decoded as text."""
    return suffix_of(name) in CONVERTED_SUFFIXES


def sniff(data: bytes, name: str) -> str:
    """'' when ``data`` looks like what its suffix says, else the reason it does not.

    A renamed program (``setup.exe`` saved as ``report.pdf``) must be refused
    before any parser sees it.
    """
    suffix = suffix_of(name)
    head = data[:8]
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "a program, not a %s document" % (suffix.lstrip(".") or "text")
    if suffix == ".pdf" and b"%PDF-" not in data[:1024]:
        return "not a PDF file (no %PDF- header)"
    if suffix == ".docx" and not head.startswith(b"PK\x03\x04"):
        return "not a .docx file (not a ZIP package)"
    return ""


def extract(data: bytes, name: str) -> Extracted:
    """The text of the document ``data`` named ``name`` (dispatch by suffix).

    Raises :class:`FormatError` with the reason when there is no text to read.
    """
    reason = sniff(data, name)
    if reason:
        raise FormatError(reason)
    suffix = suffix_of(name)
    if suffix in (".md", ".markdown"):
        from qa.ingest.formats.markdown import extract_markdown

        return extract_markdown(data)
    if suffix in (".html", ".htm"):
        from qa.ingest.formats.html import extract_html

        return extract_html(data)
    if suffix == ".docx":
        from qa.ingest.formats.docx import extract_docx

        return extract_docx(data)
    if suffix == ".pdf":
        from qa.ingest.formats.pdf import extract_pdf

        return extract_pdf(data)
    raise FormatError("unsupported file type %s" % (suffix or "(no suffix)"))


__all__ = ["CONVERTED_SUFFIXES", "Extracted", "FormatError", "SUPPORTED_SUFFIXES", "compose", "extract",
           "is_converted", "sniff", "suffix_of"]

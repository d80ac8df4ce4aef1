"""Word (.docx) documents to page text with python-docx: body paragraphs and tables, in order."""

from __future__ import annotations

import io
import zipfile

from qa.core.errors import FormatError
from qa.ingest.formats.base import Extracted, compose, whole


def _blocks(document) -> list[str]:
    """Paragraph and table-row texts of the document body, in document order.

    Page headers and footers live outside the body in a .docx, so running
    headers and page numbers never get here.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            # A manual line break inside a paragraph is layout, not a new paragraph.
            text = item.text.replace("\n", "").replace("\x0b", "").strip()
            if text and item.style is not None and (item.style.name or "").startswith(("Heading", "Title")) and out:
                out.append(whole(text))  # a subheading (the first one is the title)
            elif text:
                out.append(text)
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    # One paragraph per row: a header row has no full stop and was read as the
                    # start of a sentence running into the next row.
                    out.append(whole("　".join(cells)))
    return out


def extract_docx(data: bytes) -> Extracted:
    """Page text of a .docx file: its title (document property or first line) and its paragraphs."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise FormatError("python-docx is not installed - run `bash scripts/setup`") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatError("not a readable .docx file (%s)" % (str(exc) or type(exc).__name__)) from None
    except Exception as exc:  # python-docx raises its own classes for broken packages
        raise FormatError("not a readable .docx file (%s)" % type(exc).__name__) from None
    blocks = _blocks(document)
    if not blocks:
        raise FormatError("no text in the .docx file")
    props = document.core_properties
    title = (props.title or "").strip()
    if title and blocks[0] == title:
        title = ""  # printed as the first line already
    # No date: a .docx records when the file was made (python-docx's template says 2013), not when it was published.
    return Extracted(compose(title, blocks), "docx", title=title or blocks[0])

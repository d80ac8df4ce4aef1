"""What every format reader returns, and the page text it composes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    """The text of one document and what its format says about it."""

    text: str  # page text for parse_page: title line, blank lines between paragraphs
    kind: str  # "markdown", "html", "docx" or "pdf"
    title: str = ""
    date: str = ""  # publication date when the document states one (ISO, YYYY-MM-DD)
    pages: int = 0  # PDF pages read
    dropped: int = 0  # running headers, footers and page numbers left out (PDF)


def compose(title: str, paragraphs, date: str = "") -> str:
    """Page text from a title and paragraphs; the date, when known, closes the page.

    The date goes last, as its own finished paragraph: a line between the
    title and a ``本报讯`` byline would stop the title from heading the report.
    """
    blocks = [title.strip()] if title.strip() else []
    blocks += [p.strip() for p in paragraphs if p and p.strip()]
    if blocks and date:
        blocks.append("（发布日期：%s）" % date)
    return "\n\n".join(blocks) + ("\n" if blocks else "")

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


# Ends a block that is whole on its own - a subheading, a table row - so the article parser does
# not rejoin it with the next block as a sentence the layout broke (a subheading has no full stop).
# U+2029 PARAGRAPH SEPARATOR: whitespace to str.strip, so it never reaches a paragraph's text,
# and absent from the plain-text seeds, whose parse (and chunks) it therefore cannot change.
WHOLE = "\u2029"
DATE_BLOCK = "（发布日期：%s）"


def whole(text: str) -> str:
    """``text`` marked as a paragraph of its own (see :data:`WHOLE`)."""
    return text.strip() + WHOLE


def _clean(text: str) -> str:
    kept = text.rstrip(" \t\r\n").endswith(WHOLE)  # (str.rstrip() would strip the mark itself)
    text = text.strip()
    return text + WHOLE if kept and text else text


def compose(title: str, paragraphs, date: str = "") -> str:
    """Page text from a title and paragraphs; the date, when known, closes the page.

    The date goes last, as its own finished paragraph: a line between the
    title and a ``本报讯`` byline would stop the title from heading the report.
    """
    blocks = [title.strip()] if title.strip() else []
    blocks += [_clean(p) for p in paragraphs if p and p.strip()]
    if blocks and date:
        blocks.append(DATE_BLOCK % date)
    return "\n\n".join(blocks) + ("\n" if blocks else "")

"""Web pages to page text with trafilatura: main text, title and date; menus, ads and footers go."""

from __future__ import annotations

import logging

from qa.core.errors import FormatError
from qa.ingest.decoding import decode_text
from qa.ingest.formats.base import Extracted, compose, whole

log = logging.getLogger(__name__)


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)[0]
    except ValueError as exc:
        raise FormatError(str(exc)) from None


def extract_html(data: bytes) -> Extracted:
    """Page text of an HTML document.

    trafilatura finds the article body (its own heuristics, then jusText and
    readability as fallbacks) and the metadata; the text keeps one paragraph
    per line, which become blank-line-separated blocks for the article parser.
    """
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise FormatError("trafilatura is not installed - run `bash scripts/setup`") from exc
    for name in ("trafilatura", "htmldate", "justext", "readability"):
        logging.getLogger(name).setLevel(logging.ERROR)  # per-page chatter ("discarding data") is not ours to show
    html = _decode(data)
    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, with_metadata=True,
                                      favor_recall=True)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise FormatError("no article text found in the web page")
    title = (getattr(doc, "title", None) or "").strip()
    date = (getattr(doc, "date", None) or "").strip()[:10]
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    # trafilatura's text keeps no markup: lines that are the page's own <h2>-<h6> stay paragraphs of
    # their own (without the mark they were glued onto the paragraph below them).
    headings = _heading_texts(html)
    paragraphs = [whole(p) if " ".join(p.split()) in headings else p for p in paragraphs]
    return Extracted(compose(title, paragraphs, date), "html", title=title, date=date)


def _heading_texts(html: str) -> set[str]:
    """The texts of the page's subheadings (h2 to h6), whitespace collapsed."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - an unparsable page just has no known headings
        return set()
    return {" ".join(h.text_content().split()) for h in root.iter("h2", "h3", "h4", "h5", "h6")} - {""}

"""PDF pages to page text with pdfminer.six, read the way a reader reads a newspaper page.

pdfminer finds the text lines; this module decides their order, groups them
into paragraphs and drops page furniture:

- **columns**: between lines that span the text area (headlines, banners,
  single-column text), lines that overlap horizontally form a column;
  columns are read left to right, each top to bottom;
- **furniture**: a line in the top or bottom margin band that recurs there on
  most pages (digits aside) is a running header or footer, and a page number
  there is dropped too (printed browsers and e-papers put the title, date,
  URL and "1/2" there);
- **paragraphs**: a wider gap than the usual line step, a change of font size
  or an indented line starts a paragraph; Chinese lines join without a
  space, an English word hyphenated at a line end is rejoined.

A sentence cut by a column or page break is left to the article parser,
which rejoins paragraphs that do not end the way paragraphs end.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from qa.core.errors import FormatError
from qa.core.text import join_fragments
from qa.ingest.formats.base import Extracted, whole

log = logging.getLogger(__name__)

MARGIN_BAND = 0.1  # share of the page height at the top and the bottom that may hold furniture
SPANNING = 0.6  # a box wider than this share of the text area spans the columns
MAX_PAGES = 2000

_PAGE_NUMBER = re.compile(r"^[\s\-–—·•|]*(?:第\s*\d+\s*[页版]|\d+\s*/\s*\d+|\d+|page\s+\d+(?:\s+of\s+\d+)?|[-–—]\s*\d+\s*[-–—])"
                          r"[\s\-–—·•|]*$", re.I)


# What a browser prints in the margins of every page, recognisable on a single page too:
# the print date and time ("12/6/26, 9:49 AM", "2026/12/6 上午9:49") and the page's URL.
_PRINT_STAMP = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?$",
                          re.I)
_PRINT_URL = re.compile(r"^(?:file|https?|about|data|blob):/*\S*$", re.I)
HEADING_SIZE = 1.15  # a line this much taller than the page's body text is a heading


@dataclass(frozen=True)
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


def _page_lines(page) -> list[_Line]:
    """Every text line of a page. pdfminer's own boxes are not used: with a line
    height of 1.6 they cut a paragraph into pieces and keep a last short line apart."""
    from pdfminer.layout import LTTextBox, LTTextLine

    lines = []
    for element in page:
        children = element if isinstance(element, LTTextBox) else [element]
        for line in children:
            if isinstance(line, LTTextLine) and line.get_text().strip():
                lines.append(_Line(line.x0, line.y0, line.x1, line.y1, line.get_text().strip()))
    return lines


def _in_band(line: _Line, height: float) -> bool:
    band = MARGIN_BAND * height
    return line.y0 >= height - band or line.y1 <= band


def _furniture_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def running_keys(pages: list[tuple[float, list[_Line]]]) -> set[str]:
    """Texts (digits masked) printed in the margin band of at least half the pages, two at least."""
    counts: dict[str, int] = {}
    for height, lines in pages:
        for key in {_furniture_key(l) for l in lines if _in_band(l, height)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= need}


def _is_furniture(line: _Line, height: float, running: set[str], stamps: tuple = ()) -> bool:
    """A running header or footer (repeated in the margin band), a page number, a browser's print
    stamp or URL there, or a text printed on the same baseline as that stamp (the page title)."""
    if not _in_band(line, height):
        return False
    if _furniture_key(line) in running or _PAGE_NUMBER.match(line.text) or _is_print_mark(line.text):
        return True
    return any(abs(line.y0 - y0) < 2.0 for y0 in stamps)


def _is_print_mark(text: str) -> bool:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip()  # "ﬁle:///": the fi ligature pdfminer reads
    return bool(_PRINT_STAMP.match(text) or _PRINT_URL.match(text))


def _stamp_baselines(lines: list[_Line], height: float) -> tuple:
    """Baselines of the print stamps in the top band: the browser prints the title beside them."""
    return tuple(l.y0 for l in lines if _in_band(l, height) and l.y0 > height / 2 and _is_print_mark(l.text))


def _columns(lines: list[_Line]) -> list[list[_Line]]:
    """Lines that overlap horizontally, grouped; groups left to right, each top to bottom."""
    groups: list[list[float]] = []  # [x0, x1] of each group
    members: list[list[_Line]] = []
    for line in sorted(lines, key=lambda l: l.x0):
        for i, (a, b) in enumerate(groups):
            if line.x0 < b - 2 and a < line.x1 - 2:
                groups[i] = [min(a, line.x0), max(b, line.x1)]
                members[i].append(line)
                break
        else:
            groups.append([line.x0, line.x1])
            members.append([line])
    order = sorted(range(len(groups)), key=lambda i: groups[i][0])
    return [sorted(members[i], key=lambda l: -l.y1) for i in order]


def reading_order(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of lines in reading order: lines spanning the text area cut the page into
    bands; within a band each column is one run, read left to right."""
    if not lines:
        return []
    left, right = min(l.x0 for l in lines), max(l.x1 for l in lines)
    width = max(right - left, 1.0)
    runs: list[list[_Line]] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda l: -l.y1):
        if (line.x1 - line.x0) >= SPANNING * width:
            runs.extend(_columns(band))
            band = []
            if runs and runs[-1] and (runs[-1][-1].x1 - runs[-1][-1].x0) >= SPANNING * width:
                runs[-1].append(line)  # consecutive full-width lines: one single-column run
            else:
                runs.append([line])
        else:
            band.append(line)
    runs.extend(_columns(band))
    return _merge_short_tails(runs, width)


def _merge_short_tails(runs: list[list[_Line]], width: float) -> list[list[_Line]]:
    """A paragraph's short last line sits alone between full-width lines; give it back to its run."""
    out: list[list[_Line]] = []
    for run in runs:
        prev = out[-1] if out else None
        if prev and len(run) == 1 and abs(run[0].x0 - prev[-1].x0) < 2 and \
                (prev[-1].x1 - prev[-1].x0) >= SPANNING * width and prev[-1].y0 - run[0].y0 < 3 * run[0].height:
            prev.append(run[0])
        else:
            out.append(list(run))
    return out


def _paragraphs(run: list[_Line], pitch: float, body: float = 0.0) -> list[str]:
    """Lines of one column run grouped into paragraphs: a wider gap, a different font
    size or an indented first line starts a new one.

    ``body``: the height of the page's body text. Lines of larger type step further apart, so
    the gap allowed grows with them (a headline wrapped over two lines stays one), and a short
    group of larger type is a heading: a paragraph of its own (marked, see ``whole``).
    """
    out: list[list[_Line]] = []
    for line in run:
        prev = out[-1][-1] if out else None
        scale = max(1.0, line.height / body) if body else 1.0
        if prev is None or prev.y0 - line.y0 > 1.35 * pitch * scale or line.y0 > prev.y0 \
                or abs(line.height - prev.height) > 0.25 * prev.height or line.x0 > prev.x0 + line.height:
            out.append([line])
        else:
            out[-1].append(line)
    texts = []
    for group in out:
        text = _join_lines([l.text for l in group])
        heading = body and len(group) <= 3 and min(l.height for l in group) > HEADING_SIZE * body
        texts.append(whole(text) if heading else text)
    return texts


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isascii() and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line  # "exam-" + "ple": a word the line end hyphenated
        else:
            out = join_fragments(out, line)
    return out


def _usual_height(lines: list[_Line]) -> float:
    """The height of most of the page's text (its median line, weighted by characters)."""
    weighted = sorted((l.height, len(l.text)) for l in lines)
    total = sum(n for _, n in weighted)
    seen = 0
    for height, n in weighted:
        seen += n
        if seen * 2 >= total:
            return height
    return 0.0


def _line_pitch(runs: list[list[_Line]]) -> float:
    """The usual distance between lines of a paragraph (lower quartile of the page's line steps)."""
    steps = sorted(a.y0 - b.y0 for run in runs for a, b in zip(run, run[1:]) if 0 < a.y0 - b.y0 < 4 * a.height)
    if not steps:
        return max((l.height for run in runs for l in run), default=12.0) * 1.5
    return steps[len(steps) // 4]


def extract_pdf(data: bytes) -> Extracted:
    """Page text of a PDF with a text layer; a scanned PDF raises "no text layer (scanned?)"."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise FormatError("pdfminer.six is not installed - run `bash scripts/setup`") from exc
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # per-object warnings about odd fonts are noise here
    pages: list[tuple[float, list[_Line]]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(), maxpages=MAX_PAGES):
            pages.append((page.height or 1.0, _page_lines(page)))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise FormatError("not a readable PDF (%s)" % (str(exc)[:120] or type(exc).__name__)) from None
    except Exception as exc:  # encrypted files and other pdfminer classes
        raise FormatError("not a readable PDF (%s)" % type(exc).__name__) from None
    running = running_keys(pages)
    blocks: list[str] = []
    dropped = 0
    for height, lines in pages:
        stamps = _stamp_baselines(lines, height)
        body = [l for l in lines if not _is_furniture(l, height, running, stamps)]
        dropped += len(lines) - len(body)
        runs = reading_order(body)
        pitch = _line_pitch(runs)
        usual = _usual_height(body)
        for run in runs:
            blocks.extend(_paragraphs(run, pitch, usual))
    blocks = [b for b in blocks if b.strip()]
    if blocks:
        blocks[0] = blocks[0].strip()  # the first is the title: the parser finds it as the page's heading
    if not blocks:
        raise FormatError("no text layer (scanned?) - %d page(s) without text; run OCR first" % len(pages))
    return Extracted("\n\n".join(blocks) + "\n", "pdf", title=blocks[0].strip()[:80], pages=len(pages),
                     dropped=dropped)

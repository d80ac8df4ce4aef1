"""Articles to chunks: one chunk per repaired paragraph, long ones cut at sentence ends."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from qa.core.text import Span, clause_spans, sentence_spans
from qa.ingest.articles import Article

DEFAULT_MAX_CHARS = 400  # ~450 e5 tokens with the headline: under the model's 512


@dataclass(frozen=True)
class ChunkingParams:
    max_chars: int = DEFAULT_MAX_CHARS
    version: int = 5  # bump when parsing or chunking rules change, so indexes rebuild

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """The unit of retrieval: a paragraph (or a part of a long one) with its article's context."""

    chunk_id: str
    article_id: str
    title: str  # the article's title as users see it
    byline: str
    source: str  # seed file, relative to the seeds folder
    paragraph: int  # 1-based paragraph number within the article
    part: int  # 1-based part number when a long paragraph was cut, else 1
    text: str  # the paragraph exactly as written (after layout repair)
    context: str  # headline used to give the passage context when indexed

    @property
    def indexed_text(self) -> str:
        """What is embedded and indexed: the headline for context, then the paragraph."""
        return "%s\n%s" % (self.context, self.text) if self.context else self.text

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Chunk":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def split_long(text: str, max_chars: int) -> list[Span]:
    """Cut ``text`` into consecutive spans of at most ``max_chars``.

    Cuts fall at sentence ends when possible, then at clause ends, and only
    as a last resort inside a clause. Parts are balanced in length rather
    than greedy, so no tiny tail is left over.
    """
    if len(text) <= max_chars:
        return [Span(0, len(text))]
    units: list[Span] = []
    for sentence in sentence_spans(text):
        if sentence.end - sentence.start <= max_chars:
            units.append(sentence)
            continue
        for clause in clause_spans(sentence.of(text)):
            clause = Span(sentence.start + clause.start, sentence.start + clause.end)
            for start in range(clause.start, clause.end, max_chars):
                units.append(Span(start, min(start + max_chars, clause.end)))
    # Extend units to cover the whitespace between them, so nothing is dropped.
    covered = [Span(0 if i == 0 else units[i - 1].end, u.end) for i, u in enumerate(units)]
    covered[-1] = Span(covered[-1].start, len(text))
    target = len(text) / -(-len(text) // max_chars)
    parts: list[Span] = []
    start = covered[0].start
    end = start
    for unit in covered:
        if end > start and (unit.end - start > max_chars or end - start >= target):
            parts.append(Span(start, end))
            start = end
        end = unit.end
    parts.append(Span(start, end))
    return parts


def chunk_article(article: Article, params: ChunkingParams = ChunkingParams()) -> list[Chunk]:
    """One chunk per paragraph of ``article``; paragraphs over ``max_chars`` become several. A subheading
    is no chunk of its own: it is read, with the headline, as the context of the paragraphs under it (a
    line of a few words, alone, drew the reader's spans to it)."""
    headline = article.section if article.kind == "photo" and article.section else article.headline
    context = headline
    chunks: list[Chunk] = []
    for number, paragraph in enumerate(article.paragraphs, 1):
        if paragraph.heading:
            context = "%s\n%s" % (headline, paragraph.text) if headline else paragraph.text
            continue
        spans = split_long(paragraph.text, params.max_chars)
        for part, span in enumerate(spans, 1):
            text = span.of(paragraph.text).strip()
            if not text:
                continue
            suffix = ".%d" % part if len(spans) > 1 else ""
            chunks.append(Chunk(
                chunk_id="%s/p%d%s" % (article.article_id, number, suffix),
                article_id=article.article_id, title=article.title, byline=article.byline,
                source=article.source, paragraph=number, part=part, text=text, context=context,
            ))
    return chunks


def chunk_articles(articles, params: ChunkingParams = ChunkingParams()) -> list[Chunk]:
    out: list[Chunk] = []
    for article in articles:
        out.extend(chunk_article(article, params))
    return out

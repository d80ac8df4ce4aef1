"""Numbered sources for answers quoting several sentences (lists, summaries, several parts).

A fact answer cites one passage; a list, a summary or a several-part answer
cites every passage an item comes from, each once, numbered in the order the
answer first uses them, with all of its quoted sentences highlighted. The
other retrieved passages follow as related reading, up to the limit.
"""

from __future__ import annotations

from qa.answer.quoting import relevance, sentence_around
from qa.answer.types import Source
from qa.core.text import Span


def build_sources(assistant, cited, hits, limit: int):
    """(sources, number per chunk id) for ``cited`` — (chunk, highlight span) pairs in answer order.

    Passages among ``hits`` keep their retrieval score; others (an article's
    other paragraphs) get their cosine's relevance from the index.
    """
    order: list = []
    spans: dict[str, list[Span]] = {}
    for chunk, span in cited:
        if chunk.chunk_id not in spans:
            order.append(chunk)
            spans[chunk.chunk_id] = []
        if span is not None and span not in spans[chunk.chunk_id]:
            spans[chunk.chunk_id].append(span)
    by_id = {h.chunk_id: h for h in hits}
    sources, numbers = [], {}
    for chunk in order + [assistant.chunk(h.chunk_id) for h in hits if h.chunk_id not in spans]:
        if chunk.chunk_id not in spans and len(sources) >= limit:
            break
        hit = by_id.get(chunk.chunk_id)
        number = len(sources) + 1
        numbers[chunk.chunk_id] = number
        marks = tuple(sorted((s.start, s.end) for s in _merged(spans.get(chunk.chunk_id, []))))
        sources.append(Source(
            number=number, chunk_id=chunk.chunk_id, article_id=chunk.article_id, title=chunk.title,
            byline=chunk.byline, source=chunk.source, paragraph=chunk.paragraph, text=chunk.text,
            highlights=marks, score=hit.score if hit else 0.0, relevance=relevance(hit) if hit else 0.0,
        ))
    return tuple(sources), numbers


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping highlight spans as one (two items of one sentence mark it once)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and s.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def sentence_of(text: str, span: Span) -> Span:
    """The sentence(s) of ``text`` holding ``span``."""
    return sentence_around(text, span)

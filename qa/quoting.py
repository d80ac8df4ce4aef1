"""Where an answer's words sit in its passage: the span trimmed, the sentence around it, the quote."""

from __future__ import annotations

import re

from .entities import QUANTITY_TAIL, quantities
from .listing import enumerations
from .text import Span, clause_spans, sentence_spans

MAX_QUOTE_CHARS = 80


def relevance(hit) -> float:
    """Map a hit's cosine (e5 scores sit in ~0.7-0.95) to 0..1 for a relevance bar."""
    return max(0.0, min(1.0, (hit.dense_score - 0.70) / 0.22))


_NUMERAL = re.compile(r"[\d零一二三四五六七八九十两百千万亿]")
_EDGE = " \t\n,，、;；:：。.!！?？“”\"'‘’()（）《》「」"


def trim_span(text: str, span: Span) -> Span:
    """The span without surrounding punctuation or space (the reader's tokens may carry them)."""
    a, b = span.start, span.end
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    return Span(a, b) if b > a else span


def complete_quantity(text: str, span: Span) -> Span:
    """The span grown to the whole quantity when it stops inside one (1.8 of 1.8万平方米, 12 of 12项),
    and to its ordinal mark when it starts after one (15张 of 第15张)."""
    if span.end <= span.start:
        return span
    if span.start > 0 and text[span.start - 1] == "第" and _NUMERAL.match(text[span.start]):
        span = Span(span.start - 1, span.end)
    if not _NUMERAL.match(text[span.end - 1]):
        return span
    tail = QUANTITY_TAIL.match(text, span.end)
    return Span(span.start, tail.end()) if tail.end() > span.end else span


_DATE_TAIL = {"年": re.compile(r"\d{1,2}月(?:\d{1,2}[日号])?"), "月": re.compile(r"\d{1,2}[日号]")}


def complete_date(text: str, span: Span) -> Span:
    """The span grown to the whole date when it stops at its year or month (2021年 of 2021年6月)."""
    tail = _DATE_TAIL.get(text[span.end - 1]) if span.end > span.start else None
    found = tail.match(text, span.end) if tail else None
    return Span(span.start, found.end()) if found else span


def narrow_to_quantity(text: str, span: Span, unit: str) -> Span:
    """The last quantity in ``unit`` inside a longer span: 多少钱 is answered by 4.15亿元, not by the
    clause the reader started earlier (its end is the surer edge)."""
    found = quantities(span.of(text), unit)
    if not found:
        return span
    start, end = found[-1]
    return Span(span.start + start, span.start + end)


_CLAUSE_END = r"(?=[,，;；:：。！？!?]|$)"
# One more item joined without a 、 (澳洲南部岛屿|及西岸地区); a short one, or it is a predicate.
_JOINED_ITEM = re.compile(r"(?:以及|及|和|与|或)[^,，;；:：。！？!?、\s]{1,10}" + _CLAUSE_END)
# What closes the last item: (云南)的南部, (华南)等地, 等海域.
_ITEM_TAIL = re.compile(r"(?:的[^,，;；:：。！？!?、等\s]{1,4})?(?:等[^,，;；:：。！？!?、\s]{0,3})?" + _CLAUSE_END)


def complete_enumeration(text: str, span: Span) -> Span:
    """The span grown to the whole enumeration it is part of: "分布在哪些地区" is answered by every
    place of 广东、广西、贵州、四川南部、中南半岛及云南的南部, not by the reader's first four."""
    grown = span
    for enumeration in enumerations(text):
        whole = enumeration.span
        if enumeration.shape == "comma" and whole.start < span.end and span.start < whole.end:
            grown = Span(min(grown.start, whole.start), max(grown.end, whole.end))
    joined = _JOINED_ITEM.match(text, grown.end)
    if joined:
        grown = Span(grown.start, joined.end())
    tail = _ITEM_TAIL.match(text, grown.end)
    return Span(grown.start, tail.end()) if tail else grown


def clause_around(text: str, answer: Span) -> Span:
    """The clause(s) of ``text`` that hold ``answer``, trimmed: the answer to a "why" or "how" question."""
    clauses = clause_spans(text) or [Span(0, len(text))]
    first = next((c for c in clauses if c.start <= answer.start < c.end), None)
    last = next((c for c in clauses if c.start < answer.end <= c.end), first)
    if first is None or last is None:
        return answer
    return trim_span(text, Span(min(first.start, answer.start), max(last.end, answer.end)))


def sentence_around(text: str, answer: Span) -> Span:
    """The sentence(s) of ``text`` that hold ``answer``."""
    sentences = sentence_spans(text) or [Span(0, len(text))]
    first = next((s for s in sentences if s.start <= answer.start < s.end), sentences[0])
    last = next((s for s in sentences if s.start < answer.end <= s.end), first)
    return Span(min(first.start, answer.start), max(last.end, answer.end))


def quote_window(text: str, sentence: Span, answer: Span) -> Span:
    """What to quote: the sentence, or in a long one the clauses around the answer."""
    if len(sentence.of(text)) <= MAX_QUOTE_CHARS:
        return sentence
    clauses = [Span(sentence.start + c.start, sentence.start + c.end)
               for c in clause_spans(sentence.of(text))] or [sentence]
    i = next((k for k, c in enumerate(clauses) if c.start <= answer.start < c.end), 0)
    j = next((k for k, c in enumerate(clauses) if c.start < answer.end <= c.end), i)
    lo, hi = min(i, j), max(i, j)
    # Grow towards whichever side is shorter while the quote stays readable.
    while True:
        grown = [(lo - 1, hi)] if lo > 0 else []
        grown += [(lo, hi + 1)] if hi + 1 < len(clauses) else []
        grown = [(x, y) for x, y in grown if clauses[y].end - clauses[x].start <= MAX_QUOTE_CHARS]
        if not grown:
            break
        lo, hi = min(grown, key=lambda g: clauses[g[1]].end - clauses[g[0]].start)
    return Span(min(clauses[lo].start, answer.start), max(clauses[hi].end, answer.end))


def author_span(text: str, byline: Span, reporters) -> Span:
    """The reporters' names inside a byline (本报讯 (记者 史莲寅) -> 史莲寅)."""
    names = [text.find(r, byline.start, byline.end) for r in reporters]
    found = [(i, i + len(r)) for i, r in zip(names, reporters) if i >= 0]
    if not found:
        return byline
    return Span(min(a for a, _ in found), max(b for _, b in found))

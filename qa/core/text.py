"""Pure text helpers for Chinese news text: normalisation, sentence and clause spans.

News pages mix ASCII and full-width punctuation (``,`` ``;`` next to ``。`` ``、``),
so every splitter here knows both forms. Splitters return character offsets
into the original string, never rewritten text, so callers can highlight
exactly what the article says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from qa.core.zh import CLAUSE_MARKS

# Ends a sentence. ASCII '.' only counts when not between digits (65.26亿).
_SENTENCE_END = "。！？!?；;…"
# 、 separates items of one list; a clause keeps its list whole.
_CLAUSE_END = CLAUSE_MARKS + "…"  # the same characters as _SENTENCE_END + commas and colons
_CLOSERS = "”’」』）)】》\"'"
PARAGRAPH_END = "。！？!?…" + _CLOSERS + "."

_ENTITY_BEFORE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8})$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into some text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def to_simplified(text: str) -> str:
    """Traditional Chinese to simplified (OpenCC t2s); simplified text passes unchanged."""
    converter = _t2s()
    return converter.convert(text) if converter and _HAN.search(text) else text


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # optional: without it traditional text is matched as is
        return None
    return opencc.OpenCC("t2s")


# Texts up to this long are folded once and remembered: one question folds the same passages and
# sentences for every candidate span it weighs.
_CACHED_CHARS = 4000


def normalize(text: str) -> str:
    """Fold full-width forms to half-width (NFKC), traditional to simplified,
    lower-case ASCII, squeeze spaces.

    Used for matching only (questions against passages); never for display.
    """
    return _normalize_cached(text) if len(text) <= _CACHED_CHARS else _normalize(text)


@lru_cache(maxsize=8192)
def _normalize_cached(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text))
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip().lower()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one sentence that a line or page break separated.

    Chinese needs no space; two ASCII words do.
    """
    if not left:
        return right
    if not right:
        return left
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return left + " " + right
    return left + right


def _is_break(text: str, i: int, enders: str) -> bool:
    ch = text[i]
    if ch not in enders:
        return False
    if ch in ".,:":
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        # 65.26, 1,000 and 10:30 are numbers, not breaks.
        if before.isdigit() and after.isdigit():
            return False
        # An ASCII full stop ends a sentence only before a space, the end, or
        # Chinese text: window.name, example.com and v1.2b run on.
        if ch == "." and after and not (after.isspace() or after in _CLOSERS or has_cjk(after)):
            return False
    if ch == ";" and _ENTITY_BEFORE.search(text, max(0, i - 12), i):
        return False  # &lt; &#20013; are characters, not clause ends
    return True


def _spans(text: str, enders: str) -> list[Span]:
    return list(_cached_spans(text, enders)) if len(text) <= _CACHED_CHARS else list(_find_spans(text, enders))


@lru_cache(maxsize=4096)
def _cached_spans(text: str, enders: str) -> tuple[Span, ...]:
    return _find_spans(text, enders)


def _find_spans(text: str, enders: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        if _is_break(text, i, enders):
            end = i + 1
            # Keep runs of enders and closing quotes with the sentence they close.
            while end < n and (text[end] in enders or text[end] in _CLOSERS):
                end += 1
            spans.append(Span(start, end))
            start = i = end
            continue
        i += 1
    if start < n:
        spans.append(Span(start, n))
    return tuple(_trim(text, s) for s in spans if text[s.start : s.end].strip())


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentence_spans(text: str) -> list[Span]:
    """Sentences of ``text`` as spans, splitting at 。！？!?；; … and sentence-final '.'."""
    return _spans(text, _SENTENCE_END + ".")


def clause_spans(text: str) -> list[Span]:
    """Clauses of ``text``: sentences further cut at commas and colons (never at 、: an enumeration is one clause)."""
    return _spans(text, _CLAUSE_END + ".")


def ends_paragraph(text: str) -> bool:
    """True when ``text`` ends the way a finished paragraph does."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in PARAGRAPH_END


def one_line(name: str) -> str:
    """A file name on one line: a newline in a name must not print as a fake status line."""
    return "".join(ch if ch.isprintable() else "\\x%02x" % ord(ch) if ord(ch) < 256 else "\\u%04x" % ord(ch)
                   for ch in name)


def earliest_group(patterns, text: str, group: str) -> Span | None:
    """Where the named ``group`` of the match of any of ``patterns`` that places it earliest in ``text``
    sits, or None when none matches (the role or place a report gives in whichever wording it uses)."""
    found = [m for pattern in patterns for m in re.finditer(pattern, text)]
    if not found:
        return None
    first = min(found, key=lambda m: m.start(group))
    return Span(first.start(group), first.end(group))

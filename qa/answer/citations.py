"""Which ``[n]`` markers in an answer are the assistant's citations.

The assistant quotes the article and cites after the closing quote:
``“…约5亿元[2]”[1]``. Article text only ever appears inside quotation marks
(the quote) or title brackets (《headline》), so a marker there - the
article's own footnote ``[2]`` - stays text; markers in the assistant's own
words, outside every quote and title, are citations. Nested quotes keep
their balance (``“他说“好”[3]的”[1]`` cites only source 1), and when a quote
from the article is unbalanced the run of markers ending the answer right
after its closing quote is still the assistant's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\[(\d{1,3})\]")
_TRAILING = re.compile(r"”((?:\[\d{1,3}\])+)\s*$")
_PAIRS = {"“": ("quote", 1), "”": ("quote", -1), "《": ("title", 1), "》": ("title", -1)}


def quoted(text: str) -> str:
    """``text`` in quotation marks, unless the article's own marks already enclose all of it: a
    sentence that is itself a quotation (“目前我们…服务。”) is not quoted twice."""
    inner = text[1:-1]
    if text[:1] == "“" and text[-1:] == "”" and "“" not in inner and "”" not in inner:
        return text
    # A quotation that opened before the quoted words closes inside them (…拍完照就走。”): its mark closes
    # ours, not a second one after it (…走。””); and the same for one that opens inside and closes after.
    opened, closed = text.count("“"), text.count("”")
    if text[-1:] == "”" and closed > opened:
        return "“" + text
    if text[:1] == "“" and opened > closed:
        return text + "”"
    return "“%s”" % text


@dataclass(frozen=True)
class Marker:
    """One citation: ``text[start:end]`` is ``[number]``."""

    start: int
    end: int
    number: int


def citation_markers(text: str) -> list[Marker]:
    """The assistant's citation markers in ``text``, in order."""
    text = text or ""
    depth = {"quote": 0, "title": 0}
    outside: list[Marker] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _PAIRS:
            kind, step = _PAIRS[ch]
            depth[kind] = max(0, depth[kind] + step)
        elif ch == "[" and not any(depth.values()):
            m = _MARKER.match(text, i)
            if m:
                outside.append(Marker(m.start(), m.end(), int(m.group(1))))
                i = m.end()
                continue
        i += 1
    trailing = _TRAILING.search(text)
    if trailing and not any(m.start >= trailing.start(1) for m in outside):
        outside += [Marker(m.start(), m.end(), int(m.group(1)))
                    for m in _MARKER.finditer(text, trailing.start(1), trailing.end(1))]
    return outside


def cited_numbers(text: str) -> list[int]:
    """The distinct source numbers ``text`` cites, ascending."""
    return sorted({m.number for m in citation_markers(text)})


# What a numbered source is to its answer, in the page's cards and the command line's list alike.
CITED_LABEL = "引用"
RELATED_LABEL = "其他相关段落"
NOT_FOUND_LABEL = "相关段落（未引用）"


def cited_sources(answer) -> set[int]:
    """Numbers of the sources ``answer`` actually cites: its ``[n]`` markers, list/summary items and parts.

    A not-found answer cites nothing: its sources are paragraphs the search found, not evidence.
    """
    if answer is None or not getattr(answer, "found", False):
        return set()
    numbers = set(cited_numbers(answer.text or ""))
    numbers |= {item.number for item in getattr(answer, "items", ()) or ()}
    numbers |= {part.number for part in getattr(answer, "parts", ()) or () if getattr(part, "found", False)}
    return numbers

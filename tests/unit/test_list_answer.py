"""When a list question's chosen enumeration gives way to the reader (the ``list_reader`` check)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.answer.list_answer import _Choice, _Paragraph, _reader_elsewhere
from qa.answer.listing import Enumeration
from qa.core.text import Span

FIRST = SimpleNamespace(chunk_id="a:0")
SECOND = SimpleNamespace(chunk_id="a:1")
PARAGRAPH = _Paragraph(chunks=(FIRST, SECOND), starts=(0, 50), text="x" * 100, rank=1)
# the enumeration stands in the first chunk, at 5-20 of the joined paragraph
CHOICE = _Choice(PARAGRAPH, Enumeration((Span(5, 10), Span(11, 20)), "comma"), 0.6)


def _assistant(found: bool):
    return SimpleNamespace(decide=lambda draft: SimpleNamespace(found=found))


def _draft(chunk, sentence: Span, flagged: bool = False):
    return SimpleNamespace(best=SimpleNamespace(chunk=chunk, sentence=sentence, flagged=flagged))


@pytest.mark.parametrize("draft, found, elsewhere", [
    (_draft(SECOND, Span(0, 10)), True, True),  # the reader answers from the next chunk's sentence
    (_draft(FIRST, Span(0, 30)), True, False),  # its sentence holds the enumeration
    (_draft(SimpleNamespace(chunk_id="b:3"), Span(0, 10)), True, True),  # another paragraph altogether
    (_draft(SECOND, Span(0, 10)), False, False),  # the decision would refuse the reader's answer
    (_draft(SECOND, Span(0, 10), flagged=True), True, False),  # a check flagged the reader's span
    (SimpleNamespace(best=None), True, False),
])
def test_the_reader_overrides_a_list_only_when_it_answers_confidently_elsewhere(draft, found, elsewhere):
    assert _reader_elsewhere(_assistant(found), draft, CHOICE) is elsewhere

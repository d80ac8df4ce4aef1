"""How much of the passage is the short answer: a span for facts, the clause for reasons and features (issue 12)."""

from __future__ import annotations

import pytest

from qa.question import analyse
from qa.quoting import clause_around, sentence_around, trim_span
from qa.text import Span

TEXT = "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果。它原产于非洲。"


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def test_the_clause_around_a_span_stops_at_commas_and_sentence_ends():
    inside = _span(TEXT, "菠菜")
    assert clause_around(TEXT, inside).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上"
    assert sentence_around(TEXT, inside).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果。"
    across = Span(inside.start, _span(TEXT, "笨蛋").end)  # a span over two clauses keeps both, trimmed
    assert clause_around(TEXT, across).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果"


def test_trim_span_drops_punctuation_at_the_edges_only():
    text = "“1.8万平方米”,"
    assert trim_span(text, Span(0, len(text))).of(text) == "1.8万平方米"


@pytest.mark.parametrize("question, describes", [
    ("为什么称猴面包树为笨蛋水果?", True),
    ("结对合作共建对实现共同富裕有什么意义?", True),
    ("六耳铃的上部叶有什么特点?", True),
    ("阜宁在2022年全市综合考核中表现如何?", False),  # answered by 稳步进位, not by the whole clause
    ("滨湖文隽企业服务中心的建筑面积是多少?", False),
    ("武进区区长是谁?", False),
    ("为什么的作者是谁?", False),  # an author question stays one, whatever its words
])
def test_questions_that_ask_for_a_reason_or_a_feature(question, describes):
    assert analyse(question).describes is describes

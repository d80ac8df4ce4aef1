"""A several-part question none of whose parts is answered is asked again whole (the check ``parts_whole``).

The assistant here is a stand-in that answers only the questions it is told to: the logic of
:func:`qa.answer.parts.answer_parts`, not the reader, is under test (tests/integration/test_forms.py
asks several-part questions of the real assistant).
"""

from __future__ import annotations

from types import SimpleNamespace

from qa.answer.parts import answer_parts
from qa.answer.types import Answer

QUESTION = "嘉兴火车站碰瓷被抓的赵某今年多大?他那个同伙郭某是哪儿人?"
WHOLE = "“一个是56岁的河南人赵某,另一个是45岁的安徽人郭某”[1]"


class _Answering:
    """Answers ``answered`` questions with ``WHOLE`` and refuses every other one."""

    def __init__(self, answered: set[str], disabled: frozenset[str] = frozenset()):
        self.answered, self.disabled, self.asked = answered, disabled, []

    def uses(self, check: str) -> bool:
        return check not in self.disabled

    def draft(self, question, history=None, limit=None, article="", taken=()):
        self.asked.append(question)
        return SimpleNamespace(question=question, best=None)

    def compose(self, draft, limit=None, decision=None):
        found = draft.question in self.answered
        return Answer(question=draft.question, text=WHOLE if found else "文章中没有找到这个问题的答案。",
                      found=found, confidence=0.9 if found else 0.01, standalone_question=draft.question)


def test_a_question_whose_parts_are_all_refused_is_answered_whole():
    assistant = _Answering({QUESTION})
    answer = answer_parts(assistant, QUESTION, None, 3)
    assert answer.found and answer.text == WHOLE
    assert assistant.asked[-1] == QUESTION  # the parts first, then the question as one


def test_without_the_check_or_a_whole_answer_it_is_refused():
    off = answer_parts(_Answering({QUESTION}, disabled=frozenset({"parts_whole"})), QUESTION, None, 3)
    assert not off.found
    nowhere = answer_parts(_Answering(set()), QUESTION, None, 3)
    assert not nowhere.found and nowhere.decision.reason == "parts_answered"

"""Where things are, as the text writes it: which division holds a place (盐城市阜宁县 answers
阜宁县属于哪个市), where something lies (位于创新产业园的服务中心 answers 服务中心在哪里) and where
someone went (代表团赴盐城市阜宁县开展… answers 代表团去了哪里).

Chinese writes the larger division first (江苏省盐城市阜宁县), and a description says where a place
lies (路口镇位于湖南省长沙县东北部). Both are read from the text, never guessed: the span reader,
trained on other questions, answers 阜宁县是哪个地级市管的 with doubt or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile

from qa.core.text import Span, earliest_group
from qa.core.zh import segment

_UNITS = "省市县区镇乡州"
_ASKS_PARENT = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{2,12}?)(?P<verb>是|在|归|位于|地处|坐落于|坐落在|属于|隶属于?|归属于?|属)?"
    r"(?:哪个|哪一个|哪|什么)(?:地级|县级|直辖)?(?P<unit>[%s])(?:的|管辖|管|所辖|下辖|辖)*[？?。]?$" % _UNITS)
_LIES_IN = re.compile(r"(?:位于|地处|坐落于|坐落在|隶属于?|属于|归属于?)")
_REACH = 16  # characters either side of a place name searched for the divisions around it


_ASKS_WHERE = re.compile(
    r"^(?P<name>[^,，。？?\s]{2,20}?)(?:具体)?(?:是)?(?:在哪里|在哪儿|在哪|位于哪里|位于哪儿|位于何处|在何处|在什么地方|"
    r"在什么位置|位于什么(?:地方|位置)|坐落在哪里?|坐落于何处|地处哪里|选址在哪里?|的(?:地址|位置)是(?:什么|哪里))[？?。]?$")
_LOCATION = r"(?P<where>[^,，。；;：:！？!?“”的\s]{2,30})"


@dataclass(frozen=True)
class ParentQuestion:
    """A question asking which ``unit`` (省, 市, 县 …) holds the place ``name``."""

    name: str
    unit: str


def asks_parent(question: str) -> ParentQuestion | None:
    """The place and the kind of division holding it that ``question`` asks for, else None."""
    found = _ASKS_PARENT.match(question.strip())
    if found is None or not (found.group("verb") or found.group("name")[-1] in _UNITS):
        return None  # 代表团去了哪个县 asks where someone went, not what holds a place
    return ParentQuestion(found.group("name"), found.group("unit"))


def parent_place(asked: ParentQuestion, text: str) -> Span | None:
    """Where ``text`` names the division of ``asked.unit`` that holds ``asked.name``, or None.

    The divisions written just before the name (盐城市阜宁县) come first, then those after a
    位于 / 隶属 following it (路口镇位于湖南省长沙县); the nearest one of the asked kind is the answer.
    """
    names = [asked.name]
    if asked.name[-1] in _UNITS and len(asked.name) >= 3:
        names.append(asked.name[:-1])  # 阜宁县 is also written 阜宁
    for name in names:
        for m in re.finditer(re.escape(name), text):
            found = _before(asked, text, m.start()) or _after(asked, text, m.end())
            if found is not None:
                return found
    return None


def _before(asked: ParentQuestion, text: str, end: int) -> Span | None:
    run = _division_run(text, max(0, end - _REACH), end, from_end=True)
    return next((d for d in reversed(run) if _answers(asked, d.of(text))), None)


def _after(asked: ParentQuestion, text: str, start: int) -> Span | None:
    verb = _LIES_IN.match(text, start)
    if verb is None:
        return None
    run = _division_run(text, verb.end(), min(len(text), verb.end() + _REACH), from_end=False)
    return next((d for d in run if _answers(asked, d.of(text))), None)


def _answers(asked: ParentQuestion, division: str) -> bool:
    return division.endswith(asked.unit) and asked.name not in division


def _is_division(word: str) -> bool:
    return len(word) >= 2 and word[-1] in _UNITS and all("\u4e00" <= ch <= "\u9fff" for ch in word)


def _division_run(text: str, start: int, end: int, from_end: bool) -> list[Span]:
    """The division names (江苏省, 盐城市 …) in a row that touch ``end`` (``from_end``) or ``start``
    of ``text[start:end]``, in text order; a unit jieba splits off (大溪 + 区) is joined back."""
    spans: list[Span] = []
    position = start
    for word in segment(text[start:end]):
        span = Span(position, position + len(word))
        position = span.end
        if word in _UNITS and spans and text[spans[-1].end - 1] not in _UNITS:
            spans[-1] = Span(spans[-1].start, span.end)
        else:
            spans.append(span)
    run = list(takewhile(lambda span: _is_division(span.of(text)), reversed(spans) if from_end else spans))
    return sorted(run, key=lambda span: span.start)


def asks_where(question: str) -> str:
    """The thing whose location ``question`` asks (服务中心 of 服务中心在哪里?), else ""."""
    found = _ASKS_WHERE.match(question.strip())
    return found.group("name") if found else ""


def location_of(name: str, text: str) -> Span | None:
    """Where ``text`` says ``name`` lies: 位于X的…name or name位于 / 坐落于 / 地处X; else None."""
    named = re.escape(name)
    patterns = (r"位于" + _LOCATION + r"的[^,，。；;]{0,30}?" + named,
                named + r"(?:位于|坐落于|坐落在|地处|选址于?|落户于?)" + _LOCATION)
    return earliest_group(patterns, text, "where")


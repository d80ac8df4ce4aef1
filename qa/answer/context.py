"""Which article a chat is about: the one the previous turn answered from.

"这篇报道的记者是谁?" and "那篇文章讲了什么" point at the article of the last
answer. History turns come as :class:`qa.answer.assistant.Answer` objects (the Python
API and ``qa eval``), as ``(question, answer text)`` pairs or as chat message
dicts (the page and ``/ask``); for text answers the article is found again
from the quoted words, or from the 《title》 a refusal names.
"""

from __future__ import annotations

import re

from qa.answer.forms import pins_previous_article

_QUOTED = re.compile(r"“(.{4,}?)”\[\d{1,3}\]")
_TITLE = re.compile(r"《(.+?)》")


def pinned_article(assistant, question: str, history) -> str:
    """The article id ``question`` points at (这篇报道…), or "" when it names none."""
    if not pins_previous_article(question):
        return ""
    return last_article(assistant, history)


def last_article(assistant, history) -> str:
    """The article the chat's most recent answer came from ("" when there is none)."""
    for turn in reversed(list(history or ())):
        if isinstance(turn, (list, tuple)) and len(turn) >= 2 and hasattr(turn[1], "sources"):
            turn = turn[1]  # a (question, Answer) pair
        sources = getattr(turn, "sources", None)
        if sources is not None:  # an Answer
            if sources:
                return sources[0].article_id
            continue
        text = _answer_text(turn)
        if text:
            found = _article_of_text(assistant, text)
            if found:
                return found
    return ""


def _answer_text(turn) -> str:
    if isinstance(turn, dict):
        return turn.get("content", "") if turn.get("role") == "assistant" and isinstance(turn.get("content"), str) else ""
    if isinstance(turn, (list, tuple)) and len(turn) >= 2:
        return turn[1] if isinstance(turn[1], str) else ""
    return ""


def _article_of_text(assistant, text: str) -> str:
    """The article whose paragraph holds the quoted words of an answer text, or whose title it names."""
    chunks = assistant.retriever.chunks
    for quote in _QUOTED.findall(text):
        for chunk in chunks:
            if quote in chunk.text:
                return chunk.article_id
    titles = set(_TITLE.findall(text))
    for chunk in chunks:
        if chunk.title in titles:
            return chunk.article_id
    return ""

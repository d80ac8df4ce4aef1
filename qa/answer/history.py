"""The part of a chat that a new question is read in: the most recent turns, bounded.

Every kept turn is analysed again for every question (jieba POS tagging), so
an unbounded history made each question slower than the last, and a caller
sending 200 long turns held an answer slot for a minute. The cap keeps the
most recent turns, in order, within a turn count and a character budget.
"""

from __future__ import annotations

import json
from typing import Sequence

from qa.answer.entities import PERSON
from qa.core.settings import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS
from qa.core.zh import CLAUSE_MARKS


def turn_question(turn) -> str | None:
    """The question a chat turn asked: a ``(question, answer)`` pair, an :class:`qa.answer.types.Answer`,
    a question string or a chat message dict; "" for an assistant message, None for junk."""
    question = getattr(turn, "question", None)  # an Answer
    if isinstance(question, str):
        return question
    if isinstance(turn, dict):
        content = turn.get("content")
        return (content if turn.get("role") == "user" else "") if isinstance(content, str) else None
    if isinstance(turn, (list, tuple)) and turn:
        return turn[0] if isinstance(turn[0], str) else None
    return turn if isinstance(turn, str) else None


def named_person(answer) -> str:
    """The person an answer named (许校长 for 是谁提的整改意见?), whom 他/她 in the next question means; ""
    when it named none: a refusal, another kind of answer, or a short answer that is a clause."""
    if not getattr(answer, "found", False) or getattr(answer, "kind", "") != PERSON:
        return ""
    return _a_name(getattr(answer, "short", ""))


def _a_name(text) -> str:
    """``text`` when it can be a person's name or title (2-12 characters, no clause), else "": a kept chat
    comes back from the browser, so its person is checked like a fresh answer's."""
    if not isinstance(text, str) or not 2 <= len(text) <= 12 or any(c in text for c in CLAUSE_MARKS):
        return ""
    return text


def turn_named(turn) -> str:
    """The person a chat turn's answer named: from an :class:`qa.answer.types.Answer`, a ``(question,
    Answer)`` pair, or a ``(question, answer text, person)`` triple as the page keeps its turns; "" else."""
    if getattr(turn, "question", None) is not None and hasattr(turn, "short"):
        return named_person(turn)
    if isinstance(turn, (list, tuple)) and len(turn) >= 2:
        if hasattr(turn[1], "short"):
            return named_person(turn[1])
        if len(turn) >= 3:
            return _a_name(turn[2])
    return ""


def cap_history(history: Sequence | None, max_turns: int = MAX_HISTORY_TURNS,
                max_chars: int = MAX_HISTORY_CHARS) -> list:
    """The most recent turns of ``history`` (oldest first) within ``max_turns`` and ``max_chars``.

    A turn is a ``(question, answer)`` pair, an :class:`qa.answer.types.Answer`, a
    question string, or a chat message dict (``{"role": "user"|"assistant",
    "content": ...}``; a user message starts a turn, assistant messages ride
    along with it). Characters count the questions, which are what a new
    question is analysed against. Turns are taken from the newest backwards and
    the walk stops at the first one that does not fit, so the kept turns are
    always the contiguous end of the chat. Unusable entries are dropped.
    """
    if not history or max_turns <= 0:
        return []
    kept: list = []
    turns = chars = 0
    for turn in reversed(list(history)):
        text = turn_question(turn)
        if text is None:
            continue
        if text:  # an assistant message costs nothing and belongs to the turn before it
            if turns + 1 > max_turns or chars + len(text) > max_chars:
                break
            turns += 1
            chars += len(text)
        kept.append(turn)
    kept.reverse()
    while kept and turn_question(kept[0]) == "":  # an answer whose question was cut off
        kept.pop(0)
    return kept


def history_from_api(history) -> list:
    """Chat history as an API caller sends it: ``[[question, answer], ...]`` or ``[{"role", "content"}, ...]``,
    or either as a JSON string. Entries of any other shape are dropped rather than failing the question."""
    if isinstance(history, str):
        try:
            history = json.loads(history) if history.strip() else []
        except json.JSONDecodeError:
            return []
    if not isinstance(history, (list, tuple)):
        return []
    turns: list = []
    for turn in history:
        if isinstance(turn, dict) and isinstance(turn.get("content"), str) and turn.get("role") in ("user", "assistant"):
            turns.append({"role": turn["role"], "content": turn["content"]})
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            turns.append((turn[0], turn[1] if len(turn) > 1 and isinstance(turn[1], str) else ""))
    return turns

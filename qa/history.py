"""The part of a chat that a new question is read in: the most recent turns, bounded.

Every kept turn is analysed again for every question (jieba POS tagging), so
an unbounded history made each question slower than the last, and a caller
sending 200 long turns held an answer slot for a minute. The cap keeps the
most recent turns, in order, within a turn count and a character budget.
"""

from __future__ import annotations

from typing import Sequence

from .settings import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS


def _turn_text(turn) -> str | None:
    """The question text a turn contributes, "" for an assistant message, None for junk."""
    question = getattr(turn, "question", None)  # an Answer
    if isinstance(question, str):
        return question
    if isinstance(turn, dict):
        content = turn.get("content")
        return (content if turn.get("role") == "user" else "") if isinstance(content, str) else None
    if isinstance(turn, (list, tuple)) and turn:
        return turn[0] if isinstance(turn[0], str) else None
    return turn if isinstance(turn, str) else None


def cap_history(history: Sequence | None, max_turns: int = MAX_HISTORY_TURNS,
                max_chars: int = MAX_HISTORY_CHARS) -> list:
    """The most recent turns of ``history`` (oldest first) within ``max_turns`` and ``max_chars``.

    A turn is a ``(question, answer)`` pair, an :class:`qa.answer.Answer`, a
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
        text = _turn_text(turn)
        if text is None:
            continue
        if text:  # an assistant message costs nothing and belongs to the turn before it
            if turns + 1 > max_turns or chars + len(text) > max_chars:
                break
            turns += 1
            chars += len(text)
        kept.append(turn)
    kept.reverse()
    while kept and _turn_text(kept[0]) == "":  # an answer whose question was cut off
        kept.pop(0)
    return kept

"""What was typed, made a question: validated, normalised, pasted markup removed."""

from __future__ import annotations

import re
import unicodedata

from qa.core.errors import QuestionError
from qa.core.settings import MAX_QUESTION_CHARS
from qa.core.text import to_simplified

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\u4e00-\u9fff]{0,200})?/?>")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|^#+\s|^>\s)", re.MULTILINE)


def clean_question(question, max_chars: int | None = None) -> str:
    """Validate and normalise a question; full-width and half-width forms become one.

    Raises :class:`QuestionError` for empty or over-long questions.
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text", reason="invalid")
    # Measured as typed, before any normalisation: NFKC expands some characters
    # (… becomes ...), so 400 of them were refused as 1,200, and normalising a
    # 150 MB body before refusing it cost seconds and gigabytes.
    limit = max_chars or MAX_QUESTION_CHARS
    if len(question) > limit and len(question.strip()) > limit:
        raise QuestionError("the question is too long (%d characters; the limit is %d) - ask it in fewer words"
                            % (len(question.strip()), limit), reason="too_long", limit=limit)
    text = to_simplified(unicodedata.normalize("NFKC", question))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty - type a question about the articles", reason="empty")
    return text


def strip_markup(question: str) -> str:
    """The words of a question without pasted markup: <b>X</b> and [X](url) ask about X;
    script and style bodies are dropped whole. Raises :class:`QuestionError` when nothing is left."""
    text = _SCRIPT.sub(" ", question)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(" ", text)
    text = _CJK_GAP.sub("", " ".join(text.split()))
    if not text:
        raise QuestionError("the question is empty once its markup is removed - type a question about the "
                            "articles", reason="empty")
    return text

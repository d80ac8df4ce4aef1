"""Ratings of answers (👍/👎 with an optional comment), kept in a JSON Lines log next to the index.

The log is append-only: each rating is one line written with a single
``write`` to a file opened for appending, under a lock, then fsynced, so two
raters never interleave and a crash loses at most the line being written. A
comment sent after the rating is another line with the same ``id``.
``export_eval`` turns the log into ``qa eval`` items so rated answers become
labelled questions.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qa.core.errors import QAError

log = logging.getLogger(__name__)

FEEDBACK_FILE = "feedback.jsonl"
MAX_TEXT = 4000  # characters kept of a question, answer or comment
# str.splitlines() (used by JSONL readers, qa eval's among them) also splits at these; json.dumps leaves them raw.
_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class FeedbackError(QAError):
    """A rating is malformed or the feedback log cannot be read."""


@dataclass(frozen=True)
class Rating:
    """One rating of one answer."""

    rating: str  # "up" or "down"
    question: str
    answer: str
    found: bool = True
    quote: str = ""  # the words the answer quoted
    evidence: str = ""  # the highlighted sentence of the first cited source
    source: str = ""  # that source's file
    chunk_id: str = ""
    standalone_question: str = ""  # a follow-up with its context filled in
    comment: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    time: str = field(default_factory=lambda: _dt.datetime.now().astimezone().isoformat(timespec="seconds"))


def rating_from_answer(rating: str, answer, comment: str = "") -> Rating:
    """A :class:`Rating` of a :class:`qa.answer.assistant.Answer`."""
    first = answer.sources[0] if answer.sources else None
    evidence = ""
    if first is not None and first.highlights:
        a, b = first.highlights[0]
        evidence = first.text[a:b]
    return Rating(rating=rating, question=answer.question, answer=answer.text, found=bool(answer.found),
                  quote=answer.quote, evidence=evidence, source=first.source if first else "",
                  chunk_id=first.chunk_id if first else "", standalone_question=answer.standalone_question,
                  comment=comment)


def log_path(index_dir: Path) -> Path:
    """Where the feedback for the index in ``index_dir`` is kept."""
    return Path(index_dir) / FEEDBACK_FILE


def _line(row: dict) -> bytes:
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _LINE_BREAKERS.items():
        text = text.replace(raw, escaped)
    return (text + "\n").encode("utf-8", "replace")


def _append(path: Path, row: dict) -> None:
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    data = _line(row)
    with FileLock(str(path) + ".lock", timeout=10):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            if written != len(data):  # a full disk: do not leave half a line for the next writer
                os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_END) - written)
                raise OSError("feedback log %s: disk full" % path)
            os.fsync(fd)
        finally:
            os.close(fd)


def _clip(text) -> str:
    return str(text or "")[:MAX_TEXT]


def record(index_dir: Path, rating: Rating) -> Rating:
    """Append ``rating`` to the feedback log of ``index_dir``; returns it as stored."""
    if rating.rating not in ("up", "down"):
        raise FeedbackError("a rating is 'up' or 'down', not %r" % rating.rating)
    row = {k: (_clip(v) if isinstance(v, str) else v) for k, v in asdict(rating).items()}
    _append(log_path(index_dir), dict(row, type="rating"))
    return Rating(**row)


def add_comment(index_dir: Path, rating_id: str, comment: str) -> None:
    """Attach a comment to an earlier rating (another line with the same id)."""
    if not str(rating_id or "").strip():
        raise FeedbackError("a comment needs the id of the rating it belongs to")
    if comment and comment.strip():
        _append(log_path(index_dir), dict(type="comment", id=str(rating_id)[:64], comment=_clip(comment.strip()),
                                          time=_dt.datetime.now().astimezone().isoformat(timespec="seconds")))


def read_ratings(path: Path) -> list[Rating]:
    """The ratings of a feedback log, comments merged in; unreadable lines are skipped with a warning."""
    path = Path(path)
    if not path.is_file():
        raise FeedbackError("no feedback log at %s - rate answers on the page first" % path)
    ratings: dict[str, dict] = {}
    comments: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            kind = row.pop("type")
        except (json.JSONDecodeError, KeyError, AttributeError, TypeError):
            log.warning("%s line %d is not a feedback record; skipped", path, number)
            continue
        if kind == "rating":
            ratings[row.get("id", str(number))] = row
        elif kind == "comment":
            comments.setdefault(row.get("id", ""), []).append(str(row.get("comment", "")))
    out = []
    for rid, row in ratings.items():
        known = {k: row[k] for k in Rating.__dataclass_fields__ if k in row}
        extra = comments.get(rid, [])
        known["comment"] = " / ".join([c for c in [known.get("comment", "")] + extra if c])
        out.append(Rating(**known))
    return out


def eval_item(rating: Rating, number: int) -> dict | None:
    """A ``qa eval`` item for a rating, or None when the rating does not say what the right answer is.

    👍 on an answer: the question is answerable, the quoted evidence is gold.
    👍 on "not in the articles": the question is unanswerable. 👎 says only
    what is wrong, not what is right, so it becomes no item.
    """
    if rating.rating != "up":
        return None
    question = rating.standalone_question or rating.question
    if not question.strip():
        return None
    if not rating.found:
        return dict(id="fb%d" % number, kind="feedback-unanswerable", question=question, gold=None, answer=[])
    gold = rating.evidence or rating.quote
    if not gold:
        return None
    return dict(id="fb%d" % number, kind="feedback", question=question, gold=gold,
                answer=[rating.quote or gold])


def export_eval(index_dir: Path, out: Path) -> tuple[int, int]:
    """Write the feedback of ``index_dir`` to ``out`` as ``qa eval`` JSONL; (items written, ratings left out)."""
    ratings = read_ratings(log_path(index_dir))
    items = [item for item in (eval_item(r, i) for i, r in enumerate(ratings, 1)) if item]
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(b"".join(_line(item) for item in items))
    os.replace(tmp, out)
    return len(items), len(ratings) - len(items)

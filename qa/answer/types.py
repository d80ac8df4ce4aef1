"""What an answer is made of: the types :meth:`qa.Assistant.ask` returns.

This module imports nothing of ``qa``, so every answer form can build these
types without importing the assistant.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Source:
    """A numbered passage an answer draws on or points to."""

    number: int
    chunk_id: str
    article_id: str
    title: str
    byline: str
    source: str
    paragraph: int
    text: str  # the paragraph as shown to users
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) offsets into text: the answering sentence
    score: float = 0.0  # fused retrieval score
    relevance: float = 0.0  # 0..1, for display
    answer_span: tuple[int, int] | None = None  # [start, end) of the answer itself, inside the highlight


@dataclass(frozen=True)
class Item:
    """One entry of a list or summary answer: the words quoted and the source they come from."""

    number: int  # the citation: Source.number
    text: str


@dataclass(frozen=True)
class Part:
    """The answer to one part of a several-part question (X和Y分别是多少)."""

    question: str  # the part asked on its own
    text: str  # the quote, or "" when the articles do not answer this part
    number: int = 0  # the citation (Source.number); 0 when not found
    short: str = ""
    found: bool = False


@dataclass(frozen=True)
class Decision:
    """Why an answer was given or refused: what :func:`qa.answer.decision.decide` weighed.

    ``reason`` is one of :data:`qa.answer.decision.REASONS`; ``features`` are the learned decision's
    inputs (empty for a form whose reader decides, such as a summary).
    """

    found: bool
    reason: str
    confidence: float  # 0..1
    threshold: float | None = None  # the learned decision's cut, when it decided
    features: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Answer:
    """What :meth:`Assistant.ask` returns."""

    question: str
    text: str  # the quote with its citation marker, such as “…”[1]; or the refusal
    found: bool
    confidence: float  # 0..1: how sure the assistant is that the articles answer the question
    sources: tuple[Source, ...] = ()
    quote: str = ""  # the words quoted from the article
    standalone_question: str = ""  # the question with a follow-up's context filled in
    kind: str = "other"  # the kind of answer the question wants
    short: str = ""  # the answer itself in a few words (1.8万平方米); "" when not found
    form: str = "fact"  # "fact", "list", "summary", "parts", "overview" or "refusal"
    items: tuple[Item, ...] = ()  # a list's items or a summary's sentences, in order
    parts: tuple[Part, ...] = ()  # one per part of a several-part question
    features: dict = field(default_factory=dict, compare=False, repr=False)
    decision: Decision | None = field(default=None, compare=False)  # why it answered or refused

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sources"] = [asdict(s) for s in self.sources]
        data.pop("features", None)
        return data

"""The one place an :class:`~qa.answer.types.Answer` is built, from what was decided.

Every form (a fact, a list, a summary, a several-part answer, a page overview)
hands its text, sources and items here with the :class:`~qa.answer.types.Decision`
of :func:`qa.answer.decision.decide`; a refused answer keeps its sources (the
related reports) but no quote, short answer, items or parts.
"""

from __future__ import annotations

import logging

from qa.answer.forms import REFUSAL
from qa.answer.types import Answer, Decision, Item, Part, Source

log = logging.getLogger(__name__)


def build_answer(question: str, decision: Decision, text: str, *, sources: tuple[Source, ...] = (),
                 quote: str = "", standalone: str | None = None, kind: str = "other", short: str = "", form: str = "fact",
                 items: tuple[Item, ...] = (), parts: tuple[Part, ...] = (), features: dict | None = None) -> Answer:
    """The answer to ``question`` as ``decision`` decided it; ``form`` is the form shown when found."""
    found = decision.found
    answer = Answer(
        question=question, text=text, found=found, confidence=decision.confidence, sources=tuple(sources),
        quote=quote if found else "", standalone_question=question if standalone is None else standalone, kind=kind,
        short=short if found else "", form=form if found else REFUSAL, items=tuple(items) if found else (),
        parts=tuple(parts) if found else (), features=decision.features if features is None else features,
        decision=decision,
    )
    log.info("answer %s (%s, confidence %.4f, form %s)", "found" if found else "refused", decision.reason,
             decision.confidence, answer.form)
    return answer

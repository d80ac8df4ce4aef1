"""The one place an answer is decided: shown, or refused as not in the articles.

Every answer form comes here. A fact (and each part of a several-part
question) is decided by the learned model of :mod:`qa.answer.calibration`: its
confidence over the fitted threshold. A form whose own reader finds the whole
answer or nothing (a list the passage enumerates, a summary of the article a
question names, a page's headlines, a report's byline) brings that reader's
verdict under a name from :data:`REASONS`, so ``Answer.decision`` always says
which evidence decided, for ``--json`` and the logs. A span that a named check
flagged as unable to answer is refused under the check's name (:data:`FLAGS`).
"""

from __future__ import annotations

import logging

from qa.answer.types import Decision

log = logging.getLogger(__name__)

CONFIDENT = "confident"
NOT_CONFIDENT = "not_confident"
NO_CANDIDATE = "no_candidate"

# Verdicts of the readers that find a whole answer or none, by name (what ``decide(verdict=...)`` takes).
VERDICTS = {
    "author_article": "whether the byline found is the one of the article the question names "
                      "(its headline and lead hold the question's topic, or it is the chat's article)",
    "part_beside_answered_part": "a part's span of the kind it wants sits in the sentence that answered another part",
    "parts_answered": "whether any part of a several-part question is answered",
    "list_enumerated": "a passage enumerates the items the question asks for",
    "summary_article": "whether an article is about what the question names",
    "overview_page": "whether the edition asked about is known: the source file of the chat's last answer, "
                     "or the only one the archive holds",
}
# The checks' flags on a span (each also a span feature, qa.answer.scoring.VETO_FEATURES): the scorer ranks
# flagged spans below every other, so the best one is flagged only when nothing else was read.
FLAGS = {
    "role_conflict": "the span holds another role than the one asked (副区长 for 区长)",
    "other_thing": "the span's statement is about another phase, stage or time than the one asked",
    "not_of_kind": "the span cannot be of the kind asked (no amount for 多少钱, a figure for 排第几)",
    "other_side": "the span's clause names another side of a contrast than the one asked",
}
REASONS = {
    CONFIDENT: "the learned decision's confidence reaches its threshold",
    NOT_CONFIDENT: "the learned decision's confidence is under its threshold",
    NO_CANDIDATE: "no passage read yields a span",
    **FLAGS,
    **VERDICTS,
}


def decide(confidence: float, *, threshold: float | None = None, candidate: bool = True,
           verdict: tuple[str, bool] | None = None, features: dict | None = None, flagged: str = "") -> Decision:
    """Answer or refuse.

    ``threshold``: decide by the learned confidence (a fact, a part). ``verdict``: (name, found) of a
    reader that finds a whole answer or none; it decides when given. ``candidate``: False when nothing
    was found to show, which always refuses. ``flagged``: the name (:data:`FLAGS`) of a check that
    flagged the best span, which refuses it under that name.
    """
    features = dict(features or {})
    exact, confidence = float(confidence), round(float(confidence), 4)
    if flagged and verdict is None:
        if flagged not in FLAGS:
            raise ValueError("unknown flag %r: name it in qa.answer.decision.FLAGS" % flagged)
        decision = Decision(False, flagged, confidence, threshold, features)
    elif verdict is not None:
        name, found = verdict
        if name not in VERDICTS:
            raise ValueError("unknown verdict %r: name it in qa.answer.decision.VERDICTS" % name)
        decision = Decision(bool(found) and candidate, name if candidate else NO_CANDIDATE, confidence, threshold,
                            features)
    elif not candidate:
        decision = Decision(False, NO_CANDIDATE, confidence, threshold, features)
    elif threshold is None:
        raise ValueError("decide() needs a threshold or a verdict")
    else:
        found = exact >= threshold  # unrounded, as fitted
        decision = Decision(found, CONFIDENT if found else NOT_CONFIDENT, confidence, threshold, features)
    log.debug("decided %s (%s, confidence %.4f, threshold %s)", "found" if decision.found else "refused",
              decision.reason, confidence, threshold)
    return decision

"""The one scorer of the reader's candidate spans: a weighted sum of named features.

Each candidate span of the reader is described by :data:`SPAN_FEATURES`
(the reader's margin, the passage's retrieval rank, whether the span is of the
kind asked, whether its clause names the side asked about, ..., and the named
checks' flags, :data:`VETO_FEATURES`); the assistant quotes the candidate with the
highest score. The weights are fitted on labelled questions by ``qa tune FILE...
--scorer`` (a conditional logit over each question's candidates: the one whose
quote holds an expected answer should score highest) and kept only when,
cross-validated by article, the fitted weights choose right more often than the
ones they replace, with short answers no less exact.
They live in ``qa/answer/scorer.json`` with the figures that chose them.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qa.answer.decision import FLAGS
from qa.core.errors import CalibrationError

# The named checks' flags (qa.answer.decision.FLAGS says what each means): 1 when the check reads the span
# as unable to answer.
VETO_FEATURES = tuple(FLAGS)

SCORER_FILE = Path(__file__).with_name("scorer.json")
SPAN_FEATURES = (
    "margin",  # the reader's span score over its no-answer score for the passage
    "prior",  # 1 / sqrt(retrieval rank of the passage)
    "typed_number", "typed_date", "typed_person", "typed_other",  # a span of the kind asked, by kind
    "clause_fit",  # its clause names the side of a contrast the question asks about
    "defined",  # for 什么是X / X的意义: the sentence defines X or states its point
    "shortfall",  # how much less of the question's word weight its article names than the best one read
    "standing",  # a rank (最多, 第一) for 排第几
    "named_before",  # a number question: what it measures is written just before the number (宽约300米 for 多宽)
    "claim",  # a yes/no question: share of the claim's words its sentence states
    "event",  # a when-question: the event asked about is told where the time is
    "coverage",  # share of the question's topic-word weight in the span's sentence
    "dense",  # the passage's cosine to the question
    "span_chars",  # the span's length (capped at 40, divided by 40)
    "log_probability",  # the span's log-probability in the reader's one softmax over every passage read (≥ -20)
) + VETO_FEATURES
# The weights set by hand before any were fitted, on the seed page's tune sets: what a fit must beat.
# typed_number 8 (of 2, 4, 8, 16) refused one more unanswerable than 2; a date kept 2, since a long span
# holding some date (今年, 2007年) is not narrowed; a who-question is answered by a name (王栋, not 全区).
# clause_fit 8: a clause naming the asked side (城镇居民…) beats one naming none; defined 4: "特色小镇是…"
# beats a sentence merely naming 特色小镇; shortfall -4 per unit of question-word weight: another plant's
# 又称 loses to the asked plant's; prior 0.5: the rank breaks near-ties; claim 6: a yes/no question names
# no gap for the reader, so the sentence stating the claim is the evidence; event 8: 近日…正式运营 answers
# 什么时候正式运营的, not the 2021年6月 of 正式启动; standing 4: 最多 / 第一 answers 排第几; named_before 1: the
# conditional logit (332 questions, folds by article) weighs it +0.38 beside margin's +0.36, one margin unit.
HAND_WEIGHTS = {
    "margin": 1.0, "prior": 0.5, "typed_number": 8.0, "typed_date": 2.0, "typed_person": 2.0, "typed_other": 0.0,
    "clause_fit": 8.0, "defined": 4.0, "shortfall": -4.0, "standing": 4.0, "named_before": 1.0, "claim": 6.0, "event": 8.0,
    "coverage": 0.0, "dense": 0.0, "span_chars": 0.0, "log_probability": 0.0,
    # A flagged span ranks below every unflagged one (scores stay within ±60): it is the best only when the
    # reader found nothing else, and then the decision refuses it under the check's name.
    **dict.fromkeys(VETO_FEATURES, -100.0),
}


@dataclass(frozen=True)
class SpanScorer:
    """Weights over :data:`SPAN_FEATURES`; a candidate's score is their weighted sum."""

    weights: dict[str, float]
    fitted_on: str = ""  # "" for the hand-set weights
    report: dict = field(default_factory=dict)

    def score(self, features: dict) -> float:
        return sum(self.weights.get(k, 0.0) * float(features.get(k, 0.0)) for k in SPAN_FEATURES)

    def save(self, path: Path = SCORER_FILE) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


HAND_SCORER = SpanScorer(dict(HAND_WEIGHTS))


def load(path: Path = SCORER_FILE) -> SpanScorer:
    """The saved scorer; the hand-set weights when none was saved. A damaged file is a
    :class:`CalibrationError` naming the fix."""
    if not Path(path).exists():
        return HAND_SCORER
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        # A feature added since the file was fitted keeps its hand-set weight until the next fit.
        data["weights"] = {**HAND_WEIGHTS, **data.get("weights", {})}
        scorer = SpanScorer(**data)
        if not all(math.isfinite(float(v)) for v in scorer.weights.values()):
            raise ValueError("weights must be finite numbers")
        return scorer
    except (OSError, ValueError, TypeError) as exc:
        raise CalibrationError("the span scorer %s cannot be read (%s) - delete it to use the hand-set weights, "
                               "or refit it with `qa tune FILE... --scorer`" % (path, exc)) from None


def fit(questions: list[tuple[tuple[dict, ...], tuple[bool, ...]]], l2: float = 1.0) -> dict[str, float]:
    """Weights that make a right candidate the likeliest of its question's: a conditional logit (one
    softmax over each question's candidates, the log-likelihood of its right ones, an L2 penalty),
    fitted on standardised features with scipy and returned over the raw features. Only the
    questions with both a right and a wrong candidate teach anything."""
    import numpy as np
    from scipy.optimize import minimize

    useful = [(np.array([[float(f.get(k, 0.0)) for k in SPAN_FEATURES] for f in feats]), np.array(right, bool))
              for feats, right in questions if any(right) and not all(right)]
    if not useful:
        return dict(HAND_WEIGHTS)
    stacked = np.vstack([x for x, _ in useful])
    mean, std = stacked.mean(0), stacked.std(0) + 1e-6
    groups = [((x - mean) / std, right) for x, right in useful]

    def loss(w):
        total, grad = l2 * 0.5 * w @ w, l2 * w
        for x, right in groups:
            z = x @ w
            p_all = np.exp(z - z.max())
            p_all /= p_all.sum()
            p_right = p_all * right
            mass = p_right.sum()
            total -= np.log(mass + 1e-12)
            grad -= (p_right / (mass + 1e-12) - p_all) @ x
        return total, grad

    start = np.array([HAND_WEIGHTS[k] for k in SPAN_FEATURES]) * std  # the hand weights, standardised
    w = minimize(loss, start, jac=True, method="L-BFGS-B").x
    return {k: round(float(v), 4) for k, v in zip(SPAN_FEATURES, w / std)}

"""The answer/refuse decision: a small logistic model over answer features, and its threshold.

The weights and threshold are fitted on labelled answerable and unanswerable
questions (``qa tune eval/tune.jsonl``), never set by hand, and saved in
``qa/answer/calibration.json`` together with the precision/recall they reached.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from qa.core.errors import CalibrationError

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# Each earns its place by cross-validation folded by article: focus_missing, unknown_share, passage_coverage,
# reader_score and score_gap were dropped one at a time while that did not lower answers plus near-miss
# refusals (docs/answers.md).
FEATURES = ("window_coverage", "dense", "unit_missing", "typed", "wants_type", "reader_margin", "answer_chars",
            "author", "agreement", "reader_probability", "reader_null_mass", "answer_mass")


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over :data:`FEATURES`, plus the decision threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float
    fitted_on: str = ""
    report: dict = field(default_factory=dict)

    def confidence(self, features: dict) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * float(features.get(k, 0.0)) for k in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load(path: Path = CALIBRATION_FILE) -> Calibration:
    """The saved calibration; raises :class:`CalibrationError` naming the fix when it is missing or damaged."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        calibration = Calibration(**data)
        calibration.confidence({})  # weights and bias must be numbers
        return calibration
    except (OSError, ValueError, TypeError) as exc:
        raise CalibrationError("the answer calibration %s cannot be read (%s) - reinstall the package, or refit "
                               "it with `qa tune eval/tune.jsonl eval/tune_extra.jsonl`" % (path, exc)) from None


def fit(rows: list[dict], labels: list[int], c: float = 1.0, sample_weight=None) -> tuple[dict, float]:
    """L2-regularised logistic regression (scikit-learn) on feature dicts, returned as raw-feature
    weights and a bias, so that applying it needs neither scikit-learn nor the scaler.
    ``sample_weight``: how much each row counts (an unanswerable question may count more)."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[float(r.get(k, 0.0)) for k in FEATURES] for r in rows], dtype=np.float64)
    mean, std = x.mean(0), x.std(0) + 1e-6
    if len(set(labels)) < 2:  # nothing to separate: a constant confidence of the observed rate
        return {k: 0.0 for k in FEATURES}, round(float(np.log((sum(labels) + 0.5) / (len(labels) - sum(labels) + 0.5))), 4)
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / std, labels, sample_weight=sample_weight)
    w, b = model.coef_[0], float(model.intercept_[0])
    # Undo the standardisation so the saved weights apply to raw features.
    raw_w = w / std
    raw_b = b - float(np.sum(w * mean / std))
    return {k: round(float(v), 4) for k, v in zip(FEATURES, raw_w)}, round(raw_b, 4)


# The share of right drafts the threshold must still show: refusing more than 5% of
# the right drafts costs more answers than it saves wrong ones (see calibration.json
# for the share of drafts that were right when it was fitted).
KEEP_RIGHT_ANSWERS = 0.95


def choose_threshold(scores: list[float], answerable: list[int], correct: list[int],
                     keep: float = KEEP_RIGHT_ANSWERS) -> tuple[float, dict]:
    """Pick the confidence threshold on labelled questions.

    Among thresholds that still show at least ``keep`` of the drafts that are
    right, take the one with the best F1 for refusing (precision and recall of
    "refused" against "unanswerable or wrongly drafted"); ties go to the higher
    threshold, since a wrong answer shown as fact is worse than a refusal.
    """
    right = sum(correct)
    best = None
    for t in sorted(set([0.0] + [round(s, 4) for s in scores])):
        shown_right = sum(1 for s, ok in zip(scores, correct) if ok and s >= t)
        if right and shown_right / right < keep:
            continue
        stats = _refusal_stats(scores, correct, t)
        if best is None or stats["wrong_draft_f1"] >= best[1]["wrong_draft_f1"]:
            best = (t, stats)
    t = best[0]
    lower = [s for s in scores if s < t]
    threshold = round((t + max(lower)) / 2, 4) if lower else t  # midway, not on a data point
    stats = _refusal_stats(scores, correct, threshold)
    shown = [s >= threshold for s in scores]
    stats.update(
        threshold=threshold, keep=keep,
        right_drafts_shown=round(sum(sh and ok for sh, ok in zip(shown, correct)) / max(1, right), 4),
        answer_accuracy=round(sum(sh and ok for sh, ok, a in zip(shown, correct, answerable) if a)
                              / max(1, sum(answerable)), 4),
        unanswerable_refused=round(sum((not sh) for sh, a in zip(shown, answerable) if not a)
                                   / max(1, len(answerable) - sum(answerable)), 4),
    )
    return threshold, stats


def _refusal_stats(scores, correct, threshold) -> dict:
    """How well refusing catches the drafts that would be wrong (unanswerable, or a wrong answer).

    Named ``wrong_draft_*``: not :mod:`qa.evaluate.evaluation`'s ``refusal_*``, which count refusals of
    unanswerable questions only."""
    refused = [s < threshold for s in scores]
    tp = sum(r and not ok for r, ok in zip(refused, correct))
    fp = sum(r and ok for r, ok in zip(refused, correct))
    fn = sum((not r) and (not ok) for r, ok in zip(refused, correct))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return dict(wrong_draft_precision=round(precision, 4), wrong_draft_recall=round(recall, 4),
                wrong_draft_f1=round(f1, 4))

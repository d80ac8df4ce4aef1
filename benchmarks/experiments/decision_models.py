"""One-off experiment (not run in CI): which decision model, and which scores its threshold is chosen on.

    .venv/bin/python benchmarks/experiments/decision_models.py --index IDX2 \
        eval/news/train.jsonl eval/tune.jsonl eval/tune_extra.jsonl eval/forms.jsonl

IDX2 indexes the seed page, ``eval/news/articles/`` and ``eval/forms_articles/``. Each question's draft
is labelled once (``label_drafts``), then every model × threshold source × keep × near-miss weight is
cross-validated by article over five dealings of the articles into folds, as ``qa tune`` does:

- models: the logistic model ``qa tune`` saves; gradient-boosted trees (scikit-learn's
  HistGradientBoostingClassifier) at three settings;
- threshold chosen on the fit's own scores of its training questions (``insample``, what ``qa tune`` did
  before 2026-12-07) or on scores of articles each inner fit did not see (``unseen``, ``unseen_scores``).

Prints answered right and near misses refused, averaged over the dealings. Results:
benchmarks/RESULTS.md, "2026-12-07 (third session)".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from qa.answer import calibration  # noqa: E402
from qa.evaluate import evaluation as ev  # noqa: E402

TREES = {
    "trees d3": dict(max_depth=3, max_iter=100, learning_rate=0.1),
    "trees d2 slow": dict(max_depth=2, max_iter=100, learning_rate=0.05, min_samples_leaf=20),
    "trees d3 l2": dict(max_depth=3, max_iter=60, learning_rate=0.05, min_samples_leaf=15, l2_regularization=1.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    from qa.answer.assistant import Assistant
    from qa.core.settings import get_settings

    assistant = Assistant.load(settings=get_settings().with_overrides(index_dir=args.index))
    labels = ev.label_drafts(assistant, [item for f in args.files for item in ev.load_eval_file(f)])
    x = np.array([[float(r.features.get(k, 0.0)) for k in calibration.FEATURES] for r in labels])
    y = np.array([int(r.correct) for r in labels])
    groups = np.array([r.group for r in labels])

    def logistic(rows, weight):
        fitted = [labels[i] for i in rows]
        w, b = calibration.fit([r.features for r in fitted], y[rows].tolist(),
                               sample_weight=ev._near_miss_weights(fitted, weight))
        model = calibration.Calibration(w, b, 0.5)
        return lambda apply_to: np.array([model.confidence(labels[i].features) for i in apply_to])

    def trees(params):
        def fit(rows, weight):
            if len(set(y[rows])) < 2:
                return lambda apply_to: np.full(len(apply_to), float(y[rows][0]))
            model = HistGradientBoostingClassifier(random_state=0, **params)
            model.fit(x[rows], y[rows], sample_weight=np.array(ev._near_miss_weights([labels[i] for i in rows], weight)))
            return lambda apply_to: model.predict_proba(x[apply_to])[:, 1]
        return fit

    def unseen(fit, rows, weight):
        rows = np.asarray(rows)
        out = np.zeros(len(rows))
        for inner, outer in GroupKFold(n_splits=min(5, len(set(groups[rows])))).split(rows, groups=groups[rows]):
            out[outer] = fit(rows[inner], weight)(rows[outer])
        return out

    def run(fit, keep, weight, threshold_on):
        right = refused = 0
        for repeat in range(args.repeats):
            dealer = GroupKFold(n_splits=5) if repeat == 0 else GroupKFold(n_splits=5, shuffle=True, random_state=repeat)
            for train, test in dealer.split(x, y, groups):
                model = fit(train, weight)
                scores = unseen(fit, train, weight) if threshold_on == "unseen" else model(train)
                fitted = [labels[i] for i in train]
                threshold, _ = calibration.choose_threshold(list(map(float, scores)), [r.answerable for r in fitted],
                                                            [r.correct for r in fitted], keep=keep)
                outcome = ev._decision_outcome([labels[i] for i in test], list(model(test)), threshold)
                right += outcome["answered_right"]
                refused += outcome["near_misses_refused"]
        return right / args.repeats, refused / args.repeats

    answerable = sum(r.answerable for r in labels)
    print("drafts %d, right %d, answerable %d, near misses %d" % (len(labels), y.sum(), answerable, len(labels) - answerable))
    for name, fit in [("logistic", logistic)] + [(n, trees(p)) for n, p in TREES.items()]:
        for threshold_on in ("insample", "unseen"):
            for keep in (0.85, 0.90, 0.95):
                for weight in (1.0, 2.0):
                    right, refused = run(fit, keep, weight, threshold_on)
                    print("%-14s %-8s keep %.2f x%g: answered right %.1f / %d, near misses refused %.1f / %d"
                          % (name, threshold_on, keep, weight, right, answerable, refused, len(labels) - answerable),
                          flush=True)


if __name__ == "__main__":
    main()

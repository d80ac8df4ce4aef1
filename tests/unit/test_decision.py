"""The answer/refuse decision: its cross-validation folded by article (no model: synthetic drafts), the one
function that decides and the one that builds the answer."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from qa.answer import scoring
from qa.answer.compose import build_answer
from qa.answer.decision import (
    CONFIDENT,
    NO_CANDIDATE,
    NOT_CONFIDENT,
    REASONS,
    VERDICTS,
    decide,
)
from qa.answer.types import Item, Source
from qa.core.errors import CalibrationError
from qa.evaluate.evaluation import (
    CandidateLabels,
    DraftLabel,
    choose_keep,
    cross_validate,
    cross_validate_scorer,
)


def drafts(articles: int = 10, per_article: int = 12, noise: float = 0.0, seed: int = 0) -> list[DraftLabel]:
    rng = random.Random(seed)
    out = []
    for article in range(articles):
        for _ in range(per_article):
            answerable = rng.random() < 0.75
            right = answerable and rng.random() < 0.7
            margin = (4.0 if right else -4.0) + rng.gauss(0, noise)
            out.append(DraftLabel({"reader_margin": margin, "dense": rng.random()}, answerable, right, "a%d" % article))
    return out


def test_a_feature_that_separates_right_drafts_is_learned_on_unseen_articles():
    labels = drafts()
    result = cross_validate(labels, folds=5, keep=0.95)
    right = sum(x.correct for x in labels)
    assert result["logistic"]["answered_right"] == right
    assert result["logistic"]["near_misses_refused_share"] == 1.0
    assert result["logistic"]["folds"] == 5 and "trees" in result


def test_noise_costs_answers_or_refusals():
    clean = cross_validate(drafts(articles=6), folds=3, keep=0.95)["logistic"]
    noisy = cross_validate(drafts(articles=6, noise=6.0), folds=3, keep=0.95)["logistic"]
    assert noisy["answer_accuracy"] + noisy["near_misses_refused_share"] < \
        clean["answer_accuracy"] + clean["near_misses_refused_share"]


def test_one_article_cannot_be_cross_validated():
    assert cross_validate(drafts(articles=1), folds=5) == {}


def test_repeated_dealings_of_articles_into_folds_average_the_counts():
    labels = drafts(articles=6, noise=3.0)
    once = cross_validate(labels, folds=3, keep=0.9)["logistic"]
    repeated = cross_validate(labels, folds=3, keep=0.9, repeats=3, models=("logistic",))
    assert set(repeated) == {"logistic"} and repeated["logistic"]["repeats"] == 3
    # every dealing leaves each question out once: the averaged counts are of the same questions
    assert repeated["logistic"]["answerable"] == once["answerable"]
    assert repeated["logistic"]["unanswerable"] == once["unanswerable"]


def test_keep_and_the_near_miss_weight_are_chosen_among_the_listed_ones():
    (keep, weight), table = choose_keep(drafts(articles=6, noise=3.0), folds=3)
    assert keep in (0.80, 0.85, 0.90, 0.95) and weight in (1.0, 2.0, 4.0) and len(table) == 12
    assert "keep %.2f, near misses x%g" % (keep, weight) in table


def test_the_choice_answers_most_among_those_refusing_enough_near_misses():
    from qa.evaluate.evaluation import MIN_NEAR_MISSES_REFUSED

    (keep, weight), table = choose_keep(drafts(articles=6, noise=2.0), folds=3)
    chosen = table["keep %.2f, near misses x%g" % (keep, weight)]
    safe = [v for v in table.values() if v["near_misses_refused_share"] >= MIN_NEAR_MISSES_REFUSED]
    assert safe, "the synthetic drafts separate well enough for some choice to refuse enough"
    assert chosen["near_misses_refused_share"] >= MIN_NEAR_MISSES_REFUSED
    assert chosen["answer_accuracy"] == max(v["answer_accuracy"] for v in safe)


def test_counting_near_misses_more_makes_the_fit_less_sure_of_every_draft():
    from qa.answer import calibration
    from qa.evaluate.evaluation import _near_miss_weights

    labels = drafts(articles=8, noise=6.0, seed=3)
    rows, correct = [x.features for x in labels], [int(x.correct) for x in labels]
    plain = calibration.Calibration(*calibration.fit(rows, correct, sample_weight=_near_miss_weights(labels, 1.0)), 0.5)
    heavy = calibration.Calibration(*calibration.fit(rows, correct, sample_weight=_near_miss_weights(labels, 4.0)), 0.5)
    assert all(heavy.confidence(r) < plain.confidence(r) for r in rows)


def test_the_threshold_is_chosen_on_scores_from_fits_that_never_saw_the_article():
    import numpy as np

    from qa.answer import calibration
    from qa.evaluate.evaluation import unseen_scores

    labels = drafts(articles=6, noise=3.0)
    # the same questions with one article's verdicts turned over
    flipped = [replace(x, correct=not x.correct) if x.group == "a0" else x for x in labels]

    def scores(rows):
        x = np.array([[float(r.features.get(k, 0.0)) for k in calibration.FEATURES] for r in rows])
        y = np.array([int(r.correct) for r in rows])
        return unseen_scores("logistic", rows, x, y, range(len(rows)), folds=3)

    before, after = scores(labels), scores(flipped)
    own = [i for i, x in enumerate(labels) if x.group == "a0"]
    assert all(before[i] == after[i] for i in own)  # its own verdicts never reach its scores
    assert any(before[i] != after[i] for i in range(len(labels)) if i not in own)  # they reach the others'


# ---------------------------------------------------------------- the one decision, the one builder


def test_the_learned_decision_cuts_at_its_threshold_unrounded():
    assert decide(0.5, threshold=0.5).found and decide(0.5, threshold=0.5).reason == CONFIDENT
    below = decide(0.49996, threshold=0.5)  # rounds to 0.5 for display, yet is under the cut
    assert not below.found and below.reason == NOT_CONFIDENT and below.confidence == 0.5


def test_nothing_to_show_always_refuses_whatever_decides():
    assert decide(0.99, threshold=0.1, candidate=False).reason == NO_CANDIDATE
    refused = decide(1.0, verdict=("summary_article", True), candidate=False)
    assert not refused.found and refused.reason == NO_CANDIDATE


def test_a_verdict_decides_by_its_name_and_unknown_names_are_refused():
    assert decide(0.2, verdict=("list_enumerated", True)).found
    kept = decide(0.9, verdict=("author_article", False), features={"dense": 0.3})
    assert not kept.found and kept.reason == "author_article" and kept.features == {"dense": 0.3}
    with pytest.raises(ValueError, match="VERDICTS"):
        decide(0.9, verdict=("because_i_say_so", True))
    with pytest.raises(ValueError, match="threshold or a verdict"):
        decide(0.9)
    assert set(VERDICTS) < set(REASONS)


def test_a_refused_answer_keeps_its_sources_but_shows_no_answer():
    source = Source(1, "a#1/p1", "a#1", "标题", "", "a.txt", 1, "正文。")
    refused = build_answer("问题?", decide(0.1, threshold=0.5), "文章中没有找到这个问题的答案。", sources=(source,),
                           quote="正文", short="正文", form="list", items=(Item(1, "正文"),))
    assert (refused.found, refused.form, refused.quote, refused.short, refused.items) == (False, "refusal", "", "", ())
    assert refused.sources == (source,) and refused.decision.reason == NOT_CONFIDENT
    shown = build_answer("问题?", decide(0.9, threshold=0.5), "“正文”[1]", quote="正文", short="正文", form="list")
    assert (shown.found, shown.form, shown.short, shown.confidence) == (True, "list", "正文", 0.9)
    data = shown.to_dict()
    assert data["decision"]["reason"] == CONFIDENT and data["decision"]["threshold"] == 0.5


# ---------------------------------------------------------------- the candidate spans' scorer


def test_the_hand_set_weights_are_used_until_a_fit_is_saved(tmp_path):
    assert scoring.load(tmp_path / "none.json") is scoring.HAND_SCORER
    fitted = scoring.SpanScorer({"margin": 2.0, "typed_number": 1.0}, "x.jsonl", {"note": 1})
    fitted.save(tmp_path / "scorer.json")
    loaded = scoring.load(tmp_path / "scorer.json")
    assert {k: loaded.weights[k] for k in fitted.weights} == fitted.weights
    assert (loaded.fitted_on, loaded.report) == (fitted.fitted_on, fitted.report)
    assert fitted.score({"margin": 1.5, "typed_number": 1.0, "unknown": 9.0}) == 4.0
    (tmp_path / "bad.json").write_text('{"weights": {"margin": "NaN"}}', encoding="utf-8")
    with pytest.raises(CalibrationError, match="--scorer"):
        scoring.load(tmp_path / "bad.json")


def _candidates(articles: int = 10, per_article: int = 10, seed: int = 0) -> list[CandidateLabels]:
    """Questions whose right span is always the typed one, while the margin favours a wrong span."""
    rng = random.Random(seed)
    out = []
    for article in range(articles):
        for _ in range(per_article):
            right = dict.fromkeys(scoring.SPAN_FEATURES, 0.0) | {"margin": rng.uniform(0, 2), "typed_other": 1.0}
            wrong = dict.fromkeys(scoring.SPAN_FEATURES, 0.0) | {"margin": rng.uniform(3, 5)}
            out.append(CandidateLabels((wrong, right), (False, True), "a%d" % article))
    return out


def test_a_fitted_scorer_learns_what_chooses_right_on_unseen_articles():
    labels = _candidates()
    result = cross_validate_scorer(labels, folds=5)
    assert result["questions"] == 100 and result["any_candidate_right"] == 100
    assert result["hand_chosen_right"] == 0  # the hand-set weights give a typed_other span nothing
    assert result["fitted_chosen_right"] == 100
    weights = scoring.fit([(x.features, x.right) for x in labels])
    assert weights["typed_other"] > 0 > weights["margin"]
    assert scoring.fit([(x.features, (True, True)) for x in labels]) == scoring.HAND_WEIGHTS  # nothing to learn


def test_a_flagged_span_is_ranked_not_dropped():
    # The checks flag a span that cannot answer; by the hand-set weights any flag ranks it below every
    # unflagged span (whose scores stay within ±60), yet it stays a candidate the scorer and decision see.
    plain = {"margin": -20.0, "prior": 0.2}
    for flag in scoring.VETO_FEATURES:
        flagged = {"margin": 15.0, "prior": 1.0, "typed_number": 1.0, "clause_fit": 1.0, flag: 1.0}
        assert scoring.HAND_SCORER.score(flagged) < scoring.HAND_SCORER.score(plain), flag
    assert set(scoring.VETO_FEATURES) <= set(scoring.SPAN_FEATURES)


def test_a_saved_scorer_missing_a_newer_feature_is_read_with_its_hand_weight(tmp_path):
    import json

    path = tmp_path / "scorer.json"
    path.write_text(json.dumps({"weights": {"margin": 1.0}, "fitted_on": "old"}), encoding="utf-8")
    scorer = scoring.load(path)
    assert scorer.score({"other_side": 1.0}) == scoring.HAND_WEIGHTS["other_side"]


def test_a_flagged_best_span_is_refused_under_the_checks_name():
    from qa.answer.decision import FLAGS

    decision = decide(0.99, threshold=0.2, flagged="role_conflict", features={"dense": 0.9})
    assert not decision.found and decision.reason == "role_conflict" and decision.reason in REASONS
    assert set(FLAGS) == set(scoring.VETO_FEATURES)
    with pytest.raises(ValueError, match="FLAGS"):
        decide(0.99, threshold=0.2, flagged="made_up")


def test_the_scorers_cross_validation_counts_exact_short_answers_apart():
    # Right quotes, but only the typed span's short answer is exact: the fit must be judged on both.
    labels = [CandidateLabels(x.features, x.right, x.group, exact=(False, True)) for x in _candidates()]
    report = cross_validate_scorer(labels)
    assert report["fitted_chosen_exact"] == report["fitted_chosen_right"] > report["hand_chosen_exact"]

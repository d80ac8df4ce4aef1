"""The answer/refuse decision's cross-validation folded by article (no model: synthetic drafts)."""

from __future__ import annotations

import random

from qa.evaluate.evaluation import DraftLabel, choose_keep, cross_validate


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


def test_keep_is_chosen_among_the_listed_shares():
    keep, table = choose_keep(drafts(articles=6, noise=3.0), folds=3)
    assert keep in (0.80, 0.85, 0.90, 0.95) and set(table) == {"0.8", "0.85", "0.9", "0.95"}

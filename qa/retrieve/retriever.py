"""Hybrid retrieval: dense and lexical (BM25) rankings, fused (:mod:`qa.retrieve.fusion`).

Both rankings come from the index's store (:mod:`qa.index.stores`: FAISS + bm25s in the index
folder, or Milvus), read to the fusion's depth. Only the candidates (the union of the two top
lists) are fused, so a question costs the same on a thousand passages or a million.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.core.background import Background
from qa.core.errors import IndexStaleError, QuestionError
from qa.core.query import clean_question, strip_markup
from qa.index.lexical import index_tokens
from qa.index.store import LoadedIndex, load_index
from qa.ingest.articles import Article
from qa.ingest.chunking import Chunk
from qa.retrieve.fusion import FusionParams, Ranking, fuse, lexical_ranking

log = logging.getLogger(__name__)

__all__ = ["FusionParams", "Hit", "HybridRanking", "Retriever"]


@dataclass(frozen=True)
class Hit:
    """One retrieved passage."""

    chunk_id: str
    text: str  # the paragraph as shown to users
    score: float  # fused score; higher is better
    title: str
    source: str
    byline: str
    article_id: str
    paragraph: int
    rank: int  # 1-based
    dense_score: float  # cosine similarity with the question
    lexical_score: float  # BM25 score (0 when no word matched)
    dense_rank: int  # 0 when outside the dense ranking's depth
    lexical_rank: int  # 0 when outside the BM25 ranking's depth or no match

    @classmethod
    def unranked(cls, chunk: Chunk) -> "Hit":
        """A hit for a passage retrieval did not bring up (an article's last paragraph holding its credit)."""
        return cls(chunk_id=chunk.chunk_id, text=chunk.text, score=0.0, title=chunk.title, source=chunk.source,
                   byline=chunk.byline, article_id=chunk.article_id, paragraph=chunk.paragraph, rank=99,
                   dense_score=0.0, lexical_score=0.0, dense_rank=0, lexical_rank=0)


@dataclass(frozen=True)
class HybridRanking:
    """The candidate passages of one question: their dense and BM25 rankings and their fusion.

    ``rows`` are the candidates' passage rows in ascending order (the union of the dense and BM25
    top lists, and any rows the caller asked about); the rankings and ``fused`` are aligned with
    them. Passages outside the candidates are not scored.
    """

    rows: np.ndarray  # candidate passage rows, ascending
    dense: Ranking
    lexical: Ranking
    fused: np.ndarray  # fused score per candidate

    def best(self, k: int, rows: list[int] | None = None) -> list[int]:
        """The ``k`` best passage rows by fused score, best first; only ``rows`` when given."""
        order = np.argsort(-self.fused, kind="stable")  # candidates ascend by row: ties go to the lower row
        if rows is not None:
            allowed = set(rows)
            order = [i for i in order if int(self.rows[i]) in allowed]
        return [int(self.rows[i]) for i in order[:k]]

    def position(self, row: int) -> int:
        """Where passage ``row`` is among the candidates (-1 when it is not one)."""
        at = int(np.searchsorted(self.rows, row))
        return at if at < len(self.rows) and self.rows[at] == row else -1


def _load_model_in_background(manifest: dict, settings) -> Background:
    """Start loading the model that embeds questions for the index of ``manifest`` (seconds on a cold start)."""
    from qa.models.embedder import load_embedder, query_backend_for

    model = manifest.get("model", {})
    model_id = model.get("id", "")
    # Questions go through the configured backend when its vectors may be mixed with the index's.
    backend = query_backend_for(model.get("backend", ""), settings.backend, model_id)
    return Background(lambda: load_embedder(model_id, settings.model_cache, backend=backend).load(), "model-load")


class Retriever:
    """Ranks the indexed passages for a question.

    >>> from qa import Retriever
    >>> hits = Retriever.load().search("滨湖文隽企业服务中心的建筑面积是多少?", k=3)
    """

    def __init__(self, index: LoadedIndex, embedder, fusion: FusionParams = FusionParams()):
        self._index = index
        self.embedder = embedder
        self.fusion = fusion
        self._rows_of: dict[str, list[int]] = {}
        for row, chunk in enumerate(index.chunks):
            self._rows_of.setdefault(chunk.article_id, []).append(row)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, embedder=None,
             fusion: FusionParams = FusionParams(), settings=None) -> "Retriever":
        """Load the index (default: the project's ``embeddings/``) and the model that built it."""
        from qa.core.settings import get_settings
        from qa.core.zh import use_cache_dir, warm_up
        from qa.index.manifest import read_manifest

        settings = settings or get_settings()
        folder = Path(index_dir) if index_dir else settings.require("index_dir").index_dir
        manifest = read_manifest(folder)
        loading = None if embedder is not None else _load_model_in_background(manifest, settings)
        use_cache_dir(settings.model_cache)
        warm_up()  # jieba's dictionary, also while the index is read
        index = load_index(folder)
        if loading is not None:
            embedder = loading.result()
        if embedder.dim != index.search.dim:
            raise IndexStaleError("the index was built with a %d-dimensional model but %s gives %d - run "
                                  "`qa build --force`" % (index.search.dim, embedder.info.name, embedder.dim))
        return cls(index, embedder, fusion)

    def with_fusion(self, fusion: FusionParams) -> "Retriever":
        """The same index and model, fused another way (for side-by-side comparisons)."""
        return Retriever(self._index, self.embedder, fusion)

    # ------------------------------------------------------------ what the index holds

    @property
    def index_dir(self) -> Path:
        return self._index.index_dir

    @property
    def build_id(self) -> str:
        """The id of the index build being searched (changes with every rebuild)."""
        return self._index.manifest.get("build_id", "")

    @property
    def chunks(self) -> list[Chunk]:
        """Every indexed passage, in index order."""
        return self._index.chunks

    @property
    def articles(self) -> dict[str, Article]:
        """The indexed articles by id."""
        return self._index.articles

    def chunk(self, chunk_id: str) -> Chunk:
        return self._index.chunk_by_id[chunk_id]

    def article_chunks(self, article_id: str) -> list[Chunk]:
        """The passages of one article, in order."""
        return [self._index.chunks[i] for i in self._rows_of.get(article_id, ())]

    # ------------------------------------------------------------ ranking

    def ranking(self, question: str, query_vector: np.ndarray | None = None, rows: list[int] | None = None,
                k: int = 0) -> HybridRanking:
        """The candidates for a cleaned ``question`` ranked: the dense and BM25 top lists (at least
        ``k`` deep), and ``rows`` when given (an article's passages, scored even when neither list holds them)."""
        search = self._index.search
        size = len(self._index.chunks)
        depth = min(self.fusion.depth, size)
        if query_vector is None:
            query_vector = self.embedder.encode_query(question)
        query_vector = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(-1)
        dense_rows, dense_scores = search.dense_top(query_vector, min(max(depth, k), size))
        words = index_tokens(question)
        lexical_rows, lexical_scores = search.lexical_top(words, depth)
        extra = np.asarray(rows if rows is not None else (), dtype=np.int64)
        candidates = np.unique(np.concatenate([dense_rows, lexical_rows, extra])).astype(np.int64)
        # Each side's score for the candidates the other side brought: exact cosines, BM25 (0: no word).
        cosines = self._fill(candidates, dense_rows, dense_scores, lambda r: search.cosines(query_vector, r))
        bm25 = self._fill(candidates, lexical_rows, lexical_scores, lambda r: search.bm25(words, r))
        dense = Ranking.from_order(cosines, np.searchsorted(candidates, dense_rows[:depth]))
        lexical = lexical_ranking(bm25, depth)
        return HybridRanking(candidates, dense, lexical, fuse(dense, lexical, self.fusion))

    @staticmethod
    def _fill(candidates: np.ndarray, known_rows: np.ndarray, known: np.ndarray, score) -> np.ndarray:
        """Scores aligned with ``candidates``: ``known`` where given, ``score(rows)`` for the others."""
        out = np.zeros(len(candidates), dtype=np.float32)
        at = np.searchsorted(candidates, known_rows)
        out[at] = known
        missing = np.ones(len(candidates), dtype=bool)
        missing[at] = False
        if missing.any():
            out[missing] = score(candidates[missing])
        return out

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The ``k`` best passages for ``question``, best first."""
        if k < 1:
            raise QuestionError("k must be at least 1")
        return self.retrieve(strip_markup(clean_question(question)), k)

    def retrieve(self, question: str, k: int, article_id: str = "") -> list[Hit]:
        """The ``k`` best passages for an already cleaned ``question``; only ``article_id``'s when
        that article has passages."""
        rows = self._rows_of.get(article_id) if article_id else None
        ranking = self.ranking(question, rows=rows, k=k)
        return self.hits(ranking, ranking.best(k, rows))

    def hits(self, ranking: HybridRanking, rows: list[int]) -> list[Hit]:
        """``rows`` of ``ranking`` as hits, ranked in the order given."""
        out = []
        for rank, row in enumerate(rows, 1):
            c = self._index.chunks[row]
            at = ranking.position(row)
            if at < 0:  # not a candidate of this question
                out.append(replace(Hit.unranked(c), rank=rank))
                continue
            out.append(Hit(
                chunk_id=c.chunk_id, text=c.text, score=float(ranking.fused[at]), title=c.title, source=c.source,
                byline=c.byline, article_id=c.article_id, paragraph=c.paragraph, rank=rank,
                dense_score=float(ranking.dense.scores[at]), lexical_score=float(ranking.lexical.scores[at]),
                dense_rank=int(ranking.dense.ranks[at]), lexical_rank=int(ranking.lexical.ranks[at]),
            ))
        return out

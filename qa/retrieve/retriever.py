"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings, fused (:mod:`qa.retrieve.fusion`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.core.background import Background
from qa.core.errors import IndexStaleError, QuestionError
from qa.core.query import clean_question, strip_markup
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
    """Every passage ranked for one question: the dense and BM25 rankings and their fusion."""

    dense: Ranking
    lexical: Ranking
    fused: np.ndarray  # fused score per passage row

    def best(self, k: int, rows: list[int] | None = None) -> list[int]:
        """The ``k`` best rows by fused score, best first; only ``rows`` when given."""
        order = np.argsort(-self.fused, kind="stable")
        if rows is not None:
            allowed = set(rows)
            order = [i for i in order if i in allowed]
        return [int(i) for i in order[:k]]


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
        if embedder.dim != index.vectors.d:
            raise IndexStaleError("the index was built with a %d-dimensional model but %s gives %d - run "
                                  "`qa build --force`" % (index.vectors.d, embedder.info.name, embedder.dim))
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

    def ranking(self, question: str, query_vector: np.ndarray | None = None) -> HybridRanking:
        """Every passage ranked for a cleaned ``question``."""
        index = self._index
        depth = min(self.fusion.depth, len(index.chunks))
        if query_vector is None:
            query_vector = self.embedder.encode_query(question)
        query_vector = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(1, -1)
        _, top_rows = index.vectors.search(query_vector, depth)
        # Exact cosines for every chunk: cheap next to the query embedding, and
        # needed for chunks that only the BM25 ranking brought up.
        dense = Ranking.from_order(index.vector_array @ query_vector[0], top_rows[0][top_rows[0] >= 0])
        lexical = lexical_ranking(index.lexical.scores(question), depth)
        return HybridRanking(dense, lexical, fuse(dense, lexical, self.fusion))

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The ``k`` best passages for ``question``, best first."""
        if k < 1:
            raise QuestionError("k must be at least 1")
        return self.retrieve(strip_markup(clean_question(question)), k)

    def retrieve(self, question: str, k: int, article_id: str = "") -> list[Hit]:
        """The ``k`` best passages for an already cleaned ``question``; only ``article_id``'s when
        that article has passages."""
        ranking = self.ranking(question)
        rows = self._rows_of.get(article_id) if article_id else None
        return self.hits(ranking, ranking.best(k, rows))

    def hits(self, ranking: HybridRanking, rows: list[int]) -> list[Hit]:
        """``rows`` of ``ranking`` as hits, ranked in the order given."""
        out = []
        for rank, row in enumerate(rows, 1):
            c = self._index.chunks[row]
            out.append(Hit(
                chunk_id=c.chunk_id, text=c.text, score=float(ranking.fused[row]), title=c.title, source=c.source,
                byline=c.byline, article_id=c.article_id, paragraph=c.paragraph, rank=rank,
                dense_score=float(ranking.dense.scores[row]), lexical_score=float(ranking.lexical.scores[row]),
                dense_rank=int(ranking.dense.ranks[row]), lexical_rank=int(ranking.lexical.ranks[row]),
            ))
        return out

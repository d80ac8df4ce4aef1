"""Loading the index folder: read every file the manifest names, verify it, and hold it in memory.

Layout (flat, self-describing)::

    embeddings/
      manifest.json                  written last; names every other file (qa/index/manifest.py)
      vectors-<build>.faiss          FAISS index over L2-normalised vectors (type chosen by size)
      chunks-<build>.jsonl           one chunk per line, row-aligned with the vectors
      articles-<build>.jsonl         the parsed articles (for whole-article views)
      bm25-<build>.*                 the BM25 index (bm25s arrays + vocabulary)
      tokens-<build>.npz             each chunk's BM25 words (read by the next build)

Builds are written by :mod:`qa.index.build`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.core.errors import IndexCorruptError
from qa.core.hashing import sha256_file
from qa.index.lexical import LexicalIndex
from qa.index.manifest import read_manifest, show_path
from qa.index.stores import MILVUS, PassageSearch, StoreSpec
from qa.ingest.articles import Article, Paragraph
from qa.ingest.chunking import Chunk

log = logging.getLogger(__name__)


@dataclass
class LoadedIndex:
    """An index read from disk and verified against its manifest.

    ``search`` answers the retriever's questions whatever the store (:mod:`qa.index.stores`):
    :class:`LocalSearch` over ``vectors`` (FAISS) and ``lexical`` (bm25s) for an index whose
    vectors are in its folder, or a Milvus collection (:mod:`qa.index.milvus`; ``vectors`` and
    ``lexical`` are then None).
    """

    index_dir: Path
    manifest: dict
    chunks: list[Chunk]
    articles: dict[str, Article]
    vectors: "object"  # faiss.Index, None when the vectors are in Milvus
    lexical: LexicalIndex | None
    # A flat index's own storage as an (n, dim) array (no copy); None for other index types,
    # whose vectors are read row by row (a reconstructed copy cost 1.5 GB at 1M vectors).
    vector_array: np.ndarray = field(repr=False, default=None)
    search: PassageSearch = field(repr=False, default=None)

    def __post_init__(self):
        self.chunk_by_id = {c.chunk_id: c for c in self.chunks}
        if self.search is None:
            self.search = LocalSearch(self.vectors, self.lexical, self.vector_array)

    @property
    def model_id(self) -> str:
        return self.manifest["model"]["id"]

    @property
    def store(self) -> StoreSpec:
        return StoreSpec.from_manifest(self.manifest)


class LocalSearch:
    """:class:`~qa.index.stores.PassageSearch` over the index folder's FAISS index and bm25s arrays."""

    def __init__(self, vectors, lexical: LexicalIndex, flat: np.ndarray | None = None):
        self._vectors, self._lexical, self._flat = vectors, lexical, flat
        self.dim, self.size = int(vectors.d), int(vectors.ntotal)
        self._last: tuple = ((), None)  # the last question's BM25 scores: both sides read them once

    def vectors_of(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if self._flat is not None:
            return self._flat[rows]
        if not len(rows):
            return np.zeros((0, self.dim), np.float32)
        return self._vectors.reconstruct_batch(rows)

    def dense_top(self, query: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        _, top = self._vectors.search(query, depth)
        rows = top[0][top[0] >= 0]
        return rows, self.cosines(query[0], rows)

    def cosines(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return self.vectors_of(rows) @ np.asarray(query, dtype=np.float32).reshape(-1)

    def _scores(self, words: list[str]) -> np.ndarray:
        # bm25s scores every document in one pass over the words' postings (1.7 ms at 1M documents):
        # the one per-question array as long as the collection left on this path.
        key, scores = self._last
        if key != tuple(words) or scores is None:
            scores = self._lexical.word_scores(words)
            self._last = (tuple(words), scores)
        return scores

    def lexical_top(self, words: list[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self._scores(words)
        matched = np.flatnonzero(scores > 0)
        order = matched[np.argsort(-scores[matched], kind="stable")][:depth]
        return order, scores[order]

    def bm25(self, words: list[str], rows: np.ndarray) -> np.ndarray:
        return self._scores(words)[np.asarray(rows, dtype=np.int64)]


def _article_from_dict(data: dict) -> Article:
    data = dict(data)
    data["paragraphs"] = tuple(Paragraph(**p) for p in data["paragraphs"])
    data["reporters"] = tuple(data.get("reporters", ()))
    return Article(**data)


def load_index(index_dir: Path, verify: bool = True) -> LoadedIndex:
    """Read and verify the index in ``index_dir``.

    Raises :class:`IndexMissingError` or :class:`IndexCorruptError` with the fix.
    """
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    for _ in range(3):
        try:
            return _load(index_dir, manifest, verify)
        except IndexCorruptError:
            # A build running now may have swapped the manifest and deleted the
            # files this one names while they were being read: that is no
            # damage, so read the new build instead of failing.
            newer = read_manifest(index_dir)
            if newer.get("build_id") == manifest.get("build_id"):
                raise
            manifest = newer
    return _load(index_dir, manifest, verify)


def _load(index_dir: Path, manifest: dict, verify: bool) -> LoadedIndex:
    fix = "run `qa build --force`"
    try:
        files = manifest["files"]
        counts = manifest["counts"]
        dim = int(manifest["model"]["dim"])
    except (KeyError, TypeError, ValueError):
        raise IndexCorruptError("the index manifest in %s is incomplete - %s" % (show_path(index_dir), fix))
    _verify_files(index_dir, files, verify, fix)
    try:
        chunks = [Chunk.from_dict(json.loads(line)) for line in
                  (index_dir / files["chunks"]["name"]).read_text(encoding="utf-8").splitlines()]
        articles = [_article_from_dict(json.loads(line)) for line in
                    (index_dir / files["articles"]["name"]).read_text(encoding="utf-8").splitlines()]
    except (OSError, KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
        raise IndexCorruptError("the index in %s cannot be read (%s) - %s" % (show_path(index_dir), exc, fix))
    store = StoreSpec.from_manifest(manifest)
    if store.kind == MILVUS:
        from qa.index.milvus import open_search

        search = open_search(store, chunks, dim, manifest)
        if len(chunks) != counts["chunks"]:
            raise IndexCorruptError("the index in %s is inconsistent (%d chunks, the manifest says %d) - %s"
                                    % (show_path(index_dir), len(chunks), counts["chunks"], fix))
        return LoadedIndex(index_dir, manifest, chunks, {a.article_id: a for a in articles}, None, None,
                           search=search)
    return _load_local(index_dir, manifest, chunks, articles, fix)


def _verify_files(index_dir: Path, files: dict, verify: bool, fix: str) -> None:
    for key, info in files.items():
        path = index_dir / info["name"]
        if not path.is_file():
            raise IndexCorruptError("index file %s is missing - %s" % (show_path(path), fix))
        try:
            damaged = path.stat().st_size != info["bytes"] or (verify and sha256_file(path) != info["sha256"])
        except OSError as exc:  # deleted or unreadable since the check above
            raise IndexCorruptError("index file %s cannot be read (%s) - %s" % (show_path(path), exc.strerror, fix))
        if damaged:
            raise IndexCorruptError("index file %s is damaged (size or checksum differs from the manifest) - %s"
                                    % (show_path(path), fix))


def _load_local(index_dir: Path, manifest: dict, chunks: list[Chunk], articles: list[Article], fix: str) -> LoadedIndex:
    import faiss

    files, counts, dim = manifest["files"], manifest["counts"], int(manifest["model"]["dim"])
    try:
        raw = np.frombuffer((index_dir / files["vectors"]["name"]).read_bytes(), dtype=np.uint8)
        vectors = faiss.deserialize_index(raw)
        from qa.index.vectors import VectorIndexSpec, configure

        configure(vectors, VectorIndexSpec.from_dict(manifest.get("vector_index")))
        bm25_prefix = files["bm25:params.json"]["name"].rsplit("params.json", 1)[0]
        lexical = LexicalIndex.load(index_dir, bm25_prefix, len(chunks))
    except (OSError, KeyError, TypeError, ValueError, RuntimeError, json.JSONDecodeError) as exc:
        raise IndexCorruptError("the index in %s cannot be read (%s) - %s" % (show_path(index_dir), exc, fix))
    if not (len(chunks) == vectors.ntotal == counts["chunks"]) or vectors.d != dim:
        raise IndexCorruptError("the index in %s is inconsistent (%d chunks, %d vectors) - %s"
                                % (show_path(index_dir), len(chunks), vectors.ntotal, fix))
    return LoadedIndex(index_dir, manifest, chunks, {a.article_id: a for a in articles}, vectors, lexical,
                       _vector_view(vectors, dim))


def _vector_view(vectors, dim: int) -> np.ndarray | None:
    """The index's vectors as an (n, dim) array without a second copy of them.

    A flat FAISS index stores the vectors itself; the array is a view of that
    storage (``reconstruct_n`` kept every vector twice). Other index types
    have no such storage: None, and their rows are read one by one when needed
    (:meth:`LocalSearch.vectors_of`).
    """
    import faiss

    if not vectors.ntotal:
        return np.zeros((0, dim), np.float32)
    if isinstance(vectors, faiss.IndexFlat):
        return np.asarray(_FlatStorage(vectors, dim))
    return None


class _FlatStorage:
    """A flat FAISS index's own vector storage as a read-only array interface.

    The array made from it keeps this object, and so the index, alive: a
    bare pointer view would dangle once the index was freed.
    """

    def __init__(self, index, dim: int):
        import faiss

        self._index = index
        address = faiss.rev_swig_ptr(index.get_xb(), 1).ctypes.data
        self.__array_interface__ = dict(shape=(index.ntotal, dim), typestr="<f4", data=(address, True), version=3)

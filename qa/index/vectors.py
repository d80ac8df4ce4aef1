"""Which FAISS index holds the passage vectors, chosen by their number.

Exact search (``IndexFlatIP``) costs time in proportion to the collection; past
:data:`FLAT_MAX` vectors an approximate index keeps a query fast. The choice and
its parameters are recorded in the manifest (``vector_index``), so a loaded
index is searched the way it was built. Thresholds and parameters come from
``benchmarks/vector_index.py`` (RESULTS.md, "Archive scale (issue 14)"): the
approximate index must keep recall@10 >= 0.98 of exact search.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass

import numpy as np

from qa.core.errors import IndexCorruptError

log = logging.getLogger(__name__)

# Exact search of one query costs ~1.4 us per vector on this 2-core machine under load
# (100k: p50 137 ms against 19 ms for one query embedding, RESULTS.md), so past ~50k
# vectors it would cost over ~3x the embedding; above that, IVF.
FLAT_MAX = 50_000
KINDS = ("flat", "hnsw", "ivf")


@dataclass(frozen=True)
class VectorIndexSpec:
    """A FAISS index type and its parameters (inner product over L2-normalised vectors)."""

    kind: str = "flat"
    hnsw_m: int = 32  # hnsw: links per node
    ef_construction: int = 80
    ef_search: int = 128
    nlist: int = 0  # ivf: number of cells
    nprobe: int = 0  # ivf: cells visited per query

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> "VectorIndexSpec":
        """The spec recorded in a manifest; an index written before the choice existed is flat."""
        if not data:
            return cls()
        try:
            spec = cls(**data)
        except TypeError as exc:
            raise IndexCorruptError("the manifest's vector_index entry is not understood (%s) - "
                                    "run `qa build --force`" % exc) from None
        if spec.kind not in KINDS:
            raise IndexCorruptError("unknown vector index type %r in the manifest - run `qa build --force`" % spec.kind)
        return spec


def choose_index(count: int) -> VectorIndexSpec:
    """The index type for ``count`` vectors: exact up to :data:`FLAT_MAX`, IVF above.

    IVF uses about 4 * sqrt(count) cells and visits enough of them for
    recall@10 >= 0.98 (nprobe grows with nlist, as measured at 1M).
    """
    if count <= FLAT_MAX:
        return VectorIndexSpec("flat")
    nlist = int(4 * math.sqrt(count))
    return VectorIndexSpec("ivf", nlist=nlist, nprobe=max(16, nlist // 32))


def build_vector_index(vectors: np.ndarray, spec: VectorIndexSpec, seed: int = 1234):
    """A FAISS index of ``spec``'s type holding ``vectors`` (rows in order, ids 0..n-1)."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if spec.kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif spec.kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, spec.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec.ef_construction
    else:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, spec.nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = seed  # the same vectors give the same index
        # 64 training points per cell is FAISS's own guideline; more only costs time.
        sample = vectors if len(vectors) <= 64 * spec.nlist else vectors[
            np.random.default_rng(seed).choice(len(vectors), 64 * spec.nlist, replace=False)]
        index.train(sample)
        index.make_direct_map()  # rows can be read back (the retriever needs every cosine)
    index.add(vectors)
    configure(index, spec)
    return index


def configure(index, spec: VectorIndexSpec) -> None:
    """Set the search-time parameters of ``spec`` on a built or loaded ``index``."""
    import faiss

    if spec.kind == "hnsw":
        faiss.downcast_index(index).hnsw.efSearch = spec.ef_search
    elif spec.kind == "ivf":
        faiss.extract_index_ivf(index).nprobe = spec.nprobe

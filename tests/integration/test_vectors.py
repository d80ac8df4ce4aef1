"""The vector index type is chosen by size, recorded in the manifest, and ranks like exact search (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_robust import FakeEmbedder

from qa.index.build import build_index
from qa.index.manifest import read_manifest
from qa.index.store import load_index
from qa.index.vectors import FLAT_MAX, VectorIndexSpec, build_vector_index, choose_index


def _clustered(n: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(8, n // 50), dim))
    x = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_the_index_type_follows_the_collection_size():
    assert choose_index(10).kind == choose_index(FLAT_MAX).kind == "flat"
    big = choose_index(FLAT_MAX + 1)
    assert big.kind == "ivf" and big.nlist >= 100 and 1 <= big.nprobe < big.nlist
    million = choose_index(1_000_000)
    assert million.kind == "ivf" and million.nlist == 4000 and million.nprobe >= 16
    assert VectorIndexSpec.from_dict(million.to_dict()) == million
    assert VectorIndexSpec.from_dict(None) == VectorIndexSpec("flat")  # indexes written before the choice


def test_a_small_build_records_flat_in_its_manifest(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n第一段内容。\n\n第二段内容。\n", encoding="utf-8")
    build_index(seeds, tmp_path / "index", FakeEmbedder())
    assert read_manifest(tmp_path / "index")["vector_index"]["kind"] == "flat"
    assert load_index(tmp_path / "index").vectors.ntotal == 2


@pytest.mark.parametrize("spec", [VectorIndexSpec("hnsw"), VectorIndexSpec("ivf", nlist=40, nprobe=8)])
def test_approximate_indexes_give_the_same_top_1_as_exact_search(spec):
    vectors = _clustered(4000)
    queries = vectors[::97] + 0.05 * np.random.default_rng(1).normal(size=(len(vectors[::97]), 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = build_vector_index(vectors, VectorIndexSpec("flat"))
    chosen = build_vector_index(vectors, spec)
    _, want = exact.search(queries, 1)
    _, got = chosen.search(queries, 1)
    assert np.array_equal(want[:, 0], got[:, 0])
    # Rows read back in order: the retriever's exact cosines need them.
    assert np.allclose(chosen.reconstruct_n(0, 5), vectors[:5])


def test_ivf_is_deterministic_for_the_same_vectors():
    import faiss

    vectors = _clustered(3000, seed=3)
    spec = VectorIndexSpec("ivf", nlist=30, nprobe=6)
    a = faiss.serialize_index(build_vector_index(vectors, spec))
    b = faiss.serialize_index(build_vector_index(vectors, spec))
    assert np.array_equal(a, b)

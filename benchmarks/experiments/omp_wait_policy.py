"""One-off experiment (not run in CI): OpenMP's wait policy, default vs PASSIVE, side by side.

    .venv/bin/python benchmarks/experiments/omp_wait_policy.py PAIRS

OMP_WAIT_POLICY must be set before torch loads, so each side is a fresh child
process; the two alternate, pair by pair. Each child encodes the same 48 chunk
texts (batch 16) and the 18 dev questions one by one, and prints chunks/s and
the query p50.
"""
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child():
    sys.path.insert(0, str(HERE.parent))
    import random

    import corpus

    from qa.core.settings import get_settings
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles
    from qa.models.embedder import load_embedder

    folder, _ = corpus.seed_folder(60)
    texts = random.Random(3).sample([c.indexed_text for c in chunk_articles(load_seeds(folder)[1])], 48)
    questions = corpus.dev_questions()
    model = load_embedder("default", get_settings().model_cache, "torch-fp32").model
    model.encode(questions[:2], prompt="query: ")
    start = time.perf_counter()
    model.encode(texts, prompt="passage: ", batch_size=16)
    cps = len(texts) / (time.perf_counter() - start)
    times = []
    for q in questions:
        start = time.perf_counter()
        model.encode([q], prompt="query: ")
        times.append(time.perf_counter() - start)
    print(json.dumps(dict(cps=cps, q50=statistics.median(times) * 1000, load=os.getloadavg()[0])))


def main(pairs: int):
    res = {"default": [], "PASSIVE": []}
    for r in range(pairs):
        for name in (("default", "PASSIVE") if r % 2 == 0 else ("PASSIVE", "default")):
            env = dict(os.environ)
            env.pop("OMP_WAIT_POLICY", None)
            if name == "PASSIVE":
                env["OMP_WAIT_POLICY"] = "PASSIVE"
            out = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True,
                                 check=True)
            res[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
        d, p = res["default"][-1], res["PASSIVE"][-1]
        print("pair %d: default %.2f chunks/s, query p50 %.0f ms | PASSIVE %.2f chunks/s, query p50 %.0f ms | load %.1f"
              % (r + 1, d["cps"], d["q50"], p["cps"], p["q50"], p["load"]), flush=True)
    print("median over pairs: throughput PASSIVE/default %.2fx, query p50 default/PASSIVE %.2fx" % (
        statistics.median(p["cps"] / d["cps"] for d, p in zip(res["default"], res["PASSIVE"])),
        statistics.median(d["q50"] / p["q50"] for d, p in zip(res["default"], res["PASSIVE"]))))


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)

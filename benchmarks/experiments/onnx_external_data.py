"""One-off experiment (not run in CI): ONNX Runtime session start-up with the weights inside the graph file vs in an
external data file beside it (issue 14, quick start).

    .venv/bin/python benchmarks/experiments/onnx_external_data.py --rounds 3

Takes the exported int8 embedder graph, writes a copy whose weights live in one
external ``.data`` file (what ``qa.models.onnx_backend.externalise_weights`` does at
export), then creates an ``InferenceSession`` from each, rounds alternating, and
checks both give the same vector for a sample text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def _session(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    start = time.perf_counter()
    session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    return time.perf_counter() - start, session


def main(argv=None) -> int:
    import numpy as np
    import onnx

    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir
    from qa.models.onnx_backend import _batch, load_tokenizer, onnx_model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    folder = onnx_model_dir(converted_model_dir(get_settings().model_cache))
    with tempfile.TemporaryDirectory() as work:
        inline = Path(work) / "inline.onnx"
        onnx.save_model(onnx.load(str(folder / "model-int8.onnx")), str(inline))  # weights back inside the file
        external = folder / "model-int8.onnx"
        ids, mask = _batch(load_tokenizer(folder), ["passage: 滨湖文隽企业服务中心占地约5000平方米。"])
        times: dict[str, list[float]] = {"inline": [], "external": []}
        vectors = {}
        for r in range(args.rounds):
            for name in (["inline", "external"] if r % 2 == 0 else ["external", "inline"]):
                seconds, session = _session(inline if name == "inline" else external)
                times[name].append(seconds)
                vectors[name] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        for name, values in times.items():
            print("%-9s session start-up %.3f s median (%s)" % (name, statistics.median(values),
                                                                  ", ".join("%.3f" % v for v in values)))
        print("max vector difference: %.2g" % float(np.abs(vectors["inline"] - vectors["external"]).max()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

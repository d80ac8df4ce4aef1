"""One-off experiment (not run in CI): readers averaged weight by weight ("model soups", Wortsman et al. 2022).

    git show 1015785:qa/reader/weights/reader.safetensors > OLD/reader.safetensors
    git show 1015785:qa/reader/weights/reader.json > OLD/reader.json
    .venv/bin/python benchmarks/experiments/reader_soup.py --other OLD --alpha 0.3 0.5 0.7 --out DIR

For each ``alpha`` writes ``DIR/soup-<alpha>/`` (``alpha`` × the committed weights + (1 − ``alpha``) × the
other weights, averaged in fp32 and saved in fp16, with a ``reader.json`` carrying the new SHA-256) and
prints its held-out DRCD EM / F1 with the gold passage. Both weight files must be of the same run family
(the same layers and head). To judge a soup on news, copy its two files into a working copy's
``qa/reader/weights/`` and refit the decision there (``qa tune``). Results: benchmarks/RESULTS.md,
"2026-12-07 (fourth session)".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from qa import get_settings  # noqa: E402
from qa.reader.loading import load_reader  # noqa: E402
from qa.reader.training import evaluate_gold, split_drcd  # noqa: E402

SHIPPED = ROOT / "qa" / "reader" / "weights"


def soup(other: Path, alpha: float, out: Path) -> Path:
    """Write ``alpha`` × the shipped weights + (1 − ``alpha``) × ``other``'s into ``out``."""
    import torch
    from safetensors.torch import load_file, save_file

    mine, theirs = load_file(str(SHIPPED / "reader.safetensors")), load_file(str(other / "reader.safetensors"))
    if mine.keys() != theirs.keys():
        raise SystemExit("the two weight files hold different tensors: not one run family")
    mixed = {k: (alpha * mine[k].float() + (1 - alpha) * theirs[k].float()).to(torch.float16).contiguous()
             for k in mine}
    out.mkdir(parents=True, exist_ok=True)
    save_file(mixed, str(out / "reader.safetensors"))
    meta = json.loads((SHIPPED / "reader.json").read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256((out / "reader.safetensors").read_bytes()).hexdigest()
    meta["soup"] = dict(other=str(other), alpha=alpha)
    (out / "reader.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--other", type=Path, required=True, help="folder with the other reader.safetensors/.json")
    parser.add_argument("--alpha", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    _, heldout = split_drcd()
    cache = get_settings().model_cache
    for alpha in args.alpha:
        folder = soup(args.other, alpha, args.out / ("soup-%.2f" % alpha))
        score = evaluate_gold(load_reader(cache, folder, backend="onnx-fp32"), heldout)
        print("alpha %.2f  %s  DRCD EM %.1f F1 %.1f" % (alpha, folder, score["em"], score["f1"]), flush=True)


if __name__ == "__main__":
    main()

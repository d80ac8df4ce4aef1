"""ONNX Runtime copies of the reader (base encoder + fine-tuned layers + span head).

Exported once with torch (set-up time, or on first use) into the model cache,
in a folder named after the reader weights' SHA-256, so new weights get a new
export::

    reader-onnx-v2-<sha12>/
      reader.onnx        float32: input_ids, attention_mask -> logits [batch, tokens, 2]
      reader-int8.onnx   MatMul weights int8 per output channel
      *.onnx.data        each graph's weights, memory-mapped at load (``externalise_weights``)
      checksums.json     written last: SHA-256 of every file and the export check

The float32 graph must reproduce the torch reader's logits (max |difference|
below ``EXPORT_MAX_DIFF`` on a padded batch) or the export fails. At run time
only onnxruntime and numpy are needed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from qa.core.errors import ModelError
from qa.core.hashing import sha256_file, sha256_unless_unchanged
from qa.models.model_cache import reader_onnx_dir
from qa.models.onnx_backend import (
    externalise_weights,
    onnx_session,
    publish_folder,
    quantise,
)
from qa.reader.model import build_model, weights_path

log = logging.getLogger(__name__)

VARIANTS = {"onnx-fp32": "reader.onnx", "onnx-int8": "reader-int8.onnx"}
CHECKSUMS = "checksums.json"
EXPORT_MAX_DIFF = 0.05


def _check(folder: Path) -> None:
    meta = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
    for name, want in meta["files"].items():
        if sha256_unless_unchanged(folder / name) != want:
            raise ModelError("the reader's ONNX copy %s is damaged - delete that folder (it is re-exported)"
                             % (folder / name))


def ensure_reader_onnx(base_dir: Path, weights_dir: Path | None, cache_dir: Path, meta: dict) -> Path:
    """The ONNX folder for the reader ``meta`` describes, exporting it on first use."""
    target = reader_onnx_dir(cache_dir, meta["sha256"])
    if (target / CHECKSUMS).is_file():
        _check(target)
        return target
    log.info("exporting the reader to ONNX into %s (once)", target)
    publish_folder(target, lambda work: _export(base_dir, weights_dir, meta, work), CHECKSUMS)
    _check(target)
    return target


def _export(base_dir: Path, weights_dir: Path | None, meta: dict, work: Path) -> None:
    import torch
    from safetensors.torch import load_file

    model, head = build_model(base_dir, load_file(str(weights_path(weights_dir))), meta, eager=True)
    model.eval()

    class Logits(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert, self.head = model, head

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            return self.head(hidden)

    module = Logits().eval()
    ids = torch.randint(5, 20000, (3, 40))
    mask = torch.ones_like(ids)
    mask[1, 25:] = 0  # padded rows must come out right too
    mask[2, 10:] = 0
    fp32 = work / VARIANTS["onnx-fp32"]
    with torch.no_grad():
        torch.onnx.export(module, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch", 1: "tokens"}})
        reference = module(ids, mask).numpy()
    got = onnx_session(fp32).run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
    valid = mask.numpy().astype(bool)
    diff = float(np.abs(got - reference)[valid].max())
    if diff > EXPORT_MAX_DIFF:
        raise ModelError("the reader's ONNX export does not reproduce it (max logit difference %.4f) - set "
                         "QA_READER_BACKEND=torch-fp32 and report this" % diff)
    quantise(fp32, work / VARIANTS["onnx-int8"])
    names = []
    for name in VARIANTS.values():
        names += [name, externalise_weights(work / name).name]
    files = {name: sha256_file(work / name) for name in names}
    (work / CHECKSUMS).write_text(json.dumps(dict(weights=meta["sha256"], export_max_diff=diff, files=files),
                                             indent=1), encoding="utf-8")


class OnnxLogits:
    """Start/end logits from an ONNX Runtime session (thread-safe: sessions allow concurrent runs)."""

    def __init__(self, path: Path):
        self._session = onnx_session(path)

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

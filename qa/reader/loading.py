"""Loading the reader: its verified weights over the converted base model, on the engine chosen."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from qa.core.errors import ModelError
from qa.models.convert import ensure_default_model
from qa.models.subwords import load_tokenizer
from qa.reader.model import (
    Reader,
    TorchLogits,
    build_model,
    verify_weights,
    weights_path,
)
from qa.reader.onnx import VARIANTS, OnnxLogits, ensure_reader_onnx

log = logging.getLogger(__name__)

READER_BACKENDS = ("torch-fp32", "torch-bf16", "onnx-fp32", "onnx-int8")
DEFAULT_READER_BACKEND = "onnx-fp32"  # chosen by measurement: docs/reader.md


@lru_cache(maxsize=4)
def load_reader(cache_dir: Path, weights_dir: Path | None = None, backend: str = "auto") -> Reader:
    """Load (once per process) the reader over the converted default model."""
    backend = DEFAULT_READER_BACKEND if backend in ("", "auto") else backend
    if backend not in READER_BACKENDS:
        raise ModelError("unknown reader backend %r - use auto or one of %s" % (backend, ", ".join(READER_BACKENDS)))
    meta = verify_weights(weights_dir)
    base = ensure_default_model(cache_dir)
    if backend.startswith("onnx"):
        engine = OnnxLogits(ensure_reader_onnx(base, weights_dir, cache_dir, meta) / VARIANTS[backend])
    else:
        from safetensors.torch import load_file  # torch only for the torch backends

        model, head = build_model(base, load_file(str(weights_path(weights_dir))), meta)
        model.eval()
        head.eval()
        engine = TorchLogits(model, head, bf16=backend == "torch-bf16")
    log.info("reader loaded (%s, %s)", meta.get("name", "reader"), backend)
    return Reader(engine, load_tokenizer(base), meta, backend=backend)

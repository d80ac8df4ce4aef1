"""Shared helpers of the robustness tests (issue 6): a fast fake embedder,
messy seed folders, and running the real ``qa`` command."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np

from qa.embedder import ModelInfo

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
SEED_FILE = SEEDS / "000_b3f8d82462db3b47.txt"
QA = PROJECT / ".venv" / "bin" / "qa"
if not QA.exists():  # an installed qa next to this interpreter
    QA = Path(sys.executable).with_name("qa")


def non_space(text: str) -> str:
    """The characters of ``text`` that are not whitespace (``str.isspace``), in order."""
    return "".join(ch for ch in text if not ch.isspace())


# ------------------------------------------------------------------ fake embedder


class FakeEmbedder:
    """Deterministic character-bigram hashing vectors: fast, no torch.

    Same interface as :class:`qa.embedder.Embedder`; similar texts get similar
    vectors, which is enough for tests of robustness (quality is tested with
    the real model elsewhere).
    """

    def __init__(self, dim: int = 32, model_id: str = "fake-hash-32", delay: float = 0.0):
        self.info = ModelInfo(model_id, "fake hashing embedder", dim, "", "")
        self.delay = delay
        self.passages_encoded = 0

    @property
    def dim(self) -> int:
        return self.info.dim

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:] + " "):
            v[zlib.crc32((a + b).encode("utf-8", "surrogatepass")) % self.dim] += 1.0
        v[0] += 1e-3  # never all zeros
        return v / np.linalg.norm(v)

    def encode_passages(self, texts, batch_size: int = 16, progress: bool = False) -> np.ndarray:
        if self.delay:
            import time

            time.sleep(self.delay)
        self.passages_encoded += len(texts)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_queries(self, texts, batch_size: int = 16) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]


# ------------------------------------------------------------------ the qa command


def qa_env(**extra) -> dict:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               TOKENIZERS_PARALLELISM="false", PYTHONIOENCODING="utf-8", OMP_NUM_THREADS="1")
    env.update(extra)
    return env


def run_qa(*args, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    """Run the installed ``qa`` command; stdout and stderr as text."""
    return subprocess.run([str(QA), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=qa_env(**env), cwd=PROJECT, encoding="utf-8", errors="replace")


def assert_clean_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    """Non-zero exit, an ``error:`` message naming ``needles``, and no traceback."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "error:" in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


# ------------------------------------------------------------------ seed folders


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article(title: str, body: str, reporter: str = "朱梦琪") -> str:
    return "%s\n\n本报讯 (记者 %s) %s\n" % (title, reporter, body)

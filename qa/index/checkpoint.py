"""Embedded batches of a build kept on disk, so a killed build resumes where it stopped.

A build embeds its new chunks in a fixed order and fixed batches; each batch's
vectors are written (atomically) to ``<index>/.embedding-<key>/`` as soon as
they exist. ``key`` digests the model, the backend, the batch size and the
ordered texts, so a resumed build uses a batch only when it would have embedded
exactly the same texts in exactly the same batch: the resumed index is identical
to an uninterrupted one. The folder is deleted once the build is written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PREFIX = ".embedding-"


class EmbedCheckpoint:
    """The saved batches of one build (call under the index's build lock)."""

    def __init__(self, index_dir: Path, model: dict, texts: list[str], batch_size: int, dim: int):
        digest = hashlib.sha256(json.dumps([model, batch_size, dim], sort_keys=True).encode("utf-8"))
        for text in texts:
            digest.update(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
        self.folder = Path(index_dir) / (PREFIX + digest.hexdigest()[:20])
        self.dim = dim
        self.resumed = 0  # batches read back instead of embedded
        for other in Path(index_dir).glob(PREFIX + "*"):  # another build's: never resumable now
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)

    def _path(self, number: int) -> Path:
        return self.folder / ("batch-%06d.npy" % number)

    def load(self, number: int, rows: int) -> np.ndarray | None:
        """Batch ``number``'s vectors when saved and whole, else None."""
        path = self._path(number)
        if not path.is_file():
            return None
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):  # cut short by a crash: embed it again
            return None
        if vectors.shape != (rows, self.dim) or vectors.dtype != np.float32:
            return None
        self.resumed += 1
        return vectors

    def save(self, number: int, vectors: np.ndarray) -> None:
        """Keep batch ``number``; a failure to write only costs the resumability."""
        try:
            self.folder.mkdir(exist_ok=True)
            tmp = self.folder / (".tmp-%06d.npy" % number)
            with open(tmp, "wb") as handle:
                np.save(handle, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, self._path(number))
        except OSError as exc:
            log.warning("cannot keep embedded batch %d in %s (%s); a killed build would start over",
                        number, self.folder, exc.strerror or exc)

    def discard(self) -> None:
        """Delete the saved batches (the build is written)."""
        if self.resumed:
            log.info("resumed %d embedded batches from an interrupted build", self.resumed)
        shutil.rmtree(self.folder, ignore_errors=True)

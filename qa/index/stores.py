"""Where an index's vectors and BM25 side live: the index folder itself (the default) or Milvus.

The choice is made once, at the edge (``qa build --store ...``), and recorded in the manifest
(``store``), so every later reader of the folder (``Retriever.load``, ``qa ask``, ``qa eval``,
``qa serve``) finds the same store without being told. Either way the folder keeps the manifest,
the chunks, the articles and each chunk's BM25 words: staleness, whole-article views and the
answerer's per-passage data never need the store.

Spellings of ``--store``:

- ``local`` (default): FAISS + bm25s files in the index folder, no server;
- ``milvus:PATH.db``: Milvus Lite, the embedded Milvus engine, in this process (one process at a time
  may open a ``.db`` file);
- ``milvus://HOST:PORT``: a Milvus server (Standalone, Distributed, or Milvus Lite serving gRPC).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.core.errors import StoreError

LOCAL, MILVUS = "local", "milvus"
DEFAULT_COLLECTION = "qa_passages"
_COLLECTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")


@dataclass(frozen=True)
class StoreSpec:
    """An index store: ``kind`` (local or milvus), its ``uri`` (an absolute ``.db`` path or
    ``http://host:port``) and the Milvus ``collection``."""

    kind: str = LOCAL
    uri: str = ""
    collection: str = ""

    @property
    def remote(self) -> bool:
        """Whether the store is a server reached over the network (not a file this process opens)."""
        return self.kind == MILVUS and self.uri.startswith(("http://", "https://"))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_manifest(cls, manifest: dict) -> "StoreSpec":
        """The store a manifest names; an index written before stores existed is local."""
        data = manifest.get("store") or {}
        try:
            spec = cls(**data)
        except TypeError as exc:
            raise StoreError("the manifest's store entry is not understood (%s) - run `qa build --force`" % exc) from None
        if spec.kind not in (LOCAL, MILVUS):
            raise StoreError("unknown index store %r in the manifest - run `qa build --force`" % spec.kind)
        return spec

    def describe(self) -> str:
        return "local files" if self.kind == LOCAL else "Milvus %s, collection %s" % (self.uri, self.collection)


def parse_store(text: str | None, collection: str | None = None, base: Path | None = None) -> StoreSpec:
    """The :class:`StoreSpec` for a ``--store`` value (see the module docstring).

    A relative ``.db`` path is taken from ``base`` (default: the current folder) and recorded
    absolute, so the index folder finds it from anywhere on this machine.
    """
    text = (text or LOCAL).strip()
    if text == LOCAL:
        if collection:
            raise StoreError("--collection applies to a Milvus store only - pass --store milvus:PATH.db or "
                             "--store milvus://HOST:PORT, or drop --collection")
        return StoreSpec()
    name = collection or DEFAULT_COLLECTION
    if not _COLLECTION_NAME.match(name):
        raise StoreError("%r is not a Milvus collection name - use letters, digits and _ (not first a digit)" % name)
    if text.startswith("milvus://"):
        address = text[len("milvus://"):].rstrip("/")
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise StoreError("--store %s names no port - write milvus://HOST:PORT (Milvus listens on 19530 by "
                             "default)" % text)
        return StoreSpec(MILVUS, "http://%s:%s" % (host, port), name)
    if text.startswith("milvus:"):
        path = Path(text[len("milvus:"):]).expanduser()
        if path.suffix != ".db":
            raise StoreError("--store %s: a Milvus Lite file must end in .db - write milvus:PATH.db" % text)
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        return StoreSpec(MILVUS, str(path.resolve()), name)
    raise StoreError("unknown --store %r - use local, milvus:PATH.db (Milvus Lite) or milvus://HOST:PORT" % text)


class PassageSearch(Protocol):
    """What the retriever asks of a store: ranked candidates from each side, and scores of given rows.

    Rows are the passages' positions in the index's chunk list. Every method costs time in
    proportion to the rows asked for (and the store's own top-k search), never to the collection.
    """

    dim: int
    size: int

    def dense_top(self, query: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` rows nearest ``query`` (an L2-normalised vector), best first, and their cosines."""

    def lexical_top(self, words: list[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``depth`` rows matching a word of ``words``, best BM25 first (ties by row), and their scores."""

    def cosines(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The cosine of ``query`` with each of ``rows``."""

    def bm25(self, words: list[str], rows: np.ndarray) -> np.ndarray:
        """The BM25 score of ``words`` for each of ``rows`` (0 where no word matches)."""

    def vectors_of(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows`` (a build reuses them for unchanged text)."""

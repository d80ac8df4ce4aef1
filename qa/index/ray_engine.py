"""Embedding a build's checkpoint batches on Ray (``qa build --engine ray [--address ADDR]``).

A Ray Data pipeline runs ``map_batches`` over a pool of encoder actors, each holding one embedding
session (:func:`qa.models.embedder.worker_embedder`: one ONNX session, one text per run). The unit of
work is the build's own checkpoint batch (:mod:`qa.index.checkpoint`): the driver keeps each batch as
soon as it comes back, so a killed worker costs the batch it held (Ray restarts the actor and retries
it) and an interrupted build resumes from the kept batches, on Ray or not. The vectors are the ones a
local build makes: the same model files, the same text per run.

Without ``address`` Ray starts on this machine (``ray.init()``); with one, it joins that cluster,
whose nodes need this package and the model cache at the same path (``bash scripts/setup``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.core.errors import EngineError

log = logging.getLogger(__name__)

INSTALL = "install the scale extra: pip install '.[scale]' (or bash scripts/setup --test)"
# Local Ray's shared-memory object store: batches are small (16 texts in, 16 vectors out).
LOCAL_OBJECT_STORE = 256 * 2**20


@dataclass(frozen=True)
class RaySettings:
    """Where and how wide a Ray build runs, and the model its workers open."""

    model_id: str
    cache_dir: Path
    backend: str
    workers: int = 2
    address: str | None = None  # None: a local Ray on this machine
    threads: int = 1  # texts each worker runs at once


class _EncoderActor:
    """One Ray worker: opens the model once, embeds one checkpoint batch per call."""

    def __init__(self, model_id: str, cache_dir: str, backend: str, threads: int):
        from qa.models.embedder import worker_embedder

        self.embedder = worker_embedder(model_id, Path(cache_dir), backend, threads).load()

    def __call__(self, batch: dict) -> dict:
        numbers, blobs = [], []
        for number, texts in zip(batch["number"], batch["texts"]):
            vectors = self.embedder.encode_passages([str(t) for t in texts])
            numbers.append(int(number))
            blobs.append(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
        return {"number": np.asarray(numbers, dtype=np.int64), "vectors": np.asarray(blobs, dtype=object),
                "pid": np.full(len(numbers), os.getpid(), dtype=np.int64)}


class RayEngine:
    """``embed_batches`` on Ray; pass it to :func:`qa.index.build.build_index` as ``engine``."""

    def __init__(self, settings: RaySettings, dim: int, show_progress: bool = False):
        self.settings, self.dim, self.show_progress = settings, dim, show_progress
        self.pids: set[int] = set()  # the worker processes that returned batches (tests kill one)

    def _init(self):
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise EngineError("Ray is not installed (%s) - %s" % (exc, INSTALL)) from None
        if not ray.is_initialized():
            s = self.settings
            try:
                if s.address:
                    ray.init(address=s.address, log_to_driver=False, logging_level=logging.WARNING)
                else:
                    # On loopback only: a local build needs no network.
                    ray.init(num_cpus=max(s.workers, 1), object_store_memory=LOCAL_OBJECT_STORE,
                             include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                             _node_ip_address="127.0.0.1")
            except Exception as exc:  # ConnectionError, RuntimeError, ValueError for a bad address
                raise EngineError("cannot start or join Ray%s (%s) - %s" % (
                    " at %s" % s.address if s.address else "", exc,
                    "check the address (ray://HOST:10001 or HOST:6379) and that the cluster is up"
                    if s.address else "check free memory and /tmp space, or build without --engine ray")) from None
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = self.show_progress
        context.enable_operator_progress_bars = self.show_progress
        return ray

    def embed_batches(self, batches: dict[int, list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """(batch number, vectors) for each of ``batches`` (number -> texts), as they finish, in any order."""
        if not batches:
            return
        ray = self._init()
        s = self.settings
        items = [{"number": number, "texts": texts} for number, texts in sorted(batches.items())]
        dataset = ray.data.from_items(items, override_num_blocks=min(len(items), 4 * max(s.workers, 1)))
        mapped = dataset.map_batches(
            _EncoderActor, batch_size=1, batch_format="numpy", num_cpus=s.threads,
            compute=ray.data.ActorPoolStrategy(size=max(s.workers, 1)),
            fn_constructor_kwargs=dict(model_id=s.model_id, cache_dir=str(s.cache_dir), backend=s.backend,
                                       threads=s.threads))
        # Ray Data's actor pool restarts a killed worker and runs its batch again (max_restarts and
        # max_task_retries default to -1 there): the build loses that batch's time, no more.
        seen = 0
        try:
            for row in mapped.iter_rows():
                number = int(row["number"])
                vectors = np.frombuffer(row["vectors"], dtype=np.float32).reshape(len(batches[number]), self.dim)
                self.pids.add(int(row["pid"]))
                seen += 1
                yield number, vectors
        except Exception as exc:  # RayTaskError, ObjectLostError, ActorDiedError, ...
            raise EngineError("the Ray build failed after %d of %d batches (%s) - run `qa build` again: the "
                              "batches done are kept and the build resumes from them" % (seen, len(items), exc)) from None

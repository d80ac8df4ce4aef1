"""The index's vectors and BM25 side in Milvus: Milvus Lite in this process, or a Milvus server over gRPC.

One ``pymilvus`` code path serves both (:class:`~qa.index.stores.StoreSpec`: a ``.db`` file or
``http://host:port``). One collection holds one row per passage:

- ``pk``: :func:`row_key`, a digest of the chunk id and its indexed text, so an unchanged passage
  keeps its row across builds and a build only inserts new text and deletes what is gone;
- ``vector``: the passage vector (inner product over L2-normalised vectors = cosine);
- ``words``: the project's own BM25 words (:func:`qa.index.lexical.index_tokens`, jieba search mode),
  joined by spaces and split again by Milvus's ``whitespace`` analyzer, so Milvus's BM25 (same
  ``k1``/``b``, Lucene's IDF) ranks exactly the words bm25s ranks; ``sparse`` is its BM25 function output;
- ``chunk_id``, ``article_id``, ``source``, ``paragraph``: the passage's metadata, so the collection
  can be read without the index folder.

Milvus's BM25 carries a constant ``k1 + 1`` factor that bm25s's Lucene variant leaves out; scores
are divided by it, so a hit's ``lexical_score`` means the same on both stores.

A build writes in the order that keeps readers safe (:func:`sync_collection` before the manifest
swap, :func:`delete_rows` after it): rows a manifest does not name are ignored by its readers.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import sys
import threading
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.core.errors import IndexCorruptError, StoreError
from qa.index.lexical import BM25_PARAMS
from qa.index.stores import StoreSpec
from qa.index.vectors import VectorIndexSpec, choose_index

log = logging.getLogger(__name__)

INSTALL = "install the scale extra: pip install '.[scale]' (or bash scripts/setup --test)"
DEFAULT_PORT = 19530
_VARCHAR = 65535  # Milvus's longest VARCHAR, in bytes
# Rows per insert call: ~1 MB of vectors and words. Milvus Lite's insert time grows faster than the
# batch (384-dim rows: 512 in 0.03 s, 4,000 in 0.8 s, 5,000 in 20 s), so batches stay small.
INSERT_ROWS = 512
_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def row_key(chunk) -> str:
    """The collection's primary key of a passage: its chunk id and indexed text, digested."""
    digest = hashlib.sha256(chunk.chunk_id.encode("utf-8", "surrogatepass") + b"\0"
                            + chunk.indexed_text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def words_field(words: list[str]) -> str:
    """BM25 words as the text Milvus's whitespace analyzer splits back into the same words."""
    text = " ".join("_".join(w.split()) for w in words)
    if len(text.encode("utf-8")) > _VARCHAR:  # never seen in news text: a passage is at most ~400 characters
        text = text.encode("utf-8")[:_VARCHAR].decode("utf-8", "ignore").rsplit(" ", 1)[0]
    return text


def import_pymilvus():
    """pymilvus, or a :class:`StoreError` naming the extra to install.

    milvus-lite 2.5 imports ``pkg_resources`` for its version string only, and setuptools 81
    removed that module; a stand-in is present just while milvus_lite is imported (downgrading
    setuptools instead made jieba load ``pkg_resources``, slower, in every process).
    """
    try:
        import pymilvus
    except ImportError as exc:
        raise StoreError("the Milvus client is not installed (%s) - %s" % (exc, INSTALL)) from None
    if "milvus_lite" not in sys.modules:
        stand_in = None
        try:
            import pkg_resources  # noqa: F401  (older setuptools: the real one)
        except ImportError:
            stand_in = types.ModuleType("pkg_resources")
            stand_in.DistributionNotFound = importlib.metadata.PackageNotFoundError
            stand_in.get_distribution = lambda name: types.SimpleNamespace(version=importlib.metadata.version(name))
            sys.modules["pkg_resources"] = stand_in
        try:
            import milvus_lite  # noqa: F401
        except ImportError:
            pass  # a server URI needs no Milvus Lite
        finally:
            if stand_in is not None and sys.modules.get("pkg_resources") is stand_in:
                del sys.modules["pkg_resources"]
    return pymilvus


def client_for(spec: StoreSpec):
    """The process's ``MilvusClient`` for ``spec`` (one per URI: Milvus Lite lets one process open a file)."""
    with _clients_lock:
        client = _clients.get(spec.uri)
        if client is not None:
            return client
        pymilvus = import_pymilvus()
        os.environ.setdefault("LOG_LEVEL", "ERROR")  # Milvus Lite's engine logs every call at INFO
        # pymilvus warns on every query iterator that Milvus Lite has no server-side timestamp.
        logging.getLogger("pymilvus").setLevel(logging.ERROR)
        if not spec.remote:
            Path(spec.uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            client = pymilvus.MilvusClient(uri=spec.uri, timeout=30)
        except Exception as exc:  # pymilvus raises MilvusException, grpc errors, RuntimeError for a locked file
            where = ("is a Milvus server listening there? (start one, or use --store milvus:PATH.db)"
                     if spec.remote else
                     "is another process (qa serve, qa build) using that file? One process at a time may "
                     "open a Milvus Lite file - stop it, or serve the file over gRPC and use milvus://HOST:PORT")
            raise StoreError("cannot open Milvus at %s (%s) - %s" % (spec.uri, exc, where)) from None
        _clients[spec.uri] = client
        return client


def _schema(pymilvus, dim: int):
    DataType, Function, FunctionType = pymilvus.DataType, pymilvus.Function, pymilvus.FunctionType
    schema = pymilvus.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=64)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    # The words are the project's own (jieba); the whitespace analyzer only splits them back.
    schema.add_field("words", DataType.VARCHAR, max_length=_VARCHAR, enable_analyzer=True,
                     analyzer_params={"tokenizer": "whitespace"})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    for name in ("chunk_id", "article_id", "source"):
        schema.add_field(name, DataType.VARCHAR, max_length=_VARCHAR)
    schema.add_field("paragraph", DataType.INT64)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["words"],
                                 output_field_names=["sparse"]))
    return schema


def _bm25_params() -> dict:
    return {"bm25_k1": BM25_PARAMS["k1"], "bm25_b": BM25_PARAMS["b"]}


def milvus_index_params(spec: VectorIndexSpec) -> tuple[str, dict, dict]:
    """Milvus's (index type, build params, search params) for the vector index ``spec`` FAISS would use."""
    if spec.kind == "ivf":
        return "IVF_FLAT", {"nlist": spec.nlist}, {"nprobe": spec.nprobe}
    return "FLAT", {}, {}


def _create(client, pymilvus, name: str, dim: int, vector_spec: VectorIndexSpec) -> None:
    client.create_collection(name, schema=_schema(pymilvus, dim), consistency_level="Strong")
    kind, build, _ = milvus_index_params(vector_spec)
    params = client.prepare_index_params()
    params.add_index(field_name="vector", index_name="vector", index_type=kind, metric_type="IP", params=build)
    params.add_index(field_name="sparse", index_name="sparse", index_type="SPARSE_INVERTED_INDEX",
                     metric_type="BM25", params=_bm25_params())
    client.create_index(name, params)
    client.load_collection(name)


def _existing_keys(client, name: str) -> set[str]:
    keys: set[str] = set()
    iterator = client.query_iterator(name, batch_size=4096, filter='pk != ""', output_fields=["pk"])
    try:
        while True:
            batch = iterator.next()
            if not batch:
                return keys
            keys.update(row["pk"] for row in batch)
    finally:
        iterator.close()


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync_collection` did, and the rows to delete once the new manifest is in place."""

    inserted: int
    kept: int
    stale: tuple[str, ...]
    vector_index: VectorIndexSpec


def sync_collection(spec: StoreSpec, chunks: list, vectors, tokens: list[list[str]], dim: int) -> SyncReport:
    """Make ``spec``'s collection hold every passage of ``chunks`` (rows of ``vectors`` and ``tokens``).

    Inserts only the passages whose :func:`row_key` is not there yet (``vectors`` is read only
    for those rows, through ``vectors(rows)``), flushes, and returns the rows no passage of this
    build uses: the caller deletes them after swapping the manifest.
    """
    pymilvus = import_pymilvus()
    client = client_for(spec)
    name = spec.collection
    vector_spec = choose_index(len(chunks))
    try:
        if not client.has_collection(name):
            _create(client, pymilvus, name, dim, vector_spec)
        else:
            _check_dim(client, spec, dim)
            _reindex_if_needed(client, name, vector_spec)
            client.load_collection(name)
        existing = _existing_keys(client, name)
        keys = [row_key(c) for c in chunks]
        todo = [i for i, key in enumerate(keys) if key not in existing]
        for start in range(0, len(todo), INSERT_ROWS):
            rows = todo[start:start + INSERT_ROWS]
            block = np.asarray(vectors(rows), dtype=np.float32)
            client.insert(name, [dict(pk=keys[i], vector=block[j].tolist(), words=words_field(tokens[i]),
                                      chunk_id=chunks[i].chunk_id, article_id=chunks[i].article_id,
                                      source=chunks[i].source, paragraph=int(chunks[i].paragraph))
                                 for j, i in enumerate(rows)])
        if todo:
            client.flush(name)
    except StoreError:
        raise
    except Exception as exc:  # MilvusException and gRPC errors
        raise StoreError("writing the passages to Milvus %s (collection %s) failed: %s - check that the server "
                         "is up and has disk space, then run `qa build` again (it resumes)" % (spec.uri, name, exc)) from None
    wanted = set(keys)
    stale = tuple(sorted(existing - wanted))
    log.info("Milvus collection %s: %d passages inserted, %d kept, %d to delete", name, len(todo),
             len(keys) - len(todo), len(stale))
    return SyncReport(len(todo), len(keys) - len(todo), stale, vector_spec)


def _check_dim(client, spec: StoreSpec, dim: int) -> None:
    fields = {f["name"]: f for f in client.describe_collection(spec.collection)["fields"]}
    have = int(fields.get("vector", {}).get("params", {}).get("dim", 0))
    if have != dim or "sparse" not in fields:
        raise StoreError("the Milvus collection %s at %s was not made by this version for %d-dimensional vectors "
                         "(it holds %s) - pass another --collection, or drop that collection"
                         % (spec.collection, spec.uri, dim, "dimension %d" % have if have else "other fields"))


def _reindex_if_needed(client, name: str, wanted: VectorIndexSpec) -> None:
    """Rebuild the vector index when the collection's size now calls for another type (flat <-> IVF)."""
    kind, build, _ = milvus_index_params(wanted)
    info = client.describe_index(name, "vector") or {}
    if info.get("index_type") == kind and (kind != "IVF_FLAT" or int(info.get("nlist", 0)) == wanted.nlist):
        return
    client.release_collection(name)
    client.drop_index(name, "vector")
    params = client.prepare_index_params()
    params.add_index(field_name="vector", index_name="vector", index_type=kind, metric_type="IP", params=build)
    client.create_index(name, params)


def delete_rows(spec: StoreSpec, keys: tuple[str, ...]) -> None:
    """Delete rows no manifest names any more (after the swap; a failure only leaves rows readers ignore)."""
    if not keys:
        return
    client = client_for(spec)
    try:
        for start in range(0, len(keys), 1000):
            client.delete(spec.collection, ids=list(keys[start:start + 1000]))
        client.flush(spec.collection)
    except Exception as exc:
        log.warning("could not delete %d old passages from Milvus collection %s (%s); the next build retries",
                    len(keys), spec.collection, exc)


def drop_collection(spec: StoreSpec) -> None:
    """Drop ``spec``'s collection (tests and benchmarks clean up with it)."""
    client = client_for(spec)
    if client.has_collection(spec.collection):
        client.drop_collection(spec.collection)


class MilvusSearch:
    """:class:`~qa.index.stores.PassageSearch` over a Milvus collection; rows are the manifest's chunk order."""

    def __init__(self, spec: StoreSpec, client, keys: list[str], dim: int, vector_spec: VectorIndexSpec):
        self.spec, self._client, self._keys = spec, client, keys
        self._row_of = {key: row for row, key in enumerate(keys)}
        self.dim, self.size = dim, len(keys)
        _, _, self._search_params = milvus_index_params(vector_spec)
        self._k1 = float(BM25_PARAMS["k1"])

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreError("Milvus %s failed at %s (collection %s): %s - check that the server is up; "
                             "`qa status` tells whether the index needs `qa build --force`"
                             % (what, self.spec.uri, self.spec.collection, exc)) from None

    def _rows_scores(self, hits, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        rows, scores = [], []
        for hit in hits:
            row = self._row_of.get(hit["id"])
            if row is not None:  # rows of a build this manifest does not name (yet or any more)
                rows.append(row)
                scores.append(float(hit["distance"]) / scale)
        return np.asarray(rows, dtype=np.int64), np.asarray(scores, dtype=np.float32)

    def dense_top(self, query: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        result = self._call("vector search", self._client.search, self.spec.collection, data=[query.tolist()],
                            anns_field="vector", limit=depth, output_fields=[],
                            search_params={"metric_type": "IP", "params": self._search_params})
        return self._rows_scores(result[0])

    def lexical_top(self, words: list[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        text = words_field(words)
        if not text or not depth:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        result = self._call("BM25 search", self._client.search, self.spec.collection, data=[text],
                            anns_field="sparse", limit=depth, output_fields=[],
                            search_params={"metric_type": "BM25"})
        rows, scores = self._rows_scores(result[0], self._k1 + 1.0)
        keep = scores > 0
        rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))  # best first, ties by row, as bm25s's ranking
        return rows[order], scores[order]

    def _filter(self, rows) -> str:
        return "pk in [%s]" % ", ".join('"%s"' % self._keys[int(r)] for r in rows)

    def bm25(self, words: list[str], rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.float32)
        text = words_field(words)
        if not len(rows) or not text:
            return out
        result = self._call("BM25 search", self._client.search, self.spec.collection, data=[text],
                            anns_field="sparse", limit=len(rows), filter=self._filter(rows), output_fields=[],
                            search_params={"metric_type": "BM25"})
        found, scores = self._rows_scores(result[0], self._k1 + 1.0)
        position = {int(r): i for i, r in enumerate(rows)}
        for row, score in zip(found, scores):
            out[position[int(row)]] = score
        return out

    def vectors_of(self, rows: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        position = {self._keys[int(r)]: i for i, r in enumerate(rows)}
        for start in range(0, len(rows), 1000):
            part = [self._keys[int(r)] for r in rows[start:start + 1000]]
            for item in self._call("read", self._client.query, self.spec.collection, ids=part,
                                   output_fields=["vector"]):
                out[position[item["pk"]]] = np.asarray(item["vector"], dtype=np.float32)
        return out

    def cosines(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return self.vectors_of(rows) @ np.asarray(query, dtype=np.float32).reshape(-1)


def open_search(spec: StoreSpec, chunks: list, dim: int, manifest: dict) -> MilvusSearch:
    """The :class:`MilvusSearch` for an index folder whose manifest names ``spec``; checks the collection
    is there and holds a sample of the manifest's passages."""
    client = client_for(spec)
    keys = [row_key(c) for c in chunks]
    fix = "run `qa build --force` with the same --store to write it again"
    try:
        if not client.has_collection(spec.collection):
            raise IndexCorruptError("the Milvus collection %s at %s is missing - %s" % (spec.collection, spec.uri, fix))
        _check_dim(client, spec, dim)
        client.load_collection(spec.collection)
        sample = keys[:: max(1, len(keys) // 16)][:16]
        found = {row["pk"] for row in client.query(spec.collection, ids=sample, output_fields=["pk"])} if sample else set()
    except (IndexCorruptError, StoreError):
        raise
    except Exception as exc:
        raise StoreError("cannot read the Milvus collection %s at %s (%s) - check that the server is up"
                         % (spec.collection, spec.uri, exc)) from None
    if set(sample) - found:
        raise IndexCorruptError("the Milvus collection %s at %s lacks passages this index names (%d of %d sampled) - %s"
                                % (spec.collection, spec.uri, len(set(sample) - found), len(sample), fix))
    return MilvusSearch(spec, client, keys, dim, VectorIndexSpec.from_dict(manifest.get("vector_index")))


class LiteServer:
    """Milvus Lite serving one ``.db`` file over gRPC on ``host:port`` (tests, benchmarks, a laptop
    standing in for a cluster): ``with LiteServer(path, port): MilvusClient("http://127.0.0.1:port")``."""

    def __init__(self, db_path: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1"):
        self.db_path, self.port, self.host = Path(db_path), port, host
        self._server = None

    @property
    def store(self) -> str:
        """The ``--store`` value that reaches this server."""
        return "milvus://%s:%d" % (self.host, self.port)

    def __enter__(self) -> "LiteServer":
        import_pymilvus()
        from milvus_lite.server import Server

        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        server = Server(str(self.db_path), address="%s:%d" % (self.host, self.port))
        if not (server.init() and server.start()):
            raise StoreError("Milvus Lite could not serve %s on %s:%d - is the port or the file in use?"
                             % (self.db_path, self.host, self.port))
        self._server = server
        return self

    def __exit__(self, *exc) -> None:
        with _clients_lock:
            client = _clients.pop("http://%s:%d" % (self.host, self.port), None)
        if client is not None:
            client.close()
        if self._server is not None:
            self._server.stop()
            self._server = None

"""Building the index folder: read the seeds, embed what changed, write beside the old build, swap the manifest.

Layout (flat, self-describing)::

    embeddings/
      manifest.json                  written last; names every other file
      vectors-<build>.faiss          FAISS index over L2-normalised vectors (exact up to 50k, IVF above)
      chunks-<build>.jsonl           one chunk per line, row-aligned with the vectors
      articles-<build>.jsonl         the parsed articles (for whole-article views)
      bm25-<build>.*                 the BM25 index (bm25s arrays + vocabulary)
      tokens-<build>.npz             each chunk's BM25 words, so the next build tokenises only new text

Every build writes files under new names, then swaps ``manifest.json`` with an
atomic rename, then deletes the previous build's files. A build killed at any
moment therefore leaves the previous manifest pointing at intact files. The
manifest records a SHA-256 per file, so damage is detected on load, and a
content hash per seed file, so staleness is detected, not guessed.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import logging
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from qa.core.errors import (
    BuildTooLargeError,
    IndexLockedError,
    IndexWriteError,
    QAError,
    SeedsError,
)
from qa.core.hashing import sha256_file
from qa.index import token_store
from qa.index.lexical import TOKENIZER_VERSION, LexicalIndex, tokenize_all
from qa.index.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    backend_fits,
    expected_settings,
    index_status,
    manifest_checksum,
    referenced_files,
    show_path,
)
from qa.index.store import load_index
from qa.index.stores import LOCAL, MILVUS, StoreSpec
from qa.ingest.articles import Article, parse_page
from qa.ingest.chunking import ChunkingParams, chunk_articles
from qa.ingest.sources import SeedFile, list_seed_paths, read_seed_file

log = logging.getLogger(__name__)

LOCK = ".build.lock"
# A build that would embed more chunks than this stops before embedding, with an
# estimate of the time it would take (``qa build --max-chunks``; 0 or None: no limit).
DEFAULT_MAX_CHUNKS = 100_000
# Above this many chunks to embed, the build first times one batch and logs the estimate.
WARN_CHUNKS = 5_000


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    index_dir: Path
    built: bool  # False when the index was already fresh
    articles: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks embedded by the model (the rest were reused)
    files: int = 0
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason)
    seconds: float = 0.0


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _article_to_dict(article: Article) -> dict:
    data = asdict(article)
    data["paragraphs"] = [asdict(p) for p in article.paragraphs]
    return data


class _BuildLock:
    """An exclusive, non-blocking lock on the index folder (released if the process dies)."""

    def __init__(self, index_dir: Path, wait_seconds: float):
        from filelock import FileLock

        self._lock = FileLock(str(Path(index_dir) / LOCK))
        self._wait = wait_seconds
        self._dir = index_dir

    def __enter__(self):
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=self._wait)
        except Timeout:
            raise IndexLockedError("another build is writing %s - wait for it to finish, then try again"
                                   % show_path(self._dir)) from None
        except OSError as exc:  # the lock file cannot be created: a read-only or full disk
            raise _write_error(self._dir, exc, 0) from exc
        return self

    def __exit__(self, *exc):
        self._lock.release()


def _drop_saved_batches(index_dir: Path) -> None:
    from qa.index.checkpoint import PREFIX

    for folder in Path(index_dir).glob(PREFIX + "*"):
        shutil.rmtree(folder, ignore_errors=True)


def _clean_leftovers(index_dir: Path, keep: set[str], quiet: bool = False) -> None:
    """Remove files of failed, interrupted or superseded builds (call under the lock).

    ``quiet``: ignore errors (cleaning up after a failed write on a sick disk).
    """
    try:
        for entry in index_dir.iterdir():
            if entry.name in keep or entry.name in (MANIFEST, LOCK) or entry.name.startswith("README"):
                continue
            if entry.name.startswith(".build-") and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_file() and (entry.name.startswith(("vectors-", "chunks-", "articles-", "bm25-", "tokens-"))
                                      or entry.name.startswith(MANIFEST + ".")):
                entry.unlink(missing_ok=True)
    except OSError:
        if not quiet:
            raise


def load_seeds(seeds_dir: Path, skipped: list[tuple[str, str]] | None = None) -> tuple[list[SeedFile], list[Article]]:
    """Read and parse every seed file; skipped files carry their reason.

    Entries skipped while walking the folder (broken or duplicate symlinks,
    loops, FIFOs) are appended to ``skipped`` as (name, reason).
    """
    files: list[SeedFile] = []
    articles: list[Article] = []
    ids: set[str] = set()
    for path in list_seed_paths(seeds_dir, skipped):
        seed = read_seed_file(path, seeds_dir)
        if seed.text is not None:
            page = parse_page(seed.text, seed.path)
            if not page.articles:
                seed = SeedFile(seed.path, seed.sha256, seed.size, None, seed.encoding, "no article text found")
            articles.extend(_unique_id(a, ids) for a in page.articles)
        if seed.skipped:
            log.info("skipped %s: %s", seed.path, seed.skipped)  # reported by BuildReport.skipped
        files.append(seed)
    return files, articles


def _unique_id(article: Article, ids: set[str]) -> Article:
    """``article`` with an id no other article of the build has.

    Ids drop the file extension (``a.txt`` -> ``a#1``), so ``a.txt`` and
    ``a.md`` gave two articles the id ``a#1`` and the loaded index kept only
    one of them (and mixed up their chunks). A clash falls back to the full
    file name, then to a counter.
    """
    new_id, n = article.article_id, 1
    while new_id in ids:
        n += 1
        new_id = "%s#%d" % (article.source, article.ordinal) + ("" if n == 2 else "~%d" % n)
    ids.add(new_id)
    return article if new_id == article.article_id else replace(article, article_id=new_id)


@dataclass(frozen=True)
class BuildProgress:
    """How far a build has got: its stage, and for ``embedding`` the chunks done of those to embed."""

    stage: str  # READING, EMBEDDING, WRITING, LOADING (the caller swapping the new index in) or DONE
    fraction: float  # 0..1 of the whole build
    done: int = 0
    total: int = 0


READING, EMBEDDING, WRITING, LOADING, DONE = "reading", "embedding", "writing", "loading", "done"
Progress = Callable[[BuildProgress], None]


def build_index(seeds_dir: Path, index_dir: Path, embedder, *, force: bool = False, batch_size: int = 16,
                chunking: ChunkingParams = ChunkingParams(), show_progress: bool = False,
                progress: Progress | None = None, lock_wait: float = 0.0,
                max_chunks: int | None = DEFAULT_MAX_CHUNKS, store: StoreSpec | None = None,
                engine=None) -> BuildReport:
    """Build (or refresh) the index for ``seeds_dir`` in ``index_dir``.

    Does nothing when the index is already fresh, unless ``force``. Vectors of
    chunks whose text is unchanged are reused from the previous index.
    ``store`` (:mod:`qa.index.stores`): where the vectors and the BM25 side go; None keeps the
    store the index already uses (local files for a new index). ``engine``: an object whose
    ``embed_batches`` embeds the checkpoint batches elsewhere (:class:`qa.index.ray_engine.RayEngine`);
    None embeds them here.
    ``progress`` receives a :class:`BuildProgress` at each stage and batch. A build
    that would embed more than ``max_chunks`` chunks raises
    :class:`BuildTooLargeError` with a time estimate before embedding them; a
    disk that is full or read-only raises :class:`IndexWriteError`, and the
    previous index keeps serving.
    """
    import time

    start = time.monotonic()
    seeds_dir, index_dir = Path(seeds_dir), Path(index_dir)
    _prepare_folder(seeds_dir, index_dir)
    notify = progress or (lambda update: None)
    with _BuildLock(index_dir, lock_wait):
        # Leftovers of a build that failed (a full disk) or was killed would
        # otherwise pile up and keep the disk full for every retry.
        _clean_leftovers(index_dir, keep=referenced_files(index_dir), quiet=True)
        backend = getattr(embedder.info, "backend", None)
        status = index_status(index_dir, seeds_dir, embedder.info.model_id, chunking, backend)
        current = current_store(index_dir)
        store = store or current or StoreSpec()
        if status.fresh and not force and store == current:
            log.info("index in %s is up to date; nothing to do", show_path(index_dir))
            return BuildReport(index_dir, False, articles=status.articles, chunks=status.chunks,
                               seconds=time.monotonic() - start)
        report = _rebuild(seeds_dir, index_dir, embedder, backend, chunking,
                          _EmbedOptions(batch_size, show_progress, notify, max_chunks, engine), store)
    notify(BuildProgress(DONE, 1.0))
    return replace(report, seconds=time.monotonic() - start)


def _prepare_folder(seeds_dir: Path, index_dir: Path) -> None:
    """Create the index folder; refuse the seeds folder itself or a folder that cannot be made."""
    if seeds_dir.is_dir() and os.path.realpath(seeds_dir) == os.path.realpath(index_dir):
        raise QAError("the index folder %s is the seeds folder - pass another --out folder" % show_path(index_dir))
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, no permission: a message, not a traceback
        raise QAError("cannot use %s as the index folder (%s) - pass another --out folder"
                      % (show_path(index_dir), exc.strerror or exc)) from None


def current_store(index_dir: Path) -> StoreSpec | None:
    """The store the index in ``index_dir`` uses, or None when there is no readable index."""
    from qa.index.manifest import read_manifest

    try:
        return StoreSpec.from_manifest(read_manifest(index_dir))
    except QAError:
        return None


@dataclass(frozen=True)
class _EmbedOptions:
    batch_size: int
    show_progress: bool
    notify: Progress
    max_chunks: int | None
    engine: object = None


def _rebuild(seeds_dir: Path, index_dir: Path, embedder, backend, chunking: ChunkingParams,
             options: _EmbedOptions, store: StoreSpec = StoreSpec()) -> BuildReport:
    """Read, chunk, embed and write a new build (call under the lock)."""
    options.notify(BuildProgress(READING, 0.0))
    walk_skipped: list[tuple[str, str]] = []
    seed_files, articles = load_seeds(seeds_dir, walk_skipped)
    chunks = chunk_articles(articles, chunking)
    if not chunks:
        raise SeedsError("no readable articles in %s - add UTF-8 or GBK .txt files with article text"
                         % show_path(seeds_dir))
    from qa.core.zh import warm_up

    previous = _previous_build(index_dir, embedder.info.model_id, backend, {c.indexed_text for c in chunks})
    opener = getattr(embedder, "load", None)  # an embedder given through the API may open on its own
    if opener is not None and options.engine is None and any(chunk.indexed_text not in previous.vectors
                                                             for chunk in chunks):
        # Opened before jieba's warm-up starts: loading jieba's dictionary holds the GIL and
        # would slow the model's opening as much as it saves (measured).
        opener()
    warm_up()  # jieba's dictionary loads while the model embeds: BM25 needs it after (0.55 s measured)
    checkpoint: list = []  # filled by _embed: the saved batches, dropped once the build is written
    vectors = _embed(chunks, embedder, previous.vectors, options, index_dir=index_dir, checkpoint=checkpoint)
    options.notify(BuildProgress(WRITING, 0.95))
    tokens = tokenize_all([c.indexed_text for c in chunks], previous.tokens)
    _write_build(index_dir, _Contents(seed_files, articles, chunks, vectors, tokens, store,
                                           str(Path(seeds_dir).resolve())), embedder, chunking)
    for saved in checkpoint:
        saved.discard()
    _drop_saved_batches(index_dir)  # a crashed build's batches are superseded by this one
    skipped = tuple(sorted([(f.path, f.skipped) for f in seed_files if f.skipped] + walk_skipped))
    return BuildReport(index_dir, True, articles=len(articles), chunks=len(chunks),
                       embedded=len(chunks) - sum(c.indexed_text in previous.vectors for c in chunks),
                       files=len(seed_files), skipped=skipped)


@dataclass(frozen=True)
class _Previous:
    """What the current index lets a new build reuse, by chunk text."""

    vectors: dict  # text -> vector (only when the model and backend are the same)
    tokens: dict  # text -> BM25 words (only when the tokenizer is the same)


def _previous_build(index_dir: Path, model_id: str, backend: str | None = None,
                    texts: set[str] | None = None) -> _Previous:
    """Vectors and BM25 words of the current index by chunk text, so unchanged text is neither
    embedded nor tokenised again; only the vectors of ``texts`` (all when None) are read."""
    try:
        loaded = load_index(index_dir)
    except Exception as exc:  # any unusable old index just means "embed everything"
        log.debug("previous index not reused: %s", exc)
        return _Previous({}, {})
    tokens = {}
    saved = loaded.manifest["files"].get("tokens")
    if saved and loaded.manifest.get("bm25", {}).get("tokenizer") == TOKENIZER_VERSION:
        lists = token_store.load(index_dir / saved["name"], TOKENIZER_VERSION)
        if lists is not None and len(lists) == len(loaded.chunks):
            tokens = {c.indexed_text: words for c, words in zip(loaded.chunks, lists)}
    if loaded.model_id != model_id or not backend_fits(loaded.manifest, model_id, backend):
        return _Previous({}, tokens)
    row_of = {c.indexed_text: i for i, c in enumerate(loaded.chunks)}
    wanted = [text for text in row_of if texts is None or text in texts]
    try:
        found = loaded.search.vectors_of(np.asarray([row_of[t] for t in wanted], dtype=np.int64))
    except QAError as exc:  # a store that cannot be read now: embed everything
        log.warning("previous vectors not reused: %s", exc)
        return _Previous({}, tokens)
    return _Previous(dict(zip(wanted, found)), tokens)


def _embed(chunks, embedder, previous, options: _EmbedOptions, *, index_dir: Path | None = None,
           checkpoint: list | None = None) -> np.ndarray:
    """Vectors of ``chunks``: reused from ``previous``, else embedded in fixed batches.

    With ``index_dir``, every embedded batch is kept on disk (``qa/index/checkpoint.py``)
    and a build killed midway resumes from them; the checkpoint is appended to
    ``checkpoint`` for the caller to discard once the build is written.
    """
    import time

    from tqdm.auto import tqdm

    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    todo = []
    for i, chunk in enumerate(chunks):
        if chunk.indexed_text in previous:
            vectors[i] = previous[chunk.indexed_text]
        else:
            todo.append(i)
    # Longest first, so each batch pads little; order restored by index.
    todo.sort(key=lambda i: -len(chunks[i].indexed_text))
    batch_size, max_chunks = options.batch_size, options.max_chunks
    bar = tqdm(total=len(todo), unit="chunk", desc="embedding", disable=not options.show_progress or not todo)
    saved = None
    if index_dir is not None and todo:
        from qa.index.checkpoint import EmbedCheckpoint

        saved = EmbedCheckpoint(index_dir, embedder.info.to_dict(), [chunks[i].indexed_text for i in todo],
                                batch_size, embedder.dim)
        if checkpoint is not None:
            checkpoint.append(saved)
    if options.engine is not None and todo:
        _embed_on_engine(chunks, todo, vectors, saved, options, bar)
        bar.close()
        return vectors
    for offset in range(0, len(todo), batch_size):
        batch = todo[offset : offset + batch_size]
        kept = saved.load(offset // batch_size, len(batch)) if saved else None
        if kept is not None:
            vectors[batch] = kept
            bar.update(len(batch))
            continue
        started = time.monotonic()
        vectors[batch] = embedder.encode_passages([chunks[i].indexed_text for i in batch], batch_size=batch_size)
        if offset == 0 and (len(todo) > WARN_CHUNKS or (max_chunks and len(todo) > max_chunks)):
            first = sum(len(chunks[i].indexed_text) for i in batch)
            total = sum(len(chunks[i].indexed_text) for i in todo)
            check_build_size(len(todo), total, FirstBatchRate(len(batch), first, max(time.monotonic() - started, 1e-6)), max_chunks)
        if saved:  # after the size check: a refused build keeps nothing that would skip it next time
            saved.save(offset // batch_size, vectors[batch])
        bar.update(len(batch))
        done = offset + len(batch)
        options.notify(BuildProgress(EMBEDDING, 0.05 + 0.9 * done / len(todo), done, len(todo)))
    bar.close()
    return vectors


def _embed_on_engine(chunks, todo: list[int], vectors: np.ndarray, saved, options: _EmbedOptions, bar) -> None:
    """Embed the checkpoint batches of ``todo`` on ``options.engine``: the same batches in the same order
    as a local build, each kept as soon as it comes back, so a resumed build reads them back and a
    lost worker costs only the batches it held."""
    batch_size = options.batch_size
    batches = [todo[offset:offset + batch_size] for offset in range(0, len(todo), batch_size)]
    missing: dict[int, list[str]] = {}
    for number, batch in enumerate(batches):
        kept = saved.load(number, len(batch)) if saved else None
        if kept is not None:
            vectors[batch] = kept
            bar.update(len(batch))
        else:
            missing[number] = [chunks[i].indexed_text for i in batch]
    if options.max_chunks and sum(len(t) for t in missing.values()) > options.max_chunks:
        raise BuildTooLargeError("this build would embed %d chunks, more than the limit of %d - pass --max-chunks "
                                 "%d (or 0 for no limit) to build it anyway"
                                 % (sum(len(t) for t in missing.values()), options.max_chunks,
                                    sum(len(t) for t in missing.values())))
    done = len(todo) - sum(len(t) for t in missing.values())
    for number, block in options.engine.embed_batches(missing):
        batch = batches[number]
        vectors[batch] = block
        if saved:
            saved.save(number, vectors[batch])
        bar.update(len(batch))
        done += len(batch)
        options.notify(BuildProgress(EMBEDDING, 0.05 + 0.9 * done / len(todo), done, len(todo)))


@dataclass(frozen=True)
class FirstBatchRate:
    """How fast the first batch went: ``chunks`` texts of ``chars`` characters in ``seconds``."""

    chunks: int
    chars: int
    seconds: float


def check_build_size(todo: int, todo_chars: int, first: FirstBatchRate, max_chunks: int | None) -> None:
    """Warn about a build that will take long; refuse one over ``max_chunks``, with the estimate.

    The estimate scales the first batch by characters: it holds the longest texts, so its
    chunks/s alone overstated the whole archive's time 2.7x (1.4x by characters, which stays
    on the safe side because the first batch also pays the model's warm-up).
    """
    seconds = first.seconds * todo_chars / max(first.chars, 1)
    estimate = "about %s (the first batch, the longest texts: %.1f chunks/s, %d characters/s)" % (
        _duration(seconds), first.chunks / first.seconds, round(first.chars / first.seconds))
    if max_chunks and todo > max_chunks:
        raise BuildTooLargeError(
            "this build would embed %d chunks (%s), more than the limit of %d - pass --max-chunks %d "
            "(or 0 for no limit) to build it anyway, or index fewer or smaller files" % (todo, estimate, max_chunks, todo))
    log.warning("embedding %d chunks: %s", todo, estimate)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return "%d s" % round(seconds)
    if seconds < 5400:
        return "%d min" % round(seconds / 60)
    return "%.1f h" % (seconds / 3600)


_DISK_REASONS = {errno.ENOSPC: "no space left on the disk", errno.EDQUOT: "the disk quota is used up",
                 errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied",
                 errno.EPERM: "permission denied"}


def _write_error(index_dir: Path, exc: OSError, needed: int) -> IndexWriteError:
    """An :class:`IndexWriteError` for ``exc`` that names the folder and the fix."""
    reason = _DISK_REASONS.get(exc.errno, exc.strerror or str(exc))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = ("free at least %d MB on that disk (the new index needs about that much), or pass --out DIR on "
               "another disk" % max(1, -(-needed // 2**20)))
    else:
        fix = "make the folder writable, or pass --out DIR on a writable disk"
    return IndexWriteError("cannot write the index in %s: %s - %s; the previous index, if any, is unchanged"
                           % (show_path(index_dir), reason, fix))


@dataclass(frozen=True)
class _Contents:
    """Everything a build writes: row i of ``vectors`` and ``tokens`` belongs to ``chunks[i]``."""

    seed_files: list
    articles: list
    chunks: list
    vectors: np.ndarray
    tokens: list  # each chunk's BM25 words
    store: StoreSpec = StoreSpec()
    seeds_dir: str = ""  # the folder built from, so commands given only --index find it again


def _write_build(index_dir, contents: _Contents, embedder, chunking) -> None:
    """Write a build beside the current one and swap the manifest; disk errors become IndexWriteError."""
    old = referenced_files(index_dir)
    try:
        _write_files(index_dir, contents, embedder, chunking, old)
    except OSError as exc:
        _clean_leftovers(index_dir, keep=referenced_files(index_dir), quiet=True)
        needed = (contents.vectors.nbytes + 4 * sum(len(c.text) + len(c.context) for c in contents.chunks)
                  + (1 << 20))
        raise _write_error(index_dir, exc, needed) from exc


def _seed_entries(seed_files, articles, chunks) -> dict:
    """The manifest's record of each seed file: its hash and size, and what it gave or why it was skipped."""
    per_file_counts: dict[str, list[int]] = {}
    for a in articles:
        per_file_counts.setdefault(a.source, [0, 0])[0] += 1
    for c in chunks:
        per_file_counts.setdefault(c.source, [0, 0])[1] += 1
    seed_entries = {}
    for f in seed_files:
        entry = dict(sha256=f.sha256, bytes=f.size)
        if f.skipped:
            entry["skipped"] = f.skipped
        else:
            entry.update(encoding=f.encoding, articles=per_file_counts.get(f.path, [0, 0])[0],
                         chunks=per_file_counts.get(f.path, [0, 0])[1])
        seed_entries[f.path] = entry
    return seed_entries


def _write_files(index_dir, contents: _Contents, embedder, chunking, old) -> None:
    import faiss

    seed_files, articles, chunks, vectors = contents.seed_files, contents.articles, contents.chunks, contents.vectors

    build_id = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    staging = index_dir / (".build-" + build_id)
    staging.mkdir()
    names: dict[str, str] = {}

    def put(key: str, name: str, data: bytes) -> None:
        _write_bytes(staging / name, data)
        names[key] = name

    from qa.index.vectors import build_vector_index, choose_index

    synced = None
    if contents.store.kind == MILVUS:
        # Vectors and BM25 go to Milvus: new rows are inserted now, the old build's rows are deleted
        # only after the manifest swap, so a reader of the old manifest finds all of its rows meanwhile.
        from qa.index.milvus import sync_collection

        synced = sync_collection(contents.store, chunks, lambda rows: vectors[rows], contents.tokens,
                                 embedder.dim)
        spec = synced.vector_index
    else:
        spec = choose_index(len(vectors))
        faiss_index = build_vector_index(vectors, spec)
        put("vectors", "vectors-%s.faiss" % build_id, faiss.serialize_index(faiss_index).tobytes())
    put("chunks", "chunks-%s.jsonl" % build_id, _jsonl(c.to_dict() for c in chunks))
    put("articles", "articles-%s.jsonl" % build_id, _jsonl(_article_to_dict(a) for a in articles))
    put("tokens", "tokens-%s.npz" % build_id, token_store.to_bytes(contents.tokens, TOKENIZER_VERSION))
    if synced is None:
        lexical = LexicalIndex.from_tokens(contents.tokens)
        for name in lexical.save(staging, "bm25-%s." % build_id):
            names["bm25:" + name.split(".", 1)[1]] = name

    files = {}
    for key, name in names.items():
        files[key] = dict(name=name, sha256=sha256_file(staging / name), bytes=(staging / name).stat().st_size)
    manifest = dict(
        format=FORMAT, format_version=FORMAT_VERSION, build_id=build_id,
        created=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        model=embedder.info.to_dict(), vector_index=spec.to_dict(), **expected_settings(chunking),
        **({"store": contents.store.to_dict()} if contents.store.kind != LOCAL else {}),
        counts=dict(articles=len(articles), chunks=len(chunks), files=len(seed_files)),
        files=files, seed_files=_seed_entries(seed_files, articles, chunks),
        **({"seeds_dir": contents.seeds_dir} if contents.seeds_dir else {}),
    )
    manifest["manifest_sha256"] = manifest_checksum(manifest)
    for name in names.values():
        os.replace(staging / name, index_dir / name)
    _fsync_dir(index_dir)
    tmp = index_dir / (MANIFEST + "." + build_id + ".tmp")
    _write_bytes(tmp, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(tmp, index_dir / MANIFEST)
    _fsync_dir(index_dir)
    shutil.rmtree(staging, ignore_errors=True)
    for name in old - set(names.values()):
        (index_dir / name).unlink(missing_ok=True)
    _clean_leftovers(index_dir, keep=set(names.values()))
    if synced is not None:
        from qa.index.milvus import delete_rows

        delete_rows(contents.store, synced.stale)
    log.info("index written to %s (%d chunks)", show_path(index_dir), len(chunks))

"""The index's manifest, and whether the index is stale.

``manifest.json`` is written last by every build (atomic rename) and names
every other file of the index with its SHA-256, the model and backend that
embedded it, the chunking and BM25 settings, and a content hash per seed file,
so that damage is detected on load and staleness is detected, not guessed.
The manifest carries a checksum of itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from qa.core.errors import IndexCorruptError, IndexMissingError
from qa.core.text import one_line
from qa.index.lexical import BM25_PARAMS, TOKENIZER_VERSION
from qa.ingest.chunking import ChunkingParams
from qa.ingest.sources import hash_seed_files

FORMAT = "qa-news-index"
# 2: the manifest carries a checksum of itself (manifest_sha256), so a flipped
# byte in it (a model prompt, a dimension, a file name) is detected on load.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class IndexStatus:
    """How an index compares with the seeds folder and the configured model."""

    exists: bool
    fresh: bool
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    model_changed: bool = False
    settings_changed: bool = False
    built_at: str = ""
    model_name: str = ""
    articles: int = 0
    chunks: int = 0
    problem: str = ""  # set when the index exists but cannot be used

    def describe(self) -> str:
        if self.problem:
            return self.problem
        if not self.exists:
            return "no index - run `qa build`"
        if self.fresh:
            return "index is up to date (%d articles, %d chunks, model %s, built %s)" % (
                self.articles, self.chunks, self.model_name, self.built_at)
        lines = ["index is stale - run `qa build`:"]
        lines += ["  added:   %s" % one_line(p) for p in self.added]
        lines += ["  changed: %s" % one_line(p) for p in self.changed]
        lines += ["  removed: %s" % one_line(p) for p in self.removed]
        if self.model_changed:
            lines.append("  the configured embedding model differs from the one the index was built with")
        if self.settings_changed:
            lines.append("  the index format or chunking settings changed")
        return "\n".join(lines)


def read_manifest(index_dir: Path) -> dict:
    """The manifest of ``index_dir``; raises with the fix when missing or unreadable."""
    path = Path(index_dir) / MANIFEST
    if not path.is_file():
        raise IndexMissingError("no index in %s - run `qa build`" % show_path(index_dir))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorruptError("the index manifest %s is damaged (%s) - run `qa build --force`" % (show_path(path), exc))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorruptError("%s is not a qa index manifest - run `qa build --force`" % show_path(path))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorruptError("the index in %s was written by another version (format %s, expected %s) - "
                                "run `qa build --force`" % (show_path(index_dir), manifest.get("format_version"),
                                                            FORMAT_VERSION))
    if manifest.get("manifest_sha256") != manifest_checksum(manifest):
        raise IndexCorruptError("the index manifest %s is damaged (its checksum does not match) - "
                                "run `qa build --force`" % show_path(path))
    return manifest


def built_from(index_dir: Path) -> Path | None:
    """The seeds folder the index in ``index_dir`` was built from, when its manifest names one that exists."""
    try:
        recorded = read_manifest(index_dir).get("seeds_dir")
    except (IndexMissingError, IndexCorruptError):
        return None
    return Path(recorded) if isinstance(recorded, str) and recorded and Path(recorded).is_dir() else None


def manifest_checksum(manifest: dict) -> str:
    """SHA-256 of the manifest's content without its own checksum (key order and spacing ignored)."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def show_path(path) -> str:
    return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)


def expected_settings(chunking: ChunkingParams) -> dict:
    return dict(chunking=chunking.to_dict(), bm25=dict(BM25_PARAMS, tokenizer=TOKENIZER_VERSION))


def index_status(index_dir: Path, seeds_dir: Path, model_id: str,
                 chunking: ChunkingParams = ChunkingParams(), backend: str | None = None) -> IndexStatus:
    """Compare the index in ``index_dir`` with ``seeds_dir`` and ``model_id``.

    ``backend`` (the embedding engine, ``auto`` included): the index is stale
    when its vectors came from a backend whose vectors may not be mixed with it.
    """
    try:
        manifest = read_manifest(index_dir)
    except IndexMissingError:
        return IndexStatus(exists=False, fresh=False)
    except IndexCorruptError as exc:
        return IndexStatus(exists=True, fresh=False, problem=str(exc))
    built = {name: info.get("sha256", "") for name, info in manifest.get("seed_files", {}).items()}
    current = hash_seed_files(seeds_dir) if Path(seeds_dir).is_dir() else {}
    added = tuple(sorted(set(current) - set(built)))
    removed = tuple(sorted(set(built) - set(current)))
    changed = tuple(sorted(n for n in set(current) & set(built) if current[n] != built[n]))
    model_changed = manifest.get("model", {}).get("id") != model_id or not backend_fits(manifest, model_id, backend)
    settings_changed = any(manifest.get(k) != v for k, v in expected_settings(chunking).items())
    fresh = not (added or removed or changed or model_changed or settings_changed)
    return IndexStatus(
        exists=True, fresh=fresh, added=added, changed=changed, removed=removed,
        model_changed=model_changed, settings_changed=settings_changed,
        built_at=manifest.get("created", ""), model_name=manifest.get("model", {}).get("name", ""),
        articles=manifest.get("counts", {}).get("articles", 0), chunks=manifest.get("counts", {}).get("chunks", 0),
    )


def backend_fits(manifest: dict, model_id: str, backend: str | None) -> bool:
    from qa.models.embedder import REFERENCE_BACKEND, compatible, resolve_backend

    if backend is None:
        return True
    built_with = manifest.get("model", {}).get("backend", REFERENCE_BACKEND)
    return compatible(built_with, resolve_backend(backend, model_id))


def referenced_files(index_dir: Path) -> set[str]:
    try:
        return {f["name"] for f in read_manifest(index_dir)["files"].values()}
    except Exception:
        return set()

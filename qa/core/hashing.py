"""SHA-256 of files: every checksum the project records (manifest, model, reader).

:func:`sha256_file` always reads the whole file. :func:`sha256_unless_unchanged`
is for the model cache, whose few hundred megabytes were hashed at every start
(about a second of a cold ``qa ask``): it keeps, next to the files, the digest
with the file's size, inode, mtime and ctime at the time of hashing, and hashes
again only when any of them changed. Any write to a file moves its ctime,
which no user call can set back, so a damaged file is still caught; a file
changed in the last seconds before hashing is not recorded (its timestamps
could still repeat, the "racy git" problem) and is hashed again next time.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from qa.core.cachefile import read_cache, write_cache

STAMPS_FILE = ".sha256-stamps.json"
_SETTLED_NS = 2_000_000_000


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]


def sha256_unless_unchanged(path: Path) -> str:
    """Hex SHA-256 of ``path``, read from the folder's stamps when the file has not changed since it was hashed."""
    path = Path(path)
    stat = path.stat()
    identity = _identity(stat)
    stamps = read_cache(path.parent / STAMPS_FILE)
    entry = stamps.get(path.name)
    if isinstance(entry, dict) and entry.get("stat") == identity and isinstance(entry.get("sha256"), str):
        return entry["sha256"]
    digest = sha256_file(path)
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > _SETTLED_NS and _identity(path.stat()) == identity:
        stamps = read_cache(path.parent / STAMPS_FILE)  # another file of the folder may have been recorded meanwhile
        stamps[path.name] = {"stat": identity, "sha256": digest}
        write_cache(path.parent / STAMPS_FILE, stamps)
    return digest

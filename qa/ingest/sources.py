"""Find and read the seed files: recursive walk, encoding detection, skip reports.

Users' archives are messy: GBK next to UTF-8, BOMs, CRLF, empty and binary
files, symlink loops. Every readable text file is loaded; everything else is
skipped with a reason that names the file, and the build goes on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from qa.core.errors import FormatError, SeedsError
from qa.core.hashing import sha256_file
from qa.ingest import formats
from qa.ingest.decoding import decode_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedFile:
    """One file found under the seeds folder, read or skipped."""

    path: str  # relative to the seeds folder, '/'-separated
    sha256: str
    size: int
    text: str | None  # None when skipped
    encoding: str = ""
    skipped: str = ""  # why it was skipped, empty when read


def list_seed_paths(seeds_dir: Path, skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """Every regular file under ``seeds_dir``, recursively, in a stable order.

    Hidden files and folders (names starting with '.') are ignored. Symlinks
    are followed, but only after every real file and folder has been found,
    so a file reached both directly and through a link (or a folder reached
    through a loop) is read once, under its real name. Entries that cannot be
    used - broken links, loops, duplicates through links, unreadable folders,
    FIFOs and devices - are appended to ``skipped`` as (name, reason).
    """
    root = Path(seeds_dir)
    if not root.is_dir():
        raise SeedsError("seeds folder %s does not exist - create it and put .txt articles in it, "
                         "or pass --seeds DIR" % root)
    walk = _SeedWalk(root, skipped)
    walk.walk(root)
    walk.follow_links()
    return walk.found


class _SeedWalk:
    """One walk of a seeds folder: the files found, the folders and files seen, the links still to follow."""

    def __init__(self, root: Path, skipped: list[tuple[str, str]] | None):
        self.root = root
        self.skipped = skipped
        self.seen_dirs: dict[str, Path] = {}  # real path -> the name it was first reached by
        self.seen_files: dict[str, Path] = {}
        self.found: list[Path] = []
        self.links: list[Path] = []  # followed once all real entries are known

    def skip(self, path: Path, reason: str) -> None:
        """Log ``path`` as skipped and report it to the caller's ``skipped`` list."""
        name = relative_name(path, self.root)
        # INFO, not WARNING: the build reports skips (BuildReport.skipped, `qa build` stderr).
        log.info("skipping %s: %s", name, reason)
        if self.skipped is not None:
            self.skipped.append((name, reason))

    def add_file(self, path: Path, real: str | None = None) -> None:
        """Keep the file ``path`` (whose real path is ``real``) unless it was already found."""
        real = real or os.path.realpath(path)
        if real in self.seen_files:
            self.skip(path, "same file as %s (symlink)" % relative_name(self.seen_files[real], self.root))
            return
        self.seen_files[real] = path
        self.found.append(path)

    def open_folder(self, folder: Path):
        """(real path, sorted entries) of ``folder``, or None when it is skipped."""
        real = os.path.realpath(folder)
        if real in self.seen_dirs:
            self.skip(folder, self._seen_folder_reason(folder, real))
            return None
        self.seen_dirs[real] = folder
        if folder != self.root and is_index_folder(folder):
            # `qa build --out seeds/index` made every build index the previous
            # index's JSONL files as articles: 21 chunks, then 90, then 333.
            self.skip(folder, "a qa index folder, not articles")
            return None
        try:
            return real, sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:  # also a path too long for the OS, deep down a tree
            self.skip(folder, "unreadable folder: %s" % (exc.strerror or exc))
            return None

    def _seen_folder_reason(self, folder: Path, real: str) -> str:
        parent = os.path.realpath(folder.parent)
        loop = parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)  # links to an ancestor
        if loop:
            return "symlink loop"
        return "same folder as %s (symlink)" % (relative_name(self.seen_dirs[real], self.root) or ".")

    def walk(self, folder: Path) -> None:
        """Find every file under ``folder``, setting symlinks aside for :meth:`follow_links`."""
        # Depth-first with an explicit stack, in the order a recursive walk
        # visits entries: a tree 1,000 folders deep overflowed Python's stack.
        opened = self.open_folder(folder)
        stack = [(opened[0], iter(opened[1]))] if opened is not None else []
        while stack:
            real_dir, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
            elif not entry.name.startswith("."):
                inner = self._visit(entry, real_dir)
                if inner is not None:
                    stack.append((inner[0], iter(inner[1])))

    def _visit(self, entry: os.DirEntry, real_dir: str):
        """Take in one entry of a folder; return the opened folder when it is one to descend into."""
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                self.links.append(path)
            elif entry.is_dir(follow_symlinks=False):
                return self.open_folder(path)
            elif entry.is_file(follow_symlinks=False):
                self.add_file(path, os.path.join(real_dir, entry.name))  # no link on the way: no realpath walk
            else:  # reading a FIFO would block the build forever
                self.skip(path, "not a regular file")
        except OSError as exc:
            self.skip(path, exc.strerror or str(exc))
        return None

    def follow_links(self) -> None:
        """Follow the symlinks set aside, in the order they were found (and those found through them)."""
        while self.links:
            path = self.links.pop(0)
            try:
                if not path.exists():
                    self.skip(path, "broken symlink")
                elif path.is_dir():
                    self.walk(path)
                elif path.is_file():
                    self.add_file(path)
                else:
                    self.skip(path, "not a regular file")
            except OSError as exc:  # e.g. ELOOP for a link that points at itself
                self.skip(path, "broken symlink (%s)" % (exc.strerror or exc))


def is_index_folder(folder: Path) -> bool:
    """True for a folder a build writes (it holds the build lock or a qa index manifest)."""
    folder = Path(folder)
    if (folder / ".build.lock").exists():
        return True
    try:
        with open(folder / "manifest.json", "rb") as handle:
            return b'"qa-news-index"' in handle.read(200)
    except OSError:
        return False


def relative_name(path: Path, seeds_dir: Path) -> str:
    """``path`` relative to ``seeds_dir``, '/'-separated, always valid Unicode.

    File names are bytes on Linux; names that are not UTF-8 (say GBK names
    unpacked from an old archive) come back from the OS with surrogate escapes
    that cannot be written to the index, a terminal or a web page: the build
    crashed writing the manifest. Such names are decoded as GB18030 when
    possible, otherwise with backslash escapes.
    """
    full, base = os.fspath(path), os.fspath(seeds_dir).rstrip(os.sep)
    if full.startswith(base + os.sep):  # what the walk yields: cheaper than relpath on 20,000 files
        name = full[len(base) + 1:].replace(os.sep, "/")
    else:
        name = Path(os.path.relpath(path, seeds_dir)).as_posix()
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace")


def read_seed_file(path: Path, seeds_dir: Path) -> SeedFile:
    """Read and decode one seed file; never raises for bad content."""
    name = relative_name(path, seeds_dir)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SeedFile(name, "", 0, None, skipped="unreadable: %s" % (exc.strerror or exc))
    digest = hashlib.sha256(data).hexdigest()
    try:
        text, encoding = decode_document(data, name)
    except ValueError as exc:
        return SeedFile(name, digest, len(data), None, skipped=str(exc))
    return SeedFile(name, digest, len(data), text, encoding)


def decode_document(data: bytes, name: str) -> tuple[str, str]:
    """(page text, how it was read) for a file's bytes: .md/.html/.docx/.pdf by their format
    reader (:mod:`qa.ingest.formats`), anything else as encoded text. Raises ``ValueError`` with the reason."""
    if not formats.is_converted(name):
        return decode_text(data)
    try:
        return formats.extract(data, name).text, formats.suffix_of(name).lstrip(".")
    except FormatError as exc:
        raise ValueError(str(exc)) from None


# Per seeds folder: path -> (stat signature, SHA-256) of the files hashed last time.
_hash_cache: dict[str, dict[str, tuple[tuple, str]]] = {}
_hash_lock = threading.Lock()


def hash_seed_files(seeds_dir: Path) -> dict[str, str]:
    """Content hash of every file under ``seeds_dir`` (for staleness checks).

    A file whose size, inode, modification and change times are those of the
    last call is not read again: every page load of the server checks
    staleness, and re-hashing 20,000 files each time took over a second. Any
    write to a file updates its change time, which no tool can set back;
    files changed in the last two seconds are always read, because file-system
    clocks are coarse (a second write in the same tick keeps the times).
    """
    import time

    key = os.path.realpath(seeds_dir)
    settled = time.time_ns() - 2_000_000_000
    with _hash_lock:
        known = _hash_cache.get(key, {})
    out: dict[str, str] = {}
    fresh: dict[str, tuple[tuple, str]] = {}
    for path in list_seed_paths(seeds_dir):
        name = relative_name(path, seeds_dir)
        try:
            st = path.stat()
            signature = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
            cached = known.get(str(path))
            digest = cached[1] if cached and cached[0] == signature else sha256_file(path)
            if max(st.st_mtime_ns, st.st_ctime_ns) < settled:
                fresh[str(path)] = (signature, digest)
        except OSError:
            digest = ""
        out[name] = digest
    with _hash_lock:
        _hash_cache[key] = fresh
    return out



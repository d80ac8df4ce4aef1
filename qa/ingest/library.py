"""The seeds folder as a library users change: add documents, paste a text, remove files.

Everything a user sends is data, including its name: a name is refused when
it holds a folder part (``../../x.txt``), and every write goes to a hidden
temporary file inside the seeds folder, then is renamed to its final name,
after checking the final path is inside the folder. Limits on count, size
and type are checked before anything is written, so a refused batch changes
nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from qa.core.errors import SeedsError, UploadError
from qa.ingest.articles import parse_page
from qa.ingest.formats import SUPPORTED_SUFFIXES, suffix_of
from qa.ingest.sources import (
    decode_document,
    hash_seed_files,
    list_seed_paths,
    relative_name,
)

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME_CHARS = 80


@dataclass(frozen=True)
class Limits:
    """What one batch of documents may hold (checked before anything is written)."""

    max_files: int = 50
    max_file_bytes: int = 20 * 1024 * 1024
    max_batch_bytes: int = 100 * 1024 * 1024
    suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES

    def describe(self) -> str:
        return "at most %d files of %d MB each (%d MB together): %s" % (
            self.max_files, self.max_file_bytes // 2**20, self.max_batch_bytes // 2**20, " ".join(self.suffixes))


@dataclass(frozen=True)
class FileReport:
    """What happened to one document: added, duplicate, skipped or removed, with its parse."""

    name: str  # the name it was offered under
    status: str  # "added", "duplicate", "skipped", "removed", "restored"
    stored: str = ""  # its name in the seeds folder
    reason: str = ""  # why it was skipped, or which file it duplicates
    articles: int = 0
    headline: str = ""
    paragraphs: int = 0

    def describe(self) -> str:
        """One line for the terminal."""
        if self.status == "added":
            return "added %s: %d article(s), %d paragraph(s), first headline: %s" % (
                self.stored, self.articles, self.paragraphs, self.headline)
        if self.status == "removed":
            return "removed %s" % self.stored
        return "%s %s: %s" % (self.status, self.name, self.reason)


@dataclass(frozen=True)
class _Offer:
    name: str
    path: Path | None = None
    data: bytes | None = None

    def size(self) -> int:
        return len(self.data) if self.data is not None else os.stat(self.path).st_size

    def read(self) -> bytes:
        return self.data if self.data is not None else Path(self.path).read_bytes()


def safe_name(name: str) -> str:
    """The file name ``name`` is stored under; raises :class:`UploadError` for a name with a folder part.

    Names arrive from browsers and scripts: ``../../x.txt``, ``/etc/passwd``,
    ``a\\b.txt`` are refused, not rewritten, so nobody is surprised by where a file went.
    """
    if not isinstance(name, str) or not name.strip():
        raise UploadError("a file has no name - give it a name ending in one of %s" % " ".join(SUPPORTED_SUFFIXES))
    name = unicodedata.normalize("NFC", name.strip())
    if "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise UploadError("the file name %r holds a folder path - send the file itself, named like article.txt"
                          % name[:100])
    clean = _UNSAFE.sub("_", name).lstrip(".").strip() or "article"
    suffix = suffix_of(clean)
    stem = clean[: len(clean) - len(suffix)] if suffix else clean
    return stem[:MAX_NAME_CHARS].rstrip(" .") + suffix


def inspect_document(data: bytes, name: str) -> FileReport:
    """The parse a document would get in the index: articles found, first headline, paragraph count."""
    try:
        text, _ = decode_document(data, name)
    except ValueError as exc:
        return FileReport(name, "skipped", reason=str(exc))
    page = parse_page(text, name)
    if not page.articles:
        return FileReport(name, "skipped", reason="no article text found")
    return FileReport(name, "added", articles=len(page.articles), headline=page.articles[0].title,
                      paragraphs=sum(len(a.paragraphs) for a in page.articles))


def _check_batch(offers: list[_Offer], limits: Limits) -> None:
    if len(offers) > limits.max_files:
        raise UploadError("%d files at once is too many - send at most %d per batch" % (len(offers), limits.max_files))
    total = 0
    for offer in offers:
        try:
            size = offer.size()
        except OSError as exc:
            raise UploadError("cannot read %s (%s) - check the file" % (offer.name, exc.strerror or exc)) from None
        total += size if size <= limits.max_file_bytes else 0  # an oversized file is skipped on its own
    if total > limits.max_batch_bytes:
        raise UploadError("the files hold %.0f MB together, more than %d MB - send them in smaller batches"
                          % (total / 2**20, limits.max_batch_bytes // 2**20))


def _refusal(offer: _Offer, limits: Limits) -> str:
    """Why ``offer`` cannot be stored, before its content is read ('' when it can)."""
    suffix = suffix_of(offer.name)
    if suffix not in limits.suffixes:
        return "unsupported file type %s - send %s" % (suffix or "(no suffix)", " ".join(limits.suffixes))
    size = offer.size()
    if size > limits.max_file_bytes:
        return "%.0f MB is larger than the %d MB limit - split the document" % (size / 2**20, limits.max_file_bytes // 2**20)
    if size == 0:
        return "empty file"
    return ""


def _free_name(seeds_dir: Path, name: str, taken: set[str]) -> str:
    suffix = suffix_of(name)
    stem = name[: len(name) - len(suffix)] if suffix else name
    candidate, n = name, 1
    while candidate in taken or (seeds_dir / candidate).exists():
        n += 1
        candidate = "%s-%d%s" % (stem, n, suffix)
    return candidate


def _inside(seeds_dir: Path, path: Path) -> bool:
    root = os.path.realpath(seeds_dir)
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def _write_atomic(seeds_dir: Path, name: str, data: bytes) -> None:
    target = seeds_dir / name
    if not _inside(seeds_dir, target.parent) or target.parent != seeds_dir:
        raise UploadError("refusing to write %s outside the seeds folder" % name)
    tmp = seeds_dir / (".upload-%s.tmp" % uuid.uuid4().hex)  # hidden: a build never reads it
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def add_documents(offers: Iterable[tuple[str, bytes | Path]], seeds_dir: Path, limits: Limits = Limits()) -> list[FileReport]:
    """Store documents ``(name, bytes or path)`` in ``seeds_dir``; one report per document.

    Raises :class:`UploadError` (nothing written) when the batch breaks a
    limit; a single bad document is skipped with its reason and the rest are
    stored. Exact duplicates (same bytes as a file already there, or earlier
    in the batch) are not stored again.
    """
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        raise SeedsError("seeds folder %s does not exist - create it or pass --seeds DIR" % seeds_dir)
    batch = [_Offer(n, data=v) if isinstance(v, (bytes, bytearray)) else _Offer(n, path=Path(v)) for n, v in offers]
    _check_batch(batch, limits)
    known = {digest: name for name, digest in hash_seed_files(seeds_dir).items() if digest}
    taken: set[str] = set()
    reports = []
    for offer in batch:
        try:
            name = safe_name(offer.name)
        except UploadError as exc:
            reports.append(FileReport(str(offer.name), "skipped", reason=str(exc)))
            continue
        reason = _refusal(_Offer(name, offer.path, offer.data), limits)
        if reason:
            reports.append(FileReport(offer.name, "skipped", reason=reason))
            continue
        data = offer.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            reports.append(FileReport(offer.name, "duplicate", stored=known[digest],
                                      reason="same content as %s" % known[digest]))
            continue
        parsed = inspect_document(data, name)
        if parsed.status != "added":
            reports.append(FileReport(offer.name, "skipped", reason=parsed.reason))
            continue
        stored = _free_name(seeds_dir, name, taken)
        _write_atomic(seeds_dir, stored, data)
        taken.add(stored)
        known[digest] = stored
        log.info("stored %s as %s", offer.name, stored)
        reports.append(FileReport(offer.name, "added", stored, "", parsed.articles, parsed.headline, parsed.paragraphs))
    return reports


def expand_paths(paths: Iterable[Path], limits: Limits = Limits()) -> list[tuple[str, Path]]:
    """Files to add for command-line ``paths``: files as given, folders' supported files (recursively)."""
    out: list[tuple[str, Path]] = []
    for path in map(Path, paths):
        if path.is_dir():
            for found in list_seed_paths(path):
                if suffix_of(found.name) in limits.suffixes:
                    out.append((found.name, found))
        elif path.is_file():
            out.append((path.name, path))
        else:
            raise UploadError("%s does not exist - give files or folders to add" % path)
    return out


def add_text(title: str, body: str, seeds_dir: Path, limits: Limits = Limits()) -> FileReport:
    """Store a pasted text as ``<title>.txt`` (title line, blank line, the text)."""
    title, body = (title or "").strip(), (body or "").strip()
    if not body:
        raise UploadError("the text is empty - paste the article's text")
    if "\n" in title or len(title) > 200:
        raise UploadError("the title must be one line of at most 200 characters")
    name = _UNSAFE.sub("_", title).strip(". ")[:MAX_NAME_CHARS] or "粘贴的文章"
    text = (title + "\n\n" if title else "") + body + "\n"
    return add_documents([(name + ".txt", text.encode("utf-8"))], seeds_dir, limits)[0]


def list_documents(seeds_dir: Path) -> list[str]:
    """Names of the files in ``seeds_dir`` (relative, '/'-separated), as the index knows them."""
    return sorted(hash_seed_files(seeds_dir))


def remove_documents(names: Iterable[str], seeds_dir: Path) -> list[FileReport]:
    """Delete the named seed files; a name that is not a file of the folder is skipped with the reason."""
    seeds_dir = Path(seeds_dir)
    present = {relative_name(p, seeds_dir): p for p in list_seed_paths(seeds_dir)}
    reports = []
    for name in names:
        path = present.get(name)
        if path is None or not _inside(seeds_dir, path.parent):
            reports.append(FileReport(name, "skipped", reason="no such file in the seeds folder (see `qa status`)"))
            continue
        path.unlink()
        log.info("removed %s", name)
        reports.append(FileReport(name, "removed", stored=name))
    return reports


# ------------------------------------------------------------------ trash: deletes that can be undone

TRASH_DIR = ".trash"  # hidden, so builds and `list_documents` never see it


def trash_documents(names: Iterable[str], seeds_dir: Path) -> tuple[str, list[FileReport]]:
    """Move the named seed files into a new batch of the trash folder; (batch id, one report per name).

    The batch can be put back with :func:`restore_documents` until :func:`empty_trash`. The trash is
    a hidden folder inside the seeds folder, so moving is a rename on the same disk and a build never
    reads it. The id is "" when nothing was moved.
    """
    seeds_dir = Path(seeds_dir)
    present = {relative_name(p, seeds_dir): p for p in list_seed_paths(seeds_dir)}
    batch = "%s-%s" % (time.strftime("%Y%m%dT%H%M%S"), uuid.uuid4().hex[:8])
    target = seeds_dir / TRASH_DIR / batch
    reports, moved = [], 0
    for name in names:
        path = present.get(name)
        if path is None or not _inside(seeds_dir, path.parent) or path.is_symlink():
            reports.append(FileReport(name, "skipped", reason="no such file in the seeds folder (see `qa status`)"))
            continue
        kept = target / name  # the relative name keeps sub-folders apart
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, kept)
        moved += 1
        log.info("moved %s to the trash (%s)", name, batch)
        reports.append(FileReport(name, "removed", stored=name))
    return (batch if moved else ""), reports


def restore_documents(batch: str, seeds_dir: Path) -> list[FileReport]:
    """Put the files of trash ``batch`` back where they were (under a free name when that one is taken again)."""
    seeds_dir = Path(seeds_dir)
    root = seeds_dir / TRASH_DIR
    if not re.fullmatch(r"[0-9T]+-[0-9a-f]{8}", batch or "") or not (root / batch).is_dir():
        raise UploadError("nothing to restore: trash batch %r is gone (the trash is emptied by a rebuild)" % batch)
    folder = root / batch
    reports = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        target = seeds_dir / name
        if not _inside(seeds_dir, target.parent):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target = target.parent / _free_name(target.parent, target.name, set())
        os.replace(path, target)
        log.info("restored %s from the trash", name)
        reports.append(FileReport(name, "restored", stored=relative_name(target, seeds_dir)))
    shutil.rmtree(folder, ignore_errors=True)
    return reports


def empty_trash(seeds_dir: Path) -> int:
    """Delete every file kept in the trash; returns how many there were."""
    root = Path(seeds_dir) / TRASH_DIR
    if not root.is_dir():
        return 0
    count = sum(1 for p in root.rglob("*") if p.is_file())
    shutil.rmtree(root, ignore_errors=True)
    return count

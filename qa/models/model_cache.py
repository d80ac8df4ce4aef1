"""What an older version left in the model cache: exports in a format the code no longer reads.

Each change of the ONNX export format (``-onnx-v2``, ``reader-onnx-v2-<sha>``) exports
again into a new folder beside the old one, ~850 MB each. An old folder is stale once
the same model's export in the current format is there: nothing reads it, and a
checkout that still needs it exports it again on first use.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from qa.models.onnx_backend import ONNX_FORMAT

log = logging.getLogger(__name__)

# The folder format of the reader's ONNX export (qa.reader.onnx); 2: weights in external data files.
READER_ONNX_FORMAT = 2


def reader_onnx_dir(cache_dir: Path, weights_sha: str) -> Path:
    """Where the reader with weights ``weights_sha`` is exported in the current format."""
    return Path(cache_dir) / ("reader-onnx-v%d-%s" % (READER_ONNX_FORMAT, weights_sha[:12]))


_EMBEDDER = re.compile(r"(?P<model>.+)-onnx-v(?P<format>\d+)")
_READER = re.compile(r"reader-onnx-(?:v(?P<format>\d+)-)?(?P<sha>[0-9a-f]{12})")  # format 1 had no "v1-"


def stale_exports(cache_dir: Path) -> list[Path]:
    """Export folders of ``cache_dir`` in an older format whose current-format copy exists."""
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return []
    stale = []
    for folder in sorted(p for p in cache_dir.iterdir() if p.is_dir()):
        reader = _READER.fullmatch(folder.name)
        embedder = _EMBEDDER.fullmatch(folder.name)
        if reader:
            old = int(reader["format"] or 1) < READER_ONNX_FORMAT
            current = reader_onnx_dir(cache_dir, reader["sha"])
        elif embedder:
            old = int(embedder["format"]) < ONNX_FORMAT
            current = cache_dir / ("%s-onnx-v%d" % (embedder["model"], ONNX_FORMAT))
        else:
            continue
        if old and current.is_dir():
            stale.append(folder)
    return stale


def prune_stale_exports(cache_dir: Path) -> list[Path]:
    """Delete :func:`stale_exports`; returns what was deleted."""
    removed = []
    for folder in stale_exports(cache_dir):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            log.info("removed %s: an export in a format this version no longer reads", folder)
            removed.append(folder)
    return removed

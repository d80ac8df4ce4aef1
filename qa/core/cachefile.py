"""Small files a cache keeps for speed (checksum stamps, the page's examples, derived copies): best effort both ways.

A missing, damaged or unwritable file only costs the work it would have saved, so
reading gives ``{}`` and writing logs at debug level instead of raising.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def read_cache(path: Path) -> dict:
    """The JSON object in ``path``; ``{}`` when it is missing, unreadable or not an object."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def write_cache(path: Path, value: dict) -> None:
    """Replace ``path`` with ``value`` atomically; a failure leaves no temporary file behind."""
    keep_file(path, lambda handle: handle.write(json.dumps(value, ensure_ascii=False).encode("utf-8")))


def keep_file(path: Path, write) -> None:
    """Replace ``path`` atomically with what ``write(binary_handle)`` writes; a folder that cannot be
    written to is left as it is (logged at debug level), and no temporary file is left behind."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("cannot keep %s: %s", path, exc)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)

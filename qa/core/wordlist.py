"""jieba's dictionary opened in a third of the time: its words and counts kept as plain text and a numpy array.

``jieba.initialize()`` reads its own cache with ``marshal``: 0.6 s for the ~500k
words and prefixes of the default dictionary, at every start of ``qa build``,
``qa ask`` and ``qa serve``, holding the GIL the whole time. The same dictionary
read back from a newline-joined word list and an int64 array of counts takes
0.2 s (jieba's total, which is not the sum of the counts, kept after them), and no
code from the cache is ever executed. The files are keyed by the
jieba version and the size and modification time of its dictionary file; they
are written once, after jieba's own initialisation (counts first, words last),
and anything unreadable or inconsistent falls back to that initialisation.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from qa.core.cachefile import keep_file

log = logging.getLogger(__name__)


def _stem(folder: Path) -> Path:
    import jieba

    source = Path(jieba.__file__).with_name("dict.txt")
    try:
        stat = source.stat()
        key = "%s-%d-%d" % (jieba.__version__, stat.st_size, stat.st_mtime_ns)
    except OSError:  # the dictionary ships inside a zipped package: its version is enough
        key = jieba.__version__
    return Path(folder) / ("jieba-words-%s" % key.replace(".", "_"))


def load_dictionary(tokenizer, folder: Path | None) -> None:
    """Initialise ``tokenizer`` (a ``jieba.Tokenizer`` of the default dictionary, say ``jieba.dt``) from
    the word list kept in ``folder``, keeping it there after jieba's own initialisation when it is
    missing; ``folder`` None or a custom dictionary: jieba's own initialisation."""
    if folder is None or tokenizer.dictionary is not None:  # a custom dictionary: jieba's own cache
        tokenizer.initialize()
        return
    stem = _stem(folder)
    words_file, counts_file = stem.with_name(stem.name + ".txt"), stem.with_name(stem.name + ".npy")
    if words_file.is_file():  # written last: the counts are there too
        try:
            words = words_file.read_text(encoding="utf-8").split("\n")
            counts = np.load(counts_file, allow_pickle=False)
            if len(words) + 1 == len(counts) and counts.dtype.kind == "i":
                with tokenizer.lock:
                    tokenizer.FREQ = dict(zip(words, counts[:-1].tolist()))
                    tokenizer.total = int(counts[-1])
                    tokenizer.initialized = True
                return
            log.warning("jieba's word list %s does not match its counts; reading the dictionary again", words_file)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            log.warning("jieba's word list %s is unreadable (%s); reading the dictionary again", words_file, exc)
    tokenizer.initialize()
    freq = tokenizer.FREQ
    if any("\n" in word for word in freq):  # a custom dictionary this format cannot hold
        return
    # jieba's total is not the sum of its counts (a word listed twice counts twice): kept after them
    counts = np.fromiter(list(freq.values()) + [tokenizer.total], dtype=np.int64, count=len(freq) + 1)
    keep_file(counts_file, lambda handle: np.save(handle, counts))
    keep_file(words_file, lambda handle: handle.write("\n".join(freq).encode("utf-8")))

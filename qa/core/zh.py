"""Chinese text shared by every stage: the character classes of news text and the jieba segmenter.

One place for the punctuation that ends a clause (news pages mix ASCII ``,`` ``;``
with full-width ``，`` ``；``) and for Chinese numerals, so that a splitter and
a check agree on what a clause or a number is. jieba is loaded once per process,
its dictionary read from the model cache (:mod:`qa.core.wordlist`).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

# Ends a clause: sentence ends, commas, semicolons and colons in both widths (never 、, which joins a list).
CLAUSE_MARKS = ",，;；:：。！？!?"
# Chinese digits (两 counts: 两家), and the magnitudes written after them.
CN_DIGITS = "零一二三四五六七八九十两"
CN_MAGNITUDES = "百千万亿"

_jieba_lock = threading.Lock()
_jieba_ready = False
_jieba_cache: Path | None = None


def use_cache_dir(folder: Path) -> None:
    """Keep jieba's 9 MB dictionary cache in ``folder`` (the model cache) instead of /tmp,
    which is cleared on reboot, so every first start after one rebuilt it."""
    global _jieba_cache
    _jieba_cache = Path(folder)


def load_jieba():
    """The ``jieba`` module with its dictionary loaded (once per process, thread-safe)."""
    global _jieba_ready
    import jieba

    # Here, not at the top: the text helpers import this module, and the word list needs numpy.
    from qa.core.wordlist import load_dictionary

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                if _jieba_cache is not None:
                    try:
                        _jieba_cache.mkdir(parents=True, exist_ok=True)
                        jieba.dt.tmp_dir = str(_jieba_cache)
                    except OSError:
                        pass
                load_dictionary(jieba.dt, _jieba_cache)
                _jieba_ready = True
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary in a background thread (start-up overlaps it with the model load)."""
    if not _jieba_ready:
        threading.Thread(target=load_jieba, name="jieba-warm-up", daemon=True).start()


def segment(text: str) -> list[str]:
    """jieba's words of ``text`` as written (no folding, nothing dropped): they join back into ``text``."""
    return load_jieba().lcut(text)


def word_frequency(word: str) -> int:
    """How often jieba's dictionary, counted over general Chinese text, saw ``word`` (0 for a word it lacks)."""
    return load_jieba().dt.FREQ.get(word) or 0


class Tagged(NamedTuple):
    """A word and its part-of-speech flag, as jieba's tagger gives them."""

    word: str
    flag: str


@lru_cache(maxsize=4096)
def pos_tagged(text: str) -> tuple[Tagged, ...]:
    """jieba's words of ``text`` with their part-of-speech flags, remembered: one question tags the same
    passage and phrases for every candidate span it weighs."""
    load_jieba()
    import jieba.posseg as pseg

    return tuple(Tagged(w.word, w.flag) for w in pseg.lcut(text))

"""jieba's dictionary read back from the project's word list segments exactly as jieba's own."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import numpy as np

from qa.core.wordlist import load_dictionary

ROOT = Path(__file__).resolve().parents[2]


def _lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "seeds").iterdir()) + sorted((ROOT / "eval" / "forms_articles").iterdir()):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_the_kept_word_list_gives_jiebas_dictionary_and_words(tmp_path):
    own = jieba.Tokenizer()
    own.tmp_dir = str(tmp_path / "jieba-own")
    own.initialize()
    first = jieba.Tokenizer()
    load_dictionary(first, tmp_path)  # jieba's initialisation, then the word list kept
    kept = sorted(p.name for p in tmp_path.glob("jieba-words-*"))
    assert len(kept) == 2 and kept[0].endswith(".npy") and kept[1].endswith(".txt")
    second = jieba.Tokenizer()
    load_dictionary(second, tmp_path)  # read back
    assert second.initialized and second.FREQ == own.FREQ and second.total == own.total
    for line in _lines():
        assert second.lcut(line) == own.lcut(line)
        assert second.lcut_for_search(line) == own.lcut_for_search(line)


def test_a_damaged_word_list_is_read_again_from_jiebas_dictionary(tmp_path, caplog):
    load_dictionary(jieba.Tokenizer(), tmp_path)
    counts = next(tmp_path.glob("jieba-words-*.npy"))
    np.save(counts, np.arange(5, dtype=np.int64))
    damaged = jieba.Tokenizer()
    with caplog.at_level(logging.WARNING, logger="qa.core.wordlist"):
        load_dictionary(damaged, tmp_path)
    assert "does not match" in caplog.text
    assert damaged.lcut("武进区党政代表团赴盐城市阜宁县考察交流")[:3] == ["武进区", "党政", "代表团"]
    assert len(np.load(counts)) == len(damaged.FREQ) + 1  # and kept whole again (the total last)


def test_a_custom_dictionary_keeps_jiebas_own_cache(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("武进区 10 ns\n石墨烯小镇 5 n\n", encoding="utf-8")
    custom = jieba.Tokenizer(dictionary=str(words))
    custom.tmp_dir = str(tmp_path)
    load_dictionary(custom, tmp_path)
    assert custom.initialized and "石墨烯小镇" in custom.FREQ
    assert not list(tmp_path.glob("jieba-words-*"))

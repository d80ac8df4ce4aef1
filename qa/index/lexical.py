"""BM25 over jieba tokens, persisted with the index (never rebuilt per query)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from qa.core.text import normalize
from qa.core.zh import load_jieba

log = logging.getLogger(__name__)

TOKENIZER_VERSION = "jieba-search-nfkc-joints-v3"
BM25_PARAMS = dict(k1=1.2, b=0.75, method="lucene")
# The words that ask (never the topic); question analysis (qa/answer/question.py) drops more besides.
QUESTION_WORDS = frozenset("什么 哪 哪些 哪个 哪里 谁 多少 几 如何 怎么 怎样 为什么 是否 请问 一下".split())
# Particles, question words and punctuation carry no topic; dropping them keeps BM25 on content words.
STOPWORDS = QUESTION_WORDS | frozenset(
    "的 了 是 在 和 与 及 等 也 都 而 并 将 对 把 被 从 向 于 以 之 其 这 那 有 为 个 中 上 下 吗 呢 吧 啊 么".split())

def tokenize(text: str) -> list[str]:
    """Search tokens for BM25: NFKC-folded, lower-cased jieba search-mode words.

    Search mode also emits the shorter words inside long ones
    (滨湖文隽企业服务中心 -> 企业, 服务, 中心 ...), which lets a question match
    a paragraph that words a name differently.
    """
    return _kept(_search_words(load_jieba().lcut(normalize(text))))


def index_tokens(text: str) -> list[str]:
    """The words BM25 indexes and queries: :func:`tokenize`'s, and the two characters across a
    one-character word's boundary with a word jieba's dictionary lacks (重点推进…等校|地|合作 also holds
    校地, which a question segments as one word)."""
    words = load_jieba().lcut(normalize(text))
    return _kept(_search_words(words)) + _loose_joints(words)


def _search_words(words: list[str]) -> list[str]:
    """jieba's search mode over a segmentation (what ``cut_for_search`` does after its ``cut``): each
    long word's two- and three-character dictionary words, then the word; one segmentation serves
    :func:`index_tokens` twice."""
    freq = load_jieba().dt.FREQ
    out = []
    for word in words:
        for size in (2, 3):
            if len(word) > size:
                out += [word[i:i + size] for i in range(len(word) - size + 1) if freq.get(word[i:i + size])]
        out.append(word)
    return out


def _kept(words: list[str]) -> list[str]:
    return [w for w in words if w.strip() and not _is_punct(w) and w not in STOPWORDS]


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _loose_joints(words: list[str]) -> list[str]:
    """The two characters across each boundary between a one-character word and a word jieba's
    dictionary lacks (等校|地 -> 校地): jieba guessed that split, and the same characters in a question
    may be read as one word. Only there: a joint beside every one-character word would lengthen each
    passage by a tenth with pairs no one asks for, which moves BM25's length normalisation."""
    freq = load_jieba().dt.FREQ
    out = []
    for left, right in zip(words, words[1:]):
        if (len(left) == 1) == (len(right) == 1):
            continue  # exactly one side is a one-character word
        longer = left if len(right) == 1 else right
        if not freq.get(longer) and left not in STOPWORDS and right not in STOPWORDS \
                and _HAN.fullmatch(left) and _HAN.fullmatch(right):
            out.append(left[-1] + right[0])
    return out


def tokenize_all(texts: list[str], known: dict[str, list[str]] | None = None) -> list[list[str]]:
    """:func:`index_tokens` of every text, taken from ``known`` (text -> words) where it holds the text."""
    known = known or {}
    return [known[text] if text in known else index_tokens(text) for text in texts]


def _is_punct(word: str) -> bool:
    return all(not ch.isalnum() for ch in word)


class LexicalIndex:
    """A BM25 index over chunk texts (bm25s)."""

    FILES = {
        "data": "data.npy", "indices": "indices.npy", "indptr": "indptr.npy",
        "vocab": "vocab.json", "params": "params.json", "nnoc": "nonoccurrence.npy",
    }

    def __init__(self, bm25, size: int):
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        return cls.from_tokens([index_tokens(t) for t in texts])

    @classmethod
    def from_tokens(cls, token_lists: list[list[str]]) -> "LexicalIndex":
        """The index over chunks already split by :func:`index_tokens` (one list per chunk)."""
        import bm25s

        bm25 = bm25s.BM25(**BM25_PARAMS)
        bm25.index([tokens or [""] for tokens in token_lists], show_progress=False)
        return cls(bm25, len(token_lists))

    def save(self, folder: Path, prefix: str) -> list[str]:
        """Write the index into ``folder`` with file names starting ``prefix``; return the names."""
        names = {k: prefix + v for k, v in self.FILES.items()}
        self._bm25.save(
            str(folder), data_name=names["data"], indices_name=names["indices"], indptr_name=names["indptr"],
            vocab_name=names["vocab"], params_name=names["params"], nnoc_name=names["nnoc"],
        )
        return [n for n in names.values() if (Path(folder) / n).exists()]

    @classmethod
    def load(cls, folder: Path, prefix: str, size: int) -> "LexicalIndex":
        import bm25s

        names = {k: prefix + v for k, v in cls.FILES.items()}
        bm25 = bm25s.BM25.load(
            str(folder), data_name=names["data"], indices_name=names["indices"], indptr_name=names["indptr"],
            vocab_name=names["vocab"], params_name=names["params"], nnoc_name=names["nnoc"],
            load_corpus=False,
        )
        return cls(bm25, size)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when no word matches)."""
        return self.word_scores(index_tokens(query))

    def word_scores(self, words: list[str]) -> np.ndarray:
        """BM25 score of every chunk for a question already split by :func:`index_tokens`."""
        ids = self._bm25.get_tokens_ids(words)
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(ids), dtype=np.float32)

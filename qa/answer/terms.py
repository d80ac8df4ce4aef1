"""How much a question's topic words weigh, and how much of that weight a text holds.

A word weighs by its rarity over the indexed passages (an IDF counted by
substring, which is robust to word segmentation); a sentence covers the share
of the question's weight whose words it contains. The answerer, the list and
summary answers and the author check all score text this way.
"""

from __future__ import annotations

import math

import numpy as np

from qa.answer.question import Term, long_forms, term_presence
from qa.core.text import has_cjk, normalize
from qa.core.zh import word_frequency

DF_CACHE_LIMIT = 50_000
# A two-character word this common in general text is a word of its own, not an abbreviation to spell out:
# 特产 (a local speciality; 2,328 in jieba's dictionary) is no 特色产业, while 营收 (0), 国企 (341) and 外贸 (1,887) are
# the short forms of 营业收入, 国有企业 and 对外贸易.
COMMON_WORD_FREQUENCY = 2000


class TermWeights:
    """Topic-word weights over the passages ``texts`` (their indexed text)."""

    def __init__(self, texts: list[str]):
        self._n_docs = max(len(texts), 1)
        self._folded = [normalize(t) for t in texts]
        self._df_cache: dict[str, int] = {}
        self._rows_with = _character_postings(self._folded)

    def _candidates(self, word: str):
        """The passages holding every character of ``word``: the only ones that can hold ``word``
        (a scan of every passage per new word grew with the corpus)."""
        postings = sorted((self._rows_with.get(ch, _NO_ROWS) for ch in set(word)), key=len)
        if not postings:
            return self._folded
        rows = postings[0]
        for more in postings[1:]:
            if not len(rows):
                break
            rows = np.intersect1d(rows, more, assume_unique=True)
        return [self._folded[i] for i in rows]

    def long_form(self, word: str) -> str:
        """The words the articles write for an abbreviation they never use (营收 -> 营业收入), or ""."""
        if len(word) != 2 or self.df_exact(word) or word_frequency(word) >= COMMON_WORD_FREQUENCY:
            return ""
        counts: dict[str, int] = {}
        for text in self._candidates(word):
            for full in long_forms(word, text):
                counts[full] = counts.get(full, 0) + 1
        return max(counts, key=lambda k: (counts[k], k)) if counts else ""

    def df_exact(self, word: str) -> int:
        """In how many passages ``word`` occurs as a substring."""
        return sum(1 for text in self._candidates(word) if word in text)

    def df(self, term: str) -> int:
        """In how many passages ``term`` occurs as a substring (robust to word segmentation); a two-character
        abbreviation no passage uses counts the passages with its long form (营收: 营业收入)."""
        if term not in self._df_cache:
            if len(self._df_cache) > DF_CACHE_LIMIT:  # questions bring new words forever: stay bounded
                self._df_cache.clear()
            df = self.df_exact(term)
            if df == 0 and len(term) == 2:
                df = sum(1 for text in self._candidates(term) if long_forms(term, text))
            self._df_cache[term] = df
        return self._df_cache[term]

    def weight(self, term: Term) -> float:
        df = self.df(term.text)
        if df == 0 and term.parts:
            df = max(self.df(p) for p in term.parts)
        return math.log(1 + (self._n_docs - df + 0.5) / (df + 0.5)) * term.factor

    def coverage(self, terms, text: str, context: str = "", *, folded: str | None = None,
                  around: str | None = None) -> float:
        """Share of the topic-word weight that ``text`` contains.

        Words found only in the surrounding ``context`` (the passage and its
        headline) count half: sentences often drop a subject named earlier.
        ``folded`` and ``around`` are ``normalize(text)`` and ``normalize(context)``
        when the caller already has them.
        """
        if not terms:
            return 0.0
        if folded is None:
            folded = normalize(text)
        if around is None:
            around = normalize(context) if context else ""
        total = sum(self.weight(t) for t in terms)
        found = 0.0
        for t in terms:
            presence = term_presence(t, folded)
            if around and presence < 1.0:
                presence = max(presence, 0.3 * term_presence(t, around))
            found += self.weight(t) * presence
        return found / total if total else 0.0

    def corpus_presence(self, term: Term) -> float:
        if self.df(term.text):
            return 1.0
        pieces = list(term.parts)
        if has_cjk(term.text):
            pieces += [term.text[i:i + 2] for i in range(len(term.text) - 1)]
        present = [p for p in pieces if len(p) >= 2 and self.df(p)]
        return term_presence(Term(term.text, term.factor, tuple(present)), " ".join(present))

    def unknown_share(self, terms) -> float:
        """Share of the question's topic weight on words no passage contains (常住人口, 门票)."""
        total = sum(self.weight(t) for t in terms)
        if not total:
            return 0.0
        return sum(self.weight(t) * (1.0 - self.corpus_presence(t)) for t in terms) / total


_NO_ROWS = np.zeros(0, dtype=np.int32)


def _character_postings(texts: list[str]) -> dict[str, np.ndarray]:
    """For each character, the sorted rows of the texts holding it."""
    rows: dict[str, list[int]] = {}
    for row, text in enumerate(texts):
        for ch in set(text):
            rows.setdefault(ch, []).append(row)
    return {ch: np.array(r, dtype=np.int32) for ch, r in rows.items()}

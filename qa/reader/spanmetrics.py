"""Exact match and F1 of a short answer, the way CMRC 2018's own evaluation counts them.

"Mixed segmentation": every CJK character is a token, runs of other
characters are split on white space, punctuation is dropped. F1 comes from
the longest common substring of the two token lists; EM compares the joined
tokens. Both take the best over the gold answers.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# The characters CMRC 2018's script splits on (besides CJK characters); "1.8" stays one token.
_SPLIT = set("-:_*^/\\~`+=，。：？！“”；’《》·、「」（）－～『』…")


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def tokens(text: str) -> list[str]:
    """Mixed segmentation of ``text`` (lower-cased, NFKC), punctuation dropped."""
    out: list[str] = []
    run: list[str] = []

    def flush():
        for word in "".join(run).split():
            word = word.strip("".join(ch for ch in word if _is_punct(ch)))
            if word:
                out.append(word)
        run.clear()

    for ch in unicodedata.normalize("NFKC", text).lower():
        if _CJK.match(ch) or ch in _SPLIT or _is_punct(ch) and not run:
            flush()
            if _CJK.match(ch):
                out.append(ch)
        else:
            run.append(ch)
    flush()
    return out


def _lcs_len(a: list[str], b: list[str]) -> int:
    """Length of the longest common contiguous run."""
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def f1(prediction: str, golds) -> float:
    """Best F1 (0..1) of ``prediction`` against any of ``golds``."""
    pred = tokens(prediction)
    best = 0.0
    for gold in golds:
        ref = tokens(gold)
        common = _lcs_len(pred, ref)
        if common:
            precision, recall = common / len(pred), common / len(ref)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def exact(prediction: str, golds) -> float:
    """1.0 when ``prediction`` equals one of ``golds`` after mixed segmentation."""
    pred = "".join(tokens(prediction))
    return 1.0 if any(pred == "".join(tokens(g)) for g in golds) else 0.0

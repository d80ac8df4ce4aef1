"""Everyday words for money in a question, in the words news copy writes: 花多少钱 is 总投资 or 耗资,
赚多少钱 is 营业收入 or 利润.

The reader, trained on questions worded like their passages, doubts 研究院一共要花多少钱 over
该项目总投资约为4.15亿元 and is sure of 研究院一共要总投资多少钱. The formal word is taken from the
passages about to be read, never guessed: a question keeps its words when none of them writes one.
"""

from __future__ import annotations

import re

# (the everyday verb before an amount asked for, the words an article writes for it, most specific first)
# An amount of money closing the question: 多少钱 / 几亿 / 多少 (花了多少心思 asks no amount of money).
_AMOUNT = r"(?=(?:大概|大约|约)?(?:多少|几[十百千万亿]+)(?:钱|元|块|万元?|亿元?|资金|经费)?[?？。]?$)"
_PLAIN_MONEY = (
    (re.compile(r"花(?:费|掉)?了?" + _AMOUNT), ("总投资", "投资", "耗资", "花费", "投入", "造价", "支出")),
    (re.compile(r"(?:赚|挣)(?:到|得)?了?" + _AMOUNT), ("营业收入", "营收", "净利润", "利润", "盈利", "收入")),
)


def formal_wording(question: str, texts: list[str]) -> str:
    """``question`` with its everyday money verb in the formal word the best-ranked of ``texts`` writes."""
    for plain, formal in _PLAIN_MONEY:
        found = plain.search(question)
        if found is None:
            continue
        word = next((word for text in texts for word in formal if word in text), "")
        if word:
            question = question[:found.start()] + word + question[found.end():]
    return question

"""Qualifiers that pick one of several things: a phase, an ordinal, a half, quarter or year (今年, 2019年).

"长三角青年创新创业港二期项目什么时候开工?" is not answered by a sentence about the
一期项目, nor "第九次推进会" by the 第八次: the reader sees the same topic words and
returns a confident span. A sentence that names another member of the question's
qualifier family, and not the question's own, cannot hold the answer. Pure
functions over text.
"""

from __future__ import annotations

import re

_NUMERAL = r"[一二三四五六七八九十百零两\d]+"
# A total over all the years (创建以来, 累计) answers no question about one year.
_SINCE = r"|(?:创建|成立|建成|创办|建立|开业|开园|投用)以来|累计"  # the member "total" (no group of its own)
# Each family: one pattern whose match, normalised, is the member (二期, 第九次, 下半年, 三季度).
_FAMILIES = (
    re.compile(r"(?<![日时学周长短分预初末近远])(%s)期(?=工程|项目|建设|$|[^间限待望货刊])" % _NUMERAL),
    re.compile(r"第(%s)(届|次|批|轮|期|季)" % _NUMERAL),
    re.compile(r"([上下])半年"),
    re.compile(r"(?:第)?([一二三四1-4])季度"),
    re.compile(r"(今|去|明|前)年" + _SINCE),  # a sentence on last year's revenue does not answer this year's
    re.compile(r"(?<!\d)(\d{4})年" + _SINCE),  # nor one on 2017 a question on 2019, nor a total since founding
)


def _members(text: str) -> list[set[str]]:
    """For each family, the members ``text`` names (the numeral and its measure word)."""
    return [{"".join(g for g in m.groups() if g) or "total" for m in family.finditer(text)} for family in _FAMILIES]


_THINGS = 2  # the first families (a phase, an ordinal) name which thing; the others, which time


def qualifier_conflict(question: str, sentence: str, times: bool = True) -> bool:
    """True when ``sentence`` names another phase, ordinal, half, quarter or year than ``question`` asks
    about, and not the asked one (二期 asked, only 一期 in the sentence; 今年 asked, only 去年).

    ``times=False`` checks only phases and ordinals: they name a thing for a whole paragraph (一期项目…
    ;该项目总投资…), where a time governs only its own sentence."""
    families = list(zip(_members(question), _members(sentence)))
    for asked, named in families if times else families[:_THINGS]:
        if asked and named and not asked & named:
            return True
    return False

"""Qualifiers that pick one of several things: a phase, an ordinal, a half, quarter or year (今年, 2019年),
and, within a clause, the side of a contrast (男子组 / 女子组, 城镇居民 / 农村居民).

"长三角青年创新创业港二期项目什么时候开工?" is not answered by a sentence about the
一期项目, nor "第九次推进会" by the 第八次: the reader sees the same topic words and
returns a confident span. A sentence that names another member of the question's
qualifier family, and not the question's own, cannot hold the answer. Pure
functions over text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.core.zh import CN_DIGITS

_NUMERAL = r"[%s百\d]+" % CN_DIGITS
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


_HALF, _QUARTER, _RELATIVE_YEAR, _YEAR = 2, 3, 4, 5  # indexes into _FAMILIES


def _members(text: str) -> list[frozenset[str]]:
    """For each family, the members ``text`` names (the numeral and its measure word).

    A half or quarter named without a year (上半年, 一季度) is this year's: a report on the first
    half does not answer a question about last year."""
    return list(_named_members(text))


@lru_cache(maxsize=4096)  # one question checks the same passage's sentences for every span it weighs
def _named_members(text: str) -> tuple[frozenset[str], ...]:
    members = [{"".join(g for g in m.groups() if g) or "total" for m in family.finditer(text)} for family in _FAMILIES]
    if (members[_HALF] or members[_QUARTER]) and not members[_RELATIVE_YEAR] and not members[_YEAR]:
        members[_RELATIVE_YEAR] = {"今"}
    return tuple(frozenset(m) for m in members)


# The stages of a project or an opening, as news dates them: a date of one stage does not tell another's
# (研究院是什么时候开工的 is not answered by 预计下月改建完成).
_STAGES = (
    ("start", re.compile(r"开工|动工|开建|奠基|破土|启动|开始建设|开始施工")),
    ("finish", re.compile(r"竣工|完工|建成|落成|完成(?:建设|施工|改建|改造)?|(?:建设|施工|改建|改造)完成|封顶")),
    ("open", re.compile(r"投用|投入使用|投入运营|运营|开业|开放|开通|通车|揭牌|启用|交付")),
)


def stage_conflict(question: str, statement: str) -> bool:
    """True when ``question`` asks the date of one stage (开工) and ``statement`` names only others (完成)."""
    asked = {name for name, pattern in _STAGES if pattern.search(question)}
    named = {name for name, pattern in _STAGES if pattern.search(statement)}
    return bool(asked and named and not asked & named)


# A paragraph that opens with its time ("上半年,全区科技系统…") dates every sentence that names none.
_OPENER = re.compile(r"\s*([^,，。;；]{1,8})[,，]")


def in_context(paragraph: str, statement: str) -> str:
    """``statement`` with the time that opens its ``paragraph`` when it names no time of its own."""
    opener = _OPENER.match(paragraph)
    if not opener or any(_members(statement)[_THINGS:]):
        return statement
    time = opener.group(1)
    return time + "," + statement if any(_members(time)[_THINGS:]) else statement


# Sides of a contrast an article states clause by clause ("城镇居民…13151元;农村居民…5651元",
# "男子组指定演唱《童话》,女子组…"): each family's members, normalised to one side each.
_SIDES = (
    (re.compile(r"(男|女)(?=子|性|生|篮|足|排|单打|双打|组|队|选手|运动员)"), {"男": "男", "女": "女"}),
    (re.compile(r"(城镇|城市|城区|农村|乡村)(?=居民|人口|地区|户籍|常住|家庭|低保|学校|消费)"),
     {"城镇": "城", "城市": "城", "城区": "城", "农村": "乡", "乡村": "乡"}),
    (re.compile(r"(国内|境内|国外|境外|海外)(?=游客|旅客|市场|投资|企业|资金|客源|航线|销售|收入)"),
     {"国内": "内", "境内": "内", "国外": "外", "境外": "外", "海外": "外"}),
    (re.compile(r"(进口|出口)"), {"进口": "进", "出口": "出"}),
)
# Attributes measured alike and told apart by one word: a clause on the floor area does not say how much
# land a project takes. They only veto: naming the asked one is no sign of the asked owner.
_ATTRIBUTES = (
    (re.compile(r"(占地|用地|建筑面积)"), {"占地": "land", "用地": "land", "建筑面积": "floor"}),
)


def _sides(text: str, families=_SIDES) -> list[set[str]]:
    return [{names[m.group(1)] for m in pattern.finditer(text)} for pattern, names in families]


def clause_fit(question: str, clause: str) -> int:
    """+1 when ``clause`` names the side of a contrast the question asks about (城镇居民); -1 when
    it names only another side (女子组 asked, 男子组 in the clause), or only another phase, ordinal,
    time or attribute (占地 asked, 建筑面积 in the clause); 0 otherwise."""
    vetoes = zip(_members(question) + _sides(question, _ATTRIBUTES), _members(clause) + _sides(clause, _ATTRIBUTES))
    for asked, named in vetoes:
        if asked and named and not asked & named:
            return -1
    fit = 0
    for asked, named in zip(_sides(question), _sides(clause)):
        if asked and named:
            if not asked & named:
                return -1
            fit = 1
    return fit


_THINGS = 2  # the first families (a phase, an ordinal) name which thing; the others, which time


def qualifier_conflict(question: str, sentence: str, amounts: bool = False) -> bool:
    """True when ``sentence`` names another phase, ordinal, half, quarter or year than ``question`` asks
    about, and not the asked one (二期 asked, only 一期 in the sentence; 今年 asked, only 去年); with
    ``amounts`` (a number question), also when it names only a year relative to a date no article
    carries (2022年 asked, only 今年 or 上半年 said): a figure of an unknown year is no answer."""
    asked_all, named_all = _members(question), _members(sentence)
    for asked, named in zip(asked_all, named_all):
        if asked and named and not asked & named:
            return True
    # 2022年 asked, only 今年 said: an article carries no date that would tell which year its 今年 is.
    return amounts and bool(asked_all[_YEAR] and named_all[_RELATIVE_YEAR] and not named_all[_YEAR])

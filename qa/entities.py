"""What kind of thing a question asks for, the unit a number should carry, and whether a text holds one.

The kinds (a number, a person, a place or organisation, a date, the report's
author, a list) are shared by question analysis (:mod:`qa.question`), the
answerer (:mod:`qa.answer`) and the page's example questions (:mod:`ui.examples`).
"""

from __future__ import annotations

import re

NUMBER, PERSON, PLACE, DATE, AUTHOR, LIST, OTHER = "number", "person", "place", "date", "author", "list", "other"

_NUMBER = re.compile(r"\d|[一二三四五六七八九十两百千万亿]+(?:个|项|方面|批|家|名|次|场|倍|成|所|条)")
_DATE = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|[昨今前]天|近日|[上下]半年|[今去明前]年|[本上下]月|当天|日前")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,}(?:省|市|县|区|镇|乡|村|园区|园|公司|集团|大学|学院|研究院|中心|局|委|港|城|基地|小镇)")
_ROLE_NAME = re.compile(r"(?:书记|区长|市长|县长|镇长|局长|主任|总监|经理|董事长|负责人|记者|院长|校长|主席|部长|处长|总裁|教授|副区长)"
                        r"([\u4e00-\u9fff]{2,3}?)(?=[,，、。;；:：\s(（]|表示|介绍|说|指出|强调|代表|参加|出席|带领|$)")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
                "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤乔")
_JOINED = re.compile(r"[\u4e00-\u9fff]{2,}(?:和|及|与)[\u4e00-\u9fff]{2,}")
# A quantity's unit as articles write it (5000平方米, 3家, 1.2亿元, 20%).
QUANTITY_UNIT = r"(?:平方公里|平方米|亩|公里|千米|米|亿元|万元|元|家|人次|人|项|个|场次|批次|场|倍|吨|辆|套|所|座|%|％)"


# What a number in the answer is counted in, when the question says (多少钱 wants 元); checked in order.
_UNIT_HINTS = (
    (re.compile(r"钱|花|投资|资金|金额|收入|营收|贷款|销售额|产值|利润|价格|费用|元"), "元"),
    (re.compile(r"占比|比例|百分|比重|增幅|增速"), "%"),
    (re.compile(r"面积|平方|占地|用地"), "平方"),
    (re.compile(r"人次"), "人次"),
    (re.compile(r"多少人|人数|几个人|几人"), "人"),
) + tuple((re.compile("多少%s|几%s" % (unit, unit)), unit) for unit in "家名位次个项批场")
# 多少间客房, 几座公园: the measure word is the unit.
_COUNTED = re.compile(r"(?:多少|几)([间座辆台套张本条只头栋所篇部艘架株棵亩吨])")


def number_unit(question: str) -> str:
    """The unit a number in the answer should carry, or "" when the question does not say."""
    for pattern, unit in _UNIT_HINTS:
        if pattern.search(question):
            return unit
    counted = _COUNTED.search(question)
    return counted.group(1) if counted else ""


def _has_person(text: str) -> bool:
    if _ROLE_NAME.search(text):
        return True
    import jieba.posseg as pseg

    return any(w.flag == "nr" and 2 <= len(w.word) <= 3 and w.word[0] in _SURNAMES for w in pseg.lcut(text))


def has_entity(kind: str, text: str, unit: str = "") -> bool:
    """Whether ``text`` holds the kind of thing a question of ``kind`` asks for."""
    if kind == NUMBER:
        if unit:
            return any(unit in text[m.end(): m.end() + 6] for m in _NUMBER.finditer(text))
        return bool(_NUMBER.search(text))
    if kind == LIST:
        # "哪些园区" wants an enumeration; "哪几个方面" may be answered by a count (六方面).
        return "、" in text or bool(_NUMBER.search(text) and not re.search(r"\d", text)) or bool(_JOINED.search(text))
    if kind == DATE:
        return bool(_DATE.search(text))
    if kind == PLACE:
        return bool(_PLACE.search(text))
    if kind == PERSON:
        return _has_person(text)
    return False

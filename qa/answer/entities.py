"""What kind of thing a question asks for, the unit a number should carry, and whether a text holds one.

The kinds (a number, a person, a place or organisation, a date, the report's
author, a list) are shared by question analysis (:mod:`qa.answer.question`), the
answerer (:mod:`qa.answer.assistant`) and the page's example questions (:mod:`ui.examples`).
"""

from __future__ import annotations

import re

from qa.core.zh import pos_tagged

NUMBER, PERSON, PLACE, DATE, AUTHOR, LIST, OTHER = "number", "person", "place", "date", "author", "list", "other"

_NUMBER = re.compile(r"\d|[一二三四五六七八九十两百千万亿]+(?:个|项|方面|批|家|名|次|场|倍|成|所|条|层|楼)")
# A floor is counted in 层 or 楼 alike (第几层 / 六楼).
_SAME_COUNT = {"层": ("层", "楼"), "楼": ("层", "楼")}
_DATE = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|[昨今前]天|近日|[上下]半年|[今去明前]年|[本上下]月|当天|日前")
# A place by its unit (阜宁县, 滨湖集团), or a province-level division articles name bare (江苏, 广西).
_PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
              "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,}(?:省|市|县|区|镇|乡|村|园区|园|公司|集团|大学|学院|研究院|中心|局|委|港|城|基地|小镇"
                    r"|路|街|大道|路口)"
                    r"|(?:%s)" % _PROVINCES)
_ROLE_NAME = re.compile(r"(?:书记|区长|市长|县长|镇长|局长|主任|总监|经理|董事长|负责人|记者|院长|校长|主席|部长|处长|总裁|教授|副区长)"
                        r"([\u4e00-\u9fff]{2,3}?)(?=[,，、。;；:：\s(（]|表示|介绍|说|指出|强调|代表|参加|出席|带领|$)")
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
                "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤乔")
_JOINED = re.compile(r"[\u4e00-\u9fff]{2,}(?:和|及|与)[\u4e00-\u9fff]{2,}")
# A quantity's unit as articles write it (5000平方米, 3家, 1.2亿元, 20%).
QUANTITY_UNIT = r"(?:平方公里|平方米|亩|公里|千米|米|亿元|万元|元|家|人次|人|项|个|场次|批次|场|倍|吨|辆|套|所|座|%|％)"


# What a quantity measures, by the unit written after it (checked in order: 平方米 before 米).
# A count in one measure word may answer a question counted in another (多少家 / 12个), so
# every measure word is one class; money, area, length, weight, share and people are not
# interchangeable with anything else.
_UNIT_CLASSES = (
    ("area", ("平方米", "平方公里", "平方千米", "平方", "亩", "公顷", "km²", "km2", "m²", "㎡", "k㎡")),
    ("money", ("元", "美元", "欧元", "日元", "日圆", "港元", "港币", "英镑", "人民币", "美金", "韩元", "卢布", "法郎",
               "越南盾", "新台币", "台币", "澳元", "加元", "卢比", "比索", "泰铢", "林吉特")),
    ("share", ("%", "％", "个百分点", "百分点", "成")),
    ("length", ("公里", "千米", "厘米", "毫米", "英里", "英尺", "英寸", "海里", "光年", "米", "km", "cm", "mm")),
    ("weight", ("吨", "公斤", "千克", "克", "磅")),
    ("temperature", ("℃", "°C", "摄氏度", "度")),  # 零下10℃ / 气温降到5度
    ("people", ("人次", "人", "名", "位")),
    # 工作多少年 / 几个月 / 约3分钟: a length of time; a calendar year (2021年) is a date, not one (see _measured).
    ("duration", ("个多小时", "个半小时", "个多月", "个半月", "个多星期", "个月", "个小时", "个星期", "个钟头", "年", "天", "小时", "星期", "周", "分钟", "秒钟", "秒")),
    ("count", ("批次", "场次", "架次", "车次") + tuple("家户个项次批场间座辆台套张本条只头栋所篇部艘架株棵层桌倍")),
)
# The rest of a quantity after a cut inside it: 1.8|万平方米, 2021年6|月, 12|项.
UNIT_WORDS = "|".join(sorted((u for _, units in _UNIT_CLASSES for u in units), key=len, reverse=True)) + \
    "|年|月|日|号|岁|天|周|小时|分钟|秒|届|期"
QUANTITY_TAIL = re.compile(r"(?:\d|\.(?=\d)|,(?=\d{3}))*\s*(?:多|余)?(?:万|亿|千|百)*(?:多|余)?(?:%s)?" % UNIT_WORDS)
_QUANTITY = re.compile(r"(?:\d[\d.,，]*|[零一二三四五六七八九十两百千]+)\s*(?:多|余|近|约)?\s*(?:万|亿|千|百)*(?:多|余)?")


# What names a day or a part of the day in an answer.
_DAY = re.compile(r"\d{1,2}\s*[日号]|[一二三四五六七八九十]{1,3}[日号]|[昨今前明当]天|[昨今前明]日|近日|日前|当日|周[一二三四五六日]|星期[一二三四五六日天]")
DAY = "日"  # the unit of a date that names its day
_HOUR = re.compile(r"[上中下]午|早上|早晨|清晨|凌晨|傍晚|晚上|晚间|夜间|深夜|\d{1,2}\s*[时点]|[一二三四五六七八九十]{1,3}[时点]")
HOUR = "时"  # the unit of a time that names its part of the day


def _measure(text: str) -> tuple[str, str]:
    """The class and the unit that ``text`` starts with (("money", "元") for 元的), or ("", "")."""
    for name, units in _UNIT_CLASSES:
        for unit in units:
            if text.startswith(unit):
                return name, unit
    return "", ""


def unit_class(unit: str) -> str:
    """What a unit measures ("money" for 元 or 亿元, "area" for 平方米, ...), or "" when it is no known unit."""
    return _measure(unit)[0]


def _measured(text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) of every quantity in ``text`` followed by a known unit, the unit included."""
    found = []
    for m in _QUANTITY.finditer(text):
        name, unit = _measure(text[m.end():])
        if name == "duration" and unit == "年" and re.fullmatch(r"\d{4}", m.group().strip()):
            name = "date"
        if name:
            ordinal = m.start() > 0 and text[m.start() - 1] == "第"  # 第八次, not 八次
            found.append((m.start() - ordinal, m.end() + len(unit), name))
    return found


def quantities(text: str, unit: str) -> list[tuple[int, int]]:
    """[start, end) of every quantity in ``text`` that measures what ``unit`` does (4.15亿元 for 元)."""
    wanted = unit_class(unit)
    return [(start, end) for start, end, name in _measured(text) if wanted and name == wanted]


def unit_conflict(answer: str, unit: str) -> bool:
    """Whether every quantity in ``answer`` measures something other than the question's ``unit``.

    多少钱 answered by 1.8万平方米, or 几层楼 by 5000平方米, is an answer about another
    attribute: the question's is not in the passage. A bare number, or a unit this
    module does not know, is no conflict.
    """
    wanted = unit_class(unit)
    found = {name for _, _, name in _measured(answer)}
    return bool(wanted and found) and wanted not in found


def measures_no_time(answer: str) -> bool:
    """Whether ``answer`` holds quantities and every one measures something other than time (10米远, 180家,
    1.8万平方米): an amount that cannot say when."""
    found = {name for _, _, name in _measured(answer)}
    return bool(found) and not found & {"duration", "date"}


# "The whole district", "every place": a scope, never the person or the place a question asks for.
_SCOPE = re.compile(r"(?:全|各|本|我|该)(?:区|市|县|省|国|镇|乡|村|球|地|体|部|校|院|系统)|各地|全世界|全社会|大家|人们")


def is_scope(text: str) -> bool:
    """Whether ``text`` is only a scope word (全区, 各地, 本市): no answer to 谁 or 哪里."""
    return bool(_SCOPE.fullmatch(text.strip()))


def role_names(text: str) -> set[str]:
    """People named after their role in ``text`` (区委书记乔俊杰 -> 乔俊杰); 吴某 is nobody in particular."""
    return {m.group(1) for m in _ROLE_NAME.finditer(text) if m.group(1)[0] in SURNAMES and "某" not in m.group(1)}


def _has_person(text: str) -> bool:
    if _ROLE_NAME.search(text):
        return True
    words = pos_tagged(text)
    # jieba tags names nr, and rarer ones nrfg / nrt (李旭: nrfg).
    if any(w.flag.startswith("nr") and 2 <= len(w.word) <= 3 and w.word[0] in SURNAMES for w in words):
        return True
    # A name jieba cuts after its surname (谢|德军, 徐|智勇, 吴|某某): the surname alone, then a given name
    # of one or two characters, one of the two read as a name.
    return any(len(a.word) == 1 and a.word in SURNAMES and 1 <= len(b.word) <= 2
               and (b.word in ("某", "某某") or "nr" in (a.flag[:2], b.flag[:2]))
               for a, b in zip(words, words[1:]))


def has_entity(kind: str, text: str, unit: str = "") -> bool:
    """Whether ``text`` holds the kind of thing a question of ``kind`` asks for."""
    if kind == NUMBER:
        if unit_class(unit) not in ("", "count"):  # the same measure in any unit: 1750.33km² answers 面积多大
            return bool(quantities(text, unit))
        # A count in another measure word is no conflict (unit_conflict) but no match either:
        # 20家 does not count 多少个县.
        if unit:
            # m.start(): 第八次 holds its measure word inside the match
            words = _SAME_COUNT.get(unit, (unit,))
            return any(w in text[m.start(): m.end() + 6] for m in _NUMBER.finditer(text) for w in words)
        return bool(_NUMBER.search(text))
    if kind == LIST:
        # "哪些园区" wants an enumeration; "哪几个方面" may be answered by a count (六方面).
        return "、" in text or bool(_NUMBER.search(text) and not re.search(r"\d", text)) or bool(_JOINED.search(text))
    if kind == DATE:
        return bool({DAY: _DAY, HOUR: _HOUR}.get(unit, _DATE).search(text))
    if kind == PLACE:
        # A place name jieba knows (英国, 柳州, 崂山) needs no suffix.
        return bool(_PLACE.search(text)) or any(w.flag == "ns" and len(w.word) >= 2 for w in pos_tagged(text))
    if kind == PERSON:
        return _has_person(text)
    return False

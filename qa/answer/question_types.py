"""What a question asks for, as two tables read top to bottom.

:data:`KINDS` says what kind of answer a question wants (a date, a person, a place or
organisation, a number, a list, the report's author); the first row whose pattern
matches wins, and a question no row matches wants ``other`` (a statement).
:data:`UNITS` says what the answer is counted in (多少钱 wants 元, 几层楼 wants 层, 哪天 wants a
day); again the first row that applies wins.

Every row carries example questions; the tests check each example is decided by
its own row and by no row above it, so a new row documents itself and its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.entities import AUTHOR, DATE, LIST, NUMBER, OTHER, PERSON, PLACE

# A question word anywhere in a text: the mark of a part of a several-part question (qa/answer/forms.py).
# 几 beside a numeral is a rough number (十几分钟, 几十年), and after 这/那/前/近 a span of time (这几天,
# 前几年), not a question word.
ASKS = re.compile(r"多少|多大|多高|多长|多宽|多深|多厚|多远|多久|多重|(?<![十百千万这那前近])几(?![十百千万])|哪|谁|什么|何时|何地|怎样|如何|为什么|是否")
_HOW_MANY = r"(?:多少|(?<![这那前近])几)"  # 几天 asks how many days; 这几天 names some
# A clause or sentence that asks, in spoken words too (啥, 咋) or as a yes/no question (有人死吗, 破了没): a
# question asked after another (forms.py), the clause of a question that asks (roles.py).
ASKS_SPOKEN = re.compile(ASKS.pattern + r"|啥|咋|怎么|有没有|是不是|会不会|能不能|[吗没][?？!！。\s]*$")

# 几点 counts points made (强调了几点意见) as often as it asks the hour (几点开始).
_POINTS_MADE = r"(?!意见|建议|要求|看法|体会|希望|启示|做法|经验|理由|原因|措施|内容|共识|问题|不足|好处|区别|注意)"
_ASKS_HOUR = r"什么时段|哪个时段|几点%s|几时|什么时刻|上午还是下午" % _POINTS_MADE
_AUTHOR_WORDS = (r"(谁写|作者|哪[两三四几]?[位个名]记者|什么记者|记者是谁|记者叫|谁报道|报道者|撰稿|谁采写|署名|"
                 r"谁拍|谁摄|摄影师|摄影者|拍摄者)")


@dataclass(frozen=True)
class QuestionType:
    """One row of :data:`KINDS`: questions ``pattern`` matches want an answer of ``kind``.

    ``also`` must match as well and ``unless`` must not, when given.
    """

    name: str
    kind: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    also: re.Pattern | None = None
    unless: re.Pattern | None = None

    def matches(self, question: str) -> bool:
        """Whether this row decides ``question``."""
        return bool(self.pattern.search(question)
                    and (self.also is None or self.also.search(question))
                    and (self.unless is None or not self.unless.search(question)))


@dataclass(frozen=True)
class UnitType:
    """One row of :data:`UNITS`: questions ``pattern`` matches want an answer counted in ``unit``.

    ``unit`` None means the measure word the pattern captures (几层楼 → 层). ``kind``, when given,
    limits the row to questions of that kind (哪天 sets a day only for a date question).
    """

    name: str
    unit: str | None
    pattern: re.Pattern
    examples: tuple[str, ...]
    kind: str = ""

    def unit_of(self, question: str, kind: str) -> str | None:
        """The unit this row gives ``question`` (of ``kind``), or None when the row does not apply."""
        if self.kind and kind != self.kind:
            return None
        found = self.pattern.search(question)
        if not found:
            return None
        return found.group(1) if self.unit is None else self.unit


def _kind(name, kind, pattern, *examples, also=None, unless=None) -> QuestionType:
    return QuestionType(name, kind, re.compile(pattern), tuple(examples),
                        re.compile(also) if also else None, re.compile(unless) if unless else None)


def _unit(name, unit, pattern, *examples, kind="") -> UnitType:
    return UnitType(name, unit, re.compile(pattern), tuple(examples), kind)


KINDS: tuple[QuestionType, ...] = (
    # Who wrote a book an article names is in its text; who wrote the report (or the paper's) is its byline.
    _kind("work_author", PERSON, _AUTHOR_WORDS, "《红楼梦》的作者是谁?", "《骆驼祥子》是谁写的?",
          also=r"《[^》]*[^报刊》]》", unless=r"记者|报道|文章|稿|新闻|通讯员|这篇|那篇|摄"),
    # 当过哪部电影的摄影师 / 是哪家报社的记者 ask the film or the paper, not who.
    _kind("byline", AUTHOR, _AUTHOR_WORDS, "那篇报道是谁写的?", "这张航拍照片是谁拍的?",
          "《红楼梦》那篇报道的作者是谁?", "《人民日报》的这篇文章是谁写的?", "这篇报道是哪个记者写的",
          unless=r"哪[\u4e00-\u9fff]{0,4}的(?:摄影|记者|作者|撰稿)"),
    _kind("time", DATE, r"(什么时候|何时|哪一?年|哪一?天|哪[几两三四五六七八九十](?:天|日|年|个月)|几月|几号|哪个月|什么时间|啥时候|日期|何年|%s)"
          % _ASKS_HOUR, "项目什么时候启动?", "这个小镇哪一年入选?", "会议是几点开始的?", "直播是哪几天?"),
    # A full or short name (滨湖集团的全称叫什么) is not a person's.
    _kind("full_name", OTHER, r"(全称|简称|全名)", "这家集团的全称叫什么?", "这家公司的全名叫什么名字?"),
    _kind("person", PERSON, r"(谁|哪位|什么人|何人|叫什么|姓名|名字)", "县委书记是谁?", "负责人叫什么?"),
    # 在国内…方面处于什么位置 asks a standing (最多, 第一), not a place.
    _kind("standing", OTHER, r"(?:方面|国内|全国|全省|全市|全区|行业|同类).{0,16}?处于什么位置",
          "这家企业在国内同行业处于什么位置?"),
    _kind("place", PLACE,
          r"(哪里|哪儿|何处|何地|在哪(?![些几个])|什么地方|什么(?:位置|地点|方位)|哪个(?:地方|城市|省份?|市|县|区|镇|乡|村|"
          r"街道|社区|国家|园区|单位|部门|公司|企业|机构|学校|大学|医院|集团|会场|场馆|场地|地点|场所|酒店|宾馆|"
          r"路口|路段|小区|车站|机场|港口|码头|景区|地区)"
          r"|哪家|什么(?:单位|公司|机构|企业|部门|学校)|位于)",
          "授牌仪式在哪里举行?", "会议在哪召开?", "会议是在哪个会场开的?", "他在哪个医院工作?", "项目落在哪个村?",
          "活动在哪举行?", "民警在哪个路口实施管制?"),
    # 为啥能坚持几十年 asks why, not how many.
    _kind("reason", OTHER, r"(?<![称作成认视定列改算名译选封誉评分划归换转])(?:为什么|为何|为啥|凭啥|凭什么|怎么会|咋会)",
          "他为啥能坚持几十年做好事?", "为什么要深化结对合作共建?"),
    _kind("number", NUMBER, r"(多少|(?<![哪这那前近])几(?![乎])|多大|多高|多长|多宽|多深|多厚|多远|多重|多久|多快|占比|比例|百分之|"
          r"几成|多少钱)", "上半年全区申报了多少家高企?", "这个园区有多少员工?", "那条河有多宽?"),
    # 在哪些行业上 asks which industries, not where.
    _kind("list", LIST, r"哪些|哪几", "科技系统下半年要抓哪几个方面?", "两地想在哪些行业上加大合作?",
          "全县将在哪几个方面再发力?"),
)
# What a question no row matches wants: a statement (a reason, a meaning, a yes or no).
STATEMENT = _kind("statement", OTHER, r"", "结对合作共建有什么意义?", "丙烯颜料有毒吗?")

UNITS: tuple[UnitType, ...] = (
    _unit("hour", "时", _ASKS_HOUR, "那个半年会是哪天什么时段开的?", "会议是几点开始的?", kind=DATE),
    # A question about the day (哪天开的) is not answered by a year or a month alone.
    _unit("day", "日", r"哪一?天|哪一?日|几号|几月几[日号]|什么日子|星期几|周几", "科技创新会议是哪天开的?",
          "会议是几月几日召开的?", kind=DATE),
    # 几项指标, 多少间客房, 几座公园, 几层楼: the measure word is the unit, whatever else the
    # question says (几项指标增速… counts indicators, it does not ask for a growth rate).
    _unit("counted", None, _HOW_MANY + r"(人次|[家户名位次个项批场间座辆台套张本条只头栋所篇部艘架株棵亩吨层桌点剂])(?!百分点|人)",
          "全县有几项指标增速排名全市前五?", "他强调了几点意见?", "服务中心有几层楼?", "宴会厅能摆多少桌?",
          "那辆槽罐车装了多少吨硫酸?", "培训超过多少人次?", "他又去了几户村民家?", "这批公费疫苗退运了多少剂?"),
    _unit("share", "%", r"占比|比例|百分|比重|增幅|增速", "营收占比是多少?"),  # before money: 营收占比 is a share
    _unit("duration", "年", _HOW_MANY + r"(?:个月|年|天|小时|星期)|多久|多长时间", "他工作了多少年?",
          "工程要干多久?"),  # a length of time: not 2021年6月
    # 多宽 / 多深 / 多远 / 长度: a length (宽约300米), never a volume or a sum.
    _unit("length", "米", r"多宽|多长(?!时间)|多深|多厚|多远|宽度|长度|深度|厚度|距离", "那条河有多宽?", "隧道多长?"),
    _unit("temperature", "℃", _HOW_MANY + r"度|气温|温度|多冷|多热", "最低气温会降到零下几度?", "那天温度有多少度?"),
    # 停车费, 手续费, 消费: a fee is money (公费 / 自费 / 免费 / 浪费 say who pays or whether, not how much).
    _unit("money", "元", r"钱|花|投资|资金|金额|收入|营收|贷款|销售额|营业额|产值|利润|价格|票价|(?<![公自免浪耗])费(?![站者])|元|"
          r"罚款|罚金|赔偿|工资|薪|租金|房租|奖金|押金|预算|成本|市值",
          "集团为服务中心投资了多少钱?", "居民人均可支配收入是多少?", "停车一小时收多少停车费?",
          "他一共要交多少罚款?", "那套房子月租金多少?"),
    _unit("area", "平方", r"面积|平方|占地|用地", "占地面积多大?"),
    _unit("visits", "人次", r"人次", "接待游客人次是多少?"),
    # 多少员工 counts people: 180家 or 1.8万平方米 is no answer to it.
    _unit("people", "人", r"多少人|人数|几个人|几人|" + _HOW_MANY + r"(?:员工|职工|工人|雇员|人员|游客|居民|学生|会员|观众|志愿者|"
          r"运动员)", "几个人参加了会议?", "这个园区有多少员工?"),
)

ASKS_DATE = next(row.pattern for row in KINDS if row.kind == DATE)  # the words that ask when


def question_type(question: str) -> QuestionType:
    """The row of :data:`KINDS` that decides ``question`` (:data:`STATEMENT` when none does)."""
    return next((row for row in KINDS if row.matches(question)), STATEMENT)


def answer_kind(question: str) -> str:
    """The kind of answer ``question`` wants."""
    return question_type(question).kind


def unit_type(question: str, kind: str) -> UnitType | None:
    """The row of :data:`UNITS` that gives ``question`` its unit, or None when it names none."""
    return next((row for row in UNITS if row.unit_of(question, kind) is not None), None)


def answer_unit(question: str, kind: str) -> str:
    """The unit an answer to ``question`` (of ``kind``) should carry: 时 or 日 for a date question about
    the time of day or the day, the measure word or the measure (元, %, 平方, 米 ...) for a number, else ""."""
    row = unit_type(question, kind)
    return row.unit_of(question, kind) if row else ""


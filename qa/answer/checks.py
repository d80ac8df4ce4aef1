"""Checks on a candidate answer span: pure functions of the question, the passage text and the span.

Each says whether a span can answer the question as asked (a count of another kind of thing, a
piece of another company's name, an item listed beside the subject...), or reshapes the span to
the words that answer (the whole enumeration, the number with its unit).
"""

from __future__ import annotations

import re

from qa.answer import roles
from qa.answer.entities import (
    DATE,
    LIST,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    has_entity,
    is_scope,
    measures_no_time,
    unit_conflict,
)
from qa.answer.question import (
    Question,
    excluded,
)
from qa.answer.quoting import (
    balance_brackets,
    best_clause,
    clause_around,
    complete_enumeration,
    date_near,
    date_words,
    narrow_to_quantity,
    quote_window,
    reason_around,
    sentence_around,
    standing_near,
    trim_span,
)
from qa.core.text import Span, normalize
from qa.core.zh import CLAUSE_MARKS, CN_DIGITS, CN_MAGNITUDES, load_jieba

# Every check the assistant applies, by the name ``qa eval --ablation`` turns it off with, and what it
# does. A check earns its place by what turning it off costs on articles it was not written for.
CHECKS = {
    # candidates from readers that know one relation, before the span reader
    "alias": "other-name questions (全称, 又叫) read the name an article gives",
    "role": "role questions (是什么身份, X是谁) read the role the text gives the name",
    "parent_place": "which-division questions (属于哪个区) read the division written before the place",
    "location": "where-questions read a 位于… phrase",
    "byline": "who-wrote questions read the article's byline or credit",
    # checks on the reader's spans
    "roles": "a who/where/what span must hold the role the question names (副区长 is not 区长)",
    "other_time": "a statement about another stage, time or side than the question's answers nothing",
    "kind": "a span of the kind asked (number, date, person, place) is preferred and narrowed to it",
    "clause_fit": "a clause naming the side of a contrast asked about is preferred, the other side refused",
    "definition": "for 什么是X / X的意义, the sentence defining X or stating its point is preferred",
    "article_cover": "a span from an article naming less of the question's words loses",
    "shape": "yes/no claims, the asked event of a when-question and ranks (排第几) are preferred",
    # answer forms
    "list_instead": "a refused 什么 question is answered by a list the passage enumerates",
    "part_beside": "a part of a several-part question is answered by the sentence that answered another part",
    "parts_whole": "a several-part question no part of which is answered is asked again as one question",
}


# A quantity that says by how much something changed or differs, and a question that asks for one.
_CHANGE_BEFORE = re.compile(r"(?:高出|高于|低于|多出|增长|增加|减少|下降|提高|降低|上涨|下跌|上升|回落|增|降)了?(?:约|近|超过?)?$")
_ASKS_CHANGE = re.compile(r"[增降涨跌减升]|高出|多出|提高|幅|速|差|比.{0,12}[多少高低]")
# A number that is a code (电话号码, 邮编), not an amount: only a run of digits answers it.
# 接到多少个电话 counts calls: only the code noun right before 是多少 asks for one.
_ASKS_CODE = re.compile(r"(?:电话|号码|邮编|邮政编码|编号|门牌号?|车牌号?|代码|账号|传真)(?:号码?)?(?:是|为)?多少")
_CODE = re.compile(r"\d[\d\-－ ]{4,}\d")
_NUMERAL_CHAR = re.compile(r"[\d%s%s几数半双俩]" % (CN_DIGITS, CN_MAGNITUDES))
_CLAUSE_BREAK = re.compile(r"[,，。；;！？!?()（）]")  # one place or one person is named within a clause
# A bare count (20家) says how many, not which: no answer to 还有哪些.
_BARE_COUNT = re.compile(r"(?:约|近|超过?|逾)?[\d零一二三四五六七八九十两百千万亿]+(?:多)?[个家项名种类所条位批座只件]")
# A company named in a question (汇创新能源科技(阜宁)有限公司), and a name of one in a passage.
_COMPANY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|集团)")
_NAME_REST = re.compile(r"[^、，,。；;：:！？!?\s“”\"]{0,30}?(?:有限责任公司|股份有限公司|有限公司|公司|集团)")


def in_another_company(question: str, text: str, answer: Span) -> bool:
    """Whether ``answer`` is a piece of a company's name in ``text`` while the question asks about
    another company it names."""
    asked = _COMPANY.search(question)
    rest = _NAME_REST.match(text, answer.start)
    if asked is None or rest is None:
        return False
    item_start = max(text.rfind(mark, 0, answer.start) for mark in "、，,。；;：:") + 1
    return normalize(asked.group(0))[-12:] not in normalize(text[item_start:rest.end()])


def listed_beside(subject: str, text: str, answer: Span) -> bool:
    """Whether ``answer`` is an item of an enumeration (A、B、C) that lists the question's ``subject``
    too: the things listed beside a subject say nothing about what it is or does."""
    if len(subject) < 2 or "、" not in text[max(0, answer.start - 1):answer.end + 1]:
        return False
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
    start = max([p + 1 for p in marks if p < answer.start], default=0)
    end = min([p for p in marks if p >= answer.end], default=len(text))
    for m in re.finditer(re.escape(subject), text[start:end]):
        # The subject may be the head of its item (阜宁协鑫光伏科技 of …有限公司、).
        if _ITEM_AFTER.match(text, start + m.end()) or _ITEM_BEFORE.search(text[:start + m.start()]):
            return True
    return False


# 多少家上市公司 / 几所高校: the thing counted, named after the measure word (not 多少人参加: 人 takes a verb).
_COUNT_ASKED = re.compile(r"(?:多少|几)(?:家|个|名|位|项|所|座|条|款|种|类|批|件|只|台|辆|户|支|间)"
                      r"(?P<thing>[\u4e00-\u9fff]{2,10}?)(?=的|[吗呢]|[?？,，。!！\s]|$)")
# 境外游客多少人次 / 入驻企业多少家: the thing counted, named before the question word (not 高一有几位班主任…,
# whose thing follows it).
_COUNTED_BEFORE = re.compile(r"(?P<thing>[\u4e00-\u9fff]{2,8}?)(?:有|达到?|共有?|一共|总共)?(?:多少|几)"
                             r"(?:人次|人|家|个|名|位|项|所|座|条|件|台|辆|户)(?![\u4e00-\u9fff]{2})")
# Heads that any count of things may carry without naming them (企业 of 石墨烯相关企业 is 公司 too).
_GENERIC_COUNTED = frozenset("企业 公司 单位 机构 项目 人员 人才 成员 地方 东西 城市 地区".split())


def counts_another(question: str, text: str, answer: Span) -> bool:
    """Whether the question counts a kind of thing (多少家上市公司) whose distinctive words the
    answer's sentence never names, in full or as a two-character abbreviation (高企 of 高新技术企业)."""
    sentence = sentence_around(text, answer).of(text)
    counted = _COUNT_ASKED.search(question)
    if counted is None:
        before = _COUNTED_BEFORE.search(question)
        words = load_jieba().lcut(before.group("thing"), HMM=False) if before else []
        # 接待境外游客多少人次 is not answered by the count of all 游客: the head is there, its modifier not.
        return len(words) >= 2 and len(words[-2]) >= 2 and words[-1] in sentence and words[-2] not in sentence
    thing = counted.group("thing")
    words = [w for w in load_jieba().lcut(thing, HMM=False) if len(w) >= 2 and w not in _GENERIC_COUNTED]
    short_forms = {thing[0] + later for later in thing[1:]}
    named = any(form in sentence for form in short_forms)
    return any(w not in sentence for w in words) and not named


_ITEM_AFTER = re.compile(r"[^、，,。；;：:！？!?]{0,6}、")
_ITEM_BEFORE = re.compile(r"、[^、，,。；;：:！？!?]{0,6}$")


_CLAUSE_MARK = re.compile("[%s]" % CLAUSE_MARKS)
# An item joined after an enumeration the span stopped before: 、以及阿米巴瘤, 及云南, 和60.
_ITEM_JOINED_AFTER = re.compile(r"、|、?(?:以及|及|和|与|或)")


def _restates(subject: str, words: str) -> bool:
    """Whether ``words`` hold four characters running of the question's ``subject``."""
    return any(subject[i:i + _TITLED_SUBJECT] in words for i in range(len(subject) - _TITLED_SUBJECT + 1))


_NAME_REACH = 16  # characters after a span in which the rest of the subject's name may run on
_PREDICATE = re.compile(r"[在于是的]|召开|举行|举办|开幕|进行")  # between a place and the thing done there


def _inside_subject_name(q: Question, text: str, answer: Span) -> bool:
    """Whether the span starts the name of the question's subject (阜宁南北|结对交流合作联席会议 for 联席会议在哪里
    召开): the name runs on from it, within a clause and without a verb of the question between."""
    if len(q.subject) < 2:
        return False
    after = text[answer.end: answer.end + _NAME_REACH]
    at = after.find(q.subject)
    if at < 0:
        return False
    gap = after[:at]
    return (not _CLAUSE_BREAK.search(gap) and not _PREDICATE.search(gap)
            and not any(t.text in gap for t in q.terms if t.text != q.subject))


_UNNAMED = re.compile(r"\s*(?:有关|相关|某)")


def _unnamed(text: str, answer: Span) -> bool:
    """Whether the span is a body or person the article leaves unnamed (有关法院, 某网络游戏公司, 某女乘客); a
    surname before 某 names someone (吕某)."""
    return bool(_UNNAMED.match(answer.of(text))) or text[max(0, answer.start - 1): answer.start] == "某"


_ASKS_RANK = re.compile(r"第几|排名|名次")  # a rank asked outright: only a rank answers


def of_kind(q: Question, text: str, answer: Span, margin: float = 0.0) -> tuple[Span, bool] | None:
    """(the answer, whether it is the kind the question wants), or None when it cannot be one;
    ``margin`` is the reader's for the span."""
    if q.asks_standing:  # 处于什么位置: the 最多 of its clause, not the 180家 the reader likes
        ranked = standing_near(text, answer, [t.text for t in q.terms])
        if ranked is None and _ASKS_RANK.search(q.standalone):
            return None  # 排第几 is not answered by 1.8万平方米
        return (ranked, True) if ranked is not None else (answer, False)
    words = answer.of(text)
    if _echoes(q, words):
        return None  # 哪个法院判的 is not answered by 法院: the question's own word tells nothing new
    aside = excluded(q.standalone)
    if aside and (aside in words or words in aside):
        return None  # 除了常州石墨烯小镇还有哪些 is not answered by 常州石墨烯小镇
    if q.kind in (PERSON, PLACE, OTHER) and is_scope(words):
        return None  # 全区 is neither who attended, nor where a meeting was held, nor what it was held with
    if q.kind in (PERSON, PLACE, OTHER) and _unnamed(text, answer):
        return None  # 哪家法院 is answered neither by 有关法院 nor by (某)网络游戏公司: they name nobody
    if q.kind == PLACE and has_entity(DATE, words) and not has_entity(PLACE, words):
        return None  # 在哪开的 is not answered by 下半年
    if q.kind in (PERSON, PLACE) and _CLAUSE_BREAK.search(words.strip(" ,，。；;")):
        return None  # 在什么地方召开 is not answered by 本报讯 (记者 黄雅婷) 昨天下午,2023年全区
    if q.kind == PLACE and len(words.strip()) < 2:
        return None  # 在哪里召开 is not answered by the 区 of 全区
    if q.kind in (PERSON, PLACE, DATE) and _restates(q.subject, words):
        return None  # 科技创新会议在哪召开 is not answered by the meeting's own name
    if q.kind in (PERSON, PLACE) and _inside_subject_name(q, text, answer):
        return None  # nor by a piece of it (阜宁南北|结对交流合作联席会议); a year before it may tell when
    if q.kind == NUMBER and (unit_conflict(words, q.unit) or not _NUMERAL_CHAR.search(words)):
        return None  # 多少钱 is answered neither by 1.8万平方米 nor by 建筑面积
    if q.kind == LIST and _BARE_COUNT.fullmatch(words):
        return None  # 除了常州石墨烯小镇还有哪些 is not answered by 20家
    if q.kind == OTHER and (in_another_company(q.standalone, text, answer) or listed_beside(q.subject, text, answer)):
        return None  # 汇创新能源…有限公司生产什么 is answered neither by the 光伏 of 阜宁协鑫光伏科技有限公司 nor by 七彩阜宁农业公园
    if q.kind == NUMBER and _ASKS_CODE.search(q.standalone) and not _CODE.search(words):
        return None  # 电话号码是多少 is not answered by 5000平方米
    if q.kind == NUMBER and counts_another(q.standalone, text, answer):
        return None  # 多少家上市公司 is not answered by the 180家 石墨烯相关企业
    if q.kind == NUMBER and _CHANGE_BEFORE.search(text, max(0, answer.start - 5), answer.start) \
            and not _ASKS_CHANGE.search(q.standalone):
        return answer, False  # 人均收入是多少 is not answered by the 高出920元 beside it
    if has_entity(q.kind, words, q.unit):
        return answer, True
    if q.kind == PLACE and margin < 0:
        return None  # a doubted span that names no place is no answer to where (作风建设 of …推进会)
    dated = date_near(text, answer, q.unit) if q.kind == DATE else None
    if q.kind == DATE and dated is None and (margin < 0 or measures_no_time(words)):
        # A doubted span that names no time (12万平方米) says nothing of when 烯望创智港 opens; nor does an
        # amount, however sure the reader is (10米远 beside 离事故发生的工棚 for 事故几点发生).
        return None
    return (dated, True) if dated is not None else (answer, False)


def _echoes(q: Question, words: str) -> bool:
    """Whether the span only repeats words of the question; a choice (A还是B) and a yes/no question may be
    answered in their own words."""
    said = normalize(words.strip(" ,，。；;、"))
    return (len(said) >= 2 and said in normalize(q.standalone) and not q.asks_whether
            and "还是" not in q.standalone)


_TITLED_SUBJECT = 4  # characters: a shorter subject (武进, 小镇) is named in too many reports to pin one


def narrowed(q: Question, text: str, answer: Span, typed: bool) -> Span:
    """The span cut to the fact the question's kind wants: the quantity in the asked unit (约为4.15亿元), the
    name after the asked title (县长是谁: 麻军泽, not the whole 山西省垣曲县人民政府县长麻军泽)."""
    if typed and q.kind == NUMBER and q.unit:
        return narrow_to_quantity(text, answer, q.unit, q.standalone)
    if q.kind == PERSON:
        return roles.name_after_title(q.standalone, text, answer)
    if q.kind == DATE:
        return date_words(text, answer)  # 2014年, not 2014年开始
    if q.kind == PLACE:
        return with_place_modifier(text, answer)
    return answer


# 在 + the 的-phrase that narrows a place, right before the reader's span, within its clause.
_PLACE_MODIFIER = re.compile(r"在([^,，。;；:：!！?？、\n]{2,20}?的)$")


def with_place_modifier(text: str, answer: Span) -> Span:
    """A place with the 的-phrase after 在 that says which one (在|内环东路与内环南路的|交叉路口: the
    crossing of those two roads, not any 交叉路口)."""
    found = _PLACE_MODIFIER.search(text, max(0, answer.start - 23), answer.start)
    return Span(found.start(1), answer.end) if found else answer


def shaped(q: Question, text: str, answer: Span, cover) -> Span:
    """The short answer the question's shape wants, grown from the reader's span; ``cover`` scores
    how much of the question a piece of ``text`` names."""
    if q.asks_reason:  # the clause that gives the cause (按照…部署), not the one restating the question
        answer = reason_around(text, answer)
    elif q.asks_whether:  # 是滨湖集团投资的吗: the clause saying so, not the reader's 建筑面积1.8万平方米
        answer = best_clause(text, sentence_around(text, answer), answer, cover)
    elif q.describes:  # "how" or a feature: the manner is the clause, not two of its words
        answer = clause_around(text, answer)
    elif q.wants_list:  # "哪些": every item of the enumeration the span starts
        answer = enumeration_clause(text, complete_enumeration(text, answer))
    elif q.asks_statement:  # 什么是X / X做了什么: the statement, as much of it as a quote holds
        answer = trim_span(text, quote_window(text, sentence_around(text, answer), answer))
    return balance_brackets(text, answer)  # 卡基达(Kaji Dha), not 卡基达(Kaji Dha


_NAMED_BEFORE = 6  # characters before a number that may name what it measures (宽约|300米, 计划投资|100亿元)
_NUMBER_CUT = re.compile(r"[,，。;；:：、!！?？]")  # 、 too: 宽约300米、纵长约150米 are two measures


def named_before(word: str, text: str, answer: Span) -> bool:
    """Whether ``word`` (what the question measures) is written just before ``answer``, in its clause:
    宽约|300米 answers 多宽, not 纵长约|150米 in the same sentence."""
    if not word:
        return False
    before = text[max(0, answer.start - _NAMED_BEFORE - len(word)):answer.start]
    cuts = list(_NUMBER_CUT.finditer(before))
    return word in (before[cuts[-1].end():] if cuts else before)


def defines(term: str, text: str, answer: Span) -> bool:
    """Whether the sentence of ``answer`` defines ``term``: 特色小镇是…, 五月艾（学名：）是…, 标准杆数是指…."""
    if not term:
        return False
    sentence = sentence_around(text, answer).of(text)
    return re.search(re.escape(term) + r"[”」\"]?(?:[(（][^)）]{0,30}[)）])?[,，]?(?:是|指|即|系|为|乃)", sentence) is not None


_POINT_STATED = re.compile(r"(?:^|[,，;；:：])([^,，;；:：。]{4,30}?)[,，]?是")


def states_point(subject: str, text: str, answer: Span) -> bool:
    """Whether the sentence of ``answer`` says what ``subject`` is for: a clause written in the subject's
    own words, then 是 (深化结对合作共建,是…的具体行动 for 为什么要深化武进和阜宁的结对合作共建)."""
    if not subject:
        return False
    sentence = sentence_around(text, answer).of(text)
    for found in _POINT_STATED.finditer(sentence):
        clause = found.group(1)
        if len(clause) >= max(4, len(subject) // 2) and set(clause) <= set(subject):
            return True
    return False


def enumeration_clause(text: str, answer: Span) -> Span:
    """A 、 enumeration with the items the span left out: one before it (the span starts right after
    a 、: 主治感冒发热、|疟疾…) takes the clause from its start, and one joined after it (…腹痛、以及阿米巴瘤)
    the clause to its end. A pair (A与B) and a whole enumeration stay as they are."""
    if "、" not in answer.of(text):
        return answer
    clause = clause_around(text, answer)
    start = clause.start if answer.start > 0 and text[answer.start - 1] == "、" else answer.start
    joined = _ITEM_JOINED_AFTER.match(text, answer.end) and clause.end - answer.end <= 12
    return Span(start, clause.end if joined else answer.end)



"""Where an answer's words sit in its passage: the span trimmed, the sentence around it, the quote."""

from __future__ import annotations

import re

from qa.answer.entities import DATE, QUANTITY_TAIL, UNIT_WORDS, has_entity, quantities
from qa.answer.listing import enumerations
from qa.core.text import Span, clause_spans, sentence_spans
from qa.core.zh import CLAUSE_MARKS, CN_DIGITS, CN_MAGNITUDES, load_jieba, pos_tagged
from qa.ingest.articles import parse_byline

MAX_QUOTE_CHARS = 80
MIN_ALONE_CHARS = 12  # a sentence this short is quoted with the one before it


def relevance(hit) -> float:
    """Map a hit's cosine (e5 scores sit in ~0.7-0.95) to 0..1 for a relevance bar."""
    return max(0.0, min(1.0, (hit.dense_score - 0.70) / 0.22))


_NUMERAL = re.compile(r"[\d%s%s]" % (CN_DIGITS, CN_MAGNITUDES))
_EDGE = " \u3000\t\n,，、;；:：。.!！?？“”\"'‘’()（）《》「」"


def trim_span(text: str, span: Span) -> Span:
    """The span without surrounding punctuation or space (the reader's tokens may carry them), nor a
    的 standing alone at either edge (DC漫画公司的, 的中国铌业…): 目的 or 的士 are words and stay."""
    a, b = span.start, span.end
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    if b - a > 2 and "的" in (text[a], text[b - 1]):
        a, b = _without_particle(text, a, b)
    return Span(a, b) if b > a else span


_OPENERS = {"(": ")", "（": "）", "「": "」", "《": "》", "“": "”", "【": "】", "『": "』", "[": "]"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_BRACKET_REACH = 24  # characters: a partner further away belongs to another phrase
_SENTENCE_STOP = "。！？!?；;\n"
_ITEM_EDGE = "、，,。；;：: \t\n"


def balance_brackets(text: str, span: Span) -> Span:
    """The span grown to the partner of a bracket or quote mark it opens or closes alone:
    卡基达(Kaji Dha → 卡基达(Kaji Dha), 金钟奖「最佳女主角奖 → …奖」, 一领具足」制度 → 「一领具足」制度.
    A parenthesis reached on the left takes the word it annotates (阿部定高（长男）、…). A partner
    beyond the sentence or out of reach leaves the span as it was."""
    a, b = span.start, span.end
    unopened, unclosed = [], []
    for i in range(a, b):
        ch = text[i]
        if ch in _OPENERS:
            unclosed.append(i)
        elif ch in _CLOSERS:
            if unclosed and text[unclosed[-1]] == _CLOSERS[ch]:
                unclosed.pop()
            else:
                unopened.append(i)
    for closer in unopened:
        opener = _partner(text, range(a - 1, max(-1, a - 1 - _BRACKET_REACH), -1), _CLOSERS[text[closer]])
        if opener is None:
            return span
        a = opener
        if text[a] in "(（":
            head = next((i + 1 for i in range(a - 1, max(-1, a - 13), -1) if text[i] in _ITEM_EDGE), None)
            a = head if head is not None else a
    for opener in reversed(unclosed):
        closer = _partner(text, range(b, min(len(text), b + _BRACKET_REACH)), _OPENERS[text[opener]])
        if closer is None:
            return span
        b = closer + 1
    return Span(a, b)


def _partner(text: str, positions, wanted: str) -> int | None:
    for i in positions:
        if text[i] == wanted:
            return i
        if text[i] in _SENTENCE_STOP:
            return None
    return None


def _without_particle(text: str, a: int, b: int) -> tuple[int, int]:
    words = load_jieba().lcut(text[a:b], HMM=False)
    if len(words) > 1 and words[-1] == "的":
        b -= 1
    if len(words) > 1 and words[0] == "的":
        a += 1
    return a, b


# Words before a number that make it approximate or a bound: 约5000平方米 is not 5000平方米.
_HEDGE = re.compile(r"(?:大约|约为|约|将近|接近|近|逾|超过|超|不到|不足|多达)$")


def complete_quantity(text: str, span: Span, question: str = "") -> Span:
    """The span grown to the whole quantity when it stops inside one (1.8 or 1.8万平 of 1.8万平方米) or starts
    inside one (23年 of 2023年), to its ordinal mark when it starts after one (15张 of 第15张), and to the word that makes it
    approximate or a bound (约5000平方米), unless ``question`` already says so (超过多少人次)."""
    if span.end <= span.start:
        return span
    while span.start > 0 and text[span.start - 1].isdigit() and text[span.start].isdigit():
        span = Span(span.start - 1, span.end)  # 23年 of 2023年: a number is never cut at its start
    if span.start > 0 and text[span.start - 1] == "第" and _NUMERAL.match(text[span.start]):
        span = Span(span.start - 1, span.end)
    else:
        span = _with_hedge(text, span, question)
    # From the span's last numeral: a unit the span stops inside (5亿日 of 5亿日圆) is completed too.
    last = next((i for i in range(span.end - 1, max(span.start, span.end - 3) - 1, -1) if _NUMERAL.match(text[i])), None)
    if last is None:
        return span
    tail = QUANTITY_TAIL.match(text, last + 1)
    span = Span(span.start, tail.end()) if tail.end() > span.end else span
    return _whole_range(text, span)


# A range of two quantities (海拔200米至2,300米, 15～20厘米): one answer, never half of it.
_RANGE_TO = re.compile(r"\s*(?:至|到|~|～|－|—|–)\s*(?=[\d零一二三四五六七八九十两])")
_NUMERAL_RUN = re.compile(r"[\d%s百千]+" % CN_DIGITS)
_RANGE_FROM = re.compile(r"(?:\d[\d.,]*|[零一二三四五六七八九十两百千]+)\s*(?:万|亿)?(?:%s)?\s*(?:至|到|~|～|－|—|–)\s*$"
                         % UNIT_WORDS)
_YEAR_BEFORE = re.compile(r"\d{4}年$")


def _whole_range(text: str, span: Span) -> Span:
    to = _RANGE_TO.match(text, span.end)  # the caller's span ends in a quantity
    upper = _NUMERAL_RUN.match(text, to.end()) if to else None
    if upper:
        span = complete_date(text, Span(span.start, QUANTITY_TAIL.match(text, upper.end()).end()))
    if span.start > 0 and _NUMERAL.match(text[span.start]):
        lower = _RANGE_FROM.search(text, max(0, span.start - 16), span.start)
        if lower:
            year = _YEAR_BEFORE.search(text, max(0, lower.start() - 8), lower.start())  # 1969年|9月至…
            span = Span(year.start() if year else lower.start(), span.end)
    return span


def _with_hedge(text: str, span: Span, question: str) -> Span:
    if span.end <= span.start or not _NUMERAL.match(text[span.start]):
        return span
    hedge = _HEDGE.search(text, max(0, span.start - 2), span.start)
    return Span(hedge.start(), span.end) if hedge and hedge.group() not in question else span


# 年底 / 年初 / 年末 and 年年中 are parts of the year (2015年年中); 2015年中 is left alone (2015年中国…).
_DATE_TAIL = {"年": re.compile(r"\d{1,2}月(?:\d{1,2}[日号])?|[底初末]|年[中底初末]"), "月": re.compile(r"\d{1,2}[日号]")}
_PART_OF_YEAR = re.compile(r"[中底初末]")
# The year and month before a day or month the span starts with (the reader's span began inside the date).
_DATE_HEAD = re.compile(r"(?<!\d)(?:\d{4}年(?:\d{1,2}月)?|\d{1,2}月)$")
# A reign year glossed by the calendar year in brackets (永禄5年（1562年）, 正德五年（1510年）): the date is both.
_ERA_YEAR = re.compile(r"[\u4e00-\u9fff]{2}(?:元|[一二三四五六七八九十〇]{1,4}|\d{1,3})年\s*[（(]$")


def complete_date(text: str, span: Span) -> Span:
    """The span grown to the whole date when it stops at its year or month (2021年 of 2021年6月), or
    starts after them (7日至1985年9月29日 of 1984年10月7日至…)."""
    tail = _DATE_TAIL.get(text[span.end - 1]) if span.end > span.start else None
    if text[max(span.start, span.end - 2):span.end] == "年年":
        tail = _PART_OF_YEAR
    found = tail.match(text, span.end) if tail else None
    start = span.start
    if span.end > span.start and text[span.start].isdigit():
        head = _DATE_HEAD.search(text, max(0, span.start - 8), span.start)
        start = head.start() if head else start
    return Span(start, found.end() if found else span.end)


# A preposition before a date (到|晚上11时许, 在|5月23日) and a word after it (2014年|开始, 5月23日|在) are no
# part of when: the short answer is the time alone.
_CLAUSE_MARK = re.compile(r"[,，;；:：。!！?？]")
_BEFORE_DATE = re.compile(r"(?:到|在|于|从|自)(?=[\d今去明前昨当本上下近早晚凌中傍夜〇一二三四五六七八九十])")
_AFTER_DATE = re.compile(r"(?<=[\d年月日号天时分许午旬底初])(?:开始|起|在|于)$")


def date_words(text: str, span: Span) -> Span:
    """The span without a preposition before its date or a verb or preposition after it, and without
    the clauses after the clause its date ends (今年4月底|，张某花两万元租下…)."""
    cut = _CLAUSE_MARK.search(text, span.start, span.end)
    if cut and has_entity(DATE, text[span.start:cut.start()]):
        span = Span(span.start, cut.start())
    words = span.of(text)
    lead = _BEFORE_DATE.match(words)
    trail = _AFTER_DATE.search(words)
    start = span.start + (lead.end() if lead else 0)
    end = span.end - (len(trail.group(0)) if trail else 0)
    return Span(start, end) if end > start else span


def with_reign_year(text: str, span: Span) -> Span:
    """The span grown to the reign year its calendar year glosses: 1562年 of 永禄5年（1562年） is
    永禄5年（1562年）, as the article dates it."""
    if span.end <= span.start or not text[span.start].isdigit():
        return span
    head = _ERA_YEAR.search(text, max(0, span.start - 12), span.start)
    return balance_brackets(text, Span(head.start(), span.end)) if head else span


_TIME_OF_DAY = r"(?:上午|下午|晚上|晚间|早上|中午|凌晨|傍晚|夜间)?"
_DATE_EXPR = re.compile(
    r"(?:(?:\d{4}|[今去明前])年(?:\d{1,2}月(?:\d{1,2}[日号])?)?|\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}[日号]"
    r"|[昨今前明当]天|[昨今前明]日|近日|日前|当日|[本上下]月[初中底]?|[上下]半年|[上下]旬)" + _TIME_OF_DAY)


def date_near(text: str, span: Span, unit: str = "") -> Span | None:
    """The date in the sentence of ``span`` nearest to it, when the span itself is none: 什么时候
    is answered by the 近日 of the sentence the reader pointed at (…授牌仪式在南京举行), not by 南京.
    ``unit`` :data:`qa.answer.entities.DAY` keeps only dates that name a day (昨天下午, not 2023年)."""
    sentence = sentence_around(text, span)
    found = [Span(sentence.start + m.start(), sentence.start + m.end())
             for m in _DATE_EXPR.finditer(sentence.of(text)) if has_entity(DATE, m.group(), unit)]
    if not found:
        return None
    return min(found, key=lambda d: max(d.start - span.end, span.start - d.end, 0))


def narrow_to_quantity(text: str, span: Span, unit: str, question: str = "") -> Span:
    """The last quantity in ``unit`` inside a longer span: 多少钱 is answered by 约4.15亿元, not by the
    clause the reader started earlier (its end is the surer edge); its hedge stays as in
    :func:`complete_quantity`."""
    found = quantities(span.of(text), unit)
    if not found:
        return span
    start, end = found[-1]
    return _with_hedge(text, Span(span.start + start, span.start + end), question)


_CLAUSE_END = "(?=[%s]|$)" % CLAUSE_MARKS
# One more item joined without a 、 (澳洲南部岛屿|及西岸地区); a short one, or it is a predicate.
_JOINED_ITEM = re.compile(r"(?:以及|及|和|与|或)[^,，;；:：。！？!?、\s]{1,10}" + _CLAUSE_END)
# What closes the last item: (云南)的南部, (华南)等地, 等海域.
_ITEM_TAIL = re.compile(r"(?:的[^,，;；:：。！？!?、等\s]{1,4})?(?:等[^,，;；:：。！？!?、\s]{0,3})?" + _CLAUSE_END)


# The item joined before a span that opens its clause (,武进区人社局与|阜宁县人社局签订…).
_ITEM_BEFORE = re.compile(r"(?:^|(?<=[,，;；:：。！？!?\s]))(?P<item>[^,，;；:：。！？!?、\s]{2,12})(?:以及|及|和|与|同)$")


def complete_enumeration(text: str, span: Span) -> Span:
    """The span grown to the whole enumeration it is part of: "分布在哪些地区" is answered by every
    place of 广东、广西、贵州、四川南部、中南半岛及云南的南部, not by the reader's first four, and
    "哪两个单位签了协议" by both sides of 武进区人社局与阜宁县人社局."""
    grown = span
    for enumeration in enumerations(text):
        whole = enumeration.span
        if enumeration.shape == "comma" and whole.start < span.end and span.start < whole.end:
            grown = Span(min(grown.start, whole.start), max(grown.end, whole.end))
    before = _ITEM_BEFORE.search(text, max(0, grown.start - 16), grown.start) if grown == span else None
    if before and _is_noun_phrase(before.group("item")):
        grown = Span(before.start(), grown.end)
    joined = _JOINED_ITEM.match(text, grown.end)
    if joined:
        grown = Span(grown.start, joined.end())
    tail = _ITEM_TAIL.match(text, grown.end)
    return Span(grown.start, tail.end()) if tail else grown


def _is_noun_phrase(words: str) -> bool:
    """Whether ``words`` are nouns and names only (武进区人社局), not a predicate (重点推进我区)."""
    return all(w.flag[:1] == "n" or w.flag == "j" for w in pos_tagged(words))


def clause_around(text: str, answer: Span) -> Span:
    """The clause(s) of ``text`` that hold ``answer``, trimmed: the answer to a "why" or "how" question."""
    clauses = clause_spans(text) or [Span(0, len(text))]
    first = next((c for c in clauses if c.start <= answer.start < c.end), None)
    last = next((c for c in clauses if c.start < answer.end <= c.end), first)
    if first is None or last is None:
        return answer
    return trim_span(text, Span(min(first.start, answer.start), max(last.end, answer.end)))


# A clause that gives a cause or a basis opens with one of these (因此 and 因而 give a result).
_CAUSE = re.compile(r"(?:由于|因为|为了|按照|根据|依照|遵照|针对|随着|鉴于|出于|基于|因(?!此|而))")
_CAUSE_THEN = re.compile(r"(?P<cause>(?:由于|因为|为了|针对|出于|因)[^而,，;；。]{2,30}?)而(?!且|是|言|已)")
_CLAUSE_CUT = re.compile("[%s]" % CLAUSE_MARKS)


def reason_around(text: str, answer: Span) -> Span:
    """The answer to a "why" question: the clause of the answer's sentence that gives the cause or
    basis (按照省委、省政府统一部署,|武进和阜宁建立了…关系), else the answer's own clause."""
    own = clause_around(text, answer)
    sentence = sentence_around(text, answer)
    cuts = [sentence.start] + [m.end() for m in _CLAUSE_CUT.finditer(text, sentence.start, sentence.end)] + [sentence.end]
    clauses = [trim_span(text, Span(a, b)) for a, b in zip(cuts, cuts[1:]) if b > a]
    causes = [c for c in clauses if _CAUSE.match(text, c.start, c.end)]
    if not causes or any(c.start <= own.start < c.end for c in causes):
        return _cause_only(text, own)
    return _cause_only(text, min(causes, key=lambda c: max(c.start - own.end, own.start - c.end, 0)))


def _cause_only(text: str, clause: Span) -> Span:
    """A cause clause cut before the 而 that turns to what it caused (针对园区员工用餐难|而设立的阳湖餐厅…)."""
    found = _CAUSE_THEN.match(text, clause.start, clause.end)
    return trim_span(text, Span(clause.start, found.end("cause"))) if found else clause


def sentence_around(text: str, answer: Span) -> Span:
    """The sentence(s) of ``text`` that hold ``answer``."""
    sentences = sentence_spans(text) or [Span(0, len(text))]
    first = next((s for s in sentences if s.start <= answer.start < s.end), sentences[0])
    last = next((s for s in sentences if s.start < answer.end <= s.end), first)
    return Span(min(first.start, answer.start), max(last.end, answer.end))


_STANDING = re.compile(r"(?:国内|全国|全省|全市|全区|世界|全球|行业|同类)?(?:(?:排名?|位列|名列|位居|居)?"
                       r"第[一二三四五六七八九十百\d]+(?![一二三四五六七八九十百\d])(?:名|位)?(?![次届批期个条章节页号天年季轮部集代])"
                       r"|最[\u4e00-\u9fff]|首位|首个|前列|领先|居首|之首|榜首)")
_STANDING_REACH = 6  # characters before a superlative that say what it ranks (应用成果|最好)


def standing_near(text: str, answer: Span, words=()) -> Span | None:
    """A rank or superlative in the clause of ``answer`` (…集聚石墨烯企业数量|最多|、应用成果最好): the first
    written right after one of the question's ``words`` (应用成果|最好), else the one nearest the span; None
    when the clause ranks nothing."""
    clause = clause_around(text, answer)
    found = list(_STANDING.finditer(text, clause.start, clause.end))
    if not found:
        return None

    def rank(m):
        before = text[max(clause.start, m.start() - _STANDING_REACH):m.start()]
        named = any(w in before for w in words if len(w) >= 2)
        return (not named, max(m.start() - answer.end, answer.start - m.end(), 0), m.start())

    best = min(found, key=rank)
    return Span(best.start(), best.end())


def clause_and_next(text: str, answer: Span) -> Span:
    """The clause of ``answer`` and the next one of its sentence: where a time's event is told
    (近日,|…服务中心正式运营 — a time often opens a clause of its own)."""
    own = clause_around(text, answer)
    sentence = sentence_around(text, answer)
    rest = text[own.end:sentence.end]
    following = [c for c in clause_spans(rest) if rest[c.start:c.end].strip(",，;；:：、 ")]
    return Span(own.start, own.end + following[0].end) if following else own


def best_clause(text: str, within: Span, answer: Span, cover) -> Span:
    """The clause of ``within`` (a sentence of ``text``) whose words ``cover`` scores highest, the one
    holding ``answer`` on a tie: a yes/no question is answered by the clause that states it (由滨湖集团投资
    for 是滨湖集团投资的吗), wherever in the sentence the reader's span fell."""
    own = clause_around(text, answer)
    clauses = [trim_span(text, Span(c.start + within.start, c.end + within.start))
               for c in clause_spans(within.of(text))]
    best, best_score = own, cover(own.of(text))
    for clause in clauses:
        score = cover(clause.of(text))
        if score > best_score + 1e-9:
            best, best_score = clause, score
    dateline, _ = parse_byline(best.of(text))  # 本报讯 (记者 黄雅婷) 昨天下午 says 昨天下午
    if dateline and best.of(text).startswith(dateline) and len(dateline) < best.end - best.start:
        best = trim_span(text, Span(best.start + len(dateline), best.end))
    return best


_FULL_STOP = re.compile(r"[。！？!?\n]")


def statement_around(text: str, answer: Span) -> Span:
    """The whole sentence around ``answer``, up to full stops: a 今年以来 that opens it still
    governs the clauses after its semicolons (…;武进直采阜宁农产品近200万元)."""
    stops = [m.end() for m in _FULL_STOP.finditer(text, 0, answer.start)]
    after = _FULL_STOP.search(text, answer.end)
    return Span(stops[-1] if stops else 0, after.end() if after else len(text))


def quote_window(text: str, sentence: Span, answer: Span) -> Span:
    """What to quote: the sentence, or in a long one the clauses around the answer; a very short one
    (副区长王栋参加会议。) with the sentence before it, which says what it is about."""
    if len(sentence.of(text)) < MIN_ALONE_CHARS:
        before = [s for s in sentence_spans(text) if s.end <= sentence.start]
        if before and sentence.end - before[-1].start <= MAX_QUOTE_CHARS:
            return Span(before[-1].start, sentence.end)
    if len(sentence.of(text)) <= MAX_QUOTE_CHARS:
        return sentence
    clauses = [Span(sentence.start + c.start, sentence.start + c.end)
               for c in clause_spans(sentence.of(text))] or [sentence]
    i = next((k for k, c in enumerate(clauses) if c.start <= answer.start < c.end), 0)
    j = next((k for k, c in enumerate(clauses) if c.start < answer.end <= c.end), i)
    lo, hi = min(i, j), max(i, j)
    # Grow towards whichever side is shorter while the quote stays readable.
    while True:
        grown = [(lo - 1, hi)] if lo > 0 else []
        grown += [(lo, hi + 1)] if hi + 1 < len(clauses) else []
        grown = [(x, y) for x, y in grown if clauses[y].end - clauses[x].start <= MAX_QUOTE_CHARS]
        if not grown:
            break
        lo, hi = min(grown, key=lambda g: clauses[g[1]].end - clauses[g[0]].start)
    return Span(min(clauses[lo].start, answer.start), max(clauses[hi].end, answer.end))


def author_span(text: str, byline: Span, reporters) -> Span:
    """The reporters' names inside a byline (本报讯 (记者 史莲寅) -> 史莲寅)."""
    names = [text.find(r, byline.start, byline.end) for r in reporters]
    found = [(i, i + len(r)) for i, r in zip(names, reporters) if i >= 0]
    if not found:
        return byline
    return Span(min(a for a, _ in found), max(b for _, b in found))

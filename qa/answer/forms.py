"""Which form of answer a question wants, and how a several-part question splits.

Five forms: one ``fact`` (a quoted sentence), a ``list`` (every item an
article enumerates: 有哪些 / 哪几), a ``summary`` of an article (讲了什么 /
总结 / 主要内容), ``parts`` (X和Y分别是多少: one answer per part) and an
``overview`` of the page (这一版有哪些报道). A question also may point at the
article of the previous turn (这篇报道的记者是谁?). Pure functions of the
question's text; answering in each form lives in :mod:`qa.answer.form_answers`.
"""

from __future__ import annotations

import re

from qa.answer.question import subject_of
from qa.answer.question_types import ASKS, ASKS_SPOKEN
from qa.core.zh import load_jieba

FACT, LIST, SUMMARY, PARTS, REFUSAL = "fact", "list", "summary", "parts", "refusal"
OVERVIEW = "overview"  # which reports the page holds: answered as a list of headlines

# Words that ask for a summary whatever else the question says.
# 怎么回事 / 出了什么事 / 有啥新动静 ask what happened: the report's own account of it.
_SUMMARY_STRONG = re.compile(r"总结|概括|概述|摘要|大意|主要内容|主要讲|简单说说|简要说说|简单讲讲|简述|梗概|要点|"
                             r"(?:怎么|咋)回事|(?:啥|什么)情况|出了(?:什么|啥)事|发生了(?:什么|啥)事?|"
                             r"有(?:什么|啥)新?(?:动静|进展)")
# "讲了什么" asks for a summary only when its object is a report (乔俊杰说了什么 asks for a fact).
_SUMMARY_WEAK = re.compile(r"(?:讲|说|写|报道|介绍|谈)了?(?:些|点|个)?(?:什么|啥)|是关于什么|关于什么|内容是什么|讲的是什么|什么内容")
_ROUGHLY = re.compile(r"大概|大致|大体")
_REPORT_WORD = re.compile(r"报道|文章|新闻|稿件|这篇|那篇|该篇|本篇|这则|那则|全文|一文")
_LIST = re.compile(r"哪些|哪(?:几|[两三四五六七八九十])(?!天|日|年|个月)|都有什么|包括什么|包含什么|有什么(?:要求|举措|措施|项目|活动|内容|荣誉|产品)")
_AUTHORISH = re.compile(r"记者|作者|谁写|谁拍|摄影|撰稿")
# 这一版有哪些报道 / 今天的报纸都报道了什么 / 一共几篇文章: the reports themselves, whatever their topic.
_OVERVIEW = re.compile(r"(?:哪些|什么|几篇|多少篇|几条|多少条)(?:报道|新闻|文章|稿件|消息)|"
                       r"(?:报道|讲|说|写|登|刊登)了?(?:哪些|些什么|什么)|几篇|多少篇")
_PAGE_WIDE = re.compile(r"这一?版|本版|这期|本期|今天|今日|报纸|版面|这些|所有|全部|各篇|都|哪些|几篇|多少篇|几条|多少条")
_OVERVIEW_WORDS = re.compile(r"这一?版|本版|这期|本期|今天|今日|报纸|版面|这些|所有|全部|各篇|一共|总共|共|哪些|什么|"
                             r"几篇|多少篇|几条|多少条|报道|新闻|文章|稿件|消息|内容|刊登|请问|一下|列出|列举|主要|"
                             r"(?:这|本|今天的?)份|事情|事件|[的都有了讲说写登上里中请些事]")
# 这篇报道 / 那篇文章 / 该文 at the start of a question (after 那 or a summary verb): the previous turn's article.
_PINNED = re.compile(r"^(?:那么?|请|再|麻烦)?[,，\s]*(?:总结一下|概括一下|简单说说|说说|讲讲|介绍一下)?[,，\s]*"
                     r"(?:这|那|该|本|此)(?:篇|则|条|份)?(?:报道|文章|新闻|稿子|稿件|文|篇)")
# 分别/各自 always distribute; 各 only before a verb-like word (各是/各有/各接待), never in 各项/各类.
_EACH = re.compile(r"分别|各自|各(?![项类种个级地部方界位条])(?=[\u4e00-\u9fff])")
_AND = re.compile(r"以及|和|与|及|跟|、")
_TRAIL = re.compile(r"[?？。!！\s]+$")
# A question mark inside a question ends one question and starts the next (哪天落网的?在哪儿被抓到的?).
_QUESTION_MARK = re.compile(r"[?？]+\s*")
_PRONOUN = re.compile(r"^(?:他们|她们|它们|他|她|它|其)")


def question_form(question: str) -> str:
    """The form of answer ``question`` wants: FACT, LIST, SUMMARY, PARTS or OVERVIEW."""
    text = _TRAIL.sub("", question)
    if asks_overview(text):
        return OVERVIEW
    if _SUMMARY_STRONG.search(text) or (_SUMMARY_WEAK.search(text) and _REPORT_WORD.search(text)):
        return SUMMARY
    if _SUMMARY_WEAK.search(text) and _ROUGHLY.search(text):  # 大概说了些啥: roughly what it says
        return SUMMARY
    if len(split_parts(text)) > 1:
        return PARTS
    if _LIST.search(text) and not _AUTHORISH.search(text):
        return LIST
    return FACT


def asks_overview(question: str) -> bool:
    """True when the question asks which reports there are and names no topic (这一版有哪些报道?);
    石墨烯小镇有哪些报道 asks about a topic, 这篇报道讲了什么 for a summary."""
    text = _TRAIL.sub("", question.strip())
    if pins_previous_article(text) or not (_OVERVIEW.search(text) and _PAGE_WIDE.search(text)):
        return False
    return not re.sub(r"[\s,，、]+", "", _OVERVIEW_WORDS.sub("", text))


def pins_previous_article(question: str) -> bool:
    """True when the question points at the previous turn's article (这篇报道的记者是谁?)."""
    return bool(_PINNED.match(question.strip()))


def without_report_words(question: str) -> str:
    """The question without the words that ask for a summary or name the report itself.

    "总结一下石墨烯小镇那篇文章" -> "石墨烯小镇": what is left names the article's topic.
    """
    text = _TRAIL.sub("", question)
    text = _PINNED.sub("", text)
    text = _SUMMARY_STRONG.sub(" ", text)
    text = _SUMMARY_WEAK.sub(" ", text)
    text = re.sub(r"(?:这|那|该|本|此)(?:篇|则|条|份)|(?:一下|请|帮我|给我|麻烦)|报道|文章|新闻|稿件|的?内容|讲的|说的", " ", text)
    return re.sub(r"[\s,，、的了吧呢吗]+", " ", text).strip()


def split_parts(question: str) -> tuple[str, ...]:
    """The sub-questions of a several-part question; ``(question,)`` when it has one part.

    "石墨烯小镇的规划用地和累计投资分别是多少" -> ("石墨烯小镇的规划用地是多少",
    "石墨烯小镇的累计投资是多少"); "完成投资多少,其中产业类投资多少" -> two
    questions, the second with the first one's subject.
    """
    text = _TRAIL.sub("", question.strip())
    each = _EACH.search(text)
    if each:
        subject, items = _conjuncts(text[: each.start()])
        tail = text[each.end():]
        if len(items) >= 2 and tail and ASKS.search(tail):
            items, shared = _shared_suffix(items)
            return tuple("%s%s%s%s" % (subject, item, shared, tail) for item in items)
    sentences = [s for s in _QUESTION_MARK.split(text) if s]
    if len(sentences) >= 2 and all(ASKS_SPOKEN.search(s) for s in sentences):
        return _questions_in_turn(sentences)
    pieces = [p for p in re.split(r"[,，;；、]\s*", text) if p]
    if len(pieces) >= 2 and all(ASKS.search(p) for p in pieces):
        first = pieces[0]
        subject = _subject(first)
        out = [first]
        # A part that is only its question words (多宽、多长) shares all the first part says before its own.
        asked_before = [m.start() for m in ASKS.finditer(first)]
        for piece in pieces[1:]:
            piece = re.sub(r"^(?:其中|那么|以及|还有|另外|并且|而且|同时)", "", piece)
            if ASKS.match(piece) and asked_before:
                out.append(first[:asked_before[-1]] + piece)
            else:
                out.append(piece if not subject or subject in piece or _names_subject(piece) else subject + "的" + piece)
        return tuple(out)
    return (question,)


def _questions_in_turn(sentences: list[str]) -> tuple[str, ...]:
    """Questions asked one after another (薄熙来案的一审判决是哪家法院下的?哪天判的?): a later one is
    about what the first is about, so it gets the first one's scene (the clauses before its question:
    2013年常州李良杀妻骗保案,) or else its subject, in place of a leading pronoun."""
    first = sentences[0]
    clauses = re.split(r"(?<=[,，])", first)
    scene = ""
    for clause in clauses[:-1]:
        if ASKS_SPOKEN.search(clause.rstrip(",，")):
            break
        scene += clause
    subject = _subject(first)
    out = [first]
    for sentence in sentences[1:]:
        if scene:
            out.append(scene + sentence)
        elif subject and subject not in sentence and not _opens_with_own_subject(sentence):
            out.append(subject + _PRONOUN.sub("", sentence))
        else:
            out.append(sentence)
    return tuple(out)


def _opens_with_own_subject(sentence: str) -> bool:
    """Whether a later question opens with a noun phrase of its own before 的 (郭某的老家在哪), not
    with its question (哪天判的)."""
    m = re.match(r"([\u4e00-\u9fff]{2,12}?)的", sentence)
    return bool(m) and not ASKS_SPOKEN.search(m.group(1))


def _conjuncts(head: str) -> tuple[str, list[str]]:
    """(shared subject, conjoined items) of "石墨烯小镇的规划用地和累计投资"."""
    subject = ""
    if "的" in head:
        cut = head.rindex("的") + 1
        subject, head = head[:cut], head[cut:]
    items = [p for p in _AND.split(head) if p]
    if not subject and len(items) >= 2:
        subject, items[0] = _split_subject(items[0], items[1:])
    return subject, items


def _shared_suffix(items: list[str]) -> tuple[list[str], str]:
    """Conjuncts that share what follows the last one: 城镇居民和农村居民人均可支配收入 ->
    (["城镇居民", "农村居民"], "人均可支配收入"), when the last one repeats the first one's head word."""
    import jieba


    load_jieba()
    head = jieba.lcut(items[0])[-1][-2:]  # 城镇居民 -> 居民
    last = items[-1]
    at = last.find(head)
    if len(head) >= 2 and 0 <= at and at + len(head) < len(last):
        cut = at + len(head)
        return items[:-1] + [last[:cut]], last[cut:]
    return items, ""


def _split_subject(first: str, others: list[str]) -> tuple[str, str]:
    """Cut the subject off the first conjunct: 滨湖文隽企业服务中心占地 -> (滨湖文隽企业服务中心, 占地)."""
    import jieba


    load_jieba()
    words = jieba.lcut(first)
    target = sum(len(o) for o in others) / len(others)
    if len(first) <= target + 2 or len(words) < 2:
        return "", first
    best_k, best_gap = 1, None
    for k in range(1, len(words)):
        gap = abs(len("".join(words[-k:])) - target)
        if best_gap is None or gap < best_gap:
            best_k, best_gap = k, gap
    return "".join(words[:-best_k]), "".join(words[-best_k:])


def _subject(question: str) -> str:
    return subject_of(question)


def _names_subject(piece: str) -> bool:
    """Whether a later part names a subject of its own (starts with a noun phrase before 的)."""
    return bool(re.match(r"[\u4e00-\u9fff]{2,12}的", piece))


def asks_author(question: str) -> bool:
    """Whether ``question`` names who wrote or photographed a report (记者, 作者, 谁拍…)."""
    return bool(_AUTHORISH.search(question))

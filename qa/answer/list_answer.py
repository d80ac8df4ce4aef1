"""List answers: every item of the enumeration that answers "有哪些 / 哪几…", each cited.

The enumeration is chosen among those of the best passages' paragraphs (a
long paragraph's parts are read together, so 一是 in one part and 二是 in the
next stay one list): the one whose sentence, and the words just before it,
hold most of the question's topic words, with a bonus when the reader's span
falls inside it. No enumeration that covers the question: the question is
answered (or refused) like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.answer.citations import quoted
from qa.answer.compose import build_answer
from qa.answer.decision import decide
from qa.answer.listing import Enumeration, enumerations, pair_in, without_shared_head
from qa.answer.question import WHICH_ITEMS, term_presence
from qa.answer.quoting import complete_enumeration
from qa.answer.sourcing import build_sources, sentence_of
from qa.answer.types import Item
from qa.core.text import Span, normalize

LIST_MIN_SCORE = 0.5  # share of the topic words the enumeration's sentence must hold
STRONG_LIST_SCORE = 0.8  # a list answering a question that did not ask for several things must fit it this well
_ASKS_WHAT = re.compile(r"(?<![为凭])什么(?!时候|时间|原因|意思|意义|作用|样|是|的)[\u4e00-\u9fff]")  # 什么地方, not 为什么
UNKNOWN_FACTOR = 0.3
LABEL_WEIGHT = 0.3  # the share of the listed nouns (哪些|武进区领导) just before the list
# The list score's weights over :func:`list_features`, set by hand on the seed page's forms; a logistic fit over the
# news train and forms lists did worse folded by article (benchmarks/RESULTS.md, 2026-12-08).
HAND_LIST_WEIGHTS = dict(whole=0.4, before=0.4, around=0.2, prior=0.05, focus_missing=-0.2, reader_inside=0.15)
MAX_ITEMS = 20
MAX_SHORT_CHARS = 200  # a longer list is read from its numbered items only
_LOCAL_BEFORE = 30  # characters before an enumeration that may say what it lists (阜宁县领导|张利华、…)
_CUT = re.compile(r"[。；;,，:：！？!?]")
_CLOSING_NOUN = re.compile(r"等+([^的,，。；;：:、！？!?]{1,6})")
_PARAGRAPHS = 6  # top passages whose paragraphs are searched (the reader reads five)


@dataclass(frozen=True)
class _Paragraph:
    chunks: tuple  # the paragraph's chunks, in order
    starts: tuple[int, ...]  # offset of each chunk's text in ``text``
    text: str
    rank: int

    def locate(self, span: Span):
        """(chunk, span within its text) holding ``span`` of the joined paragraph."""
        for chunk, start in reversed(list(zip(self.chunks, self.starts))):
            if span.start >= start:
                return chunk, Span(span.start - start, min(span.end - start, len(chunk.text)))
        return self.chunks[0], span


@dataclass(frozen=True)
class _Choice:
    paragraph: _Paragraph
    enumeration: Enumeration
    score: float


def answer_list(assistant, question: str, history, limit: int):
    """The list answer to ``question``, or the plain answer when no enumeration answers it."""
    draft = assistant.draft(question, history, limit)
    choice = _enumeration(assistant, draft)
    if choice is None:
        return assistant.compose(draft, limit)
    return _listed(assistant, draft, choice, limit)


def answered_as_fact(assistant, draft) -> bool:
    """Whether a list question's ``draft`` is answered as one fact (no enumeration answers it), and
    so decided by the fact decision: such a draft is one the decision is fitted on."""
    return _enumeration(assistant, draft) is None


def _enumeration(assistant, draft) -> "_Choice | None":
    if draft.features.get("unknown_share", 0.0) >= 0.5:
        return None
    return _choose(assistant, draft)


def asks_what_things(question: str) -> bool:
    """Whether ``question`` asks 什么 + a noun (什么地方, 什么项目), which a list may answer; not 为什么 / 凭什么
    (why) nor 什么时候 / 什么原因."""
    return bool(_ASKS_WHAT.search(question))


def list_instead(assistant, draft, limit: int, answered: str = ""):
    """The list a 什么 question's passages answer it with, when its one-fact reading was refused or
    ``answered`` only one item of that list (乔俊杰一行考察了什么地方: 先后前往阜宁协鑫光伏科技有限公司、七彩阜宁
    农业公园、…等地考察); None unless an enumeration holds nearly all of the question's topic words."""
    if not asks_what_things(draft.parsed.standalone) or draft.features.get("unknown_share", 0.0) >= 0.5:
        return None
    choice = _choose(assistant, draft)
    if choice is None or choice.score < STRONG_LIST_SCORE:
        return None
    items = [normalize(item.of(choice.paragraph.text)) for item in choice.enumeration.items]
    asked = normalize(draft.parsed.standalone)
    if any(item in asked for item in items):
        return None  # 汇创新能源科技(阜宁)有限公司生产什么: the list it is named in says nothing of it
    if answered and normalize(answered) not in items:
        return None
    return _listed(assistant, draft, choice, limit)


def _listed(assistant, draft, choice: _Choice, limit: int):
    para = choice.paragraph
    cited, texts, seen = [], [], set()
    for item in without_shared_head(para.text, choice.enumeration).items[:MAX_ITEMS]:
        words = item.of(para.text)
        if normalize(words) in seen:
            continue
        seen.add(normalize(words))
        chunk, local = para.locate(item)
        cited.append((chunk, sentence_of(chunk.text, local)))
        texts.append(words)
    sources, numbers = build_sources(assistant, cited, draft.hits, limit)
    items = tuple(Item(numbers[c.chunk_id], t) for (c, _), t in zip(cited, texts))
    lines = ["%d. %s[%d]" % (i, quoted(item.text), item.number) for i, item in enumerate(items, 1)]
    header = _count_header(para, choice.enumeration)
    if header:  # "重点做好六方面工作": the article's own count heads its list
        lines.insert(0, "%s[%d]:" % (quoted(header), items[0].number))
    text = "\n".join(lines)
    first_chunk, first_sentence = cited[0]
    short = "、".join(texts)
    if choice.enumeration.shape in ("comma", "pair"):  # the list as the article words it (…、云南的南部等地)
        short = complete_enumeration(para.text, choice.enumeration.span).of(para.text)
    listed = decide(min(1.0, max(draft.confidence, choice.score)), verdict=("list_enumerated", True),
                    features=draft.features)
    return build_answer(
        draft.question, listed, text, sources=sources, quote=first_sentence.of(first_chunk.text),
        standalone=draft.standalone, kind=draft.parsed.kind, short=short if len(short) <= MAX_SHORT_CHARS else "",
        form="list", items=items,
    )


def _paragraphs(assistant, hits) -> list[_Paragraph]:
    out, seen = [], set()
    for hit in hits[:_PARAGRAPHS]:
        key = (hit.article_id, hit.paragraph)
        if key in seen:
            continue
        seen.add(key)
        chunks = [c for c in assistant.retriever.article_chunks(hit.article_id) if c.paragraph == hit.paragraph]
        starts, pos = [], 0
        for c in chunks:
            starts.append(pos)
            pos += len(c.text)
        out.append(_Paragraph(tuple(chunks), tuple(starts), "".join(c.text for c in chunks), hit.rank))
    return out


def _choose(assistant, draft) -> _Choice | None:
    """The enumeration of the best passages that answers the question, or None."""
    q = draft.parsed
    if not q.terms:
        return None
    # A word no article uses is often the category the list instantiates (角色 for 引领者、实践者…):
    # it counts for less here; whether it makes the question unanswerable is the features' job.
    terms = tuple(t if assistant.terms.corpus_presence(t) > 0 else replace(t, factor=t.factor * UNKNOWN_FACTOR)
                  for t in q.terms)
    q = replace(q, terms=terms)
    answer_at = None
    if draft.best is not None and not draft.best.flagged:
        answer_at = (draft.best.chunk.chunk_id, draft.best.answer)
    listed = _listed_terms(q)
    best: _Choice | None = None
    best_rank = 0.0
    for para in _paragraphs(assistant, draft.hits):
        headline = para.chunks[0].context
        for enum in enumerations(para.text) + _reader_pair(para, answer_at):
            if len(enum.items) < 2:
                continue
            features = list_features(assistant, q, para, enum, headline, answer_at, listed)
            score = _score(features)
            if score < LIST_MIN_SCORE:
                continue
            # The label only ranks lists that answer anyway: 武进区领导|吴震宇… before 阜宁县领导|张利华…
            rank = score + LABEL_WEIGHT * features["label"]
            if best is None or rank > best_rank:
                best, best_rank = _Choice(para, enum, score), rank
    return best


def _reader_pair(para: _Paragraph, answer_at) -> list[Enumeration]:
    """The reader's answer as a list when it names two things (为|创新园区以及周边企业|提供…)."""
    if answer_at is None:
        return []
    chunk_id, answer = answer_at
    for chunk, start in zip(para.chunks, para.starts):
        if chunk.chunk_id == chunk_id:
            pair = pair_in(para.text, Span(start + answer.start, start + answer.end))
            return [pair] if pair is not None else []
    return []


def _label_share(listed: tuple, label: str) -> float:
    """How much of the question's listed nouns (哪些|武进区领导) the list's own label names."""
    if not listed:
        return 0.0
    folded = normalize(label)
    return sum(term_presence(t, folded) for t in listed) / len(listed)


_COUNT_PHRASE = re.compile(r"[\d一二两三四五六七八九十几]+(?:个|项|点|方面|家|类|种|批|条|位|名|大)")


def _count_header(para: _Paragraph, enum: Enumeration) -> str:
    """The clause before a list when it says how many items there are (全区科技系统将重点做好六方面工作)."""
    lead = _lead_in(para.text, enum.items[0].start).strip(" ,，:：;；")
    if _COUNT_PHRASE.search(lead) and len(lead) <= 40 and "\n" not in lead:
        return lead
    return ""


def _label(text: str, span: Span) -> str:
    """The words that name what the list lists: its own clause before the first item (武进区领导|吴震宇…;
    none after a cut) and the noun its 等 closes with (高端装备、…、节能环保|等产业)."""
    start = span.start
    cuts = [m.end() for m in _CUT.finditer(text, max(0, start - _LOCAL_BEFORE), start)]
    return text[cuts[-1] if cuts else max(0, start - _LOCAL_BEFORE):start] + _closing_noun(text, span.end)


def _closing_noun(text: str, end: int) -> str:
    """The noun a list's 等 closes it with (…、节能环保|等产业|的合作), which says what it lists."""
    closing = _CLOSING_NOUN.match(text, end)
    return closing.group(1) if closing else ""


def _lead_in(text: str, start: int) -> str:
    """The words that say what a list lists: the clause before its first item (阜宁县领导|张利华、…),
    or the two clauses before it when the list follows a colon (做好六方面工作:|在“…”上…)."""
    cuts = [m.end() for m in _CUT.finditer(text, max(0, start - _LOCAL_BEFORE), start)]
    begin = cuts[-1] if cuts else max(0, start - _LOCAL_BEFORE)
    if start - begin < 2 and len(cuts) >= 2:
        begin = cuts[-2]
    elif start - begin < 2:
        begin = max(0, start - _LOCAL_BEFORE)
    return text[begin:start]


def _listed_terms(q) -> tuple:
    """The nouns that say what the question lists, written next to 哪些: 武进区 and 领导 in
    武进区哪些领导参加了活动 or 哪些武进区领导…, 阜宁县 and 领导 in 参加活动的阜宁县领导有哪些."""
    text = q.standalone
    asked = WHICH_ITEMS.search(text)
    if asked is None:
        return ()
    nouns = {}
    for term in q.terms:
        at = text.find(term.text)
        if at >= 0 and term.is_noun:
            nouns[at] = term
    run, at = [], asked.end()
    while at in nouns:  # 哪些|武进区|领导
        run.append(nouns[at])
        at += len(nouns[at].text)
    at = asked.start() - (text[asked.start() - 1: asked.start()] in ("有", "是"))
    ends = {start + len(t.text): t for start, t in nouns.items()}
    while at in ends:  # 阜宁县|领导|有哪些, 武进区|哪些
        run.append(ends[at])
        at -= len(ends[at].text)
    return tuple(run)


def list_features(assistant, q, para: _Paragraph, enum: Enumeration, headline: str, answer_at,
                  listed: tuple = ()) -> dict:
    """The named features of one enumeration as the answer to ``q``: the share of the question's topic words in
    its sentence (``whole``), before it and around it, the passage's rank, whether the thing asked for is missing,
    whether the reader's span is one of its items, and how much of the question's listed nouns its label names."""
    span = enum.span
    sentence = sentence_of(para.text, span).of(para.text)
    cut = _CUT.search(para.text, span.end)
    lead_in = (_lead_in(para.text, span.start) + "".join(i.of(para.text) for i in enum.items)
               + _closing_noun(para.text, span.end))
    after = para.text[span.end: cut.start() if cut else len(para.text)]
    focus = q.focus
    inside = 0.0
    if answer_at is not None:
        chunk_id, answer = answer_at
        inside = float(any(chunk.chunk_id == chunk_id and span.start <= start + answer.start < span.end
                           for chunk, start in zip(para.chunks, para.starts)))
    return dict(
        whole=assistant.terms.coverage(q.terms, sentence, headline),
        # The words before a list say what it lists (武进区领导|吴震宇…); those after it less so (…|参加活动).
        before=assistant.terms.coverage(q.terms, lead_in, headline),
        around=assistant.terms.coverage(q.terms, lead_in + after, headline),
        prior=1.0 / para.rank,
        # 哪些企业 is seldom answered by a list of 功能 (but 角色 by 引领者、实践者)
        focus_missing=float(focus is not None and term_presence(focus, normalize(sentence + headline)) < 0.5),
        reader_inside=inside,  # the reader's span is one of the items
        label=_label_share(listed, _label(para.text, enum.span)),
    )


def _score(features: dict) -> float:
    return sum(HAND_LIST_WEIGHTS[k] * features[k] for k in HAND_LIST_WEIGHTS)

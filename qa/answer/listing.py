"""The items an article enumerates: 、-lists, 一是…二是… and parallel clauses.

"石墨烯小镇有哪些…" / "哪几方面工作" want every item, not the sentence the
reader liked best. Four shapes of enumeration are found in a passage:

- runs joined by 、 (and a last 和/及/与): ``集餐饮、宴会、会务、住宿及配套服务于一体``;
  the first item is the noun phrase just before the first 、 (the verb 集 is
  not part of it), the last one ends where the nouns end (``等``, ``于一体``);
- ordinals: ``一是…；二是…；三是…``;
- parallel clauses sharing a frame: ``在“动态培育”上想办法,在“促研发”上求实效…``
  (the same first two characters), ``在产业承接上再发力…在人才交流上再发力``
  (the same first character and the same ending);
- quoted phrases written side by side: ``不得使用“国家级”“最高级”“最佳”等用语``.

Pure functions over text; :mod:`qa.answer.list_answer` turns them into an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.text import Span, clause_spans
from qa.core.zh import CLAUSE_MARKS, pos_tagged

_ORDINAL = re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、是]|[（(][一二三四五六七八九十][)）])")
_CLAUSE_CUT = re.compile("[%s]" % CLAUSE_MARKS)
_LEAD_WORDS = re.compile(r"^(?:尤其是?|特别是|同时|并且|并|还要|而且)")
_LAST_STOP = re.compile(r"等|于一体|在内|为主|的|[0-9一二三四五六七八九十两]+(?:项|个|家|类|种|大|所|名|条|位)|[”」』]")
_NOUNISH = ("n", "vn", "an", "j", "b", "eng", "x", "nz", "ns", "nt", "nr", "g")
_COPULAS = frozenset("是为有集在把将让")
MAX_ITEM_CHARS = 50
MIN_PARALLEL = 3


@dataclass(frozen=True)
class Enumeration:
    """One enumeration of a text: its items as spans, and where it stands."""

    items: tuple[Span, ...]
    shape: str  # "comma" (、), "ordinal", "parallel", "quoted" (“A”“B”) or "pair" (X以及Y, from an answer span)

    @property
    def span(self) -> Span:
        return Span(self.items[0].start, self.items[-1].end)


def enumerations(text: str) -> list[Enumeration]:
    """Every enumeration of ``text``, in text order."""
    found = _ordinal_runs(text) + _parallel_runs(text) + _comma_runs(text) + _quoted_runs(text)
    return sorted(found, key=lambda e: (e.span.start, -len(e.items)))


_PAIR_JOINT = re.compile(r"以及|及|和|与")


def pair_in(text: str, span: Span) -> Enumeration | None:
    """Two nouns joined by 以及/及/和/与 filling ``span`` (创新园区以及周边企业), as an enumeration.

    Only a span someone else chose as an answer is read this way: inside running text 和
    joins clauses and names (武进和阜宁建立了…) as often as items.
    """
    words = span.of(text)
    joints = list(_PAIR_JOINT.finditer(words))
    if len(joints) != 1 or _CLAUSE_CUT.search(words) or "、" in words:
        return None
    joint = joints[0]
    first = Span(span.start, span.start + joint.start())
    second = Span(span.start + joint.end(), span.end)
    if min(first.end - first.start, second.end - second.start) < 2:
        return None
    for item in (first, second):
        tagged = _tagged(item.of(text))
        if not _ends_nounish(*tagged[-1]) or any(_clause_word(word, flag) for word, flag in tagged):
            return None  # 武进和|阜宁建立了区域协作: the second side is a clause
    return Enumeration((first, second), "pair")


def _clause_word(word: str, flag: str) -> bool:
    """A word that makes a clause of a noun phrase: an aspect particle, an adverb, a preposition, a copula."""
    return flag in ("ul", "uz", "ug", "d", "p") or word in _COPULAS


def items_text(text: str, enumeration: Enumeration) -> list[str]:
    return [s.of(text) for s in enumeration.items]


# ------------------------------------------------------------------ 一是…二是…


# 1.立刻停止…;2.严格… / 1、… / (1)… / ①…: numbered items, not 1.5亿 or 2018年; counted up one by one.
_NUMBERED = re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:(\d{1,2})(?:[.．](?!\d)|、)|[（(](\d{1,2})[)）]|([①-⑳]))")


def _numbered_marks(text: str) -> list[re.Match]:
    """The longest run of numbered-item marks that counts 1, 2, 3… (a 3. after a 1. is not the next item)."""
    best: list[re.Match] = []
    run: list[re.Match] = []
    for m in _NUMBERED.finditer(text):
        number = _number(m)
        if run and number == _number(run[-1]) + 1:
            run.append(m)
        elif number == 1:
            run = [m]
        else:
            continue
        if len(run) > len(best):
            best = list(run)
    return best


def _number(m: re.Match) -> int:
    return int(m.group(1) or m.group(2)) if (m.group(1) or m.group(2)) else ord(m.group(3)) - ord("①") + 1


def _ordinal_runs(text: str) -> list[Enumeration]:
    marks = list(_ORDINAL.finditer(text))
    if len(marks) < 2:
        marks = _numbered_marks(text)
    if len(marks) < 2:
        return []
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else _sentence_end(text, m.end())
        items.append(_readable(text, Span(m.end(), end)))
    return [Enumeration(tuple(items), "ordinal")]


def _sentence_end(text: str, start: int) -> int:
    m = re.compile(r"[。；;！？!?]").search(text, start)
    return m.start() if m else len(text)


def _readable(text: str, span: Span) -> Span:
    """An item of at most MAX_ITEM_CHARS: its first clause when the whole item runs longer."""
    span = _strip(text, span)
    if span.end - span.start <= MAX_ITEM_CHARS:
        return span
    clauses = clause_spans(span.of(text))
    first = clauses[0] if clauses else Span(0, MAX_ITEM_CHARS)
    return _strip(text, Span(span.start + first.start, span.start + first.end))


def _strip(text: str, span: Span) -> Span:
    """``span`` without edge spaces and punctuation, and without a quote mark left open by the cut."""
    a, b = span.start, span.end
    while a < b and text[a] in " \t\n　,，、;；:：。":
        a += 1
    while b > a and text[b - 1] in " \t\n　,，、;；:：。":
        b -= 1
    while b > a and text[b - 1] in "“「『":
        b -= 1  # a quote opening the words after the item (名医|“四名”工程)
    body = text[a:b]
    if body.count("“") > body.count("”"):
        a += body.rindex("“") + 1  # 围绕阜宁“新能源 -> 新能源
    elif body.count("”") > body.count("“") and body.endswith("”"):
        b -= 1
    return Span(a, b)


# ------------------------------------------------------------------ parallel clauses


def _clauses(text: str) -> list[Span]:
    out, start = [], 0
    for m in _CLAUSE_CUT.finditer(text):
        if m.start() > start:
            out.append(_strip(text, Span(start, m.start())))
        start = m.end()
    if start < len(text):
        out.append(_strip(text, Span(start, len(text))))
    return [c for c in out if c.end - c.start >= 4]


def _parallel_runs(text: str) -> list[Enumeration]:
    clauses = _clauses(text)
    keyed = []
    for c in clauses:
        body = c.of(text)
        lead = _LEAD_WORDS.match(body)
        start = c.start + (lead.end() if lead else 0)
        keyed.append(Span(start, c.end))
    runs: list[Enumeration] = []
    used: set[int] = set()
    for i, c in enumerate(keyed):
        if i in used:
            continue
        head = c.of(text)
        group = [i]
        for j in range(i + 1, min(len(keyed), i + 12)):
            other = keyed[j].of(text)
            if other[:2] == head[:2] or (other[:1] == head[:1] and len(head) > 4 and other[-2:] == head[-2:]):
                group.append(j)
        if len(group) >= MIN_PARALLEL and not _numeric_frame(head) and not _named_frame(head, keyed, group, text):
            used.update(group)
            runs.append(Enumeration(tuple(_readable(text, keyed[k]) for k in group), "parallel"))
    return runs


def _named_frame(head: str, keyed: list[Span], group: list[int], text: str) -> bool:
    """Clauses that only start with the same name (龚成杰一行…, 龚成杰还…) are sentences about one
    subject, not a list - unless they also share their ending."""
    words = _tagged(head[:6])
    if not words or not words[0][1].startswith(("nr", "ns", "nt", "nz")):
        return False
    return len({keyed[k].of(text)[-2:] for k in group}) > 1


def _numeric_frame(clause: str) -> bool:
    """Clauses that share only a statistics frame (同比增长8.7%, 同比增长8.0%) are not a list."""
    return bool(re.search(r"\d", clause[:8])) or clause.startswith(("同比", "其中", "比上年", "环比"))


# ------------------------------------------------------------------ “A”“B”“C”


# Quoted phrases one after another, with nothing between them but 、, a space or a last 和/及/与.
_QUOTED = re.compile(r"“([^“”\n]{1,%d})”" % MAX_ITEM_CHARS)
_QUOTE_GAP = re.compile(r"\s*(?:、|和|及|与|以及|或)?\s*")


def _quoted_runs(text: str) -> list[Enumeration]:
    runs, run = [], []
    for m in _QUOTED.finditer(text):
        if run and not _QUOTE_GAP.fullmatch(text, run[-1].end(), m.start()):
            if len(run) >= 2:
                runs.append(run)
            run = []
        run.append(m)
    if len(run) >= 2:
        runs.append(run)
    return [Enumeration(tuple(Span(m.start(1), m.end(1)) for m in r), "quoted") for r in runs]


# ------------------------------------------------------------------ 、-lists


# Words written once after a list and meant for every item: 推进A、B建设 builds A and B.
_SHARED_HEADS = ("建设", "改造", "开发", "工程", "项目", "工作")


def _comma_runs(text: str) -> list[Enumeration]:
    runs = []
    for clause in re.finditer(r"[^,，;；:：。！？!?]+", text):
        body = clause.group(0)
        if "、" not in body:
            continue
        run = _comma_run(text, clause.start(), body)
        if run is not None:
            runs.append(run)
    return runs


def _comma_run(text: str, offset: int, clause: str) -> Enumeration | None:
    pieces, pos = [], 0
    for piece in clause.split("、"):
        pieces.append(Span(offset + pos, offset + pos + len(piece)))
        pos += len(piece) + 1
    middle = [_strip(text, p) for p in pieces[1:-1]]
    if any(m.end - m.start > MAX_ITEM_CHARS for m in middle):
        return None
    first = _first_item(text, pieces[0], middle or [pieces[-1]])
    last = _last_items(text, pieces[-1], middle)
    if first is None and last and _CLOSED_BY_DENG.match(text, last[-1].end):
        first = _item_before(text, pieces[0], middle + last)
    items = ([first] if first else []) + middle + last
    items = [s for s in items if s.end > s.start]
    if len(items) < 2:
        return None
    return Enumeration(tuple(items), "comma")


def without_shared_head(text: str, enumeration: Enumeration) -> Enumeration:
    """The list with its last item cut before the word every item shares (武进高新区阜宁工业园、武阜科创飞地|建设:
    both are built), unless another item writes it too (城市建设、乡村建设)."""
    *others, last = enumeration.items
    words = last.of(text)
    head = next((h for h in _SHARED_HEADS if words.endswith(h)), "")
    if enumeration.shape != "comma" or not head or len(words) - len(head) < 2 \
            or any(o.of(text).endswith(head) for o in others):
        return enumeration
    return Enumeration(tuple(others) + (Span(last.start, last.end - len(head)),), enumeration.shape)


def _tagged(piece: str):
    return [(w.word, w.flag) for w in pos_tagged(piece)]


def _nounish(flag: str) -> bool:
    return flag.startswith(_NOUNISH) or flag in ("vn", "an")


def _ends_nounish(word: str, flag: str) -> bool:
    """A noun, or an idiom that ends in one (引进人才)."""
    if flag == "l" and len(word) > 2:
        return _nounish(_tagged(word[-2:])[-1][1])
    return _nounish(flag)


def _first_item(text: str, piece: Span, middle: list[Span]) -> Span | None:
    """The noun phrase ending the text before the first 、 (前往|阜宁协鑫光伏科技有限公司)."""
    words = _tagged(piece.of(text))
    names = middle and all(2 <= m.end - m.start <= 3 for m in middle) and words and words[-1][1] == "nr"
    longest = max(m.end - m.start for m in middle) + 4
    attributive = any("的" in m.of(text) for m in middle)  # 生态立市战略的实践者: the first item has its 的 too
    taken = 0
    for k in range(len(words) - 1, -1, -1):
        word, flag = words[k]
        # A verb or a numeral between nouns belongs to the name (保安|押运|服务, 宁夏|四维|金盾, 乡村|休闲).
        inner = (flag.startswith(("v", "m")) and word not in _COPULAS and k > 0
                 and _ends_nounish(*words[k - 1]) and (taken or flag.startswith("v")))
        if flag == "l" and len(word) > 2 and _ends_nounish(word, flag):
            taken += 2  # an idiom ending in a noun (引进人才|招聘): its noun only, and the item starts there
            break
        if not (_nounish(flag) or word in "()（）“”" or inner or (attributive and word == "的" and taken)) \
                or (names and taken):
            break
        if taken and taken + len(word) > longest:
            break
        taken += len(word)
    if not taken:
        return None
    return _strip(text, Span(piece.end - taken, piece.end))


# X、Y等企业: 等 closes an enumeration whatever its items are tagged as (brand names jieba reads as 美特|好).
_CLOSED_BY_DENG = re.compile(r"\s*等")
_FUNCTION_FLAGS = ("p", "c", "u", "d", "r", "x", "w")


def _item_before(text: str, piece: Span, others: list[Span]) -> Span | None:
    """The first item of a list that 等 closes, where it is no noun phrase: the words before the first 、
    back to a function word or a verb, no longer than the longest other item (与|美特好、乐村淘等企业)."""
    longest = max(o.end - o.start for o in others)
    taken = 0
    for word, flag in reversed(_tagged(piece.of(text))):
        if flag.startswith(_FUNCTION_FLAGS) or (flag.startswith("v") and flag != "vn") or taken + len(word) > longest:
            break
        taken += len(word)
    return _strip(text, Span(piece.end - taken, piece.end)) if taken >= 2 else None


def _noun_tail(rest: str) -> bool:
    """Whether ``rest`` is a short run of nouns ending the clause (环保宣传袋)."""
    if not rest or len(rest) > 8:
        return False
    words = _tagged(rest)
    # The last word may be a measure word standing as the noun (宣传|袋).
    return all(_nounish(flag) or (i == len(words) - 1 and flag == "q") for i, (_, flag) in enumerate(words))


def _last_items(text: str, piece: Span, middle: list[Span]) -> list[Span]:
    """The item(s) after the last 、: cut at 和/及/与 and where the nouns end (等, 于一体, 四项收入)."""
    body = piece.of(text)
    stop = _LAST_STOP.search(body)
    if stop and stop.group(0) == "”" and "“" in body[: stop.start()]:
        stop = _LAST_STOP.search(body, stop.end())  # the item's own quotes (“两园三区”发展的建设者)
    to_end = False
    while stop and stop.group(0) == "的" and (any("的" in m.of(text) for m in middle)
                                             or _noun_tail(body[stop.end():])):
        # Items that hold 的 (战略的实践者), or a last item closing the clause with a noun after
        # its 的 (印有…标志的环保宣传袋), do not end at it.
        to_end = to_end or _noun_tail(body[stop.end():])
        stop = _LAST_STOP.search(body, stop.end())
    body_end = stop.start() if stop else len(body)
    out: list[Span] = []
    start = 0
    joint = re.search(r"以及|和|及|与", body[:body_end])
    if joint and joint.start() > 0:
        out.append(_strip(text, Span(piece.start, piece.start + joint.start())))
        start = joint.end()
    tail = body[start:body_end]
    taken, seen_noun = 0, False
    if stop is None and (to_end or any("的" in m.of(text) for m in middle)) and len(tail) <= MAX_ITEM_CHARS:
        taken = len(tail)  # items of the form …的实践者 run to the clause end
    elif stop is not None:
        # 等 / 于一体 / 四项 end the list: everything before is the last item, but a trailing verb (主办).
        words = _tagged(tail)
        while stop.group(0) == "的" and len(words) > 1 and words[-1][1].startswith("v") and words[-1][1] != "vn":
            words.pop()  # …管理委员会主办|的: the verb before 的 is not part of the item
        taken = sum(len(w) for w, _ in words)
    for word, flag in _tagged(tail) if stop is None and not taken else ():
        if flag.startswith(("p", "u", "c", "d", "m", "r", "f")) or (seen_noun and flag.startswith("v") and flag != "vn"):
            break
        seen_noun = seen_noun or _nounish(flag)
        taken += len(word)
    if stop is None and not out and taken == len(tail) and len(tail) > 2 * max((m.end - m.start for m in middle), default=8):
        return []  # no end in sight: the clause runs on past the list
    out.append(_strip(text, Span(piece.start + start, piece.start + start + taken)))
    return [s for s in out if 0 < s.end - s.start <= MAX_ITEM_CHARS]

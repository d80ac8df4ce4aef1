"""People and roles: the person an answer names must hold the role the question asks about.

"区长是谁?" is not answered by "副区长王栋", "谁投资了…?" not by "销售总监王露华介绍":
a reader trained on general reading comprehension returns *a* person near the
topic words, so a span is kept only when the role asked about stands right
next to it in the passage (a title just before the name, 投资/带领 around the
answer). Authorship is read from credits in the text too, where a plain
article has no dateline: ``（记者 王晓宁 通讯员 杨勇峰）``, ``记者 王一平``.
"""

from __future__ import annotations

import re

from qa.answer.question_types import ASKS_SPOKEN
from qa.core.text import Span

# Titles, longest first so 董事长 wins over 董事 and 大队长 over 队长.
TITLES = tuple(sorted((
    "书记", "副书记", "区长", "市长", "县长", "镇长", "乡长", "村长", "省长", "局长", "厅长", "部长", "司长", "处长", "科长",
    "署长", "检察长", "庭长", "理事长",
    "主任", "总监", "经理", "总经理", "董事长", "董事", "总裁", "负责人", "院长", "校长", "主席", "会长", "秘书长",
    "大队长", "队长", "站长", "所长", "行长", "社长", "台长", "馆长", "主管", "顾问", "律师", "主编", "总编",
    "创始人", "创办人", "发言人", "法定代表人", "船长", "机长", "教练", "导演", "编剧", "演员", "主演", "制片人",
), key=len, reverse=True))
_TITLE = re.compile("(副?)(" + "|".join(TITLES) + ")")
# Roles named by what a person or organisation does; the evidence words must stand near the answer.
_ACTS = (
    (re.compile(r"投资(?:人|方|者|商)?|出资|出(?:的)?钱|掏钱|花钱"), re.compile(r"投资|出资")),  # 谁出钱建的
    (re.compile(r"带队|带领|率队|率领|领队|领头"), re.compile(r"带队|带领|率队|率领|领队|一行")),
    (re.compile(r"主持"), re.compile(r"主持")),
    (re.compile(r"主办"), re.compile(r"主办")),
    (re.compile(r"签订|签约|签署"), re.compile(r"签订|签约|签署")),
)
_BEFORE, _AFTER = 14, 8  # how far (characters) from the answer a role's evidence may stand
_CREDIT = re.compile(r"[(（]\s*((?:(?:见习|特约|实习)?记者|通讯员|实习生)[\s　]*[\u4e00-\u9fff·]{2,4}"
                     r"(?:[\s　、]+(?:(?:见习|特约|实习)?记者|通讯员|实习生)?[\s　]*[\u4e00-\u9fff·]{2,4})*)\s*[)）]")
# 文/颜小白 glued to the last sentence, with a platform's notice after it (本文为…原创, 未经授权不得转载).
_TRAILING_CREDIT = re.compile(r"(?:(?:图/文|文/图|文|图|记者)[\s　:：/／|｜]*)([\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff]){1,3}"
                              r"(?:[\s　、]+[\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff]){1,3}){0,3})"
                              r"(?=\s*(?:编辑|责编|责任编辑|来源|本文|原创|未经|$))")


_TAIL_CHARS = 120  # credits at the end of a text sit in its last lines (before 编辑/来源 notes)


def asked_titles(question: str) -> list[tuple[str, str, str]]:
    """(副 or "", title, qualifier) the question asks about: ("", "区长", "进区") for 武进区区长是谁.

    The qualifier is the two characters before the title when they end like a body (社区支部书记 -> 支部,
    阜宁县委书记 -> 县委): which body's title it is.
    """
    out = []
    for m in _TITLE.finditer(question):
        if _outside_asked_clause(question, m.start()):
            continue
        qualifier = question[max(0, m.start() - 2): m.start()]
        body = (len(qualifier) == 2 and _CJK2.fullmatch(qualifier) and not _NO_BODY.search(qualifier)
                and _BODY_END.search(qualifier))
        out.append((m.group(1), m.group(2), qualifier if body else ""))
    return out


def _outside_asked_clause(question: str, at: int) -> bool:
    """Whether the title at ``at`` stands in a clause of its own before the one that asks (瑞幸的律师说…，
    引用的数据是哪家机构的: the lawyer is who speaks, not who is asked about)."""
    clauses = list(re.finditer(r"[^,，;；]+", question))
    asking = [c for c in clauses if ASKS_SPOKEN.search(c.group())]
    return bool(asking) and not any(c.start() <= at < c.end() for c in asking)


def name_after_title(question: str, text: str, answer: Span) -> Span:
    """``answer`` cut to the name closing it when a title the question asks about stands just before that
    name (县长是谁: 山西省垣曲县人民政府县长麻军泽 -> 麻军泽); else ``answer`` unchanged."""
    words = answer.of(text)
    for _, title, _ in asked_titles(question):
        found = re.search(re.escape(title) + r"([\u4e00-\u9fff·]{2,4})$", words)
        if found and found.start(1) > 0:
            return Span(answer.start + found.start(1), answer.end)
    return answer


_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")
# Characters that make the two before a title a question or a pointer, not a body (哪位副区长, 这位书记).
_NO_BODY = re.compile(r"[哪谁几啥这那每位名个的是了]")
# A qualifier names a body when it ends like one (县委, 支部, 进区); 交警大队长 or 高速队长 describe the
# person in words the passage need not repeat (一大队大队长罗某).
_BODY_END = re.compile(r"[委省市县区镇乡村局部厅处科院校会司行所站台馆社组办]$")


def consistent(question: str, text: str, answer: Span) -> bool:
    """Whether the answer ``text[answer]`` can be the person or body holding the role the question asks about.

    True when the question names no role. Somewhere in ``text`` (the passage
    with its headline) the answer must stand with the role: a title just
    before (or right after) it with the same 副 or not and the same body
    (支部书记 is not 县委书记); an act (投资, 带领) within a few characters.
    """
    titles = asked_titles(question)
    acts = [evidence for cue, evidence in _ACTS if cue.search(question)]
    if not titles and not acts:
        return True
    bodies = {title: _asked_body(question, title) for _, title, _ in titles}
    words = answer.of(text)
    starts = [answer.start] + [i for i in _occurrences(text, words) if i != answer.start] if words else [answer.start]
    return any(_fits(text, Span(a, a + len(words) if words else answer.end), titles, acts, bodies) for a in starts)


# What a title belongs to, by the kind of body (银川英才学校|执行校长, 五分局一大队|大队长); with the two
# characters before it, it tells one school or brigade from another.
_BODY_KIND = "学校|中学|小学|大学|学院|医院|法院|检察院|公司|集团|银行|大队|中队|支队|派出所|局|委员会|管委会|政府|协会"
_NAMED_BODY = re.compile(r"[\u4e00-\u9fff]{2}(?:%s)" % _BODY_KIND)
_TITLE_MODIFIER = 4  # characters between a body and its title (学校|执行|校长, 公司|常务副|总经理)


def _asked_body(question: str, title: str) -> str:
    """The body the question names its title after (河津市消防大队|的大队长 -> 消防大队), or ""."""
    at = question.find(title)
    before = question[:at].removesuffix("的") if at > 0 else ""
    m = _NAMED_BODY.search(before, max(0, len(before) - 12))
    if not m or m.end() != len(before) or _NO_BODY.search(m.group(0)[:2]):
        return ""  # 这家公司, 哪所学校: a pointer, not a name
    return m.group(0)


def _another_body(before: str, body: str) -> bool:
    """Whether the words before a title in the passage name a body of the asked kind other than ``body``."""
    if not body:
        return False
    near = before[-(len(body) + _TITLE_MODIFIER):]
    found = [m.group(0) for m in _NAMED_BODY.finditer(near) if len(near) - m.end() <= _TITLE_MODIFIER]
    return bool(found) and body not in found


def _occurrences(text: str, words: str) -> list[int]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def _fits(text: str, answer: Span, titles, acts, bodies) -> bool:
    window = text[max(0, answer.start - _BEFORE): min(len(text), answer.end + _AFTER)]
    for prefix, title, qualifier in titles:
        if not _holds_title(window, prefix, title, qualifier, bodies.get(title, "")):
            return False
    return all(evidence.search(window) for evidence in acts)


def _holds_title(window: str, prefix: str, title: str, qualifier: str, body: str = "") -> bool:
    for m in _TITLE.finditer(window):
        if m.group(2) == title and m.group(1) == prefix and _qualified(window[: m.start()], qualifier) \
                and not _another_body(window[: m.start()], body):
            return True
    return False


def _qualified(before: str, qualifier: str) -> bool:
    """Whether the body the question names (垣曲县) heads this title: it stands before it with no
    list or clause break between (垣曲县人民政府县长, not 市委常委、区委书记 for 市委书记)."""
    if not qualifier:
        return True
    at = before.rfind(qualifier)
    return at >= 0 and not re.search(r"[、,，;；。]", before[at + len(qualifier):])


def credit_names(text: str) -> tuple[Span, tuple[str, ...]] | None:
    """The reporters credited inside an article's text (a plain article has no dateline), or None.

    ``（记者 王晓宁 通讯员 杨勇峰）为切实…`` -> (span of the credit, ("王晓宁", "杨勇峰"));
    ``… 记者 王一平`` at the end of the text; ``图/文 李 燕 王彦俊``.
    """
    m = _CREDIT.search(text)
    if m:
        names = [n for n in re.split(r"[\s　、]+|(?:见习|特约|实习)?记者|通讯员|实习生", m.group(1)) if n]
        return Span(m.start(), m.end()), tuple(names)
    tail = _TRAILING_CREDIT.search(text[-_TAIL_CHARS:])
    if tail:
        offset = len(text) - len(text[-_TAIL_CHARS:])
        names = _names_of(tail.group(1))
        if names:
            return Span(offset + tail.start(), offset + tail.end()), names
    return None


def _names_of(run: str) -> tuple[str, ...]:
    """Names in a credit, where typesetting may space a two-character name (李 燕)."""
    pieces = [p for p in re.split(r"[\s　、]+", run) if p]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if len(piece) == 1 and i + 1 < len(pieces) and len(pieces[i + 1]) == 1:
            piece, i = piece + pieces[i + 1], i + 1
        if len(piece) >= 2:
            out.append(piece)
        i += 1
    return tuple(out)

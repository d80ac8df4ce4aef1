"""The other names of a thing, as an article writes them: full, short, also-known-as and English.

滨湖集团的全称叫什么 is answered by 常州滨湖建设发展集团有限公司: the short name's characters, in order,
inside a longer name. 冰雪皇后的简称 is answered by what follows 简称 after it, 蓍的别名 by what follows
又名 beside 蓍, 越南投资发展银行的英文名 by the Latin name after 英文全称. All are read from the text, never
guessed: a reader trained on spans does not know that 滨湖集团 abbreviates the company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.text import Span
from qa.core.zh import load_jieba

_CJK = "\u4e00-\u9fff"
_ASKS_FULL = re.compile(r"^(?P<name>.+?)的?(?:全称|全名)(?:是|叫|叫做)?(?:什么|啥)?(?:名字)?[？?]?$"
                        r"|^(?P<short>.+?)是(?:什么|哪[个家所]?[^的]{0,4})的(?:简称|缩写)[？?]?$")
_ASKS_SHORT = re.compile(r"^(?P<name>.+?)的?(?:简称|缩写)(?:是|叫|为)?(?:什么|啥)?[？?]?$")
# What may follow the short name's last character inside the full one (首钢 -> 首钢集团有限公司).
_ORG_TAIL = re.compile(r"(?:集团|控股|股份)*(?:有限(?:责任)?公司|总公司|集团)")
_PHRASE_WORD = re.compile(r"[的是在和与为了及或]")  # a name has none of these between its characters
_PLACE_REACH = 12  # characters before a name searched for the places that head it
_MAX_INSERT = 8  # characters between two of the short name's: 南宁二中 in 南宁市第二中学
_SHORT_AFTER = re.compile(r"(?:以下)?简称(?:为|是)?[:：]?\s*[“\"「『‘]?([^”\"」』’，,。；;）)\s][^”\"」』’，,。；;）)]{0,15})")
_SHORT_REACH = 80  # characters (an English name in brackets may come first); never past the sentence


_ALIAS_WORDS = "别名|别称|俗名|俗称|又名|又称|又叫|也叫|也称|亦称|或称|又作|亦作|古称|旧称|旧名|原名|原称|前称|昵称|外号|绰号"
_ASKS_ALIAS = re.compile(r"^(?P<name>[^，,。？?]+?)的?(?:又被?|也被?|亦)?(?P<word>%s|称之为|被称为|称为)"
                         r"(?:之为|为|是|叫|叫做|作)?(?:什么|啥|哪些)(?:名字)?[？?]?$" % _ALIAS_WORDS)
_ASKS_ENGLISH = re.compile(r"^(?P<name>[^，,。？?]+?)的?英文(?:名称|全称|全名|名字|名)?(?:是|叫|为)?(?:什么|啥)[？?]?$")
_ALIAS_MARK = re.compile(r"(?:%s)(?:作|为|是|叫|叫做)?[:：]?\s*" % _ALIAS_WORDS)
# The word a question asks by, and the words an article answers it with first (俗名 by 俗名 or 俗称).
_PREFERRED_MARKS = {"俗名": ("俗名", "俗称"), "俗称": ("俗名", "俗称"),
                    "古称": ("古称", "旧称"), "旧称": ("古称", "旧称"),
                    "原名": ("原名", "原称", "旧名", "前称"),
                    "外号": ("外号", "绰号"), "绰号": ("外号", "绰号")}
_ENGLISH_MARK = re.compile(r"英文(?:名称|全称|全名|名字|名)?\s*[:：]\s*")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 .,'&/-]*[A-Za-z0-9.)]")
_NAMES_STOP = "，,。；;！？!?\n"
_ALIAS_REACH = 120  # characters after the thing's name where its other names may still be given


@dataclass(frozen=True)
class NameQuestion:
    """A question asking for another name of ``name``: its ``full`` name, its ``short`` one, an
    ``alias`` (又名, 俗名 …; ``word`` is the one asked by) or its ``english`` name."""

    name: str
    wants: str
    word: str = ""


def asks_other_name(question: str) -> NameQuestion | None:
    """The name whose full, short, other or English name ``question`` asks for, else None."""
    text = question.strip()
    for pattern, wants in ((_ASKS_FULL, "full"), (_ASKS_SHORT, "short"), (_ASKS_ALIAS, "alias"),
                           (_ASKS_ENGLISH, "english")):
        found = pattern.match(text)
        if found is None:
            continue
        name = (found.group("name") or found.group("short") if wants == "full" else found.group("name"))
        name = name.strip("“”\"「」 ")
        word = found.group("word") if wants == "alias" else ""
        return NameQuestion(name, wants, word) if len(name) >= 2 else None
    return None


def other_name(asked: NameQuestion, text: str, whole: bool = False) -> Span | None:
    """Where ``text`` gives the name ``asked`` wants, or None. ``whole``: an also-known-as or English
    name counts only after the name written on its own, not as the end of a longer one (黄蝉 in 软枝黄蝉)."""
    if asked.wants == "full":
        return full_name(asked.name, text)
    if asked.wants == "short":
        return short_name(asked.name, text)
    if asked.wants == "english":
        return english_name(asked.name, text, whole)
    return also_known_as(asked.name, text, _PREFERRED_MARKS.get(asked.word, ()), whole)


def full_name(short: str, text: str) -> Span | None:
    """The longest name in ``text`` that ``short`` abbreviates (its Chinese characters in order,
    a few others between them, 有限公司 and the like after, the place written before it), or None."""
    chars = [ch for ch in short if "\u4e00" <= ch <= "\u9fff"]
    if len(chars) < 2:
        return None
    gap = "[%s]{0,%d}?" % (_CJK, _MAX_INSERT)
    pattern = re.compile("(?=(" + gap.join(re.escape(ch) for ch in chars) + "))")
    best: Span | None = None
    for m in pattern.finditer(text):
        start, end = m.start(1), m.end(1)
        if _PHRASE_WORD.search(text, start, end):
            continue  # 石墨烯为主题的省级特色小镇 is a phrase about 石墨烯小镇, not its name
        tail = _ORG_TAIL.match(text, end)
        end = tail.end() if tail else _word_end(text, end)
        start = _place_before(text, start)
        if end - start <= len(short) or text[start:end] == short:
            continue  # the short name itself, written again
        if best is None or end - start > best.end - best.start:
            best = Span(start, end)
    return best


def _word_end(text: str, end: int) -> int:
    """``end``, or one character further when the last character starts a word there (中 of 第二中学)."""
    import jieba


    load_jieba()
    return end + 1 if end < len(text) and (jieba.get_FREQ(text[end - 1:end + 1]) or 0) > 0 else end


def _place_before(text: str, start: int) -> int:
    """Where the place names written just before ``start`` begin (常州 of 常州滨湖建设…, 广西壮族自治区
    of 广西壮族自治区南宁市第二中学), else ``start``."""
    import jieba.posseg as pseg


    load_jieba()
    words = list(pseg.cut(text[max(0, start - _PLACE_REACH):start]))
    while words and words[-1].flag.startswith("ns"):
        start -= len(words.pop().word)
    return start


def short_name(full: str, text: str) -> Span | None:
    """What ``text`` says ``full`` is called for short (冰雪皇后（Dairy Queen，简称DQ）), or None."""
    for m in re.finditer(re.escape(full), text):
        said = text.find("简称", m.end(), m.end() + _SHORT_REACH)
        found = _SHORT_AFTER.match(text, said) if said >= 0 and "。" not in text[m.end():said] else None
        if found:
            return Span(found.start(1), found.end(1))
    return None


def _mentions(name: str, text: str, whole: bool):
    """The places ``text`` writes ``name``; ``whole``: only those not ending a longer word of characters."""
    return [m for m in re.finditer(re.escape(name), text)
            if not (whole and m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff")]


def also_known_as(name: str, text: str, preferred=(), whole: bool = False) -> Span | None:
    """The names given after 又名 / 别称 / 俗名 … shortly after ``name`` (蓍…，又名欧蓍、千叶蓍…), the
    ``preferred`` words first (俗名龙尖, not 又称蓝线白𫚭, for 俗名是什么), or None."""
    for m in _mentions(name, text, whole):
        marks = [mark for mark in _ALIAS_MARK.finditer(text, m.end(), m.end() + _ALIAS_REACH)
                 if "。" not in text[m.end():mark.start()]]
        marks.sort(key=lambda mark: not any(mark.group().startswith(word) for word in preferred))
        for mark in marks:
            names = _names_after(text, mark.end())
            if names is not None:
                return names
    return None


def english_name(name: str, text: str, whole: bool = False) -> Span | None:
    """The Latin name ``text`` gives ``name`` (英文全称：Bank for…, or in brackets just after it), or None."""
    for m in _mentions(name, text, whole):
        after = text[m.end():m.end() + _ALIAS_REACH]
        mark = _ENGLISH_MARK.search(after)
        start = m.end() + mark.end() if mark else (m.end() + 1 if after[:1] in "（(" else -1)
        found = _LATIN_NAME.match(text, start) if start >= 0 else None
        if found:
            return Span(found.start(), found.end())
    return None


def _names_after(text: str, start: int) -> Span | None:
    """The names from ``start`` to the end of their clause, brackets kept whole (双翼豆（…图说）、闭䇲木)."""
    depth, end = 0, start
    while end < len(text):
        ch = text[end]
        if ch in "（(「“《{":
            depth += 1
        elif ch in "）)」”》}":
            if depth == 0:
                break
            depth -= 1
        elif ch in _NAMES_STOP and depth == 0:
            break
        end += 1
    names = text[start:end].strip()
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", names):
        return None  # 四加亭（，又名）: the name is missing from the text
    offset = text.index(names, start)
    return Span(offset, offset + len(names))

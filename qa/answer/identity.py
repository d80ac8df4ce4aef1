"""What role someone or something has, as a report writes it: 市委常委、区委书记乔俊杰 answers "乔俊杰是谁",
作为X，S… answers "S是什么身份".

News gives a person's titles right before the name, and an actor's standing in an opening phrase
(作为高新区产城融合综合运营商，滨湖集团…) or right after its name (滨湖集团作为…运营商，…; 他以志愿者的身份…).
The span reader, trained on other questions, does not link 职务 / 身份 / 角色 to those words, so the role is
read from the text and never guessed: a text that gives the subject no such phrase answers nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.roles import TITLES
from qa.core.text import Span, earliest_group
from qa.core.zh import pos_tagged

_ROLE_WORDS = r"(?:身份|角色|定位|职务|职位|头衔)"
_ASKS_ROLE = re.compile(
    r"^(?P<about>(?P<subject>[^,，。？?\s]{1,20}?)(?:现在|目前|如今|现|当时|曾经?)?(?:在[^,，。？?\s]{1,12}?)?)"
    r"(?:(?:是|以|扮演着?|担任着?|充当着?|任)?(?:一个|一家|一种)?(?:什么|何种|哪种|怎样的)(?:样的)?%s"
    r"|的%s是(?:什么|啥))(?:出现)?的?[？?。]?$" % ((_ROLE_WORDS,) * 2))
_ASKS_WHO = re.compile(r"^(?:(?P<subject>[\u4e00-\u9fff·]{2,4})(?:(?:是|为)(?:谁|什么人|何人|哪位)|是(?:做|干)什么的|"
                       r"(?:是)?(?:做|干|从事)什么工作的?)"
                       r"|谁是(?P<named>[\u4e00-\u9fff·]{2,4}))[？?。]?$")
_ROLE = r"(?P<role>[^,，。；;：:！？!?“”\"\s]{2,30}?)"
# A title run before a name: titles (each after at most a body's name) joined by 、 (市委常委、区委书记).
_ONE_TITLE = r"[\u4e00-\u9fff]{0,14}?副?(?:%s)" % "|".join(TITLES + ("常委", "委员", "代表"))
_TITLE_RUN = re.compile(r"(?:%s)(?:、%s)*$" % (_ONE_TITLE, _ONE_TITLE))
_TITLE_REACH = 30
_NOT_BODY = "由在是和与及对向把被让请将从据"  # a word before a title that ends the run (会议由|副区长王栋主持)
_MAX_GAP = 4  # characters between 作为X， and the subject: 作为…运营商，该集团 / 作为…，滨湖集团


@dataclass(frozen=True)
class RoleQuestion:
    """A question asking what standing ``subject`` has (身份, 角色, 定位)."""

    subject: str
    about: str = ""  # the question without its role words (滨湖集团在高新区): what to search for

    @property
    def query(self) -> str:
        """What to search the articles for: the question's words other than the role asked."""
        return self.about or self.subject


def asks_role(question: str) -> RoleQuestion | None:
    """The subject whose role ``question`` asks for (滨湖集团 of 滨湖集团在高新区是什么身份?), else None."""
    found = _ASKS_ROLE.match(question.strip())
    return RoleQuestion(found.group("subject"), found.group("about")) if found else None


def asks_who_is(question: str) -> RoleQuestion | None:
    """The person ``question`` asks about by name (乔俊杰是谁?), else None; only the caller knows
    whether the name is a person's (区长是谁 asks for one)."""
    found = _ASKS_WHO.match(question.strip())
    return RoleQuestion(found.group("subject") or found.group("named")) if found else None


def role_of(asked: RoleQuestion, text: str) -> Span | None:
    """Where ``text`` gives ``asked.subject`` its role, or None.

    Titles written before a person's name come first (市委常委、区委书记乔俊杰); then, the earliest in the
    text, a reporter's credit (记者 王晓宁), 作为X，S… (the subject at most a few characters after the comma),
    S作为X， / S身为X，, S以X(的)身份, a title right after the name (龚成杰部长) and S的定位为X.
    """
    subject = re.escape(asked.subject)
    titled = _title_before(text, asked.subject)
    if titled is not None:
        return titled
    patterns = (
        r"(?P<role>(?:见习|特约|实习)?记者|通讯员|实习生)[\s　]*" + subject,  # （记者 王晓宁 通讯员 杨勇峰）
        r"(?:作为|身为)" + _ROLE + r"[,，][^,，。]{0,%d}?" % _MAX_GAP + subject,
        subject + r"(?:作为|身为)" + _ROLE + r"[,，]",
        subject + r"以" + _ROLE + r"的?身份",
        subject + r"(?P<role>副?(?:%s))" % "|".join(TITLES),  # 龚成杰部长肯定了…
        subject + r"的?(?:定位|角色|身份)(?:为|是)" + _ROLE + r"(?=[,，。；;]|$)",
    )
    return earliest_group(patterns, text, "role")


def _title_before(text: str, name: str) -> Span | None:
    """The titles written right before ``name`` (市委常委、区委书记 of 市委常委、区委书记乔俊杰), else None."""
    for m in re.finditer(re.escape(name), text):
        start = m.start()
        run_start = start
        while (run_start > max(0, start - _TITLE_REACH) and re.match(r"[\u4e00-\u9fff、]", text[run_start - 1])
               and text[run_start - 1] not in _NOT_BODY):
            run_start -= 1
        for begin in range(run_start, start - 1):
            if text[begin] != "、" and _TITLE_RUN.match(text, begin, start):
                return Span(begin + _leading_verbs(text[begin:start]), start)
    return None


def _leading_verbs(run: str) -> int:
    """How many characters of a title run are the verb or adverb before it (听取|该县交警大队大队长); a
    one-character verb stays, since place names start with one (打瓦村党总支书记), but not a one-character
    function word cut from the word before the run (为|何打到|方集镇…党支部书记)."""
    skipped = 0
    for word in pos_tagged(run):
        leading = (word.flag.startswith(("v", "p", "c", "d", "u")) if len(word.word) >= 2
                   else word.flag.startswith(("r", "p", "c", "d", "u")))
        if not leading or skipped + len(word.word) >= len(run):
            break
        skipped += len(word.word)
    return skipped


def is_person_name(name: str, known=frozenset()) -> bool:
    """Whether ``name`` is a person's (one of ``known``, or a name jieba tags as a person's with no title
    in it): 乔俊杰是谁 asks for a role, 区长是谁 for a name."""
    if name in known:
        return True
    return not any(title in name for title in TITLES) and any(w.flag.startswith("nr") for w in pos_tagged(name))

"""Understanding a Chinese question without a generative model.

Three jobs: what kind of answer the question wants (a number, a person, a
place or organisation, a date, or something else); which of its words carry
the topic; and, in a chat, how a follow-up such as "那它的占地面积呢?"
reads on its own ("滨湖文隽企业服务中心的占地面积?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.entities import DATE, LIST, NUMBER, OTHER, SURNAMES
from qa.answer.question_types import ASKS, ASKS_DATE, answer_kind, answer_unit
from qa.answer.roles import TITLES
from qa.core.text import has_cjk, normalize
from qa.core.zh import load_jieba, pos_tagged
from qa.index.lexical import QUESTION_WORDS, tokenize

_SIZE = re.compile(r"多([宽长深高厚远重])(?!时间)")  # 多宽: the adjective an article writes before the number
# The words that ask for several things (哪些地区, 哪几家, 哪两个单位), with their measure word.
# 哪几天 / 哪几年 ask when (a span of days), not for several things
WHICH_ITEMS = re.compile(r"哪(?:些|(?:几|[两二三四五六七八九十])(?!天|日|年|个月))[个位家项名种类所条]?")

# Words that only shape the question; they never decide whether an article answers it.
_QUESTION_WORDS = QUESTION_WORDS | frozenset(
    "多 大 高 长 宽 深 厚 远 重 久 哪儿 哪位 哪家 哪年 哪一年 啥 何 何时 何地 "
    "为何 能否 有没有 呢 吗 吧 么 呀 钱 叫 叫做 一共 总共 要 会 能 可以 做 了 过 到 有 "
    "方面 情况 表现 内容 问题 一下 知道 告诉 介绍 说说 那个 这个 那篇 这篇 篇 报道 文章 那么 那 "
    "那张 这张 那幅 这幅 那条 这条 那则 这则 那份 这份 "
    # How people point at an event they heard of (那场风波到底咋回事, 那起案子后来破了没): no topic.
    "那场 这场 那起 这起 那次 这次 那件 这件 那事 这事 那桩 这桩 那些 这些 到底 究竟 后来 没 "
    "时候 时间 时段 什么时候 地方 名字 姓名 意义 作用 举措 措施 工作 "
    # Words about the report itself, not its topic ("那张照片是谁拍的?").
    "照片 图片 图 图是 新闻 稿件 稿子 消息 记者 作者 拍 写 拍摄 摄影".split()
)

# Questions whose answer is a statement, not a name or a number: a reason, a feature, an effect, a use.
# Their short answer is the whole clause the reader's span sits in (qa/answer/assistant.py). So is the manner
# asked by "怎么/如何…" ("如何得到…", "是怎样形成的"), but a closing "如何 / 怎样 / 怎么样" asks for a
# verdict: "表现如何?" is answered by "稳步进位", not by the clause that repeats the question, and
# "什么样的合作新模式" by the modifier (利益共享), not by the clause.
# 称为什么 / 更名为什么 ask for a name ("called what"), not a reason. A yes/no question (…吗, 是否) is
# answered by the clause that says so (丙烯颜料有轻微毒性), not by two of its words.
_NOT_WHY = r"(?<![称作成认视定列改算名译选封誉评分划归换转])"  # 称为什么 asks "called what"
_COLLOQUIAL_WHY = r"为啥|凭啥|凭什么|干嘛|咋会|怎么会"  # 为啥 / 凭啥 / 怎么会想到: why, as people say it
_ASKS_REASON = re.compile(_NOT_WHY + r"为什么|为何|什么原因|原因是|" + _COLLOQUIAL_WHY)
_SPOKEN_WHY = re.compile(_COLLOQUIAL_WHY + r"|咋")  # jieba splits 凭啥 into 凭|啥: 凭 is no topic
_ASKS_WHETHER = re.compile(r"吗[?？!！。\s]*$|是否|有没有|是不是|能不能|会不会")
_DESCRIBES = re.compile(_NOT_WHY + r"为什么|为何|什么原因|原因是|" + _COLLOQUIAL_WHY + r"|什么特点|特点是|"
                        r"什么特色|特色是|什么特征|什么影响|什么作用|什么用途|什么意义|什么症状|什么区别|什么贡献|评价|"
                        r"(?:怎样|怎么(?!办|样)|如何)(?![?？!！。\s]*$)|" + _ASKS_WHETHER.pattern)
# 排名第几 / 处于什么水平: a rank or a superlative answers (第一, 最多, 领先), not a figure.
_ASKS_STANDING = re.compile(r"(?:排名?|位列|名列|居|位居|排在)(?:全国|全省|全市|全区|国内|世界|全球)?第几|第几(?:名|位)|"
                            r"排名(?:如何|怎样|怎么样|多少)|处于什么(?:水平|位置|地位)|处在什么(?:水平|位置)|什么(?:名次|排名)")
# 什么是特色小镇 / 特色小镇是什么 / “一轴”指的是什么 / 这句话是什么意思: a definition or a meaning, answered by
# the statement that gives it (特色小镇是集特色产业…的创新创业平台), not by two of its words. X的Y是什么 asks
# for an attribute and stays short.
_MEANING = re.compile(r"什么意思|指(?:的是)?什么|是指什么|含义是什么|代表什么")
# The term a definition question asks about: 特色小镇 of 什么是特色小镇 / 特色小镇是什么.
_DEFINED = re.compile(r"^(?:请问)?什么(?:是|叫|叫做)(?P<after>[^的，,？?]{1,20}?)[？?]?$"
                      r"|^(?P<before>[^的，,]{1,20}?)(?:是|指|指的是|是指)(?:什么|啥)(?:意思)?[？?]?$")
# What a question asks the point of: 为什么要X / X有什么意义 / X的意义是什么.
_SIGNIFICANCE = re.compile(r"^(?:请问)?(?:为什么|为何)(?:要|需要)(?P<why>[^，,？?]{4,30}?)[呢？?]*$"
                           r"|^(?P<of>[^，,？?]{4,30}?)(?:有什么|有何|的)意义(?:是什么|何在)?[呢？?]*$")
# 康忠做了什么 / 从事什么工作 / 有什么变化 / 有什么不同: a deed or a change, answered by the statement that tells it.
_ASKS_DEED = re.compile(r"(?:做|干|从事|负责|发生)了?(?:什么|哪些)(?:事情?|工作|事件|举措|变化)?的?[？?]?$|什么(?:变化|不同)")
_ANAPHORA = re.compile(r"(它们|他们|她们|它|他|她|其|该(?=[\u4e00-\u9fff])|这个|那个|此(?=[\u4e00-\u9fff]))")
# 那 opens a follow-up (那另外…, 那农村居民呢), but not when a measure word makes it a demonstrative: 那个公司,
# 那次事故, 那位记者 and 那辆电动车 point at something, so the 那 stays for the anaphor to be resolved.
_FOLLOW_OPENERS = re.compile(r"^(?:(?:那请问|那么|那(?![个次位家天年篇起场条件些名种项辆栋座所只台部批笔处片段份张幅则])"
                             r"|还有|另外|再问一下|再问|此外)"
                             r"[,，、\s]*)+")
_TRAILING_NE = re.compile(r"[呢吗]?[?？。!！\s]*$")
_TRAILING_MARKS = re.compile(r"呢?[?？。!！\s]*$")


_EXCEPT = re.compile(r"除了?(?!此)([^,，?？]{2,30}?)(?:以外|之外|外)?[,，]?(?:还|另外|其他|其它|别的)")


def excluded(question: str) -> str:
    """What "除了X(以外)还有…" puts aside: X answers no such question, or "" when there is none."""
    m = _EXCEPT.search(question)
    return m.group(1).strip() if m else ""


@dataclass(frozen=True)
class Question:
    """A question as the answerer sees it."""

    text: str  # the question as asked (normalised)
    standalone: str  # the question with a follow-up's subject filled in
    kind: str  # NUMBER, PERSON, PLACE, DATE, AUTHOR or OTHER
    terms: tuple["Term", ...]  # topic words, for matching sentences
    subject: str  # the thing the question is about, when found
    follow_up: bool = False
    unit: str = ""  # the unit the answer should carry (元, %, 平方 ...; 日 for a date that names its day)

    @property
    def describes(self) -> bool:
        """True when the question asks for a reason, feature, effect or use (its answer is a clause)."""
        return self.kind in (OTHER, LIST) and bool(_DESCRIBES.search(self.standalone))

    @property
    def asks_reason(self) -> bool:
        """True when the question asks why (its answer is the clause that gives the cause)."""
        return self.describes and bool(_ASKS_REASON.search(self.standalone))

    @property
    def event_terms(self) -> tuple["Term", ...]:
        """What a "when" question asks the time of: its words after the question word (正式运营 of
        滨湖文隽企业服务中心什么时候正式运营的); () for other questions."""
        found = ASKS_DATE.search(self.standalone) if self.kind == DATE else None
        if found is None:
            return ()
        after = self.standalone[found.end():]
        return tuple(t for t in self.terms if t.text in after)

    @property
    def asks_standing(self) -> bool:
        """True when the question asks a rank or standing (处于什么位置, 排第几): 最多 or 第一 answers it."""
        return self.kind in (OTHER, NUMBER) and bool(_ASKS_STANDING.search(self.standalone))

    @property
    def asks_whether(self) -> bool:
        """True for a yes/no question (…吗, 是否, 有没有): its answer is the clause that says so."""
        return self.describes and bool(_ASKS_WHETHER.search(self.standalone))

    @property
    def claim_terms(self) -> tuple["Term", ...]:
        """What a yes/no question claims of its subject: its words outside the subject and the
        是否/有没有 that ask (集团, 投资 of 滨湖文隽企业服务中心是滨湖集团投资的吗)."""
        asking = list(_ASKS_WHETHER.finditer(self.standalone))
        marks = "".join(m.group(0) for m in asking)
        claim = tuple(t for t in self.terms if t.text not in self.subject and t.text not in marks)
        # 是否 / 有没有 before the predicate: what follows it is the claim (…指标是否|全部实现正增长)
        inner = [m for m in asking if not m.group(0).startswith("吗")]
        after = self.standalone[inner[0].end():] if inner else ""
        return tuple(t for t in claim if t.text in after) or claim

    @property
    def asks_statement(self) -> bool:
        """True when the question asks what something is or means, or what someone did (its answer is
        the statement that says so, cut to a readable quote)."""
        return self.kind == OTHER and bool(self.defined_term or _MEANING.search(self.standalone)
                                           or _ASKS_DEED.search(self.standalone))

    @property
    def defined_term(self) -> str:
        """What a definition question asks about (特色小镇 of 什么是特色小镇?), else ""."""
        found = _DEFINED.search(self.standalone) if self.kind == OTHER else None
        return (found.group("after") or found.group("before") or "").strip("“”\"'「」 ") if found else ""

    @property
    def significance_of(self) -> str:
        """What a question asks the point of (深化结对合作共建 of 深化结对合作共建有什么意义 / 为什么要深化…), else ""."""
        found = _SIGNIFICANCE.search(self.standalone) if self.kind == OTHER else None
        return (found.group("why") or found.group("of")).strip("“”\"'「」 ") if found else ""

    @property
    def wants_list(self) -> bool:
        """True when the question asks for several things (哪些地区, 哪几家, 哪两个单位), whatever their kind."""
        return bool(WHICH_ITEMS.search(self.standalone))

    @property
    def measured(self) -> str:
        """The size a number question asks, as an article writes it just before the number: 宽 of 多宽
        (宽约300米); "" for other questions. (Not the counted noun: 学生 follows its count, 约1080名学生.)"""
        size = _SIZE.search(self.standalone) if self.kind == NUMBER else None
        return size.group(1) if size else ""

    @property
    def focus(self) -> "Term | None":
        """The attribute asked about: the last noun of the question (建筑面积 in X的建筑面积是多少)."""
        nouns = [t for t in self.terms if t.is_noun]
        return nouns[-1] if nouns else None


_QUESTION_MORPHEMES = re.compile(r"哪|谁|什么|多少|多大|多高|多长|多宽|多深|多厚|多远|多久|怎么|怎样|如何|为何|为什么|是否|几(?:个|家|项|位|次|年|条|种|名|所|类|件|只|批|座|部|起|天|户|辆|份|场|轮|期)|那个|这个")


@dataclass(frozen=True)
class Term:
    """A topic word of a question, with how much it counts and the shorter words inside it."""

    text: str
    factor: float  # 1 for nouns and names, less for verbs and single characters
    parts: tuple[str, ...] = ()

    @property
    def is_noun(self) -> bool:
        return self.factor >= 1.0 and len(self.text) >= 2 and not self.text.isdigit()


def topic_terms(question: str) -> tuple[Term, ...]:
    """The question's words that name its topic, longest forms only.

    jieba's search mode yields a compound and its parts (占地面积, 占地, 地面,
    面积); only the compound is a term, the parts help find it when an article
    words it differently. Question words and particles are dropped.
    """
    load_jieba()
    question = _ASKS_STANDING.sub("，", question)  # 处于什么水平 / 排第几 shape the question, as 多少 does
    question = _SPOKEN_WHY.sub("，", question)
    folded = normalize(question)
    tagged = pos_tagged(folded)
    flags = {w.word: w.flag for w in tagged}

    def flag_of(token: str) -> str:
        # Search mode makes words the tagger never saw (要花 from 要|花): take the
        # tags of the tagged words inside it, a verb tag winning.
        if token in flags:
            return flags[token]
        inside = [w.flag for w in tagged if w.word in token]
        if any(f.startswith("v") and not f.startswith("vn") for f in inside):
            return "v"
        return inside[0] if inside else "n"

    tokens: list[str] = []
    for token in tokenize(question):
        if token in _QUESTION_WORDS or _QUESTION_MORPHEMES.search(token):
            continue
        if len(token) == 1 and token in "是在有和与的了吗呢要把被让给":
            continue
        if token not in tokens:
            tokens.append(token)
    terms = []
    for token in tokens:
        if any(token != other and token in other for other in tokens):
            continue
        flag = flag_of(token)
        if token.isdigit():
            factor = 1.5  # years and figures pin the exact sentence (2020年 vs 2017年)
        elif len(token) == 1:
            factor = 0.5
        else:
            factor = 0.6 if flag.startswith(("v", "d", "a")) and not flag.startswith("vn") else 1.0
        parts = tuple(o for o in tokens if o != token and o in token)
        terms.append(Term(token, factor, parts))
    return tuple(terms)


def term_presence(term: Term, folded: str) -> float:
    """How much of ``term`` a (normalised) text contains: 1 when whole, else the share of its
    characters covered by its parts or by its character pairs (高企 inside 家高企)."""
    if term.text in folded:
        return 1.0
    covered = [False] * len(term.text)
    pieces = list(term.parts)
    if has_cjk(term.text):
        # Character pairs only for Chinese words: "2020" must not match "2017" via "20".
        pieces += [term.text[i : i + 2] for i in range(len(term.text) - 1)]
    for piece in pieces:
        if len(piece) >= 2 and piece in folded:
            start = term.text.find(piece)
            while start >= 0:
                for i in range(start, start + len(piece)):
                    covered[i] = True
                start = term.text.find(piece, start + 1)
    share = sum(covered) / len(covered) if len(term.text) > 1 else 0.0
    if share < ABBREVIATION_PRESENCE and long_forms(term.text, folded):
        return ABBREVIATION_PRESENCE
    return share


ABBREVIATION_PRESENCE = 0.8  # an abbreviation's long form is nearly the word itself


def long_forms(word: str, text: str) -> list[str]:
    """The four-character words of ``text`` that a two-character dictionary ``word`` abbreviates: 营收 ->
    营业收入 (营业 + 收入, each a dictionary word; not 经营净收入's 营净收入)."""
    if len(word) != 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or word[0] not in text:
        return []
    import jieba

    load_jieba()
    # A pair jieba does not know as a word (被关 of 他们被关了几天, 上要 of 在…上要怎么做) is a fragment of
    # the question, not a short form: it is not spelled out as 被迫关闭 or 上级要求.
    if jieba.get_FREQ(word) is None:
        return []
    found = []
    for m in re.finditer("(?=(%s[\u4e00-\u9fff]%s[\u4e00-\u9fff]))" % (re.escape(word[0]), re.escape(word[1])), text):
        full = m.group(1)
        if (jieba.get_FREQ(full[:2]) or 0) > 0 and (jieba.get_FREQ(full[2:]) or 0) > 0:
            found.append(full)
    return found


def subject_of(question: str) -> str:
    """The noun phrase a question is about: the text before its first 的/是/有, if any.

    "滨湖文隽企业服务中心的建筑面积是多少" -> "滨湖文隽企业服务中心".
    """
    text = _FOLLOW_OPENERS.sub("", question)
    m = re.match(r"([\u4e00-\u9fffA-Za-z0-9]{2,30}?)(?:的|是|有|在|将|要|提出|完成|实现|为什么)", text)
    subject = m.group(1) if m else _leading_nouns(text)
    if len(subject) < 2:
        return ""
    if _ANAPHORA.fullmatch(subject) or subject in _QUESTION_WORDS:
        return ""
    return subject


_WHEN_WORDS = re.compile(r"今天|明天|昨天|今年|去年|明年|前年|上半年|下半年|目前|现在|最近|近日|近期")
_NOT_A_NAME = re.compile(r"[那这哪该其它他她]|什么|多少|谁|几")


def possessor(question: str) -> str:
    """The named owner a question opens with ("阳湖餐厅的招牌菜", "阳湖餐厅有什么招牌菜" -> 阳湖餐厅), when it
    is a run of nouns rather than a demonstrative (那个研究院的…), a time (今年的…) or a clause; else ""."""
    m = re.match(r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?)(?:的|有(?=什么|哪些|多少|几))", _FOLLOW_OPENERS.sub("", question))
    if not m:
        return ""
    name = _WHEN_WORDS.sub("", m.group(1))
    if len(name) < 2 or _NOT_A_NAME.search(name) or name in _QUESTION_WORDS:
        return ""
    # Nouns only: "乔俊杰一行考察的农业公园" is about the park, not about 乔俊杰一行考察.
    return name if _leading_nouns(name) == name else ""


def _leading_nouns(text: str, latin: bool = False) -> str:
    """The run of nouns a question opens with (石墨烯小镇 in 石墨烯小镇集聚了…); with ``latin``, Latin names and
    the spaces between their words too (ridgebury alexandra z油轮船长)."""
    out, pending = "", ""
    for word in pos_tagged(text):
        if word.flag.startswith(_NOUN_FLAGS) or word.flag == "x" and (has_cjk(word.word)
                                                                      or latin and word.word.isalnum()):
            out, pending = out + pending + word.word, ""
        elif latin and word.word == " " and out and not pending:
            pending = " "
        else:
            break
    return out


def _names_own_subject(question: str, known_terms) -> bool:
    """True when the question names a subject of its own (a topic word the articles know)."""
    body = _ANAPHORA.sub("", _FOLLOW_OPENERS.sub("", question))
    subject = subject_of(body) or body
    return any(p in known_terms for t in topic_terms(subject) for p in (t.text,) + t.parts if len(p) >= 2)


def resolve_follow_up(question: str, previous: "Question | None", known_terms=frozenset(),
                      named: str = "") -> tuple[str, bool]:
    """(standalone question, whether it was a follow-up) for ``question`` after ``previous``.

    Rewrites only what needs context: an anaphor (它/其/该…) takes the earlier
    subject (他/她 the person the earlier answer ``named``, if any); an elliptic
    "那X呢?" borrows the earlier subject when X is an attribute, or the earlier
    question's predicate when X is a new subject. A question that names its own
    subject and has no anaphor stands as is.
    """
    if previous is None or not previous.subject:
        return question, False
    has_anaphor = bool(_ANAPHORA.search(question))
    opener = bool(_FOLLOW_OPENERS.match(question))
    elliptic = opener or bool(re.search(r"呢[?？]?\s*$", question))
    if not has_anaphor and not elliptic:
        return question, False
    core = _TRAILING_NE.sub("", _FOLLOW_OPENERS.sub("", question))
    if has_anaphor:  # 他上诉了吗 keeps its 吗: it asks whether
        kept = _TRAILING_MARKS.sub("", _FOLLOW_OPENERS.sub("", question))
        return _with_referent(kept, previous, named) + "?", True
    swapped = _swap_title(core, previous)
    if swapped:
        return swapped, True
    if ASKS.search(core) and _OPENS_PREDICATE.match(core):
        # "那是几点发生泄漏的呢?": its own question, with the earlier subject left unsaid.
        return _referent(previous) + core + "?", True
    if _names_own_subject(question, known_terms):
        if len(core) <= 12 and previous.subject in previous.standalone:
            # "那农村居民呢?" after "…城镇居民人均可支配收入是多少?" swaps the word with the same head.
            head = core[-2:]
            at = previous.subject.find(head)
            if len(core) >= 3 and at >= 0 and at + 2 >= len(core):
                old = previous.subject[at + 2 - len(core): at + 2]
                return previous.standalone.replace(old, core, 1), True
            # "那石墨烯小镇呢?" asks the earlier question about a new subject.
            return previous.standalone.replace(previous.subject, core, 1), True
        return question, False
    swapped = _swap_head(core, previous)
    if swapped:
        return swapped, True
    referent = _referent(previous)
    owner = _MEASURED_ATTRIBUTE.sub("", referent)
    owner = owner if len(owner) >= 2 else referent
    return "%s的%s%s?" % (owner, core.lstrip("的"), _borrowed_tail(core, previous)), True


# What a clause without its subject opens with: a copula, an auxiliary or the question word itself.
_OPENS_PREDICATE = re.compile(r"是|在|有|要|会|能|将|被|把|又|还|也|都|为什么|为何|怎么|怎样|如何|何时|什么时候|啥时候|几|多少|哪")


def _swap_head(core: str, previous: "Question") -> str:
    """"那初中部呢?" after "…园区的小学部规划几个班?" asks the earlier question of the word with the
    same head (初中部 for 小学部); "" when the earlier question has no such word."""
    if not 2 <= len(core) <= 6 or not has_cjk(core) or _QUESTION_MORPHEMES.search(core):
        return ""
    text = previous.standalone
    for size in (2, 1):
        at = text.find(core[-size:])
        start = at + size - len(core)
        if at >= 0 and start >= 0 and has_cjk(text[start]) and text[start:at + size] != core:
            return text[:start] + core + text[at + size:]
    return ""


_PERSONAL = re.compile(r"[他她](?!们)")
_ASKING = re.compile(r"谁|什么|哪|多少|几")
_PEOPLE = re.compile(r"[他她]们")
_DEMONSTRATIVE = re.compile(r"这个|那个|该|此")
_NOUN_FLAGS = ("n", "j", "eng")
_ANONYMISED = re.compile(r"[%s](?:某某|某)" % "".join(sorted(SURNAMES)))  # 梁某某, 郑某


def _with_referent(core: str, previous: "Question", named: str = "") -> str:
    """``core`` with its first anaphor replaced by what it points at in the earlier turn: 他/她 the
    person its answer ``named``, else a person the earlier question names (郑某某, not the 法院 it opens
    with); 这个奖 the earlier noun phrase with the same head noun (红星奖); else the earlier subject."""
    m = _ANAPHORA.search(core)
    if m is None:
        return core
    start, end, referent = m.start(), m.end(), _referent(previous)
    if _PERSONAL.fullmatch(m.group(0)):
        referent = named or _person_in(previous.standalone) or referent
    elif _PEOPLE.fullmatch(m.group(0)):
        persons = _persons_in(previous.standalone)  # 他们 after …的赵某和郭某: both of them
        referent = "和".join(persons) if len(persons) >= 2 else referent
    elif _DEMONSTRATIVE.fullmatch(m.group(0)):
        # A subject that asks (是谁向…反映的那个大坑) names nothing a later turn points at.
        subject = "" if _ASKING.search(previous.subject) else previous.subject
        for size in (3, 2, 1):
            head = core[end:end + size]
            if len(head) < size or not has_cjk(head):
                continue
            at = subject.find(head)
            phrase = subject[:at + size] if at >= 0 else _phrase_ending(previous.standalone, head)
            if len(phrase) > size:
                referent, end = phrase, end + size
                break
    return core[:start] + referent + core[end:]


def _referent(previous: "Question") -> str:
    """What a later turn's omitted subject or anaphor points at: the earlier subject, or, when that subject
    is a clause describing a noun (男扮女装网恋骗大学生|的吕某, 在美国被起诉|的…油轮船长), the clause with its noun."""
    subject, text = previous.subject, previous.standalone
    if not text.startswith(subject + "的") or not any(w.flag.startswith("v") for w in pos_tagged(subject)):
        return subject
    head = _leading_nouns(text[len(subject) + 1:], latin=True)
    return subject + "的" + head if len(head) >= 2 else subject


def _person_in(text: str) -> str:
    """The person ``text`` is about: the one named after another's relation (余静萍 of 卢凯彤的太太余静萍),
    else the first it names."""
    persons = _persons_in(text)
    for name in persons[1:]:
        relation = re.search(r"的([\u4e00-\u9fff]{1,4})" + re.escape(name), text)
        if relation and not re.search("[和与及、]|" + "|".join(map(re.escape, persons)), relation.group(1)):
            return name
    return persons[0] if persons else ""


def _persons_in(text: str) -> list[str]:
    """The people ``text`` names, in order: anonymised ones (梁某某, 郑某) and names jieba tags as a person's."""
    found = {m.start(): m.group(0) for m in _ANONYMISED.finditer(text)}
    at = 0
    for w in pos_tagged(text):
        if w.flag.startswith("nr") and 2 <= len(w.word) <= 3 and w.word[0] in SURNAMES \
                and not any(start <= at < start + len(name) for start, name in found.items()):
            found[at] = w.word
        at += len(w.word)
    return [found[start] for start in sorted(found)]


def _phrase_ending(text: str, head: str) -> str:
    """The run of nouns in ``text`` that ends with the noun ``head`` (红星奖 for 奖), or ""."""
    run, found = "", ""
    for w in pos_tagged(text):
        if w.flag.startswith(_NOUN_FLAGS):
            run += w.word
            if run.endswith(head):
                found = run
        else:
            run = ""
    return found


# The measured attribute an earlier subject may end with when it was asked without 的
# (…研究院总投资是多少?): a follow-up about another attribute keeps only the thing it belongs to.
_MEASURED_ATTRIBUTE = re.compile(r"(?:总|年|净)?(?:投资|投资额|收入|营收|营业收入|面积|建筑面积|占地面积|产值|利润|人数|"
                                 r"金额|费用|价格|长度|高度|人口)$")


def _swap_title(core: str, previous: "Question") -> str:
    """"那县长呢?" after "阜宁县委书记是谁?" asks about another title of the same body
    (阜宁县委县长, which no article may name), not about every 县长; "" when either has no title."""
    new = next((t for t in TITLES if core.endswith(t)), "")
    old = next((t for t in TITLES if previous.subject.endswith(t)), "")
    if not new or not old or len(core) > 12 or previous.subject not in previous.standalone:
        return ""
    body = previous.subject[: -len(old)]
    if not body:
        return ""
    return previous.standalone.replace(previous.subject, body + core, 1)


_WH_TAIL = re.compile(r"(?:(?:是|为|有)(?:多少[\u4e00-\u9fff]{0,2}|谁|什么|哪些|哪里|几[\u4e00-\u9fff]?)|多少[\u4e00-\u9fff]{0,2})$")


def _borrowed_tail(core: str, previous: "Question") -> str:
    """The earlier question's 是谁/是多少 for a follow-up that has no question word of its own
    ("那商管负责人呢?" after "…的销售总监是谁?" asks who, not what)."""
    if _QUESTION_MORPHEMES.search(core):
        return ""
    m = _WH_TAIL.search(_TRAILING_NE.sub("", previous.standalone))
    if not m:
        return ""
    # The measure word counted the earlier attribute (入驻企业有多少家): 产业类投资 is not counted in 家.
    return re.sub(r"(多少|几)[\u4e00-\u9fff]{1,2}$", r"\1", m.group(0))


def expand_abbreviations(question: Question, long_form) -> Question:
    """``question`` with the abbreviations the articles only spell out (营收 -> 营业收入) in their
    long form, ``long_form(word)`` giving it ("" for none): the reader and BM25 match the long form."""
    text = question.standalone
    for term in question.terms:
        full = long_form(term.text)
        if full:
            text = text.replace(term.text, full)
    return reworded(question, text)


def reworded(question: Question, text: str) -> Question:
    """``question`` asked in the words ``text`` (the same question, other words), analysed again."""
    from dataclasses import replace

    if text == question.standalone:
        return question
    kind = answer_kind(text)
    return replace(question, standalone=text, terms=topic_terms(text), kind=kind, unit=answer_unit(text, kind))


def analyse(question: str, previous: "Question | None" = None, known_terms=frozenset(), named: str = "") -> Question:
    """Analyse ``question``, resolving it against the ``previous`` turn of a chat (``named``: the person
    that turn's answer named, if any)."""
    standalone, follow = resolve_follow_up(question, previous, known_terms, named)
    kind = answer_kind(standalone)
    return Question(
        text=question, standalone=standalone, kind=kind,
        terms=topic_terms(standalone), subject=subject_of(standalone) or (previous.subject if follow and previous else ""),
        follow_up=follow, unit=answer_unit(standalone, kind),
    )

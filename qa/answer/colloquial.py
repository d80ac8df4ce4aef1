"""Everyday words in a question, in the words news copy writes: 花多少钱 is 总投资 or 耗资, 赚多少钱 is
营业收入, 交情 is 情谊, 长处 is 优势, 带队 is 带领; and spoken question words (为啥, 咋样) in written ones.

The reader, trained on questions worded like their passages, doubts 研究院一共要花多少钱 over
该项目总投资约为4.15亿元 and is sure of 研究院一共要总投资多少钱; BM25 never matches 交情 to 情谊. The written
word is taken from the passages about to be read, never guessed: a question keeps its words when a passage
already writes them (the article means what it says) or when none writes a written word for them (门票 stays
门票, and a question about what no article holds stays unanswerable).
"""

from __future__ import annotations

import re

# (the everyday verb before an amount asked for, the words an article writes for it, most specific first)
# An amount of money closing the question: 多少钱 / 几亿 / 多少 (花了多少心思 asks no amount of money).
_AMOUNT = r"(?=(?:大概|大约|约)?(?:多少|几[十百千万亿]+)(?:钱|元|块|万元?|亿元?|资金|经费)?[?？。]?$)"
_PLAIN_MONEY = (
    (re.compile(r"花(?:费|掉)?了?" + _AMOUNT), ("总投资", "投资", "耗资", "花费", "投入", "造价", "支出")),
    (re.compile(r"(?:赚|挣)(?:到|得)?了?" + _AMOUNT), ("营业收入", "营收", "净利润", "利润", "盈利", "收入")),
    (re.compile(r"投(?:进去|进)?了?" + _AMOUNT), ("投资", "总投资", "投入", "耗资")),
)

# Spoken question words, in the words the question patterns know: 为啥 asks 为什么, 啥时候 什么时候,
# 咋样 怎样. They are the question's own words, so no passage decides them.
_SPOKEN_QUESTION_WORDS = (
    (re.compile(r"啥"), "什么"), (re.compile(r"咋(?=样|么样)"), "怎"), (re.compile(r"咋(?!么)"), "怎么"),
    (re.compile(r"多会儿"), "什么时候"),
    # 是几号 asks the day (the reader, which never saw 几号, reads it as "no answer" beside 12月8日), unless
    # a noun follows (几号楼, 几号线).
    (re.compile(r"(?:几月)?几号(?![\u4e00-\u9fff])"), "哪天"), (re.compile(r"(?:几月)?几号(?=[的播开到办发])"), "哪天"),
)

# Everyday words and the words news copy writes for the same thing, most usual first. Only words of one
# meaning: 一起 (together, or in total) or 看 (look, or visit) would be rewritten wrongly as often as not.
_PLAIN_WORDS = {
    "长处": ("优势", "优点", "长项"), "强项": ("优势", "长项"), "短处": ("短板", "劣势", "不足"),
    "弱项": ("短板", "劣势"), "交情": ("情谊", "友谊", "友情"), "感情": ("情谊", "情感"),
    "老百姓": ("群众", "百姓", "居民", "市民"), "带队": ("带领", "率领", "率队"),
    "领队": ("带领", "率领", "率队"), "开会": ("会议",), "召开": ("举行",), "举行": ("召开",),
    "开工": ("动工",), "动工": ("开工",), "完工": ("竣工", "建成"), "竣工": ("完工", "建成"),
    "开张": ("开业", "运营", "投用"), "开业": ("运营", "投用"), "用上": ("投用", "投入使用"),
    "员工": ("职工",), "工人": ("职工",), "工资": ("薪酬", "薪资"), "老板": ("董事长", "总经理"),
    "打工": ("务工",), "找工作": ("就业", "求职"), "看病": ("就医", "就诊"), "上学": ("入学", "就学"),
    "老人": ("老年人",), "小孩": ("儿童", "少儿"), "孩子": ("儿童", "少儿"),
    "高校": ("大学", "院校"), "行业": ("产业",), "帮忙": ("帮扶", "帮助", "支援"), "帮助": ("帮扶", "支援", "援助"),
    "房子": ("用房", "房屋", "住房"), "点子": ("建议", "举措"),
    "意见": ("建议", "需求", "诉求"), "想法": ("建议", "设想"),
    "签约": ("签订", "签署"), "签下": ("签订", "签署"), "签了": ("签订", "签署"),
    "卖出去": ("销售", "出售"), "卖出": ("销售", "出售"), "卖掉": ("销售", "出售"), "卖了": ("销售", "出售"),
    "买进": ("采购", "购买", "购进"), "买了": ("采购", "购买", "购进"), "出席": ("参加",), "参加": ("出席",),
    "结成对子": ("结对",), "结对子": ("结对",),
    "拿到": ("获得", "荣获", "获评"), "得到": ("获得", "荣获"), "当选": ("入选", "获评"),
    "叫停": ("暂停", "停止"), "关门": ("停业", "关闭"), "涨价": ("上涨", "提价"), "降价": ("下调", "下降"),
}


def formal_wording(question: str, texts: list[str]) -> str:
    """``question`` with its everyday words in the written words the best-ranked of ``texts`` writes."""
    for spoken, word in _SPOKEN_QUESTION_WORDS:
        question = spoken.sub(word, question)
    for plain, formal in _PLAIN_MONEY:
        found = plain.search(question)
        if found is None:
            continue
        word = next((word for text in texts for word in formal if word in text), "")
        if word:
            question = question[:found.start()] + word + question[found.end():]
    for plain in sorted(_PLAIN_WORDS, key=len, reverse=True):
        if plain not in question or any(plain in text for text in texts):
            continue
        word = next((word for text in texts for word in _PLAIN_WORDS[plain] if word in text), "")
        if word:
            question = question.replace(plain, word)
    return question

"""Topic-word weights: passage counts through the character index equal a scan of every passage."""

from __future__ import annotations

import random

import pytest
from conftest import SEED_FILE

from qa.answer.colloquial import formal_wording
from qa.answer.terms import TermWeights
from qa.core.text import normalize


def _scan_df(folded: list[str], term: str) -> int:
    from qa.answer.question import long_forms

    df = sum(1 for text in folded if term in text)
    if df == 0 and len(term) == 2:
        df = sum(1 for text in folded if long_forms(term, text))
    return df


def test_passage_counts_match_a_full_scan():
    texts = [p for p in SEED_FILE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    weights = TermWeights(texts)
    folded = [normalize(t) for t in texts]
    rng = random.Random(11)
    words = ["营收", "建筑面积", "", "滨湖", "不存在的词", "1.8万", "a", "区长"]
    for _ in range(300):
        text = rng.choice(folded)
        start = rng.randrange(len(text))
        words.append(text[start:start + rng.randint(1, 6)])
    words += ["".join(rng.choice("营业收入滨湖中心的区") for _ in range(2)) for _ in range(50)]
    for word in words:
        assert weights.df(word) == _scan_df(folded, word), word


def test_an_abbreviation_is_read_in_the_long_form_the_passages_use():
    weights = TermWeights(["石墨烯小镇去年营业收入超过50亿元。", "园区的营业收入增长了。", "他们的经营净收入不错"])
    assert weights.long_form("营收") == "营业收入"
    assert weights.df("营收") == 2
    assert weights.long_form("收入") == ""  # the passages use the word itself


def test_a_fragment_of_the_question_is_no_abbreviation():
    # 他们被关了几天: 被关 is no word, so no 被迫关闭 of another article
    weights = TermWeights(["工厂被迫关闭了三天。", "商店被迫关闭。"])
    assert weights.long_form("被关") == ""
    assert weights.df("被关") == 0


def test_a_common_word_is_no_abbreviation():
    # 特产 (a local speciality) is a word of its own: 阜宁县的特产 does not ask for 特色产业.
    weights = TermWeights(["特色小镇是集特色产业、生产生活生态空间相融合的创新创业平台。"])
    assert weights.long_form("特产") == ""
    assert TermWeights(["深化国有企业改革。"]).long_form("国企") == "国有企业"  # a rarer word: still spelled out


@pytest.mark.parametrize("question, texts, worded", [
    ("研究院一共要花多少钱?", ["据悉,该项目总投资约为4.15亿元。"], "研究院一共要总投资多少钱?"),
    ("大桥花了几亿?", ["大桥耗资12亿元建成。"], "大桥耗资几亿?"),
    ("小镇去年赚了多少钱?", ["去年,小镇实现营业收入超过50亿元。"], "小镇去年营业收入多少钱?"),
    # The best-ranked passage's word, whatever a later one writes.
    ("公司去年挣了多少?", ["公司去年净利润3亿元。", "营业收入20亿元"], "公司去年净利润多少?"),
    ("门票多少钱?", ["总投资4.15亿元"], "门票多少钱?"),  # no everyday verb
    ("中心花了多少钱?", ["中心由滨湖集团出资建设。"], "中心花了多少钱?"),  # no article writes a formal word
    ("大家花了多少心思?", ["总投资4.15亿元"], "大家花了多少心思?"),  # no amount of money asked
    ("重点项目到6月底投了多少钱?", ["截至6月底,完成投资17.17亿元"], "重点项目到6月底投资多少钱?"),
    ("项目投入了多少钱?", ["完成投资17.17亿元"], "项目投入了多少钱?"),  # 投入 is a written word already
])
def test_everyday_money_words_take_the_passages_formal_word(question, texts, worded):
    assert formal_wording(question, texts) == worded


@pytest.mark.parametrize("question, texts, worded", [
    ("武进和阜宁两地的交情怎么样?", ["近年来,两地相互支持,建立了深厚的兄弟情谊。"], "武进和阜宁两地的情谊怎么样?"),
    ("谁带队去阜宁考察?", ["乔俊杰带领武进区党政代表团赴阜宁县考察交流"], "谁带领去阜宁考察?"),
    ("现场谁和谁签了合作协议?", ["现场,武进区人社局与阜宁县人社局签订专项合作协议。"], "现场谁和谁签订合作协议?"),
    # The best-ranked passage's word first.
    ("阜宁有什么长处?", ["发挥阜宁土地资源优势", "它的优点是"], "阜宁有什么优势?"),
    ("谁带队去的?", ["他带队赴阜宁,率领代表团"], "谁带队去的?"),  # a passage writes the word itself
    ("石墨烯小镇的门票多少钱?", ["总投资65.26亿元"], "石墨烯小镇的门票多少钱?"),  # no written word for 门票
    ("阜宁有什么长处?", ["阜宁的土地资源"], "阜宁有什么长处?"),  # no passage writes one for 长处
    ("武进帮阜宁卖出去多少农产品?", ["帮助销售农产品超1000万元"], "武进帮阜宁销售多少农产品?"),
    ("会议哪位区领导出席了?", ["副区长王栋参加会议"], "会议哪位区领导参加了?"),
    ("阳湖餐厅有外卖吗?", ["员工用餐难"], "阳湖餐厅有外卖吗?"),  # 外卖 is no 卖出
])
def test_everyday_words_take_the_passages_written_word(question, texts, worded):
    assert formal_wording(question, texts) == worded


@pytest.mark.parametrize("question, worded", [
    ("武进和阜宁为啥会结成对子?", "武进和阜宁为什么会结成对子?"),
    ("服务中心啥时候投用的?", "服务中心什么时候投用的?"),
    ("阳湖餐厅有啥特色?", "阳湖餐厅有什么特色?"),
    ("石墨烯小镇发展得咋样?", "石墨烯小镇发展得怎样?"),
    ("员工吃饭难咋办?", "员工吃饭难怎么办?"),
    ("研究院咋么样了?", "研究院怎么样了?"),
    ("记者去工地暗访是几号?", "记者去工地暗访是哪天?"),
    ("那期节目是几号播的?", "那期节目是哪天播的?"),
    ("服务中心几月几号开业?", "服务中心哪天开业?"),
    ("他住在几号楼?", "他住在几号楼?"),  # a building's number, not a day
    ("坐地铁几号线能到?", "坐地铁几号线能到?"),
])
def test_spoken_question_words_are_read_as_written_ones(question, worded):
    # Whatever the passages write: these are the question's own words.
    assert formal_wording(question, ["与文章无关"]) == worded

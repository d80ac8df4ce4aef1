"""Other names read from the text (qa/answer/aliases.py), and the assistant answering with them."""

import pytest

from qa.answer.aliases import (
    NameQuestion,
    also_known_as,
    asks_other_name,
    english_name,
    full_name,
    short_name,
)


@pytest.mark.parametrize("question, asked", [
    ("滨湖集团的全称叫什么?", NameQuestion("滨湖集团", "full")),
    ("滨湖集团全称是什么", NameQuestion("滨湖集团", "full")),
    ("南宁二中是什么的简称？", NameQuestion("南宁二中", "full")),
    ("冰雪皇后的简称是什么？", NameQuestion("冰雪皇后", "short")),
    ("天门冬又称之为什么？", NameQuestion("天门冬", "alias", "称之为")),
    ("锦地罗又被称之为什么？", NameQuestion("锦地罗", "alias", "称之为")),
    ("蓝线裸顶鲷的俗名是什么？", NameQuestion("蓝线裸顶鲷", "alias", "俗名")),
    ("凉茶铺又叫什么?", NameQuestion("凉茶铺", "alias", "又叫")),
    ("越南投资发展银行的英文名是什么？", NameQuestion("越南投资发展银行", "english")),
    ("伊丽莎白港机场为什么又叫十分钟机场？", None),  # asks why
    ("阜宁县委书记是谁?", None),
    ("滨湖集团投资了什么?", None),
])
def test_questions_asking_for_another_name(question, asked):
    assert asks_other_name(question) == asked


@pytest.mark.parametrize("short, text, full", [
    ("滨湖集团", "该中心是常州滨湖建设发展集团有限公司对原创新产业园综合配套用房进行盘活利用", "常州滨湖建设发展集团有限公司"),
    ("宏都阿里山公司", "由宏都阿里山国际开发股份有限公司经营", "宏都阿里山国际开发股份有限公司"),
    ("南宁二中", "广西壮族自治区南宁市第二中学（简称南宁二中）", "广西壮族自治区南宁市第二中学"),
    ("石墨烯小镇", "常州石墨烯小镇于2017年入选,是国内唯一的以石墨烯为主题的省级特色小镇", "常州石墨烯小镇"),
    ("石墨烯小镇", "是国内唯一的以石墨烯为主题的省级特色小镇", None),  # a phrase with 的 names nothing
    ("滨湖集团", "滨湖集团于2021年6月正式启动项目", None),  # only the short name itself
])
def test_a_full_name_holds_the_short_names_characters_in_order(short, text, full):
    found = full_name(short, text)
    assert (found.of(text) if found else None) == full


@pytest.mark.parametrize("full, text, short", [
    ("冰雪皇后", "冰雪皇后（Dairy Queen，简称DQ）是一家连锁快餐厅。", "DQ"),
    ("桃园市立大溪高级中学", "桃园市立大溪高级中学（Taoyuan Municipal Dasi Senior High School），简称大溪高中、溪高，位于桃园市",
     "大溪高中、溪高"),
    ("冰雪皇后", "冰雪皇后是一家连锁快餐厅。另有品牌简称DQ。", None),  # another sentence's 简称
])
def test_a_short_name_is_what_follows_jianchen_after_the_full_one(full, text, short):
    found = short_name(full, text)
    assert (found.of(text) if found else None) == short


@pytest.mark.parametrize("name, text, preferred, names", [
    ("天门冬", "天门冬（学名：Asparagus），又称丝冬、天棘、天文冬，是天门冬科的植物。", (), "丝冬、天棘、天文冬"),
    ("盾柱木", "盾柱木 （学名：），别称双翼豆（中国主要植物图说）、闭䇲木及翅果木等，是豆科植物。", (),
     "双翼豆（中国主要植物图说）、闭䇲木及翅果木等"),
    ("蓝线裸顶鲷", "蓝线裸顶鲷，又称蓝线白𫚭，俗名龙尖，为辐鳍鱼纲的一种。", ("俗名", "俗称"), "龙尖"),
    ("蓝线裸顶鲷", "蓝线裸顶鲷，又称蓝线白𫚭，俗名龙尖，为辐鳍鱼纲的一种。", (), "蓝线白𫚭"),
    ("四加亭", "四加亭（，又名）是位于马来西亚的小镇。", (), None),  # the name itself is missing
    ("凉茶店", "凉茶店是商店。另一种饮品又名酸梅汤。", (), None),  # another sentence's 又名
])
def test_also_known_as_reads_the_names_after_the_word(name, text, preferred, names):
    found = also_known_as(name, text, preferred)
    assert (found.of(text) if found else None) == names


def test_a_name_written_on_its_own_comes_before_the_end_of_a_longer_one():
    text = "软枝黄蝉（学名：），别称黄莺、小黄蝉，为夹竹桃科植物。"
    assert also_known_as("黄蝉", text).of(text) == "黄莺、小黄蝉"
    assert also_known_as("黄蝉", text, whole=True) is None
    text = "黄蝉（学名：）别称为硬枝黄蝉、小花黄蝉。"
    assert also_known_as("黄蝉", text, whole=True).of(text) == "硬枝黄蝉、小花黄蝉"


def test_an_english_name_is_the_latin_text_given_for_it():
    text = "越南投资发展银行（国语字：，英文全称：Bank for Investment and Development of Vietnam，英文简称：BIDV）是银行。"
    assert english_name("越南投资发展银行", text).of(text) == "Bank for Investment and Development of Vietnam"
    text = "桃花源小厨（Tim's Kitchen）是一所小店。"
    assert english_name("桃花源小厨", text).of(text) == "Tim's Kitchen"
    assert english_name("桃花源小厨", "桃花源小厨是一所小店。") is None


def test_the_assistant_gives_a_full_name_the_page_writes(assistant):
    answer = assistant.ask("滨湖集团的全称叫什么?")
    assert answer.found and answer.short == "常州滨湖建设发展集团有限公司", answer.short
    start, end = answer.sources[0].answer_span
    assert answer.sources[0].text[start:end] == answer.short
    assert not assistant.ask("常州地铁的全称是什么?").found

"""Someone's role read from the text (qa/answer/identity.py), and yes/no questions answered by the clause that says so."""

import pytest

from qa.answer.identity import (
    RoleQuestion,
    asks_role,
    asks_who_is,
    is_person_name,
    role_of,
)
from qa.answer.question import analyse
from qa.answer.quoting import best_clause
from qa.answer.roles import name_after_title
from qa.core.text import Span


@pytest.mark.parametrize("question, subject", [
    ("滨湖集团在高新区是什么身份?", "滨湖集团"),
    ("滨湖集团扮演着什么样的角色？", "滨湖集团"),
    ("石墨烯小镇的定位是什么?", "石墨烯小镇"),
    ("乔俊杰的职务是什么?", "乔俊杰"),
    ("乔俊杰担任什么职务?", "乔俊杰"),
    ("乔俊杰现在担任什么职务?", "乔俊杰"),  # not 乔俊杰现
    ("他以什么身份出现?", "他"),
    ("滨湖集团投资了什么?", None),
    ("什么身份?", None),
    ("区长是谁?", None),
])
def test_questions_asking_for_a_role(question, subject):
    asked = asks_role(question)
    assert (asked.subject if asked else None) == subject


def test_a_role_question_is_searched_for_without_its_role_words():
    assert asks_role("滨湖集团在高新区是什么身份?").query == "滨湖集团在高新区"
    assert asks_role("辛毅是什么职务?").query == "辛毅"  # not the passages about 职务便利
    assert asks_who_is("乔俊杰是谁?").query == "乔俊杰"


@pytest.mark.parametrize("question, subject", [
    ("乔俊杰是谁?", "乔俊杰"), ("谁是乔俊杰？", "乔俊杰"), ("区长是谁?", "区长"), ("谁投资了这个项目?", None),
    ("蒋佳利是做什么的?", "蒋佳利"), ("蒋佳利从事什么工作?", "蒋佳利"),
])
def test_questions_asking_who_someone_is(question, subject):
    asked = asks_who_is(question)
    assert (asked.subject if asked else None) == subject


@pytest.mark.parametrize("subject, text, role", [
    ("滨湖集团", "据了解,作为高新区产城融合综合运营商,滨湖集团于2021年6月正式启动项目", "高新区产城融合综合运营商"),
    ("滨湖集团", "滨湖集团作为国有企业,一直参与园区建设。", "国有企业"),
    ("滨湖集团", "滨湖集团以投资方的身份参与。", "投资方"),
    ("石墨烯小镇", "石墨烯小镇的定位为新材料产业高地,已建成。", "新材料产业高地"),
    ("乔俊杰", "昨天,市委常委、区委书记乔俊杰带领代表团赴阜宁", "市委常委、区委书记"),
    ("王露华", "”滨湖文隽企业服务中心销售总监王露华介绍。", "滨湖文隽企业服务中心销售总监"),
    ("王栋", "会议由副区长王栋主持。", "副区长"),  # 由 opens no title
    ("黄柳青", "在听取该县交警大队大队长黄柳青关于交通安全管理工作情况汇报后", "该县交警大队大队长"),  # not 听取
    ("陈开禄", "”打瓦村党总支书记陈开禄说", "打瓦村党总支书记"),  # 打 opens a place's name here, not a verb
    # the run reaches back into 为何 and 打到: neither 何 nor the verb is part of the title
    ("方某武", "补偿款为何打到方集镇马街居委会党支部书记方某武个人名下", "方集镇马街居委会党支部书记"),
    ("王晓宁", "（记者 王晓宁 通讯员 杨勇峰）为切实提升消防安全管理能力", "记者"),
    ("龚成杰", "检查中，龚成杰部长肯定了款庄镇村民小组活动场所建设", "部长"),
    ("乔俊杰", "乔俊杰表示,下一阶段将深化共建。", None),  # named, but given no role
    ("滨湖集团", "作为全国首个示范区,常州石墨烯小镇建成投用。", None),  # another subject's role
])
def test_the_role_is_read_from_the_text_never_guessed(subject, text, role):
    found = role_of(RoleQuestion(subject), text)
    assert (found.of(text) if found else None) == role


@pytest.mark.parametrize("name, person", [
    ("乔俊杰", True), ("麻军泽", True), ("区长", False), ("滨湖集团", False), ("阜宁县委书记", False)])
def test_who_is_asks_for_a_role_only_about_a_person(name, person):
    assert is_person_name(name) == person


@pytest.mark.parametrize("question, span, name", [
    ("垣曲县县长是谁?", "5月23日，山西省垣曲县人民政府县长麻军泽", "麻军泽"),
    ("垣曲县县长是谁?", "麻军泽", "麻军泽"),
    ("谁带队去了阜宁?", "区委书记乔俊杰", "区委书记乔俊杰"),  # no title asked: the span stays
])
def test_a_person_answer_is_the_name_after_the_asked_title(question, span, name):
    text = span + "到县公安局调研。"
    assert name_after_title(question, text, Span(0, len(span))).of(text) == name


def test_a_yes_no_question_claims_what_lies_outside_its_subject():
    q = analyse("滨湖文隽企业服务中心是滨湖集团投资的吗?")
    assert q.asks_whether
    assert {t.text for t in q.claim_terms} == {"集团", "投资"}
    assert not analyse("滨湖文隽企业服务中心的建筑面积是多少?").asks_whether
    # 是否 before the predicate: what follows it is the claim, not the figures of the subject
    q = analyse("阜宁上半年22项主要经济指标是否全部实现正增长?")
    assert {t.text for t in q.claim_terms} == {"全部", "实现", "正", "增长"}


def test_the_clause_covering_the_claim_answers_and_a_dateline_is_no_part_of_it():
    text = "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。"
    reader = Span(text.index("建筑"), text.index("米,由") + 1)
    covers = lambda words: sum(w in words for w in ("集团", "投资")) / 2  # noqa: E731
    assert best_clause(text, Span(0, len(text)), reader, covers).of(text) == "由滨湖集团投资"
    # No clause names more of the claim: the reader's own clause stays.
    assert best_clause(text, Span(0, len(text)), reader, lambda words: 0.0).of(text) == "建筑面积1.8万平方米"
    dated = "本报讯 (记者 黄雅婷) 昨天下午,2023年全区科技创新半年度工作会议举行。"
    clause = best_clause(dated, Span(0, len(dated)), Span(len(dated) - 3, len(dated) - 1),
                         lambda words: float("昨天" in words))
    assert clause.of(dated) == "昨天下午"


@pytest.mark.parametrize("question, short", [
    ("滨湖集团在高新区是什么身份?", "高新区产城融合综合运营商"),
    ("乔俊杰的职务是什么?", "市委常委、区委书记"),
    ("张利华是谁?", "阜宁县委书记"),
    ("王栋是什么职务?", "副区长"),
    ("蒋佳利是做什么的?", "滨湖集团商管负责人"),  # not …负责人蒋佳利说
    ("张可馨是谁?", "记者"),  # the byline's credit
    ("滨湖文隽企业服务中心是滨湖集团投资的吗?", "由滨湖集团投资"),  # the clause that settles it, not the sentence
    ("全国还有别的以石墨烯为主题的省级特色小镇吗?", "是国内唯一的以石墨烯为主题的省级特色小镇"),
])
def test_the_assistant_answers_roles_and_yes_no_questions_from_the_page(assistant, question, short):
    answer = assistant.ask(question)
    assert answer.found and answer.short == short, (answer.short, answer.text)
    start, end = answer.sources[0].answer_span
    assert answer.sources[0].text[start:end] == short

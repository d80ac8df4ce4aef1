"""The table of question forms: what asks for a summary, a list, several parts or one fact."""

import pytest

from qa.answer.forms import FACT, LIST, PARTS, SUMMARY, question_form
from qa.answer.list_answer import asks_what_things
from qa.answer.question import topic_terms


@pytest.mark.parametrize("question, form", [
    ("总结一下石墨烯小镇那篇文章", SUMMARY),
    ("这篇报道讲了什么?", SUMMARY),
    # What happened, in the words people use for it: the report's own account.
    ("那起车祸到底是怎么回事?", SUMMARY),
    ("那场风波到底咋回事?", SUMMARY),
    ("昨晚收费站出了什么事?", SUMMARY),
    ("那个项目最近有啥新动静?", SUMMARY),
    ("这份年度数据大概说了些啥?", SUMMARY),
    ("那篇报道大概讲了个啥事?", SUMMARY),
    # A person's words are a fact, not a summary; nor is a reason.
    ("乔俊杰说了什么?", FACT),
    ("事故为什么发生?", FACT),
    ("研究院有哪些研究方向?", LIST),
    ("服务中心的占地面积和建筑面积分别是多少?", PARTS),
])
def test_the_form_a_question_asks_for(question, form):
    assert question_form(question) == form


@pytest.mark.parametrize("question, asks", [
    ("乔俊杰一行考察了什么地方?", True),
    ("研究院有什么研究方向?", True),
    ("他为什么不当回事?", False),  # why, not what: a list in the answering sentence is no answer to it
    ("凭什么认定是假药?", False),
    ("研究院什么时候成立?", False),
])
def test_what_questions_a_list_may_answer(question, asks):
    assert asks_what_things(question) is asks


def test_words_that_point_at_an_event_name_no_topic():
    # 那场 / 到底 / 后来 say which event the asker means, not what it is about: a summary's article must not
    # be refused for lacking them.
    words = {t.text for t in topic_terms("那场地震后来到底是个啥情况")}
    assert words == {"地震"}


@pytest.mark.parametrize("question, words", [
    ("方博凭啥觉得那个球判得不对", {"方博", "觉得"}),
    ("失踪人数为啥一直统计不清楚", {"失踪", "人数", "一直", "统计", "不", "清楚"}),
])
def test_why_as_people_say_it_is_no_topic_word(question, words):
    assert words <= {t.text for t in topic_terms(question)}
    assert not {t.text for t in topic_terms(question)} & {"凭", "为啥", "凭啥", "啥"}


@pytest.mark.parametrize("question, words", [
    ("执法人员对那个工地提了哪几条要求", {"执法人员", "工地", "要求"}),
    ("银川收择校费的民办初中是哪几所", {"银川", "择校费", "民办", "初中"}),
    ("这次评选分了几种奖项", {"评选", "奖项"}),
])
def test_how_many_with_its_measure_word_is_no_topic_word(question, words):
    # 几条 / 几所 / 几种 ask the count; an article that answers never writes them.
    found = {t.text for t in topic_terms(question)}
    assert words <= found and not {w for w in found if w.startswith("几")}


def test_colloquial_why_asks_for_a_reason():
    from qa.answer.question import analyse

    assert analyse("失踪人数为啥一直统计不清楚?", None, frozenset()).asks_reason


@pytest.mark.parametrize("earlier, follow_up, standalone", [
    # 他/她: the person the earlier question names, not the body it opens with
    ("法院最后认定分行副行长郑某某受贿多少钱?", "那里面替他还贷款的钱有多少?", "里面替郑某某还贷款的钱有多少?"),
    ("抢方向盘的女乘客梁某某是被哪个检察院批捕的?", "她涉嫌的是什么罪名?", "梁某某涉嫌的是什么罪名?"),
    # 这个X: the earlier noun phrase with the same head noun
    ("学生许自强是哪天在北京领的红星奖?", "这个奖在设计圈里被叫作什么?", "红星奖在设计圈里被叫作什么?"),
    ("南京大学那个研究院一共要花多少钱?", "这个研究院什么时候建成?", "南京大学那个研究院什么时候建成?"),
    # 那个X is a demonstrative, not the opener 那 before 个X (which left no anaphor to resolve and crashed)
    ("南京大学那个研究院一共要花多少钱?", "那个研究院什么时候建成?", "南京大学那个研究院什么时候建成?"),
    ("石墨烯小镇的规划面积是多少?", "该小镇在哪里?", "石墨烯小镇在哪里?"),
    # an earlier subject that asks (是谁向…) points at nothing: the noun phrase with the head noun does
    ("是谁向晚报热线反映民主路那个大坑的?", "这个坑大概有多深?", "大坑大概有多深?"),
    # 那辆 is a demonstrative too: a question of its own, not 辆… after the earlier subject
    ("最后是哪里的警方把他刑事拘留的?", "那辆被偷的电动车值多少钱?", "那辆被偷的电动车值多少钱?"),
    # no better referent: the earlier subject, as before
    ("滨湖文隽企业服务中心的建筑面积是多少?", "那它的占地面积呢?", "滨湖文隽企业服务中心的占地面积?"),
    # 那X呢 with X a word of the earlier question's kind: the earlier question, asked of X
    ("教育园区的小学部规划几个班?", "那初中部呢?", "教育园区的初中部规划几个班?"),
    # 那 + a question with no subject: the earlier subject is its subject
    ("隆盛收费站的槽车装了多少吨二氯乙烷?", "那是几点发生泄漏的呢?", "隆盛收费站是几点发生泄漏的?"),
    # an earlier subject that is a clause describing a noun: the clause with its noun, not the clause alone
    ("冒充警察诈骗老人的嫌疑人李某最后判了几年?", "那另外还罚了多少钱?", "冒充警察诈骗老人的嫌疑人李某还罚了多少钱?"),
    ("在宁波港被扣留的lucky star货轮是哪国的?", "它一共被查了几次?", "在宁波港被扣留的lucky star货轮一共被查了几次?"),
    # openers said one after another (那另外…) are all openers
    ("隆盛收费站的槽车装了多少吨二氯乙烷?", "那另外还漏了多少吨?", "隆盛收费站还漏了多少吨?"),
])
def test_an_anaphor_takes_what_it_points_at_in_the_earlier_question(earlier, follow_up, standalone):
    from qa.answer.question import analyse

    assert analyse(follow_up, analyse(earlier)).standalone == standalone


def test_he_or_she_is_the_person_the_earlier_answer_named():
    from qa.answer.question import analyse

    earlier = analyse("西华二高演练完了以后,是谁针对演练里的问题提的整改意见?")
    assert analyse("那他对以后的演练提了啥要求?", earlier, named="许校长").standalone == "许校长对以后的演练提了啥要求?"
    # a named person does not replace 这个X or 它
    assert analyse("这个奖在设计圈里被叫作什么?", analyse("学生许自强是哪天在北京领的红星奖?"),
                   named="许自强").standalone == "红星奖在设计圈里被叫作什么?"


def test_he_or_she_without_a_named_answer_is_the_person_the_earlier_question_is_about():
    from qa.answer.question import analyse

    # 卢凯彤的太太余静萍: the person named after another's relation is the one asked about
    earlier = analyse("卢凯彤的太太余静萍是做什么工作的?")
    assert analyse("她之前当过哪部电影的摄影师?", earlier).standalone == "余静萍之前当过哪部电影的摄影师?"
    assert analyse("他上诉了吗?", analyse("法院判了郑某某几年?")).standalone == "郑某某上诉了吗?"
    # 他们 after two people named together: both of them
    earlier = analyse("嘉兴火车站附近用盐水瓶碰瓷的赵某和郭某,最后警方咋处理的?")
    assert analyse("那他们被关了几天?", earlier).standalone == "赵某和郭某被关了几天?"
    # 他们 after one person stays the earlier subject
    assert "郑某某" not in analyse("他们上诉了吗?", analyse("法院判了郑某某几年?")).standalone


def test_a_turn_names_the_person_its_answer_named():
    from qa.answer.history import named_person, turn_named
    from qa.answer.types import Answer

    answer = Answer(question="谁提的整改意见?", text="“许校长…”[1]", found=True, confidence=0.9, sources=(),
                    kind="person", short="许校长")
    assert named_person(answer) == "许校长"
    assert turn_named(answer) == "许校长"
    assert turn_named(("谁提的整改意见?", answer)) == "许校长"
    assert turn_named(("谁提的整改意见?", "“许校长…”[1]", "许校长")) == "许校长"  # as the page keeps a turn
    assert turn_named(("谁提的整改意见?", "“许校长…”[1]")) == ""
    assert turn_named("谁提的整改意见?") == "" and turn_named({"role": "user", "content": "谁?"}) == ""
    # a refusal, another kind of answer, a clause, or a kept chat's odd value names nobody
    refused = Answer(question="谁?", text="文章中没有找到", found=False, confidence=0.1, kind="person", short="")
    place = Answer(question="在哪?", text="“…”[1]", found=True, confidence=0.9, kind="place", short="嘉兴")
    clause = Answer(question="谁?", text="“…”[1]", found=True, confidence=0.9, kind="person", short="许校长,他说")
    assert named_person(refused) == named_person(place) == named_person(clause) == ""
    assert turn_named(("谁?", "…", "很长" * 20)) == "" and turn_named(("谁?", "…", ["许校长"])) == ""

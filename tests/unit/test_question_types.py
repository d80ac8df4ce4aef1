"""The question-type tables' examples are their tests: each is decided by its own row, none above it."""

from __future__ import annotations

import pytest

from qa.answer.entities import NUMBER
from qa.answer.question import analyse
from qa.core.text import Span
from qa.answer.question_types import (
    KINDS,
    STATEMENT,
    UNITS,
    answer_kind,
    answer_unit,
    question_type,
    unit_type,
)

KIND_EXAMPLES = [(row.name, example) for row in KINDS + (STATEMENT,) for example in row.examples]
UNIT_EXAMPLES = [(row.name, example) for row in UNITS for example in row.examples]


@pytest.mark.parametrize("name, question", KIND_EXAMPLES)
def test_each_kind_example_is_decided_by_its_own_row(name, question):
    row = question_type(question)
    assert row.name == name, (question, row.name)
    assert answer_kind(question) == row.kind
    assert analyse(question).kind == row.kind


@pytest.mark.parametrize("name, question", UNIT_EXAMPLES)
def test_each_unit_example_is_decided_by_its_own_row(name, question):
    kind = answer_kind(question)
    row = unit_type(question, kind)
    assert row is not None and row.name == name, (question, row and row.name)
    unit = answer_unit(question, kind)
    assert unit and analyse(question).unit == unit
    assert row.unit is None or unit == row.unit


def test_every_row_has_examples_and_a_unique_name():
    rows = KINDS + (STATEMENT,) + UNITS
    assert all(row.examples for row in rows)
    assert len({row.name for row in rows}) == len(rows)


@pytest.mark.parametrize("question, unit", [
    ("几项指标增速排名全市前五?", "项"),  # counts indicators: 增速 does not make it a share
    ("几个人参加了会议?", "人"),  # 个 before 人 is no measure word of its own
    ("这个项目怎么样?", ""),
])
def test_the_measure_word_counted_wins_over_the_measure_named(question, unit):
    assert answer_unit(question, NUMBER) == unit


def test_a_date_unit_needs_a_date_question():
    assert answer_unit("会议是哪天开的?", "date") == "日"
    assert answer_unit("会议是哪天开的?", NUMBER) == ""


@pytest.mark.parametrize("question, measured", [
    ("那片滑坡体大概有多宽?", "宽"), ("隧道多长?", "长"), ("那块石头有多重?", "重"),
    ("德阳那个教育园区项目计划投资多少钱?", ""), ("小学部招多少学生?", ""), ("会议是哪天开的?", ""),
])
def test_what_a_number_question_measures(question, measured):
    assert analyse(question).measured == measured


@pytest.mark.parametrize("word, text, number, named", [
    ("宽", "滑下宽约300米、纵长约150米的滑坡体", "约300米", True),
    ("宽", "滑下宽约300米、纵长约150米的滑坡体", "约150米", False),  # another clause's number
    ("长", "滑下宽约300米、纵长约150米的滑坡体", "约150米", True),
    ("投资", "项目计划投资100亿元,由集团建设", "100亿元", True),
    ("投资", "项目投资方来自上海,占地300亩", "300亩", False),
    ("", "占地300亩", "300亩", False),
])
def test_a_number_is_named_by_the_words_just_before_it(word, text, number, named):
    from qa.answer.checks import named_before
    from qa.core.text import Span

    at = text.index(number)
    assert named_before(word, text, Span(at, at + len(number))) is named


def test_a_span_of_time_is_no_question_word():
    # 这几天 / 前几年 name some days or years; 几天 asks how many
    assert answer_kind("2月28号夜里到3月2号这几天,江南大部会不会下暴雨?") != NUMBER
    assert answer_unit("这几天有几个人参加了会议?", NUMBER) == "人"
    assert answer_unit("前几年有多少员工?", NUMBER) == "人"
    assert answer_kind("他工作了几天?") == NUMBER


@pytest.mark.parametrize("question, byline", [
    ("她之前当过哪部电影的摄影师?", False),  # asks the film
    ("他是哪家报社的记者?", False),  # asks the paper
    ("这张照片的摄影师是谁?", True),
    ("这篇报道是哪个记者写的", True),
])
def test_which_work_a_photographer_shot_is_no_byline_question(question, byline):
    assert (question_type(question).name == "byline") is byline


def test_a_temperature_is_answered_by_degrees_not_by_dates():
    from qa.answer.entities import has_entity

    assert answer_unit("北京最低气温会降到零下几度?", NUMBER) == "℃"
    assert has_entity(NUMBER, "最低气温零下10℃", "℃") and has_entity(NUMBER, "气温降到5度", "℃")
    assert not has_entity(NUMBER, "12日至14日", "℃")


@pytest.mark.parametrize("text, unit, holds", [
    ("消防员挖了一个多小时", "年", True),  # 个多小时 is a length of time, not a count in 个
    ("治疗了3个多月", "年", True),
    ("一个小时", "年", True),
    ("六楼发生火灾", "层", True), ("六层出租房", "层", True),  # a floor counted in 楼 or 层
    ("占地5000平方米", "层", False),
])
def test_a_number_of_the_unit_asked(text, unit, holds):
    from qa.answer.entities import has_entity

    assert has_entity(NUMBER, text, unit) is holds


@pytest.mark.parametrize("question, text, answer, answers", [
    ("李强利的案子是在哪个法院判的?", "法院在审理中查实了检方指控的内容。", "法院", False),  # the question's own word
    ("李强利的案子是在哪个法院判的?", "西安临潼区法院作出判决。", "西安临潼区法院", True),
    ("这所学校是公办还是民办?", "该校是一所民办学校。", "民办", True),  # a choice is answered in its own words
    # a body or person the article leaves unnamed names nothing
    ("他是向哪家法院起诉的?", "他拟向有关法院提起民事诉讼。", "有关法院", False),
    ("她在哪家公司上班?", "她在某网络游戏公司上班。", "网络游戏公司", False),
    ("是谁骗走了钱?", "经查，吕某交代了作案经过。", "吕某", True),  # a surname before 某 names someone
])
def test_a_span_that_only_repeats_the_question_answers_nothing(question, text, answer, answers):
    from qa.answer.checks import of_kind

    start = text.index(answer)
    assert (of_kind(analyse(question), text, Span(start, start + len(answer))) is not None) is answers


@pytest.mark.parametrize("text, answer, answers", [
    ("他所住的工棚离事故发生的工棚大概有10米远。", "10米远", False),  # an amount says nothing of when
    ("昨日清晨5时40分许,龙门架被大风吹倒。", "5时40分许", True),
    ("事故发生3天后,他出院了。", "3天后", True),  # a length of time may
])
def test_a_when_question_is_not_answered_by_an_amount(text, answer, answers):
    from qa.answer.checks import of_kind

    start = text.index(answer)
    assert (of_kind(analyse("事故是几点发生的?"), text, Span(start, start + len(answer)), margin=5.0)
            is not None) is answers

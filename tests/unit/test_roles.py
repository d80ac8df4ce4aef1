"""The role check: the person an answer names must hold the role the question asks about."""

from __future__ import annotations

import pytest

from qa.answer.roles import asked_titles, consistent
from qa.core.text import Span


def _span(text: str, words: str) -> Span:
    at = text.index(words)
    return Span(at, at + len(words))


@pytest.mark.parametrize("question, text, name, holds", [
    ("区长是谁?", "副区长王栋出席会议。", "王栋", False),  # 副 is another role
    ("区长是谁?", "区长李明出席会议。", "李明", True),
    ("阜宁县委书记是谁?", "社区支部书记张华介绍情况。", "张华", False),  # another body's 书记
    # the ranks of a ministry and of the courts and procuratorates are titles too
    ("交通运输部规划司副司长叫什么?", "交通运输部规划司司长 王强：我们将加快建设。", "王强", False),
    ("交通运输部规划司司长叫什么?", "交通运输部规划司司长 王强：我们将加快建设。", "王强", True),
    ("市检察院检察长是谁?", "市检察院副检察长刘洋通报了案情。", "刘洋", False),
    ("阜宁县委书记是谁?", "阜宁县委书记张华介绍情况。", "张华", True),
    # 交警 describes the person, it names no body: the passage calls him 一大队大队长
    ("在现场处置的交警大队长叫啥?", "公安局五分局一大队大队长罗某说，现场已清理。", "罗某", True),
    ("谁投资了这个项目?", "销售总监王露华介绍，项目明年开工。", "王露华", False),  # no 投资 near the name
    ("这个项目是谁设计的?", "设计师王露华介绍，项目明年开工。", "王露华", True),  # the question names no role
    ("这家公司的创始人是谁?", "公司副总经理李旭表示，明年扩产。", "李旭", False),  # a manager is no founder
    ("这家公司的创始人是谁?", "公司创始人李旭表示，明年扩产。", "李旭", True),
    ("片中演女主角的演员是谁?", "该片由王鹏担任导演与编剧。", "王鹏", False),  # the director plays no part
    ("这部电影的导演是谁?", "该片由王鹏担任导演与编剧。", "王鹏", True),
    # another body of the kind asked heads the title: another school's head, another brigade's leader
    ("外国语实验学校的校长是谁?", "英才学校执行校长李毅说，收了一点。", "李毅", False),
    ("外国语实验学校的校长是谁?", "外国语实验学校校长李毅说，收了一点。", "李毅", True),
    ("县消防大队的大队长叫什么?", "公安局五分局一大队大队长罗某说，现场已清理。", "罗某", False),
    ("这家公司的总经理是谁?", "腾讯公司总经理王某说，明年扩产。", "王某", True),  # 这家 points, it names nothing
])
def test_an_answer_must_hold_the_role_asked(question, text, name, holds):
    assert consistent(question, text, _span(text, name)) is holds


@pytest.mark.parametrize("question, qualifier", [
    ("阜宁县委书记是谁?", "县委"),
    ("社区支部书记是谁?", "支部"),
    ("高速交警大队长叫啥?", ""),
    ("哪位副区长来了?", ""),
])
def test_a_qualifier_is_kept_only_when_it_names_a_body(question, qualifier):
    assert asked_titles(question)[0][2] == qualifier


@pytest.mark.parametrize("question, titles", [
    # the lawyer speaks in a clause of its own; the question asks about a research firm (a news try-out)
    ("瑞幸的律师说星巴克有市场支配地位,引用的份额数据是哪家调查机构的?", []),
    ("瑞幸请的律师是谁?", ["律师"]),
    ("阜宁县委书记,是哪年上任的?", []),  # a clause without a question word is the subject: 哪年 asks a date
    ("会上,哪位副区长讲了话?", ["区长"]),
])
def test_a_title_counts_only_in_the_clause_that_asks(question, titles):
    assert [title for _, title, _ in asked_titles(question)] == titles

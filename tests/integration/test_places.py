"""Where things are, read from the text (qa/answer/places.py): the division holding a place, where something lies, and
the assistant answering with them."""

import pytest

from qa.answer.places import (
    ParentQuestion,
    asks_parent,
    asks_where,
    location_of,
    parent_place,
)


@pytest.mark.parametrize("question, asked", [
    ("阜宁县属于哪个市?", ParentQuestion("阜宁县", "市")),
    ("阜宁县是哪个地级市管的?", ParentQuestion("阜宁县", "市")),
    ("阜宁在哪个市?", ParentQuestion("阜宁", "市")),
    ("路口镇位于哪个省？", ParentQuestion("路口镇", "省")),
    ("嘉泽镇隶属于哪个区", ParentQuestion("嘉泽镇", "区")),
    ("武进区的区长是谁?", None),
    ("哪个市的游客最多?", None),
    ("代表团去了哪个县?", None),
])
def test_questions_asking_which_division_holds_a_place(question, asked):
    assert asks_parent(question) == asked


@pytest.mark.parametrize("asked, text, parent", [
    (ParentQuestion("阜宁县", "市"), "代表团赴盐城市阜宁县开展考察交流。", "盐城市"),
    (ParentQuestion("阜宁", "市"), "代表团赴盐城市阜宁县开展考察交流。", "盐城市"),
    (ParentQuestion("阜宁县", "省"), "地处江苏省盐城市阜宁县的园区。", "江苏省"),
    (ParentQuestion("嘉泽镇", "区"), "项目在常州市武进区嘉泽镇。", "武进区"),
    (ParentQuestion("大溪区", "市"), "学校位于桃园市大溪区。", "桃园市"),  # jieba splits 大溪 + 区
    (ParentQuestion("路口镇", "省"), "路口镇位于湖南省长沙县东北部。", "湖南省"),
    (ParentQuestion("路口镇", "县"), "路口镇位于湖南省长沙县东北部。", "长沙县"),
    (ParentQuestion("嘉泽镇", "区"), "位于嘉泽镇的长三角青年创新创业港。", None),
    (ParentQuestion("阜宁县", "省"), "代表团赴盐城市阜宁县开展考察交流。", None),  # no province written
    (ParentQuestion("阜宁县", "市"), "盐城市、阜宁县两地的代表。", None),  # a list, not an address
])
def test_the_parent_is_the_nearest_division_of_the_asked_kind(asked, text, parent):
    found = parent_place(asked, text)
    assert (found.of(text) if found else None) == parent


@pytest.mark.parametrize("question, short", [
    ("阜宁县是哪个地级市管的?", "盐城市"),
    ("滨湖文隽企业服务中心在哪里?", "武进国家高新区创新产业园"),  # the reader said 高新区
])
def test_the_assistant_answers_where_things_are_from_the_page(assistant, question, short):
    answer = assistant.ask(question)
    assert answer.found and answer.short == short, answer.short
    start, end = answer.sources[0].answer_span
    assert answer.sources[0].text[start:end] == short


def test_no_division_is_guessed(assistant):
    # The page never says which district 嘉泽镇 is in; 长三角 (the reader's guess) is no district.
    assert not assistant.ask("嘉泽镇属于哪个区?").found
    assert not assistant.ask("阜宁县属于哪个省?").found


@pytest.mark.parametrize("question, name", [
    ("滨湖文隽企业服务中心在哪里?", "滨湖文隽企业服务中心"),
    ("研究院位于哪里？", "研究院"),
    ("服务中心的地址是什么?", "服务中心"),
    ("阜宁县属于哪个市?", ""),
    ("代表团去了哪里?", ""),
])
def test_questions_asking_where_something_is(question, name):
    assert asks_where(question) == name


@pytest.mark.parametrize("name, text, where", [
    ("滨湖文隽企业服务中心", "近日,位于武进国家高新区创新产业园的滨湖文隽企业服务中心正式运营", "武进国家高新区创新产业园"),
    ("服务中心", "近日,位于武进国家高新区创新产业园的滨湖文隽企业服务中心正式运营", "武进国家高新区创新产业园"),
    ("研究院", "位于嘉泽镇的长三角青年创新创业港一期项目——武进南京大学未来技术创新研究院是区重点项目", "嘉泽镇"),
    ("路口镇", "路口镇位于湖南省长沙县东北部,是农业大镇。", "湖南省长沙县东北部"),
    ("服务中心", "服务中心占地约5000平方米。", None),
    ("研究院", "位于嘉泽镇的石墨烯小镇。研究院今年开工。", None),  # another thing lies there
])
def test_where_something_lies_is_read_from_the_text(name, text, where):
    found = location_of(name, text)
    assert (found.of(text) if found else None) == where


def test_where_someone_went_is_read_by_the_reader(assistant):
    # The 赴… reader was deleted by the ablation: the span reader quotes the sentence that says where. The page
    # says it twice: 赴盐城市阜宁县 and, that day, 先后前往阜宁协鑫光伏科技有限公司、…等地; either answers.
    answer = assistant.ask("乔俊杰带队去哪了?")
    county = "盐城市阜宁县" in answer.short and "赴盐城市阜宁县" in answer.text
    places = "阜宁协鑫光伏科技有限公司" in answer.short and "先后前往" in answer.text
    assert answer.found and (county or places), answer.short

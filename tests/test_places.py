"""The division holding a place, read from an address (qa/places.py), and the assistant answering with it."""

import pytest

from qa.places import ParentQuestion, asks_parent, parent_place


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


def test_the_assistant_answers_which_city_holds_a_county_from_the_page(assistant):
    answer = assistant.ask("阜宁县是哪个地级市管的?")
    assert answer.found and answer.short == "盐城市", answer.short
    start, end = answer.sources[0].answer_span
    assert answer.sources[0].text[start:end] == "盐城市"
    # The page never says which district 嘉泽镇 is in; 长三角 (the reader's guess) is no district.
    assert not assistant.ask("嘉泽镇属于哪个区?").found
    assert not assistant.ask("阜宁县属于哪个省?").found

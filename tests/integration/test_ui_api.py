"""The ``/ask`` endpoint through gradio_client, against a real server, model and FAISS index."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from ui_fixtures import (  # noqa: F401  (fixtures)
    BUILDING_ANSWER,
    BUILDING_QUESTION,
    FOLLOW_UP,
    FOLLOW_UP_ANSWER,
    UNANSWERABLE,
    client,
    ui_server,
)


class _Marks(HTMLParser):
    """Text inside <mark> per source card, and every tag name seen."""

    def __init__(self):
        super().__init__()
        self.cards: list[list[str]] = []
        self.tags: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "details" and "qa-card" in (dict(attrs).get("class") or ""):
            self.cards.append([])
        elif tag == "mark":
            self._in_mark = True
            self.cards[-1].append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._in_mark:
            self.cards[-1][-1] += data


def marks(sources_html: str) -> _Marks:
    parser = _Marks()
    parser.feed(sources_html)
    return parser


def test_ask_endpoint_is_named_and_documented(client):
    api = client.view_api(return_format="dict", print_info=False)
    assert "/ask" in api["named_endpoints"]
    params = [p["parameter_name"] for p in api["named_endpoints"]["/ask"]["parameters"]]
    assert params[:2] == ["question", "history"]
    # The chat's internal events are not part of the public API.
    assert set(api["named_endpoints"]) == {"/ask", "/answer"}


def test_answer_endpoint_gives_the_short_answer_as_data(client):
    data = client.predict(BUILDING_QUESTION, api_name="/answer")
    assert data["found"] and data["form"] == "fact"
    assert BUILDING_ANSWER in data["short"] and data["short"] in data["text"]
    first = data["sources"][0]
    a, b = first["answer_span"]
    assert first["text"][a:b] == data["short"]
    refused = client.predict(UNANSWERABLE, None, 2, api_name="/answer")
    assert not refused["found"] and refused["short"] == "" and len(refused["sources"]) <= 2


def test_ask_answers_with_highlighted_source(client):
    text, sources = client.predict(BUILDING_QUESTION, api_name="/ask")
    assert BUILDING_ANSWER in text
    assert re.search(r"\[1\]", text)
    parsed = marks(sources)
    assert parsed.cards, "no source cards"
    first_card_marks = parsed.cards[0]
    assert any(BUILDING_ANSWER in m for m in first_card_marks), first_card_marks
    assert "高新区滨湖文隽企业服务中心投用" in sources


def test_ask_refuses_unanswerable(client):
    text, sources = client.predict(UNANSWERABLE, api_name="/ask")
    assert text.startswith("文章中没有找到")
    assert "qa-sources-notfound" in sources
    assert "<mark>" not in sources


def test_ask_follow_up_uses_history(client):
    first, _ = client.predict(BUILDING_QUESTION, api_name="/ask")
    text, _ = client.predict(FOLLOW_UP, [[BUILDING_QUESTION, first]], api_name="/ask")
    assert FOLLOW_UP_ANSWER in text
    # Gradio-style message dicts work too.
    history = [{"role": "user", "content": BUILDING_QUESTION}, {"role": "assistant", "content": first}]
    text, _ = client.predict(FOLLOW_UP, history, api_name="/ask")
    assert FOLLOW_UP_ANSWER in text


def test_ask_max_sources(client):
    _, sources = client.predict(BUILDING_QUESTION, None, 1, api_name="/ask")
    assert len(marks(sources).cards) == 1
    _, sources = client.predict(BUILDING_QUESTION, None, 5, api_name="/ask")
    assert len(marks(sources).cards) == 5


@pytest.mark.parametrize("question, expected", [("", "请先输入"), ("   ", "请先输入"), ("问" * 5000, "太长")])
def test_bad_questions_get_friendly_errors(client, question, expected):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(question, api_name="/ask")
    assert expected in str(info.value)
    assert "Traceback" not in str(info.value)


def test_eight_concurrent_questions_get_eight_right_answers(client):
    questions = {
        BUILDING_QUESTION: BUILDING_ANSWER,
        "常州石墨烯小镇规划用地多少?": "322平方公里",
        "常州石墨烯小镇完成投资多少?": "65.26亿元",
        "今年以来武进和阜宁开展学习交流多少场次?": "22场次",
        "全区目前已申报两批高企共多少家?": "356家",
        "全区科技系统1月—6月新增贷款多少?": "7911万元",
        "武进南京大学未来技术创新研究院总投资约为多少?": "4.15亿元",
        "常州石墨烯小镇集聚石墨烯相关企业多少家?": "180家",
    }
    jobs = {q: client.submit(q, api_name="/ask") for q in questions}
    results = {q: job.result(timeout=120) for q, job in jobs.items()}
    for question, expected in questions.items():
        text, sources = results[question]
        assert expected in text, (question, text)
        assert "<mark>" in sources
    # Answered at once, each is the answer it gets alone (two of them quote the same sentence).
    for question in list(questions)[:3]:
        assert client.predict(question, api_name="/ask")[0] == results[question][0]


def test_ask_endpoint_returns_two_strings(client):
    info = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/ask"]
    assert [r["python_type"]["type"] for r in info["returns"]] == ["str", "str"]
    result = client.predict(BUILDING_QUESTION, api_name="/ask")
    assert isinstance(result, tuple) and len(result) == 2

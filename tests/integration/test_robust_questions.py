"""Issue 6.4 - questions as users type them.

Empty, whitespace, control characters, emoji, traditional Chinese, English,
full-width digits and letters, 50,000 characters, HTML and Markdown: a
sensible answer or a clear QuestionError, within seconds, never a traceback -
through qa.Assistant.ask, qa.Retriever.search and the `qa ask` / `qa search`
commands. Full-width and half-width (and traditional and simplified) forms of
one question get the same answer.
"""

from __future__ import annotations

import time

import pytest
from helpers_robust import SEEDS, assert_clean_failure, real_embedder, run_qa  # noqa: F401 (fixture)

from qa.answer.assistant import Assistant
from qa.core.errors import QuestionError
from qa.index.build import build_index
from qa.retrieve.retriever import Retriever

QUESTION = "滨湖文隽企业服务中心的建筑面积是多少？"
ANSWER = "1.8万平方米"
SECONDS = 10  # per question, on a busy 2-core machine (typically ~2 s)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("questions") / "index"
    build_index(SEEDS, folder, real_embedder)
    return folder


@pytest.fixture(scope="module")
def assistant(index_dir, real_embedder):
    return Assistant.load(retriever=Retriever.load(index_dir, embedder=real_embedder))


def timed_ask(assistant, question, **kwargs):
    start = time.monotonic()
    answer = assistant.ask(question, **kwargs)
    assert time.monotonic() - start < SECONDS, question[:50]
    return answer


BAD = [
    ("", "empty"),
    ("   \t\n\r\u3000\u00a0", "empty"),
    ("\x00\x01\x1b\x7f\u200b\u202e\ufeff", "empty"),  # only invisible characters
    ("\ud800\udfff", "empty"),  # lone surrogates (from a broken client)
    ("滨" * 50_000, "too long"),
    ("a " * 25_000, "too long"),
    (" " * 50_000, "empty"),
]


@pytest.mark.parametrize("question, word", BAD, ids=[
    "empty", "whitespace", "controls", "surrogates", "50000-han", "50000-ascii", "50000-spaces"])
def test_bad_questions_raise_question_error_fast(assistant, question, word):
    for call in (assistant.ask, assistant.retriever.search):
        start = time.monotonic()
        with pytest.raises(QuestionError, match=word):
            call(question)
        assert time.monotonic() - start < 1


@pytest.mark.parametrize("value", [None, 42, b"\xe6\xbb\xa8", ["问题"]])
def test_a_question_that_is_not_text_is_a_question_error(assistant, value):
    with pytest.raises(QuestionError, match="text"):
        assistant.ask(value)
    with pytest.raises(QuestionError):
        assistant.retriever.search(value)


def test_bad_k_is_a_question_error(assistant):
    for k in (0, -1):
        with pytest.raises(QuestionError):
            assistant.retriever.search(QUESTION, k=k)
    assert len(assistant.retriever.search(QUESTION, k=10_000)) == len(assistant.retriever.chunks)


ODD = {
    "emoji": "😀🏙️?",
    "emoji-around": "🏢 滨湖文隽企业服务中心的建筑面积是多少？👍",
    "controls-inside": "滨湖文隽\u200b企业服务中心的\x1b[31m建筑面积\x00是多少?\x07",
    "english": "What is the floor area of the Binhu Wenjuan enterprise service centre?",
    "html": "<script>alert(1)</script><b>滨湖文隽企业服务中心</b>的建筑面积是多少?",
    "markdown": "**滨湖文隽企业服务中心**的`建筑面积`是多少?",
    "markdown-link": "[滨湖文隽企业服务中心](javascript:alert(1))的建筑面积是多少?\n\n- 请回答",
    "sql": "'; DROP TABLE chunks; -- 建筑面积",
    "longest-allowed": (QUESTION * 60)[:1000],
    "one-char-repeated": "啊" * 1000,
}


@pytest.mark.parametrize("name", list(ODD))
def test_odd_questions_get_an_answer_or_a_clear_not_found(assistant, name):
    answer = timed_ask(assistant, ODD[name])
    data = answer.to_dict()
    assert isinstance(answer.text, str) and answer.text
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.sources, "even a refusal points to related reading"
    if answer.found:
        assert answer.quote and "[1]" in answer.text
    if name in ("emoji-around", "controls-inside", "html", "markdown", "longest-allowed"):
        assert answer.found and ANSWER in answer.quote, (name, answer.text)
    if name in ("emoji", "sql", "one-char-repeated"):
        assert not answer.found, (name, answer.text)
    # The question is kept as data, never rendered or escaped by the library.
    assert "\x1b" not in data["question"] and "\x00" not in data["question"]
    if name == "html":
        assert data["question"].startswith("<script>alert(1)</script>")


SAME = [
    ("full-width punctuation", "滨湖文隽企业服务中心的建筑面积是多少?", "滨湖文隽企业服务中心的建筑面积是多少？"),
    ("full-width digits", "2021年6月滨湖集团启动了什么项目?", "２０２１年６月滨湖集团启动了什么项目？"),
    ("full-width letters", "争做“GDP万亿之城”排头兵是什么意思?", "争做“ＧＤＰ万亿之城”排头兵是什么意思？"),
    ("traditional Chinese", "滨湖文隽企业服务中心的建筑面积是多少?", "濱湖文雋企業服務中心的建築面積是多少？"),
    ("ideographic spaces", "常州石墨烯小镇 完成投资多少?", "常州石墨烯小镇\u3000完成投资多少？\u3000"),
]


@pytest.mark.parametrize("name, half, full", SAME, ids=[s[0] for s in SAME])
def test_full_and_half_width_forms_get_the_same_answer(assistant, name, half, full):
    a, b = timed_ask(assistant, half), timed_ask(assistant, full)
    assert a.to_dict() == b.to_dict(), name
    assert [h.chunk_id for h in assistant.retriever.search(half)] == [
        h.chunk_id for h in assistant.retriever.search(full)]
    if name in ("full-width punctuation", "traditional Chinese"):
        assert a.found and ANSWER in a.quote


def test_odd_history_turns_do_not_break_a_question(assistant):
    history = [None, 42, ("", None), {"role": "user"}, {"role": "user", "content": "\x00"}, ("😀", "x"),
               ("滨" * 50_000, None), QUESTION]
    answer = timed_ask(assistant, "那它的占地面积呢?", history=history)
    assert isinstance(answer.text, str) and answer.text


# ------------------------------------------------------------------ the command line


def test_qa_ask_and_search_in_process(index_dir, capsys, real_embedder):
    """The CLI code with odd questions: exit 0 with an answer, or exit 1 with `error:` - never an exception."""
    from qa.cli import main

    for name in ("emoji", "controls-inside", "html"):
        assert main(["ask", "--index", str(index_dir), ODD[name]]) == 0, name
        out = capsys.readouterr().out
        assert out.strip() and "\x1b" not in out and "\x00" not in out
    for question, word in BAD[:3] + BAD[4:5]:
        for command in ("ask", "search"):
            assert main([command, "--index", str(index_dir), question]) == 1
            err = capsys.readouterr().err
            assert err.startswith("error: ") and word in err, err
    assert main(["search", "--index", str(index_dir), "-k", "0", QUESTION]) == 1
    assert "k must be" in capsys.readouterr().err
    assert main(["ask", "--index", str(index_dir), "--json", "２０２１年６月滨湖集团启动了什么项目？"]) == 0
    assert "2021年6月" in capsys.readouterr().out


def test_qa_ask_bad_questions_fail_fast_without_a_traceback(index_dir):
    """The real command: a bad question is refused before the model loads."""
    for args, word in [([""], "empty"), (["  ", "\t"], "empty"), (["滨" * 5000] * 10, "too long")]:
        start = time.monotonic()
        proc = run_qa("ask", "--index", index_dir, *args)
        assert_clean_failure(proc, word)
        assert time.monotonic() - start < SECONDS


def test_qa_ask_answers_a_file_of_questions_in_one_process(index_dir, capsys, tmp_path, monkeypatch):
    """`qa ask --questions FILE`: every line a question of its own, one JSON object per line; bad lines
    fail before the model loads, naming the line."""
    import io
    import json

    from qa.cli import main

    questions = tmp_path / "questions.txt"
    questions.write_text("\ufeff%s\n\n２０２１年６月滨湖集团启动了什么项目？\n" % QUESTION, encoding="utf-8")
    assert main(["ask", "--index", str(index_dir), "--json", "--questions", str(questions)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    answers = [json.loads(line) for line in lines]
    assert len(answers) == 2 and ANSWER in answers[0]["text"] and "2021年6月" in answers[1]["text"]
    assert [a["line"] for a in answers] == [1, 3]  # the file's line, blank lines counted
    monkeypatch.setattr("sys.stdin", io.StringIO(QUESTION + "\n"))
    assert main(["ask", "--index", str(index_dir), "--questions", "-"]) == 0
    assert ANSWER in capsys.readouterr().out
    too_long = tmp_path / "long.txt"
    too_long.write_text("%s\n%s\n" % (QUESTION, "滨" * 50_000), encoding="utf-8")
    for args, words in [(["--questions", str(too_long)], ("line 2", "too long")),
                        (["--questions", str(tmp_path / "missing.txt")], ("cannot be read",)),
                        (["--questions", str(questions), QUESTION], ("not both",)),
                        ([], ("no question",))]:
        assert main(["ask", "--index", str(index_dir), *args]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and all(w in err for w in words), err


def test_qa_ask_chat_reads_each_line_after_the_earlier_ones(index_dir, capsys, tmp_path):
    """`qa ask --questions FILE --chat`: the lines are one conversation, so a follow-up reads its subject from
    the turn before; without --chat each line stands alone."""
    import json

    from qa.cli import main

    chat = tmp_path / "chat.txt"
    chat.write_text("滨湖文隽企业服务中心的建筑面积是多少?\n那它的占地面积呢?\n", encoding="utf-8")
    assert main(["ask", "--index", str(index_dir), "--json", "--questions", str(chat), "--chat"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.strip().split("\n")]
    assert "滨湖文隽企业服务中心" in answers[1]["standalone_question"] and "5000平方米" in answers[1]["text"]
    assert main(["ask", "--index", str(index_dir), "--json", "--questions", str(chat)]) == 0
    alone = [json.loads(line) for line in capsys.readouterr().out.strip().split("\n")]
    assert "滨湖文隽企业服务中心" not in alone[1]["standalone_question"]
    assert main(["ask", "--index", str(index_dir), "--chat", "那它的占地面积呢?"]) == 1
    assert "--questions FILE" in capsys.readouterr().err

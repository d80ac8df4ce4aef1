"""Who may edit (issue 34): the host check, the token, the settings it comes from; and the page's small
pure helpers - conversations, counts text, refusal wording (no model needed)."""

from __future__ import annotations

import threading
import time

import pytest

from qa.core.errors import QAError
from ui import access, conversations as conv, format as fmt
from ui.library_tab import Refresher

TOKEN = "a-long-editor-token-for-tests"


@pytest.mark.parametrize("host,mode", [("127.0.0.1", "local"), ("localhost", "local"), ("::1", "local"),
                                       ("[::1]", "local"), ("127.0.0.2", "login"), ("0.0.0.0", "login"),
                                       ("192.168.1.20", "login"), ("::", "login")])
def test_only_127_0_0_1_makes_the_local_user_the_editor(host, mode):
    assert access.access_for(host, token=TOKEN).mode == mode


def test_without_a_token_a_public_page_is_read_only_and_read_only_wins():
    assert access.access_for("0.0.0.0").mode == "read-only"
    assert access.access_for("0.0.0.0", token="  ").mode == "read-only"
    assert access.access_for("127.0.0.1", read_only=True).mode == "read-only"
    assert access.access_for("0.0.0.0", read_only=True, token=TOKEN).mode == "read-only"
    assert not access.access_for("0.0.0.0").can_edit and access.access_for("0.0.0.0", token=TOKEN).can_edit
    assert access.access_for("127.0.0.1").editor_by_default and not access.access_for("10.0.0.1", token=TOKEN).editor_by_default


def test_a_short_token_is_refused_with_how_to_make_one():
    with pytest.raises(QAError, match="token_urlsafe"):
        access.access_for("0.0.0.0", token="1234")


def test_check_token(monkeypatch):
    monkeypatch.setattr(access, "FAILED_LOGIN_DELAY", 0.05)
    page = access.access_for("0.0.0.0", token=TOKEN)
    assert access.check_token(page, TOKEN) and access.check_token(page, " %s " % TOKEN)
    start = time.perf_counter()
    assert not access.check_token(page, TOKEN[:-1])
    assert time.perf_counter() - start >= 0.05  # a wrong guess costs time
    assert not access.check_token(page, None) and not access.check_token(page, "")
    assert not access.check_token(access.access_for("127.0.0.1"), TOKEN)  # no login on a local page


def test_the_token_comes_from_the_environment_or_qa_toml_and_stays_out_of_repr(tmp_path):
    from qa.core.settings import Settings

    (tmp_path / "qa.toml").write_text('editor_token = "from-the-project-file"\n', encoding="utf-8")
    assert Settings.from_env({}, tmp_path).editor_token == "from-the-project-file"
    settings = Settings.from_env({"QA_EDITOR_TOKEN": TOKEN}, tmp_path)
    assert settings.editor_token == TOKEN and TOKEN not in repr(settings)


def test_serve_read_only_flag():
    from qa.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["serve", "--read-only"]).read_only
    assert not parser.parse_args(["serve"]).read_only


def test_clearing_a_chat_removes_it_from_the_list():
    store = conv.save(conv.empty_store(), [{"q": "第一个问题", "a": "答", "bot": "x"}])
    store = conv.start_new(store)
    store = conv.save(store, [{"q": "第二个问题", "a": "答", "bot": "x"}])
    assert [label for label, _ in conv.choices(store)] == ["第二个问题", "第一个问题"]
    store = conv.remove_active(store)
    assert [label for label, _ in conv.choices(store)] == ["第一个问题"] and conv.active_id(store) == ""


def test_the_stored_chats_stay_within_their_budget_however_long_the_history():
    import json

    store = conv.empty_store()
    long_turn = {"q": "问" * 990, "a": "答" * 300, "user": "问" * 990, "bot": "<div>%s</div>" % ("答" * 3000)}
    for _ in range(conv.MAX_CONVERSATIONS):
        store = conv.start_new(conv.save(store, [long_turn] * 60))
    store = conv.save(store, [long_turn] * 200)
    size = len(json.dumps(store, ensure_ascii=False, separators=(",", ":")))
    assert size <= conv.STORE_BUDGET_CHARS
    assert conv.active_turns(store)[-1] == long_turn  # the latest turn is kept


def test_relevance_bar_only_when_known_and_one_refusal_sentence():
    from qa.answer.types import Answer, Source

    scored = Source(number=1, chunk_id="c", article_id="a", title="T", byline="", source="f.txt", paragraph=1,
                    text="正文。", relevance=0.8)
    summary = Source(number=2, chunk_id="d", article_id="a", title="T", byline="", source="f.txt", paragraph=2,
                     text="正文。", relevance=0.0)
    # No percentage on any card (it misled); each card says whether it is cited.
    assert "相关度" not in fmt.render_source_card(scored) and "相关度" not in fmt.render_source_card(summary)
    assert ">引用<" in fmt.render_source_card(summary, role="cited")
    ordered = fmt.ordered_sources([summary, scored])
    assert [s.relevance for s in ordered] == [0.8, 0.0]
    refusal = Answer(question="x", text="文章中没有找到这个问题的答案。", found=False, confidence=0.0, sources=())
    html = fmt.render_answer(refusal, fmt.NOT_CHINESE_HINT % "问题？")
    assert html.count("没有找到") == 0 and "请用中文提问" in html  # only the hint: nothing was looked for
    assert fmt.render_answer(refusal).count("没有找到") == 1


def test_reasons_are_chinese_only():
    assert fmt.reason_text("unsupported file type .exe - send .txt .md") .startswith("不支持的文件类型")
    assert "send" not in fmt.reason_text("unsupported file type .exe - send .txt .md")
    assert fmt.reason_text("something nobody wrote down") == "无法处理这个文件"
    assert fmt.has_chinese("问") and not fmt.has_chinese("What is it?")


class _Service:
    """Counts rebuilds; each takes a little while, like a real build."""

    def __init__(self):
        self.builds = 0
        self.rebuild_running = False

    def rebuild(self, progress=None, force=False, join=False):
        time.sleep(0.2)
        self.builds += 1


def test_refresh_tickets_wait_for_a_build_that_started_after_the_change():
    service = _Service()
    refresher = Refresher(service)
    first = refresher.start()
    time.sleep(0.05)  # the first build is running
    second = refresher.start()  # a change during it: one more build must cover it
    state = refresher.wait(second, timeout=10)
    assert not state.running and service.builds == 2 and second > first
    assert refresher.wait(first, timeout=0.01).done == 1
    # Many pages waiting at once all wake up.
    tickets = [refresher.start() for _ in range(3)]
    woke = []
    threads = [threading.Thread(target=lambda t=t: woke.append(refresher.wait(t, 10))) for t in tickets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(woke) == 3 and all(not s.running for s in woke)

"""A new user's confusions (items A-K), pinned without a model or a server: per-reply sources,
labelled cards and counts, worded notices, undo of 清空对话, article counts before a delete,
the date column and a Chinese 技术详情."""

from __future__ import annotations

import re

from qa.answer.types import Answer, Item, Source
from qa.index.manifest import IndexStatus
from qa.ingest.articles import Article, Paragraph
from ui import conversations as conv
from ui import format as fmt
from ui import library_tab


def source(number, relevance=0.97, highlights=((0, 3),), **kw) -> Source:
    base = dict(number=number, chunk_id="c%d" % number, article_id="a#1", title="标题<%d>" % number, byline="",
                source="page.txt", paragraph=number, text="正文段落%d。" % number, highlights=highlights,
                relevance=relevance)
    base.update(kw)
    return Source(**base)


def art(article_id, name, ordinal, headline, text, **kw) -> Article:
    return Article(article_id, name, ordinal, headline, paragraphs=(Paragraph(text, 1),), **kw)


def fact(text="“答案”[1]", found=True) -> Answer:
    return Answer(question="问？", text=text, found=found, confidence=0.9,
                  sources=(source(1), source(2, 0.98, ()), source(3, 0.95, ())))


def cards(html: str) -> list[tuple[str, str]]:
    """(card number, its label) of every card in a panel."""
    return re.findall(r'data-source="(\d+)".*?<span class="qa-role-label">([^<]*)</span>', html)


# B + C ---------------------------------------------------------------------------------


def test_cards_say_cited_or_related_and_show_no_percentage():
    html = fmt.render_sources(fact())
    assert cards(html) == [("1", "引用"), ("2", "其他相关段落"), ("3", "其他相关段落")]
    assert "%" not in re.sub(r"<[^>]*>", "", html)  # no 95-98% for unrelated paragraphs
    assert "相关度" not in html


def test_every_card_of_a_summary_is_labelled_even_without_a_score():
    summary = Answer(question="总结", text="", found=True, confidence=0.9, form="summary",
                     items=(Item(1, "甲"), Item(2, "乙")),
                     sources=(source(1, 0.0), source(2, 0.0), source(3, 0.9)))
    assert cards(fmt.render_sources(summary)) == [("1", "引用"), ("2", "引用"), ("3", "其他相关段落")]


def test_refusal_cards_are_all_labelled_alike_and_none_cited():
    html = fmt.render_sources(fact("文章中没有找到这个问题的答案。", found=False))
    assert [label for _, label in cards(html)] == [fmt.NOT_FOUND_LABEL] * 3
    assert "相关 3 段，均未引用" in html


def test_count_says_how_many_are_cited_and_how_many_related():
    html = fmt.render_sources(fact())
    assert "引用 1 段 · 其他相关 2 段" in html
    assert "3 条" not in html
    assert 'data-cited="1" data-related="2"' in html


# D + E ---------------------------------------------------------------------------------


def test_non_chinese_question_gets_only_the_hint_with_a_worded_tag():
    refusal = Answer(question="What?", text="文章中没有找到这个问题的答案。", found=False, confidence=0.0)
    html = fmt.render_answer(refusal, fmt.NOT_CHINESE_HINT % "问题？")
    text = re.sub(r"<[^>]*>", "", html)
    assert "没有找到" not in text and "请用中文提问" in text
    assert ">?<" not in html  # no lone "?" icon
    plain = fmt.render_answer(refusal)
    assert re.sub(r"<[^>]*>", "", plain).count("没有找到") == 1 and ">?<" not in plain


def test_actions_sit_under_the_notice_not_beside_it():
    refusal = Answer(question="问", text="文章中没有找到这个问题的答案。", found=False, confidence=0.0)
    html = fmt.with_actions(fmt.render_answer(refusal))
    # the row (tag + text) closes before the actions start, so the copy button is not a narrow third column
    assert html.index('<div class="qa-actions">') > html.index('<div class="qa-nf-row">')
    assert re.search(r'</div></div></div><div class="qa-actions">', html)


# A -------------------------------------------------------------------------------------


def test_an_older_reply_gets_its_own_sources_or_a_note_never_the_latest():
    from ui.app import turn_sources

    turns = [{"q": "一", "a": "甲[1]", "sources": "<div>SOURCES-0</div>"},
             {"q": "二", "a": None, "bot": "错误"},
             {"q": "三", "a": "丙[1]"},  # sources not kept (a restored chat keeps the last few)
             {"q": "四", "a": "丁[1]", "sources": "<div>SOURCES-3</div>"}]
    first = turn_sources("0:123", turns)
    assert 'data-turn="0"' in first and "SOURCES-0" in first and "SOURCES-3" not in first
    assert "正在显示第 1 个回答的来源" in first
    gone = turn_sources("2:1", turns)
    assert 'data-turn="2"' in gone and "没有保存" in gone and "qa-card" not in gone and "SOURCES" not in gone
    error = turn_sources("1:1", turns)
    assert "这条消息没有来源" in error and "SOURCES" not in error
    latest = turn_sources("latest:9", turns)
    assert 'data-turn="3"' in latest and 'data-latest="1"' in latest and "SOURCES-3" in latest


# F -------------------------------------------------------------------------------------


def test_cleared_conversation_can_be_put_back():
    store = conv.save(conv.empty_store(), [{"q": "问题一", "a": "答", "sources": "<p>s</p>"}])
    item = conv.active_item(store)
    emptied = conv.remove_active(store)
    assert conv.choices(emptied) == []
    back = conv.put_back(emptied, item)
    assert [label for label, _ in conv.choices(back)] == ["问题一"]
    assert conv.active_turns(back)[0]["q"] == "问题一"


# J -------------------------------------------------------------------------------------


def test_delete_confirmation_counts_the_articles():
    html = library_tab.confirm_text(["a.txt", "b<.txt"], frozenset(), {"a.txt": 5, "b<.txt": 2})
    text = re.sub(r"<[^>]*>", "", html)
    assert "2 个文件（共 7 篇文章）" in text and "a.txt（5 篇文章）" in text
    assert "b&lt;.txt" in html  # names escaped


def test_article_counts_per_file():
    class Service:
        class current:  # noqa: N801
            articles = {"1": art("1", "x.txt", 1, "甲", "一。"),
                        "2": art("2", "x.txt", 2, "乙", "二。"),
                        "3": art("3", "y.txt", 1, "丙", "三。")}
    assert library_tab.article_counts(Service()) == {"x.txt": 2, "y.txt": 1}


# K + I ---------------------------------------------------------------------------------


def test_article_list_has_a_date_column():
    dated = art("1", "x.txt", 1, "甲", "一。", date="2023-07-28")
    html = fmt.render_articles([dated, art("2", "x.txt", 2, "乙", "二。")])
    assert "<span>日期</span>" in html
    assert re.findall(r'<span class="qa-art-date">([^<]*)</span>', html) == ["2023-07-28", "—"]


def test_technical_details_are_chinese():
    status = IndexStatus(exists=True, fresh=True, articles=7, chunks=28, model_name="m", built_at="2026-01-01T00:00:00")
    html = fmt.render_status(status)
    details = re.search(r"<pre>(.*?)</pre>", html, re.S).group(1)
    assert "index is up to date" not in html and "7 篇文章、28 个段落" in details
    stale = IndexStatus(exists=True, fresh=False, added=("new.txt",))
    assert "run `qa build`" not in fmt.render_status(stale) and "新增：new.txt" in fmt.render_status(stale)

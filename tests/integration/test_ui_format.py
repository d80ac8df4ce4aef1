"""Unit tests of the page's HTML: escaping, highlights, citations, the not-found style.

No model or server: these run in milliseconds and pin the safety rules the
browser tests check end to end.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from qa.answer.types import Answer, Source
from qa.core.errors import IndexLockedError, QAError, QuestionError
from qa.index.manifest import IndexStatus
from qa.ingest.articles import Article, Paragraph
from ui import format as fmt

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)"> **b** [l](javascript:alert(3)) $$x$$ `c` & "q"'


class _Tags(HTMLParser):
    """Collects the tags and attributes an HTML fragment really creates."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)

    def handle_data(self, data):
        self.text += data


def parse(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser


def source(number=1, text="甲乙丙。答案在这里。丁戊。", highlights=((4, 10),), **kw) -> Source:
    base = dict(number=number, chunk_id="a#1/p2", article_id="a#1", title="标题", byline="本报讯 (记者 某某)",
                source="page.txt", paragraph=2, text=text, highlights=highlights, score=0.03, relevance=0.8)
    base.update(kw)
    return Source(**base)


def answer(found=True, text="“答案在这里”[1]", sources=None) -> Answer:
    return Answer(question="问题?", text=text, found=found, confidence=0.9 if found else 0.1,
                  sources=tuple(sources if sources is not None else [source()]))


def article(paragraphs=("第一段。", "甲乙丙。答案在这里。丁戊。", "第三段。"), **kw) -> Article:
    base = dict(article_id="a#1", source="page.txt", ordinal=1, headline="标题", byline="本报讯 (记者 某某)",
                paragraphs=tuple(Paragraph(p, i + 1) for i, p in enumerate(paragraphs)))
    base.update(kw)
    return Article(**base)


# ------------------------------------------------------------------ escaping


def test_esc_and_md_esc_leave_no_markup():
    for out in (fmt.esc(EVIL), fmt.md_esc(EVIL)):
        tags = parse(out)
        assert tags.tags == [] and "<" not in out and ">" not in out
        assert html.unescape(out.replace("<br>", "\n")) == EVIL  # the reader sees exactly the text


def test_md_esc_neutralises_markdown_and_latex():
    out = fmt.md_esc("**粗** _斜_ [链](javascript:x) $$x$$ # 标题 `代码` https://example.com")
    bare = re.sub(r"&#\d+;", "", out)
    for special in "*_[]()$#`:":
        assert special not in bare
    assert html.unescape(out) == "**粗** _斜_ [链](javascript:x) $$x$$ # 标题 `代码` https://example.com"


def test_highlight_marks_exact_span_and_escapes():
    text = "<b>前</b>答案句。后"
    start = text.index("答案句。")
    out = fmt.highlight(text, [(start, start + 4)])
    assert out == "&lt;b&gt;前&lt;/b&gt;<mark>答案句。</mark>后"


@pytest.mark.parametrize("spans, expected", [
    ([], "abcdef"),
    ([(4, 2)], "abcdef"),  # empty/backwards
    ([(-5, 2)], "<mark>ab</mark>cdef"),  # clipped at the start
    ([(4, 99)], "abcd<mark>ef</mark>"),  # clipped at the end
    ([(0, 2), (1, 3)], "<mark>abc</mark>def"),  # overlaps merge
    ([(3, 4), (0, 1)], "<mark>a</mark>bc<mark>d</mark>ef"),  # any order
    ([("x", 1)], "abcdef"),  # junk ignored
])
def test_highlight_is_robust_to_odd_offsets(spans, expected):
    assert fmt.highlight("abcdef", spans) == expected


def test_percent_clamps():
    assert [fmt.percent(v) for v in (-1, 0, 0.456, 1, 7, float("nan"), None, "x")] == [0, 0, 46, 100, 100, 0, 0, 0]


# ------------------------------------------------------------------ chat


def test_found_answer_shows_citation_badges_and_source():
    out = fmt.render_answer(answer())
    assert "qa-found" in out and "qa-notfound" not in out
    assert re.search(r'<span class="qa-cite"[^>]*>1</span>', out)
    assert "[1]" not in out  # the marker became a badge
    assert "\n" not in out and "  " not in out  # one line: Markdown must not see an indented code block
    assert "第2段" in out


def test_not_found_answer_has_its_own_style():
    out = fmt.render_answer(answer(found=False, text="文章中没有找到这个问题的答案。相关:[1]《标题》"))
    assert "qa-notfound" in out and "qa-found" not in out
    # One refusal sentence: the assistant's own, not a title saying the same above it (issue 34).
    assert out.count("没有找到") == 1 and fmt.NOT_FOUND_TITLE not in out
    assert fmt.NOT_FOUND_TITLE in fmt.render_answer(answer(found=False, text=""))
    assert re.search(r'<span class="qa-cite"[^>]*>1</span>', out)


def test_hostile_answer_and_question_are_inert():
    evil_source = source(title=EVIL, text=EVIL, highlights=((0, 20),))
    bubble = fmt.render_answer(answer(text="“%s”[1]" % EVIL, sources=[evil_source]))
    question = fmt.render_question(EVIL)
    error = fmt.render_error(EVIL)
    for out in (bubble, question, error):
        tags = parse(out)
        assert not {"script", "img", "a"} & set(tags.tags)
        assert "onerror" not in tags.attrs and "href" not in tags.attrs
        for special in "*[]$`":
            assert special not in re.sub(r"&#\d+;", "", out)


def test_error_notice_style():
    assert "qa-error" in fmt.render_error("请先输入一个问题。")


# ------------------------------------------------------------------ sources


def test_source_cards_numbered_with_highlight_relevance_and_full_article():
    a = answer(sources=[source(1), source(2, highlights=(), relevance=0.3, paragraph=3, text="第三段。")])
    out = fmt.render_sources(a, {"a#1": article()})
    assert out.count('<details class="qa-card') == 2
    assert '<mark>答案在这里。</mark>' in out
    # Labelled by role, not by a percentage (a cosine read 95% for unrelated paragraphs).
    assert out.count(">引用</span>") == 1 and out.count(">其他相关段落</span>") == 1 and "相关度" not in out
    assert "本报讯 (记者 某某)" in out and "page.txt" in out
    # The whole article is inside the card, the cited paragraph marked in place.
    assert "<p>第一段。</p>" in out
    assert '<p class="qa-cited">甲乙丙。<mark>答案在这里。</mark>丁戊。</p>' in out
    assert '<p class="qa-cited">第三段。</p>' in out


def test_source_card_of_a_split_paragraph_maps_offsets_into_the_whole_paragraph():
    whole = "前半部分很长。" + "甲乙丙。答案在这里。丁戊。"
    out = fmt.render_source_card(source(), article(paragraphs=("第一段。", whole)))
    assert '<p class="qa-cited">前半部分很长。甲乙丙。<mark>答案在这里。</mark>丁戊。</p>' in out


def test_sources_are_escaped():
    evil = source(title=EVIL, byline=EVIL, source=EVIL, text=EVIL, highlights=((0, 30),))
    out = fmt.render_sources(answer(sources=[evil]), {"a#1": article(paragraphs=(EVIL,), headline=EVIL)})
    tags = parse(out)
    assert not {"script", "img", "a"} & set(tags.tags)
    assert "onerror" not in tags.attrs
    assert EVIL in tags.text  # shown literally


def test_empty_and_not_found_source_panels():
    assert fmt.EMPTY_SOURCES in fmt.render_sources(None)
    assert fmt.EMPTY_SOURCES in fmt.render_sources(answer(sources=[]))
    assert "qa-sources-notfound" in fmt.render_sources(answer(found=False, sources=[source(highlights=())]))


def test_missing_article_still_renders_card():
    assert "全文不可用" in fmt.render_sources(answer(), {})


# ------------------------------------------------------------------ articles tab


def test_article_list_and_status():
    photo = article(article_id="a#2", headline="图说", kind="photo", section="重点项目", byline="",
                    photo_credit="某某", paragraphs=("图片说明。",))
    out = fmt.render_articles([article(subtitle=EVIL), photo])
    assert out.count('class="qa-art-row"') == 2
    assert "3 段" in out and "1 段" in out and "摄影 某某" in out and "【图片】重点项目" in out
    assert "script" not in parse(out).tags

    fresh = IndexStatus(exists=True, fresh=True, built_at="2026-11-26T02:21:41+00:00", model_name="m", articles=5,
                        chunks=21)
    assert "索引为最新" in fmt.render_status(fresh) and "5 篇文章" in fmt.render_status(fresh)
    stale = IndexStatus(exists=True, fresh=False, added=("new<b>.txt",), changed=("a.txt",), model_changed=True)
    out = fmt.render_status(stale, "/idx", "/seeds")
    assert "索引已过期" in out and "new&lt;b&gt;.txt" in out and "a.txt" in out and "嵌入模型" in out
    assert "index is stale" not in out and "需要重建" in out  # 技术详情 in Chinese too
    assert "尚无索引" in fmt.render_status(IndexStatus(exists=False, fresh=False))
    assert "索引损坏" in fmt.render_status(IndexStatus(exists=True, fresh=False, problem="broken"))
    assert "5 篇文章" in fmt.render_header(fresh, 5)


# ------------------------------------------------------------------ app helpers (no server)


def test_friendly_errors_are_chinese_and_never_tracebacks():
    from ui.app import GENERIC_ERROR, friendly_error

    assert "请先输入" in friendly_error(QuestionError("the question is empty - type a question", reason="empty"))
    assert "太长" in friendly_error(QuestionError("the question is too long (2000 characters; the limit is 1000)", reason="too_long"))
    assert "请先输入" in friendly_error(QuestionError("any wording", reason="empty"))  # by reason, not by words
    assert "重建" in friendly_error(IndexLockedError("x"))
    assert "索引" in friendly_error(QAError("x"))
    assert friendly_error(ZeroDivisionError("boom")) == GENERIC_ERROR


def test_api_history_accepts_pairs_messages_and_json():
    from qa.answer.history import history_from_api as _api_history

    assert _api_history([["问", "答"]]) == [("问", "答")]
    assert _api_history([{"role": "user", "content": "问"}, {"role": "assistant", "content": "答"}]) == [
        {"role": "user", "content": "问"}, {"role": "assistant", "content": "答"}]
    assert _api_history('[["问", "答"]]') == [("问", "答")]
    assert _api_history(None) == [] and _api_history("not json") == [] and _api_history(5) == []
    assert _api_history([None, 3, {"role": "system", "content": "x"}, ["只有问题"]]) == [("只有问题", "")]


def test_example_candidates_need_a_headline_subject():
    from ui.examples import _author_question, _quantity_questions

    a = article(headline="某某中心正式投用", paragraphs=(
        "某某中心占地约5000平方米,建筑面积1.8万平方米。",
        "目前已完成投资5亿元,开展交流22场次。",
    ))
    assert _quantity_questions(a) == ["某某中心占地多少？"]
    assert _author_question(a) == "《某某中心正式投用》这篇报道的记者是谁？"
    assert _author_question(article(byline="")) == ""

"""Issue 34, item 7: real documents parsed as a reader sees them - titles, paragraphs, dates.

A single-page PDF printed by headless Chromium (title wrapped over two lines, a subheading,
Chromium's own date/title header and URL/page footer), an HTML page with subheadings and a
published date, a .docx with a table. Plus: the plain-text seed page parses exactly as before.
"""

from __future__ import annotations

from doc_fixtures import make_docx, make_pdf

from qa.ingest.articles import dateline_date, parse_page
from qa.ingest.formats import extract

PDF_TITLE = "滨江区第二届社区运动会暨全民健身节开幕"
PDF_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>滨江晚报 第五版</title>
<style>body{font-family:"WenQuanYi Zen Hei",sans-serif;font-size:15px;line-height:1.6} h1{font-size:30px;width:420px}</style>
</head><body><h1>%s</h1>
<p>本报讯 (记者 陈晨) 昨天上午，滨江区第二届社区运动会暨全民健身节在区体育中心开幕，来自全区的两千余名居民参加开幕式。</p>
<h2>设十二个比赛项目</h2>
<p>本届运动会设有十二个比赛项目，包括广场舞、乒乓球和趣味接力等，赛期一个月。</p>
</body></html>""" % PDF_TITLE

HTML_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>城北新区交通改善工程启动 - 江城日报网</title>
<meta property="article:published_time" content="2024-06-03T08:00:00+08:00"></head><body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a></nav>
<article><h1>城北新区交通改善工程启动</h1>
<p>本报讯 (记者 许诺) 城北新区交通改善工程昨日正式启动，计划总投资12亿元，工期两年。</p>
<h2>新建三座跨河大桥</h2>
<p>工程将新建跨河大桥三座，其中最长的北环大桥全长860米。</p>
<h2>公交线路同步优化</h2>
<p>公交集团将新开通公交线路五条，并调整既有线路八条。</p>
</article><footer>版权所有 江城日报网</footer></body></html>"""


def _read(path, name=None):
    name = name or path.name
    page = parse_page(extract(path.read_bytes(), name).text, name)
    assert len(page.articles) == 1, [a.headline for a in page.articles]
    return page.articles[0]


def test_chromium_pdf_title_over_two_lines_subheading_and_no_print_header(tmp_path):
    article = _read(make_pdf(tmp_path, "运动会.pdf", PDF_PAGE))
    assert article.headline == PDF_TITLE and article.subtitle == ""  # both title lines, nothing in the body
    texts = [p.text for p in article.paragraphs]
    assert texts[0].startswith("本报讯 (记者 陈晨) 昨天上午") and texts[0].endswith("两千余名居民参加开幕式。")
    assert texts[1:] == ["设十二个比赛项目", "本届运动会设有十二个比赛项目，包括广场舞、乒乓球和趣味接力等，赛期一个月。"]
    everything = article.headline + "".join(texts)
    # Chromium's header (print date, the <title>) and footer (file URL, 1/1) are gone from a one-page print.
    assert "滨江晚报" not in everything and "file" not in everything.lower() and "1/1" not in everything
    assert article.byline == "本报讯 (记者 陈晨)" and article.date == ""  # a print date is no publication date


def test_html_subheadings_stay_paragraphs_and_the_date_is_the_articles(tmp_path):
    path = tmp_path / "交通.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    article = _read(path)
    assert article.headline == "城北新区交通改善工程启动"
    assert [p.text for p in article.paragraphs] == [
        "本报讯 (记者 许诺) 城北新区交通改善工程昨日正式启动，计划总投资12亿元，工期两年。",
        "新建三座跨河大桥", "工程将新建跨河大桥三座，其中最长的北环大桥全长860米。",
        "公交线路同步优化", "公交集团将新开通公交线路五条，并调整既有线路八条。"]
    assert article.date == "2024-06-03"  # from the page's metadata, not a trailing text block
    assert not any("发布日期" in p.text for p in article.paragraphs)
    # ... and a reader sees it on the source card and in the article view.
    from qa.answer.types import Source
    from ui import format as fmt

    source = Source(number=1, chunk_id="c", article_id=article.article_id, title=article.title, byline=article.byline,
                    source=article.source, paragraph=3, text=article.paragraphs[2].text, relevance=0.9)
    assert "2024-06-03" in fmt.render_source_card(source, article)
    assert "2024-06-03" in fmt.render_article(article, 1)


def test_docx_table_rows_stay_rows(tmp_path):
    article = _read(make_docx(tmp_path))
    texts = [p.text for p in article.paragraphs]
    assert texts[-2:] == ["项目　数值", "并网时间　2024年6月。"]  # the header row no longer runs into the next


def test_newspaper_datelines():
    assert dateline_date("新华社北京2024年6月3日电 (记者 王) 今天…") == "2024-06-03"
    assert dateline_date("本报讯 (记者 许诺) 6月3日，城北新区…") == "6月3日"
    assert dateline_date("本报讯 (记者 许诺) 城北新区交通改善工程昨日正式启动，…计划于2025年1月1日完工") == ""
    page = parse_page("标题\n\n新华社北京2024年6月3日电 (记者 王力) 今天，某项工作启动。\n", "x.txt")
    assert page.articles[0].date == "2024-06-03"


def test_the_seed_page_parses_as_before_and_keeps_no_date():
    from conftest import SEED_FILE

    text = SEED_FILE.read_text(encoding="utf-8")
    page = parse_page(text, SEED_FILE.name)
    assert len(page.articles) == 5 and all(a.date == "" for a in page.articles)
    assert "\u2029" not in text  # the whole-paragraph mark is the format readers' only

"""Reading .md, .html, .docx and .pdf into the article parser (real files made by the tests)."""

from __future__ import annotations

import pytest
from doc_fixtures import (
    DOCX_PARAGRAPHS,
    DOCX_TITLE,
    HTML_BOILERPLATE,
    make_docx,
    make_html,
    make_pdf,
    make_scanned_pdf,
)

from qa.core.errors import FormatError
from qa.ingest.articles import parse_page
from qa.ingest.formats import extract, sniff
from qa.ingest.sources import list_seed_paths, read_seed_file


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    return extract(make_pdf(folder).read_bytes(), "a.pdf")


def test_pdf_two_column_page_reads_in_column_order(pdf_text):
    text = pdf_text.text
    assert pdf_text.pages == 2
    # Column order: the left column's paragraphs, then the right column's.
    order = [text.index(s) for s in ("南湖大桥完成荷载试验", "主跨长度为268米", "青溪镇新建图书馆开放",
                                        "馆内藏书约4.2万册", "读者持一张借书证", "五个村级图书分馆",
                                        "每季度轮换一次", "五十名阅读志愿者")]
    assert order == sorted(order)


def test_pdf_drops_running_headers_and_page_numbers(pdf_text):
    assert pdf_text.dropped >= 6  # date, title, URL, page number: on each of two pages
    assert "file://" not in pdf_text.text and "1/2" not in pdf_text.text and "2/2" not in pdf_text.text
    assert "江南晨报 第三版" not in pdf_text.text  # the <title>, printed by Chromium as a running header


def test_pdf_articles_parse_with_bylines_and_rejoined_lines(pdf_text):
    page = parse_page(pdf_text.text, "a.pdf")
    heads = {a.headline: a for a in page.articles}
    assert set(heads) >= {"南湖大桥完成荷载试验", "青溪镇新建图书馆开放"}
    library = heads["青溪镇新建图书馆开放"]
    assert library.reporters == ("林晓",)
    # The long paragraph crosses lines (and the column break): one paragraph, no stray breaks or spaces.
    long = [p.text for p in library.paragraphs if "读者持一张借书证" in p.text]
    assert len(long) == 1 and "暑期开设少儿阅读训练营。" in long[0]
    assert "借阅期限一般为三十天" in long[0].replace("\n", "")
    assert " " not in long[0].split("本报讯")[-1].replace("(记者 林晓)", "")


def test_scanned_pdf_is_skipped_with_a_reason(tmp_path):
    pdf = make_scanned_pdf(tmp_path)
    with pytest.raises(FormatError, match=r"no text layer \(scanned\?\)"):
        extract(pdf.read_bytes(), pdf.name)
    seed = read_seed_file(pdf, tmp_path)
    assert seed.text is None and "no text layer (scanned?)" in seed.skipped


def test_docx_paragraphs_and_title(tmp_path):
    out = extract(make_docx(tmp_path).read_bytes(), "x.docx")
    assert out.title == DOCX_TITLE
    assert "石塘村简报" not in out.text  # the page header is not body text
    page = parse_page(out.text, "x.docx")
    article = page.articles[0]
    assert article.headline == DOCX_TITLE
    assert article.reporters == ("吴桐", "陈默")
    assert [p.text for p in article.paragraphs][:2] == DOCX_PARAGRAPHS
    assert "并网时间　2024年6月。" in out.text  # a table row is a paragraph


def test_html_main_text_title_and_date_without_boilerplate(tmp_path):
    out = extract(make_html(tmp_path).read_bytes(), "x.html")
    assert out.title == "东湖湿地公园扩建完工" and out.date == "2024-05-18"
    for junk in HTML_BOILERPLATE:
        assert junk not in out.text
    article = parse_page(out.text, "x.html").articles[0]
    assert article.headline == "东湖湿地公园扩建完工" and article.reporters == ("郑远",)
    assert any("新增的栈道全长约3.6公里" in p.text for p in article.paragraphs)


def test_markdown_markup_goes_words_stay():
    md = ("---\ntitle: 运河夜游线路开通\ndate: 2024-07-01\n---\n\n本报讯 (记者 **何川**) 运河夜游线路昨晚开通，"
          "全程约[5.5公里](http://x)。\n\n- 票价80元。\n- 每晚三班。\n\n![图](a.png)\n")
    out = extract(md.encode("utf-8"), "a.md")
    assert out.title == "运河夜游线路开通" and out.date == "2024-07-01"
    article = parse_page(out.text, "a.md").articles[0]
    assert article.headline == "运河夜游线路开通" and article.reporters == ("何川",)
    assert "全程约5.5公里。" in article.paragraphs[0].text
    assert "http" not in out.text and "**" not in out.text and "a.png" not in out.text


@pytest.mark.parametrize("name, data, reason", [
    ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "a program"),
    ("report.docx", b"%PDF-1.4 not a zip", "not a .docx"),
    ("report.pdf", b"<html>hello</html>", "not a PDF"),
])
def test_renamed_files_are_refused_before_parsing(name, data, reason):
    assert reason in sniff(data, name)
    with pytest.raises(FormatError, match=reason):
        extract(data, name)


def test_seeds_folder_reads_every_format(tmp_path):
    make_pdf(tmp_path, "p.pdf"), make_docx(tmp_path, "d.docx"), make_html(tmp_path, "h.html")
    seeds = {p.name: read_seed_file(p, tmp_path) for p in list_seed_paths(tmp_path)}
    assert {n: s.encoding for n, s in seeds.items()} == {"p.pdf": "pdf", "d.docx": "docx", "h.html": "html"}
    assert all(s.text and not s.skipped for s in seeds.values())

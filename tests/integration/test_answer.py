"""The assistant: accuracy on dev, refusals, question types, exact highlights, follow-ups."""

from __future__ import annotations

import statistics
import time

import pytest
from conftest import EVAL, read_jsonl

from qa import Answer, QuestionError

# Seed-page questions the new reader (issue 32, the last step of its run) with the decision refit on the
# news train articles and the seed page's sets (issue 33) answers worse than the old reader did, while the
# news dev articles read better (benchmarks/RESULTS.md, "2026-12-06 (third session)"). Strict: each fails
# the suite once fixed.
REGRESSED = pytest.mark.xfail(strict=True, reason="known regression with the new reader and the news-fitted "
                                                  "decision (issues 32, 33)")
# Known regressions of the averaged readers (2eaff75ac576, and 93a303db7d21 after it), which answer more on news
# articles no reader trained on: near misses they answer from a sentence about another thing
# (benchmarks/RESULTS.md, "2026-12-07 (sixth session)"). Strict too.
AVERAGED_READER = pytest.mark.xfail(strict=True, reason="known regression with the averaged reader (issues 32, 33)")
# The ``names`` check (a span's article must name the headline subject the question names) was deleted:
# on the news train articles it cost five answers and refused nothing more (qa eval --ablation).
NAMES_DELETED = pytest.mark.xfail(strict=True, reason="the names check was deleted by the ablation (issue 33)")


def _offered(draft) -> str:
    """The words the draft would answer with: "" when it has no span, or only one a named check flagged
    (flagged spans rank last and the decision refuses them)."""
    if draft.best is None or draft.best.flagged:
        return ""
    return draft.best.answer.of(draft.best.chunk.text)


def _correct(answer, item) -> bool:
    if item["gold"] is None:
        return not answer.found
    return answer.found and any(a in answer.text for a in item["answer"])


@pytest.mark.slow  # a whole-set quality gate: scripts/test runs it, --fast leaves it out
def test_dev_accuracy_refusals_and_length(assistant, dev_items):
    answers = [(item, assistant.ask(item["question"])) for item in dev_items]
    answerable = [(i, a) for i, a in answers if i["gold"] is not None]
    accuracy = sum(_correct(a, i) for i, a in answerable) / len(answerable)
    assert accuracy >= 0.90, [(i["id"], a.text) for i, a in answerable if not _correct(a, i)]
    for item, answer in answers:
        if item["gold"] is None:
            assert not answer.found, (item["question"], answer.text)
    assert statistics.median(len(a.text) for _, a in answerable) <= 80


@pytest.mark.slow  # a whole-set quality gate: scripts/test runs it, --fast leaves it out
def test_held_out_made_up_questions_are_refused(assistant):
    """Made-up unanswerable questions, never used for tuning: most must be refused."""
    items = read_jsonl(EVAL / "unanswerable_holdout.jsonl")
    refused = sum(not assistant.ask(i["question"]).found for i in items)
    assert refused / len(items) >= 0.7


@pytest.mark.parametrize("question, expected", [
    ("武进直采了多少阜宁农产品?", "200万元"),  # number with its unit
    ("南京大学那个研究院一共要花多少钱?", "4.15亿元"),  # 花 read as the passage's 总投资
    ("滨湖集团商管负责人是谁?", "蒋佳利"),  # person
    ("第一批省级特色小镇授牌仪式在哪里举行?", "南京"),  # place
    ("滨湖集团什么时候启动了滨湖文隽企业服务中心项目?", "2021年6月"),  # date
    ("研究院的航拍照片是谁拍的?", "徐晶玮"),  # photo credit
    ("石墨烯小镇那篇报道是谁写的?", "张可馨"),  # byline
])
def test_question_types_find_the_right_kind_of_answer(assistant, question, expected):
    answer = assistant.ask(question)
    assert answer.found and expected in answer.text, answer.text


@pytest.mark.parametrize("question, short", [
    ("石墨烯小镇授牌仪式是什么时候举行的?", "近日"),  # the reader points at 南京, in the sentence of 近日
    ("科技创新会议是哪天开的?", "昨天下午"),  # not 2023年: the question asks for the day
    ("科技创新会议是几号开的?", "昨天下午"),  # 几号 as people say it: the reader was never asked that way
    pytest.param("滨湖文隽企业服务中心什么时候正式运营的?", "近日", marks=REGRESSED),  # not 2021年6月, when the project 正式启动
    ("常州石墨烯小镇的应用成果在国内处于什么水平?", "最好"),  # the standing of the attribute asked
    ("研究院的航拍照片是谁拍的?", "徐晶玮"),  # the names, without 摄
    ("重点项目那张航拍图是谁拍的?", "徐晶玮"),  # 图 (jieba's 图是) names the picture, not a topic
    ("滨湖文隽企业服务中心占地多少平方米?", "约5000平方米"),  # the article's hedge stays
])
def test_the_short_answer_is_the_fact_as_the_article_words_it(assistant, question, short):
    answer = assistant.ask(question)
    assert answer.found and answer.short == short, (answer.short, answer.confidence)


def test_an_everyday_word_picks_its_quantity_of_two_beside_each_other(assistant):
    # 帮助销售农产品超1000万元 beside 直采阜宁农产品近200万元 (a reader's span may cover both)
    sold = assistant.ask("武进帮阜宁卖出去多少农产品?")
    assert sold.found and sold.short == "超1000万元", (sold.short, sold.confidence)


def test_an_everyday_word_is_read_in_the_articles_word_and_the_question_kept(assistant):
    # The page says 乔俊杰带领…代表团 and 建立了深厚的兄弟情谊; it never writes 带队 or 交情.
    led = assistant.ask("谁带队去阜宁考察?")
    assert led.found and led.short == "乔俊杰", (led.short, led.confidence)
    assert led.standalone_question == "谁带队去阜宁考察?"  # shown in the asker's words
    friendship = assistant.ask("武进和阜宁两地的交情怎么样?")
    assert friendship.found and "兄弟情谊" in friendship.text, friendship.text
    # 完成投资17.17亿元 beside 新增贷款7911万元
    invested = assistant.ask("“532”战略的重点项目到6月底投了多少钱?")
    assert invested.found and invested.short == "17.17亿元", (invested.short, invested.confidence)
    attended = assistant.ask("科技创新半年度工作会议哪位区领导出席了?")  # the page: 副区长王栋参加会议
    assert attended.found and "王栋" in attended.short, (attended.short, attended.confidence)


@pytest.mark.parametrize("question", ["为什么要深化武进和阜宁的结对合作共建?", "深化结对合作共建有什么意义?"])
def test_the_point_of_something_is_the_sentence_saying_what_it_is(assistant, question):
    # 深化结对合作共建,是…的具体行动: not 加强产业承接和园区共建 from 张利华's account of this year's work.
    answer = assistant.ask(question)
    assert answer.found and "二十大精神" in answer.short, (answer.short, answer.confidence)


def test_significance_questions_name_their_subject():
    from qa.answer.question import analyse

    assert analyse("为什么要深化武进和阜宁的结对合作共建?").significance_of == "深化武进和阜宁的结对合作共建"
    assert analyse("深化结对合作共建有什么意义?").significance_of == "深化结对合作共建"
    assert analyse("结对合作共建的意义是什么?").significance_of == "结对合作共建"
    assert analyse("为什么会结对?").significance_of == ""  # a cause, not a point
    assert analyse("阳湖餐厅在哪里?").significance_of == ""


def test_an_owner_before_you_asks_for_its_own_attribute(assistant):
    # 阳湖餐厅 is named, 招牌菜 never: its sentence (员工用餐难而设立的阳湖餐厅) is no answer, asked either way.
    for question in ("阳湖餐厅有什么招牌菜?", "阳湖餐厅的招牌菜是什么?"):
        answer = assistant.ask(question)
        assert not answer.found, (question, answer.short, answer.confidence)


def test_a_place_or_person_is_named_within_one_clause(assistant):
    # The reader's span 本报讯 (记者 黄雅婷) 昨天下午,2023年全区 runs across the dateline: no venue.
    answer = assistant.ask("科技创新半年度工作会议在什么地方召开?")
    assert not answer.found and "本报讯" not in answer.short, (answer.short, answer.confidence)
    # 哪个会场 asks for a place too: the page names none (it once answered 下半年).
    venue = assistant.ask("科技创新半年度工作会议是在哪个会场开的?")
    assert not venue.found, (venue.short, venue.confidence)


@REGRESSED
def test_a_piece_of_the_subjects_own_name_is_not_where_it_was(assistant):
    # 武进—阜宁南北结对交流合作联席会议: 阜宁南北 starts the meeting's name and says nothing of where it met.
    answer = assistant.ask("联席会议在哪里召开?")
    assert answer.short != "阜宁南北", (answer.short, answer.confidence)
    named = assistant.ask("武进—阜宁南北结对交流合作联席会议在哪里召开?")
    assert named.found and "阜宁县" in named.short, named.text


def test_a_rank_asked_outright_is_not_answered_by_a_figure(assistant):
    assert not assistant.ask("滨湖文隽企业服务中心的建筑面积在全区排第几?").found


@NAMES_DELETED
def test_a_place_is_more_than_one_character(assistant):
    # The page never says where the meeting was held: the 区 of 全区 is no venue.
    assert not assistant.ask("科技创新半年度工作会议在哪里召开?").found


def test_a_figure_of_this_year_does_not_answer_for_a_named_year(assistant):
    # The page says 今年以来 / 上半年 and carries no date: 2022年 cannot be told from them.
    assert not assistant.ask("2022年申报了多少家高企?").found
    assert assistant.ask("上半年申报了多少家高企?").short == "356家"


def test_a_scope_word_answers_no_where_question(assistant):
    # The report never says where the meeting was held; the reader's likeliest span was 全区.
    answer = assistant.ask("科技创新会议在哪里召开?")
    assert not answer.found and answer.short != "全区", (answer.short, answer.confidence)
    # Nor is a time (下半年, or 23年 cut from 2023年) an answer to where.
    answer = assistant.ask("科技创新半年度工作会议在哪开的?")
    assert not answer.found and answer.short not in ("下半年", "23年", "2023年"), (answer.short, answer.confidence)


def test_number_questions_get_a_quantity_in_the_unit_they_ask_for(assistant):
    # The reader's likeliest spans name the institute; the amount (in 元) is further down its list.
    draft = assistant.draft("南京大学那个研究院一共要花多少钱?")
    assert draft.best.answer.of(draft.best.chunk.text) == "约为4.15亿元"  # the article's 约 stays
    # 几项 counts indicators although the question also says 增速; the unit stays on the number.
    assert assistant.ask("阜宁有几项指标增速排名全市前五?").short == "12项"
    # The money is not in the article: a floor area is no answer to 多少钱.
    invested = assistant.ask("滨湖集团为滨湖文隽企业服务中心投资了多少钱?")
    assert "平方米" not in invested.short and not invested.found
    # Nor is a span without any number (建筑面积) an answer to 多少钱.
    total = assistant.draft("滨湖文隽企业服务中心总投资多少钱?")
    assert not _offered(total) or any(ch.isdigit() for ch in _offered(total))


def test_a_who_question_prefers_a_name_to_a_likelier_span_that_is_none(assistant):
    # Another passage's 全区 has the larger reader margin; the question asks for a person.
    draft = assistant.draft("哪位区领导参加了科技创新半年度工作会议?")
    assert draft.best.answer.of(draft.best.chunk.text) == "王栋"


def test_a_question_about_another_phase_is_refused_and_its_own_phase_answered(assistant):
    # The seed names only the 一期项目: its sentence is no answer about the 二期.
    other = assistant.ask("长三角青年创新创业港二期项目什么时候开工?")
    assert not other.found, other.text
    own = assistant.ask("长三角青年创新创业港一期项目位于哪个镇?")
    assert own.found and "嘉泽镇" in own.short, own.text


def test_the_date_of_one_stage_does_not_answer_another(assistant):
    # The page says the 研究院 is being built and 预计下月改建完成: when it will be finished, not when work began.
    assert not assistant.ask("武进南京大学未来技术创新研究院是什么时候开工的?").found
    finished = assistant.ask("研究院什么时候改建完成?")
    assert finished.found and finished.short == "下月", finished.text
    started = assistant.ask("滨湖文隽企业服务中心项目什么时候启动的?")
    assert started.found and started.short == "2021年6月", started.text


def test_a_thing_the_articles_name_is_not_answered_from_a_report_on_another(assistant):
    # 烯望创智港 is named only in the 石墨烯小镇 report, which gives its floor space, not its 占地:
    # the 滨湖文隽 report's 占地约5000平方米 is another building's.
    other = assistant.draft("烯望创智港占地多少平方米?")
    assert "5000" not in _offered(other)
    # Its own report does not say when it opens: a doubted 12万平方米 is no time.
    assert not assistant.ask("烯望创智港什么时候开业?").found
    own = assistant.ask("烯望创智港的总建筑面积是多少?")
    assert own.found and own.short == "12万平方米", own.text


@AVERAGED_READER
def test_a_things_floor_space_is_not_answered_by_its_towns_planned_area(assistant):
    # The 石墨烯小镇 report gives the town's 规划用地322平方公里 and the 烯望创智港's floor space, not its 占地.
    assert not assistant.ask("烯望创智港占地多少平方米?").found


def test_highlight_is_the_exact_answering_sentence(assistant):
    answer = assistant.ask("滨湖文隽企业服务中心的建筑面积是多少?")
    assert isinstance(answer, Answer) and answer.found
    assert answer.text.endswith("[1]") and answer.quote in answer.text
    top = answer.sources[0]
    assert top.number == 1 and top.highlights
    (start, end), = top.highlights
    sentence = top.text[start:end]
    assert sentence == "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。"
    assert answer.quote in sentence
    # Other sources carry no highlight; sources are numbered in order.
    assert [s.number for s in answer.sources] == list(range(1, len(answer.sources) + 1))
    assert all(not s.highlights for s in answer.sources[1:])


@pytest.mark.slow  # a whole-set quality gate: scripts/test runs it, --fast leaves it out
def test_every_dev_highlight_holds_the_quote(assistant, dev_items):
    found = [answer for answer in (assistant.ask(item["question"]) for item in dev_items) if answer.found]
    assert len(found) >= len([i for i in dev_items if i["gold"] is not None]) * 0.9  # never vacuous
    for answer in found:
        source = answer.sources[0]
        spans = [source.text[a:b] for a, b in source.highlights]
        assert spans and any(answer.quote in s for s in spans), (answer.question, answer.quote, spans)


def test_refusal_says_so_and_offers_related_reading(assistant):
    answer = assistant.ask("石墨烯小镇的门票多少钱?")
    assert not answer.found
    assert answer.text.startswith("文章中没有找到")
    assert "常州石墨烯小镇再获“金字招牌”" in answer.text
    assert answer.sources and all(not s.highlights for s in answer.sources)
    assert 0 <= answer.confidence < assistant.params.threshold
    # Only reports whose passage scores at least half the best one's are offered as related reading.
    for title in {s.title for s in answer.sources if "《%s》" % s.title in answer.text}:
        assert max(s.score for s in answer.sources if s.title == title) >= 0.5 * answer.sources[0].score, title


def test_follow_up_uses_the_earlier_subject(assistant):
    first = assistant.ask("滨湖文隽企业服务中心的建筑面积是多少?")
    follow = assistant.ask("那它的占地面积呢?", history=[("滨湖文隽企业服务中心的建筑面积是多少?", first)])
    assert follow.found and "5000平方米" in follow.text
    assert "滨湖文隽企业服务中心" in follow.standalone_question
    assert follow.sources[0].article_id == first.sources[0].article_id


def test_a_follow_up_opening_with_a_demonstrative_is_answered(assistant):
    first = assistant.ask("滨湖文隽企业服务中心由谁投资?")
    follow = assistant.ask("那个中心的建筑面积是多少?", history=[first])  # 那个: it raised AttributeError
    assert follow.found and "滨湖文隽企业服务中心" in follow.standalone_question


def test_follow_up_history_as_chat_messages(assistant):
    history = [{"role": "user", "content": "滨湖文隽企业服务中心的建筑面积是多少?"},
               {"role": "assistant", "content": "“…建筑面积1.8万平方米”[1]"}]
    follow = assistant.ask("那它的占地面积呢?", history=history)
    assert "5000平方米" in follow.text


def test_a_question_naming_its_own_subject_is_not_overridden(assistant):
    history = [("滨湖文隽企业服务中心的建筑面积是多少?", None)]
    answer = assistant.ask("常州石墨烯小镇规划用地多少?", history=history)
    assert answer.standalone_question == "常州石墨烯小镇规划用地多少?"
    assert "322平方公里" in answer.text


def test_elliptic_follow_up_with_a_new_subject(assistant):
    history = [("石墨烯小镇集聚了多少家石墨烯相关企业?", None)]
    answer = assistant.ask("那滨湖文隽企业服务中心呢?", history=history)
    assert answer.standalone_question.startswith("滨湖文隽企业服务中心")


def test_an_elliptic_follow_up_about_another_attribute_drops_the_earlier_measure_word(assistant):
    first = assistant.ask("石墨烯小镇入驻企业有多少家?")
    answer = assistant.ask("那产业类投资呢?", history=[("石墨烯小镇入驻企业有多少家?", first)])
    assert "家" not in answer.standalone_question.split("产业类投资")[-1], answer.standalone_question
    assert answer.found and answer.short == "55.89亿元", (answer.short, answer.standalone_question)


def test_a_follow_up_about_another_attribute_drops_the_earlier_one_from_the_subject(assistant):
    first_question = "武进南京大学未来技术创新研究院总投资是多少?"  # no 的: its subject ends in 总投资
    first = assistant.ask(first_question)
    answer = assistant.ask("那装修改造的既有建筑有多大呢?", history=[(first_question, first)])
    assert "总投资" not in answer.standalone_question, answer.standalone_question
    assert answer.found and answer.short == "约5.43万平方米", (answer.short, answer.standalone_question)


def test_empty_and_huge_questions(assistant):
    with pytest.raises(QuestionError, match="empty"):
        assistant.ask("  ")
    start = time.monotonic()
    with pytest.raises(QuestionError, match="too long"):
        assistant.ask("滨湖" * 25_000)
    assert time.monotonic() - start < 5


def test_answer_to_dict_is_json_ready(assistant):
    import json

    data = assistant.ask("阜宁县委书记是谁?").to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert "张利华" in text and data["sources"][0]["highlights"]


def _with_article(seeds, index_dir, embedder, name: str, text: str):
    """An assistant over the seed page plus one more article."""
    from qa import Assistant, Retriever
    from qa.index.build import build_index

    (seeds / name).write_text(text, encoding="utf-8")
    build_index(seeds, index_dir, embedder)
    return Assistant.load(retriever=Retriever.load(index_dir, embedder=embedder))


def test_a_question_naming_a_person_is_answered_only_from_an_article_naming_them(seeds_copy, tmp_path, embedder):
    """Beside the seed page, a report on another man's degree: 乔俊杰's is not in the articles."""
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "alumni.txt",
                              "校友会换届\n\n本报讯 (记者 李小明) 昨天,市大学校友会举行换届大会,会长张建国毕业于南京大学"
                              "化学系,此后一直在本市从事新材料研究。\n")
    assert assistant.ask("张建国毕业于哪所大学?").short == "南京大学"
    other = assistant.ask("乔俊杰毕业于哪所大学?")
    assert not other.found and "南京大学" not in other.short


def test_a_when_question_is_answered_by_a_time_not_by_words_near_the_event(seeds_copy, tmp_path, embedder):
    """The event asked about (事故发生) is also written beside a distance: the time answers 几点, not 10米远
    (a try-out's question over an article no rule was written for)."""
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "collapse.txt",
                              "工地龙门架倒塌砸中工棚\n\n本报讯 (记者 李小明) 昨日清晨5时40分许,东城区一处工地的龙门架被大风"
                              "吹倒,砸中工人居住的工棚。\n\n钢筋工王强所住的工棚,离事故发生的工棚大概有10米远,他说当时听到"
                              "一声巨响。\n")
    answer = assistant.ask("事故大概是几点发生的?")
    assert "10米" not in answer.short
    assert not answer.found or "5时40分" in answer.short


_RESTAURANT = ("老街餐馆人气旺\n\n本报讯 (记者 李小明) 近日,老街的德兴餐馆迎来开业十周年,餐馆的招牌菜是红烧狮子头,"
               "每天售出两百多份,不少市民专程前来品尝。\n")


def test_a_restaurants_dish_is_answered_from_its_report(seeds_copy, tmp_path, embedder):
    """Beside the seed page, a report on one restaurant: its signature dish is answered from it."""
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "restaurant.txt", _RESTAURANT)
    assert "红烧狮子头" in assistant.ask("德兴餐馆的招牌菜是什么?").short


@AVERAGED_READER
def test_another_restaurants_dish_is_not_answered_from_this_ones_report(seeds_copy, tmp_path, embedder):
    """Another restaurant's signature dish is not in the articles."""
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "restaurant.txt", _RESTAURANT)
    other = assistant.ask("金桂餐厅的招牌菜是什么?")
    assert not other.found and "红烧狮子头" not in other.short


def test_who_wrote_a_book_is_answered_from_the_text_not_by_the_byline(seeds_copy, tmp_path, embedder):
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "books.txt",
                              "运河题材新书首发\n\n本报讯 (记者 李小明) 昨天,长篇小说《运河人家》在区图书馆首发,"
                              "《运河人家》的作者王秋生是土生土长的武进人,他用五年时间写成这部作品。\n")
    answer = assistant.ask("《运河人家》的作者是谁?")
    assert answer.found and answer.short == "王秋生", answer.short
    assert "李小明" in assistant.ask("运河人家新书首发的报道是谁写的?").short


def test_a_phone_number_is_answered_by_digits_only(seeds_copy, tmp_path, embedder):
    """电话号码是多少 takes the number written as digits; a report without one has no answer to it."""
    assistant = _with_article(seeds_copy, tmp_path / "index", embedder, "hotline.txt",
                              "便民热线开通\n\n本报讯 (记者 李小明) 昨天,区政务服务中心便民服务热线正式开通,"
                              "市民办理业务前可拨打咨询电话0519-86311234了解所需材料,热线每天受理约300个来电。\n")
    answer = assistant.ask("区政务服务中心的咨询电话是多少?")
    assert answer.found and "0519-86311234" in answer.short, answer.text
    refused = assistant.ask("滨湖文隽企业服务中心的电话号码是多少?")
    assert not refused.found and "5000" not in refused.short, refused.text


@REGRESSED
def test_the_things_listed_beside_a_company_do_not_describe_it(assistant):
    # 当天…前往阜宁协鑫光伏科技有限公司、七彩阜宁农业公园、汇创新能源科技(阜宁)有限公司等地考察交流:
    # the seed says nothing of what these companies make.
    for question in ("阜宁协鑫光伏科技有限公司是做什么的?", "汇创新能源科技(阜宁)有限公司主要生产什么产品?"):
        answer = assistant.ask(question)
        assert not answer.found, answer.text
        draft = assistant.draft(question)
        short = draft.best.answer.of(draft.best.chunk.text) if draft.best else ""
        assert not any(piece in short for piece in ("七彩", "汇创", "光伏")), short


def test_an_enumeration_sibling_and_a_piece_of_another_name_are_no_answer():
    from qa.answer.checks import in_another_company, listed_beside
    from qa.core.text import Span

    text = "当天,一行先后前往阜宁协鑫光伏科技有限公司、七彩阜宁农业公园、汇创新能源科技(阜宁)有限公司等地考察交流"
    park = Span(text.index("七彩"), text.index("七彩") + len("七彩阜宁农业公园"))
    assert listed_beside("阜宁协鑫光伏科技", text, park)
    assert not listed_beside("乔俊杰", text, park)
    made = "阜宁协鑫光伏科技有限公司主要生产光伏组件、逆变器"
    assert not listed_beside("阜宁协鑫光伏科技", made, Span(made.index("光伏组件"), len(made)))
    solar = Span(text.index("光伏"), text.index("光伏") + 2)
    assert in_another_company("汇创新能源科技(阜宁)有限公司主要生产什么产品?", text, solar)
    assert not in_another_company("阜宁协鑫光伏科技有限公司主要生产什么产品?", text, solar)



def test_an_enumeration_keeps_the_items_the_span_left_out():
    from qa.answer.checks import enumeration_clause
    from qa.core.text import Span

    def grown(text, span_text):
        start = text.index(span_text)
        return enumeration_clause(text, Span(start, start + len(span_text))).of(text)

    # The item before the span's first 、, and one joined after its last.
    assert grown("其根可入药,主治感冒发热、疟疾、痢疾、蛇虫咬伤等症;近用于乳糜尿", "疟疾、痢疾、蛇虫咬伤等症") \
        == "主治感冒发热、疟疾、痢疾、蛇虫咬伤等症"
    assert grown("症状包括痢疾、腹泻、腹痛、以及阿米巴瘤。阿米巴能穿过肠壁", "痢疾、腹泻、腹痛") == "痢疾、腹泻、腹痛、以及阿米巴瘤"
    # A whole enumeration keeps its own edges (no verb before it, no predicate after it); a pair stays.
    whole = "于是便与名模孟广美、倪雅伦、赖雅妍等人开始了模特儿的工作"
    assert grown(whole, "孟广美、倪雅伦、赖雅妍等人") == "孟广美、倪雅伦、赖雅妍等人"
    assert grown("武进区人社局与阜宁县人社局签订协议", "武进区人社局与阜宁县人社局") == "武进区人社局与阜宁县人社局"


def test_a_count_of_one_kind_of_thing_does_not_answer_for_another(assistant):
    # The page counts 石墨烯相关企业 (180家) and 入驻企业 (超过200家); it never counts listed or high-tech companies.
    for question in ("常州石墨烯小镇有多少家上市公司?", "石墨烯小镇有多少家高新技术企业?"):
        draft = assistant.draft(question)
        assert "180" not in _offered(draft), question
        assert not assistant.ask(question).found
    answer = assistant.ask("石墨烯小镇集聚了多少家石墨烯企业?")
    assert answer.found and answer.short == "180家"


def test_the_thing_counted_may_be_named_by_its_abbreviation():
    from qa.answer.checks import counts_another
    from qa.core.text import Span

    text = "跑出高企培育加速度,目前已申报两批高企共356家;积极推进重点项目工作。"
    count = Span(text.index("356家"), text.index("356家") + 4)
    assert not counts_another("全区申报了多少家高新技术企业?", text, count)  # 高企
    assert counts_another("全区有多少家上市公司?", text, count)
    assert not counts_another("全区申报了多少家企业?", text, count)  # a generic head names no kind
    assert not counts_another("有多少人参加?", text, count)


def test_a_count_of_all_of_a_kind_does_not_answer_for_a_qualified_part():
    from qa.answer.checks import counts_another
    from qa.core.text import Span

    text = "“五一”假期三天广东共接待游客1442万人次,同比增长11.9%。"
    count = Span(text.index("1442"), text.index("人次") + 2)
    assert counts_another("五一假期广东接待境外游客多少人次?", text, count)  # 境外 is never said
    assert not counts_another("五一假期广东接待游客多少人次?", text, count)
    assert not counts_another("五一假期广东共接待了多少人次?", text, count)
    # the thing counted follows the question word (几位班主任): what comes before it is the owner
    text = "高一年级15位班主任带来诚挚寄语。"
    count = Span(text.index("15位"), text.index("15位") + 3)
    assert not counts_another("庐阳高中高一有几位班主任在励志大会上送了寄语?", text, count)


@pytest.mark.parametrize("question, statement, term", [
    ("什么是特色小镇?", True, "特色小镇"), ("特色小镇是什么?", True, "特色小镇"), ("“一轴”指的是什么?", True, "一轴"),
    ("这句话是什么意思?", True, "这句话"), ("武进区党政代表团到阜宁做了什么?", True, ""),
    ("石墨烯小镇有什么变化?", True, ""),
    # An attribute, a role or a number stays short.
    ("滨湖集团的全称叫什么?", False, ""), ("乔俊杰是什么职务?", False, ""), ("石墨烯小镇的营收是多少?", False, ""),
])
def test_definitions_and_deeds_ask_for_a_statement(question, statement, term):
    from qa.answer.question import analyse

    parsed = analyse(question)
    assert parsed.asks_statement == statement and parsed.defined_term == term


def test_a_definition_is_answered_by_the_sentence_that_gives_it(assistant):
    # The page names 特色小镇 in several sentences; one of them says what it is.
    answer = assistant.ask("什么是特色小镇?")
    assert answer.found and answer.short.startswith("特色小镇是集特色产业"), answer.short
    source = answer.sources[0]
    start, end = source.answer_span
    assert source.text[start:end] == answer.short and answer.short in answer.text


def test_a_sentence_defines_a_term_when_the_term_is_its_subject():
    from qa.answer.checks import defines
    from qa.core.text import Span

    text = "五月艾(学名:Artemisia indica)是菊科蒿属的植物。特色小镇的发展典范。"
    first, second = Span(0, 5), Span(text.index("特色"), len(text))
    assert defines("五月艾", text, first) and not defines("特色小镇", text, second)
    assert not defines("", text, first)


def test_a_count_answers_no_which_question(assistant):
    draft = assistant.draft("江苏首批省级特色小镇除了常州石墨烯小镇还有哪些?")
    assert _offered(draft) != "20家"


def test_everyday_money_words_and_the_part_of_the_day(assistant):
    """赚了多少钱 is read in the passage's 营业收入; 什么时段 wants 下午, not 下半年."""
    earned = assistant.ask("石墨烯小镇去年赚了多少钱?")
    assert earned.found and "50亿" in earned.short, earned.short
    assert not assistant.ask("滨湖文隽企业服务中心花了多少钱?").found  # the page gives no amount
    when = assistant.ask("全区科技创新半年度工作会议是什么时段开的?")
    assert when.found and "下午" in when.short, when.short

"""How much of the passage is the short answer: a span for facts, the clause for reasons and features (issue 12)."""

from __future__ import annotations

import pytest

from qa.answer.question import analyse
from qa.answer.quoting import (
    clause_and_next,
    clause_around,
    sentence_around,
    standing_near,
    trim_span,
)
from qa.core.text import Span

TEXT = "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果。它原产于非洲。"


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def test_the_clause_around_a_span_stops_at_commas_and_sentence_ends():
    inside = _span(TEXT, "菠菜")
    assert clause_around(TEXT, inside).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上"
    assert sentence_around(TEXT, inside).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果。"
    across = Span(inside.start, _span(TEXT, "笨蛋").end)  # a span over two clauses keeps both, trimmed
    assert clause_around(TEXT, across).of(TEXT) == "猴面包树的果实钙含量比菠菜高50％以上,因此它有时也被称为笨蛋水果"


def test_trim_span_drops_punctuation_at_the_edges_only():
    text = "“1.8万平方米”,"
    assert trim_span(text, Span(0, len(text))).of(text) == "1.8万平方米"


@pytest.mark.parametrize("question, describes", [
    ("为什么称猴面包树为笨蛋水果?", True),
    ("结对合作共建对实现共同富裕有什么意义?", True),
    ("六耳铃的上部叶有什么特点?", True),
    ("阜宁在2022年全市综合考核中表现如何?", False),  # answered by 稳步进位, not by the whole clause
    ("滨湖文隽企业服务中心的建筑面积是多少?", False),
    ("武进区区长是谁?", False),
    ("为什么的作者是谁?", False),  # an author question stays one, whatever its words
    ("如何得到较纯的次磷酸溶液?", True),  # the manner
    ("弗里西亚群岛是怎么形成的?", True),
    ("乔俊杰提出要积极探索什么样的合作新模式?", False),  # a modifier (利益共享), not a clause
    ("生命数耗完即算为什么?", False),  # "counted as what": a name
    ("丙烯颜料有毒吗?", True),  # yes or no: the clause that says so
    ("服务中心改造之前有没有去听听企业的意见?", True),
])
def test_questions_that_ask_for_a_reason_or_a_feature(question, describes):
    assert analyse(question).describes is describes


@pytest.mark.parametrize("text, cut, whole", [
    ("建筑面积1.8万平方米,由滨湖集团投资", (4, 7), "1.8万平方米"),
    ("建筑面积1.8万平方米,由滨湖集团投资", (4, 5), "1.8万平方米"),
    ("阜宁有12项增速排名全市前五", (3, 5), "12项"),
    ("两地合作对接15批次", (6, 8), "15批次"),
    ("于2021年6月正式启动", (1, 7), "2021年6月"),
    ("增长12.5%,高于全省", (2, 6), "12.5%"),
    ("老区人民112万", (4, 7), "112万"),
    ("共12。此外", (1, 3), "12"),  # a full stop after the number is not a decimal point
    ("滨湖集团投资", (0, 4), "滨湖集团"),  # not a number: unchanged
    ("EXILE的第15张单曲", (7, 10), "第15张"),  # an ordinal keeps its 第
    ("第八次全省特色小镇", (1, 3), "第八次"),
])
def test_a_span_cut_inside_a_quantity_grows_to_the_whole_quantity(text, cut, whole):
    from qa.answer.quoting import complete_quantity

    assert complete_quantity(text, Span(*cut)).of(text) == whole


@pytest.mark.parametrize("question, aside", [
    ("江苏首批省级特色小镇除了常州石墨烯小镇还有哪些?", "常州石墨烯小镇"),
    ("除了乔俊杰以外,还有谁参加了?", "乔俊杰"),
    ("除此之外还有什么?", ""),
    ("常州石墨烯小镇有哪些企业?", ""),
])
def test_what_a_question_puts_aside(question, aside):
    from qa.answer.question import excluded

    assert excluded(question) == aside


@pytest.mark.parametrize("answer, unit, conflict", [
    ("1.8万平方米", "元", True),  # 投资了多少钱 answered by a floor area
    ("5000平方米", "层", True),
    ("12个", "元", True),
    ("4.15亿元", "元", False),
    ("4.15亿", "元", False),  # no unit written: no conflict
    ("112万老区人民", "人", False),
    ("2021年6月", "年", True),  # 工作多少年 is a length of time, not a calendar date
    ("3年", "年", False),
    ("十余年", "年", False),
    ("约3分钟", "年", False),  # 多久 is answered in minutes, hours or seconds too
    ("3个小时", "年", False),
    ("3分钟", "元", True),
    ("5000亩", "平方", False),  # mu is an area too
    ("三成", "%", False),
    ("200家,集聚石墨烯相关企业180", "家", False),
    ("滨湖集团", "元", False),  # no quantity at all
    ("1.8万平方米", "", False),  # the question names no unit
])
def test_a_quantity_of_another_kind_than_the_question_wants_conflicts(answer, unit, conflict):
    from qa.answer.entities import unit_conflict

    assert unit_conflict(answer, unit) is conflict


@pytest.mark.parametrize("text, question, cut, shaped", [
    ("滨湖文隽企业服务中心占地约5000平方米", "", "5000", "约5000平方米"),
    ("武进直采阜宁农产品近200万元", "武进直采了多少阜宁农产品?", "200万元", "近200万元"),
    ("今年以来各类培训超过390人次", "各类培训超过多少人次?", "390", "390人次"),  # the question says 超过
    ("婚礼耗资5亿日圆", "", "5亿日", "5亿日圆"),
    ("该作品由DC漫画公司的编辑出版", "", "DC漫画公司的", "DC漫画公司"),
    ("由于的中国铌业投资控股有限公司收购", "", "的中国铌业投资控股有限公司", "中国铌业投资控股有限公司"),
    ("为了这个目的", "", "目的", "目的"),  # 目的 is a word, not a particle
    ("他坐的士回家", "", "的士", "的士"),
])
def test_a_span_keeps_its_hedge_and_loses_a_particle_standing_alone(text, question, cut, shaped):
    from qa.answer.quoting import complete_quantity

    start = text.index(cut)
    assert complete_quantity(text, trim_span(text, Span(start, start + len(cut))), question).of(text) == shaped


@pytest.mark.parametrize("text, cut, whole", [
    ("生长于海拔200米至2,300米的地区", "200米", "200米至2,300米"),  # half a range is no answer
    ("生长于海拔200米至2,300米的地区", "2,300米", "200米至2,300米"),
    ("非洲猴面包树的果实长约15至20厘米。", "15", "约15至20厘米"),
    ("1969年9月至1970年4月任陆军团司令部作训股参谋", "1970年4月", "1969年9月至1970年4月"),
    ("成立时最初的注册资本为30亿越南盾", "30亿", "30亿越南盾"),
    ("城乡居民收入比由2.37∶1缩小至2.33∶1", "2.33", "2.33"),
    ("占比由5%增长至8%", "8%", "8%"),  # a change, not a range
    ("总投资5亿元、总建筑面积12万平方米", "5亿元", "5亿元"),
    ("2023年全区科技创新半年度工作会议", "23年", "2023年"),  # nor is a number cut at its start
])
def test_a_range_is_answered_whole(text, cut, whole):
    from qa.answer.quoting import complete_quantity

    start = text.index(cut)
    assert complete_quantity(text, Span(start, start + len(cut))).of(text) == whole


@pytest.mark.parametrize("text, unit, narrowed", [
    ("研究院是区重点项目,目前正在加快建设。据悉,该项目总投资约为4.15亿元", "元", "约为4.15亿元"),
    ("建筑面积1.8万平方米,总投资5亿元", "平方", "1.8万平方米"),
    ("成为第八次全省特色小镇建设工作推进会", "次", "第八次"),
    ("两批高企共356家", "家", "356家"),
    ("建筑面积1.8万平方米", "层", "建筑面积1.8万平方米"),  # no quantity in that unit: unchanged
])
def test_a_long_span_holding_the_wanted_quantity_narrows_to_it(text, unit, narrowed):
    from qa.answer.quoting import narrow_to_quantity

    assert narrow_to_quantity(text, Span(0, len(text)), unit).of(text) == narrowed


@pytest.mark.parametrize("text, cut, whole", [
    ("于2021年6月正式启动", (1, 6), "2021年6月"),
    ("于2021年6月15日正式启动", (1, 6), "2021年6月15日"),
    ("6月15日开业", (0, 2), "6月15日"),
    ("2021年起步", (0, 5), "2021年"),  # nothing after the year: unchanged
    ("于1984年10月7日至1985年9月29日播出", (9, 22), "1984年10月7日至1985年9月29日"),  # started after the month
    ("2023年6月30日开业", (7, 10), "2023年6月30日"),
    ("第12届大会", (1, 4), "12届"),  # no date before it: unchanged
    ("于是就在今年4月底租下仓库", (6, 9), "4月底"),  # 今年 / 去年 stay out, as people write the date back
    ("拍摄已经在2015年年中结束", (5, 11), "2015年年中"),  # a part of the year (was cut to 2015年年)
    ("拍摄已经在2015年年中结束", (5, 10), "2015年年中"),
    ("工程于2019年底完工", (3, 8), "2019年底"),
    ("2015年中国经济增长", (0, 5), "2015年"),  # 年中 only after 年年: 中国 is no part of the year
])
def test_a_date_cut_at_its_year_or_month_grows_to_the_whole_date(text, cut, whole):
    from qa.answer.quoting import complete_date

    assert complete_date(text, Span(*cut)).of(text) == whole


@pytest.mark.parametrize("text, year, dated", [
    ("在永禄5年 （1562年）元服", "1562年", "永禄5年 （1562年）"),
    ("李日华生于明世宗嘉靖四十四年（1565年），幼时聪敏", "1565年", "嘉靖四十四年（1565年）"),
    ("承光元年（577年）被释放", "577年", "承光元年（577年）"),
    ("今年（2023年）计划开工", "2023年", "2023年"),  # 今年 is no reign year
    ("1993年（民国82年）1月24日", "1993年", "1993年"),  # the gloss after the year: unchanged
])
def test_a_calendar_year_glossing_a_reign_year_takes_the_reign_year(text, year, dated):
    from qa.answer.quoting import with_reign_year

    start = text.index(year)
    assert with_reign_year(text, Span(start, start + len(year))).of(text) == dated


@pytest.mark.parametrize("text, cut, whole", [
    ("在中国境内,分布于广东、广西、贵州、四川南部、中南半岛及云南的南部,亦为香港原生植物",
     (9, 22), "广东、广西、贵州、四川南部、中南半岛及云南的南部"),  # the reader's first four places
    ("分布在亚洲、美洲、欧洲以及中国大陆的华南等地", (3, 5), "亚洲、美洲、欧洲以及中国大陆的华南等地"),
    ("尤金袋鼠分布在澳洲南部岛屿及西岸地区", (7, 13), "澳洲南部岛屿及西岸地区"),  # joined without a 、
    ("集餐饮、宴会、会务、住宿及配套服务于一体", (4, 6), "餐饮、宴会、会务、住宿及配套服务"),
    ("滨湖集团于2021年6月正式启动项目", (0, 4), "滨湖集团"),  # no enumeration: unchanged
    ("现场,武进区人社局与阜宁县人社局签订专项合作协议。", (10, 16), "武进区人社局与阜宁县人社局"),  # the side before
    ("重点推进我区与华中科大、南航、南医大等校地合作", (7, 18), "华中科大、南航、南医大"),  # 推进我区 is no item
    ("积极推进我区与阜宁合作", (7, 9), "阜宁"),  # a predicate before 与 is no item
])
def test_a_span_inside_an_enumeration_grows_to_every_item(text, cut, whole):
    from qa.answer.quoting import complete_enumeration

    assert complete_enumeration(text, Span(*cut)).of(text) == whole


@pytest.mark.parametrize("question, sentence, conflict", [
    ("长三角青年创新创业港二期项目什么时候开工?", "长三角青年创新创业港一期项目是区重点项目,预计下月改建完成", True),
    ("长三角青年创新创业港一期项目位于哪个镇?", "位于嘉泽镇的长三角青年创新创业港一期项目", False),
    ("第九次全省特色小镇建设工作推进会在哪里举行?", "第八次全省特色小镇建设工作推进会在南京举行", True),
    ("授牌仪式是和第几次推进会一起举行的?", "第八次全省特色小镇建设工作推进会", False),  # asks which one
    ("下半年科技系统要做哪几方面工作?", "上半年,全区科技创新呈现良好态势", True),
    ("下半年科技系统要做哪几方面工作?", "下半年,全区科技系统将重点做好六方面工作", False),
    ("二季度居民人均消费支出是多少?", "第一季度,泉州居民人均消费支出8000元", True),
    ("五一期间广东有哪些新业态表现抢眼?", "长三角青年创新创业港一期项目", False),  # 期间 is no phase
    ("石墨烯小镇的营业收入是多少?", "上半年营业收入超过50亿元", False),  # the question names no half
    ("常州石墨烯小镇今年上半年的营业收入是多少?", "去年,小镇实现营业收入超过50亿元", True),
    ("石墨烯小镇去年营收多少?", "去年,小镇实现营业收入超过50亿元", False),
    ("今年营收增长多少?", "今年营收12亿元,比去年同期增长8%", False),  # names both years
    ("石墨烯小镇2019年完成投资多少?", "常州石墨烯小镇于2017年入选全省第一批省级特色小镇创建名单", True),
    ("石墨烯小镇2017年入选了什么名单?", "常州石墨烯小镇于2017年入选全省第一批省级特色小镇创建名单", False),
    ("2019年的营收是多少?", "2017年至2019年营收累计100亿元", False),
    ("石墨烯小镇2019年完成投资多少?", "创建以来,常州石墨烯小镇完成投资65.26亿元", True),  # a total since founding
    ("石墨烯小镇去年完成投资多少?", "创建以来,常州石墨烯小镇完成投资65.26亿元", True),
    ("石墨烯小镇完成投资多少?", "创建以来,常州石墨烯小镇完成投资65.26亿元", False),
    ("今年完成投资多少?", "截至6月底,完成投资17.17亿元", False),  # a date this year, not a total
    ("石墨烯小镇累计投资多少?", "创建以来,常州石墨烯小镇完成投资65.26亿元", False),  # both totals
])
def test_a_sentence_about_another_phase_ordinal_or_half_year_cannot_answer(question, sentence, conflict):
    from qa.answer.qualifiers import qualifier_conflict

    assert qualifier_conflict(question, sentence) is conflict


@pytest.mark.parametrize("question, statement, conflict", [
    ("研究院是什么时候开工的?", "目前正在加快建设,预计下月改建完成", True),
    ("研究院什么时候建成?", "目前正在加快建设,预计下月改建完成", False),
    ("服务中心什么时候投入使用?", "滨湖集团于2021年6月正式启动滨湖文隽企业服务中心项目", True),
    ("服务中心什么时候投入使用?", "2021年6月启动,今年投入使用", False),  # names both
    ("项目什么时候启动?", "该项目总投资约为4.15亿元", False),  # names no stage
])
def test_the_date_of_one_stage_does_not_answer_another(question, statement, conflict):
    from qa.answer.qualifiers import stage_conflict

    assert stage_conflict(question, statement) is conflict


def test_a_figure_of_an_unknown_year_does_not_answer_for_a_named_year():
    from qa.answer.qualifiers import in_context, qualifier_conflict

    opened = in_context("上半年,全区科技系统扎实推进各项工作。目前已申报两批高企共356家。", "目前已申报两批高企共356家。")
    assert opened.startswith("上半年")  # the paragraph's opening time dates the sentence
    assert qualifier_conflict("2022年申报了多少家高企?", opened, amounts=True)  # the page carries no date
    assert not qualifier_conflict("2022年申报了多少家高企?", opened)  # only amounts are held to it
    assert not qualifier_conflict("2022年营收多少?", "2022年营收12亿元,今年有望翻番", amounts=True)
    assert qualifier_conflict("去年申报了多少家高企?", opened)  # a half without a year is this year's
    assert not qualifier_conflict("上半年申报了多少家高企?", opened)


@pytest.mark.parametrize("question, clause, fit", [
    ("一季度泉州城镇居民人均可支配收入是多少?", "全市城镇居民人均可支配收入13151元", 1),
    ("一季度泉州城镇居民人均可支配收入是多少?", "农村居民人均可支配收入5651元", -1),
    ("一季度泉州城镇居民人均可支配收入是多少?", "全市居民人均可支配收入10308元", 0),
    ("女子组指定演唱的是哪首歌?", "男子组指定演唱《童话》", -1),
    ("女子组指定演唱的是哪首歌?", "女子组指定演唱《遗失的美好》", 1),
    ("境外游客有多少?", "共接待游客1442万人次", 0),
    ("二期项目什么时候开工?", "一期项目于去年开工", -1),  # phases and times veto, never favour
    ("二期项目什么时候开工?", "二期项目将于明年开工", 0),
    ("男女比例是多少?", "男性占52%", 0),  # 男女 names no side
    ("烯望创智港占地多少平方米?", "总建筑面积12万平方米的烯望创智港项目建设", -1),  # another attribute
    ("滨湖文隽企业服务中心占地多少?", "滨湖文隽企业服务中心占地约5000平方米", 0),  # attributes only veto
])
def test_a_clause_on_the_asked_side_of_a_contrast_is_preferred(question, clause, fit):
    from qa.answer.qualifiers import clause_fit

    assert clause_fit(question, clause) == fit


@pytest.mark.parametrize("question, owner", [
    ("阳湖餐厅的招牌菜是什么?", "阳湖餐厅"),
    ("阳湖餐厅有什么招牌菜?", "阳湖餐厅"),  # X有什么Y names its owner as X的Y does
    ("石墨烯小镇有多少名员工?", "石墨烯小镇"),
    ("北京今天的天气怎么样?", "北京"),  # the time is no part of the name
    ("滨湖文隽企业服务中心的建筑面积是多少?", "滨湖文隽企业服务中心"),
    ("乔俊杰一行考察的农业公园叫什么名字?", ""),  # a clause, not a name, before 的
    ("南京大学那个研究院的总投资是多少?", ""),  # a demonstrative
    ("今年的营业收入是多少?", ""),
])
def test_the_named_owner_a_question_opens_with(question, owner):
    from qa.answer.question import possessor

    assert possessor(question) == owner


@pytest.mark.parametrize("text, cut, unit, dated", [
    # 什么时候…举行: the reader pointed at the place; the sentence's date answers.
    ("近日,第八次全省特色小镇建设工作推进会暨第一批省级特色小镇授牌仪式在南京举行。", "南京", "", "近日"),
    # 哪天: a year alone names no day; the day in the same sentence does.
    ("昨天下午,2023年全区科技创新半年度工作会议暨作风建设推进会召开。", "2023年", "日", "昨天下午"),
    ("2021年6月15日,项目在嘉泽镇正式启动。", "嘉泽镇", "", "2021年6月15日"),
    ("项目在嘉泽镇启动。2021年6月,又在湖塘镇开工。", "嘉泽镇", "", None),  # another sentence's date
])
def test_a_date_question_takes_the_date_of_the_sentence_the_reader_pointed_at(text, cut, unit, dated):
    from qa.answer.quoting import date_near

    start = text.index(cut)
    found = date_near(text, Span(start, start + len(cut)), unit)
    assert (found.of(text) if found else None) == dated


def test_a_time_that_opens_a_sentence_governs_its_clauses_after_semicolons():
    from qa.answer.qualifiers import qualifier_conflict
    from qa.answer.quoting import statement_around

    text = "两地建立了深厚的兄弟情谊。今年以来,合作对接15批次;武进直采阜宁农产品近200万元,帮助销售农产品超1000万元。"
    at = text.index("近200万元")
    sentence = statement_around(text, Span(at, at + 6)).of(text)
    assert sentence.startswith("今年以来") and sentence.endswith("1000万元。")
    assert qualifier_conflict("武进去年直采阜宁农产品多少钱?", sentence)
    assert not qualifier_conflict("武进今年直采阜宁农产品多少钱?", sentence)


@pytest.mark.parametrize("text, cut, reason", [
    # The reader's span restates the question; the clause before it gives the basis.
    ("按照省委、省政府统一部署,武进和阜宁建立了区域协作、结对帮扶关系。", "结对帮扶关系", "按照省委、省政府统一部署"),
    ("由于连日降雨,比赛推迟举行。", "推迟举行", "由于连日降雨"),
    ("比赛推迟举行,因此观众退票。", "观众退票", "因此观众退票"),  # 因此 gives a result, not a cause
    # The cause, cut before the 而 that turns to what it caused.
    ("针对园区员工用餐难而设立的阳湖餐厅已试运营。", "员工用餐难", "针对园区员工用餐难"),
    ("其中,针对园区员工用餐难而设立的阳湖餐厅自本月初试运营以来,受到了好评。", "阳湖餐厅", "针对园区员工用餐难"),
])
def test_a_why_question_is_answered_by_the_clause_that_gives_the_cause(text, cut, reason):
    from qa.answer.quoting import reason_around

    start = text.index(cut)
    assert reason_around(text, Span(start, start + len(cut))).of(text) == reason


@pytest.mark.parametrize("text, scope", [("全区", True), ("各地", True), ("本市", True), ("全区科技系统", False),
                                         ("王栋", False), ("南京", False), ("区", False)])
def test_a_scope_word_is_no_person_or_place(text, scope):
    from qa.answer.entities import is_scope

    assert is_scope(text) is scope


@pytest.mark.parametrize("text, cut, whole", [
    ("“卡基达(Kaji Dha)”是它的启动口令", "卡基达(Kaji Dha", "卡基达(Kaji Dha)"),
    ("获得第41届金钟奖「戏剧节目最佳女主角奖」。她", "金钟奖「戏剧节目最佳女主角奖", "金钟奖「戏剧节目最佳女主角奖」"),
    ("元亲在领内实行「一领具足」制度,因此", "一领具足」制度", "「一领具足」制度"),
    # A parenthesis reached on the left brings the name it annotates; a title the item before it.
    ("个园、逸圃(东关街356号)、冬荣园被列为", ")、冬荣园", "逸圃(东关街356号)、冬荣园"),
    ("作品包括《吐司男之吻》、《我的秘密花园》等,自2007年", "》、《我的秘密花园》等", "《吐司男之吻》、《我的秘密花园》等"),
    ("《武进日报》报道", "武进日报", "武进日报"),  # balanced: unchanged
    ("一句话(没有闭合。下一句)", "一句话(没有闭合", "一句话(没有闭合"),  # the partner is in another sentence
])
def test_a_bracket_the_answer_opens_or_closes_alone_gets_its_partner(text, cut, whole):
    from qa.answer.quoting import balance_brackets

    start = text.index(cut)
    assert balance_brackets(text, Span(start, start + len(cut))).of(text) == whole


def test_a_time_and_the_clause_after_it_tell_its_event():
    text = "本报讯 (记者 史莲寅) 近日,位于创新产业园的服务中心正式运营,为周边企业提供服务。下月开业。"
    at = text.index("近日")
    assert clause_and_next(text, Span(at, at + 2)).of(text).endswith("服务中心正式运营,")
    last = text.index("服务。") + 1
    assert clause_and_next(text, Span(last, last + 1)).of(text) == "为周边企业提供服务。"  # the sentence's last clause


def test_a_when_question_asks_the_time_of_the_words_after_its_question_word():
    assert [t.text for t in analyse("滨湖文隽企业服务中心什么时候正式运营的?").event_terms] == ["正式", "运营"]
    assert analyse("滨湖文隽企业服务中心的建筑面积是多少?").event_terms == ()


@pytest.mark.parametrize("words, standing", [
    ((), "最多"),  # the nearest to the reader's span
    (("应用成果",), "最好"),  # the one written right after the asked attribute
    (("产业配套",), "最全"),
])
def test_a_standing_is_the_superlative_of_the_asked_attribute(words, standing):
    text = "是国内唯一的省级特色小镇,也是国内集聚石墨烯企业数量最多、应用成果最好、产业配套最全的地区。"
    at = text.index("数量")
    found = standing_near(text, Span(at, at + 2), words)
    assert found is not None and found.of(text) == standing


@pytest.mark.parametrize("text, standing", [
    ("该县生产总值排名全省第3位,增速较快。", "全省第3位"),
    ("第八次全省特色小镇建设工作推进会在南京举行。", None),  # an ordinal, not a rank
    ("技术处于国内领先水平。", "国内领先"),
])
def test_ranks_and_ordinals(text, standing):
    found = standing_near(text, Span(0, 2))
    assert (found.of(text) if found else None) == standing


@pytest.mark.parametrize("question, standing, kind", [
    ("常州石墨烯小镇在国内集聚石墨烯企业数量方面处于什么位置?", True, "other"),
    ("该县生产总值在全省排第几?", True, "number"),
    ("石墨烯小镇处于常州什么位置?", False, "place"),
    ("石墨烯小镇有多少家企业?", False, "number"),
])
def test_questions_asking_a_standing(question, standing, kind):
    q = analyse(question)
    assert (q.asks_standing, q.kind) == (standing, kind)
    if standing:  # 处于什么位置 / 排第几 shape the question; they are no topic words
        assert not any(t.text in ("处于", "位置", "排", "第几") for t in q.terms)



@pytest.mark.parametrize("words, when", [
    ("2014年开始", "2014年"), ("5月23日在", "5月23日"), ("到晚上11时许", "晚上11时许"), ("\u300011月20日", "11月20日"),
    ("从2011年11月", "2011年11月"), ("12月4日9时许", "12月4日9时许"), ("截至11月", "截至11月"), ("2014年以来", "2014年以来"),
    ("在场", "在场"),  # no date: nothing is cut
    ("今年4月底，张某花两万元", "今年4月底"), ("4月27日晚，县长陈壮勇带队", "4月27日晚"),  # the clause after the date
    ("在此过程中，5月3日", "在此过程中，5月3日"),  # the clause before holds no date: not cut there
])
def test_a_date_answer_is_the_time_alone(words, when):
    from qa.answer.quoting import date_words, trim_span

    text = "。" + words + "。"
    span = trim_span(text, Span(0, len(text)))
    assert date_words(text, span).of(text) == when


@pytest.mark.parametrize("text, span, place", [
    ("三位民警在内环东路与内环南路的交叉路口实施了管制", "交叉路口", "内环东路与内环南路的交叉路口"),
    ("会议在常州市武进区召开", "常州市武进区", "常州市武进区"),  # no 的-phrase between 在 and the span
    ("他在会上说，在的交叉路口", "交叉路口", "交叉路口"),  # nothing between 在 and 的
    ("在北京，上海的交叉路口", "交叉路口", "交叉路口"),  # a clause break: not one phrase
])
def test_a_place_keeps_the_phrase_that_says_which_one(text, span, place):
    from qa.answer.checks import with_place_modifier

    at = text.rindex(span)
    assert with_place_modifier(text, Span(at, at + len(span))).of(text) == place


@pytest.mark.parametrize("text, place", [
    ("爱奇艺正联合华为在江苏开展业务", True),  # a province named bare
    ("阜宁县", True),
    ("三塘镇环城南路", True),  # a road
    ("英国", True), ("柳州", True),  # names the word list knows need no unit
    ("开展视频业务", False),
    ("会议室", False),
])
def test_a_place_is_named_by_its_unit_or_as_a_province(text, place):
    from qa.answer.entities import PLACE, has_entity

    assert has_entity(PLACE, text) is place


@pytest.mark.parametrize("text, person", [
    ("王正刚", True),
    ("李旭", True),  # tagged nrfg, not nr
    ("谢德军", True), ("徐智勇", True),  # cut after the surname: 谢|德军
    ("吴某某", True),  # a name the article withholds
    ("高楼", False), ("马上出发", False), ("向他", False), ("周围的人", False), ("许多人", False),
])
def test_a_person_is_named(text, person):
    from qa.answer.entities import PERSON, has_entity

    assert has_entity(PERSON, text) is person

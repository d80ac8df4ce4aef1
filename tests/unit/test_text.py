"""Sentence and clause splitting over mixed ASCII / full-width punctuation."""

from __future__ import annotations

from qa.core.text import (
    clause_spans,
    ends_paragraph,
    join_fragments,
    normalize,
    sentence_spans,
)
from qa.ingest.chunking import split_long


def _sentences(text):
    return [s.of(text) for s in sentence_spans(text)]


def test_sentences_split_at_ascii_and_fullwidth_marks():
    text = "今年以来,开展学习交流22场次;鲸华交通设施落地阜宁。真的吗?是的!English too. 结束"
    assert _sentences(text) == [
        "今年以来,开展学习交流22场次;", "鲸华交通设施落地阜宁。", "真的吗?", "是的!", "English too.", "结束"]


def test_decimals_and_thousands_do_not_end_sentences():
    text = "完成投资65.26亿元,其中1,000万元用于研发。下一句。"
    assert _sentences(text) == ["完成投资65.26亿元,其中1,000万元用于研发。", "下一句。"]
    assert [c.of(text) for c in clause_spans(text)][:2] == ["完成投资65.26亿元,", "其中1,000万元用于研发。"]


def test_closing_quotes_stay_with_their_sentence():
    text = "“目前我们已经签订了协议。”滨湖文隽企业服务中心销售总监王露华介绍。"
    assert _sentences(text) == ["“目前我们已经签订了协议。”", "滨湖文隽企业服务中心销售总监王露华介绍。"]


def test_clauses_keep_lists_whole():
    text = "重点推进我区与华中科大、南航、南医大等校地合作,加快引进高端创新资源;"
    assert [c.of(text) for c in clause_spans(text)] == [
        "重点推进我区与华中科大、南航、南医大等校地合作,", "加快引进高端创新资源;"]


def test_spans_are_exact_offsets():
    text = "  第一句。 第二句!  "
    for span in sentence_spans(text):
        assert text[span.start:span.end] == span.of(text)
        assert span.of(text) == span.of(text).strip()


def test_join_fragments_and_paragraph_ends():
    assert join_fragments("鲸华交通设", "施、化工机械") == "鲸华交通设施、化工机械"
    assert join_fragments("English", "words") == "English words"
    assert ends_paragraph("说。") and ends_paragraph("“东方碳谷”。") and not ends_paragraph("尤")


def test_normalize_folds_width_case_and_script():
    assert normalize("ＡＢＣ１２３？") == normalize("abc123?")
    assert normalize("濱湖文雋") == normalize("滨湖文隽")


def test_split_long_cuts_at_sentence_ends_and_loses_nothing():
    sentence = "这是一个用于测试的句子,它的长度适中。"
    text = sentence * 40
    parts = split_long(text, 100)
    assert all(p.end - p.start <= 100 for p in parts)
    assert "".join(p.of(text) for p in parts) == text
    assert all(p.of(text).endswith("。") for p in parts)
    # No punctuation at all: hard cuts, still lossless.
    raw = "字" * 250
    assert "".join(p.of(raw) for p in split_long(raw, 100)) == raw

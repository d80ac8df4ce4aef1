"""Answering a question in the form it takes: an overview of the page, a summary, a several-part
question or a list (the forms :mod:`qa.answer.forms` tells apart); the author of a report."""

from __future__ import annotations

import re

from qa.answer.entities import AUTHOR
from qa.answer.forms import (
    FACT,
    OVERVIEW,
    PARTS,
    SUMMARY,
    asks_author,
    pins_previous_article,
    question_form,
)
from qa.answer.list_answer import answer_list
from qa.answer.overview import answer_overview
from qa.answer.parts import answer_parts
from qa.answer.summary import answer_summary
from qa.core.query import clean_question, strip_markup


def asked_form(assistant, question: str, history) -> tuple[str, str]:
    """(the form ``question`` is answered in, the question as that form reads it): a follow-up that
    stands alone as a list or several parts (那滨湖文隽企业服务中心呢? after a list) takes that form."""
    asked = strip_markup(clean_question(question))
    form = question_form(asked)
    if form == FACT and not asks_author(asked):
        standalone = assistant.understand(asked, history).standalone
        form = question_form(standalone) if standalone != asked else FACT
        if form == SUMMARY:  # a summary is asked in words of its own, not by a follow-up's ellipsis
            form = FACT
        if form == PARTS:
            asked = standalone
    return form, asked


def answer_in_form(assistant, question: str, history, limit: int):
    """A list, summary or several-part answer to ``question``; None when it asks for one fact."""
    form, asked = asked_form(assistant, question, history)
    if form == FACT and asks_author(asked):
        return _author_answer(assistant, asked, history, limit)
    if form == FACT:
        return None
    if form == OVERVIEW:
        return answer_overview(assistant, asked, history, limit)
    if form == SUMMARY:
        return answer_summary(assistant, asked, history, limit)
    if form == PARTS:
        return answer_parts(assistant, asked, history, limit)
    return answer_list(assistant, asked, history, limit)


_COUNT = re.compile(r"[一二两三四五六七八九十几\d]+[位名个家篇]")
AUTHOR_MIN_COVERAGE = 0.6  # share of the topic words the article's headline and lead must hold


def _author_answer(assistant, asked: str, history, limit: int):
    """"Who wrote / photographed …": the byline or credit of the article the question names.

    Once the article is right its byline is the answer, so the decision is
    whether the article is the one meant: the previous turn's (这篇报道…), or
    one whose headline and first paragraph hold the question's topic words.
    None when the question is not about authorship after all.
    """
    draft = assistant.draft(asked, history, limit)
    if draft.parsed.kind != AUTHOR:
        return None
    best = draft.best
    if best is None or best.flagged:
        return assistant.compose(draft, limit)
    terms = [t for t in draft.parsed.terms if not _COUNT.fullmatch(t.text)]  # 哪两位记者: 两位 is no topic
    if pins_previous_article(asked):
        ok = bool(draft.hits) and draft.hits[0].article_id == best.chunk.article_id
    else:
        article = assistant.articles.get(best.chunk.article_id)
        head = (article.title + " " + article.subtitle) if article else best.chunk.title
        first = next((c.text for c in assistant.retriever.article_chunks(best.chunk.article_id)), "")
        ok = bool(terms) and assistant.terms.coverage(terms, head + "\n" + first) >= AUTHOR_MIN_COVERAGE \
            and assistant.terms.unknown_share(terms) < 0.3
    return assistant.compose(draft, limit, assistant.decide(draft, ("author_article", ok)))

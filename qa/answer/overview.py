"""A page overview: which reports the articles hold (这一版有哪些报道? 今天的报纸都报道了什么?).

The answer lists every report's headline in page order, each cited to its
first paragraph with the lead sentence highlighted. A page is what one seed
file holds; an archive of many pages is overviewed by the page of the chat's
last answer, and otherwise answered with how many reports there are and a
request to name a topic, never with a list too long to read.
"""

from __future__ import annotations

from qa.answer.compose import build_answer
from qa.answer.context import last_article
from qa.answer.decision import decide
from qa.answer.forms import OVERVIEW
from qa.answer.sourcing import build_sources
from qa.answer.summary import lead_span
from qa.answer.types import Item

MAX_ARTICLES = 15  # more than a page holds: an archive, not a page


def answer_overview(assistant, question: str, history, limit: int):
    """The headlines of the page the question asks about, or a refusal naming the archive's size."""
    articles = sorted(assistant.articles.values(), key=lambda a: (a.source, a.ordinal))
    if len(articles) > MAX_ARTICLES:
        anchor = assistant.articles.get(last_article(assistant, history))
        page = [a for a in articles if anchor is not None and a.source == anchor.source]
        if not page:
            return _too_many(question, articles)
        articles = page[:MAX_ARTICLES]
    return _listed(assistant, question, articles, limit)


def display_title(article) -> str:
    """A report as an overview names it: 《headline》, or a photo's own 【图片】label."""
    return article.title if article.kind == "photo" else "《%s》" % article.title


def _listed(assistant, question: str, articles, limit: int):
    firsts = [(a, chunks[0]) for a in articles for chunks in (assistant.retriever.article_chunks(a.article_id),)
              if chunks]
    cited = [(first, lead_span(assistant, first)) for _, first in firsts]
    titled = [display_title(a) for a, _ in firsts]
    if not cited:
        return _too_many(question, [])
    sources, numbers = build_sources(assistant, cited, [], limit)
    items = tuple(Item(numbers[chunk.chunk_id], title) for (chunk, _), title in zip(cited, titled))
    lines = ["共%d篇报道:" % len(items)] + ["%d. %s[%d]" % (i, item.text, item.number) for i, item in enumerate(items, 1)]
    first_chunk, first_lead = cited[0]
    return build_answer(
        question, decide(1.0, verdict=("overview_page", True)), "\n".join(lines), sources=sources,
        quote=first_lead.of(first_chunk.text), standalone=question, kind=OVERVIEW, short="%d篇" % len(items),
        form=OVERVIEW, items=items,
    )


def _too_many(question: str, articles):
    pages = len({a.source for a in articles})
    text = ("资料库共有%d篇报道(来自%d个文件),无法一一列出。请问一个具体的话题,例如某篇报道的内容或某个人、某个项目。"
            % (len(articles), pages)) if articles else "资料库里还没有报道。"
    return build_answer(question, decide(0.0, verdict=("overview_page", False)), text, standalone=question,
                        kind=OVERVIEW)

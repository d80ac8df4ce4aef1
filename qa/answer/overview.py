"""A page overview: which reports an edition holds (这一版有哪些报道? 今天这版报纸都报道了哪些事?).

The answer lists every report's headline in page order, each cited to its
first paragraph with the lead sentence highlighted. An edition is what one
source file holds (a page, or the pages of one PDF), never every upload: the
chat's last answer names it, or the archive holds only one; otherwise the
answer names the editions there are and asks which, never a list too long to read.
"""

from __future__ import annotations

from qa.answer.compose import build_answer
from qa.answer.context import last_article
from qa.answer.decision import decide
from qa.answer.forms import OVERVIEW
from qa.answer.sourcing import build_sources
from qa.answer.summary import lead_span
from qa.answer.types import Item

MAX_ARTICLES = 15  # more than a page holds: an edition of more is listed this far
MAX_EDITIONS_NAMED = 5  # editions a refusal names before 等


def answer_overview(assistant, question: str, history, limit: int):
    """The headlines of the edition the question asks about, or a refusal naming the editions there are."""
    editions: dict[str, list] = {}
    for article in sorted(assistant.articles.values(), key=lambda a: (a.source, a.ordinal)):
        editions.setdefault(article.source, []).append(article)
    anchor = assistant.articles.get(last_article(assistant, history))
    if anchor is not None:
        edition = editions[anchor.source]
    elif len(editions) == 1:
        edition = next(iter(editions.values()))
    else:
        return _which_edition(question, editions)
    return _listed(assistant, question, edition[:MAX_ARTICLES], limit)


def display_title(article) -> str:
    """A report as an overview names it: 《headline》, or a photo's own 【图片】label."""
    return article.title if article.kind == "photo" else "《%s》" % article.title


def _listed(assistant, question: str, articles, limit: int):
    firsts = [(a, chunks[0]) for a in articles for chunks in (assistant.retriever.article_chunks(a.article_id),)
              if chunks]
    cited = [(first, lead_span(assistant, first)) for _, first in firsts]
    titled = [display_title(a) for a, _ in firsts]
    if not cited:
        return _which_edition(question, {})
    sources, numbers = build_sources(assistant, cited, [], limit)
    items = tuple(Item(numbers[chunk.chunk_id], title) for (chunk, _), title in zip(cited, titled))
    lines = ["共%d篇报道:" % len(items)] + ["%d. %s[%d]" % (i, item.text, item.number) for i, item in enumerate(items, 1)]
    first_chunk, first_lead = cited[0]
    return build_answer(
        question, decide(1.0, verdict=("overview_page", True)), "\n".join(lines), sources=sources,
        quote=first_lead.of(first_chunk.text), standalone=question, kind=OVERVIEW, short="%d篇" % len(items),
        form=OVERVIEW, items=items,
    )


def _which_edition(question: str, editions: dict[str, list]):
    articles = sum(len(v) for v in editions.values())
    if not articles:
        text = "资料库里还没有报道。"
    else:
        named = "、".join("%s(%d篇,首篇《%s》)" % (source, len(page), page[0].title)
                         for source, page in list(editions.items())[:MAX_EDITIONS_NAMED])
        more = "等" if len(editions) > MAX_EDITIONS_NAMED else ""
        text = ("资料库共有%d篇报道(来自%d个文件:%s%s),不知道您问的是哪一版。请先问其中一篇报道的具体内容,"
                "再问“这一版有哪些报道”;或者直接问一个具体的话题。" % (articles, len(editions), named, more))
    return build_answer(question, decide(0.0, verdict=("overview_page", False)), text, standalone=question,
                        kind=OVERVIEW)

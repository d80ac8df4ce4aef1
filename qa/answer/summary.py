"""Summaries: what a news report says, from the report itself.

A news report puts who, what, when and where in its first paragraph (the
lead), so a summary is the headline, the lead's first sentence(s), and up to
four more sentences chosen for coverage: the most central ones by sentence
embeddings (mean cosine to the article's other sentences), skipping any that
repeat what is already quoted. Every sentence is quoted and cited.

Which article: the one the question points at (这篇报道 = the previous
turn's), or the best match for what the question names (总结一下石墨烯小镇那篇文章);
an article that does not hold the question's topic words is not summarised.
"""

from __future__ import annotations

import numpy as np

from qa.answer.citations import quoted
from qa.answer.compose import build_answer
from qa.answer.context import last_article, pinned_article
from qa.answer.decision import decide
from qa.answer.forms import SUMMARY, without_report_words
from qa.answer.question import topic_terms
from qa.answer.roles import credit_names
from qa.answer.sourcing import build_sources
from qa.answer.types import Item
from qa.core.text import Span, sentence_spans

LEAD_CHARS = 110  # the lead: first sentence, plus the next ones while the quote stays this short
MAX_SENTENCE_CHARS = 150
MIN_SENTENCE_CHARS = 12
CENTRAL_SENTENCES = 4  # two covered 6 of 16 news_extra summaries, four 8; the train and seed sets the same
REDUNDANT = 0.93  # cosine above which a sentence repeats one already quoted
MIN_TOPIC_COVERAGE = 0.5  # half the topic-word weight: a paraphrase (风波 for 罢赛) may miss


def answer_summary(assistant, question: str, history, limit: int):
    """The summary answer to ``question``, or a refusal when no article is about what it names."""
    article_id = pinned_article(assistant, question, history)
    topic = without_report_words(question)
    terms = topic_terms(topic) if topic else ()
    hits = assistant.retriever.search(topic or question, k=max(limit, 3))
    if not article_id and not terms:
        article_id = last_article(assistant, history)  # "主要内容是什么?" in a chat: the chat's article
    if not article_id and terms and hits:
        article_id = _matching_article(assistant, terms, hits)
    if not article_id:
        draft = assistant.draft(question, history, limit)
        return assistant.compose(draft, limit, assistant.decide(draft, ("summary_article", False)))
    return _summarise(assistant, question, article_id, hits, limit)


def _matching_article(assistant, terms, hits) -> str:
    """The best hit's article when it holds the topic words (headline and body), else ""."""
    for hit in hits[:3]:
        text = hit.title + "\n" + "\n".join(c.text for c in assistant.retriever.article_chunks(hit.article_id))
        if assistant.terms.coverage(terms, text) >= MIN_TOPIC_COVERAGE and assistant.terms.unknown_share(terms) < 0.5:
            return hit.article_id
    return ""


def lead_span(assistant, chunk) -> Span:
    """The lead of an article's first paragraph, after its dateline or credit."""
    text = chunk.text
    start = 0
    article = assistant.articles.get(chunk.article_id)
    if article is not None and article.byline and text.startswith(article.byline):
        start = len(article.byline)
    else:
        credit = credit_names(text)
        if credit is not None and credit[0].start <= 2:
            start = credit[0].end
    sentences = [s for s in sentence_spans(text) if s.end > start]
    if not sentences:
        return Span(start, len(text))
    first = Span(max(sentences[0].start, start), sentences[0].end)
    while text[first.start:first.start + 1].isspace():
        first = Span(first.start + 1, first.end)
    end = first.end
    for s in sentences[1:]:
        if s.end - first.start > LEAD_CHARS:
            break
        end = s.end
    return Span(first.start, end)


def _central(assistant, chunks, lead_chunk, lead: Span) -> list[tuple[object, Span]]:
    """Up to CENTRAL_SENTENCES sentences by centrality, in article order, none repeating the lead."""
    candidates = []
    for chunk in chunks:
        for s in sentence_spans(chunk.text):
            if chunk is lead_chunk and s.start < lead.end:
                continue
            if MIN_SENTENCE_CHARS <= s.end - s.start <= MAX_SENTENCE_CHARS:
                candidates.append((chunk, s))
    if len(candidates) < 2:
        return candidates[:1]
    texts = [s.of(c.text) for c, s in candidates]
    vectors = assistant.retriever.embedder.encode_passages([lead.of(lead_chunk.text)] + texts)
    lead_vec, vecs = vectors[0], vectors[1:]
    sims = vecs @ vecs.T
    centrality = (sims.sum(axis=1) - 1.0) / max(len(texts) - 1, 1)
    chosen: list[int] = []
    for i in np.argsort(-centrality, kind="stable"):
        if float(vecs[i] @ lead_vec) >= REDUNDANT or any(float(sims[i, j]) >= REDUNDANT for j in chosen):
            continue
        chosen.append(int(i))
        if len(chosen) == CENTRAL_SENTENCES:
            break
    return [candidates[i] for i in sorted(chosen)]


def _summarise(assistant, question: str, article_id: str, hits, limit: int):
    chunks = assistant.retriever.article_chunks(article_id)
    first = chunks[0]
    headline = first.title
    lead = lead_span(assistant, first)
    cited = [(first, lead)] + _central(assistant, chunks, first, lead)
    sources, numbers = build_sources(assistant, cited, [h for h in hits if h.article_id == article_id], limit)
    items = tuple(Item(numbers[c.chunk_id], s.of(c.text)) for c, s in cited)
    lines = ["《%s》" % headline] + ["%s[%d]" % (quoted(item.text), item.number) for item in items]
    return build_answer(
        question, decide(1.0, verdict=("summary_article", True)), "\n".join(lines), sources=sources,
        quote=items[0].text, standalone=question, kind=SUMMARY, short=headline, form=SUMMARY, items=items,
    )

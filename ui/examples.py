"""Example questions derived from whatever articles the index holds.

Nothing here knows the bundled seeds: candidates come from the articles'
own sentences ("X占地约5000平方米" -> "X占地多少?") and headlines ("《…》的
记者是谁?"), and only candidates the assistant actually answers from the
article they came from are offered, so every example demonstrates a good answer.
Asking those candidates takes a few seconds, so :func:`remembered_examples` keeps
the choice per index build, reader and calibration: a restarted page asks nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

from qa.answer.entities import QUANTITY_UNIT
from qa.core.cachefile import read_cache, write_cache

log = logging.getLogger(__name__)

MAX_EXAMPLES = 4
_MAX_ARTICLES = 12  # bounds start-up time on large indexes
_MAX_NUMBER_CANDIDATES = 3  # per article
_MAX_TRIES = 16  # candidates asked in all: start-up stays around a second

_CLAUSE = re.compile(r"[^。！？!?；;，,：:]+")
# Subject and attribute, an optional hedge, then a quantity with a unit, at the start of a clause.
_QUANTITY = re.compile(r"^\s*([\u4e00-\u9fffA-Za-z]{5,20}?)(?:约为|约|为|达到|达|超过|近|共|总计)?"
                       r"\d[\d.,]*\s*(?:万|亿)?" + QUANTITY_UNIT)
# Clauses that open with these words lack a subject of their own ("目前已完成投资…").
_NO_SUBJECT = re.compile(r"^(?:目前|其中|今年|去年|此外|同时|截至|全年|当天|近日|据悉|据了解|上半年|下半年|累计|已|共|总)")


def _headline_words(article) -> set[str]:
    from qa.index.lexical import tokenize

    return {w for w in tokenize(article.headline + " " + article.subtitle) if len(w) >= 2}


def _quantity_questions(article) -> list[str]:
    """"How much" questions from the article's clauses that state a quantity about a named subject.

    The clause must open with a word of the headline, so the question names
    its subject ("滨湖文隽企业服务中心占地多少?", not "开展学习交流多少?").
    """
    subjects = _headline_words(article)
    out: list[str] = []
    for paragraph in article.paragraphs:
        for clause in _CLAUSE.findall(paragraph.text):
            m = _QUANTITY.match(clause)
            if not m:
                continue
            prefix = m.group(1)
            if _NO_SUBJECT.match(prefix) or re.search(r"\d", prefix):
                continue
            if not any(prefix.startswith(word) for word in subjects):
                continue
            question = "%s多少？" % prefix
            if question not in out:
                out.append(question)
            if len(out) >= _MAX_NUMBER_CANDIDATES:
                return out
    return out


def _author_question(article) -> str:
    if article.kind != "article" or not article.byline or not article.headline:
        return ""
    return "《%s》这篇报道的记者是谁？" % article.headline


def _answers_from(assistant, question: str, article_id: str, budget: list[int]) -> bool:
    if budget[0] <= 0:
        return False
    budget[0] -= 1
    try:
        answer = assistant.ask(question)
    except Exception as exc:  # a bad candidate must never stop the server from starting
        log.debug("example candidate %r failed: %s", question, exc)
        return False
    # ``found`` is the assistant's own calibrated decision: the page offers what it would answer.
    return answer.found and bool(answer.sources) and answer.sources[0].article_id == article_id


def derive_examples(assistant, limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to ``limit`` questions the loaded ``assistant`` answers well, spread over different articles.

    Quantity questions come first (one per article), then one "who wrote it" question.
    """
    articles = [a for a in assistant.articles.values() if a.kind == "article"][:_MAX_ARTICLES]
    chosen: list[str] = []
    budget = [_MAX_TRIES]
    for article in articles:
        if len(chosen) >= limit - 1:
            break
        for question in _quantity_questions(article):
            if _answers_from(assistant, question, article.article_id, budget):
                chosen.append(question)
                break
    for article in reversed(articles):
        if len(chosen) >= limit:
            break
        question = _author_question(article)
        if question and _answers_from(assistant, question, article.article_id, budget):
            chosen.append(question)
            break
    return chosen[:limit]


CACHE_FILE = "page-examples.json"
_KEPT_BUILDS = 50
_RULES = 1  # bump when the rules above change what is chosen


def _cache_key(assistant) -> str:
    """What the choice depends on, hashed; "" when the assistant does not say (then nothing is remembered)."""
    build = getattr(getattr(assistant, "retriever", None), "build_id", "")
    reader = getattr(getattr(assistant, "reader", None), "meta", {}).get("sha256", "")
    if not build or not reader:
        return ""
    what = [build, reader, repr(getattr(assistant, "params", None)), _RULES]
    return hashlib.sha256(json.dumps(what, default=str).encode("utf-8")).hexdigest()[:24]


def remembered_examples(assistant, cache_dir: Path | None, limit: int = MAX_EXAMPLES) -> list[str]:
    """:func:`derive_examples`, remembered in ``cache_dir`` for this index build, reader and calibration."""
    key = _cache_key(assistant)
    if cache_dir is None or not key:
        return derive_examples(assistant, limit)
    path = Path(cache_dir) / CACHE_FILE
    entry = read_cache(path).get(key)
    if isinstance(entry, list) and all(isinstance(q, str) for q in entry):
        return entry[:limit]
    examples = derive_examples(assistant, limit)
    cached = read_cache(path)  # re-read: another server may have written meanwhile
    cached.pop(key, None)
    cached[key] = examples
    write_cache(path, dict(list(cached.items())[-_KEPT_BUILDS:]))  # newest last; the oldest builds drop out
    return examples

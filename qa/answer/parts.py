"""Several-part answers: "X和Y分别是多少" answered part by part, each with its own citation.

The question is split (:func:`qa.answer.forms.split_parts`), each part is drafted
and decided like a question of its own, and the answer says which part the
articles do not answer. When no part is answered the question is asked whole,
as one fact, and refused if that is not answered either.
"""

from __future__ import annotations

from qa.answer.citations import quoted
from qa.answer.compose import build_answer
from qa.answer.decision import decide
from qa.answer.forms import split_parts
from qa.answer.sourcing import build_sources
from qa.answer.types import Part

MISSING = "文章中没有找到"


def _taken(drafts, answers) -> tuple:
    """The (chunk id, span) of every part answered so far."""
    return tuple((d.best.chunk.chunk_id, d.best.answer) for d, a in zip(drafts, answers) if a.found and d.best)


def _beside_an_answer(draft, drafts, answers) -> bool:
    """Whether a part's best span is of the kind it wants and sits in the sentence that answered another
    part: the parts of one question are about one thing, and an article states them together
    (营业收入超过50亿元,其中特色产业占比95%), so that sentence is the evidence the part lacked."""
    best = draft.best
    if best is None or not best.typed or best.flagged:
        return False
    return any(a.found and d.best is not None and d.best.chunk.chunk_id == best.chunk.chunk_id
               and d.best.sentence.start < best.sentence.end and best.sentence.start < d.best.sentence.end
               for d, a in zip(drafts, answers) if d is not draft)


def answer_parts(assistant, question: str, history, limit: int):
    """The several-part answer to ``question`` (an :class:`qa.answer.assistant.Answer` of form "parts")."""
    subs = split_parts(question)
    drafts, answers = [], []
    for sub in subs:  # in order, so no part is given an earlier part's answer
        drafts.append(assistant.draft(sub, history, limit, taken=_taken(drafts, answers)))
        answers.append(assistant.compose(drafts[-1], limit))
    found = next((a for a in answers if a.found), None)
    if found is not None:
        # The parts of one question are about one thing: a part missed in the whole corpus, or
        # answered from another article, is looked for again in the article that answered the first.
        article = found.sources[0].article_id
        for i, (sub, a) in enumerate(zip(subs, answers)):
            if a.found and a.sources[0].article_id == article:
                continue
            again = assistant.draft(sub, history, limit, article=article, taken=_taken(drafts, answers))
            answer = assistant.compose(again, limit)
            if not a.found or answer.found or (assistant.uses("part_beside") and _beside_an_answer(again, drafts, answers)):
                drafts[i], answers[i] = again, answer
    for i, draft in enumerate(drafts):
        if not answers[i].found and assistant.uses("part_beside") and _beside_an_answer(draft, drafts, answers):
            answers[i] = assistant.compose(draft, limit, assistant.decide(draft, ("part_beside_answered_part", True)))
    if not any(a.found for a in answers):
        if assistant.uses("parts_whole"):
            # One sentence may answer the parts together (一个是56岁的河南人赵某,另一个是45岁的安徽人郭某)
            # better than it answers either part alone.
            whole = assistant.compose(assistant.draft(question, history, limit), limit)
            if whole.found:
                return whole
        first = answers[0]  # a plain refusal, as the first part's
        refused = decide(first.confidence, verdict=("parts_answered", False), features=first.features)
        return build_answer(question, refused, first.text, sources=first.sources,
                            standalone=first.standalone_question, kind=first.kind, features=first.features)
    answered = decide(sum(a.confidence for a in answers) / len(answers), verdict=("parts_answered", True),
                      features=next(d.features for d, a in zip(drafts, answers) if a.found))
    cited = [(d.best.chunk, d.best.sentence) for d, a in zip(drafts, answers) if a.found]
    hits, seen = [], set()
    for d in drafts:
        for h in d.hits:
            if h.chunk_id not in seen:
                seen.add(h.chunk_id)
                hits.append(h)
    sources, numbers = build_sources(assistant, cited, hits, limit)
    parts, lines = [], []
    for sub, d, a in zip(subs, drafts, answers):
        label = sub.rstrip("?？")
        if a.found:
            number = numbers[d.best.chunk.chunk_id]
            parts.append(Part(question=sub, text=d.quote, number=number, short=a.short, found=True))
            lines.append("%s:%s[%d]" % (label, quoted(d.quote), number))
        else:
            parts.append(Part(question=sub, text="", found=False))
            lines.append("%s:%s。" % (label, MISSING))
    first = next(d for d, a in zip(drafts, answers) if a.found)
    return build_answer(
        question, answered, "\n".join(lines), sources=sources, quote=first.quote, standalone=question,
        kind=first.parsed.kind, short=";".join(p.short for p in parts if p.found), form="parts", parts=tuple(parts),
        features=first.features,
    )

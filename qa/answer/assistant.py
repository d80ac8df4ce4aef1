"""Short, cited, extractive answers - and an honest "not in the articles".

No generative model can run offline here, so the assistant quotes: the reader
(:mod:`qa.reader`) proposes answer spans in the best passages, the checks of
:mod:`qa.answer.checks` keep the spans of the kind asked and shape them (topic
words weighted by rarity, the passage's retrieval rank, the asked qualifier),
and the best one is quoted with its sentence, cited and highlighted. A
calibrated confidence decides between answering and saying the articles do not
contain the answer (see :mod:`qa.answer.calibration`).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

from qa.answer import calibration, roles, scoring
from qa.answer.aliases import NameQuestion, asks_other_name, other_name
from qa.answer.checks import (
    CHECKS,
    defines,
    named_before,
    narrowed,
    of_kind,
    shaped,
    states_point,
)
from qa.answer.citations import quoted
from qa.answer.colloquial import formal_wording
from qa.answer.compose import build_answer
from qa.answer.context import pinned_article
from qa.answer.decision import decide
from qa.answer.entities import (
    AUTHOR,
    DATE,
    LIST,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    has_entity,
    role_names,
)
from qa.answer.form_answers import answer_in_form
from qa.answer.forms import (
    FACT,
    SUMMARY,
    pins_previous_article,
    question_form,
    without_report_words,
)
from qa.answer.history import cap_history, turn_named, turn_question
from qa.answer.identity import (
    RoleQuestion,
    asks_role,
    asks_who_is,
    is_person_name,
    role_of,
)
from qa.answer.list_answer import list_instead
from qa.answer.places import (
    asks_parent,
    asks_where,
    location_of,
    parent_place,
)
from qa.answer.qualifiers import (
    clause_fit,
    in_context,
    qualifier_conflict,
    stage_conflict,
)
from qa.answer.question import (
    Question,
    analyse,
    expand_abbreviations,
    reworded,
    term_presence,
)
from qa.answer.quoting import (
    author_span,
    clause_and_next,
    clause_around,
    complete_date,
    complete_quantity,
    quote_window,
    relevance,
    sentence_around,
    statement_around,
    trim_span,
    with_reign_year,
)
from qa.answer.scoring import SPAN_FEATURES, VETO_FEATURES
from qa.answer.terms import TermWeights
from qa.answer.types import Answer, Decision, Source
from qa.core.background import Background
from qa.core.query import clean_question, strip_markup
from qa.core.settings import get_settings
from qa.core.text import Span, normalize, sentence_spans, to_simplified
from qa.index.lexical import tokenize
from qa.ingest.chunking import Chunk
from qa.reader import load_reader
from qa.reader.model import SpanScore
from qa.retrieve.retriever import Hit, Retriever

log = logging.getLogger(__name__)

CANDIDATE_PASSAGES = 6
READER_PASSAGES = 5  # passages the reader reads: recall@5 is ~1.0, each one costs a forward pass
READER_SPANS = 5  # spans per passage the question's wanted kind may choose between
# A number or date the question wants is often not among the reader's five likeliest spans
# (which overlap: 研究院, 武进南京大学未来技术创新研究院 ...), so typed questions look deeper.
READER_SPANS_TYPED = 20
_TYPED_KINDS = (NUMBER, DATE, PERSON)  # kinds whose questions read deeper and score a span of the kind apart
_TYPED_FEATURE = {NUMBER: "typed_number", DATE: "typed_date", PERSON: "typed_person"}
RELATED_SHARE = 0.5  # a refusal names the reports whose passage scores at least this share of the best one
MIN_LOG_PROBABILITY = -20.0  # a span the shared softmax all but rules out: its log-probability is floored here
_ASKS_YEAR = re.compile(r"哪一?年|何年|几几年|年份")  # a year asked for is answered by the year alone

@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    chunk: Chunk
    sentence: Span  # the sentence(s) holding the answer, within chunk.text
    window: Span  # the words quoted, within chunk.text
    score: float
    coverage: float  # share of topic-word weight found in the window
    typed: bool  # the answer is an entity of the wanted kind
    answer: Span  # the answer itself, within chunk.text
    reader_score: float = 0.0  # the reader's span score
    reader_null: float = 0.0  # the reader's no-answer score for the passage
    # How long the reader's span was before it was narrowed to a quantity or widened to a clause:
    # the calibration's answer-length feature describes the reader's choice, not the reshaping.
    span_chars: int = 0
    features: dict = field(default_factory=dict, compare=False)  # the scorer's (reader spans only)

    @property
    def flag(self) -> str:
        """The first named check's flag on the span (:data:`qa.answer.scoring.VETO_FEATURES`), or ""."""
        return next((k for k in VETO_FEATURES if self.features.get(k, 0.0)), "")

    @property
    def flagged(self) -> bool:
        """Whether a named check flagged the span as unable to answer (ranked last, never shown)."""
        return bool(self.flag)


@dataclass(frozen=True)
class _Scored:
    """A reader span, with the named checks' flags among its features, scored, before it is shaped into a candidate."""

    hit: Hit
    chunk: Chunk
    answer: Span
    typed: bool
    span: SpanScore
    span_chars: int
    features: dict
    score: float


class Assistant:
    """Answers questions from the indexed articles, with citations.

    >>> from qa import Assistant
    >>> a = Assistant.load()
    >>> first = a.ask("滨湖文隽企业服务中心的建筑面积是多少?")
    >>> a.ask("那它的占地面积呢?", history=[("滨湖文隽企业服务中心的建筑面积是多少?", first)])
    """

    def __init__(self, retriever: Retriever, reader, max_sources: int = 3,
                 params: calibration.Calibration | None = None, disabled: frozenset[str] = frozenset(),
                 scorer: scoring.SpanScorer | None = None):
        """``disabled``: names of :data:`qa.answer.checks.CHECKS` to leave out (``qa eval --ablation``);
        ``scorer``: the candidate spans' weights (default: ``qa/answer/scorer.json``, else the hand-set ones)."""
        unknown = set(disabled) - set(CHECKS)
        if unknown:
            raise ValueError("unknown checks %s: the names are those of qa.answer.checks.CHECKS"
                             % ", ".join(sorted(unknown)))
        self.retriever = retriever
        self.reader = reader
        self.disabled = frozenset(disabled)
        self.max_sources = max_sources
        self.params = params or calibration.load()
        self.scorer = scorer or scoring.load()
        self.terms = TermWeights([c.indexed_text for c in retriever.chunks])
        self._known_subjects = frozenset(
            t for a in retriever.articles.values() for t in _title_terms(a.title + " " + a.subtitle))
        # The people the articles name (reporters, and names after a role): a question naming one
        # is answered only from an article that names them too.
        self._people = frozenset(name for a in retriever.articles.values() for name in a.reporters).union(
            *(role_names(c.text) for c in retriever.chunks))
        # Earlier turns come back with every question of a chat: analyse each (with its context) once.
        self._analyse_turn = lru_cache(maxsize=2048)(self._analyse_uncached)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, settings=None, retriever: Retriever | None = None,
             **kwargs) -> "Assistant":
        """Load the index (default: the project's ``embeddings/``), its model and the reader."""
        settings = settings or get_settings()
        # The reader loads beside the index and the question model: a cold start waits for the slower one only.
        reading = Background(lambda: load_reader(settings.model_cache, None, settings.reader_backend), "reader-load")
        retriever = retriever or Retriever.load(index_dir, settings=settings)
        return cls(retriever, reading.result(), **kwargs)

    @property
    def articles(self):
        """The indexed articles by id."""
        return self.retriever.articles

    def chunk(self, chunk_id: str) -> Chunk:
        """The indexed passage ``chunk_id``."""
        return self.retriever.chunk(chunk_id)

    # ------------------------------------------------------------ public

    def uses(self, check: str) -> bool:
        """Whether the named check of :data:`qa.answer.checks.CHECKS` is on."""
        return check not in self.disabled

    def ask(self, question: str, history=None, max_sources: int | None = None) -> Answer:
        """Answer ``question``; ``history`` is the earlier (question, answer) turns of the chat."""
        history = cap_history(history) or None  # analysis cost must not grow with the chat
        shaped = answer_in_form(self, question, history, max_sources or self.max_sources)
        if shaped is not None:  # a list, summary or several-part answer
            return shaped
        draft = self.draft(question, history, max_sources)
        answer = self.compose(draft, max_sources)
        if self.uses("list_instead") and (not answer.found or answer.form == FACT):  # 考察了什么地方: the places listed
            return list_instead(self, draft, max_sources or self.max_sources,
                                answered=answer.short if answer.found else "") or answer
        return answer

    def decide(self, draft: "Draft", verdict: tuple[str, bool] | None = None) -> Decision:
        """Answer or refuse ``draft``: the learned decision, or ``verdict`` (name, found) of a reader
        that finds a whole answer or none (see :mod:`qa.answer.decision`)."""
        return decide(draft.confidence, threshold=None if verdict else self.params.threshold,
                      candidate=draft.best is not None, verdict=verdict, features=draft.features,
                      flagged=draft.best.flag if draft.best is not None else "")

    def compose(self, draft: "Draft", max_sources: int | None = None, decision: Decision | None = None) -> Answer:
        """The answer a draft makes, as ``decision`` (default: :meth:`decide`) decides it."""
        return self._compose(draft, decision or self.decide(draft), max_sources or self.max_sources)

    def draft(self, question: str, history=None, max_sources: int | None = None, article: str = "",
              taken: tuple[tuple[str, Span], ...] = ()) -> "Draft":
        """The best answer candidate and its features, before the answer/refuse decision.

        ``article``: read only this article's passages (a part of a several-part question).
        ``taken``: (chunk id, span) answers already given to other parts of the question; none is given again.
        """
        asked = clean_question(question)
        parsed = self.understand(strip_markup(asked), history)
        limit = max_sources or self.max_sources
        pinned = article or pinned_article(self, asked, history)  # 这篇报道…: the previous turn's article
        # 滨湖集团在高新区是什么身份 / 乔俊杰是谁 / 辛毅是什么职务: searched for 辛毅 alone, whom the passages
        # about 职务便利 would bury
        role = self._asked_role(parsed)
        query = role.query if role else parsed.standalone
        hits = self.retriever.retrieve(query, max(CANDIDATE_PASSAGES, limit), pinned)
        understood = parsed.standalone  # in the asker's words, as the answer shows it
        # 花多少钱 read as the 总投资 the passages write, 交情 as 情谊
        parsed = reworded(parsed, formal_wording(parsed.standalone, [h.text for h in hits[:READER_PASSAGES]]))
        # 滨湖集团的全称 / 凉茶舖又叫什么: the other name an article gives it, else the reader's span
        renamed = asks_other_name(parsed.standalone) if parsed.kind in (OTHER, PERSON) and self.uses("alias") else None
        # 阜宁县是哪个地级市管的: the division an address writes before it (盐城市阜宁县), else the reader's span
        held_by = asks_parent(parsed.standalone) if parsed.kind in (OTHER, PLACE) and self.uses("parent_place") else None
        # 服务中心在哪里: where a 位于… phrase puts it, else the reader's span
        located = asks_where(parsed.standalone) if parsed.kind == PLACE and self.uses("location") else ""
        if renamed is not None:
            best = self._alias_candidate(parsed, hits, renamed) or self._reader_candidate(parsed, hits, taken)
        elif role is not None:  # the role the text gives (作为…，, titles before a name), else the reader's span
            parsed, best = self._read_or_reader(parsed, hits, role.subject, partial(role_of, role), taken,
                                                partial(self._about, role.subject))
        elif held_by is not None:  # 嘉泽镇属于哪个区 is not answered by the reader's 长三角
            parsed, best = self._read_or_reader(parsed, hits, held_by.name, partial(parent_place, held_by), taken,
                                                lambda read: _names_division(read, held_by.unit))
        elif located:
            parsed, best = self._read_or_reader(parsed, hits, located, partial(location_of, located), taken)
        elif parsed.kind == AUTHOR and self.uses("byline"):
            best = self._author_candidate(parsed, hits)
            if best is None:  # no article here has a byline: the text itself may say who wrote something
                parsed = replace(parsed, kind=PERSON)
                best = self._reader_candidate(parsed, hits, taken)
        else:
            best = self._reader_candidate(parsed, hits, taken)
        features = self._features(parsed, hits, best)
        quote = best.window.of(best.chunk.text).strip().rstrip("。;；,，:：") if best else ""
        return Draft(asked, parsed, hits, best, quote, features, self.params.confidence(features), understood)

    def _analyse_uncached(self, earlier: str, previous: "Question | None") -> Question:
        return analyse(strip_markup(clean_question(earlier)), previous, self._known_subjects)

    def understand(self, question: str, history=None) -> Question:
        """The question analysed in the context of the chat ``history``."""
        previous, named = None, ""
        for turn in history or ():
            earlier = turn_question(turn)
            if earlier and pins_previous_article(earlier):
                continue  # 这篇报道…: the chat's subject stays what it was
            if earlier and question_form(earlier) == SUMMARY:
                earlier = without_report_words(earlier)  # 总结一下石墨烯小镇那篇文章 is about 石墨烯小镇
            if earlier:
                try:
                    previous = self._analyse_turn(earlier, previous)
                except Exception:  # a malformed earlier turn must not break this one
                    continue
                # 是谁提的整改意见? -> 许校长; 那他对以后的演练提了啥要求?: 他 is the person the answer named.
                named = turn_named(turn)
        return expand_abbreviations(analyse(question, previous, self._known_subjects, named),
                                    self.terms.long_form)

    # ------------------------------------------------------------ scoring

    def _reader_candidate(self, q: Question, hits: list[Hit], taken=()) -> _Candidate | None:
        """The reader's best span over the top passages, with the sentence that holds it."""
        scored = self._scored_spans(q, hits, taken)
        if not scored:
            return None
        best = max(scored, key=lambda s: s.score)  # the first of equals, as read
        words = normalize(best.answer.of(best.chunk.text))
        # What the decision may weigh beside the span itself: how many other passages read give the same answer.
        agreeing = {s.chunk.chunk_id for s in scored if s.chunk.chunk_id != best.chunk.chunk_id
                    and normalize(s.answer.of(s.chunk.text)) == words}
        return self._candidate(q, replace(best, features=best.features | {"agreement": float(len(agreeing))}))

    def reader_candidates(self, question: str, history=None) -> tuple[Question, list[_Candidate]]:
        """Every span of the reader that the checks let through, scored and shaped, best first, with the
        question as understood: what ``qa tune --scorer`` fits the scorer's weights on."""
        asked = clean_question(question)
        parsed = self.understand(strip_markup(asked), history)
        hits = self.retriever.retrieve(parsed.standalone, CANDIDATE_PASSAGES, pinned_article(self, asked, history))
        parsed = reworded(parsed, formal_wording(parsed.standalone, [h.text for h in hits[:READER_PASSAGES]]))
        scored = sorted(self._scored_spans(parsed, hits, ()), key=lambda s: -s.score)
        return parsed, [self._candidate(parsed, s) for s in scored]

    def _scored_spans(self, q: Question, hits: list[Hit], taken) -> list["_Scored"]:
        """The reader's spans over the top passages that the named checks let through, each with its
        features (:data:`qa.answer.scoring.SPAN_FEATURES`) and its score."""
        pool = hits[:READER_PASSAGES]
        if not pool:
            return []
        chunks = [self.chunk(h.chunk_id) for h in pool]
        texts = [c.indexed_text for c in chunks]
        typed_kind = self.uses("kind") and q.kind in _TYPED_KINDS
        spans = self.reader.read(q.standalone, texts, top=READER_SPANS_TYPED if typed_kind else READER_SPANS)
        shortfall = self._cover_shortfall(q, pool) if self.uses("article_cover") else dict.fromkeys(
            (h.article_id for h in pool), 0.0)
        # The reader's probability mass on "no answer" over every passage read (its shared softmax).
        null_mass = min(1.0, sum(s.probability(s.null_score) for s in spans))
        found = [(SpanScore(s.passage, a, b, sc, s.null_score, log_z=s.log_z), hit, chunk)
                 for s, hit, chunk in zip(spans, pool, chunks) for a, b, sc in ((s.start, s.end, s.score),) + s.alternatives]
        # Each answer's probability summed over every place the reader found it (the headline's 20万元 and
        # the body's): the text the passages keep giving is likelier than any one of its spans says.
        read_words = [normalize(chunk.indexed_text[span.start:span.end]) for span, _, chunk in found]
        answer_mass: dict[str, float] = {}
        for (span, _, _), words in zip(found, read_words):
            answer_mass[words] = answer_mass.get(words, 0.0) + span.probability()
        out = []
        for (span, hit, chunk), words in zip(found, read_words):
            lead = len(chunk.indexed_text) - len(chunk.text)  # the headline the reader saw first
            located = _in_paragraph(chunk, span, lead)
            if located is None:
                continue
            start, end = located
            # The checks flag a span that cannot answer; none drops it: the scorer ranks flagged spans last
            # and the decision refuses a flagged best span under the check's name.
            flags = dict.fromkeys(VETO_FEATURES, 0.0)
            # 副区长王栋 does not answer 区长是谁; a sales director is not the investor
            # (a yes/no or why question is answered by a clause, not by the holder of a role: 校长有没有被处理)
            flags["role_conflict"] = float(q.kind in (PERSON, PLACE, OTHER) and not q.asks_whether and not q.describes
                                           and self.uses("roles") and not roles.consistent(
                q.standalone, chunk.indexed_text, Span(start + lead, end + lead)))
            # 二期项目什么时候开工 is not answered by the sentence about the 一期项目
            flags["other_thing"] = float(self._other_time(q, chunk.text, Span(start, end)))
            answer = complete_quantity(chunk.text, trim_span(chunk.text, Span(start, end)), q.standalone)
            if q.kind == DATE and not _ASKS_YEAR.search(q.standalone):
                answer = complete_date(chunk.text, answer)  # 什么时候 is answered by 2021年6月, not 2021年
            if q.kind == DATE:
                answer = with_reign_year(chunk.text, answer)
            kind_checked = of_kind(q, chunk.text, answer, span.margin) if self.uses("kind") else (answer, False)
            flags["not_of_kind"] = float(kind_checked is None)
            # for the decision: the span's probability and the no-answer mass under the shared softmax
            read = dict(reader_probability=span.probability(), reader_null_mass=null_mass,
                        answer_mass=min(1.0, answer_mass[words]))
            if any(flags.values()):  # ranked last and never shown: not worth shaping further
                features = dict.fromkeys(SPAN_FEATURES, 0.0) | flags | read | {"margin": span.margin}
                out.append(_Scored(hit, chunk, answer, False, span, answer.end - answer.start, features,
                                   self.scorer.score(features)))
                continue
            answer, typed = kind_checked
            span_chars = len(answer.of(chunk.text))
            answer = narrowed(q, chunk.text, answer, typed)
            if any(chunk_id == chunk.chunk_id and used.start < answer.end and answer.start < used.end
                   for chunk_id, used in taken):
                continue  # 分别 / 其中: another part of the question has this span; each part asks for another fact
            fit = self._clause_fit(q, chunk, answer)
            flags["other_side"] = float(fit is None)  # 女子组唱什么 is not answered by the clause on the 男子组
            features = self._span_features(q, span, hit, chunk.text, answer, typed, fit or 0, shortfall[hit.article_id])
            features.update(flags | read)
            out.append(_Scored(hit, chunk, answer, typed, span, span_chars, features, self.scorer.score(features)))
        return out

    def _span_features(self, q: Question, span: SpanScore, hit: Hit, text: str, answer: Span, typed: bool,
                       fit: int, shortfall: float) -> dict:
        """A candidate span as :data:`qa.answer.scoring.SPAN_FEATURES` describe it."""
        # The reader does not know the question's wanted kind (a number in 元, a date): the kind's feature
        # lets a span of that kind beat a slightly likelier one that is not.
        defined = self.uses("definition") and bool(defines(q.defined_term, text, answer)
                                                   or states_point(q.significance_of, text, answer))
        shape = self.uses("shape")
        features = dict.fromkeys(SPAN_FEATURES, 0.0)
        features.update(margin=span.margin, prior=1.0 / math.sqrt(hit.rank), clause_fit=float(fit),
                        defined=float(defined), shortfall=shortfall, dense=hit.dense_score,
                        coverage=self.terms.coverage(q.terms, sentence_around(text, answer).of(text)),
                        span_chars=min(answer.end - answer.start, 40) / 40.0,
                        log_probability=max(MIN_LOG_PROBABILITY, min(0.0, span.score - span.log_z)))
        if typed:
            features[_TYPED_FEATURE.get(q.kind, "typed_other")] = 1.0
            features["standing"] = float(shape and q.asks_standing)
            features["named_before"] = float(shape and named_before(q.measured, text, answer))
        if shape and q.asks_whether:
            features["claim"] = self.terms.coverage(q.claim_terms, sentence_around(text, answer).of(text))
        if shape and typed and q.event_terms:  # every word of the event, told where this time is (not 10米远)
            told = normalize(clause_and_next(text, Span(answer.end - 1, answer.end)).of(text))
            features["event"] = min(term_presence(t, told) for t in q.event_terms)
        return features

    def _candidate(self, q: Question, scored: "_Scored") -> _Candidate:
        """The candidate a scored span makes: the span shaped to the words that answer, its sentence and quote."""
        chunk = scored.chunk
        answer = shaped(q, chunk.text, scored.answer, lambda words: self.terms.coverage(q.claim_terms, words))
        sentence = sentence_around(chunk.text, answer)
        window = quote_window(chunk.text, sentence, answer)
        return _Candidate(scored.hit, chunk, sentence, window, scored.score,
                          self.terms.coverage(q.terms, window.of(chunk.text)), scored.typed, answer,
                          scored.span.score, scored.span.null_score, scored.span_chars, scored.features)

    def _cover_shortfall(self, q: Question, pool: list[Hit]) -> dict[str, float]:
        """Per article of ``pool``, how much less of the question's word weight it names than the best-covered
        one: a span in an article naming less (another plant's 又称, another official's 职务) is about
        something else."""
        covered = {h.article_id: self.terms.coverage(q.terms, self._article_text(h.article_id)) for h in pool}
        best = max(covered.values())
        return {article_id: best - cover for article_id, cover in covered.items()}

    def _article_text(self, article_id: str) -> str:
        return "\n".join(c.indexed_text for c in self.retriever.article_chunks(article_id))

    def _other_time(self, q: Question, text: str, span: Span) -> bool:
        """Whether the statement around ``span`` (dated by its paragraph's opening time when it names
        none) is about another phase, ordinal or time than the question."""
        if not self.uses("other_time"):
            return False
        statement = in_context(text, statement_around(text, span).of(text))
        if q.kind == DATE and stage_conflict(q.standalone, statement):
            return True  # 什么时候开工 is not answered by the date of 预计下月改建完成
        return qualifier_conflict(q.standalone, statement, amounts=q.kind == NUMBER)

    def _clause_fit(self, q: Question, chunk: Chunk, answer: Span) -> int | None:
        """+1 when the answer's clause names the side of a contrast the question asks about, else 0;
        None when it cannot answer: it names another side or time."""
        if not self.uses("clause_fit"):
            return 0
        fit = clause_fit(q.standalone, clause_around(chunk.text, answer).of(chunk.text))
        return None if fit < 0 else fit  # 女子组唱什么 is not answered by the clause on the 男子组

    def _author_candidate(self, q: Question, hits: list[Hit]) -> _Candidate | None:
        """"Who wrote the report about X?": the byline of the best-matching article."""
        for hit in hits:
            article = self.articles.get(hit.article_id)
            if article and not (article.byline or article.photo_credit):
                credited = self._credit_candidate(q, hits, article.article_id)
                if credited is not None:
                    return credited
            if not article or not (article.byline or article.photo_credit):
                continue
            first = next(iter(self.retriever.article_chunks(article.article_id)), None)
            if first is None:
                continue
            text = first.text
            needle = article.byline if article.byline and article.byline in text else article.photo_credit
            start = text.find(needle) if needle else -1
            if start < 0:
                continue
            span = Span(start, start + len(needle))
            # The short answer is the names alone (徐晶玮, not 徐晶玮 摄); the quote is the whole credit.
            names = author_span(text, span, article.reporters) if needle == article.byline else span
            if article.photo_credit and needle == article.photo_credit:
                span = Span(start, len(text.rstrip()))
            sentence = next((s for s in sentence_spans(text) if s.start <= span.start < s.end), span)
            cov = self.terms.coverage(q.terms, first.indexed_text)
            fake_hit = next((h for h in hits if h.chunk_id == first.chunk_id), hit)
            return _Candidate(fake_hit, first, sentence, span, 1.0 + cov, cov, True, names)
        return None

    def _alias_candidate(self, q: Question, hits: list[Hit], asked: NameQuestion) -> _Candidate | None:
        """The other name of ``asked.name`` in the best-ranked passage that gives one, from an
        article that also writes the name asked about (so that it is the same thing)."""
        def find(hit: Hit, text: str, whole: bool) -> Span | None:
            found = other_name(asked, text, whole)
            same_thing = found is not None and normalize(asked.name) in normalize(self._article_text(hit.article_id))
            return found if same_thing else None

        # The name written on its own first: 黄蝉's 别称 before those of 软枝黄蝉 in a better-ranked passage.
        return (self._read_candidate(q, hits, lambda hit, text: find(hit, text, True))
                or self._read_candidate(q, hits, lambda hit, text: find(hit, text, False)))

    def _read_or_reader(self, q: Question, hits: list[Hit], name: str, find, taken=(),
                        fallback_ok=lambda candidate: True) -> tuple[Question, _Candidate | None]:
        """What ``find(text)`` reads about ``name`` from the best-ranked passage that writes it (盐城市阜宁县,
        作为…运营商，滨湖集团, 位于…产业园的服务中心), scored for ``name``'s words alone, since the phrase found
        gives the relation (属于, 身份, 在哪里); else the reader's span if ``fallback_ok`` takes it. Returns the
        question the candidate was scored for, and the candidate."""
        narrowed = _only_terms_of(q, name)
        found = self._read_candidate(narrowed, hits, lambda hit, text: find(text))
        if found is not None:
            return narrowed, found
        read = self._reader_candidate(q, hits, taken)
        return q, read if read is not None and fallback_ok(read) else None

    def _asked_role(self, q: Question) -> RoleQuestion | None:
        """What role question ``q`` is: 滨湖集团是什么身份, or 乔俊杰是谁 about a person's name; else None."""
        if not self.uses("role"):
            return None
        if q.kind == OTHER and (role := asks_role(q.standalone)) is not None:
            return role
        who = asks_who_is(q.standalone)
        return who if who is not None and is_person_name(who.subject, self._people) else None

    def _about(self, name: str, read: _Candidate) -> bool:
        """Whether the reader's answer ``read`` can tell what ``name`` is: its article names them and the
        answer is not the name itself (王超是谁 is not answered by 宋某 王超，计恩武)."""
        if name in read.answer.of(read.chunk.text):
            return False
        return any(name in chunk.text for chunk in self.retriever.article_chunks(read.hit.article_id))

    def _read_candidate(self, q: Question, hits: list[Hit], find) -> _Candidate | None:
        """A candidate from the best-ranked passage where ``find(hit, text)`` reads the answer out of the text."""
        for hit in hits:
            chunk = self.chunk(hit.chunk_id)
            # The question is folded to simplified characters (凉茶铺); the article may write 凉茶舖.
            folded = to_simplified(chunk.text)
            found = find(hit, folded if len(folded) == len(chunk.text) else chunk.text)
            if found is None:
                continue
            sentence = sentence_around(chunk.text, found)
            window = quote_window(chunk.text, sentence, found)
            cov = self.terms.coverage(q.terms, window.of(chunk.text))
            return _Candidate(hit, chunk, sentence, window, 1.0 + cov, cov, True, found)
        return None

    def _credit_candidate(self, q: Question, hits: list[Hit], article_id: str) -> _Candidate | None:
        """The reporters a plain article credits in its text (（记者 王晓宁）, 记者 王一平 at the end)."""
        parts = self.retriever.article_chunks(article_id)
        for chunk in parts[:1] + parts[-1:]:
            credit = roles.credit_names(chunk.text)
            if credit is None:
                continue
            span, names = credit
            sentence = next((s for s in sentence_spans(chunk.text) if s.start <= span.start < s.end), span)
            hit = next((h for h in hits if h.chunk_id == chunk.chunk_id), None)
            if hit is None:
                hit = Hit.unranked(chunk)
            cov = self.terms.coverage(q.terms, chunk.indexed_text)
            return _Candidate(hit, chunk, sentence, span, 1.0 + cov, cov, True, author_span(chunk.text, span, names))
        return None

    def _features(self, q: Question, hits: list[Hit], best: _Candidate | None) -> dict:
        top = hits[0] if hits else None
        unit_missing = 0.0
        if q.kind == NUMBER and q.unit and best is not None:
            unit_missing = 0.0 if has_entity(NUMBER, best.chunk.text, q.unit) else 1.0
        return dict(
            unit_missing=unit_missing,
            window_coverage=best.coverage if best else 0.0,
            dense=(best.hit.dense_score if best else (top.dense_score if top else 0.0)),
            unknown_share=self.terms.unknown_share(q.terms),  # for the list reader, not the decision
            typed=1.0 if (best and best.typed) else 0.0,
            wants_type=1.0 if q.kind in (NUMBER, PERSON, PLACE, DATE, AUTHOR, LIST) else 0.0,
            reader_margin=max(-15.0, min(15.0, best.reader_score - best.reader_null)) if best else -15.0,
            answer_chars=min(best.span_chars or len(best.answer.of(best.chunk.text)), 60) / 60.0 if best else 0.0,
            author=1.0 if q.kind == AUTHOR else 0.0,
            agreement=min(best.features.get("agreement", 0.0), 4.0) / 4.0 if best else 0.0,
            reader_probability=best.features.get("reader_probability", 0.0) if best else 0.0,
            reader_null_mass=best.features.get("reader_null_mass", 0.0) if best else 0.0,
            answer_mass=best.features.get("answer_mass", 0.0) if best else 0.0,
        )

    # ------------------------------------------------------------ output

    def _compose(self, draft: "Draft", decision: Decision, limit: int) -> Answer:
        best = draft.best if decision.found else None
        hits = draft.hits
        ordered = hits[:limit]
        if best is not None:
            ordered = [best.hit] + [h for h in hits if h.chunk_id != best.hit.chunk_id][: limit - 1]
        sources = []
        for number, hit in enumerate(ordered, 1):
            answering = best is not None and hit.chunk_id == best.hit.chunk_id
            highlights = ((best.sentence.start, best.sentence.end),) if answering else ()
            sources.append(Source(
                number=number, chunk_id=hit.chunk_id, article_id=hit.article_id, title=hit.title,
                byline=hit.byline, source=hit.source, paragraph=hit.paragraph, text=hit.text,
                highlights=highlights, score=hit.score, relevance=relevance(hit),
                answer_span=(best.answer.start, best.answer.end) if answering else None,
            ))
        if best is not None:
            text = "%s[1]" % quoted(draft.quote)
        else:
            titles = []
            for s in sources:
                # A report counts as related when its passage scores near the best one, not merely ranked.
                if s.title not in titles and s.score >= RELATED_SHARE * sources[0].score:
                    titles.append(s.title)
            related = "、".join("《%s》" % t for t in titles)
            text = "文章中没有找到这个问题的答案。" + ("相关的报道有%s,见下方来源。" % related if related else "")
        return build_answer(
            draft.question, decision, text, sources=tuple(sources), quote=draft.quote,
            standalone=draft.standalone, kind=draft.parsed.kind, features=draft.features,
            short=best.answer.of(best.chunk.text) if best else "",
        )


def _in_paragraph(chunk, span, lead: int) -> tuple[int, int] | None:
    """(start, end) of the reader's span in the paragraph text; a span in the headline counts when
    the paragraph says the same words, else None."""
    start, end = max(span.start - lead, 0), span.end - lead
    if end > start:
        return start, end
    words = chunk.indexed_text[span.start:span.end].strip()
    start = chunk.text.find(words) if words else -1
    return (start, start + len(words)) if start >= 0 else None


@dataclass(frozen=True)
class Draft:
    """An answer before the answer/refuse decision (used by :meth:`Assistant.ask` and tuning)."""

    question: str
    parsed: Question
    hits: list
    best: "_Candidate | None"
    quote: str
    features: dict
    confidence: float
    standalone: str  # the question understood, in the asker's words (``parsed`` may use the articles')


def _names_division(candidate: _Candidate, unit: str) -> bool:
    """Whether the candidate's answer is a division of ``unit`` (盐城市, or 盐城 written before 市)."""
    text, answer = candidate.chunk.text, candidate.answer
    return answer.of(text).rstrip().endswith(unit) or text[answer.end:answer.end + 1] == unit


def _only_terms_of(q: Question, name: str) -> Question:
    """``q`` with only the terms that are part of ``name``, if any are."""
    kept = tuple(term for term in q.terms if term.text in name)
    return replace(q, terms=kept) if kept else q


def _title_terms(title: str) -> set[str]:
    return {t for t in tokenize(title) if len(t) >= 2}

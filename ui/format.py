"""HTML for the page: answers, source cards, the article list and the index status.

Pure functions of what the library returns, so they can be unit-tested without
a server. Every piece of article or question text passes through :func:`esc`
(or :func:`md_esc` where Gradio runs Markdown over it) before it becomes HTML:
articles are data, and a page that carries ``<script>`` must show it as text.

The HTML is emitted on one line with no indentation: the chat panel runs a
Markdown parser over messages, and an indented line would become a code block.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
from typing import Iterable, Mapping

from qa.answer.citations import (  # noqa: F401 (cited_sources and the labels are part of this module's API)
    CITED_LABEL, NOT_FOUND_LABEL, RELATED_LABEL, citation_markers, cited_numbers, cited_sources, quoted,
)

log = logging.getLogger(__name__)

NOT_FOUND_TITLE = "文章中没有找到答案"  # shown only when the assistant's own sentence is missing
# What the assistant reads, for a question with no Chinese in it (the articles and the models are Chinese).
NOT_CHINESE_HINT = "本助手只读中文新闻原文，请用中文提问，例如：%s"
NOT_CHINESE_EXAMPLE = "文章里提到的项目建筑面积是多少？"
EMPTY_SOURCES = "提问后，这里会列出答案引用的原文段落，答案所在的句子会高亮显示。"
# Characters of one article sent to the page at most: an article of five
# million lines must not become a multi-gigabyte answer or article view.
ARTICLE_VIEW_CHARS = 100_000
PREVIEW_CHARS = 120

# Characters a Markdown parser (or KaTeX, or Gradio's HTML sanitizer) may act on.
# They become numeric entities, which every Markdown parser leaves as literal text.
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~$:<>&\"'=")


def esc(text) -> str:
    """``text`` escaped for HTML element content and quoted attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def md_esc(text) -> str:
    """``text`` made inert for a Markdown renderer that also accepts HTML.

    HTML specials and Markdown/LaTeX punctuation become numeric entities, so
    ``**x**``, ``[a](javascript:...)`` or ``<img onerror=...>`` show literally.
    """
    out = []
    for ch in "" if text is None else str(text):
        if ch in _MD_SPECIAL:
            out.append("&#%d;" % ord(ch))
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\r":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _spans(spans: Iterable, length: int) -> list[tuple[int, int]]:
    """Highlight spans clipped to the text and merged, in order (robust to odd offsets)."""
    clean = []
    for span in spans or ():
        try:
            a, b = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        a, b = max(0, a), min(length, b)
        if a < b:
            clean.append((a, b))
    clean.sort()
    merged: list[tuple[int, int]] = []
    for a, b in clean:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def highlight(text: str, spans: Iterable = (), escape=esc, answer_span=None) -> str:
    """``text`` escaped, with each ``[start, end)`` span wrapped in ``<mark>``; the
    ``answer_span`` (the answer itself, inside a marked sentence) also in ``<strong>``."""
    text = text or ""
    inner = _spans([answer_span], len(text)) if answer_span else []
    out, pos = [], 0
    for a, b in _spans(spans, len(text)):
        out.append(escape(text[pos:a]))
        body = escape(text[a:b])
        for x, y in inner:
            if a <= x and y <= b:
                body = "%s<strong class=\"qa-span\">%s</strong>%s" % (
                    escape(text[a:x]), escape(text[x:y]), escape(text[y:b]))
        out.append("<mark>%s</mark>" % body)
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def _with_citations(text: str, escape=md_esc) -> str:
    """Answer text escaped, the assistant's own ``[n]`` markers turned into citation badges.

    Markers inside the quoted article text (its own footnotes, ``约5亿元[2]``)
    stay text: see :mod:`qa.answer.citations`.
    """
    out, pos = [], 0
    for m in citation_markers(text or ""):
        out.append(escape(text[pos:m.start]))
        out.append('<span class="qa-cite" title="来源 %d">%d</span>' % (m.number, m.number))
        pos = m.end
    out.append(escape((text or "")[pos:]))
    return "".join(out)


def percent(value) -> int:
    """A 0..1 value as a whole percentage, clamped (NaN and junk count as 0)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0
    if value != value:  # NaN
        return 0
    return int(round(max(0.0, min(1.0, value)) * 100))


# ------------------------------------------------------------------ chat


def render_question(question: str) -> str:
    """The user's question as chat-message content (Markdown-inert)."""
    return md_esc(question)


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds at least one CJK ideograph."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text or "")


def render_answer(answer, hint: str = "") -> str:
    """An :class:`qa.answer.assistant.Answer` as chat-message content.

    A found answer is the quoted sentence with its citation badges and the
    cited article underneath; "not in the articles" is a distinct notice that
    says so once (the assistant's own sentence), with ``hint`` (plain text) under it.
    """
    body = _with_citations(answer.text)
    if not answer.found:
        if hint:
            # A question the assistant cannot read (no Chinese): only what works. "Not found" before it
            # was wrong - nothing was looked for - and then contradicted by the request to write in Chinese.
            return ('<div class="qa-answer qa-notfound qa-hint-only"><div class="qa-nf-row"><span class="qa-tag">提示</span>'
                    '<div class="qa-nf-text"><div class="qa-nf-hint">%s</div></div></div></div>' % md_esc(hint))
        # The assistant's sentence already says "文章中没有找到…": a title above it said it twice.
        lead = body if (answer.text or "").strip() else NOT_FOUND_TITLE
        # A worded tag, not a lone "?" icon; the row is its own block so the actions go under it.
        return ('<div class="qa-answer qa-notfound"><div class="qa-nf-row"><span class="qa-tag">未找到</span>'
                '<div class="qa-nf-text"><div class="qa-nf-body">%s</div></div></div></div>' % lead)
    cited = cited_numbers(answer.text or "")
    refs = []
    for source in answer.sources:
        if source.number in cited:
            refs.append('<span class="qa-ref"><span class="qa-cite">%d</span>%s · 第%d段</span>'
                        % (source.number, md_esc("《%s》" % source.title), source.paragraph))
    short = getattr(answer, "short", "")
    form = getattr(answer, "form", "fact")
    if form in ("list", "summary", "parts", "overview"):
        body = _structured(answer)
        # A summary is headed by its headline and an overview by its count; a list shows itself.
        short = short if form in ("summary", "overview") else ""
    head = '<div class="qa-short">%s</div>' % md_esc(short) if short else ""
    return ('<div class="qa-answer qa-found qa-form-%s">%s<div class="qa-quote">%s</div>%s</div>'
            % (esc(form), head, body, '<div class="qa-refs">出处 %s</div>' % "".join(refs) if refs else ""))


def _badge(number: int) -> str:
    return '<span class="qa-cite" title="来源 %d">%d</span>' % (number, number)


def _structured(answer) -> str:
    """A list as a numbered list, a summary's sentences and a several-part answer's parts as a list,
    every entry with its citation badge (article text escaped)."""
    if answer.form == "parts":
        rows = []
        for part in answer.parts:
            label = '<span class="qa-part-q">%s</span>：' % md_esc(part.question.rstrip("?？"))
            if part.found:
                rows.append("<li>%s%s%s</li>" % (label, md_esc(quoted(part.text)), _badge(part.number)))
            else:
                rows.append('<li>%s<span class="qa-part-missing">文章中没有找到</span></li>' % label)
        return '<ul class="qa-parts">%s</ul>' % "".join(rows)
    tag = "ol" if answer.form in ("list", "overview") else "ul"
    # An overview's entries are headlines (《…》), not words quoted from a report.
    shown = (lambda text: text) if answer.form == "overview" else quoted
    rows = "".join("<li>%s%s</li>" % (md_esc(shown(item.text)), _badge(item.number)) for item in answer.items)
    return '<%s class="qa-%s">%s</%s>' % (tag, answer.form, rows, tag)


def render_error(message: str) -> str:
    """A friendly error notice as chat-message content."""
    return ('<div class="qa-answer qa-error"><div class="qa-nf-row"><span class="qa-tag qa-tag-error">出错</span>'
            '<div class="qa-nf-text">%s</div></div></div>' % md_esc(message))


# ------------------------------------------------------------------ sources


def _article_body(article, source) -> str:
    """The whole article, the cited paragraph marked and its answering sentence highlighted."""
    parts = ['<div class="qa-article">']
    if article is None:
        parts.append('<p class="qa-muted">全文不可用。</p></div>')
        return "".join(parts)
    parts.append('<div class="qa-article-title">%s</div>' % esc(article.title))
    if getattr(article, "subtitle", ""):
        parts.append('<div class="qa-article-sub">%s</div>' % esc(article.subtitle))
    budget, left_out = ARTICLE_VIEW_CHARS, False
    for number, paragraph in enumerate(article.paragraphs, 1):
        text = paragraph.text
        if number == source.paragraph:
            # A long paragraph is indexed in parts; offsets are into the part.
            offset = text.find(source.text) if source.text else -1
            spans = [(a + offset, b + offset) for a, b in source.highlights] if offset >= 0 else []
            parts.append('<p class="qa-cited">%s</p>' % highlight(text, spans))
        elif len(text) <= budget:
            parts.append("<p>%s</p>" % esc(text))
        else:
            left_out = True
        budget = max(0, budget - len(text))
    if left_out:
        parts.append('<p class="qa-muted">全文过长，部分段落未显示。</p>')
    if getattr(article, "photo_credit", "") and article.kind == "photo":
        parts.append('<p class="qa-muted">摄影：%s</p>' % esc(article.photo_credit))
    parts.append("</div>")
    return "".join(parts)


def render_source_card(source, article=None, open_=False, role: str = "") -> str:
    """One numbered source card; expanding it shows the whole article.

    ``role``: "cited" (the answer cites it), "related" (found by the search, not cited) or
    "" (not found: a related paragraph). No percentage: the search's cosine read 95-98% for
    unrelated paragraphs, so every card says what it is instead.
    """
    byline = source.byline or (getattr(article, "photo_credit", "") if article is not None else "")
    meta = [esc(byline)] if byline else []
    date = getattr(article, "date", "") if article is not None else ""
    if date:
        meta.append('<span class="qa-date">%s</span>' % esc(date))
    meta.append("第%d段" % source.paragraph)
    meta.append('<span class="qa-file" title="来源文件">%s</span>' % esc(source.source))
    kind = role if role in ("cited", "related") else "nf"
    label = {"cited": CITED_LABEL, "related": RELATED_LABEL}.get(kind, NOT_FOUND_LABEL)
    tip = {"cited": "答案引用了这一段", "related": "检索到的相关段落，答案没有引用"}.get(kind, "检索到的相关段落，未找到确切答案")
    rel = '<div class="qa-role qa-role-%s" title="%s"><span class="qa-role-label">%s</span></div>' % (kind, tip, label)
    return "".join([
        '<details class="qa-card qa-card-%s%s" data-source="%d"%s>' % (
            kind, " qa-has-mark" if source.highlights else "", source.number, " open" if open_ else ""),
        "<summary>",
        '<div class="qa-card-head"><span class="qa-num">%d</span><span class="qa-card-title">%s</span></div>'
        % (source.number, esc(source.title)),
        '<div class="qa-meta">%s</div>' % " · ".join(meta),
        rel,
        '<p class="qa-para">%s</p>' % highlight(source.text, source.highlights,
                                                answer_span=getattr(source, "answer_span", None)),
        '<span class="qa-more"><span class="qa-more-closed">展开全文</span><span class="qa-more-open">收起全文</span></span>',
        "</summary>",
        _article_body(article, source),
        "</details>",
    ])


def source_counts(answer) -> tuple[int, int]:
    """(cited, merely related) cards of ``answer``'s panel."""
    numbers = {s.number for s in answer.sources}
    cited = cited_sources(answer) & numbers
    return len(cited), len(numbers - cited)


def render_sources(answer=None, articles: Mapping | None = None) -> str:
    """The source panel for ``answer`` (the cards by number), or its empty state.

    The head counts what is cited and what is merely related ("3 条" under an answer citing
    only [1] read as three sources); every card carries the same kind of label.
    """
    if answer is None or not answer.sources:
        return ('<div class="qa-sources qa-sources-empty"><div class="qa-empty-icon" aria-hidden="true">≡</div>'
                '<p>%s</p></div>' % EMPTY_SOURCES)
    articles = articles or {}
    cited = cited_sources(answer)
    cards = []
    for s in sorted(answer.sources, key=lambda s: s.number):
        role = ("cited" if s.number in cited else "related") if answer.found else ""
        cards.append(render_source_card(s, articles.get(s.article_id), role=role))
    n_cited, n_related = source_counts(answer)
    if answer.found:
        head = "答案的出处"
        count = "引用 %d 段" % n_cited + (" · 其他相关 %d 段" % n_related if n_related else "")
    else:
        head = "相关段落（未找到确切答案）"
        count = "相关 %d 段，均未引用" % n_related
    return ('<div class="qa-sources%s" data-cited="%d" data-related="%d"><div class="qa-sources-head">%s'
            '<span class="qa-count">%s</span></div>%s</div>'
            % ("" if answer.found else " qa-sources-notfound", n_cited, n_related, head, count, "".join(cards)))


def render_turn_panel(sources_html: str | None, turn: int, latest: bool, number: int = 0) -> str:
    """The source panel as shown for chat turn ``turn`` (0-based, the ``turn``-th reply in the chat).

    The browser compares ``data-turn`` with the reply whose badge was clicked, so a badge of an
    older answer never points at a card of the latest answer. ``number``: the reply's position for
    the note above an older answer's sources; a turn whose sources were not kept says so.
    """
    if sources_html is None:
        body = ('<div class="qa-sources qa-sources-empty qa-sources-gone"><p>这条回答的来源没有保存（每个对话只保存最近 %d 个回答的来源）。'
                '可以重新提问查看来源。</p></div>' % SOURCES_KEPT_HINT)
    else:
        body = sources_html
    note = ""
    if not latest:
        note = ('<div class="qa-older-note">正在显示第 %d 个回答的来源 · <span class="qa-back-latest" role="button" '
                'tabindex="0">回到最新回答</span></div>' % (number or turn + 1))
    return '<div class="qa-panel" data-turn="%d" data-latest="%d">%s%s</div>' % (int(turn), 1 if latest else 0, note, body)


SOURCES_KEPT_HINT = 3  # ui.conversations.SOURCES_KEPT (not imported: format has no page state)


# ------------------------------------------------------------------ articles tab


BUNDLED_LABEL = "随附样稿"


def render_articles(articles: Iterable, start: int = 1, bundled: frozenset | set = frozenset()) -> str:
    """One page of the indexed articles, numbered from ``start``: headline, byline, paragraph
    count and file (files in ``bundled`` marked as the project's sample page); each expands to
    the opening of its text and a button that opens the whole text (:func:`render_article`)."""
    articles = list(articles)
    if not articles:
        return '<div class="qa-articles"><p class="qa-muted">索引中还没有文章。</p></div>'
    rows = []
    for i, a in enumerate(articles, start):
        byline = a.byline or (("摄影 " + a.photo_credit) if a.photo_credit else "—")
        lead = a.paragraphs[0].text if a.paragraphs else ""
        # The button is wired by ui.style.HEAD (the list is sanitised HTML: classes and data, no handlers).
        body = ('<p>%s%s</p><p><span class="qa-art-open" role="button" tabindex="0" data-n="%d">查看全文 ›</span></p>'
                % (esc(lead[:PREVIEW_CHARS]), "…" if len(lead) > PREVIEW_CHARS else "", i))
        mark = (' <span class="qa-bundled" title="项目附带的示例版面">%s</span>' % BUNDLED_LABEL) if a.source in bundled else ""
        rows.append(
            '<details class="qa-art-row"><summary><span class="qa-art-no">%d</span>'
            '<span class="qa-art-title">%s%s</span><span class="qa-art-byline">%s</span>'
            '<span class="qa-art-date">%s</span>'
            '<span class="qa-art-count">%d 段</span><span class="qa-file">%s%s</span></summary>'
            '<div class="qa-article">%s</div></details>'
            % (i, esc(a.title), ('<span class="qa-art-sub">%s</span>' % esc(a.subtitle)) if a.subtitle else "",
               esc(byline), esc(getattr(a, "date", "") or "—"), len(a.paragraphs), esc(a.source), mark, body))
    # The date column: the source cards show an article's date, so the list does too ("—" when unknown).
    return ('<div class="qa-articles"><div class="qa-art-header"><span>#</span><span>标题</span><span>署名</span>'
            '<span>日期</span><span>段落</span><span>来源文件</span></div>%s</div>' % "".join(rows))


def render_article(article, number: int = 0, count: int = 0) -> str:
    """One whole article (up to :data:`ARTICLE_VIEW_CHARS` characters), escaped; for ``None``, which
    numbers exist (``count`` articles, numbered from 1)."""
    if article is None:
        where = ("请输入 1 到 %d 之间的编号。" % count) if count else "索引中还没有文章。"
        return '<div class="qa-article"><p class="qa-muted">没有第 %d 篇文章，%s</p></div>' % (number, where)
    byline = article.byline or (("摄影 " + article.photo_credit) if article.photo_credit else "")
    parts = ['<div class="qa-article qa-article-view">',
             '<div class="qa-article-title">%s%s</div>' % ("%d. " % number if number else "", esc(article.title))]
    if article.subtitle:
        parts.append('<div class="qa-article-sub">%s</div>' % esc(article.subtitle))
    date = getattr(article, "date", "")
    parts.append('<div class="qa-article-sub">%s%s <span class="qa-file">%s</span></div>'
                 % (esc(byline), (' <span class="qa-date">%s</span>' % esc(date)) if date else "", esc(article.source)))
    budget = ARTICLE_VIEW_CHARS
    for paragraph in article.paragraphs:
        if len(paragraph.text) > budget:
            parts.append('<p class="qa-muted">全文过长，其余段落未显示。</p>')
            break
        parts.append("<p>%s</p>" % esc(paragraph.text))
        budget -= len(paragraph.text)
    parts.append("</div>")
    return "".join(parts)


def _when(iso: str) -> str:
    try:
        return _dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or "未知"


def render_status(status, index_dir: str = "", seeds_dir: str = "", loaded: tuple[int, int] | None = None,
                  refreshing: bool = False) -> str:
    """The index status in Chinese, from :class:`qa.index.store.IndexStatus` (with its own description below).

    ``loaded``: (articles, passages) of the index answering now. The page shows these rather
    than the manifest on disk, which a refresh rewrites seconds before the new index answers:
    the status card said 8 articles while the list still held 5. ``refreshing``: a refresh is
    running, so "up to date" would be premature.
    """
    if status.problem:
        badge, label = "bad", "索引损坏"
    elif not status.exists:
        badge, label = "bad", "尚无索引"
    elif refreshing:
        badge, label = "warn", "正在刷新索引"
    elif status.fresh:
        badge, label = "ok", "索引为最新"
    else:
        badge, label = "warn", "索引已过期"
    rows = []
    if status.exists and not status.problem:
        rows.append(("嵌入模型", esc(status.model_name or "未知")))
        rows.append(("构建时间", esc(_when(status.built_at))))
        articles, chunks = loaded if loaded is not None else (status.articles, status.chunks)
        rows.append(("规模", '<span class="qa-status-count">%d 篇文章</span> · %d 个段落' % (articles, chunks)))
    if index_dir:
        rows.append(("索引目录", '<span class="qa-file">%s</span>' % esc(index_dir)))
    if seeds_dir:
        rows.append(("稿件目录", '<span class="qa-file">%s</span>' % esc(seeds_dir)))
    changes = []
    for title, names in (("新增文件", status.added), ("已修改文件", status.changed), ("已删除文件", status.removed)):
        if names:
            changes.append("<li>%s:%s</li>" % (title, "、".join('<span class="qa-file">%s</span>' % esc(n)
                                                                 for n in names)))
    if status.model_changed:
        changes.append("<li>配置的嵌入模型与构建索引时使用的模型不同</li>")
    if status.settings_changed:
        changes.append("<li>索引格式或分段设置已变更</li>")
    table = "".join('<div class="qa-kv"><span>%s</span><span>%s</span></div>' % row for row in rows)
    return "".join([
        '<div class="qa-status"><div class="qa-status-head"><span class="qa-badge qa-badge-%s">%s</span></div>'
        % (badge, label),
        table,
        ('<div class="qa-changes"><div>需要重建的原因：</div><ul>%s</ul></div>' % "".join(changes)) if changes else "",
        '<details class="qa-tech"><summary>技术详情</summary><pre>%s</pre></details>' % esc(describe_status(status)),
        "</div>",
    ])


def describe_status(status) -> str:
    """The status card's 技术详情 in Chinese (``IndexStatus.describe()`` is English, for the terminal)."""
    if status.problem:
        return "索引无法读取，请重建索引。"
    if not status.exists:
        return "还没有索引：请点“重建索引”，或在终端运行 qa build。"
    if status.fresh:
        return "索引为最新（%d 篇文章、%d 个段落；嵌入模型 %s；构建于 %s）" % (
            status.articles, status.chunks, status.model_name or "未知", _when(status.built_at))
    lines = ["索引已过期，需要重建（终端命令 qa build）："]
    lines += ["  新增：%s" % n for n in status.added]
    lines += ["  已修改：%s" % n for n in status.changed]
    lines += ["  已删除：%s" % n for n in status.removed]
    if status.model_changed:
        lines.append("  配置的嵌入模型与构建索引时使用的模型不同")
    if status.settings_changed:
        lines.append("  索引格式或分段设置已变更")
    return "\n".join(lines)


def render_header(status=None, articles: int | None = None, refreshing: bool = False) -> str:
    """The page header: product name, one-line promise and a small index badge (``articles``: the count
    of the index answering now, the same number the welcome text, list and status card show)."""
    badge = ""
    if status is not None:
        state = "刷新中" if refreshing else "最新" if status.fresh else ("已过期" if status.exists else "缺失")
        count = articles if articles is not None else status.articles
        ok = status.fresh and not refreshing
        badge = ('<div class="qa-header-meta"><span class="qa-dot qa-dot-%s"></span><span class="qa-header-count">%d 篇文章'
                 '</span> · 索引%s</div>' % ("ok" if ok else "warn", count, state))
    return ('<div class="qa-header"><div class="qa-brand"><span class="qa-logo" aria-hidden="true">问</span>'
            '<div><div class="qa-title">新闻问答</div><div class="qa-tagline">答案摘自本地新闻原文，每条都标注出处</div>'
            '</div></div>%s</div>' % badge)


# ------------------------------------------------------------------ chat actions, library panel


def ordered_sources(sources) -> list:
    """Sources by number, each relevance capped by the one above it, so the bars never rise down the list.

    Numbers follow the answerer's ranking while relevance is a cosine; showing 96 / 91 / 98 under
    1 / 2 / 3 read as a bug.
    """
    from dataclasses import replace

    out, cap = [], 1.0
    for source in sorted(sources, key=lambda s: s.number):
        if not float(source.relevance or 0.0) > 0.0:  # no score (a summary's sentence): shown without a bar
            out.append(source)
            continue
        relevance = min(float(source.relevance), cap)
        cap = relevance
        out.append(source if relevance == source.relevance else replace(source, relevance=relevance))
    return out


def with_actions(answer_html: str) -> str:
    """Chat-message content with a copy button and, on phones, a jump to the sources (wired by ui.style.HEAD)."""
    actions = ('<div class="qa-actions"><span class="qa-copy" role="button" tabindex="0" title="复制答案">复制</span>'
               '<span class="qa-jump" role="button" tabindex="0" title="查看来源">来源 ↓</span></div>')
    if answer_html.endswith("</div>"):
        return answer_html[: -len("</div>")] + actions + "</div>"
    return answer_html + actions


_REASONS = [  # library messages (English, for the terminal) in the page's words
    ("folder path", "文件名包含路径，已拒绝"), ("unsupported file type", "不支持的文件类型"),
    ("larger than the", "文件太大"), ("a program, not", "这是程序文件，不是文档"), ("not a PDF", "不是 PDF 文件"),
    ("not a .docx", "不是 .docx 文件"), ("no text layer", "PDF 没有文字层（扫描件？），请先做文字识别"),
    ("too many", "文件太多"), ("together, more than", "文件总量太大"), ("empty", "内容为空"),
    ("no article text", "没有找到文章正文"), ("same content as", "与已有文件内容相同，未重复添加"),
    ("no such file", "稿件目录中没有这个文件"), ("not a readable", "文件已损坏或无法读取"),
    ("binary file", "不是文本文件"), ("the title must", "标题须为一行、不超过 200 字"),
    ("nothing to restore", "回收站里已没有这批文件（重建索引会清空回收站）"), ("has no name", "文件没有名字"),
    ("cannot read", "无法读取文件"), ("does not exist", "稿件目录不存在"),
]


def reason_text(reason: str) -> str:
    """A library reason (English, for the terminal) in the page's Chinese.

    The English original goes to the server log, not the page; a reason this table does not
    know gets a generic Chinese sentence rather than English text.
    """
    from qa.ingest.formats import SUPPORTED_SUFFIXES

    if has_chinese(reason):  # the page's own words already
        return reason
    for key, words in _REASONS:
        if key in reason:
            if key == "unsupported file type":
                return "%s，请上传 %s 文件" % (words, "、".join(SUPPORTED_SUFFIXES))
            return words
    log.info("no Chinese wording for the library reason %r", reason)
    return "无法处理这个文件"


def render_upload_error(message: str) -> str:
    """A refused batch or request: nothing was changed."""
    return ('<div class="qa-upload-report"><div class="qa-note-bad">未做任何更改：%s</div></div>'
            % esc(reason_text(message)))


def render_file_reports(reports, refreshed: int | bool | None = None) -> str:
    """Per-file results of an upload, paste, delete or restore: articles found, headline, paragraphs, or why skipped.

    ``refreshed``: None while the background refresh runs, the new article count once it has
    finished, False when it failed - the line under the list says which.
    """
    rows = []
    for r in reports:
        if r.status == "added":
            detail = "找到 %d 篇文章 · %d 段 · 首篇《%s》" % (r.articles, r.paragraphs, esc(r.headline))
            label, cls = "已添加", "ok"
        elif r.status == "removed":
            detail, label, cls = "已移到回收站，可撤销", "已删除", "ok"
        elif r.status == "restored":
            detail, label, cls = "已从回收站恢复", "已恢复", "ok"
        elif r.status == "duplicate":
            detail, label, cls = esc(reason_text(r.reason)), "重复", "warn"
        else:
            detail, label, cls = esc(reason_text(r.reason)), "已跳过", "bad"
        rows.append('<li class="qa-file-report qa-file-%s" data-status="%s"><span class="qa-badge qa-badge-%s">%s</span> '
                    '<span class="qa-file">%s</span> %s</li>'
                    % (r.status, esc(r.status), cls, label, esc(r.stored or r.name), detail))
    changed = any(r.status in ("added", "removed", "restored") for r in reports)
    if not changed:
        tail = ""
    elif refreshed is None:
        tail = '<div class="qa-muted qa-refresh-tail" data-refreshed="0">索引正在后台刷新，完成前原索引继续回答。</div>'
    elif refreshed is False:
        tail = '<div class="qa-note-bad qa-refresh-tail" data-refreshed="0">索引刷新失败，原索引继续回答，详情见状态栏。</div>'
    else:
        tail = ('<div class="qa-note-ok qa-refresh-tail" data-refreshed="1">索引已刷新：现有 %d 篇文章。</div>'
                % int(refreshed))
    return '<div class="qa-upload-report"><ul>%s</ul>%s</div>' % ("".join(rows), tail)


def render_refresh(state) -> str:
    """The background refresh: a progress bar while it runs, its error after it failed."""
    if state.running:
        pct = percent(state.fraction)
        return ('<div class="qa-refresh" data-running="1"><div class="qa-refresh-label">正在刷新索引：%s %d%%（原索引继续回答）'
                '</div><div class="qa-rel-bar qa-refresh-bar"><span style="width:%d%%"></span></div></div>'
                % (esc(state.message), pct, pct))
    if state.error:
        return '<div class="qa-refresh qa-note-bad" data-running="0">%s</div>' % esc(state.error)
    return ""


_STAGE_TEXT = {"reading": "正在读取稿件", "writing": "正在写入索引", "loading": "正在加载新索引", "done": "完成"}


def progress_text(update) -> str:
    """A build's progress (:class:`qa.index.build.BuildProgress`) in Chinese."""
    if update.stage == "embedding":
        return "正在计算向量 %d/%d" % (update.done, update.total)
    return _STAGE_TEXT.get(update.stage, update.stage)


def render_welcome(count: int) -> str:
    """The empty chat's welcome text, with the number of articles of the index answering now."""
    return ("<div class='qa-welcome'><h3>想了解这些新闻里的什么？</h3><p>已收录 <span class='qa-welcome-count'>%d</span> "
            "篇文章。回答均摘自原文并标注出处；文章里没有的内容，会如实告诉你。</p></div>" % int(count))


def render_input_hint(message: str = "", kind: str = "") -> str:
    """The line under the question box: why a question was not sent (empty, too long), or nothing.

    A new ``data-n`` each time restarts the shake animation even when the same hint repeats.
    """
    if not message:
        return ""
    import time

    return ('<div class="qa-input-hint qa-hint-%s" role="alert" data-n="%d">%s</div>'
            % (esc(kind or "info"), time.monotonic_ns() % 1_000_000, esc(message)))


def too_long_message(length: int, limit: int) -> str:
    """Why a question over the limit was not sent: its length, the limit and what to do."""
    return ("问题有 %d 字，超过了 %d 字的上限，没有发送。请删减到 %d 字以内（比如只保留最后的问题）再发送。"
            % (length, limit, limit))

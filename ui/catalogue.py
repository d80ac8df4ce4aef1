"""The articles tab's list: one page of titles at a time, whole articles on demand.

The page used to carry every article's full text in its first response (131 MB
at 100 MB of seeds, sent twice), so ``qa serve`` on a large corpus timed out in
Gradio's start-up check and every load re-rendered the corpus. Now the page
holds one page of titles; further pages and whole articles are fetched when
asked for, rendered once per index build and cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import gradio as gr

from . import format as fmt

PAGE_SIZE = 50
CACHED = 64  # rendered pages and articles kept, so the cache cannot grow with use


class Catalogue:
    """Pages of the article list and single articles of the service's current index."""

    def __init__(self, service):
        self.service = service
        self._lock = threading.Lock()
        self._build = None
        self._articles: list = []
        self._bundled: frozenset = frozenset()
        self._rendered: OrderedDict = OrderedDict()

    def _current(self, assistant=None) -> tuple[str, list]:
        """(build id, articles in index order) of ``assistant``'s index (default: the one answering now).

        The page's views pass the assistant they read once, so the list and the counts next to
        it always come from the same index.
        """
        try:
            retriever = (assistant or self.service.assistant).retriever
        except Exception:  # no index loaded: an empty list, not an error page
            return "", []
        build = retriever.build_id
        with self._lock:
            if build != self._build:  # a rebuild: nothing rendered before is valid
                self._build, self._articles = build, list(retriever.articles.values())
                self._bundled = bundled_names(self.service.seeds_dir)
                self._rendered.clear()
            return self._build, self._articles

    def _cached(self, key, render) -> str:
        with self._lock:
            if key in self._rendered:
                self._rendered.move_to_end(key)
                return self._rendered[key]
        html = render()
        with self._lock:
            self._rendered[key] = html
            while len(self._rendered) > CACHED:
                self._rendered.popitem(last=False)
        return html

    def page(self, number, assistant=None) -> tuple[int, str, str]:
        """(page number clamped to the pages there are, the list's HTML, "page n of m")."""
        build, articles = self._current(assistant)
        pages = max(1, -(-len(articles) // PAGE_SIZE))
        number = max(1, min(pages, _int(number, 1)))
        start = (number - 1) * PAGE_SIZE
        bundled = self._bundled
        html = self._cached((build, "page", number),
                            lambda: fmt.render_articles(articles[start : start + PAGE_SIZE], start=start + 1,
                                                        bundled=bundled))
        return number, html, pager_text(number, pages, len(articles))

    def article(self, number) -> str:
        """The whole text of article ``number`` (1-based, as listed)."""
        build, articles = self._current()
        n = _int(number, 0)
        if not 1 <= n <= len(articles):
            return fmt.render_article(None, n, len(articles))
        return self._cached((build, "article", n), lambda: fmt.render_article(articles[n - 1], n))


def pager_text(number: int, pages: int, count: int) -> str:
    """The pager's "page n of m · k articles", as two pieces that never break inside (CSS keeps each whole)."""
    return ('<span class="qa-pager-page">第 %d / %d 页</span><span class="qa-pager-sep"> · </span>'
            '<span class="qa-pager-count">共 <span class="qa-pager-n">%d</span> 篇</span>' % (number, pages, count))


def bundled_names(seeds_dir) -> frozenset:
    """Names of the files in ``seeds_dir`` that are the project's bundled sample pages (by content)."""
    from qa.ingest.sources import hash_seed_files

    try:
        return frozenset(name for name, digest in hash_seed_files(seeds_dir).items() if digest in BUNDLED_SEEDS)
    except Exception:  # noqa: BLE001 - a missing folder marks nothing
        return frozenset()


# sha256 of the sample pages shipped in the project's seeds/ folder; a file with this content is
# marked "随附样稿" in the list and in the delete picker, wherever and under whatever name it lies.
BUNDLED_SEEDS = frozenset({"eb76cd530a26ac004dc9fe0498253b85b964799633e14e1499d4940a210bd058"})


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def article_browser(catalogue: Catalogue, private: dict):
    """The list, its pager and the article viewer, in the current Blocks context.

    Returns (page number component, list component): what a refresh of the tab updates.
    """
    number, first, label = catalogue.page(1)
    with gr.Row(elem_id="qa-art-pager"):
        prev_btn = gr.Button("上一页", size="sm", scale=1, min_width=80, elem_id="qa-art-prev")
        page_no = gr.Number(value=number, precision=0, minimum=1, show_label=False, container=False, scale=1,
                            min_width=80, elem_id="qa-art-page")
        next_btn = gr.Button("下一页", size="sm", scale=1, min_width=80, elem_id="qa-art-next")
        info = gr.HTML("<span class='qa-muted qa-pager'>%s</span>" % label, elem_id="qa-art-info")
    listing = gr.HTML(first, elem_id="qa-articles")
    with gr.Row(elem_id="qa-art-open"):
        # Starts at 1: a 0 here made 查看全文 show nothing. The list's 查看全文 buttons fill it in (ui.style.HEAD).
        wanted = gr.Number(value=1, label="文章编号", precision=0, minimum=1, scale=2, elem_id="qa-art-number")
        show = gr.Button("查看全文", size="sm", scale=1, elem_id="qa-art-show")
    viewer = gr.HTML("", elem_id="qa-art-view")

    def go(page, step=0):
        n, html, text = catalogue.page(_int(page, 1) + step)
        return n, html, "<span class='qa-muted qa-pager'>%s</span>" % text

    outputs = [page_no, listing, info]
    opts = dict(queue=False, show_progress="hidden", **private)
    prev_btn.click(lambda p: go(p, -1), page_no, outputs, **opts)
    next_btn.click(lambda p: go(p, 1), page_no, outputs, **opts)
    page_no.submit(go, page_no, outputs, **opts)
    show.click(catalogue.article, wanted, viewer, **opts)
    wanted.submit(catalogue.article, wanted, viewer, **opts)
    return page_no, listing, info

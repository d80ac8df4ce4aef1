"""One source of truth for what the page says about the index: the welcome text, the header badge,
the article list and the status card all come from one :func:`snapshot`.

They used to be read at different times from different places - the manifest on disk (which
a refresh rewrites seconds before the new index answers), the assistant answering now, and
a welcome text rendered once at start-up - so after an upload the page said 8, 7 and 5
articles at once. A snapshot reads the assistant once and derives every count from it; the
refresh state decides whether "up to date" may be said yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import format as fmt
from .catalogue import bundled_names


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows about the index, read at one moment."""

    version: list  # [build id, refreshes finished]: a browser that showed this version needs no new list
    count: int  # articles of the index answering now
    status_html: str
    header_html: str
    welcome_html: str
    page: tuple  # (page number, list HTML, pager text) of the list's first page
    bundled: frozenset


def snapshot(service, catalogue, refresher, max_age: float = 0.0) -> Snapshot:
    """The page's view of the index now (``max_age``: a status check that recent will do)."""
    assistant = service.current  # read once: every number below comes from this index
    if assistant is not None:
        count, chunks = len(assistant.articles), len(assistant.retriever.chunks)
        build = assistant.retriever.build_id
    else:
        count = chunks = 0
        build = ""
    status = service.status(max_age)
    state = refresher.state
    refreshing = state.running or service.rebuild_running
    status_html = (fmt.render_refresh(state)
                   + fmt.render_status(status, str(service.index_dir), str(service.seeds_dir),
                                       loaded=(count, chunks) if assistant is not None else None,
                                       refreshing=refreshing))
    page = catalogue.page(1, assistant)
    return Snapshot(version=[build, state.done], count=count, status_html=status_html,
                    header_html=fmt.render_header(status, count, refreshing), welcome_html=fmt.render_welcome(count),
                    page=(page[0], page[1], "<span class='qa-muted qa-pager'>%s</span>" % page[2]),
                    bundled=bundled_names(service.seeds_dir))

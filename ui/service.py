"""The page's service: the one assistant of the process, its example questions, and index rebuilds
that swap a new assistant in only once it has loaded. No Gradio here (:mod:`ui.app` is the page)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future

from qa.answer.history import cap_history
from qa.core.errors import IndexLockedError, QAError
from qa.core.settings import Settings
from qa.index.build import LOADING, BuildProgress

from . import format as fmt
from .examples import remembered_examples

log = logging.getLogger(__name__)

DEFAULT_SOURCES = 3
MAX_SOURCES = 8


class QAService:
    """The server's one assistant, its example questions, and index rebuilds.

    Requests read :attr:`assistant` once and use that object throughout, so a
    rebuild that swaps in a new assistant never mixes two indexes in one answer.
    """

    def __init__(self, settings: Settings, embedder_loader=None):
        """``embedder_loader(settings)`` replaces the embedding model (the CLI's injection, for tests)."""
        self.settings = settings.require("seeds_dir", "index_dir")
        self._embedder_loader = embedder_loader
        self.index_dir = settings.index_dir
        self.seeds_dir = settings.seeds_dir
        self._assistant = None
        self.examples: list[str] = []
        self._rebuild_state = threading.Lock()
        self._running: Future | None = None  # the rebuild in progress, which later requests join
        self._checked = None  # (when, IndexStatus) of the last status check

    # -------------------------------------------------------------- loading

    @property
    def assistant(self):
        """The assistant answering questions now (loaded by :meth:`prepare`)."""
        if self._assistant is None:
            raise QAError("the assistant is not loaded - call QAService.prepare() first")
        return self._assistant

    @property
    def current(self):
        """The assistant answering questions now, or None before :meth:`prepare` loaded one."""
        return self._assistant

    def status(self, max_age: float = 0.0):
        """:class:`qa.index.store.IndexStatus` of the configured index against the seeds and model.

        ``max_age``: a status checked at most that many seconds ago will do. Page loads
        pass a few seconds: the check walks the whole seeds folder (about a second at
        20,000 files), and 20 loads at once each walked it.
        """
        import time

        from qa.index.manifest import index_status

        checked = self._checked
        if max_age and checked and time.monotonic() - checked[0] < max_age:
            return checked[1]
        status = index_status(self.index_dir, self.seeds_dir, self.settings.model)
        self._checked = (time.monotonic(), status)
        return status

    def _embedder(self):
        if self._embedder_loader is not None:
            return self._embedder_loader(self.settings)
        from qa.models.embedder import load_embedder

        s = self.settings
        return load_embedder(s.model, s.model_cache, s.backend)  # cached: one model per process

    def ensure_index(self, progress=None, show_progress: bool = False):
        """Build the index when it is missing or stale; returns the build report or None.

        A stale index that cannot be rebuilt (say the seeds folder vanished)
        keeps serving, with a warning; a missing one is an error.
        """
        from qa.index.build import build_index

        status = self.status()
        if status.fresh:
            return None
        try:
            return build_index(self.seeds_dir, self.index_dir, self._embedder(), batch_size=self.settings.batch_size,
                               show_progress=show_progress, progress=progress, lock_wait=60.0)
        except (QAError, OSError) as exc:  # a full or read-only disk must not stop a usable index serving
            if status.exists and not status.problem:
                log.warning("serving the existing, stale index: rebuilding failed: %s", exc)
                return None
            raise

    def prepare(self, progress=None, show_progress: bool = False) -> "QAService":
        """Build the index if needed, then load the assistant and derive example questions."""
        self.ensure_index(progress, show_progress)
        self._swap_in(self._load())
        return self

    def _load(self):
        from qa.answer.assistant import Assistant
        from qa.retrieve.retriever import Retriever

        # Questions are embedded by the model that built the index (read from its manifest) unless one is injected.
        injected = self._embedder_loader(self.settings) if self._embedder_loader is not None else None
        retriever = Retriever.load(self.index_dir, settings=self.settings, embedder=injected)
        # Deriving the examples asks questions, which also warms jieba up before the first user arrives.
        return Assistant.load(settings=self.settings, retriever=retriever, max_sources=DEFAULT_SOURCES)

    def _swap_in(self, assistant) -> None:
        examples = remembered_examples(assistant, self.settings.model_cache)
        # One reference assignment: requests see the old or the new assistant, never half of each.
        self._assistant = assistant
        self.examples = examples

    @property
    def rebuild_running(self) -> bool:
        """True while a rebuild is in progress."""
        return self._running is not None

    def rebuild(self, progress=None, join: bool = False, force: bool = True):
        """Rebuild the index from the configured seeds folder while the old one keeps serving.

        The library writes the new build beside the old and swaps its manifest
        atomically; the new assistant replaces the old only once it has loaded.
        One rebuild runs at a time: while one runs, a call with ``join`` waits
        for it and returns its report (or raises its error); without ``join``
        it raises :class:`IndexLockedError`.
        """
        from qa.index.build import build_index

        with self._rebuild_state:
            running, mine = self._running, self._running is None
            if mine:
                running = self._running = Future()
        if not mine:
            if not join:
                raise IndexLockedError("a rebuild is already running")
            return running.result()
        try:
            report = build_index(self.seeds_dir, self.index_dir, self._embedder(), force=force,
                                 batch_size=self.settings.batch_size, progress=progress)
            if progress:
                progress(BuildProgress(LOADING, 0.98))
            self._swap_in(self._load())
            running.set_result(report)
            return report
        except BaseException as exc:
            running.set_exception(exc)
            raise
        finally:
            with self._rebuild_state:
                self._running = None

    # -------------------------------------------------------------- asking

    def ask(self, question: str, history=None, max_sources: int | None = None):
        """(answer, the assistant that gave it) for ``question`` after the chat ``history``.

        Only the most recent turns are kept (:func:`qa.answer.history.cap_history`): each
        kept turn is analysed again for every question.
        """
        assistant = self.assistant
        limit = _clamp_sources(max_sources)
        return assistant.ask(question, history=cap_history(history) or None, max_sources=limit), assistant

    def answer_html(self, question: str, history=None, max_sources: int | None = None) -> tuple[str, str, object]:
        """(answer text, rendered sources HTML, the Answer)."""
        answer, assistant = self.ask(question, history, max_sources)
        return answer.text, fmt.render_sources(answer, assistant.articles), answer


def _clamp_sources(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):  # Infinity is a float JSON accepts
        return DEFAULT_SOURCES
    return max(1, min(MAX_SOURCES, value))

"""A function run in a daemon thread while the caller does other work (model loads at start-up)."""

from __future__ import annotations

import threading


class Background:
    """Runs ``fn`` at once in a daemon thread (a failed start-up never waits for it); ``result()`` re-raises."""

    def __init__(self, fn, name: str = "background"):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name=name, daemon=True)
        self._thread.start()

    def _run(self, fn):
        try:
            self._value = fn()
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self):
        """The function's value once it has finished; its exception, re-raised, if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

"""Seconds per named phase inside one process: timed imports and library functions wrapped with timers.

Used by the one-process profiles (``build_phases.py``, ``experiments/ask_phases.py``). Wrapping
never changes what a function returns; a function missing from this version of the library
is reported on stderr and its phase reads 0.
"""

from __future__ import annotations

import importlib
import sys
import time

perf = time.perf_counter


class PhaseTimer:
    """Accumulates seconds per label; ``seconds`` is the result."""

    def __init__(self, name: str):
        self.name = name
        self.seconds: dict[str, float] = {}

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds

    def imports(self, label: str, *modules: str) -> None:
        """Import ``modules``, timed under ``label`` and under "imports"."""
        start = perf()
        for module in modules:
            importlib.import_module(module)
        self.add(label, perf() - start)
        self.add("imports", perf() - start)

    def _timed(self, fn, label: str, after=None):
        def timed(*a, **k):
            start = perf()
            try:
                result = fn(*a, **k)
            finally:
                self.add(label, perf() - start)
            return after(result) if after else result

        return timed

    def wrap(self, owner, name: str, label: str, after=None) -> None:
        """Time every call of ``owner.name`` (a function, method or classmethod) under ``label``.

        ``after(result)`` may replace the result (say, a session whose ``run`` is timed too).
        """
        raw = getattr(owner, "__dict__", {}).get(name)
        if isinstance(raw, classmethod):
            setattr(owner, name, classmethod(self._timed(raw.__func__, label, after)))
            return
        fn = getattr(owner, name, None)
        if fn is None:
            print("%s: %s.%s not found, not timed" % (self.name, getattr(owner, "__name__", owner), name),
                  file=sys.stderr)
            return
        setattr(owner, name, self._timed(fn, label, after))

    def session_runs(self, label: str):
        """An ``after`` for :meth:`wrap` that times the returned ONNX session's ``run`` calls under ``label``."""
        def after(session):
            session.run = self._timed(session.run, label)
            return session

        return after

"""Names a package re-exports from its modules, imported on first use.

``import qa`` must stay fast: torch, faiss and gradio load only when a name
that needs them is used.
"""

from __future__ import annotations

import importlib


def lazy_getattr(package: str, owners: dict[str, str]):
    """A module ``__getattr__`` for ``package`` that imports ``owners[name]`` (a module path
    relative to ``package``) on first use and returns its ``name``."""

    def __getattr__(name: str):
        if name in owners:
            return getattr(importlib.import_module("." + owners[name], package), name)
        raise AttributeError("module %r has no attribute %r" % (package, name))

    return __getattr__

"""``qa serve`` / ``python -m ui``: start the page, with the model loading while Gradio imports.

Importing Gradio takes seconds and so does loading the index, the question
model and the reader; they share nothing, so this module starts the load in
a thread before importing the page (:mod:`ui.app`, which imports Gradio).
"""

from __future__ import annotations

import logging
import os
import sys

from qa.core.background import Background
from qa.core.errors import QAError
from qa.core.settings import NOISY_LOGGERS, Settings

from . import format as fmt
from .service import QAService


def _console_progress():
    """A progress callback that prints a line whenever the build moves on a stage or a tenth."""
    last = {"stage": None, "fraction": -1.0}

    def report(update) -> None:
        if update.stage != last["stage"] or update.fraction - last["fraction"] >= 0.1 or update.fraction >= 1.0:
            last.update(stage=update.stage, fraction=update.fraction)
            sys.stderr.write("[%3d%%] %s\n" % (round(update.fraction * 100), fmt.progress_text(update)))
            sys.stderr.flush()

    return report


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, embedder_loader=None,
          read_only: bool = False) -> None:
    """Serve the page until the server stops (``qa serve``, ``python -m ui``).

    Builds the index first when it is missing or stale, with progress on
    stderr; loads the model and index once; binds to ``host`` only. Reading is
    open to everyone served; who may add and delete articles follows
    :func:`ui.access.access_for` (``read_only``: nobody, from the page).
    """
    from .access import LOGIN, READ_ONLY, access_for

    access = access_for(host, read_only, settings.editor_token)  # a bad token stops here, before the model loads
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # never phone home, even if the user's env says otherwise
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR)
    service = QAService(settings, embedder_loader)
    status = service.status()
    if not status.fresh:
        sys.stderr.write("index in %s is %s - building it first\n"
                         % (service.index_dir, "stale" if status.exists else "missing"))
    sys.stderr.write("loading the model and the index...\n")
    preparing = Background(lambda: service.prepare(progress=_console_progress(), show_progress=sys.stderr.isatty()),
                           "prepare")
    from .app import build_app, launch  # Gradio: imported while the model loads

    preparing.result()
    demo = build_app(service, access)
    sys.stderr.write("serving on http://%s:%d (Ctrl+C or SIGTERM to stop)\n" % (host, port))
    if access.mode == LOGIN:
        sys.stderr.write("adding and deleting articles needs the editor token (QA_EDITOR_TOKEN); over plain HTTP "
                         "it crosses the network readable - put the page behind HTTPS\n")
    elif access.mode == READ_ONLY:
        sys.stderr.write("read-only: the page cannot add, delete or rebuild%s\n"
                         % ("" if read_only else " (set QA_EDITOR_TOKEN to let editors log in)"))
    try:
        launch(demo, host, port, quiet=True)
    except OSError as exc:
        raise QAError("cannot start the server on %s:%d (%s) - choose another --port" % (host, port, exc)) from None

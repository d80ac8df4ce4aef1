"""``python -m qa`` is the ``qa`` command (the same quick exit as the installed script)."""

from qa.cli import run

run()

"""``python -m ui [--host 127.0.0.1] [--port 7860] [--index DIR] [--seeds DIR] [--model M]``: serve the page.

The same serve path as ``qa serve``: its arguments, settings and error handling.
"""

from __future__ import annotations

import sys


def main(argv=None) -> int:
    """Serve until the server stops; returns the exit code."""
    from qa.cli import main as qa_main

    return qa_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())

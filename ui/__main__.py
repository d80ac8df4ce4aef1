"""``python -m ui [--host 127.0.0.1] [--port 7860] [--index DIR] [--seeds DIR]``: serve the page."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    """Parse the command line and serve until the server stops; returns the exit code."""
    from qa.errors import QAError
    from qa.settings import offline_defaults

    offline_defaults()
    parser = argparse.ArgumentParser(prog="python -m ui", description="Serve the news QA page.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--index", help="index folder (default: embeddings/)")
    parser.add_argument("--seeds", help="folder of article text files (default: seeds/)")
    args = parser.parse_args(argv)

    from .app import serve

    try:
        serve(host=args.host, port=args.port, index_dir=args.index, seeds_dir=args.seeds)
    except QAError as exc:
        sys.stderr.write("error: %s\n" % exc)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

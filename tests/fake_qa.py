"""The real ``qa`` command with the fast fake embedder injected (``qa.cli.main(embedder_loader=...)``).

For tests that kill, race or time builds many times over: ``python tests/fake_qa.py [--fake-delay S] build ...``.
Everything but the model is the product's own code path.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers_robust import FakeEmbedder  # noqa: E402

from qa.cli import main  # noqa: E402


def run(argv: list[str]) -> int:
    delay = 0.0
    if argv[:1] == ["--fake-delay"]:
        delay, argv = float(argv[1]), argv[2:]
    return main(argv, embedder_loader=lambda settings: FakeEmbedder(delay=delay))


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))

"""The small public API re-exported from qa/__init__.py: every name resolves, and importing qa stays light."""

from __future__ import annotations

import subprocess
import sys


def test_every_public_name_resolves():
    import qa

    for name in qa.__all__:
        assert getattr(qa, name) is not None, name


def test_import_qa_loads_no_heavy_library():
    code = "import sys, qa; print(sorted(m for m in ('torch', 'faiss', 'gradio', 'onnxruntime') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr

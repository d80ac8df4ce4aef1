"""Fixtures for the UI tests: real indexes, real Gradio servers, a real headless Chromium.

Imported by the tests/test_ui_*.py modules (tests/conftest.py belongs to the
library tests). Session fixtures imported into several modules would be
instantiated once per module, so the expensive objects are cached here and
closed once, when the test session ends.
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
ARTIFACTS = PROJECT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Headless flags that work on these machines; Playwright adds --headless and a fresh profile itself.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

BUILDING_QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"
BUILDING_ANSWER = "1.8万平方米"
FOLLOW_UP = "那它的占地面积呢?"
FOLLOW_UP_ANSWER = "5000平方米"
UNANSWERABLE = "武进区有多少常住人口?"

HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_PAGE = """网站安全事件通报

本报讯 (记者 安全) 近日,某门户网站页面被植入了恶意代码%s,技术人员随即展开排查。

排查发现,攻击者在评论区插入了图片标签%s,该门户网站的日访问量约3万人次。

技术人员表示,被植入的代码已全部清除,网站已恢复正常访问。**粗体** [链接](javascript:alert(1)) $$x$$
""" % (HOSTILE_SCRIPT, HOSTILE_IMG)
HOSTILE_QUESTION = "门户网站的日访问量是多少?"

_cache: dict = {}


def _once(request, key, make, close=None):
    """``make()`` once per test session; ``close(value)`` when the session ends."""
    if key not in _cache:
        value = make()
        _cache[key] = value
        if close is not None:
            request.config.add_cleanup(lambda: close(value))
    return _cache[key]


def settings_for(index_dir: Path, seeds_dir: Path):
    """The configuration of a page over ``index_dir`` and ``seeds_dir`` (the rest from the environment)."""
    from qa.core.settings import get_settings

    return get_settings().with_overrides(index_dir=index_dir, seeds_dir=seeds_dir)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_index(seeds_dir: Path, index_dir: Path) -> Path:
    """Build a real index (default model, real FAISS) of ``seeds_dir`` into ``index_dir``."""
    from qa.core.settings import get_settings
    from qa.index.build import build_index as build
    from qa.models.embedder import load_embedder

    settings = get_settings()
    build(seeds_dir, index_dir, load_embedder(settings.model, settings.model_cache))
    return index_dir


@dataclass
class Server:
    """A running page: its URL, the service behind it and the Gradio app."""

    url: str
    service: object
    demo: object
    index_dir: Path
    seeds_dir: Path

    def close(self):
        self.demo.close()


def start_server(index_dir: Path, seeds_dir: Path) -> Server:
    """The product's page (ui.app.create_app + ui.app.launch) on a free loopback port."""
    from ui.app import create_app, launch

    demo, service = create_app(settings_for(index_dir, seeds_dir))
    _, url, _ = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    return Server(url.rstrip("/") + "/", service, demo, Path(index_dir), Path(seeds_dir))


@pytest.fixture(scope="session")
def ui_server(request, seed_index) -> Server:
    """The page over the bundled seeds, served on 127.0.0.1 for the whole session (the index is
    tests/conftest.py's ``seed_index``, built once per run)."""
    return _once(request, "ui_server", lambda: start_server(seed_index, SEEDS), Server.close)


@pytest.fixture(scope="session")
def hostile_server(request, tmp_path_factory) -> Server:
    """The page over a seeds folder whose article carries <script> and <img onerror> text."""
    def make():
        root = tmp_path_factory.mktemp("ui-hostile")
        seeds = root / "seeds"
        seeds.mkdir()
        (seeds / "hostile.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
        return start_server(build_index(seeds, root / "embeddings"), seeds)

    return _once(request, "hostile_server", make, Server.close)


@pytest.fixture(scope="session")
def client(request, ui_server):
    """A gradio_client.Client connected to the session's page."""
    from gradio_client import Client

    return _once(request, "client", lambda: Client(ui_server.url, verbose=False))


@pytest.fixture(scope="session")
def browser(request):
    """Headless Chromium driven by Playwright (the system browser; never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing at %s - run `bash scripts/setup --test`" % CHROMIUM)

    def make():
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return playwright, browser

    def close(pair):
        pair[1].close()
        pair[0].stop()

    return _once(request, "browser", make, close)[1]


@dataclass
class BrowserPage:
    """A page plus what it logged: JavaScript errors, console errors, non-local requests."""

    page: object
    errors: list = field(default_factory=list)
    external: list = field(default_factory=list)

    def assert_clean(self):
        assert not self.errors, "the page logged JavaScript errors: %s" % self.errors
        assert not self.external, "the page made non-local requests: %s" % self.external


def _is_local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def web(browser):
    """A fresh 1280x800 zh-CN browser context and page that records errors; fails the test on any."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(20_000)
    record = BrowserPage(page)
    page.on("pageerror", lambda exc: record.errors.append("pageerror: %s" % exc))
    page.on("console", lambda msg: record.errors.append("console.%s: %s" % (msg.type, msg.text))
            if msg.type == "error" else None)
    page.on("request", lambda req: None if _is_local(req.url) else record.external.append(req.url))
    yield record
    context.close()
    record.assert_clean()


def artifact(name: str) -> Path:
    """A path under tests/artifacts/ (gitignored) for screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def copy_index(index_dir: Path, target: Path) -> Path:
    """A private copy of a built index (cheaper than building one)."""
    shutil.copytree(index_dir, target, ignore=shutil.ignore_patterns(".build.lock"))
    return target


def copy_seeds(target: Path) -> Path:
    """A private copy of the bundled seeds (for tests that change them)."""
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture()
def lib_server(tmp_path, seed_index):
    """The page over a private copy of the seeds and their index (tests here change both)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    server = start_server(copy_index(seed_index, tmp_path / "embeddings"), seeds)
    yield server
    server.close()


ANSWERS = "#qa-chat .qa-answer"  # one per assistant reply (answer, not-found notice or error)


def ask(page, question):
    """Type ``question`` into the page, send it with Enter and wait for its reply; the reply's locator."""
    before = page.locator(ANSWERS).count()
    page.fill("#qa-input textarea", question)
    page.press("#qa-input textarea", "Enter")
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length > n", arg=[ANSWERS, before], timeout=60_000)
    page.wait_for_timeout(300)
    return page.locator(ANSWERS).nth(before)


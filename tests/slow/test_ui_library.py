"""The page as a user uses it: upload a document, ask about it, delete it, reload, rate (real server, real Chromium).

Also writes the screenshots docs/screenshot-desktop.png (1280x900) and docs/screenshot-phone.png (390x844).
"""

from __future__ import annotations

import json

import pytest
from doc_fixtures import DOCX_FACTS, make_docx
from ui_fixtures import (  # noqa: F401  (fixtures)
    ANSWERS,
    CHROMIUM_ARGS,
    PROJECT,
    SEEDS,
    ask,
    browser,
    build_index,
    copy_index,
    lib_server,
    start_server,
)

pytestmark = pytest.mark.slow

QUESTION, FACT = next(iter(DOCX_FACTS.items()))




def wait_refreshed(page, service, timeout=120.0):
    """Until the server's index matches the seeds and the page (polling on its own) says so."""
    import time

    deadline = time.monotonic() + timeout
    # Fresh on disk, and the new index swapped in (deriving its examples asks the reader: seconds).
    while not service.status().fresh or service.rebuild_running:
        assert time.monotonic() < deadline, page.locator("#qa-status").inner_text()
        page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('#qa-status [data-running=\"1\"]') && "
                           "document.querySelector('#qa-status').innerText.includes('索引为最新')", timeout=30_000)


def test_upload_ask_delete_reload_rate(lib_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(lib_server.url)
    page.wait_for_selector("#qa-input textarea")

    # An empty submission asks nothing and says what to do (issue 34).
    page.press("#qa-input textarea", "Enter")
    page.wait_for_selector("#qa-input-hint .qa-hint-empty")
    assert page.locator(ANSWERS).count() == 0

    # Upload through the page; the per-file report, then the background refresh.
    page.click("#qa-tab-articles-button")
    (tmp_path / "in").mkdir()
    doc = make_docx(tmp_path / "in")
    page.locator("#qa-upload input[type=file]").set_input_files(str(doc))
    page.wait_for_selector("#qa-upload-report .qa-file-added", timeout=60_000)
    report = page.locator("#qa-upload-report").inner_text()
    assert "光伏电站.docx" in report and "找到 1 篇文章" in report and "石塘村建成光伏发电站" in report
    assert (lib_server.seeds_dir / "光伏电站.docx").is_file()
    wait_refreshed(page, lib_server.service)
    page.screenshot(path=str(PROJECT / "docs" / "screenshot-articles.png"))

    # A bad upload: clear message, nothing changes.
    before = sorted(p.name for p in lib_server.seeds_dir.iterdir())
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 2000)
    page.locator("#qa-upload input[type=file]").set_input_files(str(fake))
    page.wait_for_selector("#qa-upload-report .qa-file-skipped", timeout=30_000)
    assert "程序文件" in page.locator("#qa-upload-report").inner_text()
    assert sorted(p.name for p in lib_server.seeds_dir.iterdir()) == before

    # Ask about it: the answer comes from the uploaded document.
    page.click("#qa-tab-chat-button")
    reply = ask(page, QUESTION)
    assert "qa-found" in reply.get_attribute("class"), reply.inner_text()
    first_card = page.locator("#qa-sources .qa-card").first
    assert "光伏电站.docx" in first_card.inner_text() and FACT in first_card.inner_text()

    # Copy button and citation badge.
    reply.locator(".qa-copy").click()
    page.wait_for_function("() => (window.__qaCopied || '').length > 0")
    assert FACT in page.evaluate("window.__qaCopied") or page.evaluate("window.__qaCopied") in reply.inner_text()
    reply.locator(".qa-cite").first.click()
    page.wait_for_selector("#qa-sources .qa-card.qa-flash")
    page.screenshot(path=str(PROJECT / "docs" / "screenshot-desktop.png"))

    # Rate it: the line is in the log next to the index.
    page.locator("#qa-chat button[aria-label='赞']").last.click()  # zh-CN labels of Gradio's Like button
    page.wait_for_selector("#qa-feedback-note .qa-note-ok")
    log = lib_server.index_dir / "feedback.jsonl"
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert rows[-1]["rating"] == "up" and rows[-1]["question"] == QUESTION and FACT in rows[-1]["evidence"] + rows[-1]["quote"]

    # Reload: the conversation is still there.
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-answer').length === 1", timeout=30_000)
    assert FACT in page.locator(ANSWERS).first.inner_text()

    # Delete the document: after the refresh the answer is gone.
    page.click("#qa-tab-articles-button")
    page.locator("#qa-delete-pick input").click()
    page.get_by_role("option", name="光伏电站.docx").click()
    page.keyboard.press("Escape")
    page.click("#qa-delete")  # asks first (issue 34)
    page.click("#qa-confirm-delete")
    page.wait_for_selector("#qa-upload-report .qa-file-removed", timeout=30_000)
    assert not (lib_server.seeds_dir / "光伏电站.docx").exists()
    wait_refreshed(page, lib_server.service)
    page.click("#qa-tab-chat-button")
    page.click("#qa-new-conv")
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-answer').length === 0")
    reply = ask(page, QUESTION)
    assert "光伏电站.docx" not in page.locator("#qa-sources").inner_text()
    assert FACT not in reply.inner_text()

    # Both conversations are listed and can be switched to.
    page.locator("#qa-conversations input").click()
    assert page.get_by_role("option").count() >= 2
    page.keyboard.press("Escape")
    context.close()
    assert not errors, errors


def test_phone_layout_screenshot(lib_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    page.goto(lib_server.url)
    page.wait_for_selector("#qa-input textarea")
    reply = ask(page, "滨湖文隽企业服务中心的建筑面积是多少?")
    jump = reply.locator(".qa-jump")
    assert jump.is_visible()  # on a phone the answer carries a visible 来源 link
    page.screenshot(path=str(PROJECT / "docs" / "screenshot-phone.png"))
    jump.click()
    page.wait_for_timeout(800)
    top = page.evaluate("document.getElementById('qa-sources').getBoundingClientRect().top")
    assert top < 844, top  # the sources are on screen after the jump
    # Cards by number, relevance never rising down the list.
    numbers = [int(n) for n in page.locator("#qa-sources .qa-num").all_inner_texts()]
    assert numbers == sorted(numbers)
    # Every card says whether the answer cites it (no percentages).
    roles = page.locator("#qa-sources .qa-role-label").all_inner_texts()
    assert len(roles) == len(numbers) and roles[0] == "引用", roles
    context.close()

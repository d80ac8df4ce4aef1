"""Issue 34, the page as a newsroom uses it: a real server, a real headless Chromium, desktop and phone.

Screenshots go to docs/: screenshot-long-question.png, screenshot-long-question-phone.png,
screenshot-delete-confirm.png, screenshot-editor-login.png, screenshot-dropzone-phone.png,
screenshot-pager-phone.png.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
import uuid

import pytest
from doc_fixtures import make_docx, make_html, make_pdf
from ui_fixtures import (  # noqa: F401  (fixtures)
    ANSWERS,
    CHROMIUM_ARGS,
    PROJECT,
    SEEDS,
    ask,
    browser,
    copy_index,
    lib_server,
    settings_for,
    start_server,
)

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SEED_NAME = "000_b3f8d82462db3b47.txt"
TOKEN = "newsroom-editor-" + uuid.uuid4().hex  # made per run, never stored


def open_page(browser, url, viewport, locale="zh-CN"):
    context = browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("#qa-input textarea")
    return context, page, errors




# ---------------------------------------------------------------- 1. the question box


@pytest.mark.parametrize("viewport,shot", [(DESKTOP, "screenshot-long-question.png"),
                                           (PHONE, "screenshot-long-question-phone.png")])
def test_long_question_is_refused_with_its_reason_and_a_counter(lib_server, browser, viewport, shot):
    context, page, errors = open_page(browser, lib_server.url, viewport)
    box = "#qa-input textarea"

    # Far from the limit: no counter. Near it: the count. Past it: the excess, in red.
    page.fill(box, "问" * 100)
    page.wait_for_timeout(600)
    assert page.locator("#qa-counter").inner_text().strip() == ""
    page.fill(box, "问" * 850)
    page.wait_for_function("() => document.getElementById('qa-counter').innerText.includes('850 / 1000')")
    long_question = "背景材料" * 275 + "滨湖文隽企业服务中心的建筑面积是多少?"  # the question at the end of a paste
    page.fill(box, long_question)
    page.wait_for_function("() => document.getElementById('qa-counter').dataset.state === 'over'")
    assert "超出" in page.locator("#qa-counter").inner_text()
    assert page.input_value(box) == long_question  # nothing cut: the box keeps every character

    # Sent anyway: refused with the reason before anything is asked; the text stays to be shortened.
    page.press(box, "Enter")
    page.wait_for_selector("#qa-input-hint .qa-hint-too-long")
    hint = page.locator("#qa-input-hint").inner_text()
    assert "%d 字" % len(long_question) in hint and "1000" in hint and "没有发送" in hint
    assert page.locator(ANSWERS).count() == 0 and page.input_value(box) == long_question
    page.locator("#qa-input-hint").scroll_into_view_if_needed()
    page.screenshot(path=str(PROJECT / "docs" / shot))

    # An empty submit says what to do (and shakes).
    page.fill(box, "   ")
    page.press(box, "Enter")
    page.wait_for_selector("#qa-input-hint .qa-hint-empty")
    assert "请先输入" in page.locator("#qa-input-hint").inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.qa-input-hint')).animationName") == "qa-shake"

    # An error notice carries no 👍/👎; an answer does.
    reply = ask(page, "<script></script>")
    assert "qa-error" in reply.get_attribute("class"), reply.inner_text()
    # (Gradio puts a reply's buttons in the element right after its message row.)
    rating = "#qa-chat .message-row:has(%s) + .message-buttons button[aria-label='赞']"
    assert page.locator(rating % ".qa-error").count() == 1 and not page.locator(rating % ".qa-error").is_visible()
    reply = ask(page, "滨湖文隽企业服务中心的建筑面积是多少?")
    assert "qa-found" in reply.get_attribute("class")
    assert page.locator(rating % ".qa-found").is_visible()
    context.close()
    assert not errors, errors


def test_english_question_refusal_says_once_and_what_works_and_clear_forgets_the_chat(lib_server, browser):
    context, page, errors = open_page(browser, lib_server.url, DESKTOP)
    reply = ask(page, "What is the floor area of the Binhu service centre?")
    text = reply.inner_text()
    assert "qa-notfound" in reply.get_attribute("class")
    assert text.count("没有找到") == 0, text  # only what works: nothing was looked for
    assert "请用中文提问" in reply.locator(".qa-nf-hint").inner_text()

    # 清空对话 empties the chat and takes it off the list of conversations.
    page.locator("#qa-conversations input").click()
    assert page.get_by_role("option").count() == 1
    page.keyboard.press("Escape")
    page.click("#qa-clear")
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-answer').length === 0")
    page.wait_for_timeout(500)
    page.locator("#qa-conversations input").click()
    assert page.get_by_role("option").count() == 0
    page.keyboard.press("Escape")
    # Gone from what the browser keeps too (its storage is encrypted: reload and look).
    page.reload()
    page.wait_for_selector("#qa-input textarea")
    page.wait_for_timeout(1000)
    page.locator("#qa-conversations input").click()
    assert page.get_by_role("option").count() == 0
    page.keyboard.press("Escape")
    context.close()
    assert not errors, errors


# ---------------------------------------------------------------- 2 + 3. counts, delete, undo


COUNTS_JS = """() => {
  const num = (sel) => { const el = document.querySelector(sel); return el ? parseInt(el.textContent.replace(/\\D+/g, ''), 10) : null; };
  return {welcome: num('#qa-chat .qa-welcome-count'), header: num('#qa-header-block .qa-header-count'),
          table: document.querySelectorAll('#qa-articles .qa-art-row').length, pager: num('#qa-art-info .qa-pager-n'),
          status: num('#qa-status .qa-status-count'),
          refreshing: !!document.querySelector('#qa-status [data-running="1"]') ||
                      document.querySelector('#qa-upload-report').innerText.includes('正在后台刷新')};
}"""


def counts_now(page) -> dict:
    """Every count the page shows, read in one go (so they are compared at the same moment)."""
    return page.evaluate(COUNTS_JS)


def wait_settled(page):
    """Until the report's last line says the refresh this page started has finished (no timer involved)."""
    page.wait_for_selector("#qa-upload-report .qa-refresh-tail[data-refreshed='1']", timeout=180_000)


def assert_agree(page, expected):
    counts = counts_now(page)
    assert not counts.pop("refreshing"), counts
    assert set(counts.values()) == {expected}, counts


def pick_file(page, label):
    page.locator("#qa-delete-pick input").click()
    page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")


def test_counts_agree_after_upload_delete_and_undo_with_confirmation(lib_server, browser, tmp_path):
    service = lib_server.service
    context, page, errors = open_page(browser, lib_server.url, DESKTOP)
    page.click("#qa-tab-articles-button")
    assert_agree(page, len(service.current.articles))

    docs = tmp_path / "in"
    docs.mkdir()
    files = [make_docx(docs), make_html(docs), make_pdf(docs)]
    page.locator("#qa-upload input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_selector("#qa-upload-report .qa-file-added")
    wait_settled(page)
    after_upload = len(service.current.articles)
    assert after_upload >= 5 + 3
    assert_agree(page, after_upload)  # at the moment the refresh is reported: every count already the same
    assert "索引为最新" in page.locator("#qa-status").inner_text()

    # The bundled page is marked in the picker, and deleting it warns.
    pick_file(page, "%s（随附样稿）" % SEED_NAME)
    page.click("#qa-delete")
    page.wait_for_selector("#qa-confirm-note .qa-confirm-text")
    assert "随附的样稿" in page.locator("#qa-confirm-note").inner_text()
    page.click("#qa-cancel-delete")
    page.wait_for_selector("#qa-confirm", state="hidden")
    assert (lib_server.seeds_dir / SEED_NAME).is_file()

    # Delete asks first; nothing is gone until confirmed.
    pick_file(page, "东湖湿地公园.html")
    page.click("#qa-delete")
    page.wait_for_selector("#qa-confirm-note .qa-confirm-text")
    assert "东湖湿地公园.html" in page.locator("#qa-confirm-note").inner_text()
    assert (lib_server.seeds_dir / "东湖湿地公园.html").is_file()
    page.screenshot(path=str(PROJECT / "docs" / "screenshot-delete-confirm.png"))
    page.click("#qa-confirm-delete")
    page.wait_for_selector("#qa-upload-report .qa-file-removed")
    assert not (lib_server.seeds_dir / "东湖湿地公园.html").exists()
    assert list((lib_server.seeds_dir / ".trash").rglob("东湖湿地公园.html"))
    wait_settled(page)
    after_delete = len(service.current.articles)
    assert after_delete == after_upload - 1
    assert_agree(page, after_delete)

    # Undo puts the file back, and the counts follow.
    page.click("#qa-undo")
    page.wait_for_selector("#qa-upload-report .qa-file-restored")
    assert (lib_server.seeds_dir / "东湖湿地公园.html").is_file()
    wait_settled(page)
    assert_agree(page, after_upload)
    # The welcome text on the chat tab says the same.
    page.click("#qa-tab-chat-button")
    page.wait_for_selector("#qa-chat .qa-welcome-count")
    assert int(page.locator("#qa-chat .qa-welcome-count").inner_text()) == after_upload
    context.close()
    assert not errors, errors


# ---------------------------------------------------------------- 3. editors and readers


@pytest.fixture()
def remote_server(tmp_path, seed_index):
    """The page served on 127.0.0.2 - loopback, but not 127.0.0.1 - with an editor token."""
    from ui_fixtures import free_port

    from ui.access import access_for
    from ui.app import create_app, launch

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    index = copy_index(seed_index, tmp_path / "embeddings")
    demo, service = create_app(settings_for(index, seeds), access=access_for("127.0.0.2", token=TOKEN))
    _, url, _ = launch(demo, "127.0.0.2", free_port(), prevent_thread_lock=True, quiet=True)
    assert "127.0.0.2" in url
    yield url.rstrip("/") + "/", service, seeds
    demo.close()


def _fn_index(url, elem_id, event="click"):
    """The page's event id for ``event`` on the component ``elem_id`` (what the browser sends)."""
    with urllib.request.urlopen(url + "config", timeout=30) as resp:
        config = json.load(resp)
    ids = {c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id}
    for dep in config["dependencies"]:
        if any(t[0] in ids and t[1] == event for t in dep["targets"]):
            return dep["id"]
    raise AssertionError("no %s event on #%s" % (event, elem_id))


def _call(url, fn_index, data):
    """Call a page event over plain HTTP as a fresh session (no login); the outputs."""
    session = uuid.uuid4().hex[:10]
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                       "trigger_id": None}).encode()
    request = urllib.request.Request(url + "gradio_api/queue/join", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        assert resp.status == 200
    with urllib.request.urlopen(url + "gradio_api/queue/data?session_hash=" + session, timeout=120) as resp:
        for raw in resp:
            line = raw.decode("utf-8").strip()
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message.get("output", {})
    raise AssertionError("no answer")


def test_editor_login_on_a_non_loopback_address(remote_server, browser, tmp_path):
    url, _, seeds = remote_server
    before = sorted(p.name for p in seeds.iterdir())

    # Over HTTP: a reader's session calling the delete and upload events is refused; nothing changes.
    # The session's editor flag is server-side state: claiming it in the request changes nothing.
    output = _call(url, _fn_index(url, "qa-confirm-delete"), [[SEED_NAME], True])
    assert "需要编辑权限" in json.dumps(output, ensure_ascii=False), output
    (tmp_path / "in").mkdir()
    docx = make_docx(tmp_path / "in")
    with open(docx, "rb") as handle:
        boundary = uuid.uuid4().hex
        payload = (("--%s\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.docx\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n" % boundary).encode() + handle.read()
                   + ("\r\n--%s--\r\n" % boundary).encode())
    request = urllib.request.Request(url + "gradio_api/upload", payload,
                                     {"Content-Type": "multipart/form-data; boundary=%s" % boundary})
    with urllib.request.urlopen(request, timeout=30) as resp:
        uploaded = json.load(resp)[0]
    output = _call(url, _fn_index(url, "qa-upload", "upload"),
                   [[{"path": uploaded, "meta": {"_type": "gradio.FileData"}, "orig_name": "a.docx"}], True])
    assert "需要编辑权限" in json.dumps(output, ensure_ascii=False), output
    output = _call(url, _fn_index(url, "qa-rebuild"), [True])
    assert "需要编辑权限" in json.dumps(output, ensure_ascii=False), output
    assert sorted(p.name for p in seeds.iterdir()) == before

    # Over the API: reading stays open to everyone.
    from gradio_client import Client

    text, _ = Client(url, verbose=False).predict("滨湖文隽企业服务中心的建筑面积是多少?", [], 3, api_name="/ask")
    assert "1.8万平方米" in text

    # In the browser: no write controls until the editor logs in; a wrong token is refused.
    for viewport in (DESKTOP, PHONE):
        context, page, errors = open_page(browser, url, viewport)
        page.click("#qa-tab-articles-button")
        page.wait_for_selector("#qa-login-token input")
        assert not page.locator("#qa-upload").is_visible() and not page.locator("#qa-delete").is_visible()
        assert not page.locator("#qa-rebuild").is_visible()
        page.fill("#qa-login-token input", "not-the-token")
        page.click("#qa-login-btn")
        page.wait_for_selector("#qa-login-note .qa-note-bad")
        assert not page.locator("#qa-upload").is_visible()
        if viewport is DESKTOP:
            page.screenshot(path=str(PROJECT / "docs" / "screenshot-editor-login.png"))
        page.fill("#qa-login-token input", TOKEN)
        page.press("#qa-login-token input", "Enter")
        page.wait_for_selector("#qa-upload", state="visible")
        assert page.locator("#qa-delete").is_visible() and page.locator("#qa-rebuild").is_visible()
        context.close()
        assert not errors, errors


def test_read_only_page_has_no_write_actions(tmp_path, seed_index, browser):
    from ui_fixtures import free_port

    from ui.access import access_for
    from ui.app import create_app, launch

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    demo, _ = create_app(settings_for(copy_index(seed_index, tmp_path / "embeddings"), seeds),
                         access=access_for("127.0.0.1", read_only=True))
    _, url, _ = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    try:
        with urllib.request.urlopen(url + "config", timeout=30) as resp:
            config = json.load(resp)
        elem_ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert not elem_ids & {"qa-upload", "qa-delete", "qa-confirm-delete", "qa-rebuild", "qa-paste-add", "qa-undo"}
        context, page, errors = open_page(browser, url, DESKTOP)
        page.click("#qa-tab-articles-button")
        page.wait_for_selector("#qa-read-only")
        assert "只读" in page.locator("#qa-read-only").inner_text()
        assert not page.locator("#qa-upload").count() and not page.locator("#qa-login-token").count()
        context.close()
        assert not errors, errors
    finally:
        demo.close()


# ---------------------------------------------------------------- 4 + 5. Chinese, phone layout


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_drop_zone_and_file_type_messages_are_chinese(lib_server, browser, tmp_path, viewport):
    # An English browser: Gradio words its own strings from the browser's language.
    context, page, errors = open_page(browser, lib_server.url, viewport, locale="en-US")
    page.click("#qa-tab-articles-button")
    zone = "#qa-upload [data-testid=upload-text]"
    page.wait_for_selector(zone)
    shown = page.evaluate("(s) => getComputedStyle(document.querySelector(s), '::after').content", zone)
    assert "拖放文件到这里" in shown
    assert page.evaluate("(s) => getComputedStyle(document.querySelector(s)).fontSize", zone) == "0px"
    # No label floating over the upload icon.
    icon = page.locator("#qa-upload [data-testid=upload-icon]").bounding_box()
    for label in page.locator("#qa-upload label[data-testid=block-label]").all():
        if label.is_visible():
            box = label.bounding_box()
            assert box["y"] + box["height"] <= icon["y"] or box["x"] + box["width"] <= icon["x"], (box, icon)
    if viewport is PHONE:
        page.locator(zone).scroll_into_view_if_needed()
        page.screenshot(path=str(PROJECT / "docs" / "screenshot-dropzone-phone.png"))

    bad = tmp_path / "w64.exe"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 500)
    page.locator("#qa-upload input[type=file]").set_input_files(str(bad))
    page.wait_for_selector("#qa-upload-report .qa-file-skipped")
    report = page.locator("#qa-upload-report").inner_text()
    assert "不支持的文件类型" in report and "unsupported" not in report
    page.wait_for_timeout(500)
    assert "Invalid file type" not in page.locator("body").inner_text()
    context.close()
    assert not errors, errors


def _fits(page, selector):
    """Whether the element's text (or placeholder) fits its box on one line."""
    return page.evaluate("""(sel) => {
      const el = document.querySelector(sel); const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d'); ctx.font = cs.font;
      const text = el.value || el.placeholder || el.textContent;
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return [ctx.measureText(text).width, room];
    }""", selector)


def test_phone_pager_picker_placeholder_viewer_and_summary_cards(lib_server, browser):
    context, page, errors = open_page(browser, lib_server.url, PHONE)
    width, room = _fits(page, "#qa-input textarea")
    assert width <= room, (width, room)  # the placeholder is not clipped

    reply = ask(page, "总结一下石墨烯小镇那篇文章")
    assert reply.locator("ul.qa-summary > li").count() >= 2
    labels = page.locator("#qa-sources .qa-role-label").all_inner_texts()
    assert len(labels) == page.locator("#qa-sources .qa-card").count(), labels  # every card says what it is
    assert set(labels) <= {"引用", "其他相关段落"} and "引用" in labels, labels

    # The conversation picker's title stops before its arrow.
    page.wait_for_function("() => document.querySelector('#qa-conversations input').value.length > 0")
    text_w, room = _fits(page, "#qa-conversations input")
    box = page.locator("#qa-conversations input").bounding_box()
    arrow = page.locator("#qa-conversations .icon-wrap, #qa-conversations svg").last.bounding_box()
    assert box["x"] + min(text_w, room) <= arrow["x"] + 1, (box, text_w, room, arrow)

    page.click("#qa-tab-articles-button")
    info = page.locator("#qa-art-info")
    info.wait_for()
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#qa-art-info span')).lineHeight) || 24")
    for piece in (".qa-pager-page", ".qa-pager-count"):
        assert page.locator("#qa-art-info " + piece).bounding_box()["height"] < 1.6 * line  # never one character a line
    page.locator("#qa-art-info").scroll_into_view_if_needed()
    page.screenshot(path=str(PROJECT / "docs" / "screenshot-pager-phone.png"))

    # The viewer starts at 1, and a row's 查看全文 opens that row's article.
    assert page.input_value("#qa-art-number input") == "1"
    rows = page.locator("#qa-articles .qa-art-row")
    title = rows.nth(2).locator(".qa-art-title").inner_text().split("\n")[0]
    rows.nth(2).locator("summary").click()
    rows.nth(2).locator(".qa-art-open").click()
    page.wait_for_function("(t) => document.querySelector('#qa-art-view').innerText.includes(t)", arg=title)
    assert page.locator("#qa-art-view .qa-article-title").inner_text().startswith("3. ")
    context.close()
    assert not errors, errors

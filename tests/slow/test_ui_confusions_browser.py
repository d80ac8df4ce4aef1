"""A new user's confusions, in a real headless Chromium at 1280x900 and 390x844: an older answer's
badge shows that answer's own sources, cards say what they are, notices are worded, 清空对话 can be
undone, no English is left, the phone puts the list first and scrolls to an opened article."""

from __future__ import annotations

import pytest
from ui_fixtures import BUILDING_ANSWER, BUILDING_QUESTION, browser, ui_server  # noqa: F401, F811

pytestmark = pytest.mark.slow

ANSWERS = "#qa-chat .qa-answer"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SUMMARY = "总结一下石墨烯小镇那篇文章"


@pytest.fixture()
def opened(browser, request):
    """open(viewport) -> page; the context closes and page errors fail the test afterwards."""
    made = []

    def open_(viewport):
        context = browser.new_context(viewport=viewport, locale="en-US", device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(30_000)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        made.append((context, errors))
        page.goto(request.getfixturevalue("ui_server").url)
        page.wait_for_selector("#qa-input textarea")
        return page

    yield open_
    for context, errors in made:
        context.close()
        assert not errors, errors


def ask(page, question):
    before = page.locator(ANSWERS).count()
    page.fill("#qa-input textarea", question)
    page.press("#qa-input textarea", "Enter")
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length > n", arg=[ANSWERS, before], timeout=60_000)
    page.wait_for_function("(n) => { const p = document.querySelector('#qa-sources .qa-panel');"
                           " return p && p.dataset.turn === String(n); }", arg=before)
    return page.locator(ANSWERS).nth(before)


def flashed_card(page):
    page.wait_for_selector("#qa-sources .qa-card.qa-flash", timeout=15_000)
    return page.locator("#qa-sources .qa-card.qa-flash")


def test_an_older_answers_badge_shows_that_answers_own_source(opened):
    page = opened(DESKTOP)
    ask(page, BUILDING_QUESTION)
    ask(page, SUMMARY)
    latest_first_card = page.locator("#qa-sources .qa-card").first.inner_text()
    assert "石墨烯" in latest_first_card

    # Badge [1] of the first answer: the panel switches to that answer's sources and flashes its card 1.
    page.locator(ANSWERS).first.locator(".qa-quote .qa-cite").first.click()
    card = flashed_card(page)
    assert card.get_attribute("data-source") == "1"
    assert BUILDING_ANSWER in card.locator(".qa-para mark").inner_text()
    assert "石墨烯" not in card.inner_text()
    assert "正在显示第 1 个回答的来源" in page.locator("#qa-sources .qa-older-note").inner_text()

    # Back to the latest answer: its badge [2] is the latest panel's card 2.
    page.wait_for_selector("#qa-sources .qa-card.qa-flash", state="detached", timeout=5000)
    page.locator(ANSWERS).nth(1).locator(".qa-quote .qa-cite").nth(1).click()
    card = flashed_card(page)
    assert card.get_attribute("data-source") == "2" and "石墨烯" in card.inner_text()
    assert page.locator("#qa-sources .qa-older-note").count() == 0


def test_cards_are_labelled_and_counted_and_the_refusal_is_worded(opened):
    page = opened(DESKTOP)
    ask(page, BUILDING_QUESTION)
    labels = page.locator("#qa-sources .qa-role-label").all_inner_texts()
    assert labels == ["引用"] + ["其他相关段落"] * (len(labels) - 1), labels
    assert "%" not in page.locator("#qa-sources").inner_text()
    assert page.locator("#qa-sources .qa-count").inner_text() == "引用 1 段 · 其他相关 %d 段" % (len(labels) - 1)

    # A question in English: only the Chinese hint, under a worded tag; 复制 stays on one line.
    reply = ask(page, "What is the floor area of the Binhu service centre?")
    text = reply.inner_text()
    assert "没有找到" not in text and "请用中文提问" in text
    assert reply.locator(".qa-tag").inner_text() == "提示"
    assert "?" not in reply.locator(".qa-nf-row").inner_text().split("\n")[0]
    copy = reply.locator(".qa-copy").bounding_box()
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#qa-chat .qa-copy')).lineHeight) || 20")
    assert copy["height"] < 1.6 * line and copy["width"] > copy["height"], copy  # not 复/制 on two lines
    labels = page.locator("#qa-sources .qa-role-label").all_inner_texts()
    assert labels and set(labels) == {"相关段落（未引用）"}, labels  # every card alike, none with a bar


def test_one_clear_control_with_undo_and_no_english_left(opened):
    page = opened(DESKTOP)  # an English browser: Gradio's own words would be English here
    ask(page, BUILDING_QUESTION)
    page.wait_for_timeout(500)
    english = page.evaluate("""() => Array.from(document.querySelectorAll('[aria-label], [title]'))
        .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')])
        .filter(v => ['Clear', 'Like', 'Dislike'].includes(v))""")
    assert english == [], english
    assert "Use via API" not in page.locator("body").inner_text()
    second_clear = page.evaluate("""() => Array.from(document.querySelectorAll('#qa-chat button'))
        .filter(b => b.offsetParent !== null && /清空|Clear/.test(b.getAttribute('aria-label') || '')).length""")
    assert second_clear == 0  # one clear control: 清空对话

    page.click("#qa-clear")
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-answer').length === 0")
    undo = page.locator("#qa-undo-clear")
    undo.wait_for(state="visible")
    undo.click()
    page.wait_for_function("(a) => (document.querySelector('#qa-chat .qa-answer') || {}).innerText?.includes(a)",
                           arg=BUILDING_ANSWER)
    undo.wait_for(state="hidden")
    page.locator("#qa-conversations input").click()
    assert page.get_by_role("option").count() == 1  # back on the list too
    page.keyboard.press("Escape")

    # The technical details of the status card are Chinese.
    page.click("#qa-tab-articles-button")
    page.locator("#qa-status .qa-tech summary").click()
    details = page.locator("#qa-status .qa-tech pre").inner_text()
    assert "索引为最新" in details and "index is" not in details


def test_delete_confirmation_counts_articles_and_list_has_dates(opened):
    page = opened(DESKTOP)
    page.click("#qa-tab-articles-button")
    page.wait_for_selector("#qa-articles .qa-art-row")
    assert "日期" in page.locator("#qa-articles .qa-art-header").inner_text()
    assert page.locator("#qa-articles .qa-art-date").count() == page.locator("#qa-articles .qa-art-row").count()
    page.locator("#qa-delete-pick input").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.click("#qa-delete")
    note = page.locator("#qa-confirm-note")
    note.wait_for(state="visible")
    assert "共 5 篇文章" in note.inner_text(), note.inner_text()  # the sample page holds five
    page.click("#qa-cancel-delete")


def test_phone_list_first_viewer_scrolled_and_picker_placeholder(opened):
    page = opened(PHONE)
    placeholder = page.locator("#qa-conversations input").get_attribute("placeholder") or ""
    assert "对话" in placeholder, placeholder
    page.click("#qa-tab-articles-button")
    page.wait_for_selector("#qa-articles .qa-art-row")
    list_top = page.locator("#qa-articles").bounding_box()["y"]
    tools_top = page.locator("#qa-status").bounding_box()["y"]
    assert list_top < tools_top, (list_top, tools_top)  # the list before the editor tools

    rows = page.locator("#qa-articles .qa-art-row")
    rows.nth(3).locator("summary").click()
    rows.nth(3).locator(".qa-art-open").click()
    page.wait_for_function("() => (document.querySelector('#qa-art-view .qa-article-title') || {}).textContent"
                           "?.startsWith('4. ')")
    page.wait_for_function("() => { const r = document.getElementById('qa-art-view').getBoundingClientRect();"
                           " return r.top >= -2 && r.top < window.innerHeight * 0.5; }", timeout=5000)

"""The page in a real headless Chromium: chat, follow-ups, sources, the articles tab, hostile text.

Set QA_DOCS_SCREENSHOT=1 to also refresh docs/screenshot.png from the chat test.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from ui_fixtures import (  # noqa: F401  (fixtures)
    BUILDING_ANSWER,
    BUILDING_QUESTION,
    FOLLOW_UP,
    FOLLOW_UP_ANSWER,
    HOSTILE_IMG,
    HOSTILE_QUESTION,
    HOSTILE_SCRIPT,
    PROJECT,
    UNANSWERABLE,
    artifact,
    browser,
    hostile_server,
    ui_server,
    web,
)

pytestmark = pytest.mark.slow

ANSWERS = "#qa-chat .qa-answer"  # one per assistant reply (answer, not-found notice or error)


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector("#qa-input textarea")
    page.wait_for_selector("#qa-sources .qa-sources-empty")


def ask(page, question, *, press_enter=True, click=None):
    """Type ``question`` and submit it (or click ``click``); return the new reply once it has arrived."""
    before = page.locator(ANSWERS).count()
    if click is not None:
        click.click()
    else:
        page.fill("#qa-input textarea", question)
        if press_enter:
            page.press("#qa-input textarea", "Enter")
        else:
            page.click("#qa-send")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[ANSWERS, before])
    return page.locator(ANSWERS).nth(before)


def test_chat_sources_follow_up_and_articles_tab(ui_server, web):
    page = web.page
    open_page(page, ui_server.url)
    service = ui_server.service

    # Example questions come from the index, and are shown on the empty chat.
    assert service.examples, "no example questions derived from the index"
    assert page.get_by_text(service.examples[0]).first.is_visible()

    reply = ask(page, BUILDING_QUESTION)
    assert BUILDING_ANSWER in reply.inner_text()
    assert reply.locator(".qa-cite").count() >= 1  # citation marker shown as a badge
    assert "qa-found" in reply.get_attribute("class")
    first_card = page.locator("#qa-sources .qa-card").first
    assert BUILDING_ANSWER in first_card.locator("mark").first.inner_text()
    assert "高新区滨湖文隽企业服务中心投用" in first_card.locator(".qa-card-title").inner_text()
    assert "引用" in first_card.locator(".qa-role-label").inner_text()

    reply = ask(page, FOLLOW_UP, press_enter=False)
    assert FOLLOW_UP_ANSWER in reply.inner_text()
    page.wait_for_timeout(300)  # let the chat finish scrolling
    page.screenshot(path=str(artifact("ui_chat.png")))
    if os.environ.get("QA_DOCS_SCREENSHOT") == "1":
        page.screenshot(path=str(PROJECT / "docs" / "screenshot.png"))

    # Expanding a card shows the whole article with the cited paragraph marked.
    first_card = page.locator("#qa-sources .qa-card").first
    first_card.locator("summary").click()
    article = first_card.locator(".qa-article")
    article.wait_for(state="visible")
    assert "滨湖集团商管负责人蒋佳利说" in article.inner_text()  # a paragraph the card itself does not show
    assert article.locator(".qa-cited mark").count() == 1

    # "Not in the articles" looks different from an answer.
    reply = ask(page, UNANSWERABLE)
    assert "qa-notfound" in reply.get_attribute("class")
    assert reply.locator(".qa-tag").inner_text() == "未找到"  # a worded tag, not a lone "?"
    assert page.locator("#qa-sources .qa-sources-notfound").count() == 1

    # An empty question is ignored quietly (issue 9): no bubble, the chat carries on.
    count = page.locator(ANSWERS).count()
    page.fill("#qa-input textarea", "   ")
    page.click("#qa-send")
    page.wait_for_timeout(800)
    assert page.locator(ANSWERS).count() == count
    assert "Traceback" not in page.content()

    # Settings: fewer sources.
    page.get_by_text("设置", exact=True).click()
    slider = page.locator("#qa-max-sources input[type=range]")
    slider.wait_for(state="visible")
    # The tab may render its contents again just after it opens, and a value filled into the first
    # render is lost (seen once in three runs); fill until the number box shows it.
    for _ in range(3):
        slider.fill("1")
        try:
            page.wait_for_function(
                "() => document.querySelector('#qa-max-sources input[type=number]').value === '1'", timeout=5000)
            break
        except PlaywrightTimeoutError:
            continue
    else:
        pytest.fail("the sources slider never took the value 1")
    ask(page, BUILDING_QUESTION)
    # The sources panel updates after the chat reply; wait for it rather than race it (once, on a machine busy
    # with a training run and evaluations, 15 s were not enough).
    try:
        page.wait_for_function("() => document.querySelectorAll('#qa-sources .qa-card').length === 1", timeout=30000)
    except PlaywrightTimeoutError:
        # Seen in two full-suite runs and in no run of this tier alone: say what the page showed.
        shown = page.locator("#qa-max-sources input[type=number]").input_value()
        pytest.fail("sources shown: %d, the slider's number box: %s, last reply: %s" % (
            page.locator("#qa-sources .qa-card").count(), shown, page.locator(ANSWERS).last.inner_text()[:200]))
    assert page.locator("#qa-sources .qa-card").count() == 1

    # After the first answer the example questions stay available under the input.
    reply = ask(page, None, click=page.locator("#qa-examples").get_by_text(service.examples[-1]))
    assert "qa-found" in reply.get_attribute("class")

    # Clear empties chat and sources.
    page.click("#qa-clear")
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 0", arg=ANSWERS)
    page.wait_for_selector("#qa-sources .qa-sources-empty")

    # Clicking an example question on the empty chat asks it.
    page.get_by_text(service.examples[0]).first.click()
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 1", arg=ANSWERS)
    assert "qa-found" in page.locator(ANSWERS).first.get_attribute("class")
    page.wait_for_selector("#qa-sources .qa-card mark")

    # The articles tab lists every indexed article and the index status, and rebuilds.
    page.click("#qa-tab-articles-button")
    rows = page.locator("#qa-articles .qa-art-row")
    rows.first.wait_for(state="visible")
    articles = service.assistant.articles
    assert rows.count() == len(articles)
    first = next(iter(articles.values()))
    assert first.headline in rows.first.inner_text()
    assert "%d 段" % len(first.paragraphs) in rows.first.inner_text()
    assert "索引为最新" in page.locator("#qa-status").inner_text()
    page.screenshot(path=str(artifact("ui_articles.png")))

    old_assistant = service.assistant
    page.click("#qa-rebuild")
    page.wait_for_selector("#qa-rebuild-msg .qa-note-ok", timeout=60_000)
    assert "索引已重建" in page.locator("#qa-rebuild-msg").inner_text()
    assert service.assistant is not old_assistant  # swapped in after it loaded
    assert "索引为最新" in page.locator("#qa-status").inner_text()
    web.assert_clean()


def test_hostile_article_text_never_runs(hostile_server, web):
    page = web.page
    open_page(page, hostile_server.url)

    reply = ask(page, HOSTILE_QUESTION)
    assert "3万人次" in reply.inner_text()
    sources = page.locator("#qa-sources")
    sources.locator(".qa-card").first.wait_for()
    # Open every card so the whole article (with the <script> text) is rendered too.
    for summary in sources.locator(".qa-card > summary").all():
        summary.click()
    text = sources.inner_text()
    assert HOSTILE_IMG in text
    assert HOSTILE_SCRIPT in text
    assert "**粗体** [链接](javascript:alert(1)) $$x$$" in text

    # A question carrying markup shows as text too.
    reply = ask(page, '<img src=x onerror="window.__pwned=3">门户网站被植入了什么?')
    user_bubbles = page.locator("#qa-chat [data-testid=user]")
    assert '<img src=x onerror="window.__pwned=3">' in user_bubbles.last.inner_text()

    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert sources.locator("img").count() == 0
    assert sources.locator("script").count() == 0
    assert page.locator("#qa-chat .message img, #qa-chat [data-testid=user] img").count() == 0
    assert page.locator("#qa-chat a[href^='javascript']").count() == 0
    page.screenshot(path=str(artifact("ui_hostile.png")))
    web.assert_clean()

"""List and summary answers on the page, in a real headless Chromium (issue 13).

Set QA_DOCS_SCREENSHOT=1 to also refresh docs/screenshot-forms.png.
"""

from __future__ import annotations

import os

import pytest
from ui_fixtures import ANSWERS, PROJECT, artifact, ask, browser, ui_server, web  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow





def test_list_and_summary_answers_render_as_lists_with_citations(ui_server, web):
    page = web.page
    page.goto(ui_server.url)
    page.wait_for_selector("#qa-input textarea")

    reply = ask(page, "滨湖文隽企业服务中心集哪些服务于一体?")
    items = reply.locator("ol.qa-list > li")
    assert items.count() == 5
    assert "餐饮" in items.nth(0).inner_text() and "配套服务" in items.nth(4).inner_text()
    for i in range(items.count()):
        assert items.nth(i).locator(".qa-cite").count() == 1  # each item carries its citation badge
    assert "qa-form-list" in reply.get_attribute("class")
    card = page.locator("#qa-sources .qa-card").first
    assert "餐饮、宴会、会务、住宿及配套服务" in card.locator("mark").first.inner_text()

    reply = ask(page, "总结一下石墨烯小镇那篇文章")
    assert "常州石墨烯小镇再获“金字招牌”" in reply.locator(".qa-short").inner_text()  # the headline heads it
    sentences = reply.locator("ul.qa-summary > li")
    assert 2 <= sentences.count() <= 5
    assert "为持续推动江苏特色小镇高质量发展" in sentences.nth(0).inner_text()  # the lead comes first
    assert all(sentences.nth(i).locator(".qa-cite").count() == 1 for i in range(sentences.count()))
    # A badge scrolls to its card; every cited card is from the summarised article.
    titles = page.locator("#qa-sources .qa-card .qa-card-title")
    assert "常州石墨烯小镇再获“金字招牌”" in titles.first.inner_text()
    box = reply.bounding_box()
    assert box and box["height"] < 600  # a few sentences, not the whole article
    page.set_viewport_size({"width": 1280, "height": 1240})  # both answers in view
    page.wait_for_timeout(300)
    page.locator(ANSWERS).first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifact("ui_forms.png")))
    if os.environ.get("QA_DOCS_SCREENSHOT") == "1":
        page.screenshot(path=str(PROJECT / "docs" / "screenshot-forms.png"))

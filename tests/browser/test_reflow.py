"""Reflow (WCAG 1.4.10, RGAA 10.11): no horizontal scrolling at 320 CSS pixels on any page type."""

from __future__ import annotations

import pytest

from tests.page_types import PAGE_TYPES

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture(scope="module")
def narrow(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_horizontal_scroll_at_320px(narrow, site_url, name):
    narrow.goto(site_url + PAGE_TYPES[name])
    result = narrow.evaluate(OVERFLOW)
    assert result["scroll"] <= result["width"], f"{PAGE_TYPES[name]} déborde à 320 px : {result}"


def test_overflow_check_detects_a_wide_element(narrow, site_url):
    narrow.goto(site_url + "/")
    narrow.evaluate("document.querySelector('main').append(Object.assign(document.createElement('pre'), {textContent: 'x'.repeat(200)}))")
    result = narrow.evaluate(OVERFLOW)
    assert result["scroll"] > result["width"]

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
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_horizontal_scroll_at_320px(narrow, site_url, name):
    narrow.goto(site_url + PAGE_TYPES[name])
    result = narrow.evaluate(OVERFLOW)
    assert result["scroll"] <= result["width"], f"{PAGE_TYPES[name]} déborde à 320 px : {result}"


def test_overflow_check_detects_a_wide_element(narrow, site_url):
    narrow.goto(site_url + "/")
    narrow.evaluate("""() => {
        const wide = document.createElement('div');
        wide.style.width = '1000px';  // set through the CSSOM, which the CSP allows
        wide.textContent = 'large';
        document.querySelector('main').append(wide);
    }""")
    result = narrow.evaluate(OVERFLOW)
    assert result["scroll"] > result["width"]


def test_print_sheet_keeps_what_a_family_needs(browser, site_url):
    """Printed in dark mode, a département page is black on white, keeps the number and contacts, drops navigation."""
    context = browser.new_context(bypass_csp=True, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(site_url + "/departements/59-nord/")
        page.emulate_media(media="print")
        visible = lambda selector: page.locator(selector).first.is_visible()  # noqa: E731
        assert visible(".encart-numero a[href='tel:0800360360']")
        assert visible("a[href='tel:0353012345']")
        assert visible(".seulement-impression")
        assert not visible("nav[aria-label=\"Fil d'Ariane\"]")
        assert not visible("footer nav")
        assert not visible(".signaler")
        colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
        assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    finally:
        context.close()

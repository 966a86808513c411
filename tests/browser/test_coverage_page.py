"""The coverage page in a browser: sorted without JavaScript, readable at 320 px, axe-clean with every rule."""

from __future__ import annotations

import pytest

from tests.conftest import axe_violations

pytestmark = pytest.mark.browser

FIRST_ROW = "table.couverture-tableau tbody tr:first-child th"


def test_sorting_works_without_javascript(no_js_page, site_url):
    page = no_js_page
    page.goto(site_url + "/couverture/")
    assert page.inner_text(FIRST_ROW) == "Ain (01)"
    page.get_by_role("link", name="Information la plus ancienne : trier par cette colonne").click()
    page.wait_for_url("**/couverture/par-anciennete/#tableau-titre")
    assert page.inner_text(FIRST_ROW) == "Nord (59)"
    assert page.get_attribute("th[aria-sort]", "aria-sort") == "ascending"
    page.get_by_role("link", name="Département : trier par cette colonne").click()
    assert page.inner_text(FIRST_ROW) == "Ain (01)"


def test_the_table_scrolls_inside_its_region_at_320px(browser, site_url):
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(site_url + "/couverture/")
        sizes = page.evaluate("""() => {
          const region = document.querySelector('.tableau-defilant');
          return {page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
                  inner: region.scrollWidth, outer: region.clientWidth};
        }""")
        assert sizes["page"] <= sizes["width"]  # the page does not scroll sideways…
        assert sizes["inner"] > sizes["outer"]  # …the table does, inside its focusable region
        page.focus(".tableau-defilant")
        page.keyboard.press("ArrowRight")
        # the keyboard scrolls the focused region (smoothly: wait for it rather than read it at once)
        page.wait_for_function("document.querySelector('.tableau-defilant').scrollLeft > 0", timeout=5000)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_map_legend_patterns_are_drawn(axe_page, site_url):
    page = axe_page
    page.goto(site_url + "/couverture/")
    # a pattern-filled outline is painted (a broken url(#…) would leave it without fill)
    fill = page.evaluate("getComputedStyle(document.querySelector('a[href=\"/departements/59-nord/\"] path')).fill")
    assert fill.startswith("url(") and "motif-3" in fill
    box = page.locator(".legende__liste li").first.bounding_box()
    assert box is not None and box["height"] > 0

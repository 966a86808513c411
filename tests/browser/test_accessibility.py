"""axe-core, with every rule it has, on one page of each type, in light and dark colour schemes."""

from __future__ import annotations

import pytest

from tests.conftest import run_axe
from tests.page_types import PAGE_TYPES

pytestmark = pytest.mark.browser

@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 320)])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_reports_no_violation(browser, site_url, name, scheme, width):
    """Every rule, on a desktop screen in both colour schemes and on a 320 px phone (where the layout changes:
    the map gives way to tiles, the filters fold)."""
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        response = page.goto(site_url + PAGE_TYPES[name])
        assert response is not None and response.ok, f"{PAGE_TYPES[name]} : HTTP {response and response.status}"
        result = run_axe(page)
    finally:
        context.close()
    assert result["rules"] > 90, "axe-core n'a pas chargé toutes ses règles"
    report = "\n".join(f"[{v['impact']}] {v['id']} : {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in result["violations"])
    assert not result["violations"], f"{PAGE_TYPES[name]} ({scheme}, {width} px) :\n{report}"


def test_axe_finds_a_planted_violation(axe_page, site_url):
    """The harness can fail: an image without alt text on a real page is reported."""
    page = axe_page
    page.goto(site_url + "/")
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/static/favicon.svg'}))")
    ids = {v["id"] for v in run_axe(page)["violations"]}
    assert "image-alt" in ids

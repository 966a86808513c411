"""axe-core, with every rule it has, on one page of each type, in light and dark colour schemes."""

from __future__ import annotations

import pytest

from tests.conftest import RUN_ALL_RULES, run_axe
from tests.page_types import PAGE_TYPES

pytestmark = pytest.mark.browser

# A desktop screen in both colour schemes, a 320 px phone in the light one (where the layout changes: the map
# gives way to tiles, the filters fold). The schemes share one load: the colour scheme is a media query the page
# follows as it changes (no script reads it, no colour is animated), the width is not (the search page folds its
# filters by the width it is loaded at).
VIEWS = {1280: ("light", "dark"), 320: ("light",)}


@pytest.mark.parametrize("width", sorted(VIEWS, reverse=True))
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_reports_no_violation(browser, site_url, name, width):
    """Every rule, in each colour scheme of the view."""
    schemes = VIEWS[width]
    context = browser.new_context(bypass_csp=True, color_scheme=schemes[0], viewport={"width": width, "height": 800})
    results = {}
    try:
        page = context.new_page()
        response = page.goto(site_url + PAGE_TYPES[name])
        assert response is not None and response.ok, f"{PAGE_TYPES[name]} : HTTP {response and response.status}"
        backgrounds = set()
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
            results[scheme] = run_axe(page) if scheme == schemes[0] else page.evaluate(RUN_ALL_RULES)
        assert len(backgrounds) == len(schemes), f"le fond ne suit pas le thème : {backgrounds}"
    finally:
        context.close()
    for scheme, result in results.items():
        assert result["rules"] > 90, "axe-core n'a pas chargé toutes ses règles"
        report = "\n".join(f"[{v['impact']}] {v['id']} : {v['help']}\n    " + "\n    ".join(v["nodes"])
                           for v in result["violations"])
        assert not result["violations"], f"{PAGE_TYPES[name]} ({scheme}, {width} px) :\n{report}"


def test_axe_finds_a_planted_violation(axe_page, site_url):
    """The harness can fail: an image without alt text on a real page is reported."""
    page = axe_page
    page.goto(site_url + "/")
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/static/favicon.svg'}))")
    ids = {v["id"] for v in run_axe(page)["violations"]}
    assert "image-alt" in ids


def test_axe_sees_the_switch_to_the_dark_scheme(axe_page, site_url):
    """The harness can fail after the switch: a text readable in light and unreadable in dark is reported only
    once the page is switched to dark, without a new load."""
    page = axe_page
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "/")
    page.evaluate("""() => {
      const style = document.createElement('style');
      style.textContent = '@media (prefers-color-scheme: dark) { #plante { color: #333; background: #222; } }';
      document.head.append(style);
      document.querySelector('main').append(Object.assign(document.createElement('p'), {id: 'plante', textContent: 'Texte planté'}));
    }""")

    def planted(result: dict) -> list[dict]:
        return [v for v in result["violations"] if v["id"] == "color-contrast" and any("#plante" in n for n in v["nodes"])]

    assert planted(run_axe(page)) == []
    page.emulate_media(color_scheme="dark")
    assert planted(page.evaluate(RUN_ALL_RULES))

"""The easy-read pages in Chromium: the « Facile à lire » link is visible at the top of every page and back,
axe-core (every rule) finds nothing on them at 320 px and on a desktop, and the search finds them alone."""

from __future__ import annotations

import re

import pytest

from annuaire360.site.facile_a_lire import SEARCH_FILTER
from tests.conftest import axe_violations

pytestmark = pytest.mark.browser

EASY_READ = ["/facile-a-lire/", "/facile-a-lire/numero-national/", "/facile-a-lire/communaute-360/",
             "/facile-a-lire/mdph/", "/facile-a-lire/services/", "/facile-a-lire/signaler-une-erreur/"]
WIDTHS = {"telephone-320": 320, "ordinateur-1280": 1280}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("url", ["/", "/structures/pcpe-fictif-lille/", "/404.html", "/hors-ligne/"])
def test_the_link_is_visible_at_the_top_and_leads_there_and_back(browser, site_url, url, width) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 700}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_url + url)
        link = page.locator("header .entete__facile a")
        assert link.inner_text() == "Facile à lire"
        assert link.is_visible()
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 700, "visible sans faire défiler"
        assert box["height"] >= 24 and box["width"] >= 24  # WCAG 2.5.8 target size
        link.click()
        assert "/facile-a-lire/" in page.url
        assert page.locator("link[href='/static/facile-a-lire.css']").count() == 1
        back = page.locator("header .entete__facile a")
        assert back.inner_text() == "Version complète"
        back.click()
        assert "/facile-a-lire/" not in page.url
    finally:
        context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("url", EASY_READ)
def test_axe_finds_nothing_on_the_easy_read_pages(browser, site_url, url, width) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": WIDTHS[width], "height": 800})
    try:
        page = context.new_page()
        page.goto(site_url + url)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_type_s_text_is_in_view_when_a_fiche_links_to_it(browser, site_url) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_url + "/structures/pcpe-fictif-lille/")
        page.locator("header .entete__facile a").click()
        heading = page.locator("#type-pcpe")
        assert heading.inner_text() == "Pôle de compétences et de prestations externalisées (PCPE)"
        page.wait_for_url("**/facile-a-lire/services/#type-pcpe")
        # the browser scrolls to the fragment once the page has laid out: wait for it (bounded), then check
        page.wait_for_function("() => { const r = document.querySelector('#type-pcpe').getBoundingClientRect();"
                               " return r.top >= 0 && r.top < innerHeight; }", timeout=10_000)
        assert page.evaluate("getComputedStyle(document.querySelector('.facile')).textAlign") in ("left", "start")
        assert float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.facile p')).fontSize)")) >= 20
    finally:
        context.close()


def test_the_search_offers_the_easy_read_pages_on_their_own(page, site_url) -> None:
    key, value = SEARCH_FILTER
    page.goto(f"{site_url}/recherche/?q=mdph&{key}={value.replace(' ', '+')}")
    status = page.locator("#recherche-statut")
    status.filter(has_text=re.compile("résultat")).wait_for()
    found = page.locator("#recherche-resultats a").evaluate_all("links => links.map((a) => new URL(a.href).pathname)")
    assert found and all(path.startswith("/facile-a-lire/") for path in found), found
    assert "/facile-a-lire/mdph/" in found
    assert page.locator(f"select[data-filtre='{key}']").input_value() == value

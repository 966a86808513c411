"""'Find my communauté' and the map of France in Chromium, on the fixture site (real commune index)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import axe_violations

pytestmark = pytest.mark.browser

NORD = "/departements/59-nord/"
CORSE_DU_SUD = "/departements/2a-corse-du-sud/"
HAUTE_CORSE = "/departements/2b-haute-corse/"
REUNION = "/departements/974-la-reunion/"
MAYOTTE = "/departements/976-mayotte/"
LOIRE = "/departements/42-loire/"


def ask(page, base: str, query: str) -> None:
    """Type in the box of the home page and press Enter, as a family would."""
    page.goto(base + "/")
    page.fill("#trouver-q", query)
    page.press("#trouver-q", "Enter")


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("59000", NORD),
        ("Lille", NORD),
        ("20000", CORSE_DU_SUD),
        ("Ajaccio", CORSE_DU_SUD),
        ("20200", HAUTE_CORSE),
        ("Bastia", HAUTE_CORSE),
        ("97400", REUNION),
        ("97600", MAYOTTE),
        ("Mamoudzou", MAYOTTE),
        ("saint etienne", LOIRE),
        ("Saint-Étienne", LOIRE),
        ("Correze", "/departements/19-correze/"),
        ("Y", "/departements/80-somme/"),
        ("93 200", "/departements/93-seine-saint-denis/"),
        ("93.200", "/departements/93-seine-saint-denis/"),
        ("reunion", REUNION),
        ("Saint-Denis 93", "/departements/93-seine-saint-denis/"),
        ("Saint-Denis Réunion", REUNION),
    ],
)
def test_box_leads_to_the_departement(page, site_url, query, target):
    ask(page, site_url, query)
    page.wait_for_url(site_url + target)
    assert page.locator("h1").inner_text().endswith(")")


def choices(page) -> list[str]:
    page.locator("#trouver-choix a").first.wait_for()
    return [re.sub(r"^https?://[^/]+", "", h) for h in page.locator("#trouver-choix a").evaluate_all("a => a.map(x => x.href)")]


def test_saint_denis_offers_the_choices(page, site_url):
    ask(page, site_url, "Saint-Denis")
    found = choices(page)
    assert found[:2] == [REUNION, "/departements/93-seine-saint-denis/"]
    assert "plusieurs départements" in page.locator("#trouver-statut").inner_text()
    assert page.locator("#trouver-statut").get_attribute("role") == "status"
    page.locator("#trouver-choix a", has_text="Seine-Saint-Denis").click()
    page.wait_for_url(site_url + "/departements/93-seine-saint-denis/")


def test_postal_code_of_two_departements_offers_both(page, site_url):
    ask(page, site_url, "05110")
    assert choices(page) == ["/departements/04-alpes-de-haute-provence/", "/departements/05-hautes-alpes/"]
    assert "Claret" in page.locator("#trouver-choix").inner_text()


def test_corse_offers_its_two_departements(page, site_url):
    ask(page, site_url, "Corse")
    assert choices(page)[:2] == [CORSE_DU_SUD, HAUTE_CORSE]


@pytest.mark.parametrize(("query", "name", "anchor"), [("98800", "Nouvelle-Calédonie", "territoire-986"),
                                                       ("97500", "Saint-Pierre-et-Miquelon", None)])
def test_collectivite_not_covered_says_what_is_known_there(page, site_url, query, name, anchor):
    # The national number is not promised there: what the sources say is on /numero-national/.
    ask(page, site_url, query)
    status = page.locator("#trouver-statut")
    status.filter(has_text="n'est pas dans cet annuaire").wait_for()
    assert name in status.inner_text() and "0 800 360 360" not in status.inner_text()
    link = page.locator("#trouver-choix a")
    if anchor:  # the fixture says something of the Pacific only
        assert link.get_attribute("href") == f"/numero-national/#{anchor}"
        link.click()
        page.wait_for_url(re.compile(rf"/numero-national/#{anchor}$"))
    else:
        assert link.count() == 0


def test_partial_name_suggests_communes(page, site_url):
    ask(page, site_url, "Lil")
    assert choices(page)[0] == NORD


def test_dedicated_page_answers_a_query_in_the_address(page, site_url):
    page.goto(site_url + "/trouver/?q=Bastia")
    page.wait_for_url(site_url + HAUTE_CORSE)


def test_without_javascript_the_form_lands_on_the_departements_by_postal_code(no_js_page, site_url):
    page = no_js_page
    page.goto(site_url + "/")
    page.fill("#trouver-q", "59000")
    page.press("#trouver-q", "Enter")
    page.wait_for_url(re.compile(r"/trouver/\?q=59000#par-code-postal$"))
    assert page.locator(".sans-js", has_text="ne peut pas lire le code").is_visible()
    link = page.locator(".codes-postaux a", has_text="59…")
    assert link.is_visible() and link.inner_text().startswith("59… Nord")
    link.click()
    page.wait_for_url(site_url + NORD)


def test_map_links_work_with_the_keyboard(page, site_url):
    page.goto(site_url + "/")
    page.locator("a.carte-france__passer").focus()
    page.keyboard.press("Tab")  # the text list link
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.getAttribute('aria-label'), document.activeElement.closest('svg') !== null]")
    assert focused == ["Ain (01)", True]
    for _ in range(59):  # 02 … 19, 2A, 2B, 21 … 59: the map follows the usual order of codes
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Nord (59)"
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + NORD)


def test_map_has_every_departement_as_a_named_link(page, site_url):
    page.goto(site_url + "/")
    svg_links = page.locator(".carte-france svg a")
    assert svg_links.count() == 96
    tiles = page.locator(".carte-france__outremer a")
    assert tiles.all_inner_texts()[:5] == ["Guadeloupe (971)", "Martinique (972)", "Guyane (973)", "La Réunion (974)", "Mayotte (976)"]
    assert tiles.all_inner_texts()[5:9] == ["Paris (75)", "Seine-et-Marne (77)", "Yvelines (78)", "Essonne (91)"]
    names = svg_links.evaluate_all("a => a.map(x => x.getAttribute('aria-label'))")
    hrefs = svg_links.evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert "Corse-du-Sud (2A)" in names and "Paris (75)" in names
    for href in hrefs + tiles.evaluate_all("a => a.map(x => x.getAttribute('href'))"):
        assert page.request.get(site_url + href).status == 200, href
    credit = page.locator(".carte-france__credit")
    assert "CC BY 4.0" in credit.inner_text() and "MapSVG" in credit.inner_text()


@pytest.mark.parametrize("width", [360, 1280])
def test_every_map_target_a_finger_can_use_is_at_least_24_px(page, site_url, width):
    """WCAG 2.5.8: on a phone the outlines (Paris is a few pixels) give way to the tiles and the list; on a
    wide screen Île-de-France has tiles of its own."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + "/")
    svg = page.locator(".carte-france svg")
    assert svg.is_visible() == (width > 640)
    for box in page.locator(".carte-france__outremer a").evaluate_all("a => a.map(x => x.getBoundingClientRect().toJSON())"):
        assert box["width"] >= 24 and box["height"] >= 24, box
    paris = page.locator(".carte-france__outremer a", has_text="Paris (75)")
    assert paris.is_visible()
    paris.click()
    page.wait_for_url(site_url + "/departements/75-paris/")


def test_browser_and_python_find_the_same_departements(page, site_url):
    """lieux.js and geo.Lookup (the reference) agree on the inputs families type."""
    from annuaire360.site import geo
    from tests.test_geo import regions

    queries = ["59000", "93 200", "Corse", "reunion", "La Réunion", "Saint-Denis", "Saint-Denis 93", "saint denis reunion",
               "Lille", "2a", "974", "Bretagne", "05110", "97500", "les Landes", "Paris 13e Arrondissement"]
    lookup = geo.Lookup(regions=regions())
    page.goto(site_url + "/trouver/")
    from_js = page.evaluate(
        "async qs => { const m = await import('/static/lieux.js'); const out = [];"
        " for (const q of qs) { const r = await m.lookup(q); out.push([r.kind, [...new Set(r.choices.map(c => c.dep))]]); }"
        " return out; }", queries)
    for query, (kind, deps) in zip(queries, from_js, strict=True):
        answer = lookup.find(query)
        assert (kind, deps) == (answer.status, answer.departements), query


def test_home_page_fits_320_px(page, site_url):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("path", ["/", "/trouver/"])
def test_axe_finds_no_violation_with_box_answer_and_map(axe_page, site_url, path):
    page = axe_page
    page.goto(site_url + path)
    page.fill("#trouver-q", "Saint-Denis")
    page.press("#trouver-q", "Enter")
    choices(page)
    assert axe_violations(page) == []


def test_browser_and_python_normalise_every_commune_name_alike(page, site_url):
    """trouver.js finds a commune only if it writes the key exactly as annuaire360/geo.py did."""
    from annuaire360.site import geo

    names = sorted({p.nom for p in geo.places() if not p.nom.isascii() or re.search(r"[^A-Za-z ]", p.nom)})
    names += ["St-Étienne", "  STE   FOY ", "L'Haÿ-les-Roses", "Œuilly"]
    page.goto(site_url + "/trouver/")
    from_js = page.evaluate("async names => { const m = await import('/static/trouver.js'); return names.map(m.normalize); }", names)
    assert len(names) > 10_000
    assert from_js == [geo.normalize(name) for name in names]

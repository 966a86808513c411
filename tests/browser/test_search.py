"""The search page in Chromium, on the fixture data plus a few structures with accents: accent-free queries,
filters, status messages, keyboard use, 320 px, a strict CSP, no JavaScript, and axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.conftest import axe_violations, build_site, serve
from tests.helpers import copy_fixture

pytestmark = pytest.mark.browser

# Fictional structures (ARCEP fiction numbers, example.org) with accented names, in two régions.
CORREZE = """\
code: "19"
nom: Corrèze
structures:
  - id: repit-aidants-correze-fictif
    nom: Plateforme de répit des aidants de Corrèze (fictive)
    type: plateforme-repit
    public:
      age_min: 18
      situations: [autisme-tnd]
      aidants: true
    notification_mdph: non
    acces: direct
    contacts:
      - libelle: Accueil
        telephone: "05 36 49 10 01"
    commune: Brive-la-Gaillarde
    sources:
      - url: https://www.example.org/repit-correze
        consulte_le: 2025-01-10
  - id: equipe-mobile-autisme-correze-fictive
    nom: Équipe mobile autisme de Tulle (fictive)
    type: equipe-mobile
    public:
      age_min: 0
      age_max: 17
      situations: [autisme-tnd]
    contacts:
      - libelle: Secrétariat
        telephone: "05 36 49 10 02"
    commune: Tulle
    sources:
      - url: https://www.example.org/em-correze
        consulte_le: 2025-01-10
"""
CORSE_DU_SUD = """\
code: "2A"
nom: Corse-du-Sud
structures:
  - id: repit-enfants-ajaccio-fictif
    nom: Répit et loisirs pour enfants polyhandicapés d'Ajaccio (fictif)
    type: plateforme-repit
    public:
      age_min: 3
      age_max: 17
      situations: [polyhandicap]
    contacts:
      - libelle: Accueil
        telephone: "04 65 71 10 03"
    commune: Ajaccio
    sources:
      - url: https://www.example.org/repit-ajaccio
        consulte_le: 2025-01-10
"""
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'"
)
REPIT_CORREZE = "/structures/repit-aidants-correze-fictif/"
REPIT_AJACCIO = "/structures/repit-enfants-ajaccio-fictif/"


@pytest.fixture(scope="module")
def search_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_fixture(tmp_path_factory.mktemp("recherche"))
    (data / "departements" / "19-correze.yaml").write_text(CORREZE, encoding="utf-8")
    (data / "departements" / "2A-corse-du-sud.yaml").write_text(CORSE_DU_SUD, encoding="utf-8")
    site = build_site(data, data.parent / "site")
    url, server = serve(site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def csp_page(page):
    """The page, with every response served under the strict CSP the site will be published with."""

    def add_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/*", add_csp)
    return page


def results(page) -> list[str]:
    """Paths of the results shown, in order."""
    return [re.sub(r"^https?://[^/]+", "", h) for h in page.locator("#recherche-resultats a").evaluate_all("a => a.map(x => x.href)")]


def search(page, base: str, query: str = "", **filters: str) -> list[str]:
    params = "&".join(f"{k}={quote(v)}" for k, v in ({"q": query} | filters).items() if v)
    page.goto(f"{base}/recherche/?{params}")
    status = page.locator("#recherche-statut")
    status.filter(has_text=re.compile("résultat")).wait_for()
    return results(page)


def test_structure_name_typed_without_accents_is_found(csp_page, search_url):
    page = csp_page
    page.goto(search_url + "/recherche/")
    page.fill("#recherche-q", "plateforme de repit des aidants de correze")
    page.locator("#recherche-statut").filter(has_text="résultat").wait_for()
    assert results(page)[0] == REPIT_CORREZE
    first = page.locator("#recherche-resultats li").first
    assert first.locator("h2").inner_text() == "Plateforme de répit des aidants de Corrèze (fictive)"
    assert "Brive-la-Gaillarde" in first.locator(".resultat__meta").inner_text()
    assert first.locator("mark").count() > 0  # matched words highlighted
    assert page.console_errors == []  # nothing blocked by the CSP


def test_accent_free_queries_match_accented_words(page, search_url):
    assert REPIT_CORREZE in search(page, search_url, "repit")
    assert REPIT_AJACCIO in search(page, search_url, "repit")
    assert "/departements/19-correze/" in search(page, search_url, "Correze")
    assert search(page, search_url, "equipe mobile tulle")[0] == "/structures/equipe-mobile-autisme-correze-fictive/"


@pytest.mark.parametrize(
    ("filters", "kept", "dropped"),
    [
        ({"departement": "Corrèze (19)"}, REPIT_CORREZE, REPIT_AJACCIO),
        ({"region": "Corse"}, REPIT_AJACCIO, REPIT_CORREZE),
        ({"type": "Plateforme d'accompagnement et de répit"}, REPIT_CORREZE, "/types/plateforme-repit/"),
        ({"public": "Enfants (7 à 11 ans)"}, REPIT_AJACCIO, REPIT_CORREZE),
        ({"situation": "Polyhandicap"}, REPIT_AJACCIO, REPIT_CORREZE),
    ],
)
def test_each_filter_narrows_results(page, search_url, filters, kept, dropped):
    everything = search(page, search_url, "repit")
    assert kept in everything and dropped in everything
    narrowed = search(page, search_url, "repit", **filters)
    assert kept in narrowed and dropped not in narrowed
    assert len(narrowed) < len(everything)
    # The select shows the filter that is applied, and the status says filters are on.
    key, value = next(iter(filters.items()))
    assert page.locator(f"#filtre-{key}").input_value() == value
    assert "avec les filtres choisis" in page.locator("#recherche-statut").inner_text()


def test_filter_alone_lists_a_departement(page, search_url):
    found = search(page, search_url, departement="Corse-du-Sud (2A)")
    assert REPIT_AJACCIO in found and "/departements/2a-corse-du-sud/" in found
    assert REPIT_CORREZE not in found


@pytest.mark.parametrize("filters", [{"departement": "Corrèze (19)"}, {"region": "Corse"}])
def test_national_lines_show_under_every_place(page, search_url, filters):
    national = "/structures/ligne-nationale-fictive/"
    assert national in search(page, search_url, "ligne nationale", **filters)
    assert national not in search(page, search_url, "ligne nationale", type="Plateforme d'accompagnement et de répit")


def test_count_is_announced_in_a_status_region(page, search_url):
    search(page, search_url, "repit")
    status = page.locator("#recherche-statut")
    assert status.get_attribute("role") == "status"
    count = page.locator("#recherche-resultats > li").count()
    announced = re.fullmatch(rf"(\d+) résultats pour « repit »(?:, {count} affichés)?\.", status.inner_text())
    assert announced and int(announced.group(1)) >= count, status.inner_text()
    page.fill("#recherche-q", "zzzzqqq")
    status.filter(has_text="Aucun résultat").wait_for()
    assert page.locator("#recherche-resultats").is_hidden()  # no empty list left for screen readers


def test_search_is_usable_with_the_keyboard_only(page, search_url):
    page.goto(search_url + "/recherche/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "recherche-q":
            break
    assert page.evaluate("document.activeElement.id") == "recherche-q"
    page.keyboard.type("repit")
    page.keyboard.press("Enter")
    page.locator("#recherche-statut").filter(has_text="résultats").wait_for()
    before = len(results(page))
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Tab")  # first filter: département
    assert page.evaluate("document.activeElement.id") == "filtre-departement"
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filtre-situation"
    page.keyboard.type("Poly")  # type-ahead on a closed select picks "Polyhandicap"
    assert page.locator("#filtre-situation").input_value() == "Polyhandicap"
    page.locator("#recherche-statut").filter(has_text="filtres choisis").wait_for()
    assert len(results(page)) < before
    page.keyboard.press("Tab")  # the last filter: easy-read pages only
    assert page.evaluate("document.activeElement.id") == "filtre-lecture"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('li') !== null")  # straight to the first result
    page.keyboard.press("Enter")
    page.wait_for_url(search_url + REPIT_AJACCIO)


def test_search_page_fits_320_px(page, search_url):
    page.set_viewport_size({"width": 320, "height": 640})
    search(page, search_url, "repit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_javascript_the_page_still_helps(no_js_page, search_url):
    page = no_js_page
    page.goto(search_url + "/recherche/")
    page.fill("#recherche-q", "repit")
    page.press("#recherche-q", "Enter")  # a plain GET form
    page.wait_for_url(re.compile(r"/recherche/\?q=repit"))
    help_box = page.locator("[data-sans-js]")
    assert help_box.is_visible()
    assert help_box.locator("a[href='/regions/']").count() == 1
    assert help_box.locator("a[href^='tel:']").count() == 1


def test_axe_finds_no_violation_with_results_displayed(axe_page, search_url):
    page = axe_page
    search(page, search_url, "repit")
    assert page.locator("#recherche-resultats > li").count() > 0
    assert axe_violations(page) == []


def test_more_results_come_on_request_and_take_the_focus(page, search_url):
    found = search(page, search_url, "mdph")
    shown = len(found)
    assert "affichés" in page.locator("#recherche-statut").inner_text()
    more = page.locator("#recherche-plus")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelectorAll('#recherche-resultats > li').length > n", arg=shown)
    assert page.evaluate(
        "n => document.activeElement.closest('li') === document.querySelectorAll('#recherche-resultats > li')[n]", shown
    )


@pytest.mark.parametrize(("key", "value"), [("public", "Enfants (7 à 11 ans)"), ("situation", "Polyhandicap")])
def test_a_page_for_every_age_or_situation_shows_under_each_choice(page, search_url, key, value):
    # The fictional MDPH serves every age and "tous-handicaps": it carries the catch-all value only.
    mdph = "/structures/mdph-nord-fictive/"
    assert mdph in search(page, search_url, "mdph", **{key: value})
    assert mdph not in search(page, search_url, "mdph", public="Professionnels")


def test_a_result_shows_its_type_and_place(page, search_url):
    search(page, search_url, "equipe mobile tulle")
    meta = page.locator("#recherche-resultats li").first.locator(".resultat__meta").inner_text()
    assert meta == "Équipe mobile — Tulle — Corrèze (19)"


def test_a_departement_is_found_as_a_communaute_360(page, search_url):
    assert search(page, search_url, "communaute 360 correze")[0] == "/departements/19-correze/"


def test_typing_searches_from_the_third_character(page, search_url):
    page.goto(search_url + "/recherche/")
    status = page.locator("#recherche-statut")
    page.locator("#recherche-q").press_sequentially("re", delay=50)
    page.wait_for_timeout(800)  # well past the 300 ms pause that starts a search
    assert status.inner_text() == "" and results(page) == []
    page.press("#recherche-q", "Enter")  # asked for: any length is searched
    status.filter(has_text="« re »").wait_for()
    page.locator("#recherche-q").press_sequentially("p")
    status.filter(has_text="« rep »").wait_for()
    assert REPIT_CORREZE in results(page)


def test_a_family_word_finds_the_structure_of_that_situation(page, search_url):
    # "Autisme et troubles du neurodéveloppement" is the label; a parent types "autiste".
    assert "/structures/cra-fictif-npdc/" in search(page, search_url, "autiste")


def test_when_no_page_holds_every_word_pages_with_some_of_them_are_offered(page, search_url):
    found = search(page, search_url, "repit de tulle")  # "de" alone would find everything: left out
    status = page.locator("#recherche-statut").inner_text()
    assert status.startswith("Aucun résultat ne contient tous les mots « repit de tulle » : "), status
    assert "au moins un de ces mots" in status
    assert REPIT_CORREZE in found and "/structures/equipe-mobile-autisme-correze-fictive/" in found
    assert "/departements/59-nord/" not in found


def test_partial_matches_holding_more_words_come_first(page, search_url):
    found = search(page, search_url, "repit correze tulle")  # no page holds all three
    assert "Aucun résultat ne contient tous les mots" in page.locator("#recherche-statut").inner_text()
    two_words = {REPIT_CORREZE, "/structures/equipe-mobile-autisme-correze-fictive/"}  # répit+Corrèze, Corrèze+Tulle
    assert set(found[:2]) == two_words, found
    assert "/departements/19-correze/" in search_all(page)[2:]  # Corrèze alone: after them


def search_all(page) -> list[str]:
    """Every result of the current search, asking for more until all are shown."""
    more = page.locator("#recherche-plus")
    while more.is_visible():
        count = len(results(page))
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#recherche-resultats > li').length > n", arg=count)
    return results(page)


def test_an_unknown_word_finds_nothing_rather_than_every_a(page, search_url):
    # Pagefind answers an unknown word with its longest indexed beginning: "axolotl" would find every "à".
    assert search(page, search_url, "axolotl") == []
    assert page.locator("#recherche-statut").inner_text().startswith("Aucun résultat pour « axolotl »")


def test_a_glossary_match_links_to_its_term(page, search_url):
    assert search(page, search_url, "aesh")[0] == "/glossaire/#sigle-aesh"
    page.locator("#recherche-resultats a").first.click()
    page.wait_for_url(search_url + "/glossaire/#sigle-aesh")
    # The term landed on is marked, so that the eye finds it.
    assert page.evaluate("getComputedStyle(document.getElementById('sigle-aesh')).borderLeftWidth") == "6px"

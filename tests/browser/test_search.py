"""The search page in Chromium, on the fixture data plus a few structures with accents: accent-free queries,
filters, the place (chosen, in the address, typed in the box), need pages proposed at once, the place's
pages first, no dead end, phone first (360 px), keyboard use, a strict CSP, no JavaScript, and axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.conftest import axe_violations, build_site, served
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
    with served(site) as url:
        yield url


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


def done(page) -> None:
    """Wait until the search is over (the status carries data-etat="fini")."""
    page.locator("#recherche-statut[data-etat=fini]").wait_for(state="attached")


def search(page, base: str, query: str = "", **filters: str) -> list[str]:
    """Open the search page at ?q=…&filters and return every result, asking for more until all are shown."""
    params = "&".join(f"{k}={quote(v)}" for k, v in ({"q": query} | filters).items() if v)
    page.goto(f"{base}/recherche/?{params}")
    done(page)
    return search_all(page)


def test_structure_name_typed_without_accents_is_found(csp_page, search_url):
    page = csp_page
    page.goto(search_url + "/recherche/")
    page.fill("#recherche-q", "plateforme de repit des aidants de correze")
    done(page)
    found = results(page)
    assert REPIT_CORREZE in found[:2], found  # after the need page the words name (répit)
    first = page.locator("#recherche-resultats li", has=page.locator(f"a[href='{REPIT_CORREZE}']"))
    assert first.locator("h2").inner_text() == "Plateforme de répit des aidants de Corrèze (fictive)"
    assert "Brive-la-Gaillarde" in first.locator(".resultat__meta").inner_text()
    assert first.locator("mark").count() > 0  # matched words highlighted
    assert page.console_errors == []  # nothing blocked by the CSP


def test_accent_free_queries_match_accented_words(page, search_url):
    assert REPIT_CORREZE in search(page, search_url, "repit")
    assert REPIT_AJACCIO in search(page, search_url, "repit")
    assert "/departements/19-correze/" in search(page, search_url, "Correze pyrenees")  # not a place: two words
    assert search(page, search_url, "equipe mobile tulle")[0] == "/structures/equipe-mobile-autisme-correze-fictive/"


@pytest.mark.parametrize(
    ("filters", "kept", "dropped"),
    [
        ({"departement": "19"}, REPIT_CORREZE, REPIT_AJACCIO),
        ({"region": "Corse"}, REPIT_AJACCIO, REPIT_CORREZE),
        ({"type": "Plateforme d'accompagnement et de répit"}, REPIT_CORREZE, "/types/plateforme-repit/"),
        ({"public": "Enfants (7 à 11 ans)"}, REPIT_AJACCIO, REPIT_CORREZE),
        ({"situation": "Polyhandicap"}, REPIT_AJACCIO, REPIT_CORREZE),
    ],
)
def test_each_filter_narrows_results(page, search_url, filters, kept, dropped):
    everything = search(page, search_url, "aidants repit")
    assert kept in everything and dropped in everything
    narrowed = search(page, search_url, "aidants repit", **filters)
    assert kept in narrowed and dropped not in narrowed
    assert len(narrowed) < len(everything)
    # The select shows the filter that is applied.
    key, value = next(iter(filters.items()))
    assert page.locator(f"#filtre-{key}").input_value() == value


def test_the_place_is_kept_in_the_address_and_on_reload(page, search_url):
    found = search(page, search_url, "repit", departement="19")
    assert found[0] == "/departements/19-correze/repit/"  # the need's page in the place, first
    assert page.locator("#recherche-lieu").inner_text().startswith("Dans le département : Corrèze (19)")
    assert "departement=19" in page.url and "q=repit" in page.url
    page.reload()
    done(page)
    assert results(page)[0] == "/departements/19-correze/repit/"
    assert page.locator("#filtre-departement").input_value() == "19"
    # Older links name the place by its label: still understood.
    assert search(page, search_url, "repit", departement="Corrèze (19)")[0] == "/departements/19-correze/repit/"


def test_the_place_s_own_pages_come_before_the_others(page, search_url):
    found = search(page, search_url, "aidants", departement="19")
    local = found.index(REPIT_CORREZE)
    national = found.index("/structures/ligne-nationale-fictive/") if "/structures/ligne-nationale-fictive/" in found else None
    assert REPIT_AJACCIO not in found
    assert national is None or local < national, found


@pytest.mark.parametrize(("typed", "code", "rest"), [("repit 19100", "19", "repit"), ("repit 19 100", "19", "repit"),
                                                     ("repit brive-la-gaillarde", "19", "repit"),
                                                     ("repit correze", "19", "repit"), ("repit 2A", "2A", "repit")])
def test_a_place_typed_in_the_box_is_understood_as_a_place(page, search_url, typed, code, rest):
    page.goto(search_url + "/recherche/")
    page.fill("#recherche-q", typed)
    page.press("#recherche-q", "Enter")
    page.wait_for_url(re.compile(rf"departement={code}"))
    done(page)
    assert page.locator("#recherche-q").input_value() == rest
    assert page.locator("#filtre-departement").input_value() == code
    assert "d'après" in page.locator("#recherche-lieu").inner_text()
    assert results(page)[0].endswith("/repit/")


def test_a_commune_of_several_departements_asks_which(page, search_url):
    page.goto(search_url + "/recherche/")
    page.fill("#recherche-q", "repit saint-denis")
    page.press("#recherche-q", "Enter")
    done(page)
    choices = page.locator("#recherche-choix button")
    assert {"Seine-Saint-Denis (93)", "La Réunion (974)"} <= set(choices.all_inner_texts())
    choices.filter(has_text="La Réunion (974)").click()
    page.wait_for_url(re.compile(r"departement=974"))
    done(page)
    assert results(page)[0] == "/departements/974-la-reunion/repit/"


def test_a_place_alone_gives_its_page_then_its_needs(page, search_url):
    found = search(page, search_url, departement="2A")
    assert found[0] == "/departements/2a-corse-du-sud/"
    assert "/departements/2a-corse-du-sud/ecole/" in found and len(found) == 12


def test_a_family_word_proposes_the_need_page_at_once(page, search_url):
    assert search(page, search_url, "scolarisation")[0] == "/besoins/ecole/"
    assert search(page, search_url, "plus de solution", departement="59")[0] == "/departements/59-nord/crise/"


def test_no_result_is_never_a_dead_end(page, search_url):
    assert search(page, search_url, "axolotl", departement="59") == []
    box = page.locator("#recherche-aucun")
    assert box.is_visible()
    assert box.locator("a[href='tel:0800360360']").count() == 1
    assert box.locator("a[href='/structures/mdph-nord-fictive/']").inner_text() == "MDPH du Nord (fictive)"
    assert box.locator("a[href='/departements/59-nord/#besoins-titre']").count() == 1
    search(page, search_url, "repit")
    assert page.locator("#recherche-aucun").is_hidden()


def test_on_a_phone_the_count_is_in_view_and_focused_after_searching(page, search_url):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(search_url + "/recherche/")
    assert page.locator("[data-filtres]").get_attribute("open") is None  # folded on a phone
    page.fill("#recherche-q", "aidants repit")
    page.click("button[type=submit]")
    done(page)
    assert page.evaluate("document.activeElement.id") == "recherche-statut"
    box = page.locator("#recherche-statut").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640, box
    first = page.locator("#recherche-resultats li").first.bounding_box()
    assert first is not None and first["y"] < 640  # the first result starts on screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_on_a_phone_the_need_page_is_in_view_before_the_index_has_loaded(page, search_url):
    page.set_viewport_size({"width": 360, "height": 640})
    page.route("**/pagefind/**", lambda route: None)  # the index never arrives (a very slow connection)
    page.goto(search_url + "/recherche/?departement=59")
    page.fill("#recherche-q", "école")
    page.click("button[type=submit]")
    status = page.locator("#recherche-statut")
    status.filter(has_text="Recherche des autres services").wait_for()
    assert page.evaluate("document.activeElement.id") == "recherche-statut"  # said once, the count follows
    first = page.locator("#recherche-resultats li a").first
    assert first.get_attribute("href") == "/departements/59-nord/ecole/"
    box = first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640, box


def test_filters_unfold_on_a_wide_screen(page, search_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(search_url + "/recherche/")
    assert page.locator("[data-filtres]").get_attribute("open") is not None


def test_opening_and_searching_download_no_filter_of_the_index(page, search_url):
    """The filters offer what the build knows pages carry: the browser does not download every filter of the
    index (~270 KB at 15,000 fiches) to find out — only the filter a family actually chooses."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 800})  # the filters unfold by themselves
    page.goto(search_url + "/recherche/", wait_until="networkidle")
    page.fill("#recherche-q", "prestations")  # no place, no need named: a search without any filter
    done(page)
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/index/" in url for url in asked) and results(page)  # the search did run
    assert not [url for url in asked if "/pagefind/filter/" in url]
    page.select_option("#filtre-type", label="Plateforme d'accompagnement et de répit")
    page.wait_for_function("() => document.querySelector('#recherche-statut').textContent.includes('filtre')")
    page.wait_for_load_state("networkidle")
    assert [url for url in asked if "/pagefind/filter/" in url]  # a chosen filter is fetched, as it must be


def test_count_is_announced_in_a_status_region(page, search_url):
    page.goto(search_url + "/recherche/?q=aidants")
    done(page)
    status = page.locator("#recherche-statut")
    assert status.get_attribute("role") == "status"
    count = page.locator("#recherche-resultats > li").count()
    announced = re.fullmatch(r"(\d+) résultats? pour « aidants »(?:, \d+ affichés)?\.", status.inner_text())
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
    page.keyboard.type("aidants repit")
    page.keyboard.press("Enter")
    done(page)
    assert page.evaluate("document.activeElement.id") == "recherche-statut"  # the count, read out
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#recherche-resultats li') !== null")  # then the results
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(search_url + target)


def test_filters_are_usable_with_the_keyboard(page, search_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(search_url + "/recherche/?q=repit")
    done(page)
    before = len(results(page))
    page.locator("#recherche-q").focus()
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Tab")  # the filters, open on a wide screen (their summary first)
    if page.evaluate("document.activeElement.tagName") == "SUMMARY":
        page.keyboard.press("Tab")
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


def test_search_page_fits_320_px(page, search_url):
    page.set_viewport_size({"width": 320, "height": 640})
    search(page, search_url, "repit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_javascript_the_page_shows_no_dead_control_and_points_elsewhere(no_js_page, search_url):
    page = no_js_page
    page.goto(search_url + "/recherche/?q=repit")
    assert page.locator("form[data-recherche]").is_hidden()  # a box that cannot search is not shown
    help_box = page.locator(".sans-js")
    assert help_box.is_visible()
    for href in ("/trouver/", "/besoins/", "/regions/", "/glossaire/#types"):
        assert help_box.locator(f"a[href='{href}']").count() == 1, href
    assert help_box.locator("a[href^='tel:']").count() == 1


def test_axe_finds_no_violation_with_results_displayed(axe_page, search_url):
    page = axe_page
    search(page, search_url, "repit", departement="19")
    assert page.locator("#recherche-resultats > li").count() > 0
    assert axe_violations(page) == []


def test_axe_finds_no_violation_at_320_px_with_the_no_result_box(axe_page, search_url):
    page = axe_page
    page.set_viewport_size({"width": 320, "height": 640})
    search(page, search_url, "axolotl", departement="59")
    assert page.locator("#recherche-aucun").is_visible()
    assert axe_violations(page) == []


def test_more_results_come_on_request_and_take_the_focus(page, search_url):
    page.goto(f"{search_url}/recherche/?q=mdph")
    done(page)
    shown = len(results(page))
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
    page.locator("#recherche-q").press("End")  # the focus went to the count: back to the end of the box
    page.locator("#recherche-q").press_sequentially("p")
    status.filter(has_text="« rep »").wait_for()
    done(page)
    assert REPIT_CORREZE in search_all(page)


def test_a_family_word_finds_the_structure_of_that_situation(page, search_url):
    # "Autisme et troubles du neurodéveloppement" is the label; a parent types "autiste".
    assert "/structures/cra-fictif-npdc/" in search(page, search_url, "autiste")


def test_when_no_page_holds_every_word_pages_with_some_of_them_are_offered(page, search_url):
    found = search(page, search_url, "tulle brive")  # no page holds both
    status = page.locator("#recherche-statut").inner_text()
    assert status.startswith("Aucun résultat ne contient tous les mots « tulle brive » : "), status
    assert "au moins un de ces mots" in status
    assert REPIT_CORREZE in found and "/structures/equipe-mobile-autisme-correze-fictive/" in found
    assert "/departements/59-nord/" not in found


def test_partial_matches_holding_more_words_come_first(page, search_url):
    found = search(page, search_url, "plateforme tulle autisme")  # no page holds all three; no place named last
    assert "Aucun résultat ne contient tous les mots" in page.locator("#recherche-statut").inner_text()
    two_words = {REPIT_CORREZE, "/structures/equipe-mobile-autisme-correze-fictive/"}  # plateforme+autisme, Tulle+autisme
    assert set(found[:2]) == two_words, found
    assert "/structures/cra-fictif-npdc/" in found[2:]  # autisme alone: after them


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
    found = search(page, search_url, "aesh")
    assert found[0] == "/besoins/ecole/"  # the need the word names comes first
    assert "/glossaire/#sigle-aesh" in found
    page.locator("#recherche-resultats a[href='/glossaire/#sigle-aesh']").click()
    page.wait_for_url(search_url + "/glossaire/#sigle-aesh")
    # The term landed on is marked, so that the eye finds it.
    assert page.evaluate("getComputedStyle(document.getElementById('sigle-aesh')).borderLeftWidth") == "6px"


def test_a_departement_page_searches_in_its_departement(page, search_url):
    page.goto(search_url + "/departements/19-correze/")
    page.fill("#recherche-lieu-q", "aidants")
    page.press("#recherche-lieu-q", "Enter")
    page.wait_for_url(re.compile(r"/recherche/\?departement=19&q=aidants"))
    done(page)
    found = results(page)
    assert REPIT_CORREZE in found and REPIT_AJACCIO not in found


def test_without_javascript_a_departement_page_shows_no_search_but_its_needs(no_js_page, search_url):
    page = no_js_page
    page.goto(search_url + "/departements/19-correze/")
    assert page.locator("form.recherche--lieu").is_hidden()
    needs = page.locator("#besoins-titre ~ ul.besoins a")
    assert needs.count() == 11 and needs.first.is_visible()

"""Journeys of a family on a phone: from a postal code to the services that answer a need, with their phone
numbers, in three taps or fewer, with and without JavaScript; « ouvert maintenant » in the place's own time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from tests.conftest import build_site, served
from tests.helpers import copy_fixture

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

# Fictional structures (ARCEP fiction numbers) with opening hours, on Réunion time and on Paris time.
REUNION = """\
code: "974"
nom: La Réunion
structures:
  - id: pcpe-fictif-saint-denis-reunion
    nom: PCPE fictif de Saint-Denis (La Réunion)
    type: pcpe
    contacts:
      - libelle: Accueil
        telephone: "06 39 98 10 01"
        horaires: "Mo-Fr 08:00-16:00; PH off"
    commune: Saint-Denis
    sources:
      - url: https://www.example.org/pcpe-reunion
        consulte_le: 2025-01-10
"""
SOMME = """\
code: "80"
nom: Somme
structures:
  - id: sessad-fictif-amiens
    nom: SESSAD fictif d'Amiens
    type: sessad
    contacts:
      - libelle: Secrétariat
        telephone: "03 53 01 10 04"
        horaires: "Mo-Fr 09:00-17:00; PH off"
    commune: Amiens
    sources:
      - url: https://www.example.org/sessad-amiens
        consulte_le: 2025-01-10
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_fixture(tmp_path_factory.mktemp("parcours"))
    (data / "departements" / "974-la-reunion.yaml").write_text(REUNION, encoding="utf-8")
    (data / "departements" / "80-somme.yaml").write_text(SOMME, encoding="utf-8")
    with served(build_site(data, data.parent / "site")) as url:
        yield url


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    context = browser.new_context(**PHONE, timezone_id="Europe/Paris")  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser: object) -> Iterator[object]:
    context = browser.new_context(**PHONE, java_script_enabled=False)  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def visible_phones(page) -> list[str]:
    """The tel: links a family sees in the services' list (the national number left aside)."""
    links = page.locator("#services-titre ~ * a[href^='tel:'], #services-titre ~ article a[href^='tel:']")
    return [a.get_attribute("href") for a in links.all() if a.is_visible() and a.get_attribute("href") != "tel:0800360360"]


def test_postal_code_then_need_gives_phone_numbers_in_two_taps(phone, base):
    page = phone
    page.goto(base + "/")
    page.fill("#trouver-q", "80000")
    page.tap(".trouver__form button")  # tap 1: « Trouver »
    page.wait_for_url(base + "/departements/80-somme/")
    page.locator("#besoins-titre ~ ul.besoins a", has_text="Crèche, école et études").tap()  # tap 2: the need
    page.wait_for_url(base + "/departements/80-somme/ecole/")
    assert page.locator("a[href='tel:0800360360']").first.is_visible()  # the communauté and the number first
    assert "tel:0353011004" in visible_phones(page)  # then the service of the place, with its phone (tap 3 calls)


def test_without_javascript_the_same_journey_takes_three_taps(phone_without_js, base):
    page = phone_without_js
    page.goto(base + "/")
    page.fill("#trouver-q", "80000")
    page.tap(".trouver__form button")  # tap 1: the form goes to the départements by postal code
    page.wait_for_url(re.compile(r"/trouver/\?q=80000#par-code-postal$"))
    page.locator(".codes-postaux a", has_text="80…").tap()  # tap 2: the département
    page.wait_for_url(base + "/departements/80-somme/")
    page.locator("#besoins-titre ~ ul.besoins a", has_text="Crèche, école et études").tap()  # tap 3: the need
    page.wait_for_url(base + "/departements/80-somme/ecole/")
    assert "tel:0353011004" in visible_phones(page)
    assert page.locator(".ouvert").first.is_hidden()  # no empty line kept for a script that will not run


def test_from_the_search_box_a_need_and_a_place_lead_to_the_same_page(phone, base):
    page = phone
    page.goto(base + "/recherche/")
    page.fill("#recherche-q", "ecole 80000")
    page.tap("form[data-recherche] button[type=submit]")  # tap 1
    page.locator("#recherche-statut[data-etat=fini]").wait_for(state="attached")
    first = page.locator("#recherche-resultats a").first
    assert first.get_attribute("href") == "/departements/80-somme/ecole/"
    first.tap()  # tap 2
    page.wait_for_url(base + "/departements/80-somme/ecole/")
    assert "tel:0353011004" in visible_phones(page)


def status_at(page, base: str, url: str, when: dt.datetime) -> str:
    page.clock.set_fixed_time(when)
    page.goto(base + url)
    line = page.locator("#services-titre ~ * .ouvert, #services-titre ~ article .ouvert").first
    line.wait_for()
    page.wait_for_function("el => el.textContent !== ''", arg=line.element_handle())
    return line.inner_text()


UTC = dt.UTC


@pytest.mark.parametrize(
    ("url", "when", "expected"),
    [
        # Friday 6 June 2025, 15:00 in Réunion (13:00 in Paris, where the phone is).
        ("/departements/974-la-reunion/domicile/", dt.datetime(2025, 6, 6, 11, 0, tzinfo=UTC), "Ouvert maintenant, ferme à 16 h"),
        # 16:30 in Réunion, still 14:30 in Paris: closed there, for the week-end and Whit Monday (PH off).
        ("/departements/974-la-reunion/domicile/", dt.datetime(2025, 6, 6, 12, 30, tzinfo=UTC), "Fermé, ouvre mardi à 8 h"),
        ("/departements/974-la-reunion/domicile/", dt.datetime(2025, 6, 13, 12, 30, tzinfo=UTC), "Fermé, ouvre lundi à 8 h"),
        # Thursday 22:30 in Paris is already Friday 0:30 in Réunion: it opens today, not tomorrow.
        ("/departements/974-la-reunion/domicile/", dt.datetime(2025, 6, 5, 20, 30, tzinfo=UTC), "Fermé, ouvre à 8 h"),
        ("/departements/80-somme/ecole/", dt.datetime(2025, 6, 5, 20, 30, tzinfo=UTC), "Fermé, ouvre demain à 9 h"),
        # Sunday 23:30 in Paris: Monday 9 June 2025 is Whit Monday (PH off), it opens on Tuesday.
        ("/departements/80-somme/ecole/", dt.datetime(2025, 6, 8, 21, 30, tzinfo=UTC), "Fermé, ouvre mardi à 9 h"),
        ("/departements/80-somme/ecole/", dt.datetime(2025, 6, 10, 14, 59, tzinfo=UTC), "Ouvert maintenant, ferme à 17 h"),
    ],
)
def test_open_now_is_said_in_the_time_of_the_place(phone, base, url, when, expected):
    assert status_at(phone, base, url, when) == expected


def test_the_open_line_keeps_its_place_so_that_nothing_moves(phone, base):
    page = phone
    page.clock.set_fixed_time(dt.datetime(2025, 6, 6, 11, 0, tzinfo=UTC))
    page.goto(base + "/departements/80-somme/ecole/")
    page.locator(".ouvert").first.wait_for()
    shift = page.evaluate("""() => new Promise((resolve) => {
      let total = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) total += e.value; })
        .observe({type: "layout-shift", buffered: true});
      setTimeout(() => resolve(total), 500);
    })""")
    assert shift == 0

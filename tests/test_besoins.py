"""Needs of the families as data: data/besoins.yaml, the besoins of each type, the families' words; the pages
they make (one per need and per département), the COG's article of each département, opening hours as a
week for the browser."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from annuaire360.diagnostics import Report
from annuaire360.site import horaires
from tests.conftest import FIXTURE_DATA, ROOT, build_site, check_data
from tests.helpers import copy_fixture
from tests.page_types import soup_of


def _check(data: Path) -> Report:
    report = Report()
    check_data(data, report)
    return report


def _replace(data: Path, relative: str, old: str, new: str) -> None:
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- check ----------------------------------------------------------------------------------------


def test_a_type_mapped_to_no_need_is_a_located_warning(tmp_path):
    data = copy_fixture(tmp_path)
    _replace(data, "types.yaml", "    besoins: [diagnostic]\n", "")  # the PCO
    report = _check(data)
    assert report.errors == []
    found = [str(w) for w in report.warnings if "aucun besoin" in w.message]
    line = next(i for i, text in enumerate((data / "types.yaml").read_text().splitlines(), 1) if "code: pco" in text)
    assert found == [
        f"data/types.yaml:{line}:11: avertissement: le type « pco » n'est rattaché à aucun besoin : ses structures "
        "ne seront sur aucune page de besoin ; ajoutez par exemple besoins: [ecole, domicile] (codes de "
        "data/besoins.yaml), ou besoins: [] avec un commentaire qui dit pourquoi"
    ]


def test_an_empty_list_of_needs_is_a_choice_not_a_warning():
    report = _check(FIXTURE_DATA)  # communaute-360 and autre say besoins: [] on purpose
    assert not [w for w in report.warnings if "aucun besoin" in w.message]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        ("types.yaml", "besoins: [diagnostic]", "besoins: [diagnostique]",
         "besoin « diagnostique » inconnu ; vouliez-vous dire « diagnostic » ? "
         "(les besoins possibles sont dans data/besoins.yaml)"),
        ("departements/59-nord.yaml", "    notification_mdph: non\n    acces: direct-ou-professionnel\n",
         "    notification_mdph: non\n    acces: direct-ou-professionnel\n    besoins: [urgence]\n",
         "besoin « urgence » inconnu (les besoins possibles sont dans data/besoins.yaml)"),
        ("mots.yaml", "    types: [pco, camsp, cmpp]", "    types: [pco, camps, cmpp]",
         "type « camps » inconnu ; vouliez-vous dire « camsp » ? (les types possibles sont dans "
         "data/types.yaml et dans le guide)"),
        ("mots.yaml", "[crise, urgence,", "[crise, école,",
         "le mot « école » est déjà dans un autre groupe (ligne 8) : gardez-le dans un seul"),
        ("mots.yaml", "  - mots: [trisomie, trisomique, déficience intellectuelle, handicap mental]\n    situations: [intellectuel]\n",
         "  - mots: [trisomie, trisomique, déficience intellectuelle, handicap mental]\n",
         "ces mots ne mènent nulle part : ajoutez besoins, types ou situations"),
    ],
)
def test_needs_and_words_are_checked_with_located_french_messages(tmp_path, relative, old, new, expected):
    data = copy_fixture(tmp_path)
    _replace(data, relative, old, new)
    errors = _check(data).errors
    assert [e.message for e in errors] == [expected]
    # Located on the line written (a word, a code), or on the group that leads nowhere.
    assert str(errors[0]).startswith(f"data/{relative}:")
    line = (data / relative).read_text(encoding="utf-8").splitlines()[errors[0].line - 1]
    assert line.strip().startswith("- mots:") if "nulle part" in expected else re.search(r"diagnostique|urgence|camps|école", line)


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with one structure that names a need its type does not (the DIH kind: type « autre »)."""
    data = copy_fixture(tmp_path_factory.mktemp("besoins"))
    (data / "departements" / "93-seine-saint-denis.yaml").write_text(
        'code: "93"\nnom: Seine-Saint-Denis\nstructures:\n  - id: dispositif-fictif-93\n    nom: Dispositif fictif\n'
        "    type: autre\n    besoins: [crise]\n    contacts:\n      - libelle: Accueil\n        telephone: \"01 99 00 10 05\"\n"
        "    sources:\n      - url: https://www.example.org/dispositif\n        consulte_le: 2025-01-10\n",
        encoding="utf-8")
    return build_site(data, data.parent / "site", index=False)


def test_there_is_a_page_per_need_and_per_departement(site):
    needs = [p.name for p in sorted((site / "besoins").iterdir()) if p.is_dir()]
    assert len(needs) == 11
    pages = [p for p in site.glob("departements/*/*/index.html") if p.parent.name in needs]
    assert len(pages) == 101 * 11
    assert {p.parent.name for p in site.glob("departements/*/*/index.html")} == {*needs, "livret"}  # and the booklet


def test_a_need_page_puts_the_number_first_then_the_services_with_their_phone(site):
    main = soup_of(site, "/departements/59-nord/ecole/").find("main")
    assert main.find("h1").get_text(" ", strip=True) == "Crèche, école et études — Nord (59)"
    first_link = main.find("a", href=re.compile("^tel:"))
    assert first_link["href"] == "tel:0800360360"  # the number before any service
    assert main.select_one("#appeler-titre").get_text() == "Appeler la communauté 360 du Nord"
    services = main.select_one("#services-titre").find_parent("section")
    assert services.select_one("a[href='/structures/mdph-nord-fictive/']")  # the MDPH answers « école » (AESH)
    assert services.select_one("a[href='tel:0353010000']")
    assert not services.select_one("a[href='/structures/cra-fictif-npdc/']")  # the CRA does not


def test_a_structure_is_on_the_pages_of_its_type_s_needs_and_its_own(site):
    crise = soup_of(site, "/departements/93-seine-saint-denis/crise/").find("main")
    assert crise.select_one("a[href='/structures/dispositif-fictif-93/']")
    assert not soup_of(site, "/departements/93-seine-saint-denis/ecole/").select_one("a[href='/structures/dispositif-fictif-93/']")
    # A regional resource on the pages of the départements it covers.
    for dep in ("59-nord", "62-pas-de-calais"):
        assert soup_of(site, f"/departements/{dep}/diagnostic/").select_one("a[href='/structures/cra-fictif-npdc/']")
    # A national line on every département's page of its need.
    assert soup_of(site, "/departements/01-ain/ecoute/").select_one("a[href='/structures/ligne-nationale-fictive/']")


def test_a_need_with_no_known_service_here_says_so_and_gives_the_number(site):
    main = soup_of(site, "/departements/23-creuse/crise/").find("main")
    text = main.get_text(" ", strip=True)
    assert "Nous ne connaissons pas encore de service de la Creuse pour ce besoin" in text
    assert len(main.select("a[href='tel:0800360360']")) >= 2
    assert "En cas de danger immédiat" in text and main.select_one("a[href='tel:15']")  # what to know, first


def test_a_departement_page_offers_its_needs_and_its_own_search(site):
    main = soup_of(site, "/departements/59-nord/").find("main")
    needs = main.select("#besoins-titre ~ ul.besoins a")
    assert [a["href"] for a in needs][:2] == ["/departements/59-nord/diagnostic/", "/departements/59-nord/ecole/"]
    form = main.select_one("form.recherche--lieu")
    assert form["action"] == "/recherche/" and form["method"] == "get"
    assert form.select_one("input[type=hidden][name=departement]")["value"] == "59"


def test_notifications_are_said_once_and_never_under_the_mdph(site):
    main = soup_of(site, "/departements/59-nord/").find("main")
    cards = main.select("article.carte")
    assert not [c for c in cards if "notification" in c.get_text()]  # said under the group's title instead
    pcpe_group = main.select_one("#type-pcpe").find_next_sibling("p")
    assert pcpe_group.get_text().endswith("Pas besoin de notification de la MDPH.")
    members = main.select_one("#communaute-membres-titre").find_parent("section")
    mdph = members.select_one("#membre-mdph-nord-fictive")
    assert mdph is not None and "notification" not in mdph.get_text()
    mdph_type = soup_of(site, "/types/mdph/").find("main")  # its type's page: no notification under the MDPH
    assert "notification" not in mdph_type.get_text().replace("donne les notifications", "")


def test_unknown_role_is_said_once_per_page(site):
    html = (site / "departements" / "59-nord" / "index.html").read_text(encoding="utf-8")
    assert html.count("Nous ne savons pas si elle fait partie") == 0
    assert html.count("pour les autres, nous ne savons pas encore") == 1


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("/departements/93-seine-saint-denis/", "Votre appel arrive à l'équipe qui couvre la Seine-Saint-Denis."),
        ("/departements/59-nord/", "Appeler la communauté 360 du Nord"),
        ("/departements/01-ain/", "Appeler la communauté 360 de l'Ain"),
        ("/departements/28-eure-et-loir/", "Appeler la communauté 360 d'Eure-et-Loir"),
        ("/departements/40-landes/", "Votre appel arrive à l'équipe qui couvre les Landes."),
        ("/departements/75-paris/", "Appeler la communauté 360 de Paris"),
        ("/departements/974-la-reunion/", "Votre appel arrive à l'équipe qui couvre La Réunion."),
        ("/departements/77-seine-et-marne/", "Appeler la communauté 360 de Seine-et-Marne"),
        ("/departements/40-landes/livret/", "Votre appel arrive à l'équipe qui couvre les Landes."),
    ],
)
def test_departement_names_carry_their_cog_article(site, url, phrase):
    assert phrase in soup_of(site, url).find("main").get_text(" ", strip=True)


def test_the_national_number_page_says_what_the_sources_say_and_what_they_do_not(site):
    main = soup_of(site, "/numero-national/").find("main")
    text = main.get_text(" ", strip=True)
    assert "Aucune source fictive ne donne d'horaires nationaux." in text
    assert main.select_one("#territoire-986").get_text() == "Wallis-et-Futuna, la Polynésie française et la Nouvelle-Calédonie"
    assert main.select_one("a[href='https://www.example.org/pacifique']")


def test_the_real_national_facts_are_sourced_and_honest():
    import yaml

    national = yaml.safe_load((ROOT / "data" / "national.yaml").read_text(encoding="utf-8"))["numero_national"]
    assert "horaires" not in national  # no public, current source gives them
    assert "aucune source" in national["horaires_precisions"]["texte"]
    assert "sans dire" in national["accessibilite"]["texte"] and national["accessibilite"]["sources"]


# --- opening hours as a week ------------------------------------------------------------------------


def test_a_week_in_the_time_of_the_place_with_its_holidays():
    week = json.loads(horaires.schedule("Mo-Fr 08:00-16:00; PH off", "974", dt.date(2027, 6, 1)))
    assert week["z"] == "Indian/Reunion"
    assert week["s"][0] == [[480, 960]] and week["s"][6] == []
    assert week["x"]["2027-12-20"] == []  # abolition of slavery in La Réunion, a Monday
    assert week["x"]["2027-07-14"] == []  # and the national holidays
    paris = json.loads(horaires.schedule("Mo-Fr 08:00-16:00; PH off", "59", dt.date(2027, 6, 1)))
    assert paris["z"] == "Europe/Paris" and "2027-12-20" not in paris["x"]
    assert week["f"] == "2028-07-04"  # the last day it knows


def test_hours_that_run_past_midnight_and_round_the_clock():
    night = json.loads(horaires.schedule("Mo-Fr 20:00-02:00", None, dt.date(2026, 1, 5)))
    assert night["s"][0] == [[1200, 1440]] and night["s"][1] == [[0, 120], [1200, 1440]]
    always = json.loads(horaires.schedule("24/7", None, dt.date(2026, 1, 5)))
    assert always["s"] == [[[0, 1440]]] * 7 and always["x"] == {}


def test_hours_the_parser_calls_unknown_give_no_status():
    assert horaires.schedule("Mo-Fr 09:00-17:00 unknown", "59", dt.date(2026, 1, 5)) is None

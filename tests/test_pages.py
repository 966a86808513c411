"""Structural checks of the built pages with BeautifulSoup: what every page must carry, and each page type's content."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from annuaire360.site.render import FOOTER_LINKS
from annuaire360.site.text import Abbreviations, hours_fr
from tests.page_types import PAGE_TYPES, all_pages, file_of, soup_of

TITLE = re.compile(r"^\S.* — Annuaire des communautés 360$")


def text_of(node, separator: str = " ") -> str:
    return " ".join(node.get_text(separator).split())


def rows_of(main) -> dict[str, str]:
    """Summary-list rows (dt → dd) as plain text."""
    return {text_of(dt, ""): text_of(dt.find_next_sibling("dd"), "") for dt in main.select(".resume dt")}


# --------------------------------------------------------------------------- every page


def _landmarks(soup: BeautifulSoup, etat: str) -> list[str]:
    problems = []
    if soup.html.get("lang") != "fr":
        problems.append("lang manquant")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{len(soup.find_all('h1'))} h1")
    if not TITLE.match(soup.title.string or ""):
        problems.append(f"titre « {soup.title.string} »")
    if soup.find("main") is None or soup.find("header") is None or soup.find("footer") is None:
        problems.append("repères header/main/footer")
    return problems


def _number_and_skip_link(soup: BeautifulSoup, etat: str) -> list[str]:
    problems = []
    header_tel = soup.select("header a[href='tel:0800360360']")
    if not header_tel or "appel gratuit" not in text_of(header_tel[0].parent):
        problems.append("numéro national absent de l'en-tête")
    skip = soup.find("a", class_="lien-evitement")
    if skip is None or soup.find("body").find("a") is not skip or soup.find(id=skip["href"][1:]) is None:
        problems.append("lien d'évitement absent, pas en premier, ou cible absente")
    return problems


def _footer(soup: BeautifulSoup, etat: str) -> list[str]:
    footer = soup.find("footer") or soup
    problems = [] if f"Accessibilité : {etat}" in text_of(footer) else ["état d'accessibilité absent du pied de page"]
    hrefs = {a["href"] for a in footer.find_all("a")}
    missing = [url for url, _ in FOOTER_LINKS if url not in hrefs]
    return problems + ([f"liens du pied de page manquants : {missing}"] if missing else [])


def _no_inline_code(soup: BeautifulSoup, etat: str) -> list[str]:
    inline = soup.find(attrs={"style": True}) or any(
        not s.get("src") and s.get("type") != "application/ld+json" for s in soup.find_all("script")
    )
    return ["style ou script en ligne (interdit par la politique de sécurité)"] if inline else []


def _links_and_abbreviations(soup: BeautifulSoup, etat: str) -> list[str]:
    problems = []
    # Same link text must mean same destination (RGAA 6.1); the text includes visually hidden context.
    targets = defaultdict(set)
    for a in soup.find_all("a", href=True):
        targets[text_of(a).casefold()].add(a["href"])
    ambiguous = {text: hrefs for text, hrefs in targets.items() if len(hrefs) > 1}
    if ambiguous:
        problems.append(f"même texte de lien, destinations différentes : {ambiguous}")
    # One <abbr> per acronym per page: only the first use is marked.
    seen = [a.get_text() for a in soup.find_all("abbr")]
    if len(seen) != len(set(seen)):
        problems.append(f"sigle marqué plusieurs fois : {seen}")
    return problems


COMMON_RULES = [_landmarks, _number_and_skip_link, _footer, _no_inline_code, _links_and_abbreviations]
"""The rules every page follows."""
WITHOUT_BREADCRUMB = {"index.html", "404.html"}
"""The pages that have no trail: the home page and the page of a missing address."""


def check_common(soup: BeautifulSoup, etat: str, *, breadcrumb: bool = True) -> list[str]:
    """Problems of one page with the rules every page follows (and the breadcrumb trail, when it needs one)."""
    problems = [problem for rule in COMMON_RULES for problem in rule(soup, etat)]
    if breadcrumb and soup.find("nav", attrs={"aria-label": "Fil d'Ariane"}) is None:
        problems.append("fil d'Ariane absent")
    return problems


@pytest.mark.parametrize("site_name,etat", [("fixture_site", "partiellement conforme"), ("real_site", "non conforme")])
def test_every_page_follows_the_common_rules(request, site_name, etat):
    site = request.getfixturevalue(site_name)
    problems = {}
    for path in all_pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        rel = path.relative_to(site)
        found = check_common(soup, etat, breadcrumb=rel.as_posix() not in WITHOUT_BREADCRUMB)
        if found:
            problems[rel.as_posix()] = found
    assert len(all_pages(site)) > 140
    assert not problems, problems


def test_common_rules_catch_a_broken_page(fixture_site):
    """The checker is not blind: a page with two h1, no number, a bad title and ambiguous links fails."""
    html = (
        '<!doctype html><html><head><title>Sans suffixe</title></head><body><header></header><main>'
        '<h1>a</h1><h1>b</h1><a href="/x/">Lire</a><a href="/y/">Lire</a><p style="color:red">x</p>'
        "</main><footer></footer></body></html>"
    )
    problems = check_common(BeautifulSoup(html, "html.parser"), "non conforme")
    assert {"lang manquant", "2 h1", "numéro national absent de l'en-tête", "fil d'Ariane absent"} <= set(problems)
    assert any(p.startswith("titre") for p in problems) and any(p.startswith("même texte") for p in problems)
    assert any(p.startswith("style") for p in problems)


def test_every_page_type_exists(fixture_site):
    for url in PAGE_TYPES.values():
        assert file_of(fixture_site, url).is_file(), url


# --------------------------------------------------------------------------- page types


def test_home_explains_the_number_and_the_communaute(fixture_site):
    soup = soup_of(fixture_site, "/")
    main = soup.find("main")
    text = text_of(main)
    assert soup.title.string == "Accueil — Annuaire des communautés 360"
    assert main.select("a[href='tel:0800360360']")
    for words in ("pour un proche", "comme professionnel", "à tout âge", "quel que soit le handicap",
                  "Pas besoin d'avoir un dossier à la MDPH", "l'équipe de la communauté 360 de votre département",
                  "ne remplace pas la MDPH", "ne soigne pas"):
        assert words in text, words
    assert main.find(id="trouver-titre") is not None, "boîte « Trouver votre département » absente"
    departements = main.select("a[href^='/departements/']")
    assert len({a["href"] for a in departements}) == 101
    assert main.find("abbr", title="Maison départementale des personnes handicapées")


def test_departement_with_data(fixture_site):
    soup = soup_of(fixture_site, "/departements/59-nord/")
    main = soup.find("main")
    text = text_of(main)
    assert soup.title.string == "Nord (59) — Annuaire des communautés 360"
    crumbs = [text_of(li) for li in soup.select("nav[aria-label=\"Fil d'Ariane\"] li")]
    assert crumbs == ["Accueil", "Hauts-de-France", "Nord (59)"]
    for words in ("Communauté 360 du Nord (fictive)", "Portée par Association Exemple",
                  "du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h ; fermé les jours fériés",
                  "Vérifié le 1er février 2025", "Page fictive de la communauté"):
        assert words in text, words
    groups = [text_of(h) for h in main.select("#membres-titre ~ h3")]
    assert groups == ["Pôles de compétences et de prestations externalisées (PCPE)"]  # the MDPH is a member
    for heading in main.select("#membres-titre ~ h3"):
        explanation = heading.find_next_sibling()
        assert "explication" in explanation["class"] and len(text_of(explanation)) > 20
    assert main.select_one("#ressources-titre") and main.select_one("a[href='/structures/cra-fictif-npdc/']")
    report = main.find("a", string="Signaler une erreur sur cette page")
    assert report["href"].startswith("https://github.example.org/annuaire/donnees/issues/new?")
    assert "departements%2F59-nord.yaml" in report["href"]
    assert main.find("a", href=re.compile(r"^mailto:signalement@example\.org\?subject=Erreur"))


@pytest.mark.parametrize("url,region_resource", [("/departements/01-ain/", None),
                                                  ("/departements/62-pas-de-calais/", "/structures/cra-fictif-npdc/")])
def test_departement_without_local_data_still_helps(fixture_site, url, region_resource):
    main = soup_of(fixture_site, url).find("main")
    text = text_of(main)
    assert main.select("a[href='tel:0800360360']")
    assert "Ce qui se passe quand vous appelez" in text
    assert "maison départementale des personnes handicapées (MDPH)" in text
    assert main.find("a", string="Signaler une erreur sur cette page")
    if region_resource:
        assert main.select_one(f"#ressources-titre ~ article a[href='{region_resource}']")


def test_fiche_has_every_field(fixture_site):
    soup = soup_of(fixture_site, "/structures/mdph-nord-fictive/")
    main = soup.find("main")
    text = text_of(main)
    rows = rows_of(main)
    assert rows["Âge"] == "tous les âges, ou non précisé"
    assert rows["Situations"] == "Tous les handicaps"
    assert rows["Proches aidants"].startswith("Oui")
    # The MDPH gives the notifications: whether one is needed to go there is no question (said nowhere).
    assert "Notification MDPH" not in rows and "notification" not in text_of(main.find(id="mdph-titre").parent)
    assert rows["Comment y accéder"].startswith("Les personnes et les familles peuvent contacter directement")
    assert rows["Horaires"] == "du lundi au vendredi, de 8 h 30 à 17 h"
    assert text_of(main.find("address")) == "1 rue de l'Exemple 59000 Lille"
    assert rows["Territoire couvert"] == "Nord (59)"
    assert rows["Communauté 360"] == ("Membre cœur de la communauté 360 (elle coordonne son action) : "
                                      "Communauté 360 du Nord (fictive)")
    assert main.select_one("a[href='tel:0353010000']").get_text() == "03 53 01 00 00"
    assert main.select_one("a[href='mailto:accueil@example.org']")
    assert main.select_one("a.site-web[href='https://mdph.example.org']")
    assert main.select_one("a[href='/glossaire/#mdph']")
    assert "Le guichet unique des droits liés au handicap" in text
    assert "Vérifié le 1er février 2025" in text
    assert main.select_one(".provenance a[href='https://www.example.org/mdph']")
    assert main.find("a", string="Signaler une erreur sur cette page")
    crumbs = [text_of(li) for li in soup.select("nav[aria-label=\"Fil d'Ariane\"] li")]
    assert crumbs == ["Accueil", "Hauts-de-France", "Nord (59)", "MDPH du Nord (fictive)"]


def test_fiche_without_verification_says_so(fixture_site):
    main = soup_of(fixture_site, "/structures/pcpe-fictif-lille/").find("main")
    assert "Pas encore vérifié auprès du service" in text_of(main)
    rows = rows_of(main)
    assert rows["Âge"] == "de 0 à 20 ans"
    assert rows["Situations"] == "Autisme et troubles du neurodéveloppement, Handicap intellectuel"
    assert rows["Notification MDPH"] == "Pas besoin de notification de la MDPH."
    assert main.find("li", string=re.compile("psychologue"))


def test_type_page_groups_by_departement(fixture_site):
    main = soup_of(fixture_site, "/types/cra/").find("main")
    assert [text_of(h) for h in main.find_all("h2")] == ["Nord (59)", "Pas-de-Calais (62)"]
    assert len(main.select("a[href='/structures/cra-fictif-npdc/']")) == 2
    empty = soup_of(fixture_site, "/types/gem/").find("main")
    assert "Aucune structure de ce type" in text_of(empty)


def test_region_page_lists_departements_and_resources(fixture_site):
    main = soup_of(fixture_site, "/regions/hauts-de-france/").find("main")
    assert {a["href"] for a in main.select("a[href^='/departements/']")} == {
        "/departements/02-aisne/", "/departements/59-nord/", "/departements/60-oise/",
        "/departements/62-pas-de-calais/", "/departements/80-somme/"}
    assert "Communauté 360 du Nord (fictive)" in text_of(main)
    assert main.select_one("#ressources-titre ~ article a[href='/structures/cra-fictif-npdc/']")


def test_glossary_explains_every_type_and_acronym(fixture_site):
    from annuaire360.site.text import ACRONYMS

    main = soup_of(fixture_site, "/glossaire/").find("main")
    import yaml

    types = yaml.safe_load((Path(__file__).parent / "fixtures/data/types.yaml").read_text())["types"]
    for type_ in types:
        entry = main.find("dt", id=type_["code"])
        assert entry is not None, type_["code"]
        assert text_of(entry.find_next_sibling("dd")).startswith(type_["explication"])
    for sigle in ACRONYMS:
        assert main.find("dt", id=f"sigle-{sigle.lower()}") is not None, sigle


def test_accessibility_statement_shows_the_state_from_site_yaml(fixture_site, real_site):
    fixture = text_of(soup_of(fixture_site, "/accessibilite/").find("main"))
    assert "est partiellement conforme" in fixture and "révèle que 80 % des critères" in fixture
    assert "15 janvier 2025" in fixture and "accessibilite@example.org" in fixture
    real = text_of(soup_of(real_site, "/accessibilite/").find("main"))
    assert "est non conforme" in real and "aucun audit complet n'a encore été réalisé" in real
    for section in ("Ce qui a été testé automatiquement", "Contenus non accessibles", "Établissement de cette déclaration",
                    "Retour d'information et contact", "Voies de recours", "Défenseur des droits", "article 47"):
        assert section in real, section
    home = text_of(soup_of(real_site, "/").find("footer"))
    assert "Accessibilité : non conforme" in home


def test_content_pages_exist(fixture_site):
    for slug in ("a-propos", "mentions-legales", "accessibilite"):
        soup = soup_of(fixture_site, f"/{slug}/")
        assert soup.find("h1") and len(text_of(soup.find("main"))) > 300, slug


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("value,words", [
    ("Mo-Fr 09:00-17:00", "du lundi au vendredi, de 9 h à 17 h"),
    ("Mo,We,Fr 09:00-12:00", "le lundi, le mercredi et le vendredi, de 9 h à 12 h"),
    ("Mo-Su 08:00-20:00", "tous les jours, de 8 h à 20 h"),
    ("Mo-Fr 09:00-12:00,13:30-17:00; Sa,PH off", "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 17 h ; fermé le samedi et les jours fériés"),
    ("Mo-Fr 09:00-12:00,13:00-15:00,16:00-18:00", "du lundi au vendredi, de 9 h à 12 h, de 13 h à 15 h et de 16 h à 18 h"),
    ("Sa-Su 10:00-12:00", "le samedi et le dimanche, de 10 h à 12 h"),
    ("Mo-Fr 09:00-17:00; Jan off", None),
])
def test_hours_in_french_words(value, words):
    assert hours_fr(value) == words


def test_abbreviations_mark_only_the_first_use_and_escape():
    abbr = Abbreviations({"MDPH": "Maison départementale", "TND": "Troubles"})
    assert str(abbr.text("La MDPH <b> et la MDPH")) == 'La <abbr title="Maison départementale">MDPH</abbr> &lt;b&gt; et la MDPH'
    assert str(abbr("MDPH")) == "MDPH"
    assert str(abbr("TND")) == '<abbr title="Troubles">TND</abbr>'
    assert str(abbr.text("MDPHX")) == "MDPHX"


def test_departement_shows_the_members_of_its_communaute_apart_from_other_services(fixture_site):
    main = soup_of(fixture_site, "/departements/59-nord/").find("main")
    members = main.find(id="communaute-membres-titre").find_parent("section")
    cards = {text_of(card.find("h3")): text_of(card) for card in members.select("article")}
    cra = "Centre ressources autisme fictif"
    assert set(cards) == {"MDPH du Nord (fictive)", cra}  # a member of the file, a regional one
    assert "Membre cœur de la communauté 360" in cards["MDPH du Nord (fictive)"]
    assert "Partenaire de la communauté 360" in cards[cra]
    others = main.find(id="membres-titre")
    assert text_of(others) == "Les autres services du département"
    listed = {text_of(a) for a in others.find_parent("section").select("article h4 a")}
    assert not listed & set(cards)  # each service once: a member is not among « the other services »
    fiche = text_of(soup_of(fixture_site, "/structures/mdph-nord-fictive/").find("main"))
    assert "Membre cœur de la communauté 360 (elle coordonne son action) : Communauté 360 du Nord (fictive)" in fiche
    without = soup_of(fixture_site, "/departements/62-pas-de-calais/").find("main")
    assert without.find(id="communaute-membres-titre") is None

"""One URL of the fixture site per page type, shared by the structural and browser tests."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from annuaire360.site.pages import path_for
from tests.conftest import ROOT

PAGE_TYPES: dict[str, str] = {
    "accueil": "/",
    "departement-avec-donnees": "/departements/59-nord/",
    "departement-sans-donnees": "/departements/01-ain/",
    "departement-sans-donnees-avec-ressources": "/departements/62-pas-de-calais/",
    "fiche": "/structures/mdph-nord-fictive/",
    "fiche-sans-adresse": "/structures/pcpe-fictif-lille/",
    "fiche-ressource-regionale": "/structures/cra-fictif-npdc/",
    "type": "/types/pcpe/",
    "type-vide": "/types/gem/",
    "region": "/regions/hauts-de-france/",
    "regions": "/regions/",
    "glossaire": "/glossaire/",
    "livret": "/departements/59-nord/livret/",
    "livret-sans-donnees": "/departements/01-ain/livret/",
    "dictionnaire-des-donnees": "/donnees/dictionnaire/",
    "404": "/404.html",
    "besoin-departement": "/departements/59-nord/ecole/",
    "besoin-departement-sans-service": "/departements/23-creuse/crise/",
    "besoin": "/besoins/ecole/",
    "besoins": "/besoins/",
    "numero-national": "/numero-national/",
    "trouver": "/trouver/",
    "recherche": "/recherche/",
    "facile-a-lire-accueil": "/facile-a-lire/",
    "facile-a-lire-page": "/facile-a-lire/mdph/",
    "facile-a-lire-services": "/facile-a-lire/services/",
    "hors-ligne": "/hors-ligne/",
    "couverture": "/couverture/",
    "couverture-triee": "/couverture/par-note/",
}
# Every content page (content/*.md), whichever pages are added later.
PAGE_TYPES.update({f"contenu-{path.stem}": f"/{path.stem}/" for path in sorted((ROOT / "content").glob("*.md"))})


def file_of(site: Path, url: str) -> Path:
    """The file a URL of the built site is served from (the site's own URL ↔ file rule)."""
    return site / path_for(url)


def soup_of(site: Path, url: str) -> BeautifulSoup:
    """A page of the built site, parsed."""
    return BeautifulSoup(file_of(site, url).read_text(encoding="utf-8"), "html.parser")


def all_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (not the search bundle's files)."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)

"""One URL of the fixture site per page type, shared by the structural and browser tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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
    "404": "/404.html",
}
# Every content page (content/*.md), including the ones other parts of the project add later.
PAGE_TYPES.update({f"contenu-{path.stem}": f"/{path.stem}/" for path in sorted((ROOT / "content").glob("*.md"))})


def file_of(site: Path, url: str) -> Path:
    """The file a URL of the built site is served from."""
    return site / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))

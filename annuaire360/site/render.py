"""Render: the site model → HTML pages in memory, through one Jinja environment.

The pages of the site are a table of families (``page_families``): each family names its template and
yields, for every page, its URL, the file it comes from and what its template needs. Adding a kind of
page is adding a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import format as fmt
from . import coverage, facile_a_lire, geo, horaires, search_facets
from .booklet import booklet_context
from .export import dictionary, jsonld, vcard
from .links import NUMBER_TOKEN, Links
from .model import (
    Annuaire,
    TypeGroup,
    by_departement,
    group_by_type,
    region_resources,
    shared_notification,
    types_by_departement,
)
from .pages import SiteFiles
from .text import ACRONYMS, Abbreviations, date_fr, hours_fr, join_fr, markdown_field

FOOTER_LINKS: list[tuple[str, str]] = [
    ("/accessibilite/", "Déclaration d'accessibilité"),
    ("/mentions-legales/", "Mentions légales"),
    ("/contribuer/", "Contribuer à l'annuaire"),
    ("/donnees/", "Données ouvertes"),
    ("/a-propos/", "À propos"),
    ("/glossaire/", "Glossaire"),
    ("/regions/", "Tous les départements"),
]
"""Footer links, the same on every page."""


def make_environment(templates: Path) -> Environment:
    """The one Jinja environment: autoescape everywhere, a missing variable is an error. It holds only what
    does not depend on the data, so that the preview can keep it (and its compiled templates) between builds."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_fr"] = date_fr
    env.filters["hours_fr"] = hours_fr
    env.filters["markdown"] = lambda text: Markup(markdown_field(text))
    env.filters["gras"] = facile_a_lire.bold
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]  # « capitalize » lowers the rest
    env.globals.update(
        SITUATIONS=fmt.SITUATIONS, ROLES=fmt.ROLES, NOTIFICATIONS=fmt.NOTIFICATIONS, ACCES=fmt.ACCES, POUR=fmt.POUR,
        NUMBER_TOKEN=NUMBER_TOKEN, footer_links=FOOTER_LINKS, acronyms=ACRONYMS, join_fr=join_fr, zip=zip,
        shared_notification=shared_notification,
        VERIFICATEURS=fmt.VERIFICATEURS, coverage=coverage,
    )
    return env


class Scripts:
    """The scripts a page needs, as its macros find out while it renders (a fresh instance for each page):
    base.html loads them at the end, once each."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def need(self, name: str) -> str:
        """Called by a macro (``{{ scripts.need("horaires") }}``): writes nothing, remembers the script."""
        if name not in self.names:
            self.names.append(name)
        return ""

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)


@dataclass(frozen=True)
class Page:
    """One page to render: where it goes, the file it comes from, what its template needs."""

    url: str
    origin: str  # the file a contributor would edit (messages, « modifier ce fichier »)
    context: dict[str, Any]
    at: tuple[int, int] = (1, 1)  # where in ``origin`` the page's address is decided


@dataclass(frozen=True)
class Family:
    """A kind of page: one template, and the pages of that kind."""

    template: str
    pages: Callable[[Annuaire], Iterator[Page]]
    counted: bool = True  # the 404 page is a file of the site, not one of its pages


def _one(url: str, origin: str, **context: Any) -> Callable[[Annuaire], Iterator[Page]]:
    return lambda annuaire: iter([Page(url, origin, context)])


def _departements(annuaire: Annuaire) -> Iterator[Page]:
    for d in annuaire.departements:
        yield Page(d.url, d.source_file, {"departement": d, "search_head": search_facets.head_tags(d, annuaire),
                                          "jsonld": jsonld.script(jsonld.departement_graph(d, annuaire))})


def _structures(annuaire: Annuaire) -> Iterator[Page]:
    for s in annuaire.structures.values():
        card = vcard.structure_card(s, annuaire.site.url) is not None
        yield Page(s.url, s.source_file, {"structure": s, "search_head": search_facets.head_tags(s, annuaire),
                                          "jsonld": jsonld.script(jsonld.structure_graph(s, annuaire)),
                                          "vcard_url": "/" + vcard.card_path(s.data.id) if card else None})


def _booklets(annuaire: Annuaire) -> Iterator[Page]:
    for d in annuaire.departements:
        yield Page(d.url + "livret/", d.source_file, booklet_context(d, annuaire))


def _regions(annuaire: Annuaire) -> Iterator[Page]:
    for region in annuaire.regions:
        resources = group_by_type(region_resources(annuaire, region))
        yield Page(region.url, annuaire.territoires_file, {"region": region, "resources": resources})


TYPE_PAGE_CARDS = 120
"""A type page shows the cards of its structures up to this many (more than the 101 départements: a type with
one structure per département, such as the MDPH, keeps its cards); beyond, it lists the départements they
serve, région by région, each linking to where its page lists them: no page grows with the country."""


def _types(annuaire: Annuaire) -> Iterator[Page]:
    served = types_by_departement(annuaire)
    for code, type_ in annuaire.types.items():
        views = annuaire.structures_of_type(code)
        crowded = len(views) > TYPE_PAGE_CARDS
        context = {"type_": type_, "structures": views, "nationwide": [view for view in views if view.national],
                   "groups": [] if crowded else by_departement(views), "regions": served.get(code, []) if crowded else [],
                   "groupe": TypeGroup(type_, views)}
        yield Page(f"/types/{code}/", annuaire.types_file, context)


def _content(annuaire: Annuaire) -> Iterator[Page]:
    for page in annuaire.content:
        yield Page(page.url, page.source.display, {"page": page}, page.source.url_at)


def _easy_read(annuaire: Annuaire) -> Iterator[Page]:
    for url, context in facile_a_lire.pages(annuaire):
        yield Page(url, annuaire.facile_a_lire_file, context)
def _coverage(annuaire: Annuaire) -> Iterator[Page]:
    for order in coverage.SORTS:
        yield Page(order.url, "annuaire360/site/coverage.py", {"tri": order})


def _search(annuaire: Annuaire) -> Iterator[Page]:
    yield Page("/recherche/", "templates/recherche.html", {"facets": search_facets.facets(annuaire)})


def _besoins(annuaire: Annuaire) -> Iterator[Page]:
    """Each need's national page: what it covers, the national lines, and its page in every département."""
    for besoin in annuaire.besoins:
        context = {"besoin": besoin, "nationales": annuaire.national_answering(besoin.code),
                   "search_head": search_facets.besoin_head_tags(besoin, annuaire)}
        yield Page(besoin.url, annuaire.besoins_file, context)


def _besoins_departements(annuaire: Annuaire) -> Iterator[Page]:
    """Each need in each département: the communauté and the number first, then who answers it there."""
    for d in annuaire.departements:
        for besoin in annuaire.besoins:
            membres, ressources = d.answering(besoin.code)
            context = {"departement": d, "besoin": besoin, "membres": membres, "ressources": ressources,
                       "nationales": annuaire.national_answering(besoin.code)}
            yield Page(besoin.url_in(d), d.source_file, context)


FAMILIES: list[Family] = [
    Family("home.html", _one("/", "templates/home.html")),
    Family("departement.html", _departements),
    Family("structure.html", _structures),
    Family("region.html", _regions),
    Family("regions.html", _one("/regions/", "templates/regions.html")),
    Family("type.html", _types),
    Family("glossaire.html", lambda annuaire: _one("/glossaire/", annuaire.types_file)(annuaire)),
    Family("livret.html", _booklets),
    Family("dictionnaire.html", lambda annuaire: iter([Page(
        "/donnees/dictionnaire/", "annuaire360/site/export/dictionary.py", {"tables": dictionary.tables(annuaire), "mapping": dictionary.mapping_rows(annuaire)})])),
    Family("content.html", _content),
    Family("recherche.html", _search),
    Family("besoins.html", lambda annuaire: _one("/besoins/", annuaire.besoins_file)(annuaire)),
    Family("besoin.html", _besoins),
    Family("besoin-departement.html", _besoins_departements),
    Family("numero.html", lambda annuaire: _one("/numero-national/", annuaire.national_file)(annuaire)),
    Family("trouver.html", _one("/trouver/", "templates/trouver.html")),
    Family("facile-a-lire.html", _easy_read),
    Family("hors-ligne.html", _one("/hors-ligne/", "templates/hors-ligne.html"), counted=False),
    Family("couverture.html", _coverage),
    Family("404.html", _one("/404.html", "templates/404.html"), counted=False),
]
"""Every page of the site, family by family, in the order they are rendered."""


def expansions(annuaire: Annuaire) -> dict[str, str]:
    """Every acronym the pages may mark with <abbr>: type sigles from data/types.yaml, then text.ACRONYMS."""
    found = {t.sigle: t.libelle for t in annuaire.types.values() if t.sigle}
    found.update({sigle: expansion for sigle, (expansion, _) in ACRONYMS.items() if sigle not in found})
    return found


def render_site(annuaire: Annuaire, env: Environment, today: dt.date) -> SiteFiles:
    """Render every page of the site, and the commune index of /static/geo/, into memory."""
    files = SiteFiles()
    known_now = coverage.coverage(annuaire, today)
    departements = [(d.info.code, d.info.nom, d.url, d.info.region) for d in annuaire.departements]
    common: dict[str, Any] = {
        "annuaire": annuaire,
        "today": today,
        "site": annuaire.site,
        "national": annuaire.national.numero_national,
        "links": Links(annuaire.site),
        "carte": geo.map_context(departements),
        "couverture": known_now,
        "carte_couverture": geo.map_context(departements, known_now.levels()),
        "geo_source": geo.source(),
        "prefixes_postaux": geo.postcode_prefixes(),
        "horaires_semaine": lambda value, zone: horaires.schedule(value, zone, today),
        "national_vcard": "/" + vcard.NATIONAL_PATH,
    }
    known = expansions(annuaire)
    for family in FAMILIES:
        template = env.get_template(family.template)
        for page in family.pages(annuaire):
            html = template.render(**common, **page.context, page_url=page.url, abbr=Abbreviations(known),
                                   scripts=Scripts(),
                                   facile_a_lire_url=facile_a_lire.header_link(annuaire, page.url, page.context))
            files.add_page(page.url, html, page.origin, page.at, counted=family.counted)
    # Search and "find my communauté" (site/geo.py): the commune index under /static/geo/.
    regions = {r.info.nom: [d.info.code for d in r.departements] for r in annuaire.regions}
    autres = {code: f"territoire-{t.codes[0]}" for t in annuaire.national.autres_territoires for code in t.codes}
    pages = {d.info.code: (d.info.nom, d.url) for d in annuaire.departements}
    for path, data in geo.site_files(pages, regions, autres).items():
        files.add(path, data, "annuaire360/site/geodata")
    # The families' words that name a need, for the search page to propose its page at once.
    files.add(search_facets.WORDS_FILE, search_facets.words_file(annuaire), annuaire.besoins_file)
    return files

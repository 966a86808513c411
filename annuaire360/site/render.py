"""Render: the site model → HTML pages in memory, through one Jinja environment.

The pages of the site are a table of families (``page_families``): each family names its template and
yields, for every page, its URL, the file it comes from and what its template needs. Adding a kind of
page is adding a row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from .. import format as fmt
from ..errors import Interrupted
from . import coverage, facile_a_lire, geo, horaires, search_facets
from .booklet import booklet_context
from .export import dictionary, jsonld, vcard
from .links import NUMBER_TOKEN, Links
from .model import (
    Annuaire,
    DepartementView,
    StructureView,
    TypeGroup,
    by_departement,
    group_by_type,
    region_resources,
    shared_notification,
    types_by_departement,
)
from .pages import SiteFiles, path_for
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
    # what its template needs that costs time to make (JSON-LD, vCard…): made when the page is rendered, so
    # that planning every page stays quick (the preview plans at each save, then renders one page)
    later: Callable[[], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Family:
    """A kind of page: one template, and the pages of that kind."""

    template: str
    pages: Callable[[Annuaire], Iterator[Page]]
    counted: bool = True  # the 404 page is a file of the site, not one of its pages


def _one(url: str, origin: str, **context: Any) -> Callable[[Annuaire], Iterator[Page]]:
    return lambda annuaire: iter([Page(url, origin, context)])


def _departements(annuaire: Annuaire) -> Iterator[Page]:
    def later(d: DepartementView) -> dict[str, Any]:
        return {"search_head": search_facets.head_tags(d, annuaire),
                "jsonld": jsonld.script(jsonld.departement_graph(d, annuaire))}

    for d in annuaire.departements:
        yield Page(d.url, d.source_file, {"departement": d}, later=functools.partial(later, d))


def _structures(annuaire: Annuaire) -> Iterator[Page]:
    def later(s: StructureView) -> dict[str, Any]:
        card = vcard.structure_card(s, annuaire.site.url) is not None
        return {"search_head": search_facets.head_tags(s, annuaire),
                "jsonld": jsonld.script(jsonld.structure_graph(s, annuaire)),
                "vcard_url": "/" + vcard.card_path(s.data.id) if card else None}

    for s in annuaire.structures.values():
        yield Page(s.url, s.source_file, {"structure": s}, later=functools.partial(later, s))


def _booklets(annuaire: Annuaire) -> Iterator[Page]:
    for d in annuaire.departements:  # its QR code takes 20 ms to draw: at render time
        yield Page(d.url + "livret/", d.source_file, {}, later=functools.partial(booklet_context, d, annuaire))


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
    def later(d: DepartementView, code: str) -> dict[str, Any]:
        membres, ressources = d.answering(code)
        return {"membres": membres, "ressources": ressources, "nationales": annuaire.national_answering(code)}

    for d in annuaire.departements:
        for besoin in annuaire.besoins:
            yield Page(besoin.url_in(d), d.source_file, {"departement": d, "besoin": besoin},
                       later=functools.partial(later, d, besoin.code))


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


class PagePlan:
    """Every page of the site, known before any is rendered: the build renders them in order
    (``render_pages``), the preview (``serve``) renders each one when it is first asked for. A page renders
    to the same bytes either way: its template reads only the model, the shared context and its own context."""

    def __init__(self, annuaire: Annuaire, env: Environment, today: dt.date) -> None:
        self.annuaire, self.env = annuaire, env
        self.known = expansions(annuaire)
        self.common = _shared_context(annuaire, today)
        self.pages: list[tuple[Family, Page]] = [(family, page) for family in FAMILIES for page in family.pages(annuaire)]
        self._templates: dict[str, Template] = {}

    def by_path(self) -> dict[str, tuple[Family, Page]]:
        """Each page by its file path (``a/b/index.html``); the first of two pages at one address (the build
        reports the second)."""
        found: dict[str, tuple[Family, Page]] = {}
        for family, page in self.pages:
            found.setdefault(path_for(page.url), (family, page))
        return found

    def counted(self) -> int:
        """How many pages the site has (the 404 and offline pages are files, not pages)."""
        return sum(1 for family, _ in self.pages if family.counted)

    def render(self, family: Family, page: Page) -> str:
        """One page's HTML."""
        template = self._templates.get(family.template)
        if template is None:  # looked up once per family: each lookup checks the file for changes
            template = self._templates[family.template] = self.env.get_template(family.template)
        context = page.context if page.later is None else {**page.context, **page.later()}
        return template.render(**self.common, **context, page_url=page.url, abbr=Abbreviations(self.known),
                               scripts=Scripts(),
                               facile_a_lire_url=facile_a_lire.header_link(self.annuaire, page.url, context))


def _shared_context(annuaire: Annuaire, today: dt.date) -> dict[str, Any]:
    """What every template may read, the same for every page."""
    known_now = coverage.coverage(annuaire, today)
    departements = [(d.info.code, d.info.nom, d.url, d.info.region) for d in annuaire.departements]
    return {
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


def render_site(annuaire: Annuaire, env: Environment, today: dt.date) -> SiteFiles:
    """Render every page of the site, and the commune index of /static/geo/, into memory."""
    return render_pages(PagePlan(annuaire, env, today))


def render_pages(plan: PagePlan, interrupted: Callable[[], bool] | None = None, workers: int = 1) -> SiteFiles:
    """Render every planned page, then the commune index of /static/geo/ and the need words, into memory.

    ``interrupted``: asked before each page; when it says yes, ``Interrupted`` is raised (the preview drops
    the rendering of a save that a newer save has replaced). ``workers``: processes that share the pages
    (``parallel.py``; the same bytes whatever their number), only without ``interrupted``."""
    from .parallel import render_shares  # parallel imports this module

    files = SiteFiles()
    rendered = render_shares(plan, workers) if workers > 1 and interrupted is None else _one_by_one(plan, interrupted)
    for (family, page), html in zip(plan.pages, rendered, strict=True):
        files.add_page(page.url, html, page.origin, page.at, counted=family.counted)
    annuaire = plan.annuaire
    # Search and "find my communauté" (site/geo.py): the commune index under /static/geo/.
    regions = {r.info.nom: [d.info.code for d in r.departements] for r in annuaire.regions}
    autres = {code: f"territoire-{t.codes[0]}" for t in annuaire.national.autres_territoires for code in t.codes}
    pages = {d.info.code: (d.info.nom, d.url) for d in annuaire.departements}
    for path, data in geo.site_files(pages, regions, autres).items():
        files.add(path, data, "annuaire360/site/geodata")
    # The families' words that name a need, for the search page to propose its page at once.
    files.add(search_facets.WORDS_FILE, search_facets.words_file(annuaire), annuaire.besoins_file)
    return files


def _one_by_one(plan: PagePlan, interrupted: Callable[[], bool] | None) -> Iterator[str]:
    """Every planned page's HTML, in order, in this process; ``Interrupted`` as soon as ``interrupted`` says so."""
    for family, page in plan.pages:
        if interrupted is not None and interrupted():
            raise Interrupted
        yield plan.render(family, page)

"""Stage 4, render: the site model → HTML pages in memory, through one Jinja environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import format as fmt
from . import geo, recherche
from .content import ContentPage
from .model import Annuaire, DepartementView, RegionView, StructureView, departement_order, group_by_type, name_order
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
"""Footer links, fixed so that every page links to them even before a page exists (contribuer and
données are written by other parts of the project)."""


RESERVED = frozenset({"static", "pagefind"})
"""Top-level folders written by the build itself (static files, search index): no page may live there."""


class UrlCollision(Exception):
    """Two pages would be written to the same URL."""

    def __init__(self, url: str, first: str, second: str, at: tuple[int, int] = (1, 1)) -> None:
        super().__init__(f"deux pages auraient la même adresse {url} : {first} et {second}")
        self.url, self.first, self.second = url, first, second
        self.at = at  # line and column in the second file where its address is decided


@dataclass
class Pages:
    """Rendered pages by URL, refusing two pages at one URL."""

    html: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # other outputs (JSON, 404.html…) by path

    def add(self, url: str, content: str, origin: str, at: tuple[int, int] = (1, 1)) -> None:
        """Register a page; two pages at one URL, or a page inside static/ or pagefind/, is an error."""
        if url in self.html:
            raise UrlCollision(url, self.origin[url], origin, at)
        if url.strip("/").split("/")[0] in RESERVED:
            raise UrlCollision(url, "les fichiers du site (static/, pagefind/)", origin, at)
        self.html[url] = content
        self.origin[url] = origin

    @staticmethod
    def path_for(url: str) -> str:
        """File path of a URL: /a/b/ → a/b/index.html."""
        if url.endswith("/"):
            return f"{url.lstrip('/')}index.html"
        return url.lstrip("/")


def make_environment(templates: Path) -> Environment:
    """The one Jinja environment: autoescape everywhere, a missing variable is an error."""
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
    env.globals.update(
        SITUATIONS=fmt.SITUATIONS, ROLES=fmt.ROLES, NOTIFICATIONS=fmt.NOTIFICATIONS, ACCES=fmt.ACCES, POUR=fmt.POUR,
    )
    return env


def _report_body(annuaire: Annuaire, page_url: str, source_file: str, where: str) -> str:
    """The questions a report answers, with the page and data file it concerns."""
    return (
        f"Page : {annuaire.site.url}{page_url}\n"
        f"Fichier de données : {source_file}\n\n"
        "Qu'est-ce qui est faux ou manquant ?\n\n\n"
        f"Quelle est la bonne information, et où l'avez-vous trouvée{where} ?\n"
    )


def report_url(annuaire: Annuaire, title: str, page_url: str, source_file: str) -> str:
    """A prefilled GitHub issue to report an error on a page."""
    body = _report_body(annuaire, page_url, source_file, " (adresse d'une page publique)")
    return f"{annuaire.site.depot}/issues/new?" + urlencode({"title": f"Erreur : {title}", "body": body, "labels": "signalement"})


NUMBER_TOKEN = "[[numero-national]]"
"""Content pages write this token where the national number goes, so that the number lives in one file."""


def report_mail(annuaire: Annuaire, title: str, page_url: str, source_file: str) -> str | None:
    """A prefilled e-mail to report an error, for people without a GitHub account (None if no address)."""
    address = annuaire.site.signalement_courriel
    if not address:
        return None
    body = _report_body(annuaire, page_url, source_file, "")
    return f"mailto:{address}?" + urlencode({"subject": f"Erreur : {title}", "body": body}, quote_via=quote)


def expansions(annuaire: Annuaire) -> dict[str, str]:
    """Every acronym the pages may mark with <abbr>: type sigles from data/types.yaml, then text.ACRONYMS."""
    found = {t.sigle: t.libelle for t in annuaire.types.values() if t.sigle}
    found.update({sigle: expansion for sigle, (expansion, _) in ACRONYMS.items() if sigle not in found})
    return found


def by_departement(structures: list[StructureView]) -> list[tuple[DepartementView | None, list[StructureView]]]:
    """Structures grouped by the départements they cover (None first: national ones), in département order."""
    national = [s for s in structures if s.national]
    groups: dict[str, tuple[DepartementView, list[StructureView]]] = {}
    for view in structures:
        for departement in view.departements:
            groups.setdefault(departement.info.code, (departement, []))[1].append(view)
    ordered: list[tuple[DepartementView | None, list[StructureView]]] = [(None, national)] if national else []
    for departement, views in sorted(groups.values(), key=lambda group: departement_order(group[0].info.code)):
        ordered.append((departement, sorted(views, key=name_order)))
    return ordered


def region_resources(annuaire: Annuaire, region: RegionView) -> list[StructureView]:
    """Wider resources (data/ressources/) that cover at least one département of a région."""
    codes = {d.info.code for d in region.departements}
    return [
        s for s in annuaire.structures.values()
        if s.home is None and not s.national and any(d.info.code in codes for d in s.departements)
    ]


def render_site(annuaire: Annuaire, env: Environment, content: list[ContentPage]) -> Pages:
    """Render every page of the site."""
    pages = Pages()
    number = annuaire.national.numero_national.telephone
    env.filters["numero_national"] = lambda html: Markup(
        str(html).replace(NUMBER_TOKEN, f'<a class="tel" href="{number.tel_href}">{number.display}</a>')
    )
    common: dict[str, Any] = {
        "annuaire": annuaire,
        "today": fmt.today(),  # at each render: the preview's environment lives past midnight
        "site": annuaire.site,
        "national": annuaire.national.numero_national,
        "report_url": lambda title, url, source: report_url(annuaire, title, url, source),
        "edit_url": lambda source: f"{annuaire.site.depot}/edit/main/{source}",
        "report_mail": lambda title, url, source: report_mail(annuaire, title, url, source),
        "footer_links": FOOTER_LINKS,
        "acronyms": ACRONYMS,
        "join_fr": join_fr,
        "carte": geo.map_context([(d.info.code, d.info.nom, d.url) for d in annuaire.departements]),
        "geo_source": geo.source(),
        "search_head": lambda view: recherche.head_tags(view, annuaire),
    }
    known = expansions(annuaire)

    def render(template: str, url: str, origin: str, at: tuple[int, int] = (1, 1), **context: Any) -> None:
        html = env.get_template(template).render(**common, **context, page_url=url, abbr=Abbreviations(known))
        pages.add(url, html, origin, at)

    render("home.html", "/", "templates/home.html")
    for departement in annuaire.departements:
        render("departement.html", departement.url, departement.source_file, departement=departement)
    for structure in annuaire.structures.values():
        render("structure.html", structure.url, structure.source_file, structure=structure)
    for region in annuaire.regions:
        render("region.html", region.url, "data/territoires.yaml", region=region,
               resources=group_by_type(region_resources(annuaire, region)))
    render("regions.html", "/regions/", "templates/regions.html")
    for code, type_ in annuaire.types.items():
        of_type = annuaire.structures_of_type(code)
        render("type.html", f"/types/{code}/", "data/types.yaml", type_=type_, structures=of_type, groups=by_departement(of_type))
    render("glossaire.html", "/glossaire/", "data/types.yaml")
    for page in content:
        render("content.html", page.url, page.source, page.url_at, page=page)
    # Search and "find my communauté" (annuaire360/geo.py): pages, and the commune index under /static/geo/.
    render("recherche.html", "/recherche/", "templates/recherche.html", facets=recherche.facets(annuaire))
    render("trouver.html", "/trouver/", "templates/trouver.html")
    pages.files.update(geo.site_files({d.info.code: (d.info.nom, d.url) for d in annuaire.departements}))
    pages.files["404.html"] = env.get_template("404.html").render(
        **common, page_url="/404.html", abbr=Abbreviations(known)
    ).encode()
    return pages


__all__ = ["DepartementView", "Pages", "StructureView", "UrlCollision", "make_environment", "render_site"]

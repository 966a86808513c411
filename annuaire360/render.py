"""Stage 4, render: the site model → HTML pages in memory, through one Jinja environment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import format as fmt
from . import geo, recherche
from .content import ContentPage
from .model import Annuaire, DepartementView, StructureView
from .text import date_fr, hours_fr, markdown_field


class UrlCollision(Exception):
    """Two pages would be written to the same URL."""

    def __init__(self, url: str, first: str, second: str) -> None:
        super().__init__(f"deux pages auraient la même adresse {url} : {first} et {second}")
        self.url, self.first, self.second = url, first, second


@dataclass
class Pages:
    """Rendered pages by URL, refusing two pages at one URL."""

    html: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # other outputs (JSON, 404.html…) by path

    def add(self, url: str, content: str, origin: str) -> None:
        if url in self.html:
            raise UrlCollision(url, self.origin[url], origin)
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
    env.filters["urlquote"] = lambda text: quote(str(text), safe="")
    env.filters["tojson_ld"] = lambda data: Markup(
        json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    env.globals.update(
        SITUATIONS=fmt.SITUATIONS, ROLES=fmt.ROLES, NOTIFICATIONS=fmt.NOTIFICATIONS, ACCES=fmt.ACCES, POUR=fmt.POUR,
        today=fmt.today(),
    )
    return env


def report_url(annuaire: Annuaire, title: str, page_url: str, source_file: str) -> str:
    """A prefilled GitHub issue to report an error on a page."""
    body = (
        f"Page : {annuaire.site.url}{page_url}\n"
        f"Fichier de données : {source_file}\n\n"
        "Qu'est-ce qui est faux ou manquant ?\n\n\n"
        "Quelle est la bonne information, et où l'avez-vous trouvée (adresse d'une page publique) ?\n"
    )
    return f"{annuaire.site.depot}/issues/new?" + urlencode({"title": f"Erreur : {title}", "body": body, "labels": "signalement"})


def render_site(annuaire: Annuaire, env: Environment, content: list[ContentPage]) -> Pages:
    """Render every page of the site."""
    pages = Pages()
    common: dict[str, Any] = {
        "annuaire": annuaire,
        "site": annuaire.site,
        "national": annuaire.national.numero_national,
        "content_pages": {page.slug: page for page in content},
        "report_url": lambda title, url, source: report_url(annuaire, title, url, source),
        "edit_url": lambda source: f"{annuaire.site.depot}/edit/main/{source}",
        "carte": geo.map_context([(d.info.code, d.info.nom, d.url) for d in annuaire.departements]),
        "geo_source": geo.source(),
        "search_head": lambda view: recherche.head_tags(view, annuaire),
    }

    def render(template: str, url: str, origin: str, **context: Any) -> None:
        html = env.get_template(template).render(**common, **context, page_url=url)
        pages.add(url, html, origin)

    render("home.html", "/", "templates/home.html")
    for departement in annuaire.departements:
        render("departement.html", departement.url, departement.source_file, departement=departement)
    for structure in annuaire.structures.values():
        render("structure.html", structure.url, structure.source_file, structure=structure)
    for region in annuaire.regions:
        render("region.html", region.url, "data/territoires.yaml", region=region)
    render("regions.html", "/regions/", "templates/regions.html")
    for code, type_ in annuaire.types.items():
        render("type.html", f"/types/{code}/", "data/types.yaml", type_=type_, structures=annuaire.structures_of_type(code))
    render("glossaire.html", "/glossaire/", "data/types.yaml")
    for page in content:
        render("content.html", page.url, page.source, page=page)
    # Search and "find my communauté" (annuaire360/geo.py): pages, and the commune index under /static/geo/.
    render("recherche.html", "/recherche/", "templates/recherche.html", facets=recherche.facets(annuaire),
           toute_la_france=recherche.TOUTE_LA_FRANCE)
    render("trouver.html", "/trouver/", "templates/trouver.html")
    pages.files.update(geo.site_files({d.info.code: (d.info.nom, d.url) for d in annuaire.departements}))
    pages.files["404.html"] = env.get_template("404.html").render(**common, page_url="/404.html").encode()
    return pages


__all__ = ["DepartementView", "Pages", "StructureView", "UrlCollision", "make_environment", "render_site"]

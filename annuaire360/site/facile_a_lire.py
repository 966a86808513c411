"""Easy-read pages (facile à lire et à comprendre): /facile-a-lire/, then one page per text of data/facile-a-lire.yaml.

Each page says what its « version complète » says, in short sentences, one per line, in a larger type
(static/facile-a-lire.css). Every other page links here from its header (« Facile à lire »), and each
easy-read page links back. The texts are checked by ``source/falc.py``; until people with an intellectual
disability have read one (its ``relecture``), its page says so and asks for that check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from .. import format as fmt
from ..source.falc import sentences
from .model import Annuaire

ROOT = "/facile-a-lire/"
SEARCH_FILTER = ("lecture", "Facile à lire et à comprendre")
"""The search filter (key, value) every easy-read page carries: the search page offers it as its own choice."""

_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")


def url_of(page: fmt.PageFacileALire) -> str:
    return f"{ROOT}{page.adresse}/"


def type_anchor(code: str) -> str:
    """The id of a type's easy-read text on the page that lists them."""
    return f"type-{code}"


def bold(text: Markup) -> Markup:
    """Jinja filter: « **mot** » in an (already escaped) line becomes <strong>mot</strong>."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(text)))


def _types_page(annuaire: Annuaire) -> fmt.PageFacileALire | None:
    return next((page for page in annuaire.facile_a_lire.pages if page.liste_des_types), None)


def header_link(annuaire: Annuaire, url: str, context: dict[str, Any]) -> str:
    """Where a page's « Facile à lire » link leads: the easy-read page whose complete version it is (the
    glossary, the contributor guide…); on a fiche, a type's page or a département's (its communauté 360), the
    easy-read text of that type; elsewhere, the list of easy-read pages."""
    if url != "/":
        for page in annuaire.facile_a_lire.pages:
            if page.version_complete == url:
                return url_of(page)
    structure = context.get("structure")
    type_ = structure.type if structure is not None else context.get("type_")
    if "departement" in context:
        type_ = annuaire.types.get("communaute-360")
    listing = _types_page(annuaire)
    if isinstance(type_, fmt.TypeStructure) and type_.facile_a_lire and listing is not None:
        return f"{url_of(listing)}#{type_anchor(type_.code)}"
    return ROOT


def review_links(annuaire: Annuaire) -> tuple[str, str | None]:
    """Where to offer a check of the texts: a prefilled GitHub issue, and an e-mail if the site has an address."""
    site = annuaire.site
    title = "Relecture des textes faciles à lire"
    body = (
        "Nous sommes (un groupe de relecture, une association…) :\n\n\n"
        "Les pages que nous pouvons relire :\n\n\n"
        "Comment vous joindre :\n"
    )
    # no labels=: only people with triage rights may set labels from a link (families have none)
    issue = f"{site.depot}/issues/new?" + urlencode({"title": title, "body": body})
    mail = None
    if site.signalement_courriel:
        mail = f"mailto:{site.signalement_courriel}?" + urlencode({"subject": title, "body": body}, quote_via=quote)
    return issue, mail


def type_lines(type_: fmt.TypeStructure) -> list[str]:
    """A type's easy-read text, one sentence per line."""
    return sentences(type_.facile_a_lire or "")


def pages(annuaire: Annuaire) -> Iterator[tuple[str, dict[str, Any]]]:
    """(URL, template context) of /facile-a-lire/ and of each easy-read page."""
    texts = annuaire.facile_a_lire
    common = {"pas_encore_relu": texts.pas_encore_relu, "relire": review_links(annuaire), "search_filter": SEARCH_FILTER,
              "type_lines": type_lines, "type_anchor": type_anchor}
    listing = [(url_of(page), page.titre) for page in texts.pages]
    unreviewed = any(page.relecture is None for page in texts.pages)
    yield ROOT, {**common, "facile": texts.accueil, "version_complete": "/", "liste": listing, "types": [],
                 "sources": [], "relecture": None, "a_relire": unreviewed}
    for page in texts.pages:
        types = [t for t in annuaire.types.values() if t.facile_a_lire] if page.liste_des_types else []
        yield url_of(page), {**common, "facile": page, "version_complete": page.version_complete, "liste": [],
                             "types": types, "sources": page.sources, "relecture": page.relecture,
                             "a_relire": page.relecture is None}
